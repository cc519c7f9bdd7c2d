//! The Export dialog: the design as CloudFormation or Terraform, written into a folder with
//! `DEPLOY.md`, through the same `meridian_iac::export` and folder rules as `meridian export`.

use std::path::{Path, PathBuf};

use egui::{Id, Key, Modal, RichText};
use meridian_iac::{self as iac, ExportOptions, Format, TemplateSyntax};
use meridian_model::compliance::Policy;
use meridian_model::{Catalog, Design};

use super::app::MeridianApp;
use meridian_assess::outdir::{self, OutDirError};

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
#[derive(Debug, Clone)]
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
        ExportDialog { choice: 0, folder, residency: true, overwrite: false, outcome: None }
    }

    /// Exports `design` into the folder and records the outcome.
    pub fn export(&mut self, design: &Design, catalog: &Catalog, policies: Vec<Policy>) {
        let choice = CHOICES[self.choice.min(CHOICES.len() - 1)];
        let folder = PathBuf::from(self.folder.trim());
        let options = ExportOptions {
            syntax: choice.syntax,
            policies: if self.residency { policies } else { Vec::new() },
        };
        self.outcome = Some(match iac::export(design, catalog, choice.format, &options) {
            Err(e) => Outcome::Failed(e.to_string()),
            Ok(bundle) => match outdir::write_bundle(&bundle, &folder, self.overwrite) {
                Ok(files) => Outcome::Written {
                    files,
                    warnings: bundle.warnings,
                    skipped_checks: bundle.skipped_checks.len(),
                },
                Err(e) => Outcome::Failed(e.to_string()),
            },
        });
    }

    fn folder_busy(&self) -> Result<bool, OutDirError> {
        let folder = self.folder.trim();
        if folder.is_empty() { Ok(false) } else { outdir::is_busy(Path::new(folder)) }
    }
}

/// Shows the Export dialog if it is open.
pub fn export_ui(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some(mut dialog) = app.dialogs_mut().export.take() else { return };
    let mut keep = true;
    let mut go = false;
    let mut browse = false;
    let packs = app.analysis().enabled_packs.len();
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
                ui.add(egui::TextEdit::singleline(&mut dialog.folder).desired_width(360.0)).labelled_by(l.id);
                if app.native_dialogs() && ui.button("Browse…").clicked() {
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
        ui.horizontal(|ui| match dialog.folder_busy() {
            Ok(true) => {
                ui.colored_label(ui.visuals().warn_fg_color, "This folder already has files.");
                ui.checkbox(&mut dialog.overwrite, "Overwrite files with the same names");
            }
            Ok(false) => {
                ui.label(RichText::new("A new or empty folder.").weak());
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            }
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
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
        let policies = app.analysis().enabled_policies();
        dialog.export(app.design(), app.catalog(), policies);
        if let Some(Outcome::Written { files, .. }) = &dialog.outcome {
            let text = format!("Exported {} files to {}", files.len(), dialog.folder.trim());
            app.notify(text);
        }
    }
    if keep {
        app.dialogs_mut().export = Some(dialog);
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
                egui::CollapsingHeader::new(format!("{} warnings: not exported faithfully", warnings.len()))
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
