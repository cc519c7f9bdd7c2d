//! The one safe write of the workspace: a file on disk is either the old version or the new one,
//! never half of each, and writing it keeps what the user set up around it.
//!
//! [`write_atomic`] writes a temporary file in the target's folder (named after the target and
//! this process), flushes it to disk, gives it the target's permissions, renames it over the
//! target and flushes the folder. A symlink is followed, so its target is replaced and the link
//! stays a link; a folder is refused. Temporary files left by processes that no longer run
//! (`kill -9` in the middle of a write) are removed by the next write of the same file. Multi-file
//! outputs use [`super::staging::write_files`], which stages every file before any is moved in.
//! Designs ([`save_file`]) alone keep the previous version as `NAME.ron.bak`.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::SaveError;
use crate::design::Design;

/// Saves `design` to `path` atomically, keeping the previous version as `NAME.ron.bak`.
///
/// Writes a temporary file in the same folder, flushes it to disk, keeps the old file as the
/// backup, renames the temporary file over the original, and flushes the folder. On any error the
/// original is untouched and the temporary file is removed.
pub fn save_file(design: &Design, header: &str, path: &Path) -> Result<(), SaveError> {
    let text = super::to_string(design, header)
        .map_err(|e| SaveError::Serialize { file: path.display().to_string(), message: e.to_string() })?;
    write_atomic(path, &text, true)
}

/// Replaces the file at `path` with `contents` atomically, optionally keeping the old file as
/// `NAME.bak` (designs only: [`save_file`]): the one safe write of the workspace (designs,
/// generated code, reports, charts, JSON and CSV results, price snapshots, batch manifests and
/// reports all go through it).
///
/// A symlink at `path` is followed and its target replaced; a folder at `path` is refused; the
/// new file keeps the permissions of the file it replaces. On any error `path` is untouched and
/// the temporary file is removed.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>, keep_backup: bool) -> Result<(), SaveError> {
    let file = path.display().to_string();
    let io = |step: &'static str| {
        let file = file.clone();
        move |source| SaveError::Io { file, step, source }
    };
    let target = resolve_symlinks(path).map_err(io("follow the symlink"))?;
    let existing = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(io("look at the file")(e)),
    };
    if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
        return Err(io("replace the file")(std::io::Error::new(
            ErrorKind::IsADirectory,
            "it is a folder; give a file name",
        )));
    }
    // A device (`/dev/null`), pipe or socket is not replaced: renaming over it would, for root,
    // swap `/dev/null` for a regular file.
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(io("replace the file")(std::io::Error::new(
            ErrorKind::InvalidInput,
            "it is not a regular file (a device, pipe or socket); give a file name",
        )));
    }
    let dir = folder_of(&target);
    let name = target.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    remove_stale_temporaries(&dir, &name);
    let tmp = temporary_path(&dir, &name);
    let result = (|| {
        write_new(&tmp, contents.as_ref(), existing.as_ref().map(fs::Metadata::permissions))
            .map_err(io("write temporary file"))?;
        if keep_backup && existing.is_some() {
            keep_previous(&target, &dir, &name).map_err(io("keep previous version as .bak"))?;
        }
        fs::rename(&tmp, &target).map_err(io("replace the file"))?;
        sync_folder(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The folder holding `path` (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// `path` with every symlink at its end followed (at most 40, as the kernel does); a dangling
/// link resolves to the file it names, which the write then creates.
fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = if link.is_absolute() { link } else { folder_of(&p).join(link) };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// A temporary file name beside the target: `.NAME.PID.N.tmp`, unique in this process.
fn temporary_path(dir: &Path, name: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Creates `tmp` (which must not exist), with `permissions` when given, writes and flushes it.
fn write_new(tmp: &Path, contents: &[u8], permissions: Option<fs::Permissions>) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(tmp)?;
    if let Some(p) = permissions {
        f.set_permissions(p)?;
    }
    f.write_all(contents)?;
    f.sync_all()
}

/// Keeps the file at `target` as `NAME.bak` beside it, itself written atomically (a `.bak` that
/// is a symlink is replaced, not written through).
fn keep_previous(target: &Path, dir: &Path, name: &str) -> std::io::Result<()> {
    let bak = dir.join(format!("{name}.bak"));
    let old = fs::read(target)?;
    let tmp = temporary_path(dir, &format!("{name}.bak"));
    let result = write_new(&tmp, &old, fs::metadata(target).ok().map(|m| m.permissions()))
        .and_then(|()| fs::rename(&tmp, &bak));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Flushes the folder so a rename itself survives a crash (not possible on every platform).
pub(crate) fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes the temporary files (`.NAME.PID.N.tmp`) and staging folders (`.NAME.PID.staging`)
/// for `name` in `dir` left by processes that no longer run. Best effort: errors are ignored.
pub(crate) fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|f| f.strip_prefix(&prefix)) else { continue };
        let (pid, staging) = if let Some(r) = rest.strip_suffix(".tmp") {
            (r.split('.').next().unwrap_or(""), false)
        } else if let Some(r) = rest.strip_suffix(".staging") {
            (r, true)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || process_alive(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        let _ = if staging { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
    }
}

/// Whether process `pid` runs; `None` where this cannot be told (no `/proc`).
pub(crate) fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_write_keeps_the_permissions_of_the_file_it_replaces() {
        // Before: `fmt` turned a 0600 file into 0644.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("d.ron");
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
            write_atomic(&path, "new", false).unwrap();
            assert_eq!(fs::read_to_string(&path).unwrap(), "new");
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_replaced() {
        // Before: the symlink was replaced by a regular file.
        #[cfg(unix)]
        {
            let dir = tempfile::tempdir().unwrap();
            let real = dir.path().join("real.ron");
            let link = dir.path().join("link.ron");
            fs::write(&real, "old").unwrap();
            std::os::unix::fs::symlink("real.ron", &link).unwrap();
            write_atomic(&link, "new", false).unwrap();
            assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
            assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        }
    }

    #[test]
    fn a_folder_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("out");
        fs::create_dir(&sub).unwrap();
        let e = write_atomic(&sub, "x", false).unwrap_err();
        assert!(e.to_string().contains("it is a folder"), "{e}");
        assert!(sub.is_dir());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_pipe_is_refused_and_left_alone() {
        use std::os::unix::fs::FileTypeExt as _;
        // Before: a FIFO (or, for root, `/dev/null`) given as an output was renamed over and
        // became a regular file.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let e = write_atomic(&fifo, "x", false).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn temporaries_of_dead_processes_are_removed_and_live_ones_kept() {
        // Before: kill -9 during a write left `.NAME.PID.tmp` files for good.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sim.json");
        // Pid 4194304 is above Linux's largest pid, so no process has it.
        let dead = dir.path().join(".sim.json.4194304.0.tmp");
        let dead_staging = dir.path().join(".sim.json.4194304.staging");
        let live = dir.path().join(format!(".sim.json.{}.99.tmp", std::process::id()));
        let other = dir.path().join(".other.json.4194304.0.tmp");
        for f in [&dead, &live, &other] {
            fs::write(f, "partial").unwrap();
        }
        fs::create_dir(&dead_staging).unwrap();
        write_atomic(&path, "{}", false).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists() && !dead_staging.exists());
        }
        assert!(live.exists() && other.exists());
    }

    #[test]
    fn only_a_design_save_keeps_a_backup_and_it_replaces_a_symlinked_bak() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ron");
        fs::write(&path, "v1").unwrap();
        write_atomic(&path, "v2", false).unwrap();
        assert!(!dir.path().join("d.ron.bak").exists());
        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("precious.txt");
            fs::write(&elsewhere, "keep me").unwrap();
            std::os::unix::fs::symlink(&elsewhere, dir.path().join("d.ron.bak")).unwrap();
        }
        write_atomic(&path, "v3", true).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("d.ron.bak")).unwrap(), "v2");
        #[cfg(unix)]
        assert_eq!(fs::read_to_string(dir.path().join("precious.txt")).unwrap(), "keep me");
    }
}
