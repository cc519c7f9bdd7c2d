//! Undo and redo over [`Command`]s, for the GUI and for scripted edits.

use crate::catalog::Catalog;
use crate::check::CommandError;
use crate::command::{Command, apply};
use crate::design::Design;

use std::sync::atomic::{AtomicU64, Ordering};

/// Which design an [`Editor`] holds and which revision of it: the key of every cache of figures
/// derived from a design (bill, data-law report, simulation results). Two editors never share an
/// identity (a clone gets a fresh one), so after New or Open no figure of the previous design
/// matches, even though both start at revision 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DesignStamp {
    /// The editor the design is edited in, unique within the process.
    pub identity: u64,
    /// The revision of the design in that editor ([`Editor::revision`]).
    pub revision: u64,
}

/// The process-unique identity of an editor; cloning draws a fresh one.
#[derive(Debug, PartialEq, Eq)]
struct Identity(u64);

static NEXT_IDENTITY: AtomicU64 = AtomicU64::new(1);

impl Identity {
    fn fresh() -> Self {
        Identity(NEXT_IDENTITY.fetch_add(1, Ordering::Relaxed))
    }
}

impl Clone for Identity {
    fn clone(&self) -> Self {
        Identity::fresh()
    }
}

/// One undoable step.
#[derive(Debug, Clone)]
struct Step {
    label: String,
    forward: Command,
    inverse: Command,
    /// Steps with the same key, applied one after another, merge into one (typing in a field).
    merge_key: Option<String>,
    /// Revision of the design before and after the step.
    before: u64,
    after: u64,
}

/// A design with its undo and redo history. Every change goes through [`Editor::apply`].
#[derive(Debug, Clone)]
pub struct Editor {
    design: Design,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Counts changes; compared with `saved_at` to tell whether there are unsaved changes.
    revision: u64,
    saved_at: Option<u64>,
    next_revision: u64,
    identity: Identity,
}

impl Editor {
    /// Starts editing `design`, which counts as saved.
    pub fn new(design: Design) -> Self {
        Editor {
            design,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            saved_at: Some(0),
            next_revision: 1,
            identity: Identity::fresh(),
        }
    }

    /// Starts editing `design` that no file holds as it is (work recovered after a crash): it
    /// counts as unsaved until [`Editor::mark_saved`], with nothing to undo.
    pub fn unsaved(design: Design) -> Self {
        Editor { saved_at: None, ..Editor::new(design) }
    }

    /// The design as it is now.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// Applies `command` as a new undo step.
    pub fn apply(&mut self, catalog: &Catalog, command: Command) -> Result<(), CommandError> {
        self.push(catalog, command, None)
    }

    /// Applies `command`, merging it into the previous step if that had the same `merge_key`,
    /// so that typing a name letter by letter is one undo step.
    pub fn apply_merged(
        &mut self,
        catalog: &Catalog,
        command: Command,
        merge_key: &str,
    ) -> Result<(), CommandError> {
        self.push(catalog, command, Some(merge_key.to_owned()))
    }

    /// Ends merging: the next [`Editor::apply_merged`] starts a new step even with the same key.
    pub fn seal(&mut self) {
        if let Some(last) = self.undo.last_mut() {
            last.merge_key = None;
        }
    }

    fn push(
        &mut self,
        catalog: &Catalog,
        command: Command,
        merge_key: Option<String>,
    ) -> Result<(), CommandError> {
        let label = command.label();
        let inverse = apply(&mut self.design, catalog, command.clone())?;
        self.redo.clear();
        let after = self.next_revision;
        self.next_revision += 1;
        match self.undo.last_mut() {
            Some(last) if merge_key.is_some() && last.merge_key == merge_key => {
                // Keep the oldest inverse: undoing the merged step restores the state before the first edit.
                let first = std::mem::replace(&mut last.forward, Command::Batch(Vec::new()));
                last.forward = Command::Batch(vec![first, command]);
                last.after = after;
            }
            _ => self.undo.push(Step {
                label,
                forward: command,
                inverse,
                merge_key,
                before: self.revision,
                after,
            }),
        }
        self.revision = after;
        Ok(())
    }

    /// Undoes the last step; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, catalog: &Catalog) -> Result<Option<String>, CommandError> {
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        match apply(&mut self.design, catalog, step.inverse.clone()) {
            Ok(_) => {
                let label = step.label.clone();
                self.revision = step.before;
                self.redo.push(Step { merge_key: None, ..step });
                Ok(Some(label))
            }
            Err(e) => {
                self.undo.push(step);
                Err(e)
            }
        }
    }

    /// Redoes the last undone step; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self, catalog: &Catalog) -> Result<Option<String>, CommandError> {
        let Some(step) = self.redo.pop() else {
            return Ok(None);
        };
        match apply(&mut self.design, catalog, step.forward.clone()) {
            Ok(inverse) => {
                let label = step.label.clone();
                self.revision = step.after;
                self.undo.push(Step { inverse, ..step });
                Ok(Some(label))
            }
            Err(e) => {
                self.redo.push(step);
                Err(e)
            }
        }
    }

    /// Label of the step [`Editor::undo`] would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// Label of the step [`Editor::redo`] would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Whether the design differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.saved_at != Some(self.revision)
    }

    /// Records that the design as it is now has been saved.
    pub fn mark_saved(&mut self) {
        self.saved_at = Some(self.revision);
    }

    /// A number that changes whenever the design changes, for caches of derived figures.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The design's identity and revision: unlike [`Editor::revision`], it differs between two
    /// editors (after New or Open), so caches keyed by it never show another design's figures.
    pub fn stamp(&self) -> DesignStamp {
        DesignStamp { identity: self.identity.0, revision: self.revision }
    }
}

#[cfg(test)]
mod tests {
    use super::Editor;
    use crate::design::Design;

    #[test]
    fn an_unsaved_editor_is_dirty_until_saved_and_has_nothing_to_undo() {
        let mut editor = Editor::unsaved(Design::new("recovered"));
        assert!(editor.is_dirty());
        assert_eq!(editor.undo_label(), None);
        editor.mark_saved();
        assert!(!editor.is_dirty());
        assert!(!Editor::new(Design::new("opened")).is_dirty());
    }

    #[test]
    fn two_editors_at_revision_zero_have_different_stamps() {
        let a = Editor::new(Design::new("a"));
        let b = Editor::new(Design::new("a"));
        assert_eq!((a.revision(), b.revision()), (0, 0));
        assert_ne!(a.stamp(), b.stamp(), "New or Open must not match the previous design's caches");
        assert_ne!(a.clone().stamp(), a.stamp(), "a clone is edited apart, so it is another design");
        assert_eq!(a.stamp(), a.stamp());
    }
}
