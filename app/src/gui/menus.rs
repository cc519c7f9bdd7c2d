//! The menu bar and toolbar, built from the one list of actions.

use egui::{RichText, Ui};

use super::actions::Action;
use super::app::MeridianApp;
use super::canvas::ViewMode;
use super::dialogs::Pending;

fn item(ui: &mut Ui, app: &mut MeridianApp, action: Action) {
    let mut button = egui::Button::new(action.label());
    if let Some(s) = action.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&s));
    }
    let enabled = match action {
        Action::Undo => app.undo_label().is_some(),
        Action::Redo => app.redo_label().is_some(),
        Action::Delete | Action::Duplicate | Action::Copy => !app.selection().is_empty(),
        _ => true,
    };
    if ui.add_enabled(enabled, button).clicked() {
        let ctx = ui.ctx().clone();
        app.run(action, &ctx);
        ui.close();
    }
}

/// Shows the menu bar and the toolbar.
pub fn menu_bar_ui(ui: &mut Ui, app: &mut MeridianApp) {
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in ["File", "Edit", "View", "Help"] {
            ui.menu_button(menu, |ui| {
                for action in Action::ALL.into_iter().filter(|a| a.menu() == menu) {
                    item(ui, app, action);
                    if action == Action::Open {
                        ui.menu_button("Open recent", |ui| {
                            let recent = app.recent();
                            if recent.is_empty() {
                                ui.label(RichText::new("No recent files").weak());
                            }
                            for p in recent {
                                if ui.button(p.display().to_string()).clicked() {
                                    if app.editor().is_dirty() {
                                        app.dialogs_mut().unsaved = Some(Pending::OpenPath(p));
                                    } else {
                                        app.proceed(Pending::OpenPath(p));
                                    }
                                    ui.close();
                                }
                            }
                        });
                    }
                }
            });
        }
    });
    ui.horizontal(|ui| {
        let ctx = ui.ctx().clone();
        for (action, text) in [
            (Action::New, "New"),
            (Action::Open, "Open"),
            (Action::Save, "Save"),
            (Action::Undo, "Undo"),
            (Action::Redo, "Redo"),
            (Action::AddRegion, "+ Region"),
            (Action::AddPopulation, "+ Users"),
            (Action::ZoomToFit, "Fit"),
        ] {
            let enabled = match action {
                Action::Undo => app.undo_label().is_some(),
                Action::Redo => app.redo_label().is_some(),
                _ => true,
            };
            let hover = match (action, action.shortcut()) {
                (Action::Undo, _) => {
                    app.undo_label().map_or("Nothing to undo".to_owned(), |l| format!("Undo: {l}"))
                }
                (Action::Redo, _) => {
                    app.redo_label().map_or("Nothing to redo".to_owned(), |l| format!("Redo: {l}"))
                }
                (_, Some(s)) => format!("{} ({})", action.label(), ctx.format_shortcut(&s)),
                (_, None) => action.label().to_owned(),
            };
            if ui.add_enabled(enabled, egui::Button::new(text)).on_hover_text(hover).clicked() {
                app.run(action, &ctx);
            }
        }
        ui.separator();
        let mut mode = app.canvas.mode;
        ui.selectable_value(&mut mode, ViewMode::Geographic, "Geographic");
        ui.selectable_value(&mut mode, ViewMode::Schematic, "Schematic");
        if mode != app.canvas.mode {
            app.run(Action::ToggleMode, &ctx);
        }
        ui.separator();
        ui.label(RichText::new(format!("zoom {:.0}%", app.canvas.zoom() * 100.0)).weak());
    });
}
