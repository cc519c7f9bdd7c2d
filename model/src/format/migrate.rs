//! Version handling: every older file version loads, and a newer one is refused clearly.
//!
//! Version 1 is the first published format, so there is nothing to upgrade yet. When the
//! format changes, bump [`CURRENT_VERSION`], keep the old DTO here as `v1::DesignFile`, and add
//! a step to [`upgrade`] that turns version N text into version N+1.

use std::borrow::Cow;

/// The newest file version this build writes and reads.
pub const CURRENT_VERSION: u32 = 1;

/// The oldest file version this build reads.
pub const OLDEST_VERSION: u32 = 1;

/// Why a version cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The file is newer than this build.
    #[error("written by a newer Meridian (version {found}); this build reads up to {CURRENT_VERSION}")]
    Newer {
        /// The file's version.
        found: u32,
    },
    /// The version was never published.
    #[error("version {found} is not a Meridian file version; versions start at {OLDEST_VERSION}")]
    Unknown {
        /// The file's version.
        found: u32,
    },
}

/// Checks `version` and upgrades `text` from it to [`CURRENT_VERSION`].
pub fn upgrade(version: u32, text: &str) -> Result<Cow<'_, str>, VersionError> {
    match version {
        v if v > CURRENT_VERSION => Err(VersionError::Newer { found: v }),
        v if v < OLDEST_VERSION => Err(VersionError::Unknown { found: v }),
        _ => Ok(Cow::Borrowed(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_versions_are_refused_with_both_numbers() {
        let err = upgrade(7, "").unwrap_err();
        assert_eq!(err.to_string(), "written by a newer Meridian (version 7); this build reads up to 1");
        assert!(matches!(upgrade(0, ""), Err(VersionError::Unknown { found: 0 })));
        assert!(upgrade(1, "x").is_ok());
    }
}
