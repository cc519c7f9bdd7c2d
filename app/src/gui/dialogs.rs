//! Dialogs: command palette, shortcuts, about, add region, unsaved changes, crash recovery,
//! the in-app path prompt, and the error of a file that failed to load.

use std::path::PathBuf;

use egui::{Id, Key, Modal, RichText};
use meridian_model::Design;

use super::actions::Action;
use super::app::MeridianApp;

/// What waits for an answer about unsaved changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Start a new design.
    New,
    /// Ask for a file to open.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Quit.
    Quit,
}

/// Why a path is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open a design.
    Open,
    /// Save the design under a new name.
    SaveAs,
}

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
    /// A recovery file found at start: its design and the file it belonged to.
    pub recovery: Option<(Design, String)>,
    /// The in-app path prompt.
    pub path: Option<(PathPurpose, String)>,
    /// The loader's error for a file that failed to open.
    pub load_error: Option<String>,
    /// The Export dialog.
    pub export: Option<super::export_dialog::ExportDialog>,
    /// The Export report dialog.
    pub report: Option<super::report_dialog::ReportDialog>,
}

/// Shows whichever dialogs are open.
pub fn dialogs_ui(ctx: &egui::Context, app: &mut MeridianApp) {
    command_palette(ctx, app);
    add_region(ctx, app);
    unsaved(ctx, app);
    recovery(ctx, app);
    path_prompt(ctx, app);
    load_error(ctx, app);
    super::export_dialog::export_ui(ctx, app);
    super::report_dialog::report_ui(ctx, app);
    shortcuts(ctx, app);
    about(ctx, app);
}

fn command_palette(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some(mut filter) = app.dialogs_mut().command_palette.take() else { return };
    let mut run = None;
    let mut keep = true;
    Modal::new(Id::unique("command-palette")).show(ctx, |ui| {
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
        if ui.input(|i| i.key_pressed(Key::Enter)) {
            run = matching.first().copied();
        }
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            keep = false;
        }
    });
    if let Some(a) = run {
        app.run(a, ctx);
    } else if keep {
        app.dialogs_mut().command_palette = Some(filter);
    }
}

fn add_region(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some(mut filter) = app.dialogs_mut().add_region.take() else { return };
    let catalog = app.catalog();
    let mut chosen = None;
    let mut keep = true;
    Modal::new(Id::unique("add-region")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Add region");
        let l = ui.label("Search regions");
        ui.add(
            egui::TextEdit::singleline(&mut filter)
                .hint_text("code, city or country")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        let needle = filter.to_lowercase();
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            for r in catalog.regions() {
                if app.design().region(&meridian_model::RegionId::new(r.code.clone())).is_some() {
                    continue;
                }
                let text = format!("{}  ·  {}  ·  {}", r.code, r.name, r.jurisdiction);
                if !needle.is_empty()
                    && !text.to_lowercase().contains(&needle)
                    && !r.city.to_lowercase().contains(&needle)
                {
                    continue;
                }
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
        if let Some(cmd) = meridian_model::edit::add_region(catalog, &code).ok()
            && app.apply(cmd)
        {
            app.canvas.request_fit();
        }
    } else if keep {
        app.dialogs_mut().add_region = Some(filter);
    }
}

fn unsaved(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some(next) = app.dialogs_mut().unsaved.take() else { return };
    let mut answer = None;
    Modal::new(Id::unique("unsaved")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.heading("Unsaved changes");
        ui.label(format!("“{}” has changes that are not saved.", app.design().name()));
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
        Some(0) => {
            app.run(Action::Save, ctx);
            if app.editor().is_dirty() {
                // Save went to a path prompt or failed: ask again afterwards.
                app.dialogs_mut().unsaved = None;
            } else {
                app.proceed(next);
            }
        }
        Some(1) => {
            app.discard_recovery();
            app.proceed(next);
        }
        Some(_) => {}
        None => app.dialogs_mut().unsaved = Some(next),
    }
}

fn recovery(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some((design, origin)) = app.dialogs_mut().recovery.take() else { return };
    let mut answer = None;
    Modal::new(Id::unique("recovery")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Recover unsaved changes?");
        ui.label(format!(
            "Meridian did not close cleanly last time. Autosave kept “{}” ({} services), unsaved changes to {origin}.",
            design.name(),
            design.services().len()
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
        Some(true) => app.recover(&design, &origin),
        Some(false) => app.discard_recovery(),
        None => app.dialogs_mut().recovery = Some((design, origin)),
    }
}

fn path_prompt(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some((purpose, mut text)) = app.dialogs_mut().path.take() else { return };
    let mut done = None;
    let mut keep = true;
    Modal::new(Id::unique("path")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(if purpose == PathPurpose::Open { "Open design" } else { "Save design as" });
        let l = ui.label("File path");
        ui.add(egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY)).labelled_by(l.id);
        ui.horizontal(|ui| {
            let verb = if purpose == PathPurpose::Open { "Open" } else { "Save" };
            if ui.button(verb).clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                done = Some(PathBuf::from(text.trim()));
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
    });
    if let Some(p) = done {
        app.path_chosen(purpose, &p);
    } else if keep {
        app.dialogs_mut().path = Some((purpose, text));
    }
}

fn load_error(ctx: &egui::Context, app: &mut MeridianApp) {
    let Some(err) = app.dialogs_mut().load_error.take() else { return };
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
        app.dialogs_mut().load_error = Some(err);
    }
}

fn shortcuts(ctx: &egui::Context, app: &mut MeridianApp) {
    let mut open = app.dialogs_mut().shortcuts;
    egui::Window::new("Keyboard shortcuts").open(&mut open).resizable(false).show(ctx, |ui| {
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
    app.dialogs_mut().shortcuts = open;
}

fn about(ctx: &egui::Context, app: &mut MeridianApp) {
    let mut open = app.dialogs_mut().about;
    egui::Window::new("About Meridian").open(&mut open).resizable(false).show(ctx, |ui| {
        ui.heading(format!("Meridian {}", env!("CARGO_PKG_VERSION")));
        ui.label("Design multi-region AWS architectures and find out how they behave and what they cost.");
        ui.label("World map: Natural Earth (public domain). Catalog figures cite their sources in assets/catalog/.");
    });
    app.dialogs_mut().about = open;
}
