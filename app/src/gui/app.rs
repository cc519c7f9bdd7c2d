//! The designer application: its state and one frame of UI.
//!
//! Each frame, widgets (menus, dialogs, panels, the canvas, the inspector, the palette) read the
//! app through a [`ViewContext`] and send [`AppCommand`]s into one queue; after they have drawn,
//! `run_pending_commands` (`app/command_handling.rs`) carries the commands out in order. That is
//! the only place that talks to the model's `Editor`, so undo covers every change.

mod command_handling;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use meridian_model::edit::{self, Clipboard, EditError};
use meridian_model::{Catalog, Command, Design, Editor, EntityRef, ServiceKind};

use super::actions::Action;
use super::analysis::Analysis;
use super::canvas::{Canvas, CanvasInput, ViewMode, canvas_ui};
use super::changes_view::{ChangesView, changes_ui};
use super::command::{AppCommand, CommandReceiver, CommandSender, FieldEdit, Pending, command_queue};
use super::compare_view::{CompareView, compare_ui};
use super::context::ViewContext;
use super::dialogs::{Dialogs, dialogs_ui};
use super::files::{FileState, Recovered};
use super::inspector::{InspectorState, inspector_panel_ui};
use super::menus::menu_bar_ui;
use super::palette::palette_ui;
use super::panels::sim_panel::SimPanel;
use super::panels::{Tab, bottom_panel_ui};

/// How the app is set up.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// A design file to open at start.
    pub open: Option<PathBuf>,
    /// Where autosave writes the working copy (none: no autosave).
    pub recovery: Option<PathBuf>,
    /// Use the desktop's file dialogs (off in tests: an in-app path prompt is used instead).
    pub native_dialogs: bool,
}

/// Preferences kept between runs (in eframe's storage, not in the design file).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Preferences {
    /// Dark theme on.
    pub dark: bool,
    /// Last view mode.
    pub mode: ViewMode,
    /// Minimap shown.
    pub minimap: bool,
    /// Recent files, newest first.
    pub recent: Vec<PathBuf>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { dark: false, mode: ViewMode::Schematic, minimap: true, recent: Vec::new() }
    }
}

/// The designer.
pub struct MeridianApp {
    catalog: &'static Catalog,
    editor: Editor,
    files: FileState,
    /// The canvas view.
    pub canvas: Canvas,
    selection: BTreeSet<EntityRef>,
    inspector: InspectorState,
    palette_filter: String,
    analysis: Analysis,
    tab: Tab,
    sim: SimPanel,
    compare: CompareView,
    changes: ChangesView,
    message: Option<(String, Instant)>,
    dialogs: Dialogs,
    clipboard: Clipboard,
    dark: bool,
    native_dialogs: bool,
    title: String,
    quitting: bool,
    commands: CommandSender,
    queue: CommandReceiver,
}

impl MeridianApp {
    /// Creates the app with `config` and saved `prefs`.
    pub fn new(catalog: &'static Catalog, config: AppConfig, prefs: &Preferences) -> Self {
        let mut files = FileState::new(config.recovery.clone());
        files.recent.clone_from(&prefs.recent);
        let (commands, queue) = command_queue();
        let mut app = MeridianApp {
            catalog,
            editor: Editor::new(Design::new("Untitled design")),
            files,
            canvas: Canvas::default(),
            selection: BTreeSet::new(),
            inspector: InspectorState::default(),
            palette_filter: String::new(),
            analysis: Analysis::default(),
            tab: Tab::default(),
            sim: SimPanel::default(),
            compare: CompareView::default(),
            changes: ChangesView::default(),
            message: None,
            dialogs: Dialogs::default(),
            clipboard: Clipboard::default(),
            dark: prefs.dark,
            native_dialogs: config.native_dialogs,
            title: String::new(),
            quitting: false,
            commands,
            queue,
        };
        app.canvas.mode = prefs.mode;
        app.canvas.minimap = prefs.minimap;
        app.dialogs.recovery = app.files.pending_recovery(catalog);
        if let Some(path) = config.open {
            app.open_path(&path);
        }
        app
    }

    /// Creates the app editing `design` (for benchmarks and tests that build designs in memory).
    pub fn with_design(catalog: &'static Catalog, design: Design, prefs: &Preferences) -> Self {
        let mut app = Self::new(catalog, AppConfig::default(), prefs);
        app.start_editing(Editor::new(design));
        app
    }

    /// The preferences to persist.
    pub fn preferences(&self) -> Preferences {
        Preferences {
            dark: self.dark,
            mode: self.canvas.mode,
            minimap: self.canvas.minimap,
            recent: self.files.recent.clone(),
        }
    }

    /// The design being edited.
    pub fn design(&self) -> &Design {
        self.editor.design()
    }

    /// The editor (design plus undo history).
    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    /// The sending end of the command queue, for tests and scripts: what is sent is carried out
    /// at the end of the next frame, in order, as if a widget had sent it.
    pub fn commands(&self) -> CommandSender {
        self.commands.clone()
    }

    /// The canvas layout of the design as it is now (for tests and benchmarks that aim at entities).
    pub fn canvas_layout(&mut self) -> std::sync::Arc<super::canvas::Layout> {
        self.canvas.layout(self.editor.design(), self.catalog, self.editor.revision())
    }

    /// Where the centre of `entity` is on screen, if it is laid out.
    pub fn screen_pos(&mut self, entity: &EntityRef) -> Option<egui::Pos2> {
        let layout = self.canvas_layout();
        let at = match entity {
            EntityRef::Service(id) => layout.services.get(id)?.center(),
            EntityRef::Region(id) => layout.regions.get(id)?.center_top() + egui::vec2(0.0, 20.0),
            EntityRef::Population(id) => *layout.populations.get(id)?,
            EntityRef::Link(id) => layout.link_pick_point(id)?,
            EntityRef::Annotation(id) => {
                let r = layout.annotations.get(id)?;
                // A box is picked by its title strip, a note anywhere.
                r.left_top() + egui::vec2(r.width() / 2.0, 12.0)
            }
            EntityRef::Design => return None,
        };
        Some(self.canvas.to_screen().mul_pos(at))
    }

    /// Where the connection handle of a service card is on screen.
    pub fn handle_screen_pos(&mut self, service: &meridian_model::ServiceId) -> Option<egui::Pos2> {
        let layout = self.canvas_layout();
        let rect = layout.services.get(service)?;
        Some(self.canvas.to_screen().mul_pos(super::canvas::draw::handle_pos(*rect).0))
    }

    /// Replaces the selection.
    pub fn select(&mut self, selection: BTreeSet<EntityRef>) {
        self.selection = selection;
    }

    /// The current selection.
    pub fn selection(&self) -> &BTreeSet<EntityRef> {
        &self.selection
    }

    /// The file the design was opened from or saved to.
    pub fn path(&self) -> Option<&Path> {
        self.files.path.as_deref()
    }

    /// The message shown to the user last (an error, or what happened).
    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|(m, _)| m.as_str())
    }

    /// The error of the last file that failed to load, if its dialog is open.
    pub fn load_error(&self) -> Option<&str> {
        self.dialogs.load_error.as_deref()
    }

    fn tell(&mut self, message: impl Into<String>) {
        self.message = Some((message.into(), Instant::now()));
    }

    /// Applies one command as one undo step now; on refusal tells the user why and returns false.
    /// Widgets send [`AppCommand::Apply`] instead, which ends here.
    pub fn apply(&mut self, command: Command) -> bool {
        match self.editor.apply(self.catalog, command) {
            Ok(()) => {
                self.prune_selection();
                true
            }
            Err(e) => {
                self.tell(e.to_string());
                false
            }
        }
    }

    fn apply_edit(&mut self, edit: FieldEdit) {
        match self.editor.apply_merged(self.catalog, edit.command, &edit.key) {
            Ok(()) => {
                self.inspector.errors.remove(&edit.key);
            }
            Err(e) => {
                self.inspector.errors.insert(edit.key, e.message);
            }
        }
    }

    fn prune_selection(&mut self) {
        let design = self.editor.design();
        self.selection.retain(|e| design.contains(e));
    }

    /// Edits with `editor` from now on (after New, Open or recovery) and resets the view.
    fn start_editing(&mut self, editor: Editor) {
        self.editor = editor;
        // Figures of the previous design must not show for a moment: recompute now, and forget
        // the simulation (its results belong to the design they were computed for).
        self.analysis.refresh(self.editor.design(), self.catalog, self.editor.stamp());
        self.sim.forget();
        self.selection.clear();
        self.inspector = InspectorState::default();
        self.canvas.invalidate();
        self.canvas.request_first_view();
    }

    /// Opens the design at `path`; a file that fails to load shows the loader's error.
    pub fn open_path(&mut self, path: &Path) {
        match self.files.open(path, self.catalog) {
            Ok(design) => {
                self.start_editing(Editor::new(design));
                self.tell(format!("Opened {}", path.display()));
            }
            Err(e) => {
                self.dialogs.load_error = Some(e.to_string());
            }
        }
    }

    /// Imports infrastructure code at `paths` (File > Import) into a new, unsaved design; what
    /// was skipped is shown in a dialog and kept in the design's header comment.
    pub fn import_paths(&mut self, paths: &[std::path::PathBuf]) {
        match meridian_iac::import::import_paths(paths, None, self.catalog) {
            Ok((imported, inputs)) if imported.design.services().len() > 0 => {
                let summary = format!(
                    "Imported {} services, {} links in {} regions from {inputs}",
                    imported.design.services().len(),
                    imported.design.links().len(),
                    imported.design.regions().len()
                );
                self.files.path = None;
                self.files.header = imported.header(&inputs);
                let lines: Vec<String> =
                    imported.skipped.iter().map(|s| format!("{}: {}", s.address, s.reason)).collect();
                self.start_editing(Editor::unsaved(imported.design));
                self.tell(summary.clone());
                if !lines.is_empty() {
                    self.dialogs.import_report = Some((summary, lines));
                }
            }
            Ok((_, inputs)) => self.dialogs.load_error = Some(format!("No service found in {inputs}")),
            Err(e) => self.dialogs.load_error = Some(e.to_string()),
        }
    }

    /// What the last import skipped, while its dialog is open.
    pub fn import_report(&self) -> Option<&[String]> {
        self.dialogs.import_report.as_ref().map(|(_, l)| l.as_slice())
    }

    /// Saves to `path` (Save As), or reports why not.
    pub fn save_to(&mut self, path: &Path) -> bool {
        match self.files.save_as(self.editor.design(), path) {
            Ok(()) => {
                self.editor.mark_saved();
                self.tell(format!("Saved {}", path.display()));
                true
            }
            Err(e) => {
                self.tell(e.to_string());
                false
            }
        }
    }

    /// Edits the autosaved work as the loader read it (every field the file format keeps, and
    /// the file's header), with its file; it stays unsaved, with nothing to undo.
    fn recover(&mut self, recovered: Recovered) {
        self.files.adopt(&recovered);
        self.start_editing(Editor::unsaved(recovered.design));
        self.tell("Recovered unsaved changes: save them to keep them.");
    }

    /// Sends the actions whose shortcuts were pressed this frame to the queue.
    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input() || self.dialogs.modal_open();
        let mut fired = Vec::new();
        // Shortcuts with more modifiers first: egui lets Ctrl+Z match Ctrl+Shift+Z otherwise.
        let mut shortcuts: Vec<(Action, egui::KeyboardShortcut)> = Action::ALL
            .into_iter()
            .filter(|a| !(typing && a.needs_canvas_focus()))
            .flat_map(|a| a.shortcut().into_iter().chain(a.alternative_shortcuts()).map(move |s| (a, s)))
            .collect();
        shortcuts.sort_by_key(|(_, s)| std::cmp::Reverse(modifier_count(s.modifiers)));
        ctx.input_mut(|i| {
            for (action, s) in &shortcuts {
                if i.consume_shortcut(s) {
                    fired.push(*action);
                }
            }
        });
        for a in fired {
            self.commands.send(AppCommand::Run(a));
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let dirty = if self.editor.is_dirty() { "* " } else { "" };
        let title =
            format!("{dirty}{} — {} — Meridian", self.editor.design().name(), self.files.display_name());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The window title as last set.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Derived figures of the current design (problems, bill, data-law report).
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Shows a tab of the bottom panel.
    pub fn show_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    /// The simulation panel.
    pub fn sim_panel(&mut self) -> &mut SimPanel {
        &mut self.sim
    }

    /// What the canvas shows of the simulation's timeline: nothing once the design has changed
    /// since the run (an edit, New or Open), so no outage of another design is drawn.
    pub fn canvas_timeline(&self) -> Option<super::panels::sim_panel::TimelineState> {
        timeline_on_canvas(&self.sim, self.editor.stamp())
    }

    /// The Changes window (the design against its saved version or another file).
    pub fn changes_view(&mut self) -> &mut ChangesView {
        &mut self.changes
    }

    /// The compare view.
    pub fn compare_view(&mut self) -> &mut CompareView {
        &mut self.compare
    }

    /// The Export dialog, if it is open.
    pub fn export_dialog(&self) -> Option<&super::export_dialog::ExportDialog> {
        self.dialogs.export.as_ref()
    }

    /// Opens the compare view with the strategy variants of the design, and runs it if `run`
    /// (what View > Compare, Add strategy variants, Run comparison do; used by demos and screenshots).
    pub fn compare_variants(&mut self, run: bool) {
        self.compare.open = true;
        self.compare.add_variants(self.editor.design(), self.catalog);
        if run {
            self.compare.start(self.editor.design(), self.catalog);
        }
    }

    /// One frame of the whole UI: input, the widgets, then the commands they sent.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_theme(if self.dark { egui::Theme::Dark } else { egui::Theme::Light });
        if ctx.input(|i| i.viewport().close_requested()) && !self.quitting {
            if self.editor.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialogs.unsaved = Some(Pending::Quit);
            } else {
                self.files.discard_recovery();
            }
        }
        self.handle_shortcuts(&ctx);
        self.analysis.refresh(self.editor.design(), self.catalog, self.editor.stamp());
        self.sim.poll();
        if let Some((_, at)) = &self.message
            && at.elapsed().as_secs() > 8
        {
            self.message = None;
        }
        self.widgets_ui(ui);
        self.run_pending_commands(&ctx);
        let now = ctx.input(|i| i.time);
        let (failed, wait) = self.files.autosave_if_due(
            self.editor.design(),
            self.editor.stamp(),
            self.editor.is_dirty(),
            now,
        );
        if let Some(err) = failed {
            self.tell(err);
        }
        if let Some(wait) = wait {
            // A frame when the write is due, even if the user does nothing until then.
            ctx.request_repaint_after(wait);
        }
        self.update_title(&ctx);
        if self.quitting {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Every widget, reading one [`ViewContext`] and changing only its own state.
    fn widgets_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let view = ViewContext {
            catalog: self.catalog,
            editor: &self.editor,
            selection: &self.selection,
            analysis: &self.analysis,
            file: self.files.path.as_deref(),
            recent: &self.files.recent,
            mode: self.canvas.mode,
            zoom: self.canvas.zoom(),
            message: self.message.as_ref().map(|(m, _)| m.as_str()),
            native_dialogs: self.native_dialogs,
            commands: &self.commands,
        };
        egui::Panel::top("menu").show(ui, |ui| menu_bar_ui(ui, &view));
        egui::Panel::left("palette").default_size(210.0).resizable(true).show(ui, |ui| {
            ui.add_space(4.0);
            ui.strong("Service kinds");
            palette_ui(ui, &view, &mut self.palette_filter);
        });
        egui::Panel::right("inspector")
            .default_size(300.0)
            .resizable(true)
            .show(ui, |ui| inspector_panel_ui(ui, &view, &mut self.inspector));
        // The analysis panel sits between the palette and the inspector (both keep the window's
        // height for their lists). Resizable, between a tab strip with a few rows and two thirds
        // of the window.
        let max_bottom = (ui.available_height() * 0.66).max(160.0);
        egui::Panel::bottom("analysis")
            .default_size(240.0)
            .size_range(140.0..=max_bottom)
            .resizable(true)
            .show(ui, |ui| bottom_panel_ui(ui, &view, &mut self.tab, &mut self.sim));
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let timeline = timeline_on_canvas(&self.sim, view.editor.stamp());
            let failed = timeline.as_ref().map(|t| t.down.clone()).unwrap_or_default();
            self.changes.refresh(view.design(), view.editor.stamp());
            let marks = self.changes.marks();
            let removed_links = self.changes.removed_links();
            let input = CanvasInput {
                design: view.design(),
                catalog: view.catalog,
                revision: view.editor.revision(),
                selection: view.selection,
                warnings: view.analysis.flagged(),
                failed: &failed,
                costs: view.analysis.bill.as_ref().ok().map(|b| &b.by_entity),
                serving: timeline.as_ref().map(|t| &t.serving),
                changes: marks.as_ref(),
                removed_links: &removed_links,
            };
            canvas_ui(ui, &mut self.canvas, &input, view.commands);
        });
        compare_ui(&ctx, &view, &mut self.compare);
        changes_ui(&ctx, &view, &mut self.changes);
        dialogs_ui(&ctx, &view, &mut self.dialogs);
    }

    /// Adds a service of `kind` to the selected region (else the first region), or the global
    /// band for global kinds.
    pub fn add_kind_to_selection(&mut self, kind: ServiceKind) {
        let region =
            self.selected_region().or_else(|| self.editor.design().regions().next().map(|r| r.id.clone()));
        match edit::add_service(self.editor.design(), self.catalog, kind, region.as_ref()) {
            Ok((cmd, id)) => {
                if self.apply(cmd) {
                    self.selection = BTreeSet::from([EntityRef::Service(id)]);
                }
            }
            Err(EditError::NeedsRegion { .. }) => self.tell("Add a region first: Edit > Add region…"),
            Err(e) => self.tell(e.to_string()),
        }
    }

    /// Writes the working copy to the recovery file now (autosave does this every minute).
    pub fn autosave_now(&mut self) -> Result<(), String> {
        self.files.autosave(self.editor.design())
    }

    /// Whether an undo step is available, and its label.
    pub fn undo_label(&self) -> Option<&str> {
        self.editor.undo_label()
    }

    /// Whether a redo step is available, and its label.
    pub fn redo_label(&self) -> Option<&str> {
        self.editor.redo_label()
    }

    /// Recent files, newest first.
    pub fn recent(&self) -> Vec<PathBuf> {
        self.files.recent.clone()
    }
}

/// The timeline shows on the canvas only while the design is the revision simulated.
fn timeline_on_canvas(
    sim: &SimPanel,
    stamp: meridian_model::DesignStamp,
) -> Option<super::panels::sim_panel::TimelineState> {
    sim.timeline_state().filter(|_| sim.is_current(stamp))
}

fn modifier_count(m: egui::Modifiers) -> u8 {
    u8::from(m.shift) + u8::from(m.alt) + u8::from(m.ctrl || m.command || m.mac_cmd)
}

impl eframe::App for MeridianApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        MeridianApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.preferences());
    }

    fn auto_save_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(30)
    }
}
