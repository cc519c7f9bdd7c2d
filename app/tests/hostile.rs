//! What an outside tester's hostile inputs (`scripts/hostile.py`) found that the other tests did
//! not: a pipe or device given as an output was renamed over (as root, `--json /dev/null` made
//! `/dev/null` a regular file); UTF-16 templates were refused with the system's "stream did not
//! contain valid UTF-8" and no line; `bench sim` accepted a horizon of 1e300 (issue 18).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::os::unix::fs::FileTypeExt as _;
use std::path::Path;

use support::{meridian_bounded, stderr};

const DESIGN: &str = "examples/multi-az-single-region.ron";

/// A FIFO at `dir/name`, made with `mkfifo` (coreutils).
fn fifo(dir: &Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    assert!(std::process::Command::new("mkfifo").arg(&p).status().unwrap().success());
    p
}

/// A Terraform folder `dir/tf` with one queue in eu-west-1; `extra` goes into the resource block.
fn terraform_queue(dir: &Path, extra: &str) -> std::path::PathBuf {
    let tf = dir.join("tf");
    std::fs::create_dir(&tf).unwrap();
    let code = format!(
        "provider \"aws\" {{\n  region = \"eu-west-1\"\n}}\nresource \"aws_sqs_queue\" \"q\" {{\n{extra}  name = \"q\"\n}}\n"
    );
    std::fs::write(tf.join("main.tf"), code).unwrap();
    tf
}

#[test]
fn a_pipe_given_as_an_output_is_refused_with_exit_2_and_left_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let tf = terraform_queue(dir.path(), "");
    // `.svg`: `compare --chart` and `export-picture` check the extension first.
    let p = fifo(dir.path(), "pipe.svg");
    let pipe = p.to_str().unwrap();
    let t = tf.to_str().unwrap();
    let short = ["--runs", "1", "--horizon", "1h"];
    let cases: Vec<Vec<&str>> = vec![
        [&["simulate", DESIGN][..], &short, &["--json", pipe]].concat(),
        [&["simulate", DESIGN][..], &short, &["--runs-csv", pipe]].concat(),
        [&["compare", DESIGN, DESIGN][..], &short, &["--chart", pipe]].concat(),
        [&["report", DESIGN][..], &short, &["--out", pipe, "--force"]].concat(),
        [&["diff", DESIGN, DESIGN][..], &short, &["--out", pipe]].concat(),
        vec!["import", "terraform", t, "--out", pipe, "--force"],
        vec!["export-picture", DESIGN, "--out", pipe, "--force"],
    ];
    for args in cases {
        let out = meridian_bounded(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(pipe) && err.contains("not a regular file"), "{args:?}: {err}");
        assert!(std::fs::symlink_metadata(&p).unwrap().file_type().is_fifo(), "{args:?}: still a pipe");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
}

#[test]
fn a_utf16_template_is_refused_at_its_line_saying_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "Resources:\n  T:\n    Type: AWS::SQS::Queue\n";
    let utf16: Vec<u8> =
        [0xff, 0xfe].into_iter().chain(yaml.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, utf16).unwrap();
    let out_ron = dir.path().join("i.ron");
    let out = meridian_bounded(&[
        "import",
        "cloudformation",
        path.to_str().unwrap(),
        "--out",
        out_ron.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{}:1: the file is not UTF-8 text (byte 0xff)", path.display()))
            && err.contains("UTF-16: save it as UTF-8"),
        "{err}"
    );
    // A UTF-8 byte order mark is dropped, as the design loader does.
    std::fs::write(&path, [&b"\xef\xbb\xbf"[..], yaml.as_bytes()].concat()).unwrap();
    let out = meridian_bounded(&[
        "import",
        "cloudformation",
        path.to_str().unwrap(),
        "--region",
        "eu-west-1",
        "--out",
        out_ron.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn bench_sim_refuses_more_than_1e10_events_before_running() {
    for args in
        [&["bench", "sim", "--horizon", "1e300"][..], &["bench", "sim", "--mttf", "1e-9", "--mttr", "1e-9"]]
    {
        let out = meridian_bounded(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("events; at most 1e10"), "{args:?}: {err}");
    }
}

/// A negative number after an option is read as the option's value, so the refusal names the
/// option (it was "unexpected argument '-1' found"); a unit given twice in a duration is a slip,
/// not a sum (`--horizon 1y1y` ran two years).
#[test]
fn negative_numbers_and_doubled_units_are_refused_naming_the_option() {
    let cases: [(&[&str], &str); 6] = [
        (&["simulate", DESIGN, "--runs", "-1"], "--runs"),
        (&["simulate", DESIGN, "--seed", "-1"], "--seed"),
        (&["simulate", DESIGN, "--threads", "-1"], "--threads"),
        (&["simulate", DESIGN, "--horizon", "-1d"], "--horizon"),
        (&["diff", DESIGN, DESIGN, "--cost-tolerance", "-inf"], "--cost-tolerance"),
        (&["simulate", DESIGN, "--horizon", "1y1y"], "a unit is given twice"),
    ];
    for (args, named) in cases {
        let out = meridian_bounded(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?} names {named}: {err}");
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
}

/// `batch --emit` values that reach manifests and scripts: an image reference with a line break,
/// a results folder outside the shared folder, and a job name are refused naming the option.
#[test]
fn emit_refuses_what_a_cluster_job_could_not_carry_naming_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k8s");
    let o = out.to_str().unwrap();
    let base = ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2", "--out", o];
    let cases: [(&[&str], &str); 4] = [
        (&["--image", "i\nrm -rf /"], "--image"),
        (&["--image", "i", "--results", "../../x"], "--results"),
        (&["--image", "i", "--results", "/etc"], "--results"),
        (&["--image", "i", "--name", "Bad_Name"], "--name"),
    ];
    for (extra, named) in cases {
        let args = [&base[..], extra].concat();
        let run = meridian_bounded(&args);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(named), "{extra:?} names {named}: {err}");
        assert!(!out.exists(), "{extra:?}: nothing written");
    }
}

/// RAYON_NUM_THREADS=100000 made rayon's global pool start 100,000 threads and panic; the
/// simulation's pool is sized from the cores and the runs, whatever the environment says.
#[test]
fn a_huge_rayon_num_threads_does_not_start_threads() {
    // Bounded as `meridian_bounded` is, with the variable set.
    let out = std::process::Command::new("prlimit")
        .arg(format!("--as={}", support::MEMORY_LIMIT_BYTES))
        .args(["--", "timeout", "-k", "5", "60"])
        .arg(support::meridian_bin())
        .current_dir(support::workspace_root())
        .args(["simulate", DESIGN, "--runs", "2", "--horizon", "1h"])
        .env("RAYON_NUM_THREADS", "100000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `count = 1000000000` in an imported Terraform resource aborted on a 48 GB allocation; now the
/// resource is skipped with the bound named.
#[test]
fn an_imported_count_beyond_the_bound_is_skipped_not_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let tf = terraform_queue(dir.path(), "  count = 1000000000\n");
    let o = dir.path().join("i.ron");
    let out = meridian_bounded(&["import", "terraform", tf.to_str().unwrap(), "--out", o.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.code().is_some_and(|c| c <= 2), "{err}");
    assert!(err.contains("count = 1000000000: at most 10000 instances"), "{err}");
}
