//! Merging shards: a k-way merge by combination index that gives the bytes of one unsharded run,
//! and every way a set of folders can be incomplete or overlap is refused with its reason.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{ResultSet, Summary};
use crate::testutil::{manifest, row, write_folder};

/// Writes the whole run of `total` combinations into `root/whole` and its `shards` shards into
/// `root/shards/shard-K-of-N`; returns (whole folder, shards folder).
fn whole_and_shards(root: &Path, total: u64, shards: u64) -> (PathBuf, PathBuf) {
    let whole = root.join("whole");
    write_folder(&whole, &manifest(total, 0, 1), 0..total);
    let parent = root.join("shards");
    for k in 0..shards {
        let dir = parent.join(format!("shard-{k}-of-{shards}"));
        write_folder(&dir, &manifest(total, k, shards), (k..total).step_by(shards as usize));
    }
    (whole, parent)
}

fn json(set: &ResultSet) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = set.json_to(&mut out).unwrap();
    (out, summary)
}

fn open_err(dirs: &[PathBuf]) -> String {
    ResultSet::open(dirs).unwrap_err().to_string()
}

#[test]
fn the_report_lists_rows_as_written_and_counts_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (whole, _) = whole_and_shards(tmp.path(), 4, 1);
    let set = ResultSet::open(&[whole]).unwrap();
    let (bytes, summary) = json(&set);
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<String> = (0..4).map(|i| serde_json::to_string(&row(i)).unwrap()).collect();
    let expected = format!(
        "{{\"plan\":\"test plan\",\"fingerprint\":\"f1ngerpr1nt\",\"combinations\":4,\"rows\":[\n{}\n],\
         \"summary\":{{\"combinations\":4,\"passed\":2,\"failed\":2,\"gate_results\":8,\"gate_failures\":2}}}}\n",
        lines.join(",\n")
    );
    assert_eq!(text, expected);
    assert_eq!(summary, Summary { combinations: 4, passed: 2, failed: 2, gate_failures: 2, gate_results: 8 });
    assert_eq!(set.summary().unwrap(), summary);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["rows"][3]["index"], 3);
}

#[test]
fn shards_are_merged_by_index_not_by_turn() {
    // Two shards that each hold a contiguous half (not i mod 2): the merge still reads rows in
    // index order, so the report equals the whole run's.
    let tmp = tempfile::tempdir().unwrap();
    let (whole, _) = whole_and_shards(tmp.path(), 4, 1);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    write_folder(&a, &manifest(4, 0, 2), [0, 1]);
    write_folder(&b, &manifest(4, 1, 2), [2, 3]);
    let merged = ResultSet::open(&[b, a]).unwrap();
    assert_eq!(json(&merged), json(&ResultSet::open(&[whole]).unwrap()));
}

#[test]
fn a_missing_shard_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, parent) = whole_and_shards(tmp.path(), 8, 4);
    let dir = |k: u64| parent.join(format!("shard-{k}-of-4"));
    // One in the middle: the next one's folder is where it should have been.
    let err = open_err(&[dir(0), dir(2), dir(3)]);
    assert!(err.contains("shard 1 of 4 is missing (at ") && err.contains("shard-2-of-4"), "{err}");
    // The last one.
    let err = open_err(&[dir(0), dir(1), dir(2)]);
    assert!(err.contains("shard 3 of 4 is missing: give every shard's folder"), "{err}");
    // All but one, found through their parent folder.
    std::fs::remove_dir_all(dir(0)).unwrap();
    let err = open_err(&[parent]);
    assert!(err.contains("shard 0 of 4 is missing"), "{err}");
    assert!(open_err(&[]).contains("no results folder given"));
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(open_err(&[empty]).contains("holds no batch results"));
}

#[test]
fn a_shard_given_twice_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, parent) = whole_and_shards(tmp.path(), 8, 4);
    let copy = tmp.path().join("copy-of-1");
    write_folder(&copy, &manifest(8, 1, 4), [1, 5]);
    let err = open_err(&[parent, copy]);
    assert!(err.contains("shard 1 of 4 is given twice"), "{err}");
}

#[test]
fn an_unfinished_shard_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    write_folder(&a, &manifest(4, 0, 2), [0, 2]);
    write_folder(&b, &manifest(4, 1, 2), [1]);
    let err = open_err(&[a, b.clone()]);
    assert!(err.contains("is unfinished: 1 of 2 combinations; run it again with --resume"), "{err}");
    let err = ResultSet::shard(&b).unwrap_err().to_string();
    assert!(err.contains("is unfinished: 1 of 2 combinations"), "{err}");
}

#[test]
fn shards_of_another_plan_or_split_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    write_folder(&a, &manifest(4, 0, 2), [0, 2]);
    let mut other = manifest(4, 1, 2);
    other.fingerprint = "another plan".into();
    write_folder(&b, &other, [1, 3]);
    write_folder(&c, &manifest(4, 1, 3), [1]);
    assert!(open_err(&[a.clone(), b]).contains("holds results of another plan or another split"));
    assert!(open_err(&[a, c]).contains("holds results of another plan or another split"));
}

#[test]
fn a_combination_in_two_shards_is_reported() {
    // Each shard holds as many rows as it should, but 1 is in both and 2 in neither.
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    write_folder(&a, &manifest(4, 0, 2), [0, 1]);
    write_folder(&b, &manifest(4, 1, 2), [1, 3]);
    let set = ResultSet::open(&[a, b]).unwrap();
    let err = set.json_to(&mut Vec::new()).unwrap_err().to_string();
    assert!(err.contains("combination 1 appears twice in the results"), "{err}");
    assert!(set.summary().is_err());
}

#[test]
fn a_combination_in_no_shard_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    write_folder(&a, &manifest(4, 0, 2), [0, 4]);
    write_folder(&b, &manifest(4, 1, 2), [1, 3]);
    let set = ResultSet::open(&[a, b]).unwrap();
    let err = set.json_to(&mut Vec::new()).unwrap_err().to_string();
    assert!(err.contains("combination 2 is missing from the results"), "{err}");
}

#[test]
fn write_json_writes_the_same_bytes_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    let (whole, parent) = whole_and_shards(tmp.path(), 5, 2);
    let out = tmp.path().join("report.json");
    let summary = super::write_report(&[parent], &out).unwrap();
    let (bytes, expected) = json(&ResultSet::open(&[whole]).unwrap());
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    assert_eq!(summary, expected);
    assert!(!tmp.path().join(".report.json.tmp").exists());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// For any number of combinations and shards (even more shards than combinations), the
    /// merged shards give byte for byte the report of one unsharded run, in whatever order the
    /// folders are named.
    #[test]
    fn merged_shards_equal_one_run(total in 0..30u64, shards in 1..7u64, reverse in any::<bool>()) {
        let tmp = tempfile::tempdir().unwrap();
        let (whole, parent) = whole_and_shards(tmp.path(), total, shards);
        let one = json(&ResultSet::open(&[whole]).unwrap());
        let mut dirs: Vec<PathBuf> =
            (0..shards).map(|k| parent.join(format!("shard-{k}-of-{shards}"))).collect();
        if reverse {
            dirs.reverse();
        }
        let merged = ResultSet::open(&dirs).unwrap();
        let lines: Vec<String> = merged.lines().unwrap().map(Result::unwrap).collect();
        let expected: Vec<String> = (0..total).map(|i| serde_json::to_string(&row(i)).unwrap()).collect();
        prop_assert_eq!(lines, expected);
        prop_assert_eq!(json(&merged), one);
        prop_assert_eq!(json(&ResultSet::open(&[parent]).unwrap()), json(&merged));
    }
}
