//! `meridian batch` and `meridian merge`: run a plan (or a shard of it) with a progress bar,
//! write the JSON report and JUnit XML, merge shards, emit cluster manifests.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use meridian_batch::emit::{EmitOptions, Engine, emit};
use meridian_batch::junit::write_junit;
use meridian_batch::{BatchError, Matrix, PlanProgress, ResultSet, RunOptions, Shard, Summary, run_plan};

use crate::cli::{BatchArgs, EmitArg, MergeArgs};
use crate::exit;

/// A batch error as the app reports it: bad input exits 2, the rest 3.
pub fn convert(e: BatchError) -> anyhow::Error {
    if e.is_bad_input() { exit::BadInput(e.to_string()).into() } else { anyhow::Error::new(e) }
}

/// Parses `K/N`; K may be the name of an environment variable holding it.
pub fn parse_shard(text: &str) -> Result<Shard, exit::BadInput> {
    let bad = |why: String| exit::BadInput(format!("--shard {text}: {why}"));
    let (k, n) = text.split_once('/').ok_or_else(|| bad("write K/N, e.g. 0/4".into()))?;
    let count: u64 = n.trim().parse().map_err(|_| bad(format!("`{n}` is not a number of shards")))?;
    let k = k.trim();
    let index_text = if k.chars().all(|c| c.is_ascii_digit()) && !k.is_empty() {
        k.to_owned()
    } else {
        std::env::var(k)
            .map_err(|_| bad(format!("`{k}` is neither a number nor a set environment variable")))?
    };
    let index: u64 =
        index_text.trim().parse().map_err(|_| bad(format!("shard index `{index_text}` is not a number")))?;
    if count == 0 || index >= count {
        return Err(bad(format!("shard {index} of {count} does not exist: K must be from 0 to N-1")));
    }
    Ok(Shard { index, count })
}

/// Warns on stderr, for each design and scenario, when the plan's `horizon` ends before some of
/// the scenario's injections start (they are not simulated). A design or scenario that does not
/// load is left to the runs, which report it where it belongs.
fn warn_unreached(m: &Matrix, catalog: &meridian_model::Catalog) {
    let Some(horizon) = m.plan.horizon else { return };
    let options = meridian_sim::SimOptions { horizon: Some(horizon), ..meridian_sim::SimOptions::default() };
    for d in &m.designs {
        let Ok(loaded) = meridian_model::format::load_file(&d.path, catalog) else { continue };
        for s in &m.scenarios {
            if let Some(w) =
                s.resolve(&loaded.design, catalog).ok().and_then(|s| options.apply(&s).unreached_warning())
            {
                crate::errln!("{}: warning: {}: {w}", m.plan_path.display(), d.rel);
            }
        }
    }
}

/// Runs `meridian batch`.
pub fn run(args: &BatchArgs) -> anyhow::Result<u8> {
    if let Some(engine) = args.emit {
        return emit_manifests(args, engine);
    }
    let catalog = super::catalog()?;
    let m = Matrix::load(&args.plan, catalog).map_err(convert)?;
    warn_unreached(&m, catalog);
    let shard = match &args.shard {
        Some(s) => parse_shard(s)?,
        None => Shard::WHOLE,
    };
    if shard.count > 1 && (args.json.is_some() || args.junit.is_some()) {
        return Err(exit::BadInput(
            "--json and --junit describe the whole plan: write them with `meridian merge` once every shard is done".into(),
        )
        .into());
    }
    // Before the runs, which may take hours: an output that cannot be written is refused now.
    if let Some(p) = &args.json {
        super::output::file(p, "--json")?;
    }
    if let Some(p) = &args.junit {
        super::output::file(p, "--junit")?;
    }
    let dir = if shard.count > 1 {
        args.out.join(format!("shard-{}-of-{}", shard.index, shard.count))
    } else {
        args.out.clone()
    };
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} batch [{bar:30}] {pos}/{len} runs, {msg} ({elapsed}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let started = Instant::now();
    let interactive = std::io::stderr().is_terminal();
    let progress = |p: PlanProgress| {
        if interactive && bar.is_hidden() && started.elapsed() > Duration::from_millis(500) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.set_length(p.runs_total);
        bar.set_position(p.runs_done);
        bar.set_message(format!("{}/{} combinations", p.combinations_done, p.combinations_total));
    };
    let cancel = AtomicBool::new(false);
    let options = RunOptions { shard, resume: args.resume, threads: args.threads };
    let summary = run_plan(&m, catalog, &dir, &options, &progress, &cancel).map_err(convert)?;
    bar.finish_and_clear();
    crate::errln!(
        "{}: {} combination(s) in {} ({} run now, {} resumed), results in {}",
        args.plan.display(),
        summary.combinations,
        if shard.count > 1 { format!("shard {} of {}", shard.index, shard.count) } else { "the plan".into() },
        summary.ran,
        summary.resumed,
        dir.display()
    );
    if shard.count > 1 {
        // This shard's gates only; the report is `meridian merge`'s.
        let set = ResultSet::shard(&dir).map_err(convert)?;
        return finish(&set, None, None);
    }
    let set = ResultSet::open(std::slice::from_ref(&dir)).map_err(convert)?;
    finish(&set, args.json.as_deref(), args.junit.as_deref())
}

/// Runs `meridian merge`.
pub fn merge(args: &MergeArgs) -> anyhow::Result<u8> {
    super::output::file(&args.out, "--out")?;
    if let Some(p) = &args.junit {
        super::output::file(p, "--junit")?;
    }
    let set = ResultSet::open(&args.dirs).map_err(convert)?;
    finish(&set, Some(&args.out), args.junit.as_deref())
}

fn finish(set: &ResultSet, json: Option<&Path>, junit: Option<&Path>) -> anyhow::Result<u8> {
    let summary: Summary = match json {
        Some(p) => set.write_json(p).map_err(convert)?,
        None => set.summary().map_err(convert)?,
    };
    if let Some(p) = junit {
        write_junit(set, p).map_err(convert)?;
    }
    for r in set.rows().map_err(convert)? {
        let (row, _) = r.map_err(convert)?;
        for g in row.gates.iter().filter(|g| !g.passed) {
            crate::outln!("FAIL {} | {}: {}", row.key, g.gate, g.detail);
        }
    }
    crate::outln!(
        "{} combination(s): {} passed, {} failed ({} of {} gate results failed)",
        summary.combinations,
        summary.passed,
        summary.failed,
        summary.gate_failures,
        summary.gate_results
    );
    Ok(if summary.failed > 0 { exit::FINDINGS } else { exit::SUCCESS })
}

fn emit_manifests(args: &BatchArgs, engine: EmitArg) -> anyhow::Result<u8> {
    // Check the plan loads before writing jobs that would fail on the cluster.
    let catalog = super::catalog()?;
    let m = Matrix::load(&args.plan, catalog).map_err(convert)?;
    let plan = args.plan.to_string_lossy().replace('\\', "/");
    let o = EmitOptions {
        plan,
        shards: args.shards.unwrap_or(1),
        image: args.image.clone().unwrap_or_default(),
        results: args.results.clone(),
        name: args.name.clone(),
        volume_claim: args.volume_claim.clone(),
        job_queue: args.job_queue.clone(),
        efs_id: args.efs_id.clone().unwrap_or_default(),
    };
    let engine = match engine {
        EmitArg::Kubernetes => Engine::Kubernetes,
        EmitArg::AwsBatch => Engine::AwsBatch,
    };
    // Each shard job must fit one process's budget; shard 0 is the largest.
    meridian_batch::check_budget(&m, catalog, Shard { index: 0, count: o.shards.max(1) }).map_err(convert)?;
    let files = emit(engine, &o, &args.out).map_err(convert)?;
    for f in files {
        crate::outln!("{}", PathBuf::from(&args.out).join(f).display());
    }
    crate::errln!("{} combination(s) in {} shard(s)", m.total(), o.shards);
    Ok(exit::SUCCESS)
}
