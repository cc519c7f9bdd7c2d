//! The designer's commands: every change a widget asks for, sent into one queue that
//! `MeridianApp` drains once per frame (`app/command_handling.rs`), the only place that talks to
//! the model's `Editor`. Menus, dialogs, panels, the canvas, the inspector and the palette read
//! the app through a [`ViewContext`](super::context::ViewContext) and write only by sending
//! these.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use meridian_model::cost::Commitment;
use meridian_model::{Command, EntityRef, ServiceKind};

use super::actions::Action;
use super::files::Recovered;

/// What a widget asks the app to do.
#[derive(Debug, Clone)]
pub enum AppCommand {
    /// Run a user action (a menu item, shortcut, toolbar button or palette entry).
    Run(Action),
    /// Apply a model command as one undo step.
    Apply(Command),
    /// Apply an edit of one field of the inspector.
    Edit(FieldEdit),
    /// Replace the selection.
    Select(BTreeSet<EntityRef>),
    /// Tell the user something on the message line (e.g. why a link cannot be made).
    Tell(String),
    /// Add a service of this kind to the selected region, or the global band (the palette).
    AddKind(ServiceKind),
    /// Add the region with this code (the add-region dialog).
    AddRegion(String),
    /// Open this file, asking first about unsaved changes, as Open does (Open recent).
    OpenRecent(PathBuf),
    /// A path was typed into the path prompt.
    PathChosen(PathPurpose, PathBuf),
    /// Save, then carry out what waited for the unsaved-changes question.
    SaveThen(Pending),
    /// Discard the unsaved changes and carry out what waited.
    DiscardThen(Pending),
    /// Replace the design with the autosaved work found at start.
    Recover(Box<Recovered>),
    /// Delete the autosaved work found at start.
    DiscardRecovery,
    /// Switch a data-law policy pack on or off.
    TogglePack(String),
    /// Price the design with another commitment.
    SetCommitment(Commitment),
}

/// An edit of one inspector field: a command, and the field's key. Consecutive edits with the
/// same key merge into one undo step (typing a name is one step), and a refusal is shown under
/// the field with that key.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldEdit {
    /// The command.
    pub command: Command,
    /// The field's key.
    pub key: String,
}

/// What waits for an answer about unsaved changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Start a new design.
    New,
    /// Ask for a file to open.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Ask for infrastructure code to import.
    Import,
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
    /// Export the picture of the whole design (PNG or SVG, by the extension).
    ExportPicture,
    /// Import infrastructure code (templates, a Terraform folder or plan).
    Import,
    /// Export the picture of the part of the design in view.
    ExportViewPicture,
}

impl PathPurpose {
    /// Whether the path is where a picture goes.
    pub fn is_picture(self) -> bool {
        matches!(self, PathPurpose::ExportPicture | PathPurpose::ExportViewPicture)
    }
}

/// The sending end of the queue; widgets reach it through the view context, and tests and
/// scripts through `MeridianApp::commands`.
#[derive(Debug, Clone)]
pub struct CommandSender(Sender<AppCommand>);

impl CommandSender {
    /// Queues `command` for the app's next drain (at the end of this frame).
    pub fn send(&self, command: AppCommand) {
        // The receiver lives as long as the app that owns both ends; a send after the app is
        // gone has nobody to act on it, so there is nothing to report.
        let _ = self.0.send(command);
    }
}

/// The receiving end, owned by the app.
#[derive(Debug)]
pub struct CommandReceiver(Receiver<AppCommand>);

impl CommandReceiver {
    /// The next queued command, if any.
    pub fn recv(&self) -> Option<AppCommand> {
        self.0.try_recv().ok()
    }
}

/// A new, empty queue.
pub fn command_queue() -> (CommandSender, CommandReceiver) {
    let (tx, rx) = channel();
    (CommandSender(tx), CommandReceiver(rx))
}
