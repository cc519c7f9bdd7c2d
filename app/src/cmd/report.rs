//! `meridian report`: assess a design and write the self-contained HTML report.

use std::sync::atomic::AtomicBool;

use anyhow::Context;
use meridian_model::cost::{CostOptions, PriceSnapshot};
use meridian_model::format::{self, write_atomic};
use meridian_sim::Progress;

use crate::cli::ReportArgs;
use crate::exit::{self, BadInput};
use meridian_assess::assessment::{self as assess, AssessError, AssessOptions, Want};
use meridian_assess::report;
use meridian_assess::units::{Percent, Usd};

/// Runs `meridian report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<u8> {
    if args.out.exists() && !args.force {
        return Err(BadInput(format!(
            "{}: error: the file exists; choose another --out or pass --force to overwrite",
            args.out.display()
        ))
        .into());
    }
    if args.out.is_dir() {
        return Err(BadInput(format!("{}: error: --out is a folder, not a file", args.out.display())).into());
    }
    super::output::file(&args.out, "--out")?;
    let catalog = super::catalog()?;
    let loaded = format::load_file(&args.file, catalog)?;
    let design = &loaded.design;
    let scenario = assess::resolve_scenario(&args.run.scenario, design, catalog)?;
    let own_prices;
    let prices: &PriceSnapshot = match &args.prices {
        Some(path) => {
            own_prices = super::cost::prices_file(path)?;
            &own_prices
        }
        None => super::cost::builtin_prices()?,
    };
    let cost_options =
        CostOptions { max_price_age_days: i64::from(args.max_price_age_days), ..CostOptions::default() };
    let sim = super::sim_options(&args.run)?;
    super::warn_unreached(&args.file, &scenario, &sim);
    let runs = u64::from(sim.apply(&scenario).runs);
    let options = AssessOptions {
        sim,
        cost: cost_options,
        ..AssessOptions::new(Want::COMPARE, prices, assess::builtin_policies()?)
    };

    let bar = super::progress::Bar::new(runs, "simulating");
    let progress = |p: Progress| {
        bar.show_if_slow();
        bar.indicator.set_position(u64::from(p.runs_done));
        bar.indicator.set_message(format!("{:.1}M events", p.events as f64 / 1e6));
    };
    let cancel = AtomicBool::new(false);
    let (html, assessment) = report::assess_and_render(
        design,
        catalog,
        Some(&args.file),
        &scenario,
        &options,
        &progress,
        &cancel,
    )?;
    bar.indicator.finish_and_clear();
    write_atomic(&args.out, &html, false).with_context(|| format!("cannot write {}", args.out.display()))?;
    let (Some(r), Some(usd_per_month)) = (&assessment.results, assessment.usd_per_month()) else {
        return Err(AssessError::Missing(Want::SIMULATION | Want::BILL).into());
    };
    crate::outln!(
        "wrote {} ({} KB): availability {}, downtime {:.1} min/year, {} a month, {} data-law violations",
        args.out.display(),
        html.len().div_ceil(1024),
        Percent(r.availability_time.mean),
        r.downtime_min_per_year.mean,
        Usd(usd_per_month),
        assessment.data_law.violations()
    );
    Ok(exit::SUCCESS)
}
