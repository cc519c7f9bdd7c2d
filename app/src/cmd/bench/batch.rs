//! `meridian bench batch`: a plan of designs x scenarios x runs through the batch runner,
//! against the same simulations called directly; and resident memory as the plan proceeds.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context;
use meridian_batch::{Matrix, PlanProgress, ResultSet, RunOptions, Shard, run_plan};
use meridian_model::format;
use meridian_sim::{BUILTIN_NAMES, SimOptions, builtin, simulate};

use crate::cmd::batch::convert;
use crate::exit;

/// Interleaved repetitions of both timings.
const REPEATS: usize = 3;

/// Resident and peak memory of this process in MiB, from /proc (0 where there is none).
fn memory_mib() -> (f64, f64) {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Runs the benchmark.
pub fn run(designs: u32, scenarios: u32, runs: u32, horizon: Option<&str>) -> anyhow::Result<u8> {
    let catalog = crate::cmd::catalog()?;
    let examples: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir("examples")
            .context("run the benchmark from the workspace root (it reads examples/)")?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        v.sort();
        v
    };
    if examples.is_empty() {
        return Err(exit::BadInput("examples/ holds no design".into()).into());
    }
    let dir = std::env::temp_dir().join(format!("meridian-bench-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("designs"))?;
    let mut design_files = Vec::new();
    for i in 0..designs as usize {
        let src = &examples[i % examples.len()];
        let dst = dir.join("designs").join(format!("d{i:04}.ron"));
        std::fs::copy(src, &dst)?;
        design_files.push(dst);
    }
    // Scenarios: the built-ins, then the built-ins again with other seeds (as scenario names
    // cannot repeat, extra scenarios are seeds).
    let names: Vec<&str> = BUILTIN_NAMES.iter().copied().take(scenarios as usize).collect();
    let seeds: Vec<u64> = (1..=u64::from(scenarios.div_ceil(BUILTIN_NAMES.len() as u32))).collect();
    let horizon_field = horizon.map(|h| format!("    horizon: \"{h}\",\n")).unwrap_or_default();
    let plan = format!(
        "Plan(\n    name: \"bench\",\n    designs: [\"designs/*.ron\"],\n    scenarios: [{}],\n    runs: {runs},\n{horizon_field}    seeds: [{}],\n)\n",
        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
        seeds.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    );
    let plan_path = dir.join("plan.ron");
    std::fs::write(&plan_path, plan)?;
    let m = Matrix::load(&plan_path, catalog).map_err(convert)?;
    let horizon_span = match horizon {
        Some(h) => Some(h.parse().map_err(|e| exit::BadInput(format!("--horizon: {e}")))?),
        None => None,
    };
    let cancel = AtomicBool::new(false);

    // The same simulations, called directly, and through the batch runner (simulation, cost,
    // compliance, gates, fsynced rows, report), interleaved REPEATS times; medians are reported
    // because the machine is shared.
    let direct = || -> anyhow::Result<(f64, u64)> {
        let t0 = Instant::now();
        let mut n = 0u64;
        for f in &design_files {
            let design = format::load_file(f, catalog)?.design;
            for name in &names {
                for &seed in &seeds {
                    let s = builtin(name, &design, catalog).context("built-in scenario")?;
                    let options = SimOptions {
                        runs: Some(runs),
                        seed: Some(seed),
                        horizon: horizon_span,
                        threads: 0,
                        keep_runs: false,
                    };
                    n += u64::from(simulate(&design, catalog, &s, &options, &|_| {}, &cancel)?.results.runs);
                }
            }
        }
        Ok((t0.elapsed().as_secs_f64(), n))
    };
    let rss = Mutex::new(Vec::<f64>::new());
    let last_done = Mutex::new(0u64);
    let progress = |p: PlanProgress| {
        if let (Ok(mut last), Ok(mut v)) = (last_done.lock(), rss.lock())
            && p.combinations_done > *last
        {
            *last = p.combinations_done;
            v.push(memory_mib().0);
        }
    };
    let mut direct_times = Vec::new();
    let mut batch_times = Vec::new();
    let mut direct_runs = 0;
    let mut ran = 0;
    for rep in 0..REPEATS {
        let (t, n) = direct()?;
        direct_times.push(t);
        direct_runs = n;
        if let (Ok(mut last), Ok(mut v)) = (last_done.lock(), rss.lock()) {
            *last = 0;
            v.clear();
        }
        let out = dir.join(format!("out-{rep}"));
        let t1 = Instant::now();
        let options = RunOptions { shard: Shard::WHOLE, resume: false, threads: 0 };
        ran = run_plan(&m, catalog, &out, &options, &progress, &cancel).map_err(convert)?.ran;
        let set = ResultSet::open(std::slice::from_ref(&out)).map_err(convert)?;
        set.write_json(&dir.join("report.json")).map_err(convert)?;
        batch_times.push(t1.elapsed().as_secs_f64());
    }
    let direct_s = super::median_ms(direct_times);
    let batch_s = super::median_ms(batch_times);
    let samples = rss.into_inner().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    report(
        &Figures {
            designs,
            names: names.len(),
            seeds: seeds.len(),
            runs,
            combos: ran,
            direct_runs,
            direct_s,
            batch_s,
            samples: &samples,
        },
        &plan_path,
    );
    Ok(exit::SUCCESS)
}

struct Figures<'a> {
    designs: u32,
    names: usize,
    seeds: usize,
    runs: u32,
    combos: u64,
    direct_runs: u64,
    direct_s: f64,
    batch_s: f64,
    samples: &'a [f64],
}

fn report(f: &Figures<'_>, _plan: &Path) {
    let first = f.samples.first().copied().unwrap_or(0.0);
    let half = f.samples.get(f.samples.len() / 2).copied().unwrap_or(0.0);
    let last = f.samples.last().copied().unwrap_or(0.0);
    let max = f.samples.iter().copied().fold(0.0, f64::max);
    let (_, peak) = memory_mib();
    crate::outln!(
        "designs={} scenarios={} seeds={} runs_per_combination={} combinations={} runs={}",
        f.designs,
        f.names,
        f.seeds,
        f.runs,
        f.combos,
        f.direct_runs
    );
    crate::outln!(
        "rss_mib_after_first={first:.1} rss_mib_at_half={half:.1} rss_mib_at_end={last:.1} rss_mib_max={max:.1} peak_rss_mib={peak:.1}"
    );
    crate::outln!(
        "repeats={REPEATS} direct_s_median={:.3} batch_s_median={:.3} overhead_pct={:.1}",
        f.direct_s,
        f.batch_s,
        (f.batch_s / f.direct_s.max(1e-9) - 1.0) * 100.0
    );
}
