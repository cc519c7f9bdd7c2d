//! DEPLOY.md's commands run as written and nothing else runs: every ```sh block of every export
//! (examples and fixtures, both formats) passes `bash -n`, and run under `sh -c` with stub `aws`
//! and `terraform` on PATH that record their arguments, each call gets exactly the intended
//! words. The fixture `name-clashes.ron` has `$(touch PWNED)`, backticks, quotes, a backslash and
//! non-ASCII letters in its name and tags: no `PWNED` file may appear.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses a few")]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use meridian_iac::{ExportBundle, Format};

/// The ```sh blocks of a Markdown text, without the fences.
fn sh_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim()) {
            (None, "```sh") => current = Some(Vec::new()),
            (Some(lines), "```") => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            (Some(lines), _) => lines.push(line),
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "an unclosed code block:\n{markdown}");
    blocks
}

/// A folder with stub `aws` and `terraform` that write their arguments, NUL-separated, to a new
/// file `LOG/<n>` per call.
fn stubs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["aws", "terraform"] {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            "#!/bin/sh\nn=$(ls \"$LOG\" | wc -l)\nprintf '%s\\0' \"$(basename \"$0\")\" \"$@\" > \"$LOG/$n\"\n",
        )
        .unwrap();
        let mut perms = std::fs::metadata(&p).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&p, perms).unwrap();
    }
    dir
}

/// Runs `block` under `sh -c` in a fresh folder with the stubs first on PATH; returns each
/// call's words (program name first) in call order, after checking that nothing else ran.
fn run(block: &str, stubs: &Path) -> Vec<Vec<String>> {
    let syntax = Command::new("bash").args(["-n", "-c", block]).output().unwrap();
    assert!(syntax.status.success(), "bash -n:\n{block}\n{}", String::from_utf8_lossy(&syntax.stderr));
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    std::fs::create_dir(&log).unwrap();
    let path = format!("{}:/usr/bin:/bin", stubs.display());
    let out = Command::new("sh")
        .args(["-c", block])
        .current_dir(work.path())
        .env("PATH", path)
        .env("LOG", &log)
        .output()
        .unwrap();
    assert!(out.status.success(), "sh -c:\n{block}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "the block printed something:\n{block}");
    let here: Vec<PathBuf> = std::fs::read_dir(work.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(here, vec![log.clone()], "the block created files (an injected command ran):\n{block}");
    let mut calls: Vec<(usize, Vec<String>)> = std::fs::read_dir(&log)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let n: usize = e.file_name().to_string_lossy().parse().unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            let words =
                bytes.split(|b| *b == 0).map(|w| String::from_utf8(w.to_vec()).unwrap()).collect::<Vec<_>>();
            (n, words[..words.len() - 1].to_vec())
        })
        .collect();
    calls.sort();
    calls.into_iter().map(|(_, w)| w).collect()
}

fn deploy_md(bundle: &ExportBundle) -> &str {
    &bundle.files.iter().find(|f| f.path == "DEPLOY.md").unwrap().contents
}

#[test]
fn every_deploy_command_runs_as_written() {
    let stubs = stubs();
    for (name, path, policies) in common::designs() {
        for format in [Format::CloudFormation, Format::Terraform] {
            let bundle = common::export_example(&path, &policies, format);
            let blocks = sh_blocks(deploy_md(&bundle));
            assert!(!blocks.is_empty(), "{name}: DEPLOY.md has no command");
            for block in blocks {
                let calls = run(&block, stubs.path());
                assert_eq!(calls.len(), 1, "{name}: one command per block:\n{block}");
                let program = calls[0][0].as_str();
                assert!(matches!(program, "aws" | "terraform"), "{name}: {program}");
                if program == "aws" {
                    assert_eq!(calls[0][1..3], ["cloudformation", "deploy"], "{name}");
                }
            }
        }
    }
}

#[test]
fn hostile_names_and_tags_reach_the_command_as_the_templates_tags() {
    let path = common::root().join("iac/tests/iac/designs/name-clashes.ron");
    let bundle = common::export_example(&path, &[], Format::CloudFormation);
    let blocks = sh_blocks(deploy_md(&bundle));
    assert_eq!(blocks.len(), 1);
    let calls = run(&blocks[0], stubs().path());
    let tags = [
        "environment=prod",
        "meridian:design=Names that clash --touch PWNED-",
        "note=-- touch PWNED- - --touch PWNED- -touch PWNED- - ünï",
    ];
    let mut expected: Vec<&str> = vec![
        "aws",
        "cloudformation",
        "deploy",
        "--region",
        "us-east-1",
        "--stack-name",
        "names-that-clash-tou-us-east-1",
        "--template-file",
        "region-us-east-1.yaml",
        "--capabilities",
        "CAPABILITY_IAM",
        "--tags",
    ];
    expected.extend(tags);
    assert_eq!(calls, vec![expected.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>()]);
    // The values are the tags the template gives its resources.
    let template = bundle.files.iter().find(|f| f.path == "region-us-east-1.yaml").unwrap();
    let doc: serde_json::Value = serde_yaml_ng::from_str(&template.contents).unwrap();
    let queue_tags: Vec<String> = doc["Resources"]["Q1"]["Properties"]["Tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("{}={}", t["Key"].as_str().unwrap(), t["Value"].as_str().unwrap()))
        .collect();
    for t in tags.iter().filter(|t| !t.starts_with("meridian:")) {
        assert!(queue_tags.iter().any(|q| q == t), "{t} is not a tag of the template: {queue_tags:?}");
    }
}

#[test]
fn the_check_sees_an_injected_command() {
    // The harness must be able to fail: an unquoted value runs `touch PWNED`.
    let stubs = stubs();
    let result = std::panic::catch_unwind(|| run("aws --tags 'k=v'; touch PWNED; ''", stubs.path()));
    assert!(result.is_err());
}
