//! Bounded reads of the user's files: only regular files, never more than a limit.
//!
//! Every file Meridian reads on a user's word (designs, scenarios, plans, policies, price
//! snapshots) goes through [`read_text`]: a folder, a FIFO, a device such as `/dev/zero` or a
//! socket is refused before it is opened (so a FIFO cannot hang the program), and a file larger
//! than its kind's limit is refused before it is read (and read through a bounded reader, so a
//! file that grows while it is read cannot exhaust memory either). The limits are in one table,
//! [`Limit`], stated in the README.

use std::io::Read;
use std::path::Path;

use super::error::LoadError;
use super::locate;

/// The kinds of input file and their size limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// A design file: 16 MiB, about 24,000 services as Meridian writes them (some 700 bytes a
    /// service with its links; `bench load` measures larger designs from memory). The bound keeps
    /// the memory of any file accepted well under a gigabyte: 16 MiB of the smallest services
    /// (222,217 of them) loaded and validated in 277 MB resident.
    Design,
    /// A scenario file: 1 MiB.
    Scenario,
    /// A batch plan: 1 MiB.
    Plan,
    /// A compliance policy: 1 MiB.
    Policy,
    /// A price snapshot (`--prices`): 16 MiB (the embedded one is 0.4 MiB).
    Prices,
    /// A batch results folder's `manifest.json` (read by `merge` and `--resume`): 1 MiB.
    Manifest,
}

impl Limit {
    /// The largest file of this kind read, in bytes.
    pub const fn max_bytes(self) -> usize {
        match self {
            Limit::Design | Limit::Prices => 16 * 1024 * 1024,
            Limit::Scenario | Limit::Plan | Limit::Policy | Limit::Manifest => 1024 * 1024,
        }
    }

    /// The kind's name in messages ("design", "scenario").
    pub const fn noun(self) -> &'static str {
        match self {
            Limit::Design => "design",
            Limit::Scenario => "scenario",
            Limit::Plan => "plan",
            Limit::Policy => "policy",
            Limit::Prices => "price snapshot",
            Limit::Manifest => "batch manifest",
        }
    }
}

/// The UTF-8 byte order mark, dropped from the start of a file that has one.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads the file at `path` as bytes (without a leading UTF-8 byte order mark): refuses anything but a regular file (after following
/// symlinks) and a file larger than `limit`, with an error naming the file.
pub fn read_bytes(path: &Path, limit: Limit) -> Result<Vec<u8>, LoadError> {
    let whole = |message: String| LoadError { file: path.to_owned(), line: 0, col: 0, message, field: None };
    let noun = limit.noun();
    let max = limit.max_bytes();
    let meta = std::fs::metadata(path).map_err(|e| whole(format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(whole(format!("is a folder, not a {noun} file")));
    }
    if !meta.is_file() {
        return Err(whole(format!(
            "is not a regular file (a pipe, device or socket); give the path of a {noun} file"
        )));
    }
    let too_big = |len: u64| {
        whole(format!(
            "the file is {:.1} MB; {noun} files are at most {} MB (is this really a {noun}?)",
            len as f64 / 1e6,
            max / (1024 * 1024)
        ))
    };
    if meta.len() > max as u64 {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| whole(format!("cannot read the file: {e}")))?;
    // The file could have been replaced between the check and the open: check what was opened.
    match file.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(whole(format!("is not a regular file; give the path of a {noun} file"))),
        Err(e) => return Err(whole(format!("cannot read the file: {e}"))),
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(max));
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| whole(format!("cannot read the file: {e}")))?;
    if bytes.len() > max {
        return Err(too_big(bytes.len() as u64));
    }
    // A UTF-8 byte order mark (as some Windows editors write) is not text: editors hide it, so
    // lines and columns are counted without it.
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    Ok(bytes)
}

/// Reads the file at `path` as UTF-8 text with [`read_bytes`]; text that is not UTF-8 is refused
/// at the line and column of the first bad byte.
pub fn read_text(path: &Path, limit: Limit) -> Result<String, LoadError> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))
}

/// The error for `bytes` that stop being UTF-8 where `e` says, located at the bad byte.
pub(crate) fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error) -> LoadError {
    let valid = &bytes[..e.valid_up_to()];
    // The valid prefix is UTF-8 by definition.
    let lc = locate::line_col(std::str::from_utf8(valid).unwrap_or(""), valid.len());
    LoadError {
        file: path.to_owned(),
        line: lc.line,
        col: lc.col,
        message: format!(
            "the file is not UTF-8 text (byte 0x{:02x} at offset {})",
            bytes.get(e.valid_up_to()).copied().unwrap_or(0),
            e.valid_up_to()
        ),
        field: None,
    }
}

/// The error for a file with nothing but white space: located at its end (line 1, column 1 when
/// it has no text at all), saying what the file should start with.
pub fn empty_file(path: &Path, text: &str, message: String) -> LoadError {
    let lc = locate::line_col(text, text.len());
    LoadError { file: path.to_owned(), line: lc.line.max(1), col: lc.col.max(1), message, field: None }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_folder_a_device_and_a_fifo_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(dir.path(), Limit::Scenario).unwrap_err();
        assert!(e.message.contains("is a folder, not a scenario file"), "{e}");
        let e = read_text(Path::new("/dev/zero"), Limit::Prices).unwrap_err();
        assert!(e.message.contains("is not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo");
            let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
            assert!(status.success());
            let e = read_text(&fifo, Limit::Design).unwrap_err();
            assert!(e.message.contains("is not a regular file"), "{e}");
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        std::fs::write(&path, vec![b' '; Limit::Policy.max_bytes()]).unwrap();
        assert_eq!(read_text(&path, Limit::Policy).unwrap().len(), Limit::Policy.max_bytes());
        std::fs::write(&path, vec![b' '; Limit::Policy.max_bytes() + 1]).unwrap();
        let e = read_text(&path, Limit::Policy).unwrap_err();
        assert!(e.message.contains("policy files are at most 1 MB"), "{e}");
    }

    #[test]
    fn an_empty_file_is_located_at_its_end() {
        let e = empty_file(Path::new("x"), "", "empty".into());
        assert_eq!((e.line, e.col), (1, 1));
        let e = empty_file(Path::new("x"), "\n  \n   ", "empty".into());
        assert_eq!((e.line, e.col), (3, 4));
    }
}
