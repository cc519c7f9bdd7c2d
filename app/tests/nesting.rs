//! Deep nesting is refused at the door for every input kind (issue 18): a file of 50,000 nested
//! brackets, generated here rather than committed, gets one located error and exit 2, from the
//! binary run with a small stack and from the loaders run on a thread with a small stack, so a
//! recursion anywhere on the way (parser, error locator) would overflow here first.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::Path;
use std::process::Command;

use meridian_batch::load_plan_str;
use meridian_model::compliance::Policy;
use meridian_model::cost::PriceSnapshot;
use meridian_model::format::MAX_NESTING;
use meridian_model::{Catalog, format};
use support::{meridian_bin, stderr, workspace_root};

/// Levels of nesting in the generated files.
const LEVELS: usize = 50_000;

/// The stack the binary and the loaders get here: a tenth of a main thread's usual 8 MiB.
const SMALL_STACK: usize = 1024 * 1024;

/// (kind, the command line reading the file `FILE`, line 1, the start of line 2 before the nesting,
/// the end of the file after it). The nesting always starts inside one open `(`.
const KINDS: &[(&str, &[&str], &str, &str, &str)] = &[
    ("design", &["validate", "FILE"], "Design(version: 2, name: \"deep\",", "    regions: ", ")"),
    (
        "scenario",
        &["simulate", "examples/warm-standby.ron", "--scenario", "FILE"],
        "Scenario(name: \"deep\",",
        "    injections: ",
        ")",
    ),
    // After a field the parser refuses: the error locator walks text no parser has read.
    (
        "scenario-after-an-error",
        &["simulate", "examples/warm-standby.ron", "--scenario", "FILE"],
        "Scenario(name: \"deep\", horizon: \"soon\",",
        "    x: ",
        ")",
    ),
    ("plan", &["batch", "FILE"], "Plan(name: \"deep\",", "    designs: ", ")"),
    ("plan-after-an-error", &["batch", "FILE"], "Plan(name: \"deep\", runs: 0,", "    sweeps: ", ")"),
    (
        "policy",
        &["check", "examples/warm-standby.ron", "--policy", "FILE"],
        "Policy(id: \"deep\",",
        "    rules: ",
        ")",
    ),
    ("prices", &["cost", "examples/warm-standby.ron", "--prices", "FILE"], "(", "    prices: ", ")"),
];

fn deep_text(line1: &str, line2: &str, end: &str, open: &str, close: &str) -> String {
    format!("{line1}\n{line2}{}{}{end}\n", open.repeat(LEVELS), close.repeat(LEVELS))
}

/// `LINE:COL` of the bracket that opens level `MAX_NESTING + 1`: line 2, after the prefix, one
/// level already open.
fn expected_at(line2: &str) -> String {
    format!("2:{}", line2.chars().count() + MAX_NESTING)
}

#[test]
fn fifty_thousand_levels_are_refused_with_a_located_error_by_a_binary_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, args, line1, line2, end) in KINDS {
        for (open, close) in [("[", "]"), ("(", ")"), ("{", "}"), ("Some(", ")")] {
            let path = dir.path().join(format!("{kind}.ron"));
            std::fs::write(&path, deep_text(line1, line2, end, open, close)).unwrap();
            let args: Vec<&str> =
                args.iter().map(|a| if *a == "FILE" { path.to_str().unwrap() } else { a }).collect();
            let out = Command::new("prlimit")
                .arg(format!("--stack={SMALL_STACK}"))
                .args(["--as=1073741824", "--", "timeout", "-k", "5", "60"])
                .arg(meridian_bin())
                .args(&args)
                .current_dir(workspace_root())
                .output()
                .unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{kind} {open}: exit code; stderr: {err}");
            let at = if open == "Some(" {
                // `Some(` is five characters a level, its `(` the fifth.
                format!("2:{}", line2.chars().count() + 5 * MAX_NESTING)
            } else {
                expected_at(line2)
            };
            let want = format!("{}:{at}: error: nested more than {MAX_NESTING} levels deep", path.display());
            assert!(err.starts_with(&want), "{kind} {open}: expected {want:?}, got {err:?}");
            assert_eq!(err.lines().count(), 1, "{kind}: one message: {err}");
        }
    }
}

/// Runs `load` on a thread with a small stack and returns its error message.
fn on_small_stack(load: impl FnOnce() -> Result<(), String> + Send + 'static) -> String {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK / 4)
        .spawn(load)
        .unwrap()
        .join()
        .expect("the loader overflowed or panicked")
        .expect_err("deep nesting is refused")
}

#[test]
fn every_loader_refuses_deep_nesting_on_a_quarter_mebibyte_stack() {
    let path = Path::new("deep.ron");
    let text = |line1: &str, line2: &str| deep_text(line1, line2, ")", "[", "]");
    let design = text("Design(version: 2, name: \"deep\",", "    regions: ");
    let catalog = Catalog::builtin().unwrap();
    let messages = [
        on_small_stack(move || format::load_str(&design, path, catalog).map(drop).map_err(|e| e.to_string())),
        on_small_stack({
            let t = text("Scenario(name: \"deep\",", "    injections: ");
            let d = format::load_file(&workspace_root().join("examples/warm-standby.ron"), catalog)
                .unwrap()
                .design;
            move || meridian_sim::load_scenario_str(&t, path, &d).map(drop).map_err(|e| e.to_string())
        }),
        on_small_stack({
            let t = text("Plan(name: \"deep\",", "    designs: ");
            move || load_plan_str(&t, path).map(drop).map_err(|e| e.to_string())
        }),
        on_small_stack({
            let t = text("Policy(id: \"deep\",", "    rules: ");
            move || Policy::from_str(&t, path).map(drop).map_err(|e| e.to_string())
        }),
        on_small_stack({
            let t = text("(", "    prices: ");
            move || PriceSnapshot::parse(&t, path).map(drop).map_err(|e| e.to_string())
        }),
    ];
    for m in messages {
        assert!(m.contains(&format!("nested more than {MAX_NESTING} levels deep")), "{m}");
    }
}
