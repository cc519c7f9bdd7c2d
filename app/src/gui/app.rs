//! The designer application: state, one frame of UI, and the single place where edits are applied.
//!
//! Widgets read the design and return intents or edits; `MeridianApp::apply` is the only caller
//! of the model's `Editor`, so undo covers every change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use meridian_model::edit::{self, Clipboard, EditError};
use meridian_model::{Catalog, Command, Design, Editor, EntityRef, ServiceKind};

use super::actions::Action;
use super::analysis::Analysis;
use super::canvas::{Canvas, CanvasInput, Intent, ViewMode, canvas_ui, layout::unproject};
use super::dialogs::{Dialogs, PathPurpose, Pending};
use super::files::FileState;
use super::inspector::{InspectorState, inspector_ui};
use super::palette::{PaletteEvent, palette_ui};
use super::panels::Tab;
use super::panels::compliance_panel::{ComplianceEvent, compliance_ui};
use super::panels::cost_panel::{CostEvent, cost_ui};
use super::panels::sim_panel::{SimEvent, SimPanel, sim_ui};
use super::problems::problems_ui;

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
    compare: super::compare_view::CompareView,
    message: Option<(String, Instant)>,
    dialogs: Dialogs,
    clipboard: Clipboard,
    dark: bool,
    native_dialogs: bool,
    title: String,
    quitting: bool,
}

impl MeridianApp {
    /// Creates the app with `config` and saved `prefs`.
    pub fn new(catalog: &'static Catalog, config: AppConfig, prefs: &Preferences) -> Self {
        let mut files = FileState::new(config.recovery.clone());
        files.recent.clone_from(&prefs.recent);
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
            compare: super::compare_view::CompareView::default(),
            message: None,
            dialogs: Dialogs::default(),
            clipboard: Clipboard::default(),
            dark: prefs.dark,
            native_dialogs: config.native_dialogs,
            title: String::new(),
            quitting: false,
        };
        app.canvas.mode = prefs.mode;
        app.canvas.minimap = prefs.minimap;
        if let Some((design, origin)) = app.files.pending_recovery(catalog) {
            app.dialogs.recovery = Some((design, origin));
        }
        if let Some(path) = config.open {
            app.open_path(&path);
        }
        app
    }

    /// Creates the app editing `design` (for benchmarks and tests that build designs in memory).
    pub fn with_design(catalog: &'static Catalog, design: Design, prefs: &Preferences) -> Self {
        let mut app = Self::new(catalog, AppConfig::default(), prefs);
        app.replace(design);
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
            _ => return None,
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

    /// Applies one command as one undo step; on refusal tells the user why and returns false.
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

    fn apply_edit(&mut self, edit: super::inspector::Edit) {
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

    /// Replaces the design (after New or Open) and resets the view.
    fn replace(&mut self, design: Design) {
        self.editor = Editor::new(design);
        self.selection.clear();
        self.inspector = InspectorState::default();
        self.canvas.invalidate();
        self.canvas.request_fit();
    }

    /// Opens the design at `path`; a file that fails to load shows the loader's error.
    pub fn open_path(&mut self, path: &Path) {
        match self.files.open(path, self.catalog) {
            Ok(design) => {
                self.replace(design);
                self.tell(format!("Opened {}", path.display()));
            }
            Err(e) => {
                self.dialogs.load_error = Some(e.to_string());
            }
        }
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

    /// Runs an action from a menu, a shortcut or the command palette.
    pub fn run(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::New => self.guard_unsaved(Pending::New),
            Action::Open => self.guard_unsaved(Pending::Open),
            Action::Save => match self.files.path.clone() {
                Some(p) => {
                    self.save_to(&p);
                }
                None => self.ask_path(PathPurpose::SaveAs),
            },
            Action::SaveAs => self.ask_path(PathPurpose::SaveAs),
            Action::Compare => self.compare.open = true,
            Action::ExportReport => {
                self.dialogs.report =
                    Some(super::report_dialog::ReportDialog::new(self.files.path.as_deref(), "random-year"));
            }
            Action::Export => {
                self.dialogs.export =
                    Some(super::export_dialog::ExportDialog::new(self.files.path.as_deref()));
            }
            Action::Quit => {
                if self.editor.is_dirty() {
                    self.dialogs.unsaved = Some(Pending::Quit);
                } else {
                    self.quit(ctx);
                }
            }
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
            Action::Copy => {
                self.clipboard = edit::copy(self.editor.design(), &self.selection);
            }
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
            Action::AddPopulation => {
                let centre = self.canvas.to_screen().inverse().mul_pos(ctx.content_rect().center());
                let (lon, lat) =
                    if self.canvas.mode == ViewMode::Geographic { unproject(centre) } else { (8.7, 50.1) };
                let (cmd, id) = edit::add_population(
                    self.editor.design(),
                    self.catalog,
                    meridian_model::geo::GeoPoint {
                        lat: (lat * 10.0).round() / 10.0,
                        lon: (lon * 10.0).round() / 10.0,
                    },
                );
                if self.apply(cmd) {
                    self.selection = BTreeSet::from([EntityRef::Population(id)]);
                }
            }
            Action::ZoomToFit => self.canvas.request_fit(),
            Action::ZoomIn => self.canvas.zoom_by(1.25),
            Action::ZoomOut => self.canvas.zoom_by(0.8),
            Action::ToggleMode => self.canvas.toggle_mode(),
            Action::ToggleTheme => self.dark = !self.dark,
            Action::ToggleMinimap => self.canvas.minimap = !self.canvas.minimap,
            Action::CommandPalette => self.dialogs.command_palette = Some(String::new()),
            Action::Shortcuts => self.dialogs.shortcuts = true,
            Action::About => self.dialogs.about = true,
        }
    }

    fn paste(&mut self, clip: &Clipboard, target: Option<&meridian_model::RegionId>) {
        if let Some((cmd, created)) = edit::paste(self.editor.design(), clip, target)
            && self.apply(cmd)
        {
            self.selection = created;
        }
    }

    fn selected_region(&self) -> Option<meridian_model::RegionId> {
        self.selection.iter().find_map(|e| match e {
            EntityRef::Region(r) => Some(r.clone()),
            EntityRef::Service(s) => self.editor.design().region_of(s).cloned(),
            _ => None,
        })
    }

    fn guard_unsaved(&mut self, next: Pending) {
        if self.editor.is_dirty() {
            self.dialogs.unsaved = Some(next);
        } else {
            self.proceed(next);
        }
    }

    /// Carries out what was waiting for the unsaved-changes question.
    pub(super) fn proceed(&mut self, next: Pending) {
        match next {
            Pending::New => {
                self.files.path = None;
                self.files.header.clear();
                self.replace(Design::new("Untitled design"));
            }
            Pending::Open => self.ask_path(PathPurpose::Open),
            Pending::OpenPath(p) => self.open_path(&p),
            Pending::Quit => self.quitting = true,
        }
    }

    fn ask_path(&mut self, purpose: PathPurpose) {
        if self.native_dialogs {
            let started = Instant::now();
            let dialog = rfd::FileDialog::new().add_filter("Meridian design", &["ron"]);
            let dialog = match &self.files.path {
                Some(p) => dialog.set_directory(p.parent().unwrap_or(Path::new("."))),
                None => dialog,
            };
            let picked = match purpose {
                PathPurpose::Open => dialog.pick_file(),
                PathPurpose::SaveAs => dialog.set_file_name("design.ron").save_file(),
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
        } else {
            self.dialogs.path = Some((purpose, self.default_path()));
        }
    }

    fn default_path(&self) -> String {
        self.files.path.as_ref().map_or_else(|| "design.ron".to_owned(), |p| p.display().to_string())
    }

    /// Acts on a path chosen in a dialog.
    pub(super) fn path_chosen(&mut self, purpose: PathPurpose, path: &Path) {
        match purpose {
            PathPurpose::Open => self.open_path(path),
            PathPurpose::SaveAs => {
                let path =
                    if path.extension().is_none() { path.with_extension("ron") } else { path.to_owned() };
                self.save_to(&path);
            }
        }
    }

    fn quit(&mut self, ctx: &egui::Context) {
        self.files.discard_recovery();
        self.quitting = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
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
            self.run(a, ctx);
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

    fn refresh_analysis(&mut self) {
        self.analysis.refresh(self.editor.design(), self.catalog, self.editor.revision());
        self.sim.poll();
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

    /// The compare view.
    pub fn compare_view(&mut self) -> &mut super::compare_view::CompareView {
        &mut self.compare
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

    fn compare_window(&mut self, ctx: &egui::Context) {
        use super::compare_view::{CompareEvent, compare_ui};
        match compare_ui(ctx, &mut self.compare, self.native_dialogs) {
            Some(CompareEvent::Run) => self.compare.start(self.editor.design(), self.catalog),
            Some(CompareEvent::AddVariants) => self.compare.add_variants(self.editor.design(), self.catalog),
            Some(CompareEvent::Browse) => {
                let dialog = rfd::FileDialog::new().add_filter("Meridian design", &["ron"]);
                if let Some(p) = dialog.pick_file() {
                    self.compare.add_file(&p);
                }
            }
            None => {}
        }
    }

    /// One frame of the whole UI.
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
        self.refresh_analysis();
        if let Some((_, at)) = &self.message
            && at.elapsed().as_secs() > 8
        {
            self.message = None;
        }

        egui::Panel::top("menu").show(ui, |ui| {
            super::menus::menu_bar_ui(ui, self);
        });
        egui::Panel::left("palette").default_size(210.0).resizable(true).show(ui, |ui| {
            ui.add_space(4.0);
            ui.strong("Service kinds");
            if let Some(PaletteEvent::Add(kind)) = palette_ui(ui, self.catalog, &mut self.palette_filter) {
                self.add_kind_to_selection(kind);
            }
        });
        egui::Panel::right("inspector").default_size(300.0).resizable(true).show(ui, |ui| {
            self.inspector_panel_ui(ui);
        });
        egui::Panel::bottom("analysis").default_size(240.0).resizable(true).show(ui, |ui| {
            self.bottom_panel_ui(ui);
        });
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let warnings = self.analysis.flagged();
            let timeline = self.sim.timeline_state();
            let failed = timeline.as_ref().map(|t| t.down.clone()).unwrap_or_default();
            let costs = self.analysis.bill.as_ref().ok().map(|b| &b.by_entity);
            let input = CanvasInput {
                design: self.editor.design(),
                catalog: self.catalog,
                revision: self.editor.revision(),
                selection: &self.selection,
                warnings,
                failed: &failed,
                costs,
                serving: timeline.as_ref().map(|t| &t.serving),
            };
            let intents = canvas_ui(ui, &mut self.canvas, &input);
            for intent in intents {
                match intent {
                    Intent::Apply(cmd) => {
                        self.apply(cmd);
                    }
                    Intent::Select(sel) => self.selection = sel,
                    Intent::Message(m) => self.tell(m),
                }
            }
        });
        self.compare_window(&ctx);
        super::dialogs::dialogs_ui(&ctx, self);
        if let Some(err) = self.files.autosave_if_due(self.editor.design(), self.editor.is_dirty()) {
            self.tell(err);
        }
        self.update_title(&ctx);
        if self.quitting {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn inspector_panel_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        let single = if self.selection.len() == 1 { self.selection.iter().next().cloned() } else { None };
        if self.selection.len() > 1 {
            ui.heading(format!("{} selected", self.selection.len()));
            ui.label("Delete, duplicate or copy them together, or drag them into another region.");
        } else {
            if let Some(EntityRef::Service(id)) = &single
                && let Ok(bill) = &self.analysis.bill
            {
                let lines: Vec<_> = bill.lines.iter().filter(|l| &l.service == id).collect();
                let total: f64 = lines.iter().map(|l| l.usd_per_month).sum();
                egui::CollapsingHeader::new(format!("Cost: ${total:.2} per month")).id_salt("svc-cost").show(
                    ui,
                    |ui| {
                        for l in lines {
                            ui.label(
                                egui::RichText::new(format!(
                                    "{}: {:.2} {} × ${:.4} = ${:.2}",
                                    l.dimension, l.quantity, l.unit, l.unit_price_usd, l.usd_per_month
                                ))
                                .small(),
                            );
                        }
                    },
                );
                ui.separator();
            }
            let edits =
                inspector_ui(ui, self.editor.design(), self.catalog, single.as_ref(), &mut self.inspector);
            for e in edits {
                self.apply_edit(e);
            }
        }
    }

    fn bottom_panel_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            for tab in Tab::ALL {
                let label = match tab {
                    Tab::Problems => format!("Problems ({})", self.analysis.problems.len()),
                    Tab::Compliance => format!("Data law ({})", self.analysis.report.failures().count()),
                    Tab::Cost => match &self.analysis.bill {
                        Ok(b) => format!("Cost (${:.0}/mo)", b.total_usd_per_month),
                        Err(_) => "Cost".to_owned(),
                    },
                    Tab::Simulation => tab.label().to_owned(),
                };
                ui.selectable_value(&mut self.tab, tab, label);
            }
            if let Some((m, _)) = &self.message {
                ui.separator();
                ui.label(egui::RichText::new(m).color(super::theme::Palette::of(ui.visuals()).warning));
            }
        });
        ui.separator();
        match self.tab {
            Tab::Problems => {
                if let Some(e) = problems_ui(ui, &self.analysis.problems) {
                    self.selection = BTreeSet::from([e]);
                }
            }
            Tab::Compliance => {
                match compliance_ui(
                    ui,
                    &self.analysis.report,
                    &self.analysis.policies,
                    &self.analysis.enabled_packs,
                ) {
                    Some(ComplianceEvent::Select(e)) => self.selection = BTreeSet::from([e]),
                    Some(ComplianceEvent::Toggle(name)) => {
                        if !self.analysis.enabled_packs.remove(&name) {
                            self.analysis.enabled_packs.insert(name);
                        }
                        self.analysis.invalidate();
                    }
                    None => {}
                }
            }
            Tab::Cost => {
                if let Some(CostEvent::Commitment(c)) =
                    cost_ui(ui, &self.analysis.bill, self.analysis.cost_options.commitment)
                {
                    self.analysis.cost_options.commitment = c;
                    self.analysis.invalidate();
                }
            }
            Tab::Simulation => {
                if let Some(SimEvent::Run) = sim_ui(ui, &mut self.sim, self.editor.revision()) {
                    self.sim.start(self.editor.design(), self.catalog, self.editor.revision());
                }
            }
        }
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

    pub(super) fn dialogs_mut(&mut self) -> &mut Dialogs {
        &mut self.dialogs
    }

    pub(super) fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    pub(super) fn native_dialogs(&self) -> bool {
        self.native_dialogs
    }

    pub(super) fn notify(&mut self, message: impl Into<String>) {
        self.tell(message);
    }

    /// Replaces the design with the recovered one; it stays unsaved.
    pub(super) fn recover(&mut self, design: &Design, origin: &str) {
        let path = PathBuf::from(origin);
        self.files.path = path.exists().then_some(path);
        self.editor = Editor::new(Design::new("recovering"));
        // Loading the recovered design through a command keeps it undoable and marks it unsaved.
        let file = meridian_model::format::to_file(design);
        let mut cmds = vec![
            Command::SetName(file.name.clone()),
            Command::SetDescription(file.description.clone()),
            Command::SetWorkload(file.workload.clone()),
            Command::SetResilience(file.resilience.clone()),
        ];
        cmds.extend(file.regions.into_iter().map(Command::AddRegion));
        cmds.extend(file.services.into_iter().map(Command::AddService));
        cmds.extend(file.links.into_iter().map(Command::AddLink));
        cmds.extend(file.populations.into_iter().map(Command::AddPopulation));
        cmds.extend(file.layout.into_iter().map(|(r, c)| Command::MoveRegion(r, Some(c))));
        self.apply(Command::Batch(cmds));
        self.canvas.invalidate();
        self.canvas.request_fit();
        self.tell("Recovered unsaved changes: save them to keep them.");
    }

    pub(super) fn discard_recovery(&mut self) {
        self.files.discard_recovery();
    }
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
