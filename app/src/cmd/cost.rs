//! `meridian cost`: a design's monthly bill, as text (totals first), JSON or CSV.

use std::fmt::Write as _;

use anyhow::Context;
use meridian_model::cost::{self, Bill, Commitment, CostOptions, Date, Forecast, PriceSnapshot};
use serde_json::json;

use crate::cli::{CommitmentArg, CostArgs};
use crate::exit::{self, BadInput};

/// The embedded price snapshot; failing to parse it is an internal error.
pub fn builtin_prices() -> anyhow::Result<&'static PriceSnapshot> {
    PriceSnapshot::builtin().context("the embedded price snapshot is broken")
}

/// Reads a price snapshot file given with `--prices`; a bad file is bad input (exit 2).
pub fn prices_file(path: &std::path::Path) -> anyhow::Result<PriceSnapshot> {
    let text = meridian_model::format::read_text(path, meridian_model::format::Limit::Prices)?;
    Ok(PriceSnapshot::parse_given(&text, path, meridian_model::cost::Date::today())
        .map_err(|e| BadInput(e.to_string()))?)
}

/// Runs `meridian cost`.
pub fn run(args: &CostArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let loaded = meridian_model::format::load_file(&args.file, catalog)?;
    let own;
    let prices = match &args.prices {
        Some(path) => {
            own = prices_file(path)?;
            &own
        }
        None => builtin_prices()?,
    };
    let options = CostOptions {
        commitment: match args.commitment {
            CommitmentArg::None => Commitment::None,
            CommitmentArg::OneYear => Commitment::OneYear,
            CommitmentArg::ThreeYear => Commitment::ThreeYear,
        },
        hours_per_month: args.hours_per_month.map(f64::from),
        max_price_age_days: i64::from(args.max_price_age_days),
    };
    let bill = cost::bill_with(&loaded.design, Some(catalog), prices, &options);
    let bill = cost::with_staleness(bill, prices, options.max_price_age_days, Date::today());
    let forecast = args.months.map(|n| cost::forecast(&loaded.design, Some(catalog), prices, &options, n));
    if args.json {
        let v = bill_json(&bill, loaded.design.name(), &options, forecast.as_ref());
        crate::outln!("{}", serde_json::to_string_pretty(&v)?);
    } else if args.csv {
        crate::out!("{}", bill_csv(&bill));
    } else {
        crate::out!("{}", bill_text(&bill, loaded.design.name(), &options));
        if let Some(f) = &forecast {
            crate::out!("{}", forecast_text(f));
        }
    }
    Ok(exit::SUCCESS)
}

fn bill_json(
    bill: &Bill,
    name: &str,
    options: &CostOptions,
    forecast: Option<&Forecast>,
) -> serde_json::Value {
    let mut v = serde_json::to_value(bill).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("design".into(), json!(name));
        obj.insert("commitment".into(), json!(bill.commitment.label()));
        obj.insert("max_price_age_days".into(), json!(options.max_price_age_days));
        obj.insert("stale".into(), json!(!bill.stale_sources.is_empty()));
        if let Some(f) = forecast {
            obj.insert("forecast".into(), serde_json::to_value(f).unwrap_or_default());
        }
    }
    v
}

/// The forecast as a table: month, traffic relative to today, the month's bill, the running total.
fn forecast_text(f: &Forecast) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nForecast: {} months, traffic growing {}% a month (capacity as designed)",
        f.months.len(),
        f.growth_percent_per_month
    );
    let _ = writeln!(out, "  {:>5} {:>8} {:>14} {:>16}", "month", "traffic", "USD/month", "USD cumulative");
    let mut cumulative = 0.0;
    for m in &f.months {
        cumulative += m.total_usd;
        let _ = writeln!(
            out,
            "  {:>5} {:>7.3}x {:>14.2} {:>16.2}",
            m.month, m.traffic_factor, m.total_usd, cumulative
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

fn bill_csv(bill: &Bill) -> String {
    let mut out = String::from(
        "service,kind,region,to_region,dimension,tier,quantity,unit,unit_price_usd,usd_per_month,basis,estimate,source,as_of\n",
    );
    for l in &bill.lines {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(l.service.as_str()),
            csv_field(l.kind.as_str()),
            csv_field(&l.region),
            csv_field(l.to_region.as_deref().unwrap_or("")),
            csv_field(&l.dimension),
            csv_field(&l.tier.map(|t| t.to_string()).unwrap_or_default()),
            l.quantity,
            csv_field(&l.unit),
            l.unit_price_usd,
            l.usd_per_month,
            l.price.basis.label(),
            l.price.estimate,
            csv_field(&l.price.source),
            l.price.as_of
        );
    }
    out
}

fn bill_text(bill: &Bill, name: &str, options: &CostOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{name}");
    let _ = writeln!(
        out,
        "Total: ${:.2} per month ({} prices, {} hours a month)",
        bill.total_usd_per_month,
        match bill.commitment {
            Commitment::None => "on-demand",
            Commitment::OneYear => "1-year commitment",
            Commitment::ThreeYear => "3-year commitment",
        },
        bill.hours_per_month
    );
    let _ = writeln!(out, "Price snapshot: {}", bill.price_snapshot_date);
    if bill.stale_sources.is_empty() {
        let _ = writeln!(out, "Price age: every source read within {} days", options.max_price_age_days);
    } else {
        let _ = writeln!(
            out,
            "STALE PRICES: {} sources read more than {} days ago:",
            bill.stale_sources.len(),
            options.max_price_age_days
        );
        for s in &bill.stale_sources {
            let _ = writeln!(out, "  {} (read {}, {} days ago)", s.source, s.as_of, s.age_days);
        }
    }
    if bill.estimate_lines > 0 {
        let _ = writeln!(
            out,
            "Estimates: {} of {} lines rest on estimated prices (marked *; the JSON says why for each)",
            bill.estimate_lines,
            bill.lines.len()
        );
    }
    if !bill.unpriced.is_empty() {
        let _ = writeln!(
            out,
            "UNPRICED: {} usages have no price in the snapshot (not in the total):",
            bill.unpriced.len()
        );
        for u in &bill.unpriced {
            let _ =
                writeln!(out, "  {} {} {} {} ({:.4})", u.service, u.kind, u.region, u.dimension, u.quantity);
        }
    }
    let section = |out: &mut String, title: &str, rows: &mut dyn Iterator<Item = (&String, &f64)>| {
        let _ = writeln!(out, "\n{title}");
        for (k, v) in rows {
            let _ = writeln!(out, "  {k:<28} {v:>12.2}");
        }
    };
    section(&mut out, "By region (USD/month)", &mut bill.by_region.iter());
    section(&mut out, "By service kind (USD/month)", &mut bill.by_service.iter());
    for (key, values) in &bill.by_tag {
        section(&mut out, &format!("By tag `{key}` (USD/month)"), &mut values.iter());
    }
    let _ = writeln!(out, "\nLine items");
    let _ = writeln!(
        out,
        "  {:<20} {:<16} {:<40} {:>14} {:<18} {:>12} {:>11}",
        "service", "region", "dimension", "quantity", "unit", "unit USD", "USD/month"
    );
    for l in &bill.lines {
        let region = match &l.to_region {
            Some(to) => format!("{}>{to}", l.region),
            None => l.region.to_string(),
        };
        let dimension = match &l.tier {
            Some(t) => format!("{} [{t}]", l.dimension),
            None => l.dimension.to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<20} {:<16} {:<40} {:>14.3} {:<18} {:>12.6} {:>11.2}{}",
            l.service.as_str(),
            region,
            dimension,
            l.quantity,
            l.unit,
            l.unit_price_usd,
            l.usd_per_month,
            if l.price.estimate { " *" } else { "" }
        );
    }
    out
}
