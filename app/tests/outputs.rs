//! Every subcommand that writes a file answers an output it cannot write (a folder in the way,
//! a path through a file, a missing folder to merge) with exit code 2 and a message naming the
//! path, as the README's table says, and writes nothing half-done (issue 18, items 4 and 6).
//! Before: export, simulate, report and batch answered 3 (internal error), `merge` on a missing
//! folder 3, and `simulate --json` wrote in place.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::{Path, PathBuf};

use support::{meridian, stderr};

const DESIGN: &str = "examples/warm-standby.ron";

/// A folder with a regular file `file` in it: `file/x` cannot be created by anyone, root included.
fn blocked() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "not a folder").unwrap();
    (dir, file)
}

fn bad_output(args: &[&str], path: &Path) {
    let out = meridian(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: exit code; stderr: {err}");
    assert!(!err.contains("internal error"), "{args:?}: {err}");
    assert!(err.contains(path.to_str().unwrap()), "{args:?}: the message names {}: {err}", path.display());
}

#[test]
fn export_to_an_unwritable_folder_exits_2() {
    let (_d, file) = blocked();
    let out = file.join("cfn");
    bad_output(&["export", DESIGN, "--format", "cloudformation", "--out", out.to_str().unwrap()], &out);
}

#[test]
fn simulate_to_an_unwritable_json_csv_or_plots_path_exits_2() {
    let (d, file) = blocked();
    let json = file.join("sim.json");
    let s = json.to_str().unwrap();
    bad_output(&["simulate", DESIGN, "--runs", "2", "--horizon", "30d", "--json", s], &json);
    // A folder where the JSON goes.
    let folder = d.path().to_str().unwrap();
    bad_output(&["simulate", DESIGN, "--runs", "2", "--horizon", "30d", "--json", folder], d.path());
    let csv = file.join("runs.csv");
    bad_output(
        &["simulate", DESIGN, "--runs", "2", "--horizon", "30d", "--runs-csv", csv.to_str().unwrap()],
        &csv,
    );
    let plots = file.join("plots");
    bad_output(
        &["simulate", DESIGN, "--runs", "2", "--horizon", "30d", "--plots", plots.to_str().unwrap()],
        &plots,
    );
}

#[test]
fn report_to_an_unwritable_path_exits_2() {
    let (_d, file) = blocked();
    let html = file.join("report.html");
    bad_output(
        &["report", DESIGN, "--runs", "2", "--horizon", "30d", "--out", html.to_str().unwrap()],
        &html,
    );
}

#[test]
fn batch_to_an_unwritable_folder_exits_2() {
    let (_d, file) = blocked();
    let out = file.join("results");
    bad_output(&["batch", "examples/batch/plan.ron", "--out", out.to_str().unwrap()], &out);
}

#[test]
fn variants_to_an_unwritable_folder_exits_2() {
    let (_d, file) = blocked();
    let out = file.join("variants");
    bad_output(&["variants", DESIGN, "--out", out.to_str().unwrap()], &out);
}

#[test]
fn compare_to_an_unwritable_chart_exits_2() {
    let (_d, file) = blocked();
    let chart = file.join("frontier.svg");
    let c = chart.to_str().unwrap();
    bad_output(
        &["compare", DESIGN, "examples/pilot-light.ron", "--runs", "2", "--horizon", "30d", "--chart", c],
        &chart,
    );
}

#[test]
fn merge_of_a_missing_folder_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-shard");
    let report = dir.path().join("report.json");
    bad_output(&["merge", missing.to_str().unwrap(), "--out", report.to_str().unwrap()], &missing);
}

#[test]
fn variants_force_keeps_a_users_bak_file() {
    // Before: `variants --force` deleted NAME.ron.bak beside each variant, the user's or not.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    assert_eq!(meridian(&["variants", DESIGN, "--out", out]).status.code(), Some(0));
    let first = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let bak = PathBuf::from(format!("{}.bak", first.display()));
    std::fs::write(&bak, "the user's own backup").unwrap();
    assert_eq!(meridian(&["variants", DESIGN, "--out", out, "--force"]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), "the user's own backup");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no staging or temporary files left: {left:?}");
}

#[test]
fn fmt_keeps_a_files_permissions_and_a_symlink() {
    // Before: `fmt` turned a 0600 file into 0644 and replaced a symlink with a regular file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let text = std::fs::read_to_string(support::workspace_root().join(DESIGN)).unwrap();
        // Trailing blank lines are not canonical, so `fmt` rewrites the file.
        std::fs::write(&real, format!("{text}\n\n")).unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink("real.ron", &link).unwrap();
        let out = meridian(&["fmt", link.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&real).unwrap(), text);
    }
}
