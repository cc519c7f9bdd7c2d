//! Writing generated files into a folder: the export command and the designer's Export dialog
//! share these rules (create the folder, refuse one that has files unless told to overwrite,
//! write every file atomically).

use std::path::{Path, PathBuf};

use meridian_iac::ExportBundle;
use meridian_model::format::write_files;

/// Why files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    /// The path exists and is a file.
    #[error("{0}: error: not a folder")]
    NotAFolder(PathBuf),
    /// The folder has files and overwriting was not asked for.
    #[error("{0}: error: the folder is not empty; choose another folder or allow overwriting")]
    NotEmpty(PathBuf),
    /// The file system refused.
    #[error("{path}: error: {what}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file could not be written (the error names it).
    #[error(transparent)]
    Save(#[from] meridian_model::format::SaveError),
}

/// Whether `out` exists and has at least one entry.
pub fn is_busy(out: &Path) -> Result<bool, OutDirError> {
    if !out.exists() {
        return Ok(false);
    }
    if !out.is_dir() {
        return Err(OutDirError::NotAFolder(out.to_owned()));
    }
    let mut entries = std::fs::read_dir(out).map_err(|source| OutDirError::Io {
        path: out.to_owned(),
        what: "cannot read the folder",
        source,
    })?;
    Ok(entries.next().is_some())
}

/// Creates `out`, refusing a folder that has files unless `overwrite`.
pub fn prepare(out: &Path, overwrite: bool) -> Result<(), OutDirError> {
    if is_busy(out)? && !overwrite {
        return Err(OutDirError::NotEmpty(out.to_owned()));
    }
    std::fs::create_dir_all(out).map_err(|source| OutDirError::Io {
        path: out.to_owned(),
        what: "cannot create the folder",
        source,
    })
}

/// Writes every file of `bundle` under `out` (after [`prepare`]); returns the paths written, in
/// order. Every file is staged and flushed before any is moved in ([`write_files`]), so an
/// interrupted export leaves the folder as it was.
pub fn write_bundle(bundle: &ExportBundle, out: &Path, overwrite: bool) -> Result<Vec<PathBuf>, OutDirError> {
    prepare(out, overwrite)?;
    let files: Vec<(PathBuf, &[u8])> =
        bundle.files.iter().map(|f| (PathBuf::from(&f.path), f.bytes())).collect();
    Ok(write_files(out, &files)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use meridian_iac::{ExportBundle, ExportFile};

    use super::*;

    fn bundle() -> ExportBundle {
        ExportBundle {
            files: vec![
                ExportFile::text("DEPLOY.md", "# Deploy\n"),
                ExportFile::text("regions/eu-west-1.yaml", "Resources: {}\n"),
            ],
            warnings: Vec::new(),
            skipped_checks: Vec::new(),
        }
    }

    #[test]
    fn writes_into_a_new_folder_and_refuses_a_busy_one_unless_told() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("infra");
        let written = write_bundle(&bundle(), &out, false).unwrap();
        assert_eq!(written, vec![out.join("DEPLOY.md"), out.join("regions/eu-west-1.yaml")]);
        assert_eq!(std::fs::read_to_string(out.join("regions/eu-west-1.yaml")).unwrap(), "Resources: {}\n");
        assert!(is_busy(&out).unwrap());
        let err = write_bundle(&bundle(), &out, false).unwrap_err();
        assert!(matches!(err, OutDirError::NotEmpty(_)), "{err}");
        assert!(err.to_string().contains("not empty"));
        write_bundle(&bundle(), &out, true).unwrap();
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(prepare(&file, true), Err(OutDirError::NotAFolder(_))));
    }
}
