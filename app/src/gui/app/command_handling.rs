//! Carrying out the commands widgets sent this frame, and the user actions behind menus,
//! shortcuts and the command palette. This is the one place that changes the design (through the
//! model's `Editor`), the selection, the file and the dialogs' opening and closing.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use meridian_model::design::{Annotation, AnnotationKind, GroupKind};
use meridian_model::edit::{self, Clipboard};
use meridian_model::{Command, Design, Editor, EntityRef, RegionId};

use super::MeridianApp;
use crate::gui::actions::Action;
use crate::gui::canvas::{ViewMode, layout::unproject};
use crate::gui::command::{AppCommand, PathPurpose, Pending};
use crate::gui::export_dialog::ExportDialog;
use crate::gui::panels::Tab;
use crate::gui::report_dialog::ReportDialog;

impl MeridianApp {
    /// Carries out every queued command in the order it was sent: once per frame, after the
    /// widgets have drawn. When there were any, egui draws the frame once more at once
    /// (`request_discard`; input is not delivered twice), so what they changed shows in the
    /// frame of the click rather than the next one. Frames without commands cost nothing more.
    pub(super) fn run_pending_commands(&mut self, ctx: &egui::Context) {
        let mut ran = 0_usize;
        while let Some(command) = self.queue.recv() {
            self.run_command(command, ctx);
            ran += 1;
        }
        if ran > 0 {
            ctx.request_discard("commands changed what the widgets showed");
        }
    }

    fn run_command(&mut self, command: AppCommand, ctx: &egui::Context) {
        match command {
            AppCommand::Run(action) => self.run(action, ctx),
            AppCommand::Apply(command) => {
                // A link just drawn is selected, so the inspector shows what it is at once.
                let new_link = match &command {
                    Command::AddLink(l) => Some(l.id.clone()),
                    _ => None,
                };
                if self.apply(command)
                    && let Some(id) = new_link
                {
                    self.selection = BTreeSet::from([EntityRef::Link(id)]);
                }
            }
            AppCommand::Edit(edit) => self.apply_edit(edit),
            AppCommand::Select(selection) => self.selection = selection,
            AppCommand::Tell(message) => self.tell(message),
            AppCommand::AddKind(kind) => self.add_kind_to_selection(kind),
            AppCommand::AddRegion(code) => match edit::add_region(self.catalog, &code) {
                Ok(command) => {
                    if self.apply(command) {
                        self.canvas.request_fit();
                    }
                }
                Err(e) => self.tell(e.to_string()),
            },
            AppCommand::OpenRecent(path) => self.guard_unsaved(Pending::OpenPath(path), ctx),
            AppCommand::PathChosen(purpose, path) => self.path_chosen(purpose, &path),
            AppCommand::SaveThen(next) => {
                self.run(Action::Save, ctx);
                // Save went to a path prompt or failed: the question is asked again next time.
                if !self.editor.is_dirty() {
                    self.proceed(next, ctx);
                }
            }
            AppCommand::DiscardThen(next) => {
                self.files.discard_recovery();
                self.proceed(next, ctx);
            }
            AppCommand::Recover(recovered) => self.recover(*recovered),
            AppCommand::DiscardRecovery => self.files.discard_recovery(),
            AppCommand::TogglePack(name) => {
                if !self.analysis.enabled_packs.remove(&name) {
                    self.analysis.enabled_packs.insert(name);
                }
                self.analysis.invalidate();
            }
            AppCommand::SetCommitment(commitment) => {
                self.analysis.cost_options.commitment = commitment;
                self.analysis.invalidate();
            }
        }
    }

    /// Runs an action from a menu, a shortcut or the command palette now (widgets send
    /// [`AppCommand::Run`], which ends here).
    pub fn run(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::New => self.guard_unsaved(Pending::New, ctx),
            Action::Open => self.guard_unsaved(Pending::Open, ctx),
            Action::Import => self.guard_unsaved(Pending::Import, ctx),
            Action::Quit => self.guard_unsaved(Pending::Quit, ctx),
            Action::Save => match self.files.path.clone() {
                Some(p) => {
                    self.save_to(&p);
                }
                None => self.ask_path(PathPurpose::SaveAs),
            },
            Action::SaveAs => self.ask_path(PathPurpose::SaveAs),
            Action::Compare => self.compare.open = true,
            Action::Changes => self.changes.compare_with_saved(self.files.path.as_deref(), self.catalog),
            Action::RunSimulation => {
                self.tab = Tab::Simulation;
                self.sim.start(self.editor.design(), self.catalog, self.editor.stamp());
            }
            Action::ExportReport => {
                self.dialogs.report = Some(ReportDialog::new(self.files.path.as_deref(), "random-year"));
            }
            Action::Export => self.dialogs.export = Some(ExportDialog::new(self.files.path.as_deref())),
            Action::Undo => match self.editor.undo(self.catalog) {
                Ok(Some(label)) => {
                    self.prune_selection();
                    self.tell(format!("Undid: {label}"));
                }
                Ok(None) => self.tell("Nothing to undo"),
                Err(e) => self.tell(e.to_string()),
            },
            Action::Redo => match self.editor.redo(self.catalog) {
                Ok(Some(label)) => {
                    self.prune_selection();
                    self.tell(format!("Redid: {label}"));
                }
                Ok(None) => self.tell("Nothing to redo"),
                Err(e) => self.tell(e.to_string()),
            },
            Action::Delete => {
                if let Some(cmd) = edit::delete(self.editor.design(), &self.selection) {
                    self.apply(cmd);
                    self.selection.clear();
                }
            }
            Action::Copy => self.clipboard = edit::copy(self.editor.design(), &self.selection),
            Action::Duplicate => {
                let clip = edit::copy(self.editor.design(), &self.selection);
                self.paste(&clip, None);
            }
            Action::Paste => {
                let target = self.selected_region();
                let clip = self.clipboard.clone();
                self.paste(&clip, target.as_ref());
            }
            Action::SelectAll => {
                let d = self.editor.design();
                self.selection = d
                    .services()
                    .map(|s| EntityRef::Service(s.id.clone()))
                    .chain(d.populations().map(|p| EntityRef::Population(p.id.clone())))
                    .collect();
            }
            Action::SelectNone => self.selection.clear(),
            Action::AddRegion => self.dialogs.add_region = Some(String::new()),
            Action::AddPopulation => self.add_population(ctx),
            Action::AddNote => self.add_annotation(AnnotationKind::Note),
            Action::AddGroupBox => self.add_annotation(AnnotationKind::Group(GroupKind::Vpc)),
            Action::ExportPicture => self.ask_path(PathPurpose::ExportPicture),
            Action::ExportViewPicture => self.ask_path(PathPurpose::ExportViewPicture),
            Action::ZoomToFit => self.canvas.request_fit(),
            Action::ZoomToSelection => self.canvas.request_fit_to(self.selection.clone()),
            Action::TidyLayout => match edit::tidy_layout(self.editor.design()) {
                Some(cmd) => {
                    self.apply(cmd);
                }
                None => self.tell("Everything is already laid out automatically"),
            },
            Action::ZoomIn => self.canvas.zoom_by(crate::gui::canvas::ZOOM_STEP),
            Action::ZoomOut => self.canvas.zoom_by(1.0 / crate::gui::canvas::ZOOM_STEP),
            Action::ToggleMode => self.canvas.toggle_mode(),
            Action::ToggleTheme => self.dark = !self.dark,
            Action::ToggleMinimap => self.canvas.minimap = !self.canvas.minimap,
            Action::ToggleLegend => self.canvas.legend = !self.canvas.legend,
            Action::CommandPalette => self.dialogs.command_palette = Some(String::new()),
            Action::Shortcuts => self.dialogs.shortcuts = true,
            Action::About => self.dialogs.about = true,
        }
    }

    /// Adds a user population in the middle of the view (geographic), or in the selected region,
    /// else a region whose continent has no population yet (`edit::population_site`).
    fn add_population(&mut self, ctx: &egui::Context) {
        let at = if self.canvas.mode == ViewMode::Geographic {
            let centre = self.canvas.to_screen().inverse().mul_pos(ctx.content_rect().center());
            let (lon, lat) = unproject(centre);
            meridian_model::geo::GeoPoint {
                lat: (lat * 10.0).round() / 10.0,
                lon: (lon * 10.0).round() / 10.0,
            }
        } else {
            let region = self.selected_region();
            edit::population_site(self.editor.design(), self.catalog, region.as_ref())
        };
        let (cmd, id) = edit::add_population(self.editor.design(), self.catalog, at);
        if self.apply(cmd) {
            self.selection = BTreeSet::from([EntityRef::Population(id)]);
        }
    }

    /// Adds a note or group box in free space in the schematic view (switching to it from the
    /// geographic view, where annotations are not shown; see
    /// [`crate::gui::canvas::Canvas::place_annotation`]) and
    /// selects it.
    fn add_annotation(&mut self, kind: AnnotationKind) {
        let (w, h) = match kind {
            AnnotationKind::Note => Annotation::NOTE_SIZE,
            AnnotationKind::Group(_) => Annotation::GROUP_SIZE,
        };
        let revision = self.editor.revision();
        let centre = self.canvas.place_annotation(
            self.editor.design(),
            self.catalog,
            revision,
            egui::vec2(w as f32, h as f32),
        );
        if self.canvas.mode == ViewMode::Geographic {
            self.canvas.toggle_mode();
        }
        let (cmd, id) = edit::add_annotation(self.editor.design(), kind, centre.x, centre.y);
        if self.apply(cmd) {
            self.selection = BTreeSet::from([EntityRef::Annotation(id)]);
        }
    }

    fn paste(&mut self, clip: &Clipboard, target: Option<&RegionId>) {
        if let Some((cmd, created)) = edit::paste(self.editor.design(), clip, target)
            && self.apply(cmd)
        {
            self.selection = created;
        }
    }

    pub(super) fn selected_region(&self) -> Option<RegionId> {
        self.selection.iter().find_map(|e| match e {
            EntityRef::Region(r) => Some(r.clone()),
            EntityRef::Service(s) => self.editor.design().region_of(s).cloned(),
            _ => None,
        })
    }

    /// The one unsaved-changes guard: New, Open, Open recent and Quit ask first when there are
    /// unsaved changes, and go ahead at once when there are none.
    fn guard_unsaved(&mut self, next: Pending, ctx: &egui::Context) {
        if self.editor.is_dirty() {
            self.dialogs.unsaved = Some(next);
        } else {
            self.proceed(next, ctx);
        }
    }

    /// Carries out what waited for the unsaved-changes question.
    fn proceed(&mut self, next: Pending, ctx: &egui::Context) {
        match next {
            Pending::New => {
                self.files.path = None;
                self.files.header.clear();
                self.start_editing(Editor::new(Design::new("Untitled design")));
            }
            Pending::Open => self.ask_path(PathPurpose::Open),
            Pending::OpenPath(p) => self.open_path(&p),
            Pending::Import => self.ask_path(PathPurpose::Import),
            Pending::Quit => {
                self.files.discard_recovery();
                self.quitting = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn ask_path(&mut self, purpose: PathPurpose) {
        if !self.native_dialogs {
            let path = self.default_path();
            let path = if purpose.is_picture() {
                Path::new(&path).with_extension("png").display().to_string()
            } else {
                path
            };
            self.dialogs.path = Some((purpose, path));
            return;
        }
        let started = Instant::now();
        if purpose == PathPurpose::Import {
            let dialog = rfd::FileDialog::new()
                .add_filter("CloudFormation or Terraform", &["yaml", "yml", "json", "template", "tf"]);
            match dialog.pick_files() {
                Some(paths) => self.import_paths(&paths),
                None if started.elapsed().as_millis() < 150 => {
                    self.tell("No file dialog is available on this desktop (install xdg-desktop-portal or zenity); type a path instead.");
                    self.dialogs.path = Some((purpose, String::new()));
                }
                None => {}
            }
            return;
        }
        let dialog = match purpose {
            PathPurpose::ExportPicture | PathPurpose::ExportViewPicture => {
                rfd::FileDialog::new().add_filter("PNG picture", &["png"]).add_filter("SVG picture", &["svg"])
            }
            _ => rfd::FileDialog::new().add_filter("Meridian design", &["ron"]),
        };
        let dialog = match &self.files.path {
            Some(p) => dialog.set_directory(p.parent().unwrap_or(Path::new("."))),
            None => dialog,
        };
        let picked = match purpose {
            PathPurpose::Open | PathPurpose::Import => dialog.pick_file(),
            PathPurpose::SaveAs => dialog.set_file_name("design.ron").save_file(),
            PathPurpose::ExportPicture | PathPurpose::ExportViewPicture => {
                dialog.set_file_name("design.png").save_file()
            }
        };
        match picked {
            Some(p) => self.path_chosen(purpose, &p),
            // A dialog that "returns" at once never showed: no portal or zenity on this desktop.
            None if started.elapsed().as_millis() < 150 => {
                self.tell("No file dialog is available on this desktop (install xdg-desktop-portal or zenity); type a path instead.");
                self.dialogs.path = Some((purpose, self.default_path()));
            }
            None => {}
        }
    }

    fn default_path(&self) -> String {
        self.files.path.as_ref().map_or_else(|| "design.ron".to_owned(), |p| p.display().to_string())
    }

    /// Acts on a path chosen in a dialog.
    fn path_chosen(&mut self, purpose: PathPurpose, path: &Path) {
        match purpose {
            PathPurpose::Open => self.open_path(path),
            PathPurpose::Import => self.import_paths(&[path.to_owned()]),
            PathPurpose::SaveAs => {
                let path =
                    if path.extension().is_none() { path.with_extension("ron") } else { path.to_owned() };
                self.save_to(&path);
            }
            PathPurpose::ExportPicture => self.export_picture(path, false),
            PathPurpose::ExportViewPicture => self.export_picture(path, true),
        }
    }

    /// Writes the design picture (the report's renderer) to `path`: PNG or SVG by its extension
    /// (PNG when it has none), of the whole design or, with `view`, of the schematic part in view.
    fn export_picture(&mut self, path: &Path, view: bool) {
        use meridian_assess::picture::{PictureFormat, design_picture};
        let path = if path.extension().is_none() { path.with_extension("png") } else { path.to_owned() };
        let Some(format) = PictureFormat::of_path(&path) else {
            self.tell(format!(
                "{}: a picture is written as .png or .svg; choose one of those",
                path.display()
            ));
            return;
        };
        let schematic = self.canvas.mode == super::super::canvas::ViewMode::Schematic;
        let area = (view && schematic).then(|| self.canvas.visible()).flatten();
        let note = if view && !schematic {
            " (the whole design: pictures are drawn in the schematic view)"
        } else {
            ""
        };
        let drawn = design_picture(self.editor.design(), self.catalog, area, format, 2.0);
        let written = drawn.map_err(|e| e.to_string()).and_then(|(bytes, _)| {
            meridian_model::format::write_atomic(&path, bytes, false).map_err(|e| e.to_string())
        });
        match written {
            Ok(()) => self.tell(format!("Exported the picture to {}{note}", path.display())),
            Err(e) => self.tell(format!("{}: {e}", path.display())),
        }
    }
}
