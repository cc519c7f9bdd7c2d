//! The placeholder deployment package of a Lambda function: a zip holding `index.py` with
//! [`rules::PLACEHOLDER_CODE`], written into the module's folder so the function needs no
//! provider besides `aws` (no `archive_file`). The bytes never vary: one stored (uncompressed)
//! entry with a fixed time (1980-01-01, zip's earliest) and fixed permissions, so the same
//! design exports the same package and `source_code_hash` changes only when the code does.

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::bundle::{ExportError, ExportFile};
use crate::rules;

/// The package's path in the module for a function's Terraform name.
pub(super) fn path(name: &str) -> String {
    format!("lambda/{name}.zip")
}

/// The placeholder package's bytes.
pub(super) fn placeholder() -> Result<Vec<u8>, ExportError> {
    let zip_error = |e: &dyn std::fmt::Display| ExportError::internal("the placeholder function package", e);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("index.py", options).map_err(|e| zip_error(&e))?;
    zip.write_all(rules::PLACEHOLDER_CODE.as_bytes()).map_err(|e| zip_error(&e))?;
    Ok(zip.finish().map_err(|e| zip_error(&e))?.into_inner())
}

/// The package files of the functions named `names`, each with a one-line description (size and
/// SHA-256, so a snapshot sees any change of the bytes) as its text.
pub(super) fn files<'a>(names: impl IntoIterator<Item = &'a String>) -> Result<Vec<ExportFile>, ExportError> {
    let bytes = placeholder()?;
    let sha256 = Sha256::digest(&bytes);
    Ok(names
        .into_iter()
        .map(|name| ExportFile {
            path: path(name),
            contents: format!(
                "zip, {} bytes, SHA-256 {sha256:x}: index.py, the placeholder handler (replace this package with \
                 the function's code)\n",
                bytes.len()
            ),
            binary: Some(bytes.clone()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use std::io::Read;

    use super::*;

    #[test]
    fn the_package_is_the_same_every_time_and_holds_the_placeholder_code() {
        let a = placeholder().unwrap();
        assert_eq!(a, placeholder().unwrap(), "deterministic");
        let mut archive = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_name("index.py").unwrap();
        assert_eq!(entry.compression(), CompressionMethod::Stored);
        assert_eq!(entry.unix_mode(), Some(0o100_644));
        let mut code = String::new();
        entry.read_to_string(&mut code).unwrap();
        assert_eq!(code, rules::PLACEHOLDER_CODE);
    }
}
