//! The read-only view of the app that every widget gets for one frame: the design and its undo
//! history, the catalog, the selection, the derived figures, the file, preferences shown in
//! menus, and the sender of the command queue, the only way a widget changes anything outside
//! its own state.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use meridian_model::{Catalog, Design, Editor, EntityRef};

use super::analysis::Analysis;
use super::canvas::ViewMode;
use super::command::{AppCommand, CommandSender};

/// Shared references to what widgets read, and where they send commands.
pub struct ViewContext<'a> {
    /// The catalog.
    pub catalog: &'static Catalog,
    /// The design with its undo history (labels, unsaved changes, revision).
    pub editor: &'a Editor,
    /// Selected entities.
    pub selection: &'a BTreeSet<EntityRef>,
    /// Problems, the bill and the data-law report of the design as it is.
    pub analysis: &'a Analysis,
    /// The design's file, if it has one.
    pub file: Option<&'a Path>,
    /// Recent files, newest first.
    pub recent: &'a [PathBuf],
    /// The canvas's view mode.
    pub mode: ViewMode,
    /// The canvas's zoom (screen points per canvas unit).
    pub zoom: f32,
    /// The message shown to the user last.
    pub message: Option<&'a str>,
    /// Whether the desktop's file dialogs are used (off in tests).
    pub native_dialogs: bool,
    /// Where commands go.
    pub commands: &'a CommandSender,
}

impl<'a> ViewContext<'a> {
    /// The design being edited.
    pub fn design(&self) -> &'a Design {
        self.editor.design()
    }

    /// Queues a command for the app to carry out at the end of the frame.
    pub fn send(&self, command: AppCommand) {
        self.commands.send(command);
    }
}
