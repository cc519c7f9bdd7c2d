//! Files: opening, saving, recent files, autosave and crash recovery.

use std::path::{Path, PathBuf};
use std::time::Duration;

use meridian_model::format::{self, Loaded};
use meridian_model::{Catalog, Design, DesignStamp};

/// How often the working copy is autosaved to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_mins(1);

/// The most recent files remembered.
const MAX_RECENT: usize = 8;

/// The file behind the design being edited, and where it recovers from after a crash.
#[derive(Debug, Clone)]
pub struct FileState {
    /// The design's file, if it has been saved or opened.
    pub path: Option<PathBuf>,
    /// The comment block at the top of the file, kept on save.
    pub header: String,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The recovery file autosave writes to (none: autosave off).
    pub recovery: Option<PathBuf>,
    /// When autosave last wrote, in seconds of the UI's clock (egui's input time).
    last_autosave: f64,
    /// The design as autosave last wrote it (nothing to write again until it changes).
    autosaved: Option<DesignStamp>,
}

impl FileState {
    /// No file yet; autosave writes to `recovery` if given.
    pub fn new(recovery: Option<PathBuf>) -> Self {
        FileState {
            path: None,
            header: String::new(),
            recent: Vec::new(),
            recovery,
            last_autosave: 0.0,
            autosaved: None,
        }
    }

    /// The file name for the title bar.
    pub fn display_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| "unsaved design".to_owned(), |n| n.to_string_lossy().into_owned())
    }

    /// Remembers `path` as the most recent file.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(MAX_RECENT);
    }

    /// Loads the design at `path`.
    pub fn open(&mut self, path: &Path, catalog: &Catalog) -> Result<Design, format::LoadError> {
        let Loaded { design, header } = format::load_file(path, catalog)?;
        self.path = Some(path.to_owned());
        self.header = header;
        self.remember(path);
        Ok(design)
    }

    /// Saves `design` to `path` atomically (keeping a `.bak`), and makes it the design's file.
    pub fn save_as(&mut self, design: &Design, path: &Path) -> Result<(), format::SaveError> {
        format::save_file(design, &self.header, path)?;
        self.path = Some(path.to_owned());
        self.remember(path);
        self.discard_recovery();
        Ok(())
    }

    /// Writes the working copy to the recovery file if it has unsaved changes autosave has not
    /// written and a minute has passed since the last write, `now` being the UI clock in seconds.
    /// Returns an error message if writing failed, and how long until the next write is due if
    /// one is waiting: the caller asks for a frame then (`request_repaint_after`), so the write
    /// happens while the user is idle, not only on the next input.
    pub fn autosave_if_due(
        &mut self,
        design: &Design,
        stamp: DesignStamp,
        dirty: bool,
        now: f64,
    ) -> (Option<String>, Option<Duration>) {
        if self.recovery.is_none() || !dirty || self.autosaved == Some(stamp) {
            return (None, None);
        }
        let waited = (now - self.last_autosave).max(0.0);
        let every = AUTOSAVE_EVERY.as_secs_f64();
        if waited < every {
            return (None, Some(Duration::from_secs_f64(every - waited)));
        }
        self.last_autosave = now;
        self.autosaved = Some(stamp);
        (self.autosave(design).err(), None)
    }

    /// Writes the working copy to the recovery file now: the design in the file format, under
    /// the design file's own header with one line in front saying whose work it is.
    pub fn autosave(&self, design: &Design) -> Result<(), String> {
        let Some(recovery) = &self.recovery else { return Ok(()) };
        if let Some(dir) = recovery.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("autosave: {e}"))?;
        }
        let origin = self.path.as_ref().map_or_else(|| UNSAVED.to_owned(), |p| p.display().to_string());
        let header = format!("{RECOVERY_LINE}{origin}\n{}", self.header);
        let text = format::to_string(design, &header).map_err(|e| format!("autosave: {e}"))?;
        format::write_atomic(recovery, &text, false).map_err(|e| e.to_string())
    }

    /// Removes the recovery file (after a save, or when the user discards it).
    pub fn discard_recovery(&self) {
        if let Some(r) = &self.recovery {
            let _ = std::fs::remove_file(r);
        }
    }

    /// A recovery file left by a previous run, loaded by the same loader as Open, so it keeps
    /// everything the file format keeps. A recovery file that does not load is left alone.
    pub fn pending_recovery(&self, catalog: &Catalog) -> Option<Recovered> {
        let r = self.recovery.as_ref()?;
        let Loaded { design, header } = format::load_file(r, catalog).ok()?;
        let (first, rest) = header.split_once('\n').unwrap_or((header.as_str(), ""));
        let origin = match first.strip_prefix(RECOVERY_LINE) {
            Some(UNSAVED) | None => None,
            Some(path) => Some(PathBuf::from(path)),
        };
        Some(Recovered { design, header: rest.to_owned(), origin })
    }

    /// Takes over a recovered design's file: its path (if that file still exists) and header.
    pub fn adopt(&mut self, recovered: &Recovered) {
        self.path = recovered.origin.clone().filter(|p| p.exists());
        self.header.clone_from(&recovered.header);
    }
}

/// The first line of a recovery file, before the path of the design's file.
const RECOVERY_LINE: &str = "// Meridian recovery file: unsaved changes to ";

/// What the first line says when the design had no file.
const UNSAVED: &str = "(unsaved)";

/// Work autosaved by a run that did not close cleanly.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovered {
    /// The design as autosaved.
    pub design: Design,
    /// The comment block of the design's own file (kept on the next save).
    pub header: String,
    /// The design's file, if it had one.
    pub origin: Option<PathBuf>,
}

impl Recovered {
    /// The design's file for messages, or that it had none.
    pub fn origin_label(&self) -> String {
        self.origin.as_ref().map_or_else(|| "an unsaved design".to_owned(), |p| p.display().to_string())
    }
}
