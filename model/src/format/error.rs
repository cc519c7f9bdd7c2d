//! Errors from reading and writing design files, each pointing at file, line, column and field.

use std::fmt;
use std::path::PathBuf;

/// Why a design file could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// 1-based line (0 when the error is about the file as a whole).
    pub line: usize,
    /// 1-based column (0 when the error is about the file as a whole).
    pub col: usize,
    /// What is wrong and what would be valid.
    pub message: String,
    /// The field path, e.g. `services[3].kind`, when known.
    pub field: Option<String>,
}

impl fmt::Display for LoadError {
    /// `FILE:LINE:COL: error: message (field path)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        write!(f, ": error: {}", snippet(&self.message))?;
        if let Some(field) = &self.field {
            write!(f, " ({})", snippet(field))?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// The most characters of a message shown: a message quoting the file (a parser's "found ...")
/// never repeats more than this of it.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// `message` on one line (a quoted value's line breaks written `\n`), cut to
/// [`MAX_MESSAGE_CHARS`] characters with a note when longer.
fn snippet(message: &str) -> std::borrow::Cow<'_, str> {
    let one_line = |s: &str| s.replace('\n', "\\n").replace('\r', "\\r");
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        None if !message.contains(['\n', '\r']) => std::borrow::Cow::Borrowed(message),
        None => std::borrow::Cow::Owned(one_line(message)),
        Some((cut, _)) => {
            let rest = message[cut..].chars().count();
            std::borrow::Cow::Owned(format!("{}… ({rest} more characters)", one_line(&message[..cut])))
        }
    }
}

/// Why a design could not be saved. The file on disk is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Serialising the design failed.
    #[error("{file}: error: could not write the design: {message}")]
    Serialize {
        /// The target file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The file system refused a step of the atomic save.
    #[error("{file}: error: could not save ({step}): {source}")]
    Io {
        /// The target file.
        file: String,
        /// Which step failed, e.g. `write temporary file`.
        step: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
}
