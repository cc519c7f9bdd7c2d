//! `meridian simulate`: run a scenario on a design and print, save or plot the results.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use meridian_assess::assessment::{AssessError, AssessOptions, Want, assess, resolve_scenario};
use meridian_assess::targets::TargetReport;
use meridian_assess::units::{Percent, Seconds, Usd};
use meridian_model::format;
use meridian_sim::results::{LatencySummary, Percentiles};
use meridian_sim::{Outcome, Progress, SimResults};

use crate::cli::SimulateArgs;
use crate::exit;

/// Runs `meridian simulate`: the Monte Carlo and the incident of run 0 (capacity scaled up in
/// surviving regions and writes copied back across regions, see `meridian_sim::incident`), from
/// one assessment that compiles the design once.
pub fn run(args: &SimulateArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let loaded = format::load_file(&args.file, catalog)?;
    let design = &loaded.design;
    let scenario = resolve_scenario(&args.run.scenario, design, catalog)?;
    // Before the runs: an output that cannot be written is refused now, not after the work.
    if let Some(p) = &args.json {
        super::output::file(Path::new(p), "--json")?;
    }
    if let Some(p) = &args.runs_csv {
        super::output::file(p, "--runs-csv")?;
    }
    if let Some(p) = &args.plots {
        super::output::folder(p, "--plots")?;
    }
    let mut sim = super::sim_options(&args.run)?;
    sim.keep_runs = args.json.is_some() || args.runs_csv.is_some();
    super::warn_unreached(&args.file, &scenario, &sim);
    // The bill only when a target needs it (the cost ceiling).
    let bill = if design.targets().monthly_cost_ceiling_usd.is_some() { Want::BILL } else { Want::empty() };
    let options = AssessOptions {
        sim,
        ..AssessOptions::new(Want::SIMULATION | Want::INCIDENT | bill, super::cost::builtin_prices()?, &[])
    };
    let bar = super::progress::Bar::new(u64::from(options.sim.apply(&scenario).runs), "simulating");
    let progress = |p: Progress| {
        bar.show_if_slow();
        bar.indicator.set_position(u64::from(p.runs_done));
        bar.indicator.set_message(format!("{:.1}M events", p.events as f64 / 1e6));
    };
    let cancel = AtomicBool::new(false);
    let a = assess(design, catalog, &scenario, &options, &progress, &cancel)?;
    bar.indicator.finish_and_clear();
    let targets = a.targets;
    let (Some(results), Some(timing), Some(summary)) = (a.results, a.timing, a.incident) else {
        return Err(AssessError::Missing(Want::SIMULATION | Want::INCIDENT).into());
    };
    let outcome = Outcome { results, timing };
    let r = &outcome.results;
    let incident = (summary.incident, summary.cost);
    if let Some(dir) = &args.plots {
        meridian_assess::charts::simulation::write_all(r, dir)
            .with_context(|| format!("cannot write charts to {}", dir.display()))?;
    }
    if let Some(path) = &args.runs_csv {
        meridian_model::format::write_atomic(path, meridian_sim::results::runs_csv(&r.per_run), false)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    match args.json.as_deref() {
        Some("-") => crate::outln!("{}", to_json(&outcome, &incident, targets.as_ref())?),
        Some(path) => {
            meridian_model::format::write_atomic(
                Path::new(path),
                to_json(&outcome, &incident, targets.as_ref())? + "\n",
                false,
            )
            .with_context(|| format!("cannot write {path}"))?;
            print_table(&outcome);
            print_incident(&incident);
            print_targets(targets.as_ref());
        }
        None => {
            print_table(&outcome);
            print_incident(&incident);
            print_targets(targets.as_ref());
        }
    }
    // A missed target is a finding, as a violation is for `check`.
    Ok(if targets.as_ref().is_some_and(|t| t.missed() > 0) { exit::FINDINGS } else { exit::SUCCESS })
}

/// The targets block (nothing when the design states no targets).
fn print_targets(targets: Option<&TargetReport>) {
    let Some(t) = targets else { return };
    crate::outln!();
    for line in t.text_lines() {
        crate::outln!("{line}");
    }
}

fn print_incident((incident, cost): &(meridian_model::cost::Incident, meridian_model::cost::IncidentCost)) {
    if incident.duration_hours <= 0.0 {
        crate::outln!("\nIncident cost: no traffic moved to another region in run 0");
        return;
    }
    let per_month = if incident.incidents_per_month > 0.0 {
        format!(
            ", {} per month at {:.2} incidents per month",
            Usd(cost.usd_per_month),
            incident.incidents_per_month
        )
    } else {
        String::new()
    };
    crate::outln!(
        "\nIncident cost (run 0): {} per incident of {}{per_month}: extra capacity in surviving regions and writes copied back",
        Usd(cost.usd_per_incident),
        Seconds(incident.duration_hours * 3600.0)
    );
    for l in &cost.lines {
        crate::outln!(
            "  {} {}: {:.2} {} x ${:.4} = ${:.2}",
            l.service,
            l.dimension,
            l.quantity,
            l.unit,
            l.unit_price_usd,
            l.usd_per_month
        );
    }
}

fn to_json(
    o: &meridian_sim::Outcome,
    incident: &(meridian_model::cost::Incident, meridian_model::cost::IncidentCost),
    targets: Option<&TargetReport>,
) -> anyhow::Result<String> {
    let mut v = serde_json::to_value(&o.results)?;
    if let Some(map) = v.as_object_mut() {
        map.insert("timing".into(), serde_json::to_value(o.timing)?);
        map.insert("incident_cost".into(), serde_json::json!({"incident": incident.0, "cost": incident.1}));
        if let Some(t) = targets {
            map.insert("targets".into(), serde_json::to_value(t)?);
        }
    }
    Ok(serde_json::to_string_pretty(&v)?)
}

/// Percentiles of a recovery time with their 95% intervals, then min / mean / max.
fn pct(p: &Percentiles) -> String {
    if p.count == 0 {
        return "none".into();
    }
    let ci = |c: [f64; 2]| format!("{} .. {}", Seconds(c[0]).fine(), Seconds(c[1]).fine());
    format!(
        "P50 {} ({})  P95 {} ({})  P99 {} ({})\n{:27}min {}  mean {} ({})  max {}  (n={})",
        Seconds(p.p50).fine(),
        ci(p.p50_ci95),
        Seconds(p.p95).fine(),
        ci(p.p95_ci95),
        Seconds(p.p99).fine(),
        ci(p.p99_ci95),
        "",
        Seconds(p.min).fine(),
        Seconds(p.mean).fine(),
        ci(p.mean_ci95),
        Seconds(p.max).fine(),
        p.count
    )
}

fn lat(l: &LatencySummary) -> String {
    if l.requests == 0 {
        return "-".into();
    }
    format!("{:.0} / {:.0} / {:.0} ms", l.p50_ms, l.p95_ms, l.p99_ms)
}

fn print_table(o: &meridian_sim::Outcome) {
    let r: &SimResults = &o.results;
    crate::outln!(
        "{}: scenario {}, {} run(s) of {}, seed {}",
        r.design,
        r.scenario,
        r.runs,
        Seconds(r.horizon_s),
        r.seed
    );
    crate::outln!();
    let a = |e: &meridian_sim::Estimate| {
        format!("{}  (95% CI {} .. {})", Percent(e.mean), Percent(e.ci95_low), Percent(e.ci95_high))
    };
    crate::outln!("  availability (time)      {}", a(&r.availability_time));
    crate::outln!("  availability (requests)  {}", a(&r.availability_requests));
    crate::outln!(
        "  downtime                 {:.1} min/year  (95% CI {:.1} .. {:.1})",
        r.downtime_min_per_year.mean,
        r.downtime_min_per_year.ci95_low,
        r.downtime_min_per_year.ci95_high
    );
    crate::outln!("  (recovery times: P50/P95/P99 with their 95% CI in brackets)");
    crate::outln!("  RTO, last client back    {}", pct(&r.rto_s));
    crate::outln!("  RTO, half back           {}", pct(&r.rto_half_s));
    crate::outln!("  RPO                      {}", pct(&r.rpo_s));
    if r.rto_by_population.len() > 1 {
        crate::outln!("  RTO P50 per population   half back / last client back");
        for (p, x) in r.rto_by_population.iter().filter(|(_, x)| x.last_s.count > 0) {
            crate::outln!("    {p:<22} {} / {}", Seconds(x.half_s.p50).fine(), Seconds(x.last_s.p50).fine());
        }
    }
    crate::outln!("  writes lost              {:.1} per run", r.writes_lost.mean);
    crate::outln!("  write conflicts          {:.2} per day", r.conflicts_per_day.mean);
    crate::outln!(
        "  stale reads              {:.2} per day  ({} of datastore reads)",
        r.stale_reads_per_day.mean,
        Percent(r.stale_read_share.mean)
    );
    if r.common_cause_failures.mean > 0.0 {
        crate::outln!(
            "  common-cause failures    {:.3} per run  ({:.2} regions reached beyond the first, per failure)",
            r.common_cause_failures.mean,
            r.common_cause_extra_regions
        );
    }
    if r.repair_wait_s.count > 0 {
        crate::outln!("  waits for a repair crew  {}", pct(&r.repair_wait_s));
    }
    if r.recovery_phases.any() {
        crate::outln!();
        crate::outln!("  recovery phases          mean, all runs (times)");
        for (phase, p) in r.recovery_phases.rows().into_iter().filter(|(_, p)| p.count > 0) {
            crate::outln!("    {:<22} {} ({}x)", phase.label(), Seconds(p.mean_s), p.count);
        }
    }
    crate::outln!();
    crate::outln!("  latency P50 / P95 / P99   {:<28} during incidents", "normal");
    for (p, l) in &r.latency {
        crate::outln!("    {p:<22}  {:<28} {}", lat(&l.normal), lat(&l.incident));
    }
    for p in &r.estimated_round_trips {
        crate::outln!(
            "    round trip {} - {} ESTIMATED: {:.0} ms from distance (no measurement)",
            p.a,
            p.b,
            p.rtt_ms
        );
    }
    crate::outln!();
    crate::outln!("  data law (per run)       allowed        minutes    requests       writes");
    for (p, d) in &r.data_law {
        let allowed = d.allowed.as_ref().map_or_else(|| "anywhere".to_owned(), |a| a.join(","));
        crate::outln!(
            "    {p:<22} {allowed:<12} {:>9.1} {:>11.0} {:>12.0}",
            d.minutes_per_run,
            d.requests_per_run,
            d.writes_per_run
        );
    }
    crate::outln!();
    crate::outln!(
        "  events {}  ({:.2} M events/s on {} thread(s), {:.2} s)",
        r.events_simulated,
        o.timing.events_per_s / 1e6,
        o.timing.threads,
        o.timing.wall_s
    );
}
