//! The Changes window: the design being edited compared with its saved version on disk or with
//! another design file, by [`DesignDiff`] (the same structural diff as `meridian diff`). Changes
//! are listed by entity with their fields' old and new values; added and changed regions,
//! services, links and populations are outlined or haloed and badged on the canvas in the theme's
//! change colours (the legend explains them), removed links are drawn as dashed ghosts between
//! their ends while both are on the canvas, and every removal is listed here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use egui::{RichText, Ui};
use meridian_model::diff::{DesignDiff, Status};
use meridian_model::{Catalog, Design, DesignStamp, EntityRef};

use super::canvas::RemovedLink;
use super::context::ViewContext;
use super::theme::Palette;

/// The Changes window's state.
#[derive(Default)]
pub struct ChangesView {
    /// Whether the window is open.
    pub open: bool,
    /// The design compared with, and the file it was read from.
    baseline: Option<(PathBuf, Design)>,
    /// The changes, for the design revision they were computed on.
    diff: Option<(DesignStamp, DesignDiff)>,
    /// The path typed into "Compare with file" when there are no native dialogs.
    pub path: String,
    message: Option<String>,
}

impl ChangesView {
    /// Compares with the design file at `path` (the saved version, or another file).
    pub fn compare_with(&mut self, path: &Path, catalog: &Catalog) {
        self.open = true;
        self.diff = None;
        match meridian_model::format::load_file(path, catalog) {
            Ok(loaded) => {
                self.baseline = Some((path.to_owned(), loaded.design));
                self.message = None;
            }
            Err(e) => {
                self.baseline = None;
                self.message = Some(e.to_string());
            }
        }
    }

    /// Opens the window on the saved version of the design, or says there is none.
    pub fn compare_with_saved(&mut self, file: Option<&Path>, catalog: &Catalog) {
        if let Some(p) = file {
            self.compare_with(p, catalog);
        } else {
            self.open = true;
            self.baseline = None;
            self.diff = None;
            self.message = Some("The design has not been saved: compare with a file instead.".into());
        }
    }

    /// Brings the changes up to date with the design (once per revision).
    pub fn refresh(&mut self, design: &Design, stamp: DesignStamp) {
        let Some((_, base)) = &self.baseline else { return };
        if self.diff.as_ref().is_none_or(|(s, _)| *s != stamp) {
            self.diff = Some((stamp, DesignDiff::between(base, design)));
        }
    }

    /// The changes, when a comparison is open.
    pub fn diff(&self) -> Option<&DesignDiff> {
        self.diff.as_ref().filter(|_| self.open).map(|(_, d)| d)
    }

    /// What happened to each entity the canvas can show (added or changed), while open.
    pub fn marks(&self) -> Option<BTreeMap<EntityRef, Status>> {
        let diff = self.diff()?;
        Some(
            diff.changes
                .iter()
                .filter(|c| c.status != Status::Removed)
                .filter_map(|c| c.entity.clone().map(|e| (e, c.status)))
                .collect(),
        )
    }
}

impl ChangesView {
    /// The links the compared design has and the edited one does not, with their ends (for the
    /// canvas's ghosts), while open.
    pub fn removed_links(&self) -> Vec<RemovedLink> {
        let (Some(diff), Some((_, base))) = (self.diff(), &self.baseline) else { return Vec::new() };
        diff.changes
            .iter()
            .filter(|c| c.status == Status::Removed)
            .filter_map(|c| match &c.entity {
                Some(EntityRef::Link(id)) => base.link(id),
                _ => None,
            })
            .map(|l| RemovedLink { id: l.id.clone(), from: l.from.clone(), to: l.to.clone() })
            .collect()
    }
}

/// Shows the Changes window.
pub fn changes_ui(ctx: &egui::Context, view: &ViewContext<'_>, state: &mut ChangesView) {
    if !state.open {
        return;
    }
    state.refresh(view.design(), view.editor.stamp());
    let mut open = state.open;
    egui::Window::new("Changes").open(&mut open).default_width(440.0).show(ctx, |ui| {
        ui.horizontal(|ui| {
            let saved = ui.add_enabled(view.file.is_some(), egui::Button::new("Compare with saved version"));
            if saved.clicked() {
                state.compare_with_saved(view.file, view.catalog);
            }
            if view.native_dialogs {
                if ui.button("Compare with file…").clicked()
                    && let Some(p) =
                        rfd::FileDialog::new().add_filter("Meridian design", &["ron"]).pick_file()
                {
                    state.compare_with(&p, view.catalog);
                }
            } else {
                ui.add(
                    egui::TextEdit::singleline(&mut state.path).hint_text("design file").desired_width(140.0),
                );
                if ui.button("Compare with file").clicked() {
                    let p = PathBuf::from(state.path.trim());
                    state.compare_with(&p, view.catalog);
                }
            }
        });
        if let Some(m) = &state.message {
            ui.colored_label(ui.visuals().warn_fg_color, m);
        }
        state.refresh(view.design(), view.editor.stamp());
        list_ui(ui, state);
    });
    state.open = open;
}

fn list_ui(ui: &mut Ui, state: &ChangesView) {
    let (Some((path, _)), Some((_, diff))) = (&state.baseline, &state.diff) else { return };
    ui.label(format!("Against {}", path.display()));
    ui.strong(diff.summary());
    let pal = Palette::of(ui.visuals());
    egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
        for c in &diff.changes {
            let head = RichText::new(format!("{} {} {}", c.status.label(), c.section.singular(), c.id))
                .color(pal.change(c.status));
            egui::CollapsingHeader::new(head).id_salt(("change", &c.id, c.section)).show(ui, |ui| {
                ui.label(&c.label);
                if c.status == Status::Changed {
                    for f in &c.fields {
                        let before = f.before.as_deref().unwrap_or("(absent)");
                        let after = f.after.as_deref().unwrap_or("(absent)");
                        ui.label(format!("{}: {before} -> {after}", f.field));
                    }
                } else {
                    ui.weak(format!("{} field(s)", c.fields.len()));
                }
            });
        }
    });
}
