//! The menu bar and toolbar, built from the one list of actions. They read the view context and
//! send the chosen action to the command queue.

use egui::{RichText, Ui};

use super::actions::Action;
use super::canvas::ViewMode;
use super::command::AppCommand;
use super::context::ViewContext;

/// Whether `action` can run now (undo with nothing to undo cannot).
fn enabled(view: &ViewContext<'_>, action: Action) -> bool {
    match action {
        Action::Undo => view.editor.undo_label().is_some(),
        Action::Redo => view.editor.redo_label().is_some(),
        Action::Delete | Action::Duplicate | Action::Copy => !view.selection.is_empty(),
        _ => true,
    }
}

fn item(ui: &mut Ui, view: &ViewContext<'_>, action: Action) {
    let mut button = egui::Button::new(action.label());
    if let Some(s) = action.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&s));
    }
    if ui.add_enabled(enabled(view, action), button).clicked() {
        view.send(AppCommand::Run(action));
        ui.close();
    }
}

/// Shows the menu bar and the toolbar.
pub fn menu_bar_ui(ui: &mut Ui, view: &ViewContext<'_>) {
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in ["File", "Edit", "View", "Help"] {
            ui.menu_button(menu, |ui| {
                for action in Action::ALL.into_iter().filter(|a| a.menu() == menu) {
                    item(ui, view, action);
                    if action == Action::Open {
                        ui.menu_button("Open recent", |ui| recent_ui(ui, view));
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
            (Action::AddNote, "+ Note"),
            (Action::AddGroupBox, "+ Box"),
            (Action::ZoomToFit, "Fit"),
        ] {
            let hover = match (action, action.shortcut()) {
                (Action::Undo, _) => {
                    view.editor.undo_label().map_or("Nothing to undo".to_owned(), |l| format!("Undo: {l}"))
                }
                (Action::Redo, _) => {
                    view.editor.redo_label().map_or("Nothing to redo".to_owned(), |l| format!("Redo: {l}"))
                }
                (_, Some(s)) => format!("{} ({})", action.label(), ctx.format_shortcut(&s)),
                (_, None) => action.label().to_owned(),
            };
            let button = egui::Button::new(text);
            if ui.add_enabled(enabled(view, action), button).on_hover_text(hover).clicked() {
                view.send(AppCommand::Run(action));
            }
        }
        ui.separator();
        let mut mode = view.mode;
        ui.selectable_value(&mut mode, ViewMode::Geographic, "Geographic");
        ui.selectable_value(&mut mode, ViewMode::Schematic, "Schematic");
        if mode != view.mode {
            view.send(AppCommand::Run(Action::ToggleMode));
        }
        ui.separator();
        ui.label(RichText::new(format!("zoom {:.0}%", view.zoom * 100.0)).weak());
    });
}

/// File > Open recent: each file opens through the same unsaved-changes question as Open.
fn recent_ui(ui: &mut Ui, view: &ViewContext<'_>) {
    if view.recent.is_empty() {
        ui.label(RichText::new("No recent files").weak());
    }
    for p in view.recent {
        if ui.button(p.display().to_string()).clicked() {
            view.send(AppCommand::OpenRecent(p.clone()));
            ui.close();
        }
    }
}
