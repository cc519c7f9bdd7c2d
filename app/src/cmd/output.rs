//! Output paths checked before the work that fills them: a batch or a long simulation that would
//! end by failing to write its report is refused at the start, with exit code 2 and a message
//! naming the path and the option (issue 18: exit codes follow the README's table).

use std::path::Path;

use crate::exit::BadInput;

/// Checks that a file can be written at `path` (given with `option`): it is not a folder, and its
/// folder exists and is a folder (the safe write creates no folders for single files). `-`
/// (standard output) is always fine. Permissions and a full disk are found when writing.
pub fn file(path: &Path, option: &str) -> Result<(), BadInput> {
    if path == Path::new("-") {
        return Ok(());
    }
    let shown = path.display();
    if path.is_dir() {
        return Err(BadInput(format!("{shown}: error: is a folder; {option} takes a file path")));
    }
    // A device, pipe or socket would be replaced by a regular file (for root, `/dev/null` too).
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(BadInput(format!(
            "{shown}: error: is not a regular file (a device, pipe or socket); {option} takes a file path{}",
            if option == "--json" { " (`-` for standard output)" } else { "" }
        )));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(BadInput(format!(
            "{shown}: error: `{}` is not a folder, so {option} cannot be written there",
            folder.display()
        ))),
        Err(_) => Err(BadInput(format!(
            "{shown}: error: the folder `{}` does not exist (create it first, or choose another {option})",
            folder.display()
        ))),
    }
}

/// Checks that `path` (given with `option`) can be a folder of outputs: it is a folder or does not
/// exist yet (the folder and its parents are created when the files are written).
pub fn folder(path: &Path, option: &str) -> Result<(), BadInput> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_dir() => {
            Err(BadInput(format!("{}: error: is a file; {option} takes a folder", path.display())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    #[test]
    fn a_folder_a_missing_folder_and_a_file_in_the_way_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(file(&dir.path().join("ok.json"), "--json").is_ok());
        assert!(file(Path::new("-"), "--json").is_ok());
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let e = file(&fifo, "--chart").unwrap_err();
        assert!(e.0.contains("is not a regular file"), "{}", e.0);
        let e = file(dir.path(), "--json").unwrap_err();
        assert!(e.0.contains("is a folder; --json takes a file path"), "{}", e.0);
        let e = file(&dir.path().join("no/such/x.json"), "--junit").unwrap_err();
        assert!(e.0.contains("does not exist") && e.0.contains("--junit"), "{}", e.0);
        std::fs::write(dir.path().join("f"), "").unwrap();
        let e = file(&dir.path().join("f/x.json"), "--out").unwrap_err();
        assert!(e.0.contains("is not a folder"), "{}", e.0);
        assert!(folder(dir.path(), "--plots").is_ok() && folder(&dir.path().join("new"), "--plots").is_ok());
        let e = folder(&dir.path().join("f"), "--plots").unwrap_err();
        assert!(e.0.ends_with("f: error: is a file; --plots takes a folder"), "{}", e.0);
    }
}
