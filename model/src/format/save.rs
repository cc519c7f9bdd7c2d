//! Atomic saving: the file on disk is either the old design or the new one, never half of each.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::SaveError;
use crate::design::Design;

/// Saves `design` to `path` atomically, keeping the previous version as `NAME.ron.bak`.
///
/// Writes a temporary file in the same folder, flushes it to disk, copies the old file to the
/// backup, renames the temporary file over the original, and flushes the folder. On any error the
/// original is untouched and the temporary file is removed.
pub fn save_file(design: &Design, header: &str, path: &Path) -> Result<(), SaveError> {
    let text = super::to_string(design, header)
        .map_err(|e| SaveError::Serialize { file: path.display().to_string(), message: e.to_string() })?;
    write_atomic(path, &text, true)
}

/// Replaces the file at `path` with `contents` atomically, optionally keeping the old file as
/// `NAME.bak`: the one safe write of the workspace (designs, generated code, reports, charts,
/// price snapshots, batch manifests and reports all go through it).
///
/// Writes a temporary file beside `path` (named after it and this process), flushes it to disk,
/// renames it over `path` and flushes the folder. On any error `path` is untouched and the
/// temporary file is removed.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>, keep_backup: bool) -> Result<(), SaveError> {
    let file = path.display().to_string();
    let io = |step: &'static str| {
        let file = file.clone();
        move |source| SaveError::Io { file, step, source }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(|| "design.ron".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io("create temporary file"))?;
        f.write_all(contents.as_ref()).map_err(io("write temporary file"))?;
        f.sync_all().map_err(io("flush temporary file"))?;
        drop(f);
        if keep_backup && path.exists() {
            let bak = dir.join(format!("{name}.bak"));
            fs::copy(path, &bak).map_err(io("keep previous version as .bak"))?;
        }
        fs::rename(&tmp, path).map_err(io("replace the file"))?;
        // Flush the folder so the rename itself survives a crash (not possible on every platform).
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
