//! A bounded fuzz loop per input kind (design, scenario, plan, policy, price snapshot), on stable
//! Rust, so CI runs it on every push (issue 18). `cargo fuzz` (libFuzzer) needs nightly and a C++
//! toolchain the CI image does not promise; the `fuzz/` targets remain for deeper runs with it.
//!
//! Each kind starts from real files (the examples, the shipped packs and snapshot) and the
//! adversarial corpus, and mutates them with a seeded generator: bytes flipped, runs deleted or
//! repeated, tokens a loader must weigh inserted (huge numbers, `NaN`, `Fixed(value: "0s")`,
//! terminal escapes, deep nesting), files truncated or spliced together. Every input must load
//! or be refused with a located error, never panic, and each within [`MAX_INPUT_TIME`] (a watchdog
//! thread ends the run on a slower input, so a hang fails instead of stalling CI).
//!
//! Time: `MERIDIAN_FUZZ_SECONDS` per kind (default 2, so `cargo test` stays quick; CI sets 20, two
//! minutes in all with start-up). Seed: `MERIDIAN_FUZZ_SEED`, else the clock; the seed is printed
//! first, an input that fails is written to `target/fuzz-failures/` and named in the failure, and
//! the input being loaded is kept in `target/fuzz-failures/in-flight-KIND.ron` until the loop ends,
//! so an input that aborts the process (a stack overflow) is there afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use meridian_model::compliance::Policy;
use meridian_model::cost::PriceSnapshot;
use meridian_model::design::EntityRef;
use meridian_model::{Catalog, format};
use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use support::workspace_root;

/// The longest one input may take to load or be refused.
const MAX_INPUT_TIME: Duration = Duration::from_secs(5);

/// The largest mutated input, in bytes (the loaders' own limits are tested in `limits.rs`).
const MAX_INPUT_BYTES: usize = 1 << 20;

/// Tokens inserted whole: values at and past the bounds, degenerate times, escapes, nesting.
const TOKENS: &[&str] = &[
    "4294967295",
    "18446744073709551615",
    "-1",
    "+1",
    "NaN",
    "inf",
    "1e308",
    "0",
    "\"0s\"",
    "\"100001y\"",
    "\"1us\"",
    "Fixed(value: \"0s\")",
    "Exponential(mean: \"0s\")",
    "\"\u{1b}[2J\u{7}\"",
    "\"\u{202e}\"",
    "((((((((((((((((((((((((((((((((",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "Some(",
    "None",
    "count: ",
    "runs: ",
    "horizon: ",
    "designs: [\"/etc/passwd\", \"../../x\"]",
    ",",
    ")",
    "]",
    ":",
    "\"",
    "//",
    "/*",
];

/// The number of seconds to fuzz each kind.
fn budget() -> Duration {
    let secs = std::env::var("MERIDIAN_FUZZ_SECONDS").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(2);
    Duration::from_secs(secs)
}

fn rng_for(kind: &str) -> (TestRng, u64) {
    let seed =
        std::env::var("MERIDIAN_FUZZ_SEED").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs())
        });
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    for (i, b) in kind.bytes().enumerate().take(24) {
        bytes[8 + i] = b;
    }
    (TestRng::from_seed(RngAlgorithm::ChaCha, &bytes), seed)
}

fn below(rng: &mut TestRng, n: usize) -> usize {
    if n == 0 { 0 } else { (rng.next_u64() % n as u64) as usize }
}

/// One mutation of `input`, with `other` for splicing.
fn mutate(rng: &mut TestRng, input: &mut Vec<u8>, other: &[u8]) {
    let len = input.len();
    match below(rng, 8) {
        0 if len > 0 => {
            let at = below(rng, len);
            input[at] = (rng.next_u64() & 0xff) as u8;
        }
        1 if len > 0 => {
            let at = below(rng, len);
            let n = below(rng, 64.min(len - at) + 1);
            input.drain(at..at + n);
        }
        2 if len > 0 => {
            let at = below(rng, len);
            let n = below(rng, 256.min(len - at) + 1);
            let copy = input[at..at + n].to_vec();
            let times = 1 + below(rng, 8);
            for _ in 0..times {
                input.splice(at..at, copy.iter().copied());
            }
        }
        3 => input.truncate(below(rng, len + 1)),
        4 if !other.is_empty() => {
            let cut = below(rng, len + 1);
            let from = below(rng, other.len());
            input.truncate(cut);
            input.extend_from_slice(&other[from..]);
        }
        _ => {
            let token = TOKENS[below(rng, TOKENS.len())];
            let at = below(rng, len + 1);
            input.splice(at..at, token.bytes());
        }
    }
    input.truncate(MAX_INPUT_BYTES);
}

/// Files of the kind: every `*.ron` in `dirs` whose text starts (after comments) with `head`.
fn seeds(dirs: &[&str], head: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(workspace_root().join(dir)) else { continue };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "ron") {
                let bytes = std::fs::read(&p).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                let body = text.lines().find(|l| !l.trim_start().starts_with("//") && !l.trim().is_empty());
                if head.is_empty() || body.is_some_and(|l| l.trim_start().starts_with(head)) {
                    out.push(bytes);
                }
            }
        }
    }
    assert!(!out.is_empty(), "no seed files for {head} in {dirs:?}");
    out
}

/// Writes a failing input to `target/fuzz-failures/` and returns its path.
fn keep_failure(kind: &str, seed: u64, run: u64, input: &[u8]) -> PathBuf {
    let dir = workspace_root().join("target/fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{kind}-{seed}-{run}.ron"));
    std::fs::write(&file, input).unwrap();
    file
}

/// The input being loaded and since when, for the watchdog.
type Current = Arc<Mutex<Option<(Instant, u64, Vec<u8>)>>>;

/// Runs `load` on mutated seeds for the time budget; fails on a panic, and a watchdog thread ends
/// the process when one input takes longer than [`MAX_INPUT_TIME`] (a hang would never return).
fn fuzz(kind: &str, seeds: &[Vec<u8>], load: impl Fn(&[u8])) {
    let (mut rng, seed) = rng_for(kind);
    // Written past the test harness's capture, so the seed is on record even when the process
    // aborts (a stack overflow cannot be caught; it once ended CI with no seed to replay).
    let _ = writeln!(std::io::stderr(), "fuzz {kind}: MERIDIAN_FUZZ_SEED={seed}");
    // Each input is on disk while it loads: after an abort this file holds the input that did it.
    let in_flight = workspace_root().join(format!("target/fuzz-failures/in-flight-{kind}.ron"));
    std::fs::create_dir_all(in_flight.parent().unwrap()).unwrap();
    let deadline = Instant::now() + budget();
    let current: Current = Arc::new(Mutex::new(None));
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (current, done, kind) = (Arc::clone(&current), Arc::clone(&done), kind.to_owned());
        std::thread::Builder::new()
            .name(format!("fuzz-watchdog-{kind}"))
            .spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    let guard = current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if let Some((started, run, input)) = guard.as_ref()
                        && started.elapsed() > MAX_INPUT_TIME
                    {
                        let file = keep_failure(&kind, seed, *run, input);
                        eprintln!(
                            "{kind}: input {} took over {MAX_INPUT_TIME:?} (seed {seed})",
                            file.display()
                        );
                        std::process::exit(101);
                    }
                }
            })
            .unwrap()
    };
    let mut runs = 0u64;
    while Instant::now() < deadline {
        let mut input = seeds[below(&mut rng, seeds.len())].clone();
        let other = &seeds[below(&mut rng, seeds.len())];
        for _ in 0..=below(&mut rng, 6) {
            mutate(&mut rng, &mut input, other);
        }
        std::fs::write(&in_flight, &input).unwrap();
        *current.lock().unwrap() = Some((Instant::now(), runs, input.clone()));
        let outcome = catch_unwind(AssertUnwindSafe(|| load(&input)));
        *current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        if outcome.is_err() {
            let file = keep_failure(kind, seed, runs, &input);
            panic!("{kind}: panic on input {} (seed {seed}, run {runs})", file.display());
        }
        runs += 1;
    }
    done.store(true, Ordering::Relaxed);
    watchdog.join().unwrap();
    std::fs::remove_file(&in_flight).unwrap();
    eprintln!("fuzz {kind}: {runs} inputs in {:?} (MERIDIAN_FUZZ_SEED={seed})", budget());
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

#[test]
fn fuzz_designs() {
    let seeds = seeds(&["examples", "app/tests/corpus/bad"], "");
    fuzz("design", &seeds, |b| {
        let _ = format::load_bytes(b, Path::new("fuzz.ron"), catalog());
        // `meridian validate` reads the map of where entities are written while the text loads,
        // so the map reads texts that do not load too: it must end, without a panic.
        if let Some(map) = std::str::from_utf8(b).ok().and_then(format::SourceMap::new) {
            let _ = map.position(&EntityRef::Service("api".into()), Some("config.count"));
        }
    });
}

#[test]
fn fuzz_scenarios() {
    let design = format::load_file(&workspace_root().join("examples/active-active-2region.ron"), catalog())
        .unwrap()
        .design;
    let seeds = seeds(&["examples/scenarios/theory", "app/tests/corpus/bad-scenario"], "");
    fuzz("scenario", &seeds, |b| {
        let _ = meridian_sim::load_scenario_str(&text(b), Path::new("fuzz.ron"), &design);
    });
}

#[test]
fn fuzz_plans() {
    let seeds = seeds(&["examples/batch", "app/tests/corpus/bad-plan"], "");
    fuzz("plan", &seeds, |b| {
        let _ = meridian_batch::load_plan_str(&text(b), Path::new("fuzz.ron"));
    });
}

#[test]
fn fuzz_policies() {
    let seeds = seeds(&["assets/compliance/packs", "app/tests/corpus/bad-policy"], "");
    fuzz("policy", &seeds, |b| {
        let _ = Policy::from_str(&text(b), Path::new("fuzz.ron"));
    });
}

#[test]
fn fuzz_price_snapshots() {
    // The embedded snapshot is large (0.4 MB): seed with its start and the corpus, so that each
    // input is parsed quickly and the loop tries many.
    let full = std::fs::read(workspace_root().join("assets/pricing/snapshot.ron")).unwrap();
    let mut seeds = seeds(&["app/tests/corpus/bad-prices"], "");
    seeds.push(full[..full.len().min(16 * 1024)].to_vec());
    fuzz("prices", &seeds, |b| {
        let _ = PriceSnapshot::parse(&text(b), Path::new("fuzz.ron"));
    });
}
