//! Errors of batch runs.

use std::path::{Path, PathBuf};

use meridian_assess::AssessError;
use meridian_model::format::LoadError;

/// Why a batch could not run, resume or merge.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// A plan, design, scenario or policy file does not load (FILE:LINE:COL).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Results or arguments that do not fit: another plan's results, missing shards, a bad shard.
    #[error("{0}")]
    Input(String),
    /// Reading or writing a file failed.
    #[error("{path}: error: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A combination's assessment (simulation, bill, static check) failed.
    #[error("combination {index} ({key}): {source}")]
    Assess {
        /// The combination.
        index: u64,
        /// Its key.
        key: String,
        /// Why.
        source: AssessError,
    },
    /// The embedded price snapshot is broken.
    #[error("the price snapshot does not load: {0}")]
    Prices(String),
    /// A design edit failed (a sweep value that does not fit a design).
    #[error("combination {index}: {message}")]
    Sweep {
        /// The combination.
        index: u64,
        /// Why.
        message: String,
    },
    /// A record could not be encoded.
    #[error("cannot encode a record: {0}")]
    Encode(String),
}

impl BatchError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        BatchError::Io { path: path.to_owned(), source }
    }

    /// Whether the user's input is at fault (exit code 2) rather than the machine or a bug; an
    /// assessment's error is classified by the assessment ([`AssessError::is_bad_input`]).
    pub fn is_bad_input(&self) -> bool {
        match self {
            BatchError::Load(_) | BatchError::Input(_) => true,
            BatchError::Assess { source, .. } => source.is_bad_input(),
            BatchError::Io { .. }
            | BatchError::Prices(_)
            | BatchError::Sweep { .. }
            | BatchError::Encode(_) => false,
        }
    }
}
