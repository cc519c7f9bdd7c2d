//! Version handling: every older file version loads, and a newer one is refused clearly.
//!
//! Version 1 is the first published format. Version 2 adds the optional `targets` section
//! (resilience targets, `model/src/targets/`) and changes nothing else, so a version 1 text is a
//! version 2 text once its `version` says 2: [`upgrade`] rewrites that one number in place, which
//! keeps every other byte, so errors in an old file still point at its own lines and columns.
//! `meridian fmt` writes the upgraded file. When the format next changes, bump
//! [`CURRENT_VERSION`], keep the old DTO here as `vN::DesignFile` if its shape changed, and add a
//! step to [`upgrade`] that turns version N text into version N+1.

use std::borrow::Cow;

/// The newest file version this build writes and reads.
pub const CURRENT_VERSION: u32 = 2;

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
        1 => Ok(Cow::Owned(set_version(text, 2))),
        _ => Ok(Cow::Borrowed(text)),
    }
}

/// `text` with its top-level `version` number replaced by `to` (unchanged when it has none).
fn set_version(text: &str, to: u32) -> String {
    let at = super::locate::locate(text, &super::locate::parse_path("version"));
    let start: usize = text.split_inclusive('\n').take(at.line.saturating_sub(1)).map(str::len).sum();
    let line = &text[start..];
    let offset = start + line.char_indices().nth(at.col.saturating_sub(1)).map_or(0, |(i, _)| i);
    let digits = text[offset..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return text.to_owned();
    }
    format!("{}{to}{}", &text[..offset], &text[offset + digits..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_versions_are_refused_with_both_numbers() {
        let err = upgrade(7, "").unwrap_err();
        assert_eq!(err.to_string(), "written by a newer Meridian (version 7); this build reads up to 2");
        assert!(matches!(upgrade(0, ""), Err(VersionError::Unknown { found: 0 })));
        assert!(matches!(upgrade(2, "x"), Ok(Cow::Borrowed("x"))));
    }

    #[test]
    fn version_1_becomes_2_and_nothing_else_moves() {
        let v1 = "// a comment with version: 1\nDesign(\n    version: 1,\n    name: \"v1\",\n)\n";
        let v2 = upgrade(1, v1).unwrap();
        assert_eq!(v2, "// a comment with version: 1\nDesign(\n    version: 2,\n    name: \"v1\",\n)\n");
    }
}
