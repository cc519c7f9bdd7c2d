//! `batch --emit`'s scripts run as written and nothing else runs: `run.sh` and `submit.sh`,
//! emitted with hostile values (quotes, `$()`, backticks, `;`, spaces, a backslash, non-ASCII
//! letters), pass `bash -n`, and run under `sh` with stub `kubectl` and `aws` on PATH that record
//! their arguments, each call gets exactly the intended words and the script prints the intended
//! line; no `PWNED` file appears. Values a shell command line cannot carry are refused before
//! anything is written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

use std::path::{Path, PathBuf};
use std::process::Command;

use meridian_batch::emit::{EmitOptions, Engine, emit};

const HOSTILE: &str = "x'; touch PWNED; ' $(touch PWNED) `touch PWNED` \\ \"q\" ünï";

fn options() -> EmitOptions {
    EmitOptions {
        plan: format!("plans/{HOSTILE}.ron"),
        shards: 4,
        image: "registry.example/meridian:0.1".into(),
        results: format!("results/{HOSTILE}"),
        name: "sweep".into(),
        volume_claim: format!("claim {HOSTILE}"),
        job_queue: format!("queue {HOSTILE}"),
        efs_id: format!("fs-1 {HOSTILE}"),
    }
}

/// Stub `kubectl` and `aws` writing their arguments, NUL-separated, to `LOG/<n>`; `aws ...
/// --query jobId` prints a job id as the real one does.
fn stubs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["kubectl", "aws"] {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            "#!/bin/sh\nn=$(ls \"$LOG\" | wc -l)\nprintf '%s\\0' \"$(basename \"$0\")\" \"$@\" > \"$LOG/$n\"\n\
             case \" $* \" in *' --query jobId '*) echo job-123 ;; esac\n",
        )
        .unwrap();
        let mut perms = std::fs::metadata(&p).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&p, perms).unwrap();
    }
    dir
}

/// Runs `script` with `sh` in its folder; returns the calls' words and what it printed.
fn run(script: &Path) -> (Vec<Vec<String>>, String) {
    let syntax = Command::new("bash").arg("-n").arg(script).output().unwrap();
    assert!(syntax.status.success(), "bash -n: {}", String::from_utf8_lossy(&syntax.stderr));
    let dir = script.parent().unwrap();
    let log = tempfile::tempdir().unwrap();
    let stubs = stubs();
    let before: Vec<PathBuf> = listing(dir);
    let out = Command::new("sh")
        .arg(script)
        .current_dir(dir)
        .env("PATH", format!("{}:/usr/bin:/bin", stubs.path().display()))
        .env("LOG", log.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "sh: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(listing(dir), before, "the script created files (an injected command ran)");
    let mut calls: Vec<(usize, Vec<String>)> = std::fs::read_dir(log.path())
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            let mut words: Vec<String> =
                bytes.split(|b| *b == 0).map(|w| String::from_utf8(w.to_vec()).unwrap()).collect();
            words.pop();
            (e.file_name().to_string_lossy().parse().unwrap(), words)
        })
        .collect();
    calls.sort();
    (calls.into_iter().map(|(_, w)| w).collect(), String::from_utf8(out.stdout).unwrap())
}

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn run_sh_passes_hostile_values_as_single_words() {
    let dir = tempfile::tempdir().unwrap();
    let o = options();
    emit(Engine::Kubernetes, &o, dir.path()).unwrap();
    let (calls, printed) = run(&dir.path().join("run.sh"));
    assert_eq!(
        calls,
        vec![
            words(&["kubectl", "apply", "-f", "job.json"]),
            words(&["kubectl", "wait", "--for=condition=complete", "--timeout=24h", "job/sweep"]),
            words(&["kubectl", "apply", "-f", "merge-job.json"]),
            words(&["kubectl", "wait", "--for=condition=complete", "--timeout=1h", "job/sweep-merge"]),
        ]
    );
    assert_eq!(
        printed,
        format!(
            "report: {r}/report.json, JUnit: {r}/junit.xml (on the volume {c})\n",
            r = o.results,
            c = o.volume_claim
        )
    );
    let job: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("job.json")).unwrap()).unwrap();
    assert_eq!(
        job["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"],
        o.volume_claim
    );
}

#[test]
fn submit_sh_passes_hostile_values_as_single_words() {
    let dir = tempfile::tempdir().unwrap();
    let o = options();
    emit(Engine::AwsBatch, &o, dir.path()).unwrap();
    let (calls, printed) = run(&dir.path().join("submit.sh"));
    let register = |f: &str| words(&["aws", "batch", "register-job-definition", "--cli-input-json", f]);
    assert_eq!(
        calls,
        vec![
            register("file://job-definition.json"),
            register("file://merge-job-definition.json"),
            words(&[
                "aws",
                "batch",
                "submit-job",
                "--cli-input-json",
                "file://submit-job.json",
                "--query",
                "jobId",
                "--output",
                "text"
            ]),
            words(&[
                "aws",
                "batch",
                "submit-job",
                "--job-name",
                "sweep-merge",
                "--job-queue",
                &o.job_queue,
                "--job-definition",
                "sweep-merge",
                "--depends-on",
                "jobId=job-123"
            ]),
        ]
    );
    assert_eq!(
        printed,
        format!(
            "array job job-123\nreport: {r}/report.json, JUnit: {r}/junit.xml (on {e})\n",
            r = o.results,
            e = o.efs_id
        )
    );
}

/// Sets one value of the options.
type Setter = fn(&mut EmitOptions, String);

#[test]
fn values_a_command_line_cannot_carry_are_refused_before_writing() {
    let cases: [(&str, Setter, Engine); 4] = [
        ("--out", |o, v| o.results = v, Engine::Kubernetes),
        ("--volume-claim", |o, v| o.volume_claim = v, Engine::Kubernetes),
        ("--job-queue", |o, v| o.job_queue = v, Engine::AwsBatch),
        ("--efs-id", |o, v| o.efs_id = v, Engine::AwsBatch),
    ];
    for (what, set, engine) in cases {
        for bad in ["a\nb", "a\u{1b}[2Jb", "a\rb", "\u{202e}ab"] {
            let dir = tempfile::tempdir().unwrap();
            let mut o = options();
            set(&mut o, bad.to_owned());
            let e = emit(engine, &o, dir.path()).unwrap_err();
            assert!(e.is_bad_input(), "{what} {bad:?}: {e}");
            assert!(e.to_string().contains("control character"), "{what}: {e}");
            assert_eq!(listing(dir.path()), Vec::<PathBuf>::new(), "{what} {bad:?}: files were written");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut o = options();
    o.job_queue = "--endpoint-url=http://attacker.example".into();
    let e = emit(Engine::AwsBatch, &o, dir.path()).unwrap_err();
    assert!(e.to_string().contains("would be read as an option"), "{e}");
}

#[test]
fn a_plan_with_a_newline_stays_in_its_comment() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = options();
    o.plan = "plans/p.ron\ntouch PWNED".into();
    emit(Engine::Kubernetes, &o, dir.path()).unwrap();
    let script = std::fs::read_to_string(dir.path().join("run.sh")).unwrap();
    assert!(
        script.contains("# Runs the 4 shards of plans/p.ron\\ntouch PWNED as an Indexed Job"),
        "{script}"
    );
    let (calls, _) = run(&dir.path().join("run.sh"));
    assert_eq!(calls.len(), 4);
}
