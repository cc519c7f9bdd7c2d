//! What every reader shares: the report of what was skipped, the errors, and how an input file
//! is read (bounded).

use std::path::{Path, PathBuf};

use serde::Serialize;

/// A resource, expression or setting the import could not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The logical id (with its template when several were read) or Terraform address.
    pub address: String,
    /// Why it was not read.
    pub reason: String,
}

impl Skipped {
    pub(crate) fn new(address: &str, reason: impl Into<String>) -> Self {
        Skipped { address: address.to_owned(), reason: reason.into() }
    }
}

/// Why an import failed as a whole (a file that cannot be read or parsed).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or folder could not be read.
    #[error("{}: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// A file is not valid YAML, JSON or HCL, or not a template.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line (0 when unknown).
        line: usize,
        /// The parser's message.
        message: String,
    },
}

/// The largest input file read: 16 MiB (CloudFormation limits a template to 1 MB).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads one input file: a regular file of at most [`MAX_INPUT_BYTES`], as UTF-8.
pub(crate) fn read_input(path: &Path) -> Result<String, ImportError> {
    let err = |message: String| ImportError::Read { path: path.to_path_buf(), message };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if !meta.is_file() {
        return Err(err("not a regular file".into()));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(err(format!("{} bytes, more than the {MAX_INPUT_BYTES} an input may have", meta.len())));
    }
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    // Bounded again while reading: a file can grow after the check.
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_INPUT_BYTES + 1), &mut bytes)
        .map_err(|e| err(e.to_string()))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(err(format!("more than the {MAX_INPUT_BYTES} bytes an input may have")));
    }
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].split(|&b| b == b'\n').count();
        let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
        ImportError::Parse {
            path: path.to_path_buf(),
            line,
            message: format!(
                "the file is not UTF-8 text (byte 0x{:02x}){}",
                bytes.get(at).copied().unwrap_or(0),
                if utf16 { "; it looks like UTF-16: save it as UTF-8" } else { "" }
            ),
        }
    })
}
