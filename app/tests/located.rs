//! Every refusal names where the problem is (issue 18: "errors without a location: empty file and
//! 8 more"): an error about a file's content is `FILE:LINE:COL: error: ...` with a line and column
//! inside the file; an error about the file as a whole (missing, a folder, a device, too large) is
//! `FILE: error: ...`; an error about an option names the option. This test walks every file of the
//! adversarial corpus (`app/tests/corpus/*/`), so a file added there is checked without a new case.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian, meridian_bounded, stderr, workspace_root};

const DESIGN: &str = "examples/active-active-2region.ron";

/// The command line that reads `rel` as the kind of file its corpus folder holds.
fn command_for(folder: &str, rel: &str) -> Vec<String> {
    let r = rel.to_owned();
    let d = DESIGN.to_owned();
    match folder {
        "bad" => vec!["validate".into(), r],
        "bad-scenario" => vec!["simulate".into(), d, "--scenario".into(), r],
        "bad-policy" => vec!["check".into(), d, "--policy".into(), r],
        "bad-plan" => vec!["batch".into(), r],
        "bad-prices" => vec!["cost".into(), d, "--prices".into(), r],
        other => panic!("no command for corpus folder {other}: add one here"),
    }
}

/// The (line, column) of a `FILE:LINE:COL: error: ` prefix, if `line` has one for `file`.
fn located_at(line: &str, file: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix(file)?.strip_prefix(':')?;
    let (l, rest) = rest.split_once(':')?;
    let (c, rest) = rest.split_once(':')?;
    rest.starts_with(" error: ").then_some(())?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// Runs `args`, expects exit code 2 and one line on stderr, and returns that line.
fn one_refusal(args: &[&str]) -> String {
    let out = meridian_bounded(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: exit code; stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: exactly one message, got {err}");
    assert!(!err.contains("panicked") && !err.contains("internal error"), "{args:?}: {err}");
    lines[0].to_owned()
}

#[test]
fn every_corpus_file_is_refused_at_a_line_and_column_inside_it() {
    let root = workspace_root().join("app/tests/corpus");
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut checked = 0;
    for folder in &folders {
        let mut files: Vec<_> =
            std::fs::read_dir(root.join(folder)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            let rel = format!("app/tests/corpus/{folder}/{}", path.file_name().unwrap().to_string_lossy());
            let args = command_for(folder, &rel);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let line = one_refusal(&args);
            let Some((l, c)) = located_at(&line, &rel) else {
                panic!("{rel}: expected `{rel}:LINE:COL: error: `, got {line:?}");
            };
            let bytes = std::fs::read(&path).unwrap();
            let lines = bytes.split(|&b| b == b'\n').count();
            assert!(l >= 1 && l <= lines, "{rel}: line {l} is not in the file's {lines} lines: {line}");
            assert!(c >= 1, "{rel}: column {c}: {line}");
            checked += 1;
        }
    }
    assert!(checked >= 60, "the corpus has {checked} files; expected all of them to be found");
}

#[test]
fn a_file_that_cannot_be_read_is_named_as_a_whole() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.ron");
    std::fs::File::create(&huge).unwrap().set_len(17 * 1024 * 1024).unwrap();
    let huge = huge.to_str().unwrap();
    let missing = dir.path().join("missing.ron");
    let missing = missing.to_str().unwrap();
    for (args, file) in [
        (vec!["validate", missing], missing),
        (vec!["validate", "examples"], "examples"),
        (vec!["validate", "/dev/zero"], "/dev/zero"),
        (vec!["validate", huge], huge),
        (vec!["simulate", DESIGN, "--scenario", "examples"], "examples"),
        (vec!["cost", DESIGN, "--prices", missing], missing),
        (vec!["batch", missing], missing),
    ] {
        let line = one_refusal(&args);
        assert!(
            line.starts_with(&format!("{file}: error: ")),
            "{args:?}: expected `{file}: error: `, got {line:?}"
        );
    }
}

#[test]
fn an_unknown_scenario_or_policy_name_names_the_option() {
    let line = one_refusal(&["simulate", DESIGN, "--scenario", "no-such-scenario"]);
    assert!(line.starts_with("error: `no-such-scenario` is neither"), "{line}");
    assert!(line.ends_with("(--scenario)"), "{line}");
    let line = one_refusal(&["check", DESIGN, "--policy", "no-such-pack"]);
    assert!(line.starts_with("error: `no-such-pack` is neither"), "{line}");
    assert!(line.ends_with("(--policy)"), "{line}");
}

#[test]
fn merge_names_a_missing_folder_and_locates_a_broken_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let report = report.to_str().unwrap();
    let missing = dir.path().join("no-such-results");
    let m = missing.to_str().unwrap();
    let line = one_refusal(&["merge", m, "--out", report]);
    assert!(line.starts_with(&format!("{m}: error: ")), "{line}");
    // Before: `DIR/manifest.json: not a Meridian batch manifest: ... at line 1 column 2`.
    let shard = dir.path().join("shard");
    std::fs::create_dir(&shard).unwrap();
    std::fs::write(shard.join("manifest.json"), "{\n  oops\n}\n").unwrap();
    let manifest = shard.join("manifest.json");
    let line = one_refusal(&["merge", shard.to_str().unwrap(), "--out", report]);
    assert_eq!(located_at(&line, manifest.to_str().unwrap()), Some((2, 3)), "{line}");
    assert!(line.contains("not a Meridian batch manifest"), "{line}");
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read() {
    // Windows editors write both; neither is an error, and lines are counted as editors show them.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(workspace_root().join(DESIGN)).unwrap();
    let path = dir.path().join("windows.ron");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(text.replace('\n', "\r\n").bytes());
    std::fs::write(&path, &bytes).unwrap();
    let out = meridian(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // An error in such a file is placed where an editor shows it: as in the same file without the
    // mark (which editors hide).
    let with = dir.path().join("with-bom.ron");
    let without = dir.path().join("without-bom.ron");
    std::fs::write(&with, b"\xef\xbb\xbfDesign(version: 1, name: 7)\r\n").unwrap();
    std::fs::write(&without, b"Design(version: 1, name: 7)\r\n").unwrap();
    let (w, wo) = (with.to_str().unwrap(), without.to_str().unwrap());
    let at = located_at(&one_refusal(&["validate", wo]), wo);
    assert!(at.is_some_and(|(l, _)| l == 1), "{at:?}");
    assert_eq!(located_at(&one_refusal(&["validate", w]), w), at);
}
