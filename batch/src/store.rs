//! The results folder of one batch run (or one shard): a manifest, the results file and the
//! timing file.
//!
//! - `manifest.json` names the plan's fingerprint, the number of combinations and the shard; it
//!   is written atomically (temp file, fsync, rename) before any result.
//! - `results.jsonl` holds one [`Row`] a line, appended in combination order, each line written
//!   and fsynced by a writer thread while the next combination runs (so the disk's sync latency
//!   does not add to the batch's time). A crash can leave at most a torn last line, which
//!   [`ResultsDir::open`] cuts off on `--resume`; finished lines are never rewritten.
//! - `timing.jsonl` holds wall-clock seconds per combination, kept apart so that results
//!   compare bit for bit between runs.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use meridian_model::format::{self, LoadError, SaveError};
use serde::{Deserialize, Serialize};

use crate::error::BatchError;
use crate::row::Row;

/// Version of the results folder layout.
pub const LAYOUT_VERSION: u32 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The results file's name.
pub const RESULTS: &str = "results.jsonl";
/// The timing file's name.
pub const TIMING: &str = "timing.jsonl";

/// What a results folder holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Layout version.
    pub layout: u32,
    /// The plan's name.
    pub plan: String,
    /// The plan's fingerprint.
    pub fingerprint: String,
    /// Combinations in the whole plan.
    pub combinations: u64,
    /// This shard (0-based).
    pub shard: u64,
    /// Shards in all.
    pub shards: u64,
}

/// An open results folder.
#[derive(Debug)]
pub struct ResultsDir {
    dir: PathBuf,
    /// Rows and timing lines for the writer thread.
    tx: Option<SyncSender<(String, String)>>,
    /// The writer thread: appends, fsyncs, and returns its first error.
    writer: Option<JoinHandle<Result<(), BatchError>>>,
    /// Indices already finished, in order.
    done: Vec<u64>,
}

/// Rows waiting for the writer thread at most (memory stays bounded).
const QUEUE: usize = 4;

fn writer_loop(
    dir: &Path,
    mut results: File,
    mut timing: File,
    rx: &Receiver<(String, String)>,
) -> Result<(), BatchError> {
    let path = dir.join(RESULTS);
    let tpath = dir.join(TIMING);
    for (line, t) in rx {
        results.write_all(line.as_bytes()).map_err(|e| BatchError::io(&path, e))?;
        results.sync_data().map_err(|e| BatchError::io(&path, e))?;
        timing.write_all(t.as_bytes()).map_err(|e| BatchError::io(&tpath, e))?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), BatchError> {
    // Make the rename durable; opening a directory for fsync works on Unix and is skipped elsewhere.
    if cfg!(unix) {
        File::open(dir).and_then(|f| f.sync_all()).map_err(|e| BatchError::io(dir, e))?;
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically with the model's one safe write
/// ([`meridian_model::format::write_atomic`]: a temp file beside it, fsync, rename, fsync the
/// folder), reporting a failure as [`BatchError::Io`] on `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), BatchError> {
    format::write_atomic(path, bytes, false).map_err(|e| match e {
        SaveError::Io { source, .. } => BatchError::io(path, source),
        SaveError::Serialize { message, .. } => BatchError::Encode(message),
    })
}

/// Reads the manifest of `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, BatchError> {
    let path = dir.join(MANIFEST);
    if !dir.is_dir() {
        let why = if dir.exists() { "is not a folder" } else { "no such folder" };
        return Err(BatchError::Input(format!("{}: error: {why} of batch results", dir.display())));
    }
    // Bounded, and only a regular file: a manifest is a few hundred bytes of JSON.
    let text = format::read_text(&path, format::Limit::Manifest)?;
    serde_json::from_str(&text).map_err(|e| {
        // serde_json ends its message with " at line L column C"; the location leads instead.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        BatchError::Load(LoadError {
            file: path.clone(),
            line: e.line().max(1),
            col: e.column().max(1),
            message: format!("not a Meridian batch manifest: {message}"),
            field: None,
        })
    })
}

/// Parses the complete lines of `dir`'s results file; returns the rows' (index, line) and the
/// length in bytes of the complete part (a torn last line is not included).
pub fn scan_results(dir: &Path) -> Result<(Vec<u64>, u64), BatchError> {
    let path = dir.join(RESULTS);
    let mut bytes = Vec::new();
    match File::open(&path) {
        Ok(mut f) => {
            f.read_to_end(&mut bytes).map_err(|e| BatchError::io(&path, e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(BatchError::io(&path, e)),
    }
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let mut indices = Vec::new();
    for (n, line) in bytes[..complete].split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let row: Row = serde_json::from_slice(line).map_err(|e| {
            BatchError::Input(format!("{}:{}: a finished result does not parse: {e}", path.display(), n + 1))
        })?;
        if indices.last().is_some_and(|&last| row.index <= last) {
            return Err(BatchError::Input(format!(
                "{}:{}: combination {} is out of order",
                path.display(),
                n + 1,
                row.index
            )));
        }
        indices.push(row.index);
    }
    Ok((indices, complete as u64))
}

impl ResultsDir {
    /// Opens `dir` for the run described by `manifest`: creates it when new; with `resume`,
    /// keeps the finished results of the same plan and shard (cutting off a torn last line).
    pub fn open(dir: &Path, manifest: &Manifest, resume: bool) -> Result<ResultsDir, BatchError> {
        std::fs::create_dir_all(dir).map_err(|e| BatchError::io(dir, e))?;
        let has_manifest = dir.join(MANIFEST).exists();
        let mut done = Vec::new();
        if has_manifest {
            let old = read_manifest(dir)?;
            if !resume {
                return Err(BatchError::Input(format!(
                    "{} already holds batch results: pass --resume to continue them, or choose another --out",
                    dir.display()
                )));
            }
            if old != *manifest {
                return Err(BatchError::Input(format!(
                    "{} holds results of another plan, plan version or shard ({} shard {}/{}); they cannot be resumed: choose another --out",
                    dir.display(),
                    old.plan,
                    old.shard,
                    old.shards
                )));
            }
            let (indices, complete) = scan_results(dir)?;
            let path = dir.join(RESULTS);
            if let Ok(f) = OpenOptions::new().write(true).open(&path) {
                f.set_len(complete).map_err(|e| BatchError::io(&path, e))?;
                f.sync_all().map_err(|e| BatchError::io(&path, e))?;
            }
            done = indices;
        } else {
            let text =
                serde_json::to_string_pretty(manifest).map_err(|e| BatchError::Encode(e.to_string()))?;
            write_atomic(&dir.join(MANIFEST), (text + "\n").as_bytes())?;
        }
        let open = |name: &str| -> Result<File, BatchError> {
            let p = dir.join(name);
            let mut f =
                OpenOptions::new().create(true).append(true).open(&p).map_err(|e| BatchError::io(&p, e))?;
            f.seek(SeekFrom::End(0)).map_err(|e| BatchError::io(&p, e))?;
            Ok(f)
        };
        let results = open(RESULTS)?;
        let timing = open(TIMING)?;
        sync_dir(dir)?;
        let (tx, rx) = sync_channel::<(String, String)>(QUEUE);
        let wdir = dir.to_owned();
        let writer = std::thread::Builder::new()
            .name("meridian-batch-writer".into())
            .spawn(move || writer_loop(&wdir, results, timing, &rx))
            .map_err(|e| BatchError::io(dir, e))?;
        Ok(ResultsDir { dir: dir.to_owned(), tx: Some(tx), writer: Some(writer), done })
    }

    /// Indices finished before this run, in order.
    pub fn done(&self) -> &[u64] {
        &self.done
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Queues `row` and its wall-clock time for the writer thread, which appends and fsyncs it.
    pub fn append(&mut self, row: &Row, wall_s: f64) -> Result<(), BatchError> {
        let mut line = serde_json::to_string(row).map_err(|e| BatchError::Encode(e.to_string()))?;
        line.push('\n');
        let t = format!("{{\"index\":{},\"wall_s\":{wall_s}}}\n", row.index);
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send((line, t)).is_ok());
        if !sent {
            // The writer stopped: its error says why.
            self.finish()?;
            return Err(BatchError::Input(format!("{}: the results writer stopped", self.dir.display())));
        }
        Ok(())
    }

    /// Waits until every queued row is on disk; returns the writer's first error.
    pub fn finish(&mut self) -> Result<(), BatchError> {
        self.tx = None;
        match self.writer.take() {
            Some(h) => h.join().map_err(|_| BatchError::Input("the results writer panicked".into()))?,
            None => Ok(()),
        }
    }
}

impl Drop for ResultsDir {
    fn drop(&mut self) {
        // Rows already finished still reach the disk when a later combination fails.
        let _ = self.finish();
    }
}

/// The one field of a row that ordering needs.
#[derive(Deserialize)]
struct IndexOnly {
    index: u64,
}

/// Reads `dir`'s results file line by line: (index, the line as written).
pub fn read_lines(dir: &Path) -> Result<impl Iterator<Item = Result<(u64, String), BatchError>>, BatchError> {
    let path = dir.join(RESULTS);
    let f = File::open(&path).map_err(|e| BatchError::io(&path, e))?;
    let reader = BufReader::new(f);
    Ok(reader.lines().filter(|l| l.as_ref().map_or(true, |l| !l.is_empty())).map(move |l| {
        let line = l.map_err(|e| BatchError::io(&path, e))?;
        let i: IndexOnly = serde_json::from_str(&line)
            .map_err(|e| BatchError::Input(format!("{}: a result does not parse: {e}", path.display())))?;
        Ok((i.index, line))
    }))
}

#[cfg(test)]
mod tests;
