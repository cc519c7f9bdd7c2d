//! File > Export report: the design assessed under a scenario and written as the same
//! self-contained HTML page as `meridian report` (`meridian_assess::report::assess_and_render`), as
//! a background [`Job`] with a progress bar and Cancel. Whether the file exists is checked when
//! its path changes, not every frame.

use std::path::{Path, PathBuf};

use egui::{Id, Modal, RichText};
use meridian_model::format::write_atomic;
use meridian_model::{Catalog, Design};
use meridian_sim::{Scenario, SimOptions};

use super::context::ViewContext;
use super::job::{Job, Worker};
use super::panels::sim_panel::run_controls;
use super::path_status::PathStatus;
use meridian_assess::assessment::{self as assess, AssessError, AssessOptions, Want};
use meridian_assess::report;
use meridian_assess::units::{Percent, Usd};

/// The dialog's state while it is open.
pub struct ReportDialog {
    /// Built-in scenario name.
    pub scenario: String,
    /// Monte Carlo runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// The HTML file to write, as typed.
    pub path: String,
    /// Replace an existing file.
    pub overwrite: bool,
    job: Option<Job<Result<String, String>>>,
    /// What the last attempt did: the summary line, or why it failed.
    pub outcome: Option<Result<String, String>>,
    /// Whether the report file exists.
    file_status: PathStatus<bool>,
}

impl ReportDialog {
    /// A dialog for the design saved at `design_path` (the report defaults to `NAME-report.html`
    /// beside it), under `scenario`.
    pub fn new(design_path: Option<&Path>, scenario: &str) -> Self {
        let path = match design_path {
            Some(p) => {
                let stem =
                    p.file_stem().map_or_else(|| "design".into(), |s| s.to_string_lossy().into_owned());
                p.with_file_name(format!("{stem}-report.html")).display().to_string()
            }
            None => "report.html".to_owned(),
        };
        ReportDialog {
            scenario: scenario.to_owned(),
            runs: 200,
            seed: 1,
            path,
            overwrite: false,
            job: None,
            outcome: None,
            file_status: PathStatus::default(),
        }
    }

    /// Whether a report is being made.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// Starts making the report of `design` on a worker thread.
    pub fn start(&mut self, design: &Design, design_path: Option<&Path>, catalog: &'static Catalog) {
        let out = PathBuf::from(self.path.trim());
        if out.is_dir() {
            self.outcome = Some(Err(format!("{}: a folder, not a file", out.display())));
            return;
        }
        if out.exists() && !self.overwrite {
            self.outcome =
                Some(Err(format!("{}: the file exists; allow overwriting to replace it", out.display())));
            return;
        }
        let scenario = match assess::resolve_scenario(&self.scenario, design, catalog) {
            Ok(s) => s,
            Err(e) => {
                self.outcome = Some(Err(e.to_string()));
                return;
            }
        };
        let options = match AssessOptions::builtin(Want::COMPARE) {
            Ok(o) => AssessOptions {
                sim: SimOptions {
                    runs: Some(self.runs.max(1)),
                    seed: Some(self.seed),
                    horizon: None,
                    threads: 0,
                    keep_runs: false,
                },
                ..o
            },
            Err(e) => {
                self.outcome = Some(Err(e.to_string()));
                return;
            }
        };
        let design = design.clone();
        let design_path = design_path.map(Path::to_owned);
        let work = move |worker: &Worker| {
            write_report(&design, catalog, design_path.as_deref(), &scenario, &options, &out, worker)
        };
        match Job::spawn("gui-report", "report", 1, self.runs.max(1), work) {
            Ok(job) => {
                self.job = Some(job);
                self.outcome = None;
            }
            Err(e) => self.outcome = Some(Err(format!("cannot start the report: {e}"))),
        }
    }

    /// Collects a finished job.
    pub fn poll(&mut self) {
        let Some(finished) = self.job.as_mut().and_then(Job::poll) else { return };
        self.job = None;
        // The file exists now.
        self.file_status.invalidate();
        self.outcome = Some(finished.unwrap_or_else(|e| Err(e.to_string())));
    }

    fn cancel(&self) {
        if let Some(j) = &self.job {
            j.cancel();
        }
    }
}

/// Assesses `design`, renders the page and writes it to `out` (on the report's thread); returns
/// the summary line.
fn write_report(
    design: &Design,
    catalog: &Catalog,
    design_path: Option<&Path>,
    scenario: &Scenario,
    options: &AssessOptions,
    out: &Path,
    worker: &Worker,
) -> Result<String, String> {
    let progress = |p: meridian_sim::Progress| worker.set_done(p.runs_done);
    let (html, a) = report::assess_and_render(
        design,
        catalog,
        design_path,
        scenario,
        options,
        &progress,
        worker.cancel_flag(),
    )
    .map_err(|e| e.to_string())?;
    write_atomic(out, &html, false).map_err(|e| e.to_string())?;
    let (Some(r), Some(usd_per_month)) = (&a.results, a.usd_per_month()) else {
        return Err(AssessError::Missing(Want::SIMULATION | Want::BILL).to_string());
    };
    Ok(format!(
        "Wrote {} ({} KB): availability {}, {} a month, {} data-law violations.",
        out.display(),
        html.len().div_ceil(1024),
        Percent(r.availability_time.mean),
        Usd(usd_per_month),
        a.data_law.violations()
    ))
}

/// Shows the Export report dialog if it is open.
pub fn report_ui(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<ReportDialog>) {
    let Some(dialog) = state else { return };
    dialog.poll();
    let mut keep = true;
    let mut go = false;
    let id = Id::unique("report-dialog");
    let area = Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 90.0));
    Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Export report");
        ui.label(
            RichText::new("One HTML file for a design review: summary, design picture, simulation charts, cost, data-law findings and assumptions. It loads nothing and prints cleanly.")
                .weak(),
        );
        ui.add_space(6.0);
        let running = dialog.running();
        ui.add_enabled_ui(!running, |ui| {
            egui::Grid::new("report-grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                ui.label("Simulation");
                ui.horizontal(|ui| {
                    run_controls(ui, "report-scenario", &mut dialog.scenario, &mut dialog.runs, &mut dialog.seed);
                });
                ui.end_row();
                let l = ui.label("Report file");
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(380.0)).labelled_by(l.id);
                ui.end_row();
            });
            let exists = *dialog.file_status.get(&dialog.path, Path::is_file);
            ui.horizontal(|ui| {
                if exists {
                    ui.colored_label(ui.visuals().warn_fg_color, "This file exists.");
                    ui.checkbox(&mut dialog.overwrite, "Overwrite it");
                } else {
                    ui.label(RichText::new("A new file.").weak());
                }
            });
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if running {
                let (done, runs) = dialog.job.as_ref().map_or((0, 1), Job::steps);
                ui.add(
                    egui::ProgressBar::new(done as f32 / runs as f32)
                        .desired_width(260.0)
                        .text(format!("simulating {done}/{runs} runs")),
                );
                if ui.button("Cancel").clicked() {
                    dialog.cancel();
                }
            } else {
                let ready = !dialog.path.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new("Write report")).clicked() {
                    go = true;
                }
                if ui.button("Close").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    keep = false;
                }
            }
        });
        match &dialog.outcome {
            Some(Ok(summary)) => {
                ui.separator();
                ui.label(summary);
            }
            Some(Err(e)) => {
                ui.separator();
                ui.colored_label(ui.visuals().error_fg_color, RichText::new(e).monospace());
            }
            None => {}
        }
    });
    if go {
        dialog.start(view.design(), view.file, view.catalog);
    }
    if dialog.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    if !keep {
        *state = None;
    }
}
