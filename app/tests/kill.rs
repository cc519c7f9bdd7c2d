//! `kill -9` during multi-file outputs (issue 18, item 4): an interrupted `export --force` leaves
//! the old set of files or the new one, never a mix that stays. Before: an interrupted
//! `export --force` left a mix of old and new files.
//!
//! A kill before the output's commit point leaves the old set (the staged files are thrown away
//! by the next write); a kill after it leaves a commit list that the next write to the folder
//! finishes first, so the folder then holds the whole new set.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use support::{meridian, meridian_bin, stderr, workspace_root};

/// Every file under `dir` (relative path to bytes), leaving out the staging folders.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().starts_with(".meridian-output.") {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_owned(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The staging folders left in `dir` and whether each has a commit list.
fn staging_left(dir: &Path) -> Vec<(PathBuf, bool)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".meridian-output."))
        .map(|p| {
            let committed = p.join(".meridian-commit").exists();
            (p, committed)
        })
        .collect()
}

fn export(design: &Path, out: &Path) -> Command {
    let mut c = Command::new(meridian_bin());
    c.args(["export", design.to_str().unwrap(), "--format", "terraform", "--force", "--out"])
        .arg(out)
        .current_dir(workspace_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn export_force_killed_at_any_moment_leaves_the_old_or_the_new_set() {
    let tmp = tempfile::tempdir().unwrap();
    let old_design = workspace_root().join("examples/warm-standby.ron");
    let text = std::fs::read_to_string(&old_design).unwrap();
    // The same regions and so the same file names, with different contents.
    let new_design = tmp.path().join("bigger.ron");
    std::fs::write(&new_design, text.replace("count: 9,", "count: 12,")).unwrap();
    let out = tmp.path().join("infra");

    // The two sets, written without interruption.
    let run = |design: &Path| {
        let o = meridian(&[
            "export",
            design.to_str().unwrap(),
            "--format",
            "terraform",
            "--force",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    let started = Instant::now();
    run(&new_design);
    let took = started.elapsed();
    let new_set = files(&out);
    run(&old_design);
    let old_set = files(&out);
    assert_ne!(old_set, new_set, "the two designs must export differently");
    assert_eq!(old_set.keys().collect::<Vec<_>>(), new_set.keys().collect::<Vec<_>>());

    let (mut old_seen, mut new_seen, mut finished_later) = (0, 0, 0);
    for i in 0..40u32 {
        // Kill at moments spread over the whole run, from at once to after it would have ended.
        let delay = took.mul_f64(f64::from(i) / 20.0);
        let mut child = export(&new_design, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no chance to clean up (an error: it had finished)
        child.wait().unwrap();
        let now = files(&out);
        let left = staging_left(&out);
        if now == old_set {
            old_seen += 1;
        } else if now == new_set {
            new_seen += 1;
        } else {
            // Killed while moving files in: only after the commit point, and the staged files
            // complete the new set.
            assert_eq!(left.len(), 1, "iteration {i}: a mix without a commit list: {left:?}");
            assert!(left[0].1, "iteration {i}: a mix without a commit list");
            let mut completed = now.clone();
            completed.extend(files(&left[0].0));
            completed.retain(|k, _| !k.ends_with(".meridian-commit"));
            assert_eq!(completed, new_set, "iteration {i}: the staged files do not complete the new set");
            finished_later += 1;
        }
        // The next write finishes or drops what was left, then writes the old set again.
        let o = export(&old_design, &out).status().unwrap();
        assert!(o.success(), "iteration {i}: the next export fails");
        assert_eq!(files(&out), old_set, "iteration {i}: the next export leaves the old set");
        assert!(staging_left(&out).is_empty(), "iteration {i}: staging left: {:?}", staging_left(&out));
    }
    assert!(old_seen + new_seen + finished_later == 40);
    // Both ends of the range were hit: a kill at once leaves the old set, a late one the new.
    assert!(old_seen > 0 && new_seen > 0, "old {old_seen}, new {new_seen}, finished later {finished_later}");
}
