//! Reports over one or more results folders: the JSON report and the summary, with shards merged
//! into exactly what one unsharded run would have produced.
//!
//! Rows are read back from the folders' results files in combination order (a k-way merge of
//! files that are each in order), and written out line for line as they were recorded, so the
//! report of merged shards is byte-identical to the report of a single run. Nothing is held in
//! memory beyond one row per folder.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::BatchError;
use crate::matrix::shard_len;
use crate::row::Row;
use crate::store::{MANIFEST, Manifest, read_lines, read_manifest, scan_results, write_atomic};

/// Counts over a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Combinations.
    pub combinations: u64,
    /// Combinations whose every gate passed.
    pub passed: u64,
    /// Combinations with a failed gate.
    pub failed: u64,
    /// Gate results that failed, over all combinations.
    pub gate_failures: u64,
    /// Gate results in all.
    pub gate_results: u64,
}

/// A complete set of results folders: one run, or every shard of one plan.
#[derive(Debug, Clone)]
pub struct ResultSet {
    /// The folders, by shard.
    pub dirs: Vec<PathBuf>,
    /// The plan's manifest (of shard 0).
    pub manifest: Manifest,
}

/// Folders under `dir` that hold a manifest (`dir` itself when it does), sorted.
fn expand(dir: &Path) -> Result<Vec<PathBuf>, BatchError> {
    if dir.join(MANIFEST).is_file() {
        return Ok(vec![dir.to_owned()]);
    }
    let rd = std::fs::read_dir(dir).map_err(|e| BatchError::io(dir, e))?;
    let mut out: Vec<PathBuf> =
        rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join(MANIFEST).is_file()).collect();
    out.sort();
    if out.is_empty() {
        return Err(BatchError::Input(format!(
            "{}: error: holds no batch results (no {MANIFEST} in it or its subfolders)",
            dir.display()
        )));
    }
    Ok(out)
}

impl ResultSet {
    /// Opens `dirs` (results folders, or folders holding them) and checks that they are every
    /// shard of one plan, once each, and finished.
    pub fn open(dirs: &[PathBuf]) -> Result<ResultSet, BatchError> {
        let mut found = Vec::new();
        for d in dirs {
            found.extend(expand(d)?);
        }
        let mut by_shard: Vec<(Manifest, PathBuf)> = Vec::new();
        for d in found {
            by_shard.push((read_manifest(&d)?, d));
        }
        let Some((first, _)) = by_shard.first().cloned() else {
            return Err(BatchError::Input("no results folder given".into()));
        };
        for (m, d) in &by_shard {
            if m.fingerprint != first.fingerprint
                || m.shards != first.shards
                || m.combinations != first.combinations
            {
                return Err(BatchError::Input(format!(
                    "{} holds results of another plan or another split ({} in {} shards) than {} ({} in {} shards)",
                    d.display(),
                    m.plan,
                    m.shards,
                    by_shard[0].1.display(),
                    first.plan,
                    first.shards
                )));
            }
        }
        by_shard.sort_by_key(|(m, _)| m.shard);
        for (k, (m, d)) in by_shard.iter().enumerate() {
            if m.shard != k as u64 {
                let what = if m.shard < k as u64 { "given twice" } else { "missing" };
                let shard = if m.shard < k as u64 { m.shard } else { k as u64 };
                return Err(BatchError::Input(format!(
                    "shard {shard} of {} is {what} (at {})",
                    first.shards,
                    d.display()
                )));
            }
        }
        if by_shard.len() as u64 != first.shards {
            return Err(BatchError::Input(format!(
                "shard {} of {} is missing: give every shard's folder",
                by_shard.len(),
                first.shards
            )));
        }
        for (m, d) in &by_shard {
            let (indices, _) = scan_results(d)?;
            let expected = shard_len(m.combinations, m.shard, m.shards);
            if indices.len() as u64 != expected {
                return Err(BatchError::Input(format!(
                    "{} is unfinished: {} of {} combinations; run it again with --resume",
                    d.display(),
                    indices.len(),
                    expected
                )));
            }
        }
        Ok(ResultSet { dirs: by_shard.into_iter().map(|(_, d)| d).collect(), manifest: first })
    }

    /// Opens one shard's folder on its own (for its summary), checking that it is finished.
    pub fn shard(dir: &Path) -> Result<ResultSet, BatchError> {
        let m = read_manifest(dir)?;
        let (indices, _) = scan_results(dir)?;
        let expected = shard_len(m.combinations, m.shard, m.shards);
        if indices.len() as u64 != expected {
            return Err(BatchError::Input(format!(
                "{} is unfinished: {} of {expected} combinations; run it again with --resume",
                dir.display(),
                indices.len()
            )));
        }
        Ok(ResultSet { dirs: vec![dir.to_owned()], manifest: m })
    }

    /// Every row's line in combination order.
    pub fn lines(&self) -> Result<impl Iterator<Item = Result<String, BatchError>>, BatchError> {
        let mut iters = Vec::new();
        for d in &self.dirs {
            iters.push(read_lines(d)?.peekable());
        }
        Ok(Merge { iters, next: 0 })
    }

    /// Every row in combination order.
    pub fn rows(&self) -> Result<impl Iterator<Item = Result<(Row, String), BatchError>>, BatchError> {
        Ok(self.lines()?.map(|l| {
            let line = l?;
            let row: Row = serde_json::from_str(&line)
                .map_err(|e| BatchError::Input(format!("a result does not parse: {e}")))?;
            Ok((row, line))
        }))
    }

    /// Writes the JSON report to `path` (atomically) and returns the summary.
    pub fn write_json(&self, path: &Path) -> Result<Summary, BatchError> {
        let mut buf: Vec<u8> = Vec::new();
        let summary = self.json_to(&mut buf)?;
        write_atomic(path, &buf)?;
        Ok(summary)
    }

    /// Writes the JSON report to `out`.
    pub fn json_to(&self, out: &mut dyn Write) -> Result<Summary, BatchError> {
        let enc = |e: serde_json::Error| BatchError::Encode(e.to_string());
        let io = |e: std::io::Error| BatchError::Encode(e.to_string());
        let mut w = BufWriter::new(out);
        write!(
            w,
            "{{\"plan\":{},\"fingerprint\":{},\"combinations\":{},\"rows\":[",
            serde_json::to_string(&self.manifest.plan).map_err(enc)?,
            serde_json::to_string(&self.manifest.fingerprint).map_err(enc)?,
            self.manifest.combinations
        )
        .map_err(io)?;
        let mut s = Summary::default();
        for (n, r) in self.rows()?.enumerate() {
            let (row, line) = r?;
            if row.index != n as u64 {
                return Err(BatchError::Input(format!("combination {n} is missing from the results")));
            }
            s.add(&row);
            w.write_all(if n == 0 { b"\n" } else { b",\n" }).map_err(io)?;
            w.write_all(line.as_bytes()).map_err(io)?;
        }
        write!(
            w,
            "\n],\"summary\":{{\"combinations\":{},\"passed\":{},\"failed\":{},\"gate_results\":{},\"gate_failures\":{}}}}}\n",
            s.combinations, s.passed, s.failed, s.gate_results, s.gate_failures
        )
        .map_err(io)?;
        w.flush().map_err(io)?;
        Ok(s)
    }

    /// The summary alone.
    pub fn summary(&self) -> Result<Summary, BatchError> {
        let mut s = Summary::default();
        for r in self.rows()? {
            s.add(&r?.0);
        }
        Ok(s)
    }
}

impl Summary {
    fn add(&mut self, row: &Row) {
        self.combinations += 1;
        if row.passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        self.gate_results += row.gates.len() as u64;
        self.gate_failures += row.gates.iter().filter(|g| !g.passed).count() as u64;
    }
}

/// A k-way merge of per-shard line iterators by combination index.
struct Merge<I: Iterator<Item = Result<(u64, String), BatchError>>> {
    iters: Vec<std::iter::Peekable<I>>,
    next: u64,
}

impl<I: Iterator<Item = Result<(u64, String), BatchError>>> Iterator for Merge<I> {
    type Item = Result<String, BatchError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut best: Option<(usize, u64)> = None;
        for (k, it) in self.iters.iter_mut().enumerate() {
            match it.peek() {
                Some(Ok((i, _))) if best.is_none_or(|(_, b)| *i < b) => best = Some((k, *i)),
                Some(Err(_)) => return it.next().map(|r| r.map(|(_, l)| l)),
                Some(Ok(_)) | None => {}
            }
        }
        let (k, i) = best?;
        if i < self.next {
            return Some(Err(BatchError::Input(format!("combination {i} appears twice in the results"))));
        }
        self.next = i + 1;
        self.iters[k].next().map(|r| r.map(|(_, l)| l))
    }
}

/// Opens `dirs` and writes the JSON report; for `meridian merge` and `meridian batch --json`.
pub fn write_report(dirs: &[PathBuf], path: &Path) -> Result<Summary, BatchError> {
    ResultSet::open(dirs)?.write_json(path)
}

/// Creates `path` for writing, with its error.
pub fn create(path: &Path) -> Result<File, BatchError> {
    File::create(path).map_err(|e| BatchError::io(path, e))
}

#[cfg(test)]
mod tests;
