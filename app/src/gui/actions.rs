//! Every action the designer offers. Menus, keyboard shortcuts and the command palette all read
//! this one list, so each action has one label and one shortcut everywhere.

use egui::{Key, KeyboardShortcut, Modifiers};

/// A user-level action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Start a new, empty design.
    New,
    /// Open a design file.
    Open,
    /// Save the design to its file.
    Save,
    /// Save the design to a new file.
    SaveAs,
    /// Export the design as infrastructure code.
    Export,
    /// Read CloudFormation or Terraform into a new, unsaved design.
    Import,
    /// Write the design's HTML report.
    ExportReport,
    /// Export the picture of the whole design as PNG or SVG (the report's renderer).
    ExportPicture,
    /// Export the picture of the part of the design in view as PNG or SVG.
    ExportViewPicture,
    /// Quit the application.
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Delete the selection.
    Delete,
    /// Duplicate the selection.
    Duplicate,
    /// Copy the selection.
    Copy,
    /// Paste copied entities.
    Paste,
    /// Select everything.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Add a region to the design.
    AddRegion,
    /// Add a user population.
    AddPopulation,
    /// Add a sticky note to the schematic canvas.
    AddNote,
    /// Add a group box (a VPC, subnet, account or team) to the schematic canvas.
    AddGroupBox,
    /// Fit the whole design in view.
    ZoomToFit,
    /// Fit the selection in view.
    ZoomToSelection,
    /// Lay every card out automatically again (tiers by category).
    TidyLayout,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Switch between the geographic and the schematic view.
    ToggleMode,
    /// Switch between the light and the dark theme.
    ToggleTheme,
    /// Show or hide the minimap.
    ToggleMinimap,
    /// Show or hide the legend.
    ToggleLegend,
    /// Open the compare view.
    Compare,
    /// Compare the design with its saved version (the Changes window).
    Changes,
    /// Run the simulation panel's scenario on the design and show its tab.
    RunSimulation,
    /// Open the command palette.
    CommandPalette,
    /// Show the keyboard shortcuts.
    Shortcuts,
    /// Show information about Meridian.
    About,
}

impl Action {
    /// Every action, in menu order.
    pub const ALL: [Action; 37] = [
        Action::New,
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::Export,
        Action::Import,
        Action::ExportReport,
        Action::ExportPicture,
        Action::ExportViewPicture,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::Delete,
        Action::Duplicate,
        Action::Copy,
        Action::Paste,
        Action::SelectAll,
        Action::SelectNone,
        Action::AddRegion,
        Action::AddPopulation,
        Action::AddNote,
        Action::AddGroupBox,
        Action::ZoomToFit,
        Action::ZoomToSelection,
        Action::TidyLayout,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ToggleMode,
        Action::ToggleTheme,
        Action::ToggleMinimap,
        Action::ToggleLegend,
        Action::Compare,
        Action::Changes,
        Action::RunSimulation,
        Action::CommandPalette,
        Action::Shortcuts,
        Action::About,
    ];

    /// The label shown in menus and the palette.
    pub fn label(self) -> &'static str {
        match self {
            Action::New => "New design",
            Action::Open => "Open…",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::Export => "Export infrastructure code…",
            Action::Import => "Import infrastructure code…",
            Action::ExportReport => "Export report…",
            Action::ExportPicture => "Export picture of the design (PNG or SVG)…",
            Action::ExportViewPicture => "Export picture of the view (PNG or SVG)…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Delete => "Delete selection",
            Action::Duplicate => "Duplicate selection",
            Action::Copy => "Copy",
            Action::Paste => "Paste",
            Action::SelectAll => "Select all",
            Action::SelectNone => "Select none",
            Action::AddRegion => "Add region…",
            Action::AddPopulation => "Add user population",
            Action::AddNote => "Add note",
            Action::AddGroupBox => "Add group box (VPC, subnet, account, team)",
            Action::ZoomToFit => "Zoom to fit",
            Action::ZoomToSelection => "Zoom to selection",
            Action::TidyLayout => "Tidy layout (automatic)",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ToggleMode => "Switch geographic / schematic view",
            Action::ToggleTheme => "Switch light / dark theme",
            Action::ToggleMinimap => "Show / hide minimap",
            Action::ToggleLegend => "Show / hide legend",
            Action::Compare => "Compare designs and strategies…",
            Action::Changes => "Changes since saved…",
            Action::RunSimulation => "Run simulation",
            Action::CommandPalette => "Command palette…",
            Action::Shortcuts => "Keyboard shortcuts",
            Action::About => "About Meridian",
        }
    }

    /// The keyboard shortcut, if the action has one.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let none = Modifiers::NONE;
        let (mods, key) = match self {
            Action::New => (cmd, Key::N),
            Action::Open => (cmd, Key::O),
            Action::Save => (cmd, Key::S),
            Action::SaveAs => (cmd_shift, Key::S),
            Action::Export => (cmd, Key::E),
            Action::ExportReport => (cmd_shift, Key::E),
            Action::Quit => (cmd, Key::Q),
            Action::Undo => (cmd, Key::Z),
            Action::Redo => (cmd_shift, Key::Z),
            Action::Delete => (none, Key::Delete),
            Action::Duplicate => (cmd, Key::D),
            Action::Copy => (cmd, Key::C),
            Action::Paste => (cmd, Key::V),
            Action::SelectAll => (cmd, Key::A),
            Action::SelectNone => (none, Key::Escape),
            Action::AddRegion => (cmd_shift, Key::R),
            Action::AddPopulation => (cmd_shift, Key::U),
            Action::ZoomToFit => (none, Key::F),
            Action::ZoomToSelection => (Modifiers::SHIFT, Key::F),
            Action::ZoomIn => (cmd, Key::Plus),
            Action::ZoomOut => (cmd, Key::Minus),
            Action::ToggleMode => (none, Key::M),
            Action::ToggleTheme => (cmd_shift, Key::T),
            Action::ToggleMinimap => (cmd_shift, Key::M),
            Action::ToggleLegend => (none, Key::L),
            Action::Compare => (cmd_shift, Key::C),
            Action::RunSimulation => (none, Key::F5),
            Action::CommandPalette => (cmd, Key::K),
            Action::Shortcuts => (none, Key::F1),
            Action::About
            | Action::ExportPicture
            | Action::ExportViewPicture
            | Action::TidyLayout
            | Action::AddNote
            | Action::AddGroupBox
            | Action::Import
            | Action::Changes => return None,
        };
        Some(KeyboardShortcut::new(mods, key))
    }

    /// Other shortcuts that also trigger the action (Ctrl+Y for redo, Ctrl+Shift+P for the palette).
    pub fn alternative_shortcuts(self) -> Vec<KeyboardShortcut> {
        match self {
            Action::Redo => vec![KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)],
            Action::CommandPalette => {
                vec![KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::P)]
            }
            Action::Delete => vec![KeyboardShortcut::new(Modifiers::NONE, Key::Backspace)],
            Action::ZoomIn => vec![KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals)],
            _ => Vec::new(),
        }
    }

    /// Whether the shortcut must not fire while a text field has focus (single keys would eat typing).
    pub fn needs_canvas_focus(self) -> bool {
        matches!(
            self,
            Action::Delete
                | Action::Copy
                | Action::Paste
                | Action::SelectAll
                | Action::SelectNone
                | Action::ZoomToFit
                | Action::ZoomToSelection
                | Action::ToggleLegend
                | Action::ToggleMode
                | Action::Undo
                | Action::Redo
        )
    }

    /// The menu the action appears in.
    pub fn menu(self) -> &'static str {
        match self {
            Action::New
            | Action::Open
            | Action::Save
            | Action::SaveAs
            | Action::Export
            | Action::Import
            | Action::ExportReport
            | Action::ExportPicture
            | Action::ExportViewPicture
            | Action::Quit => "File",
            Action::Undo
            | Action::Redo
            | Action::Delete
            | Action::Duplicate
            | Action::Copy
            | Action::Paste
            | Action::SelectAll
            | Action::SelectNone
            | Action::AddRegion
            | Action::AddPopulation
            | Action::AddNote
            | Action::AddGroupBox
            | Action::TidyLayout => "Edit",
            Action::ZoomToFit
            | Action::ZoomToSelection
            | Action::ZoomIn
            | Action::ZoomOut
            | Action::ToggleMode
            | Action::ToggleTheme
            | Action::ToggleMinimap
            | Action::ToggleLegend
            | Action::Compare
            | Action::Changes
            | Action::RunSimulation
            | Action::CommandPalette => "View",
            Action::Shortcuts | Action::About => "Help",
        }
    }
}
