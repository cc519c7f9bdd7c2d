//! The results folder's promises: a torn last line is cut on resume and the run continues after
//! it; finished lines are never rewritten; anything else that does not parse, or is out of order,
//! is an error that leaves the file as it was.

use std::io::Write;
use std::path::Path;

use proptest::prelude::*;

use super::{MANIFEST, RESULTS, ResultsDir, scan_results};
use crate::testutil::{manifest, row, write_folder};

fn results(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(RESULTS)).unwrap()
}

fn append_raw(dir: &Path, bytes: &[u8]) {
    let mut f = std::fs::OpenOptions::new().append(true).open(dir.join(RESULTS)).unwrap();
    f.write_all(bytes).unwrap();
}

fn line(i: u64) -> String {
    serde_json::to_string(&row(i)).unwrap() + "\n"
}

#[test]
fn rows_are_written_one_json_line_each_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest(5, 0, 1);
    write_folder(tmp.path(), &m, 0..5);
    let expected: String = (0..5).map(line).collect();
    assert_eq!(String::from_utf8(results(tmp.path())).unwrap(), expected);
    assert_eq!(scan_results(tmp.path()).unwrap(), ((0..5).collect(), expected.len() as u64));
    assert_eq!(super::read_manifest(tmp.path()).unwrap(), m);
}

#[test]
fn resume_cuts_a_torn_last_line_and_continues_after_it() {
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest(5, 0, 1);
    write_folder(tmp.path(), &m, 0..3);
    let finished = results(tmp.path());
    let torn = line(3);
    append_raw(tmp.path(), &torn.as_bytes()[..torn.len() / 2]);

    let mut out = ResultsDir::open(tmp.path(), &m, true).unwrap();
    assert_eq!(out.done(), &[0, 1, 2]);
    assert_eq!(results(tmp.path()), finished, "the torn line is cut, the finished ones kept as they were");
    for i in 3..5 {
        out.append(&row(i), 0.5).unwrap();
    }
    out.finish().unwrap();
    let after = results(tmp.path());
    assert_eq!(&after[..finished.len()], &finished[..], "finished lines are never rewritten");
    assert_eq!(after, (0..5).map(line).collect::<String>().into_bytes());
}

#[test]
fn a_whole_row_without_its_newline_is_torn_too() {
    // The writer writes a row and its newline at once; without the newline the row was not synced.
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest(3, 0, 1);
    write_folder(tmp.path(), &m, 0..1);
    append_raw(tmp.path(), line(1).trim_end().as_bytes());
    let out = ResultsDir::open(tmp.path(), &m, true).unwrap();
    assert_eq!(out.done(), &[0]);
    assert_eq!(results(tmp.path()), line(0).into_bytes());
}

#[test]
fn a_torn_line_in_the_middle_is_an_error_and_nothing_is_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest(5, 0, 1);
    write_folder(tmp.path(), &m, 0..1);
    let torn = line(1);
    append_raw(tmp.path(), &torn.as_bytes()[..torn.len() / 2]);
    append_raw(tmp.path(), b"\n");
    append_raw(tmp.path(), line(2).as_bytes());
    let before = results(tmp.path());
    let err = ResultsDir::open(tmp.path(), &m, true).unwrap_err().to_string();
    assert!(err.contains("results.jsonl:2: a finished result does not parse"), "{err}");
    assert_eq!(results(tmp.path()), before, "a damaged file is left for a person to look at");
    assert!(scan_results(tmp.path()).is_err());
}

#[test]
fn rows_out_of_order_are_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest(5, 0, 1);
    write_folder(tmp.path(), &m, [0, 2]);
    append_raw(tmp.path(), line(1).as_bytes());
    let err = ResultsDir::open(tmp.path(), &m, true).unwrap_err().to_string();
    assert!(err.contains("results.jsonl:3: combination 1 is out of order"), "{err}");
    // A row given twice is out of order as well.
    let tmp = tempfile::tempdir().unwrap();
    write_folder(tmp.path(), &m, [0, 1]);
    append_raw(tmp.path(), line(1).as_bytes());
    let err = scan_results(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("combination 1 is out of order"), "{err}");
}

#[test]
fn a_folder_is_resumed_only_when_asked_and_only_for_its_own_plan_and_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest(4, 1, 2);
    write_folder(tmp.path(), &m, [1]);
    let err = ResultsDir::open(tmp.path(), &m, false).unwrap_err().to_string();
    assert!(err.contains("already holds batch results: pass --resume"), "{err}");
    for other in [manifest(4, 0, 2), manifest(6, 1, 2), manifest(4, 1, 3)] {
        let err = ResultsDir::open(tmp.path(), &other, true).unwrap_err().to_string();
        assert!(err.contains("holds results of another plan, plan version or shard"), "{err}");
    }
    let mut changed = m.clone();
    changed.fingerprint = "edited plan".into();
    assert!(ResultsDir::open(tmp.path(), &changed, true).is_err());
    assert_eq!(results(tmp.path()), line(1).into_bytes(), "a refused resume touches nothing");
}

#[test]
fn resume_of_a_new_folder_starts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let m = manifest(2, 0, 1);
    let out = ResultsDir::open(&dir, &m, true).unwrap();
    assert!(out.done().is_empty());
    drop(out);
    assert!(dir.join(MANIFEST).is_file());
    assert_eq!(scan_results(&dir).unwrap(), (Vec::new(), 0));
}

#[test]
fn a_missing_results_file_holds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(scan_results(tmp.path()).unwrap(), (Vec::new(), 0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever byte a crash stops the file at, resuming keeps exactly the rows whose line is
    /// complete, cuts the rest, and finishing the run gives the file an uninterrupted run writes.
    #[test]
    fn resume_after_a_cut_at_any_byte_restores_the_run(rows in 1..6u64, cut in 0.0..=1.0f64) {
        let tmp = tempfile::tempdir().unwrap();
        let m = manifest(rows, 0, 1);
        write_folder(tmp.path(), &m, 0..rows);
        let whole = results(tmp.path());
        let at = ((whole.len() as f64) * cut) as usize;
        std::fs::OpenOptions::new().write(true).open(tmp.path().join(RESULTS)).unwrap()
            .set_len(at as u64).unwrap();
        // The rows whose line, newline included, ends at or before the cut.
        let mut kept = Vec::new();
        let mut end = 0;
        for i in 0..rows {
            let next = end + line(i).len();
            if next > at {
                break;
            }
            kept.push(i);
            end = next;
        }
        prop_assert_eq!(scan_results(tmp.path()).unwrap(), (kept.clone(), end as u64));
        let mut out = ResultsDir::open(tmp.path(), &m, true).unwrap();
        prop_assert_eq!(out.done(), &kept[..]);
        prop_assert_eq!(results(tmp.path()).len(), end);
        for i in kept.len() as u64..rows {
            out.append(&row(i), 0.5).unwrap();
        }
        out.finish().unwrap();
        prop_assert_eq!(results(tmp.path()), whole);
    }
}
