//! End-to-end tests of `meridian batch` and `meridian merge`: the example plan with gates and
//! JUnit, shards merged byte for byte, resume after a kill and after a torn line, plan errors
//! with FILE:LINE:COL, and the emitted Kubernetes and AWS Batch manifests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use support::{meridian, meridian_bin, stderr, stdout, workspace_root};

const PLAN: &str = "examples/batch/plan.ron";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs the example plan unsharded; returns (report.json, junit.xml) bytes.
fn whole_run(tmp: &Path) -> (Vec<u8>, Vec<u8>) {
    let out = tmp.join("whole");
    let json = tmp.join("whole.json");
    let junit = tmp.join("whole.xml");
    let o = meridian(&["batch", PLAN, "--out", s(&out), "--json", s(&json), "--junit", s(&junit)]);
    assert_eq!(o.status.code(), Some(1), "a gate fails in the example: {}{}", stdout(&o), stderr(&o));
    (read(&json), read(&junit))
}

#[test]
fn example_plan_runs_with_gates_and_junit() {
    let tmp = tempfile::tempdir().unwrap();
    let (json, junit) = whole_run(tmp.path());
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    assert_eq!(v["combinations"], 8);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["index"], i as u64);
        assert_eq!(r["gates"].as_array().unwrap().len(), 4);
        assert_eq!(r["runs"], 20);
    }
    // Designs vary slowest, then the interval, then the TTL.
    assert_eq!(rows[0]["design"], "active-active-2region.ron");
    assert_eq!(rows[0]["params"]["health_check_interval"], "10s");
    assert_eq!(rows[1]["params"]["dns_ttl"], "1m");
    assert_eq!(rows[2]["params"]["health_check_interval"], "30s");
    assert_eq!(rows[4]["design"], "warm-standby.ron");
    // The active-active design fails the data-law gate (EU data in us-east-1); the warm standby passes it.
    let law = |r: &serde_json::Value| r["gates"][3]["passed"].as_bool().unwrap();
    assert!(!law(&rows[0]));
    assert!(law(&rows[4]));
    assert!(rows[0]["metrics"]["static_violations"].as_u64().unwrap() > 0);
    // Sweeps edit the design: a longer interval cannot make recovery faster.
    let rto = |r: &serde_json::Value| r["metrics"]["rto_p95_s"].as_f64().unwrap();
    assert!(rto(&rows[2]) >= rto(&rows[0]), "30 s checks recover no faster than 10 s checks");
    assert!(rows[0]["edits"].as_u64().unwrap() > 0);
    let failed = v["summary"]["failed"].as_u64().unwrap();
    assert!(failed >= 4);
    check_junit(&junit, 8 * 4, v["summary"]["gate_failures"].as_u64().unwrap());
}

/// Checks JUnit XML as CI systems read it: `testsuites` > `testsuite` (properties first) >
/// `testcase` (name, classname) with at most one `failure` (message, type); counts add up.
fn check_junit(xml: &[u8], tests: u64, failures: u64) {
    let text = std::str::from_utf8(xml).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .map(|a| a.unwrap())
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| a.normalized_value(quick_xml::XmlVersion::Explicit1_0).unwrap().into_owned())
    };
    let (mut root_tests, mut root_failures) = (0u64, 0u64);
    let (mut cases, mut failed_cases) = (0u64, 0u64);
    let (mut suite_tests, mut suite_failures, mut suite_cases, mut suite_failed) = (0u64, 0u64, 0u64, 0u64);
    let mut seen_case_in_suite = false;
    loop {
        let ev = reader.read_event().unwrap();
        let (name, start, empty) = match &ev {
            Event::Start(e) => {
                (String::from_utf8(e.name().as_ref().to_vec()).unwrap(), Some(e.clone()), false)
            }
            Event::Empty(e) => {
                (String::from_utf8(e.name().as_ref().to_vec()).unwrap(), Some(e.clone()), true)
            }
            Event::End(e) => {
                let n = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                assert_eq!(stack.pop().as_deref(), Some(n.as_str()));
                if n == "testsuite" {
                    assert_eq!(suite_tests, suite_cases, "testsuite tests= counts its test cases");
                    assert_eq!(suite_failures, suite_failed, "testsuite failures= counts its failures");
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let e = start.unwrap();
        let parent = stack.last().cloned().unwrap_or_default();
        match name.as_str() {
            "testsuites" => {
                assert!(parent.is_empty());
                assert!(attr(&e, "name").is_some());
                root_tests = attr(&e, "tests").unwrap().parse().unwrap();
                root_failures = attr(&e, "failures").unwrap().parse().unwrap();
                assert_eq!(attr(&e, "errors").as_deref(), Some("0"));
            }
            "testsuite" => {
                assert_eq!(parent, "testsuites");
                assert!(!attr(&e, "name").unwrap().is_empty());
                suite_tests = attr(&e, "tests").unwrap().parse().unwrap();
                suite_failures = attr(&e, "failures").unwrap().parse().unwrap();
                assert!(attr(&e, "errors").is_some() && attr(&e, "skipped").is_some());
                (suite_cases, suite_failed) = (0, 0);
                seen_case_in_suite = false;
            }
            "properties" => {
                assert_eq!(parent, "testsuite");
                assert!(!seen_case_in_suite, "properties come before test cases");
            }
            "property" => {
                assert_eq!(parent, "properties");
                assert!(attr(&e, "name").is_some() && attr(&e, "value").is_some());
            }
            "testcase" => {
                assert_eq!(parent, "testsuite");
                assert!(!attr(&e, "name").unwrap().is_empty());
                assert!(attr(&e, "classname").unwrap().starts_with("meridian.batch."));
                seen_case_in_suite = true;
                cases += 1;
                suite_cases += 1;
            }
            "failure" => {
                assert_eq!(parent, "testcase");
                assert!(!attr(&e, "message").unwrap().is_empty());
                assert_eq!(attr(&e, "type").as_deref(), Some("gate"));
                failed_cases += 1;
                suite_failed += 1;
            }
            other => panic!("unexpected element <{other}> in JUnit output"),
        }
        if !empty {
            stack.push(name);
        }
    }
    assert!(stack.is_empty());
    assert_eq!((root_tests, root_failures), (cases, failed_cases));
    assert_eq!((cases, failed_cases), (tests, failures));
}

#[test]
fn four_shards_merge_to_exactly_the_unsharded_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (json, junit) = whole_run(tmp.path());
    let shards = tmp.path().join("shards");
    for k in 0..4 {
        let o = meridian(&["batch", PLAN, "--shard", &format!("{k}/4"), "--out", s(&shards)]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        assert!(shards.join(format!("shard-{k}-of-4/results.jsonl")).is_file());
    }
    let merged = tmp.path().join("merged.json");
    let merged_xml = tmp.path().join("merged.xml");
    let o = meridian(&["merge", s(&shards), "--out", s(&merged), "--junit", s(&merged_xml)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(read(&merged) == json, "merged report differs from the unsharded one");
    assert!(read(&merged_xml) == junit, "merged JUnit differs from the unsharded one");
    // A missing shard is refused.
    std::fs::remove_dir_all(shards.join("shard-2-of-4")).unwrap();
    let o = meridian(&["merge", s(&shards), "--out", s(&merged)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard 2 of 4 is missing"), "{}", stderr(&o));
}

#[test]
fn shard_index_from_an_environment_variable() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(meridian_bin())
        .args(["batch", PLAN, "--shard", "JOB_COMPLETION_INDEX/4", "--out", s(tmp.path())])
        .env("JOB_COMPLETION_INDEX", "3")
        .current_dir(workspace_root())
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let lines = String::from_utf8(read(&tmp.path().join("shard-3-of-4/results.jsonl"))).unwrap();
    let idx: Vec<u64> = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["index"].as_u64().unwrap())
        .collect();
    assert_eq!(idx, vec![3, 7]);
    let o = meridian(&["batch", PLAN, "--shard", "4/4", "--out", s(tmp.path())]);
    assert_eq!(o.status.code(), Some(2));
}

/// Copies the example design `name` into `dir` (a plan reads only files in its own folder).
fn copy_example(name: &str, dir: &Path) {
    std::fs::copy(workspace_root().join("examples").join(name), dir.join(name)).unwrap();
}

/// A plan slow enough to be killed part way.
fn slow_plan(dir: &Path) -> PathBuf {
    copy_example("active-active-2region.ron", dir);
    let plan = dir.join("slow.ron");
    std::fs::write(
        &plan,
        "Plan(name: \"slow\", designs: [\"active-active-2region.ron\"], scenarios: [\"random-year\"], runs: 60, seeds: [1, 2, 3, 4, 5, 6], gates: [Availability(min: 0.9)])",
    )
    .unwrap();
    plan
}

/// A plan whose combinations are each within a scenario's bound but together ask for more than one
/// process may run is refused before anything runs, naming the budget and the way out (shards),
/// for the whole plan and for a shard of it.
#[test]
fn a_plan_over_the_process_budget_is_refused_before_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    copy_example("warm-standby.ron", tmp.path());
    let plan = tmp.path().join("big.ron");
    let seeds: Vec<String> = (1..=21).map(|i| i.to_string()).collect();
    std::fs::write(
        &plan,
        format!(
            "Plan(name: \"big\", designs: [\"warm-standby.ron\"], scenarios: [\"random-year\"], runs: 1000, horizon: \"100y\", seeds: [{}])",
            seeds.join(", ")
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let start = Instant::now();
    let o = meridian(&["batch", s(&plan), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("the plan asks for at least 1100000 simulated years"), "{e}");
    assert!(e.starts_with(&format!("{}:1:", plan.display())), "located in the plan: {e}");
    assert!(e.trim_end().ends_with("(runs)"), "at the runs that multiply the time: {e}");
    assert!(e.contains("--shard K/N"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(30), "refused before running: {:?}", start.elapsed());
    assert!(!out.join("results.jsonl").exists(), "nothing ran");
    // 21 combinations of 100,000 run-years: half of them are still over the budget.
    let o = meridian(&["batch", s(&plan), "--out", s(&out), "--shard", "0/2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("shard 0/2 asks for at least 1100000 simulated years"), "{e}");
    assert!(!out.join("results.jsonl").exists(), "nothing ran");
    // Cluster jobs are held to the same budget per shard when they are written.
    let k8s = tmp.path().join("k8s");
    let emit = |shards: &str| {
        Command::new(meridian_bin())
            .current_dir(tmp.path())
            .args([
                "batch",
                "big.ron",
                "--emit",
                "kubernetes",
                "--shards",
                shards,
                "--image",
                "i",
                "--out",
                "k8s",
            ])
            .output()
            .unwrap()
    };
    let o = emit("2");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("shard 0/2 asks for"), "{}", stderr(&o));
    assert!(!k8s.exists(), "no jobs written");
    let o = emit("3");
    assert_eq!(o.status.code(), Some(0), "7 combinations a shard fit: {}", stderr(&o));
    assert!(k8s.join("job.json").exists());
}

fn lines_in(p: &Path) -> usize {
    std::fs::read_to_string(p).map_or(0, |t| t.lines().count())
}

#[test]
fn killed_batch_resumes_to_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = slow_plan(tmp.path());
    let reference = tmp.path().join("ref.json");
    let o = meridian(&["batch", s(&plan), "--out", s(&tmp.path().join("ref")), "--json", s(&reference)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let out = tmp.path().join("out");
    let mut child = Command::new(meridian_bin())
        .args(["batch", s(&plan), "--out", s(&out)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let results = out.join("results.jsonl");
    let start = Instant::now();
    while lines_in(&results) < 2 && start.elapsed() < Duration::from_mins(2) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let finished = lines_in(&results);
    assert!((2..6).contains(&finished), "killed part way: {finished} of 6 finished");

    // Without --resume the folder is refused; with it only the rest runs.
    let json = tmp.path().join("resumed.json");
    let o = meridian(&["batch", s(&plan), "--out", s(&out), "--json", s(&json)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = meridian(&["batch", s(&plan), "--out", s(&out), "--json", s(&json), "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{finished} resumed")), "{}", stderr(&o));
    assert!(read(&json) == read(&reference), "resumed report differs");
}

#[test]
fn torn_last_line_is_cut_off_on_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let (json, _) = whole_run(tmp.path());
    let out = tmp.path().join("whole");
    let results = out.join("results.jsonl");
    let text = String::from_utf8(read(&results)).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let last = lines.pop().unwrap();
    // The last record half written, as a crash in the middle of a write would leave it.
    let torn = format!("{}\n{}", lines.join("\n"), &last[..last.len() / 2]);
    std::fs::write(&results, torn).unwrap();
    let again = tmp.path().join("again.json");
    let o = meridian(&["batch", PLAN, "--out", s(&out), "--json", s(&again), "--resume"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 run now, 7 resumed"), "{}", stderr(&o));
    assert!(read(&again) == json);
}

fn plan_error(body: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    copy_example("warm-standby.ron", tmp.path());
    let plan = tmp.path().join("bad.ron");
    std::fs::write(&plan, body).unwrap();
    let o = meridian(&["batch", s(&plan), "--out", s(&tmp.path().join("o"))]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    stderr(&o).replace(s(&plan), "PLAN")
}

#[test]
fn bad_plans_get_file_line_column_and_field() {
    let d = "warm-standby.ron";
    let e = plan_error(&format!(
        "Plan(\n  name: \"x\",\n  designs: [\"{d}\"],\n  scenarios: [\"region-outage\"],\n  sweeps: [\n    DnsTtl(values: []),\n  ],\n)"
    ));
    assert!(e.starts_with("PLAN:6:"), "{e}");
    assert!(e.contains("(sweeps[0].values)") && e.contains("at least one value"), "{e}");
    let e = plan_error(&format!(
        "Plan(\n  name: \"x\",\n  designs: [\"{d}\"],\n  scenarios: [\"region-outage\"],\n  gates: [\n    Availability(min: 1.5),\n  ],\n)"
    ));
    assert!(e.starts_with("PLAN:6:") && e.contains("(gates[0].min)"), "{e}");
    let e = plan_error(&format!(
        "Plan(\n  name: \"x\",\n  designs: [\"{d}\"],\n  scenarios: [\"region-outage\"],\n  gates: [\n    Uptime(min: 0.9),\n  ],\n)"
    ));
    assert!(e.starts_with("PLAN:6:") && e.contains("Uptime"), "{e}");
    let e = plan_error(
        "Plan(\n  name: \"x\",\n  designs: [\"nothing/*.ron\"],\n  scenarios: [\"region-outage\"],\n)",
    );
    assert!(
        e.starts_with("PLAN:3:") && e.contains("matches no design file") && e.contains("(designs[0])"),
        "{e}"
    );
    let e = plan_error(&format!(
        "Plan(\n  name: \"x\",\n  designs: [\"{d}\"],\n  scenarios: [\"region-outage\", \"meteor-strike\"],\n)"
    ));
    assert!(e.starts_with("PLAN:4:") && e.contains("(scenarios[1])"), "{e}");
    let e = plan_error(&format!(
        "Plan(\n  name: \"x\",\n  designs: [\"{d}\"],\n  scenarios: [\"region-outage\"],\n  sweeps: [ServiceCount(kinds: [\"ecs-fargat\"], values: [2])],\n)"
    ));
    assert!(e.starts_with("PLAN:5:") && e.contains("did you mean `ecs-fargate`"), "{e}");
}

#[test]
fn plans_read_only_files_inside_their_folder() {
    // Before: absolute paths and `..` were read, and an error quoted whatever file they named.
    let body = |designs: &str| {
        format!("Plan(\n  name: \"x\",\n  designs: [{designs}],\n  scenarios: [\"region-outage\"],\n)")
    };
    for (designs, at, why) in [
        ("\"/etc/passwd\"", "PLAN:3:13:", "`/etc/passwd` is an absolute path"),
        ("\"/etc/*.ron\"", "PLAN:3:13:", "is an absolute path"),
        ("\"warm-standby.ron\", \"../*.ron\"", "PLAN:3:33:", "`../*.ron` leaves the plan's folder (`..`)"),
        ("\"sub/../../x.ron\"", "PLAN:3:13:", "leaves the plan's folder"),
        ("\"*\"", "PLAN:3:13:", "`*` does not end in `.ron`"),
    ] {
        let e = plan_error(&body(designs));
        assert!(e.starts_with(at) && e.contains(why) && e.contains("(designs["), "{designs}: {e}");
        assert!(!e.contains("root:"), "{designs}: quotes no other file: {e}");
    }
    let e = plan_error("Plan(name: \"x\", designs: [\"warm-standby.ron\"], scenarios: [\"/tmp/s.ron\"])");
    assert!(e.contains("`/tmp/s.ron` is an absolute path") && e.contains("(scenarios[0])"), "{e}");
    let e = plan_error(
        "Plan(name: \"x\", designs: [\"warm-standby.ron\"], scenarios: [\"region-outage\"], policies: [\"../p.ron\"])",
    );
    assert!(e.contains("leaves the plan's folder") && e.contains("(policies[0])"), "{e}");
}

#[test]
fn a_symbolic_link_out_of_the_plan_folder_is_refused_and_a_file_that_is_no_design_is_not_quoted() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.ron");
    std::fs::write(&secret, "root:x:0:0:SECRET-TEXT\n").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_example("warm-standby.ron", tmp.path());
    std::os::unix::fs::symlink(&secret, tmp.path().join("link.ron")).unwrap();
    let plan = tmp.path().join("p.ron");
    let write = |designs: &str| {
        std::fs::write(
            &plan,
            format!("Plan(name: \"x\", designs: [{designs}], scenarios: [\"region-outage\"])"),
        )
        .unwrap();
        let o = meridian(&["batch", s(&plan), "--out", s(&tmp.path().join("o"))]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        stderr(&o)
    };
    let e = write("\"*.ron\"");
    assert!(e.contains("leads to `link.ron`, outside the plan's folder (a symbolic link)"), "{e}");
    assert!(!e.contains("SECRET"), "{e}");
    // A `.ron` file inside the folder that is no design: named, never quoted.
    std::fs::remove_file(tmp.path().join("link.ron")).unwrap();
    std::fs::write(tmp.path().join("notes.ron"), "SECRET-TEXT, not a design\n").unwrap();
    let e = write("\"*.ron\"");
    assert!(
        e.contains("`notes.ron` is not a design file: it does not start with `Design(` (designs[0])"),
        "{e}"
    );
    assert!(!e.contains("SECRET"), "{e}");
}

#[test]
fn the_batch_example_designs_are_the_examples_own() {
    for name in ["active-active-2region.ron", "warm-standby.ron"] {
        let root = workspace_root().join("examples");
        assert!(
            read(&root.join("batch").join(name)) == read(&root.join(name)),
            "examples/batch/{name} differs from examples/{name}: copy it again"
        );
    }
}

#[test]
fn service_count_sweep_changes_capacity_and_cost() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("count.ron");
    copy_example("active-active-2region.ron", tmp.path());
    std::fs::write(
        &plan,
        "Plan(name: \"count\", designs: [\"active-active-2region.ron\"], scenarios: [\"region-outage\"], runs: 5, sweeps: [ServiceCount(kinds: [\"ecs-fargate\"], values: [2, 12])])",
    )
    .unwrap();
    let json = tmp.path().join("r.json");
    let o = meridian(&["batch", s(&plan), "--out", s(&tmp.path().join("o")), "--json", s(&json)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&read(&json)).unwrap();
    let m = |i: usize, f: &str| v["rows"][i]["metrics"][f].as_f64().unwrap();
    assert!(m(1, "monthly_cost_usd") > m(0, "monthly_cost_usd"), "12 tasks cost more than 2");
    assert!(m(1, "availability_requests") > m(0, "availability_requests"), "12 tasks shed less than 2");
}

/// A plan's `horizon` shorter than a scenario's schedule names, per design, the injections it leaves
/// out, before the runs (they are not simulated); the batch still runs.
#[test]
fn a_plan_horizon_that_leaves_injections_out_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("short.ron");
    copy_example("active-active-2region.ron", tmp.path());
    std::fs::write(
        &plan,
        "Plan(name: \"short\", designs: [\"active-active-2region.ron\"], scenarios: [\"region-outage\", \"random-year\"], runs: 2, horizon: \"6h\")",
    )
    .unwrap();
    let o = meridian(&["batch", s(&plan), "--out", s(&tmp.path().join("o"))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let warned: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(
        warned,
        vec![format!(
            "{}: warning: active-active-2region.ron: the 6h horizon ends before injections[1] (region us-east-1 \
             at 7h) of scenario `region-outage` starts: not simulated; lengthen the horizon to include it",
            plan.display()
        )],
        "{err}"
    );
}

fn tool(rel: &str) -> PathBuf {
    let p = workspace_root().join(".tools").join(rel);
    assert!(p.exists(), "{} is missing: run scripts/install-tools.sh (scripts/test.sh does)", p.display());
    p
}

#[test]
fn kubernetes_manifests_validate_against_the_job_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let o = meridian(&[
        "batch",
        PLAN,
        "--emit",
        "kubernetes",
        "--shards",
        "4",
        "--image",
        "registry.example/meridian:0.1",
        "--out",
        s(tmp.path()),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let job: serde_json::Value = serde_json::from_slice(&read(&tmp.path().join("job.json"))).unwrap();
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    assert_eq!(job["spec"]["completions"], 4);
    let args: Vec<&str> = job["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(args[..4], ["batch", PLAN, "--shard", "JOB_COMPLETION_INDEX/4"]);
    let merge: serde_json::Value = serde_json::from_slice(&read(&tmp.path().join("merge-job.json"))).unwrap();
    assert_eq!(merge["spec"]["template"]["spec"]["containers"][0]["args"][0], "merge");
    for f in ["job.json", "merge-job.json"] {
        let v = Command::new(tool("venv/bin/kubernetes-validate"))
            .args(["--strict", "--kubernetes-version", "1.33.0", s(&tmp.path().join(f))])
            .output()
            .unwrap();
        assert!(
            v.status.success(),
            "{f}: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
    // A manifest the schema must reject, so the check above can fail.
    let mut bad = job.clone();
    bad["spec"]["completions"] = serde_json::json!("four");
    let bad_path = tmp.path().join("bad.json");
    std::fs::write(&bad_path, serde_json::to_vec(&bad).unwrap()).unwrap();
    let v = Command::new(tool("venv/bin/kubernetes-validate"))
        .args(["--strict", "--kubernetes-version", "1.33.0", s(&bad_path)])
        .output()
        .unwrap();
    assert!(!v.status.success());
}

#[test]
fn aws_batch_definition_has_the_documented_required_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "batch",
        PLAN,
        "--emit",
        "aws-batch",
        "--shards",
        "4",
        "--image",
        "registry.example/meridian:0.1",
        "--out",
        s(tmp.path()),
    ];
    let o = meridian(&args);
    assert_eq!(o.status.code(), Some(2), "--efs-id is required: {}", stderr(&o));
    let mut with_efs = args.to_vec();
    with_efs.extend(["--efs-id", "fs-0123456789abcdef0"]);
    let o = meridian(&with_efs);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["job-definition.json", "merge-job-definition.json"] {
        let d: serde_json::Value = serde_json::from_slice(&read(&tmp.path().join(f))).unwrap();
        // RegisterJobDefinition: jobDefinitionName (up to 128 letters, digits, - and _) and type are required;
        // a container job needs containerProperties with an image and vCPU and memory.
        let name = d["jobDefinitionName"].as_str().unwrap();
        assert!(
            !name.is_empty()
                && name.len() <= 128
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(d["type"], "container");
        let c = &d["containerProperties"];
        assert!(!c["image"].as_str().unwrap().is_empty());
        let kinds: Vec<&str> = c["resourceRequirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["type"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"VCPU") && kinds.contains(&"MEMORY"));
        let vols: Vec<&str> =
            c["volumes"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
        for m in c["mountPoints"].as_array().unwrap() {
            assert!(vols.contains(&m["sourceVolume"].as_str().unwrap()));
        }
        assert!(c["command"].as_array().unwrap().iter().all(serde_json::Value::is_string));
    }
    let d: serde_json::Value =
        serde_json::from_slice(&read(&tmp.path().join("job-definition.json"))).unwrap();
    assert!(
        d["containerProperties"]["command"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("AWS_BATCH_JOB_ARRAY_INDEX/4"))
    );
    // SubmitJob: jobName, jobQueue and jobDefinition are required; array size 2 to 10,000.
    let sj: serde_json::Value = serde_json::from_slice(&read(&tmp.path().join("submit-job.json"))).unwrap();
    for k in ["jobName", "jobQueue", "jobDefinition"] {
        assert!(!sj[k].as_str().unwrap().is_empty());
    }
    assert_eq!(sj["arrayProperties"]["size"], 4);
    let mut one = with_efs.clone();
    one[4] = "1";
    assert_eq!(meridian(&one).status.code(), Some(2), "an AWS Batch array has at least 2 children");
}
