//! Where an export's files go as they are produced: [`ExportSink`], taken by
//! [`crate::export_to`]. A writer hands each file over as soon as it is rendered and keeps no
//! copy, so an export of a large design never holds all its files at once. Two sinks: a
//! `Vec<ExportFile>` (in memory, what [`crate::export`] and the tests use) and
//! [`meridian_model::format::Staging`] (the safe-write module's staging folder, whose commit moves
//! every file in at once). Of its siblings this module uses only `bundle`.

use std::path::Path;

use meridian_model::format::Staging;

use crate::bundle::{ExportError, ExportFile};

/// Takes the files of an export one at a time.
pub trait ExportSink {
    /// Takes one finished file (path relative to the output folder).
    ///
    /// # Errors
    /// When the file cannot be kept (a staging folder that cannot be written).
    fn file(&mut self, file: ExportFile) -> Result<(), ExportError>;

    /// Forgets every file taken so far: the export starts again (after renaming ids whose derived
    /// names clashed), and a file of the earlier round must not survive into the output.
    ///
    /// # Errors
    /// When the files taken so far cannot be removed.
    fn restart(&mut self) -> Result<(), ExportError>;
}

/// Keeps the files in memory, in the order taken.
impl ExportSink for Vec<ExportFile> {
    fn file(&mut self, file: ExportFile) -> Result<(), ExportError> {
        self.push(file);
        Ok(())
    }

    fn restart(&mut self) -> Result<(), ExportError> {
        self.clear();
        Ok(())
    }
}

/// Writes each file into the staging folder (flushed); nothing reaches the output folder before
/// [`Staging::commit`].
impl ExportSink for Staging {
    fn file(&mut self, file: ExportFile) -> Result<(), ExportError> {
        Ok(self.stage(Path::new(&file.path), file.bytes())?)
    }

    fn restart(&mut self) -> Result<(), ExportError> {
        Ok(self.discard()?)
    }
}

/// A sink that records the paths it passes on to another.
pub(crate) struct Recording<'s> {
    inner: &'s mut dyn ExportSink,
    /// The paths taken since the last restart, in order.
    pub(crate) paths: Vec<String>,
}

impl<'s> Recording<'s> {
    pub(crate) fn new(inner: &'s mut dyn ExportSink) -> Self {
        Recording { inner, paths: Vec::new() }
    }
}

impl ExportSink for Recording<'_> {
    fn file(&mut self, file: ExportFile) -> Result<(), ExportError> {
        self.paths.push(file.path.clone());
        self.inner.file(file)
    }

    fn restart(&mut self) -> Result<(), ExportError> {
        self.paths.clear();
        self.inner.restart()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    #[test]
    fn a_staging_sink_moves_in_only_the_files_of_the_last_round_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut staging = Staging::begin(&out).unwrap();
        let sink: &mut dyn ExportSink = &mut staging;
        sink.file(ExportFile::text("old.yaml", "first round")).unwrap();
        sink.restart().unwrap();
        sink.file(ExportFile::text("a/b.yaml", "kept")).unwrap();
        // Nothing is in the output folder before the commit but the staging folder.
        let before: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(before.len(), 1, "{before:?}");
        staging.commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/b.yaml")).unwrap(), "kept");
        assert!(!out.join("old.yaml").exists());
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "the staging folder is gone");
    }

    #[test]
    fn a_staging_sink_dropped_without_commit_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mine.txt"), "mine").unwrap();
        {
            let mut staging = Staging::begin(dir.path()).unwrap();
            staging.file(ExportFile::text("DEPLOY.md", "new")).unwrap();
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("mine.txt")]);
    }
}
