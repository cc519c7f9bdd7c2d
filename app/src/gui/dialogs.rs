//! Dialogs: command palette, shortcuts, about, add region, unsaved changes, crash recovery,
//! the in-app path prompt, and the error of a file that failed to load.

use std::path::PathBuf;

use egui::{Id, Key, Modal, RichText};

use super::actions::Action;
use super::command::{AppCommand, PathPurpose, Pending};
use super::context::ViewContext;
use super::export_dialog::{ExportDialog, export_ui};
use super::files::Recovered;
use super::report_dialog::{ReportDialog, report_ui};

/// Which dialogs are open, with their state.
#[derive(Default)]
pub struct Dialogs {
    /// The command palette and its filter text.
    pub command_palette: Option<String>,
    /// The shortcuts window.
    pub shortcuts: bool,
    /// The about window.
    pub about: bool,
    /// The add-region dialog and its filter text.
    pub add_region: Option<String>,
    /// The unsaved-changes question, and what waits for it.
    pub unsaved: Option<Pending>,
    /// Work autosaved by a run that did not close cleanly, found at start.
    pub recovery: Option<Recovered>,
    /// The in-app path prompt.
    pub path: Option<(PathPurpose, String)>,
    /// The loader's error for a file that failed to open.
    pub load_error: Option<String>,
    /// What an import skipped: a summary and one line per skipped resource.
    pub import_report: Option<(String, Vec<String>)>,
    /// The Export dialog.
    pub export: Option<ExportDialog>,
    /// The Export report dialog.
    pub report: Option<ReportDialog>,
}

impl Dialogs {
    /// Whether a modal dialog is open: it has the keyboard, so the canvas's single-key shortcuts
    /// (Escape for Select none, Delete, arrows) must not act underneath it.
    pub fn modal_open(&self) -> bool {
        self.command_palette.is_some()
            || self.add_region.is_some()
            || self.unsaved.is_some()
            || self.recovery.is_some()
            || self.path.is_some()
            || self.load_error.is_some()
            || self.import_report.is_some()
    }
}

/// Shows whichever dialogs are open. Each keeps its own fields in `dialogs` and sends what the
/// user decided to the command queue.
pub fn dialogs_ui(ctx: &egui::Context, view: &ViewContext<'_>, dialogs: &mut Dialogs) {
    command_palette(ctx, view, &mut dialogs.command_palette);
    add_region(ctx, view, &mut dialogs.add_region);
    unsaved(ctx, view, &mut dialogs.unsaved);
    recovery(ctx, view, &mut dialogs.recovery);
    path_prompt(ctx, view, &mut dialogs.path);
    load_error(ctx, &mut dialogs.load_error);
    import_report(ctx, &mut dialogs.import_report);
    export_ui(ctx, view, &mut dialogs.export);
    report_ui(ctx, view, &mut dialogs.report);
    shortcuts(ctx, &mut dialogs.shortcuts);
    about(ctx, &mut dialogs.about);
}

fn command_palette(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<String>) {
    let Some(mut filter) = state.take() else { return };
    let mut run = None;
    let mut keep = true;
    let modal = Modal::new(Id::unique("command-palette")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Command palette");
        let l = ui.label("Command");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut filter)
                    .hint_text("type to filter")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        edit.request_focus();
        let needle = filter.to_lowercase();
        let matching: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| *a != Action::CommandPalette && a.label().to_lowercase().contains(&needle))
            .collect();
        ui.separator();
        egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
            for a in &matching {
                ui.horizontal(|ui| {
                    if ui.button(a.label()).clicked() {
                        run = Some(*a);
                    }
                    if let Some(s) = a.shortcut() {
                        ui.label(RichText::new(ctx.format_shortcut(&s)).weak());
                    }
                });
            }
        });
        if ui.input(|i| i.key_pressed(Key::Enter)) {
            run = matching.first().copied();
        }
    });
    // Escape or a click outside closes it (the app's shortcuts leave Escape to open dialogs).
    if modal.should_close() || ctx.input(|i| i.key_pressed(Key::Escape)) {
        keep = false;
    }
    if let Some(a) = run {
        view.send(AppCommand::Run(a));
    } else if keep {
        *state = Some(filter);
    }
}

fn add_region(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<String>) {
    let Some(mut filter) = state.take() else { return };
    let catalog = view.catalog;
    let mut chosen = None;
    let mut keep = true;
    Modal::new(Id::unique("add-region")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Add region");
        let l = ui.label("Search regions");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut filter)
                    .hint_text("code, city or country")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        // The search has the keyboard as soon as the dialog opens.
        if filter.is_empty() && !search.has_focus() && !search.lost_focus() {
            search.request_focus();
        }
        let needle = filter.to_lowercase();
        let matching: Vec<_> = catalog
            .regions()
            .iter()
            .filter(|r| view.design().region(&meridian_model::RegionId::new(r.code.clone())).is_none())
            .filter(|r| {
                needle.is_empty()
                    || format!("{} {} {}", r.code, r.name, r.jurisdiction).to_lowercase().contains(&needle)
                    || r.city.to_lowercase().contains(&needle)
            })
            .collect();
        // Enter picks the only match.
        if matching.len() == 1 && ui.input(|i| i.key_pressed(Key::Enter)) {
            chosen = Some(matching[0].code.clone());
        }
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            for r in matching {
                let text = format!("{}  ·  {}  ·  {}", r.code, r.name, r.jurisdiction);
                if ui.button(text).clicked() {
                    chosen = Some(r.code.clone());
                }
            }
        });
        ui.separator();
        if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
            keep = false;
        }
    });
    if let Some(code) = chosen {
        view.send(AppCommand::AddRegion(code));
    } else if keep {
        *state = Some(filter);
    }
}

fn unsaved(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<Pending>) {
    let Some(next) = state.take() else { return };
    let mut answer = None;
    Modal::new(Id::unique("unsaved")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading("Unsaved changes");
        ui.label(format!("“{}” has changes that are not saved.", view.design().name()));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                answer = Some(0);
            }
            if ui.button("Discard changes").clicked() {
                answer = Some(1);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(2);
            }
        });
    });
    match answer {
        Some(0) => view.send(AppCommand::SaveThen(next)),
        Some(1) => view.send(AppCommand::DiscardThen(next)),
        Some(_) => {}
        None => *state = Some(next),
    }
}

fn recovery(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<Recovered>) {
    let Some(recovered) = state.take() else { return };
    let mut answer = None;
    Modal::new(Id::unique("recovery")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Recover unsaved changes?");
        ui.label(format!(
            "Meridian did not close cleanly last time. Autosave kept “{}” ({} services), unsaved changes to {}.",
            recovered.design.name(),
            recovered.design.services().len(),
            recovered.origin_label()
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Recover").clicked() {
                answer = Some(true);
            }
            if ui.button("Discard").clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) => view.send(AppCommand::Recover(Box::new(recovered))),
        Some(false) => view.send(AppCommand::DiscardRecovery),
        None => *state = Some(recovered),
    }
}

fn path_prompt(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut Option<(PathPurpose, String)>) {
    let Some((purpose, mut text)) = state.take() else { return };
    let mut done = None;
    let mut keep = true;
    Modal::new(Id::unique("path")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(match purpose {
            PathPurpose::Open => "Open design",
            PathPurpose::SaveAs => "Save design as",
            PathPurpose::Import => "Import infrastructure code (a template, a Terraform folder or plan)",
            PathPurpose::ExportPicture => "Export picture of the design (.png or .svg)",
            PathPurpose::ExportViewPicture => "Export picture of the view (.png or .svg)",
        });
        let l = ui.label("File path");
        ui.add(egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY)).labelled_by(l.id);
        ui.horizontal(|ui| {
            let verb = match purpose {
                PathPurpose::Open => "Open",
                PathPurpose::Import => "Import",
                PathPurpose::SaveAs | PathPurpose::ExportPicture | PathPurpose::ExportViewPicture => "Save",
            };
            if ui.button(verb).clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                done = Some(PathBuf::from(text.trim()));
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
    });
    if let Some(p) = done {
        view.send(AppCommand::PathChosen(purpose, p));
    } else if keep {
        *state = Some((purpose, text));
    }
}

fn load_error(ctx: &egui::Context, state: &mut Option<String>) {
    let Some(err) = state.take() else { return };
    let mut keep = true;
    Modal::new(Id::unique("load-error")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("The design could not be opened");
        ui.label(RichText::new(&err).monospace());
        ui.add_space(6.0);
        ui.label("Fix the file at that line and column, then open it again. Nothing was changed.");
        if ui.button("OK").clicked() {
            keep = false;
        }
    });
    if keep {
        *state = Some(err);
    }
}

/// What an import skipped, each resource with its reason (the same lines the command line prints).
fn import_report(ctx: &egui::Context, state: &mut Option<(String, Vec<String>)>) {
    let Some((summary, lines)) = state.take() else { return };
    let mut keep = true;
    Modal::new(Id::unique("import-report")).show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading("Imported with warnings");
        ui.label(&summary);
        ui.add_space(6.0);
        ui.label(format!("Not read ({}), also in the comment block the design is saved with:", lines.len()));
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            for l in &lines {
                ui.label(RichText::new(l).monospace());
            }
        });
        if ui.button("OK").clicked() {
            keep = false;
        }
    });
    if keep {
        *state = Some((summary, lines));
    }
}

fn shortcuts(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts").open(open).resizable(false).show(ctx, |ui| {
        egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
            for a in Action::ALL {
                let keys: Vec<String> = a
                    .shortcut()
                    .into_iter()
                    .chain(a.alternative_shortcuts())
                    .map(|s| ctx.format_shortcut(&s))
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                ui.label(a.label());
                ui.label(RichText::new(keys.join("  or  ")).monospace());
                ui.end_row();
            }
            for (what, keys) in [
                ("Pan", "scroll, arrow keys, right or middle drag, Space + drag"),
                ("Zoom", "Ctrl + scroll, pinch"),
                ("Select several", "Shift + click, or drag a box on the background"),
                ("Connect two services", "drag from the handle on a card's right edge"),
                ("Move services", "drag cards into another region"),
                ("Arrange regions", "drag a region's header to another grid cell (schematic view)"),
            ] {
                ui.label(what);
                ui.label(RichText::new(keys).weak());
                ui.end_row();
            }
        });
    });
}

fn about(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("About Meridian").open(open).resizable(false).show(ctx, |ui| {
        ui.heading(format!("Meridian {}", env!("CARGO_PKG_VERSION")));
        ui.label("Design multi-region AWS architectures and find out how they behave and what they cost.");
        ui.label("World map: Natural Earth (public domain). Catalog figures cite their sources in assets/catalog/.");
    });
}
