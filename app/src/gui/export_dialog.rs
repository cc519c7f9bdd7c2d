//! The Export dialog: the design as CloudFormation or Terraform, written into a folder with
//! `DEPLOY.md`, through the same `meridian_iac::export` and folder rules as `meridian export`.
//! The export runs as a background [`Job`]; what the folder holds is checked when its path
//! changes, not every frame.

use std::path::{Path, PathBuf};

use egui::{Id, Key, Modal, RichText};
use meridian_assess::outdir;
use meridian_iac::{self as iac, ExportOptions, Format, TemplateSyntax};
use meridian_model::compliance::Policy;
use meridian_model::{Catalog, Design};

use super::command::AppCommand;
use super::context::ViewContext;
use super::job::Job;
use super::path_status::PathStatus;

/// A format and syntax the user can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The language.
    pub format: Format,
    /// The syntax, for CloudFormation.
    pub syntax: TemplateSyntax,
    /// The label in the dialog.
    pub label: &'static str,
}

/// Every format the dialog offers, in order.
pub const CHOICES: [Choice; 3] = [
    Choice { format: Format::CloudFormation, syntax: TemplateSyntax::Yaml, label: "CloudFormation (YAML)" },
    Choice { format: Format::CloudFormation, syntax: TemplateSyntax::Json, label: "CloudFormation (JSON)" },
    Choice { format: Format::Terraform, syntax: TemplateSyntax::Yaml, label: "Terraform (HCL)" },
];

/// What the last export did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Files written, with the export's warnings.
    Written {
        /// The files, in path order.
        files: Vec<PathBuf>,
        /// Kinds or links not exported faithfully.
        warnings: Vec<String>,
        /// Scanner checks skipped on purpose (data residency wins).
        skipped_checks: usize,
    },
    /// Why nothing was written.
    Failed(String),
}

/// The dialog's state while it is open.
#[derive(Debug)]
pub struct ExportDialog {
    /// Index into [`CHOICES`].
    pub choice: usize,
    /// The output folder, as typed.
    pub folder: String,
    /// Limit replication to what the enabled data-law packs allow.
    pub residency: bool,
    /// Overwrite files in a folder that has some.
    pub overwrite: bool,
    /// The last export's outcome.
    pub outcome: Option<Outcome>,
    job: Option<Job<Outcome>>,
    /// Whether the folder has files (or why it cannot be used).
    folder_status: PathStatus<Result<bool, String>>,
}

impl ExportDialog {
    /// A dialog for the design saved at `design_path` (the folder defaults to `NAME-infra` beside it).
    pub fn new(design_path: Option<&Path>) -> Self {
        let folder = match design_path {
            Some(p) => {
                let stem =
                    p.file_stem().map_or_else(|| "design".into(), |s| s.to_string_lossy().into_owned());
                p.with_file_name(format!("{stem}-infra")).display().to_string()
            }
            None => "infra".to_owned(),
        };
        ExportDialog {
            choice: 0,
            folder,
            residency: true,
            overwrite: false,
            outcome: None,
            job: None,
            folder_status: PathStatus::default(),
        }
    }

    /// Whether an export is being written.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// Starts exporting `design` into the folder on a background job (`gui-export`).
    pub fn start(&mut self, design: &Design, catalog: &'static Catalog, policies: Vec<Policy>) {
        if self.running() {
            return;
        }
        let choice = CHOICES[self.choice.min(CHOICES.len() - 1)];
        let folder = PathBuf::from(self.folder.trim());
        let options = ExportOptions {
            syntax: choice.syntax,
            policies: if self.residency { policies } else { Vec::new() },
        };
        let overwrite = self.overwrite;
        let design = design.clone();
        let work = move |_: &super::job::Worker| {
            export_into(&design, catalog, choice.format, &options, &folder, overwrite)
        };
        match Job::spawn("gui-export", "export", 1, 1, work) {
            Ok(job) => {
                self.job = Some(job);
                self.outcome = None;
            }
            Err(e) => self.outcome = Some(Outcome::Failed(format!("cannot start the export: {e}"))),
        }
    }

    /// Collects a finished export; returns its outcome the first time it is seen.
    pub fn poll(&mut self) -> Option<&Outcome> {
        let finished = self.job.as_mut()?.poll()?;
        self.job = None;
        // The folder has files now.
        self.folder_status.invalidate();
        self.outcome = Some(finished.unwrap_or_else(|e| Outcome::Failed(e.to_string())));
        self.outcome.as_ref()
    }

    /// How many times the dialog has looked at the folder on disk (once per path, not per frame).
    pub fn folder_checks(&self) -> u32 {
        self.folder_status.checks()
    }

    /// Whether the folder has files, or why it cannot be used; asks the file system only when
    /// the path changed or the answer is a few seconds old.
    fn folder_busy(&mut self) -> Result<bool, String> {
        self.folder_status
            .get(&self.folder, |folder| {
                if folder.as_os_str().is_empty() {
                    Ok(false)
                } else {
                    outdir::is_busy(folder).map_err(|e| e.to_string())
                }
            })
            .clone()
    }
}

/// Exports `design` and writes the bundle into `folder` (on the export's thread).
fn export_into(
    design: &Design,
    catalog: &Catalog,
    format: Format,
    options: &ExportOptions,
    folder: &Path,
    overwrite: bool,
) -> Outcome {
    match iac::export(design, catalog, format, options) {
        Err(e) => Outcome::Failed(e.to_string()),
        Ok(bundle) => match outdir::write_bundle(&bundle, folder, overwrite) {
            Ok(files) => Outcome::Written {
                files,
                warnings: bundle.warnings,
                skipped_checks: bundle.skipped_checks.len(),
            },
            Err(e) => Outcome::Failed(e.to_string()),
        },
    }
}

/// Shows the Export dialog if it is open.
pub fn export_ui(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<ExportDialog>) {
    let Some(dialog) = state else { return };
    let written = match dialog.poll() {
        Some(Outcome::Written { files, .. }) => Some(files.len()),
        _ => None,
    };
    if let Some(n) = written {
        view.send(AppCommand::Tell(format!("Exported {n} files to {}", dialog.folder.trim())));
    }
    let running = dialog.running();
    let mut keep = true;
    let mut go = false;
    let mut browse = false;
    let packs = view.analysis.enabled_packs.len();
    let busy = dialog.folder_busy();
    // Anchored at the top, so the buttons stay put while the outcome below them grows.
    let id = Id::unique("export-dialog");
    let area = Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 90.0));
    Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Export infrastructure code");
        ui.label(
            RichText::new("Templates for every region, global resources and the cross-region pieces, with DEPLOY.md giving the order.")
                .weak(),
        );
        ui.add_space(6.0);
        ui.add_enabled_ui(!running, |ui| {
            egui::Grid::new("export-grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                ui.label("Format");
                ui.vertical(|ui| {
                    for (i, c) in CHOICES.iter().enumerate() {
                        ui.radio_value(&mut dialog.choice, i, c.label);
                    }
                });
                ui.end_row();
                let l = ui.label("Folder");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut dialog.folder).desired_width(360.0))
                        .labelled_by(l.id);
                    if view.native_dialogs && ui.button("Browse…").clicked() {
                        browse = true;
                    }
                });
                ui.end_row();
                ui.label("Data law");
                ui.checkbox(
                    &mut dialog.residency,
                    format!("Replicate only where the enabled data-law packs allow ({packs} enabled)"),
                )
                .on_hover_text("Replication the residency rules forbid is left out and listed in DEPLOY.md; scanner checks that would demand it are skipped with the reason written down.");
                ui.end_row();
            });
            // One line whatever the folder holds, so nothing below it moves while the user types.
            ui.horizontal(|ui| match &busy {
                Ok(true) => {
                    ui.colored_label(ui.visuals().warn_fg_color, "This folder already has files.");
                    ui.checkbox(&mut dialog.overwrite, "Overwrite files with the same names");
                }
                Ok(false) => {
                    ui.label(RichText::new("A new or empty folder.").weak());
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if running {
                ui.spinner();
                ui.label("Exporting…");
                return;
            }
            let ready = !dialog.folder.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new("Export")).clicked()
                || (ready && ui.input(|i| i.key_pressed(Key::Enter)))
            {
                go = true;
            }
            if ui.button("Close").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                keep = false;
            }
        });
        if let Some(outcome) = &dialog.outcome {
            ui.separator();
            outcome_ui(ui, outcome);
        }
    });
    if browse && let Some(folder) = rfd::FileDialog::new().pick_folder() {
        dialog.folder = folder.display().to_string();
    }
    if go {
        dialog.start(view.design(), view.catalog, view.analysis.enabled_policies());
    }
    if dialog.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
    }
    if !keep {
        *state = None;
    }
}

fn outcome_ui(ui: &mut egui::Ui, outcome: &Outcome) {
    match outcome {
        Outcome::Failed(e) => {
            ui.colored_label(ui.visuals().error_fg_color, RichText::new(e).monospace());
        }
        Outcome::Written { files, warnings, skipped_checks } => {
            ui.strong(format!("Wrote {} files", files.len()));
            egui::ScrollArea::vertical().id_salt("export-files").max_height(140.0).show(ui, |ui| {
                for f in files {
                    ui.label(RichText::new(f.display().to_string()).monospace());
                }
            });
            if *skipped_checks > 0 {
                ui.label(format!(
                    "{skipped_checks} scanner checks skipped on purpose (data residency); the reasons are in DEPLOY.md."
                ));
            }
            if warnings.is_empty() {
                ui.label("Everything in the design was exported.");
            } else {
                let n = warnings.len();
                let noun = if n == 1 { "warning" } else { "warnings" };
                egui::CollapsingHeader::new(format!("{n} {noun}: not exported faithfully"))
                    .default_open(true)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical().id_salt("export-warnings").max_height(160.0).show(
                            ui,
                            |ui| {
                                for w in warnings {
                                    ui.label(w);
                                }
                            },
                        );
                    });
            }
            ui.label(RichText::new("Deploy in the order DEPLOY.md gives.").weak());
        }
    }
}
