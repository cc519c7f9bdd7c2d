//! Multi-file outputs (export bundles, plots): every file is written and flushed in a staging
//! folder first, then moved in, so a failure while writing (a full disk, Ctrl+C, `kill -9`) leaves
//! the output folder as it was, never a mix of old and new files.
//!
//! The staging folder is `OUT/.meridian-output.PID.staging`, inside the output folder (so moving a
//! file in is a rename on the same file system and needs no rights outside it); one left by a
//! process that no longer runs is removed by the next write. Moving in is one rename per file,
//! each atomic; files already in the folder that the output does not name are left alone.
//!
//! Once every file is staged, a commit list (`COMMIT` in the staging folder, naming the files) is
//! written and flushed before the first file is moved in. A process killed while moving files in
//! leaves that list behind, and the next write to the folder finishes moving the staged files in
//! before it does anything else (rolls forward); a staging folder without the list is thrown away
//! (rolled back). So after an interruption the folder holds the old set or, once anything writes
//! to it again, the whole new set: never a mix that stays.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::error::SaveError;
use super::save::{process_alive, remove_stale_temporaries, sync_folder, write_atomic};

const STAGING: &str = "meridian-output";

/// The commit list's name in the staging folder: the staged files' paths, one per line.
const COMMIT: &str = ".meridian-commit";

/// Writes `files` (paths relative to `out`, with their bytes) into the folder `out`, created if
/// missing: all staged first, then moved in. Returns the paths written, in order.
pub fn write_files<B: AsRef<[u8]>>(out: &Path, files: &[(PathBuf, B)]) -> Result<Vec<PathBuf>, SaveError> {
    for (rel, _) in files {
        check_relative(out, rel)?;
    }
    let mut staging = Staging::begin(out)?;
    for (rel, bytes) in files {
        staging.stage(rel, bytes.as_ref())?;
    }
    staging.commit()
}

/// A multi-file output being written: files are staged one at a time as they are produced (so
/// the caller need not hold them all in memory), then [`Staging::commit`] moves them all in.
/// Dropped without a commit (an error, a panic), it removes its staging folder and the output
/// folder is left as it was.
#[derive(Debug)]
pub struct Staging {
    /// The output folder.
    out: PathBuf,
    /// The staging folder inside it.
    dir: PathBuf,
    /// The staged files, relative to `out`, in the order first staged.
    files: Vec<PathBuf>,
}

impl Staging {
    /// Starts an output into the folder `out`, created if missing: finishes or drops what an
    /// interrupted write left there, then creates this process's staging folder.
    pub fn begin(out: &Path) -> Result<Self, SaveError> {
        let io = io_error(out);
        if out.exists() && !out.is_dir() {
            return Err(io("create the folder")(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "it is a file, not a folder",
            )));
        }
        fs::create_dir_all(out).map_err(io("create the folder"))?;
        finish_interrupted(out);
        remove_stale_temporaries(out, STAGING);
        let dir = out.join(format!(".{STAGING}.{}.staging", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir(&dir).map_err(io("create the staging folder"))?;
        Ok(Staging { out: out.to_owned(), dir, files: Vec::new() })
    }

    /// Writes and flushes one file (`rel`, relative to the output folder) into the staging
    /// folder; staging the same path again replaces it.
    pub fn stage(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), SaveError> {
        check_relative(&self.out, rel)?;
        let io = io_error(&self.out);
        let staged = self.dir.join(rel);
        if let Some(d) = staged.parent() {
            fs::create_dir_all(d).map_err(io("create the staging folder"))?;
        }
        if self.files.iter().any(|f| f == rel) {
            fs::remove_file(&staged).map_err(io("write a staged file"))?;
        } else {
            self.files.push(rel.to_owned());
        }
        write_staged(&staged, bytes).map_err(io("write a staged file"))
    }

    /// Throws away every file staged so far (an output that is produced again from the start).
    pub fn discard(&mut self) -> Result<(), SaveError> {
        let io = io_error(&self.out);
        fs::remove_dir_all(&self.dir).map_err(io("empty the staging folder"))?;
        fs::create_dir(&self.dir).map_err(io("create the staging folder"))?;
        self.files.clear();
        Ok(())
    }

    /// The files staged so far, relative to the output folder, in the order first staged.
    #[must_use]
    pub fn staged(&self) -> &[PathBuf] {
        &self.files
    }

    /// Moves every staged file in (after writing the commit list, see the module's
    /// documentation). Returns the paths written, in the order first staged.
    pub fn commit(self) -> Result<Vec<PathBuf>, SaveError> {
        let io = io_error(&self.out);
        // Refuse before moving anything: a folder where a file goes.
        for rel in &self.files {
            if fs::symlink_metadata(self.out.join(rel)).is_ok_and(|m| m.is_dir()) {
                return Err(SaveError::Io {
                    file: self.out.join(rel).display().to_string(),
                    step: "replace the file",
                    source: std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"),
                });
            }
        }
        // The commit point: from here on an interrupted write is finished by the next one.
        let list: String = self.files.iter().flat_map(|rel| [rel.to_string_lossy(), "\n".into()]).collect();
        write_staged(&self.dir.join(COMMIT), list.as_bytes()).map_err(io("write the commit list"))?;
        sync_folder(&self.dir);
        let mut written = Vec::with_capacity(self.files.len());
        for rel in &self.files {
            let target = self.out.join(rel);
            if let Some(d) = target.parent() {
                fs::create_dir_all(d).map_err(io("create the folder"))?;
            }
            move_in(&self.dir.join(rel), &target)?;
            written.push(target);
        }
        sync_folder(&self.out);
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// An [`SaveError::Io`] maker for a step of writing into `out`.
fn io_error(out: &Path) -> impl Fn(&'static str) -> Box<dyn FnOnce(std::io::Error) -> SaveError> {
    let shown = out.display().to_string();
    move |step| {
        let file = shown.clone();
        Box::new(move |source| SaveError::Io { file, step, source })
    }
}

/// Refuses a path that is not a plain relative path inside the output folder.
fn check_relative(out: &Path, rel: &Path) -> Result<(), SaveError> {
    if is_plain_relative(rel) {
        return Ok(());
    }
    Err(io_error(out)("name a file in the folder")(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("`{}` is not a plain relative path", rel.display()),
    )))
}

/// Finishes the writes into `out` that a process killed after its commit point left half done:
/// moves in every staged file its commit list names that is still staged. Best effort, as a
/// staging folder is removed; a staging folder without a commit list is left for
/// [`remove_stale_temporaries`] to remove.
fn finish_interrupted(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else { return };
    let prefix = format!(".{STAGING}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(&prefix)?.strip_suffix(".staging")) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || process_alive(pid) != Some(false) {
            continue;
        }
        let staging = entry.path();
        let Ok(list) = fs::read_to_string(staging.join(COMMIT)) else { continue };
        for rel in list.lines().map(PathBuf::from).filter(|r| is_plain_relative(r)) {
            let staged = staging.join(&rel);
            if !staged.is_file() {
                continue; // moved in before the kill
            }
            let target = out.join(&rel);
            if let Some(d) = target.parent() {
                let _ = fs::create_dir_all(d);
            }
            let _ = move_in(&staged, &target);
        }
        sync_folder(out);
        let _ = fs::remove_dir_all(&staging);
    }
}

/// Whether `rel` is a relative path of plain names (no root, no `..`, not empty, no line break:
/// the commit list holds one path a line).
fn is_plain_relative(rel: &Path) -> bool {
    rel.components().next().is_some()
        && rel.components().all(|c| matches!(c, Component::Normal(_)))
        && !rel.to_string_lossy().contains('\n')
}

fn write_staged(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Moves the staged file over `target`, keeping the target's permissions; a symlink at `target`
/// (whose file may be on another file system) is written through [`write_atomic`] instead.
fn move_in(staged: &Path, target: &Path) -> Result<(), SaveError> {
    let io = |step: &'static str| {
        let file = target.display().to_string();
        move |source| SaveError::Io { file, step, source }
    };
    match fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => {
            let bytes = fs::read(staged).map_err(io("read a staged file"))?;
            return write_atomic(target, bytes, false);
        }
        Ok(m) if m.is_dir() => {
            return Err(io("replace the file")(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a folder",
            )));
        }
        Ok(m) => fs::set_permissions(staged, m.permissions()).map_err(io("keep the file's permissions"))?,
        Err(_) => {}
    }
    fs::rename(staged, target).map_err(io("replace the file"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_failed_output_leaves_the_folder_as_it_was() {
        // Before: an interrupted `export --force` left a mix of old and new files.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_files(&out, &[(PathBuf::from("a.yaml"), "old a"), (PathBuf::from("b/b.yaml"), "old b")])
            .unwrap();
        // The second file cannot be written (a folder is in its way), so the first is not moved in.
        fs::remove_file(out.join("b/b.yaml")).unwrap();
        fs::create_dir(out.join("b/b.yaml")).unwrap();
        let e =
            write_files(&out, &[(PathBuf::from("a.yaml"), "new a"), (PathBuf::from("b/b.yaml"), "new b")]);
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(out.join("a.yaml")).unwrap(), "old a");
        let names: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no staging folder left: {names:?}");
    }

    #[test]
    fn files_are_written_and_other_files_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("plots");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let written = write_files(&out, &[(PathBuf::from("rto.svg"), "<svg/>")]).unwrap();
        assert_eq!(written, vec![out.join("rto.svg")]);
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 2);
    }

    #[test]
    fn a_write_killed_after_its_commit_point_is_finished_by_the_next_and_one_before_it_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_files(&out, &[(PathBuf::from("a.yaml"), "old a"), (PathBuf::from("b/b.yaml"), "old b")])
            .unwrap();
        // What a process killed after moving `a.yaml` in leaves: a staging folder with its commit
        // list and the staged `b/b.yaml`. Process ids above the kernel's maximum never run.
        let dead = out.join(".meridian-output.4194305000.staging");
        fs::create_dir_all(dead.join("b")).unwrap();
        fs::write(dead.join("b/b.yaml"), "new b").unwrap();
        fs::write(dead.join(COMMIT), "a.yaml\nb/b.yaml\n").unwrap();
        fs::write(out.join("a.yaml"), "new a").unwrap();
        // One killed before its commit point: thrown away.
        let early = out.join(".meridian-output.4194305001.staging");
        fs::create_dir_all(&early).unwrap();
        fs::write(early.join("a.yaml"), "other a").unwrap();
        write_files(&out, &[(PathBuf::from("c.txt"), "c")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.yaml")).unwrap(), "new a");
        assert_eq!(fs::read_to_string(out.join("b/b.yaml")).unwrap(), "new b");
        assert!(!dead.exists() && !early.exists());
    }

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", ""] {
            assert!(write_files(dir.path(), &[(PathBuf::from(bad), "x")]).is_err(), "{bad}");
        }
    }
}
