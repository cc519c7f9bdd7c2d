//! File > Export report: the design assessed under a scenario and written as the same
//! self-contained HTML page as `meridian report` (`meridian_assess::report::assess_and_render`), on a worker
//! thread with a progress bar and Cancel.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread::JoinHandle;

use egui::{Id, Modal, RichText};
use meridian_model::format::write_atomic;
use meridian_model::{Catalog, Design};
use meridian_sim::SimOptions;

use super::app::MeridianApp;
use super::panels::sim_panel::run_controls;
use meridian_assess::assessment::{self as assess, AssessError, AssessOptions, Want};
use meridian_assess::report;
use meridian_assess::units::{Percent, Usd};

struct Job {
    handle: JoinHandle<Result<String, String>>,
    done: Arc<AtomicU32>,
    runs: u32,
    cancel: Arc<AtomicBool>,
}

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
    job: Option<Job>,
    /// What the last attempt did: the summary line, or why it failed.
    pub outcome: Option<Result<String, String>>,
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
        let done = Arc::new(AtomicU32::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (d, c) = (Arc::clone(&done), Arc::clone(&cancel));
        let design = design.clone();
        let design_path = design_path.map(Path::to_owned);
        let spawned = std::thread::Builder::new().name("gui-report".into()).spawn(move || {
            let progress = |p: meridian_sim::Progress| d.store(p.runs_done, Ordering::Relaxed);
            let (html, a) = report::assess_and_render(
                &design,
                catalog,
                design_path.as_deref(),
                &scenario,
                &options,
                &progress,
                &c,
            )
            .map_err(|e| e.to_string())?;
            write_atomic(&out, &html, false).map_err(|e| e.to_string())?;
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
        });
        let handle = match spawned {
            Ok(h) => h,
            Err(e) => {
                self.outcome = Some(Err(format!("cannot start the report: {e}")));
                return;
            }
        };
        self.job = Some(Job { handle, done, runs: self.runs.max(1), cancel });
        self.outcome = None;
    }

    /// Collects a finished job.
    pub fn poll(&mut self) {
        if !self.job.as_ref().is_some_and(|j| j.handle.is_finished()) {
            return;
        }
        if let Some(job) = self.job.take() {
            self.outcome = Some(match job.handle.join() {
                Ok(r) => r,
                Err(_) => Err("the report stopped unexpectedly (internal error)".into()),
            });
        }
    }

    fn cancel(&self) {
        if let Some(j) = &self.job {
            j.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// Shows the Export report dialog if it is open.
pub fn report_ui(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some(mut dialog) = app.dialogs_mut().report.take() else { return };
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
                    let d = &mut dialog;
                    run_controls(ui, "report-scenario", &mut d.scenario, &mut d.runs, &mut d.seed);
                });
                ui.end_row();
                let l = ui.label("Report file");
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(380.0)).labelled_by(l.id);
                ui.end_row();
            });
            let exists = Path::new(dialog.path.trim()).is_file();
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
                let j = dialog.job.as_ref();
                let (done, runs) = j.map_or((0, 1), |j| (j.done.load(Ordering::Relaxed).min(j.runs), j.runs));
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
        let design = app.design().clone();
        let path = app.path().map(Path::to_owned);
        dialog.start(&design, path.as_deref(), app.catalog());
    }
    if dialog.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    if keep {
        app.dialogs_mut().report = Some(dialog);
    }
}
