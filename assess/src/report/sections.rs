//! The sections of the report, each a function from the report's data to escaped HTML.

// `a` (assessment), `b` (bill), `d` (data), `h` (HTML), `r` (results) and `t` (table) read best short here.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use meridian_model::compliance::Level;

use super::ReportData;
use super::charts;
use super::escape::escape;
use super::page::{Cell, Table, data, figure, key_figure};
use crate::charts::ChartError;
use crate::units::{Percent, Seconds, Usd};

/// How many of the largest line items the cost section lists.
pub const TOP_LINES: usize = 12;

/// Key figures with their 95% confidence ranges.
pub fn summary(d: &ReportData<'_>) -> String {
    let a = d.assessment;
    let r = d.results;
    let mut h = String::from(r#"<section id="summary"><h2>Summary</h2><div class="figures">"#);
    let ci = |lo: f64, hi: f64, f: &dyn Fn(f64) -> String| format!("95% CI {} to {}", f(lo), f(hi));
    h.push_str(&key_figure(
        "Availability (share of time served)",
        &data("availability_time", r.availability_time.mean, &Percent(r.availability_time.mean).to_string()),
        &ci(r.availability_time.ci95_low, r.availability_time.ci95_high, &|v| Percent(v).to_string()),
    ));
    h.push_str(&key_figure(
        "Availability (share of requests)",
        &data(
            "availability_requests",
            r.availability_requests.mean,
            &Percent(r.availability_requests.mean).to_string(),
        ),
        &ci(r.availability_requests.ci95_low, r.availability_requests.ci95_high, &|v| Percent(v).to_string()),
    ));
    let min = |v: f64| format!("{v:.1} min");
    h.push_str(&key_figure(
        "Downtime per year",
        &data("downtime_min_per_year", r.downtime_min_per_year.mean, &min(r.downtime_min_per_year.mean)),
        &ci(r.downtime_min_per_year.ci95_low, r.downtime_min_per_year.ci95_high, &min),
    ));
    h.push_str(&percentile_figure("RTO", "rto", &r.rto_s));
    h.push_str(&percentile_figure("RPO", "rpo", &r.rpo_s));
    h.push_str(&key_figure(
        "Monthly cost",
        &data("usd_per_month", d.bill.total_usd_per_month, &Usd(d.bill.total_usd_per_month).to_string()),
        &format!("{} prices, {} h a month", commitment(d.bill.commitment), d.bill.hours_per_month),
    ));
    let per_month = if d.incident.usd_per_month > 0.0 {
        format!("{} a month at the simulated incident rate", Usd(d.incident.usd_per_month))
    } else {
        "extra capacity and copy-back during one incident".to_owned()
    };
    h.push_str(&key_figure(
        "Incident cost",
        &data(
            "incident_usd_per_incident",
            d.incident.usd_per_incident,
            &Usd(d.incident.usd_per_incident).to_string(),
        ),
        &per_month,
    ));
    let conflicts = |v: f64| format!("{v:.2}");
    h.push_str(&key_figure(
        "Write conflicts per day",
        &data("conflicts_per_day", r.conflicts_per_day.mean, &conflicts(r.conflicts_per_day.mean)),
        &ci(r.conflicts_per_day.ci95_low, r.conflicts_per_day.ci95_high, &conflicts),
    ));
    let v = a.data_law.violations();
    h.push_str(&key_figure(
        "Data-law violations",
        &format!(
            r#"<span class="{}">{}</span>"#,
            if v == 0 { "ok" } else { "bad" },
            data("data_law_violations", v as f64, &v.to_string())
        ),
        &format!(
            "{} in the design, {} during the scenario",
            a.data_law.static_violations(),
            a.data_law.dynamic_violations()
        ),
    ));
    h.push_str("</div></section>");
    h
}

fn percentile_figure(label: &str, key: &str, p: &meridian_sim::results::Percentiles) -> String {
    if p.count == 0 {
        return key_figure(label, "none", "no samples in this scenario");
    }
    key_figure(
        &format!("{label} (P50)"),
        &data(&format!("{key}_p50_s"), p.p50, &Seconds(p.p50).fine()),
        &format!(
            "95% CI {} to {}; P95 {}, max {} ({} samples)",
            Seconds(p.p50_ci95[0]).fine(),
            Seconds(p.p50_ci95[1]).fine(),
            Seconds(p.p95).fine(),
            Seconds(p.max).fine(),
            p.count
        ),
    )
}

/// The design picture and the design's own description.
pub fn design(d: &ReportData<'_>) -> String {
    let mut h = String::from(r#"<section id="design"><h2>Design</h2>"#);
    let desc = d.design.description();
    if !desc.is_empty() {
        let _ = write!(h, "<p>{}</p>", escape(desc));
    }
    let caption = format!(
        "{} regions, {} services, {} links, {} user populations. Lines: routing (solid purple), dependency (solid grey), replication (dashed blue), backup (dotted green); dashed pink lines lead from users to their entry service.",
        d.design.regions().len(),
        d.design.services().len(),
        d.design.links().len(),
        d.design.populations().len()
    );
    h.push_str(&figure(&super::design_svg::design_svg(d.design, d.catalog), &caption, "design"));
    h.push_str("</section>");
    h
}

/// Every simulated figure in tables, then the charts.
pub fn simulation(d: &ReportData<'_>) -> Result<String, ChartError> {
    let r = d.results;
    let mut h = String::from(r#"<section id="simulation"><h2>Simulation results</h2>"#);
    let _ = write!(
        h,
        r#"<p class="note">Scenario {}: {} Monte Carlo runs of {} each, seed {}; means with 95% confidence intervals over runs.</p>"#,
        escape(&r.scenario),
        r.runs,
        escape(&Seconds(r.horizon_s).to_string()),
        r.seed
    );
    let mut t = Table::new(&["figure", "#mean", "#95% CI low", "#95% CI high"]);
    let percent = |v: f64| Percent(v).to_string();
    for (name, e, f) in [
        ("availability (time)", &r.availability_time, &percent as &dyn Fn(f64) -> String),
        ("availability (requests)", &r.availability_requests, &percent),
        ("downtime, minutes per year", &r.downtime_min_per_year, &|v: f64| format!("{v:.2}")),
        ("writes lost per run", &r.writes_lost, &|v: f64| format!("{v:.1}")),
        ("write conflicts per day", &r.conflicts_per_day, &|v: f64| format!("{v:.3}")),
        ("stale reads per day", &r.stale_reads_per_day, &|v: f64| format!("{v:.3}")),
        ("common-cause failures per run", &r.common_cause_failures, &|v: f64| format!("{v:.3}")),
    ] {
        t.row(vec![
            Cell::Text(name.into()),
            Cell::Num(f(e.mean)),
            Cell::Num(f(e.ci95_low)),
            Cell::Num(f(e.ci95_high)),
        ]);
    }
    h.push_str(&t.finish());
    h.push_str("<h3>Recovery</h3>");
    h.push_str(&recovery_table(r));
    h.push_str(&recovery_phases(&r.recovery_phases));
    h.push_str("<h3>Latency per population</h3>");
    let mut t = Table::new(&["population", "#P50", "#P95", "#P99", "#P99 during incidents"]);
    for (pop, l) in &r.latency {
        let ms = |v: f64, n: u64| Cell::Num(if n == 0 { "-".into() } else { format!("{v:.0} ms") });
        t.row(vec![
            Cell::Text(pop.clone()),
            ms(l.normal.p50_ms, l.normal.requests),
            ms(l.normal.p95_ms, l.normal.requests),
            ms(l.normal.p99_ms, l.normal.requests),
            ms(l.incident.p99_ms, l.incident.requests),
        ]);
    }
    h.push_str(&t.finish());
    h.push_str(&round_trips(d));
    h.push_str("<h3>Charts</h3>");
    for (caption, svg) in charts::simulation_charts(r)? {
        h.push_str(&figure(&svg, caption, "chart"));
    }
    h.push_str("</section>");
    Ok(h)
}

/// Where recovery time goes: each phase's count and mean, when any was measured.
fn recovery_phases(p: &meridian_sim::phases::RecoveryPhases) -> String {
    if !p.any() {
        return String::new();
    }
    let mut h = String::from(
        r#"<h3>Where recovery time goes</h3><p class="note">Mean length of each phase of recovery (detection by health checks or alarms, the operator's decision, the traffic switch, deploying and restoring a cold standby, scaling out, promoting a replica), over every time it happened. An outage's RTO is at most the sum of the phases along its path.</p>"#,
    );
    let mut t = Table::new(&["phase", "#times", "#mean"]);
    for (phase, s) in p.rows() {
        if s.count > 0 {
            t.row(vec![
                Cell::Text(phase.label().into()),
                Cell::Num(s.count.to_string()),
                Cell::Num(Seconds(s.mean_s).to_string()),
            ]);
        }
    }
    h.push_str(&t.finish());
    h
}

/// The network round trips the latency figures rest on: between and inside the design's regions
/// and each population's path, with their basis (the latency model of `meridian_model::latency`).
fn round_trips(d: &ReportData<'_>) -> String {
    use crate::network::{intra_text, pair_text, path_text};
    use meridian_model::latency;
    let mut h = String::from("<h3>Network round trips</h3>");
    h.push_str(r#"<p class="note">p50 round trips: measured between regions where a public measurement exists (source and date given), else estimated from distance and marked ESTIMATED; users add their access network and the public internet to the region, or to the nearest edge location when they enter at CloudFront or Global Accelerator.</p>"#);
    let mut t = Table::new(&["between", "round trip"]);
    for p in latency::design_round_trips(d.design, d.catalog) {
        t.row(vec![Cell::Key(format!("{} - {}", p.a, p.b)), Cell::Text(pair_text(d.catalog, &p))]);
    }
    for r in d.design.regions() {
        t.row(vec![Cell::Key(format!("inside {}", r.id)), Cell::Text(intra_text(d.catalog, r.id.as_str()))]);
    }
    for p in d.design.populations() {
        for path in latency::population_paths(d.design, d.catalog, p) {
            t.row(vec![Cell::Key(format!("{} to {}", p.id, path.region)), Cell::Text(path_text(&path))]);
        }
    }
    // Estimated pairs on edge paths that are not pairs of the design's regions.
    let in_design = |r: &str| d.design.regions().any(|x| x.id.as_str() == r);
    for p in d.results.estimated_round_trips.iter().filter(|p| !(in_design(&p.a) && in_design(&p.b))) {
        t.row(vec![Cell::Key(format!("{} - {}", p.a, p.b)), Cell::Text(pair_text(d.catalog, p))]);
    }
    h.push_str(&t.finish());
    h
}

/// RTO (half back, last client back, per population), RPO and repair waits: percentiles with
/// their 95% intervals, min, mean and max.
fn recovery_table(r: &meridian_sim::SimResults) -> String {
    let mut t = Table::new(&["", "#samples", "#min", "#mean", "#P50", "#P50 95% CI", "#P95", "#P99", "#max"]);
    let mut rows: Vec<(String, &meridian_sim::results::Percentiles)> = vec![
        ("RTO, last client back".into(), &r.rto_s),
        ("RTO, half back".into(), &r.rto_half_s),
        ("RPO (writes lost window)".into(), &r.rpo_s),
    ];
    if r.rto_by_population.len() > 1 {
        for (pop, x) in &r.rto_by_population {
            rows.push((format!("RTO of {pop}, half back"), &x.half_s));
            rows.push((format!("RTO of {pop}, last client back"), &x.last_s));
        }
    }
    if r.repair_wait_s.count > 0 {
        rows.push(("wait for a repair crew".into(), &r.repair_wait_s));
    }
    for (name, p) in rows {
        let f = |v: f64| if p.count == 0 { "-".to_owned() } else { Seconds(v).fine() };
        t.row(vec![
            Cell::Text(name),
            Cell::Num(p.count.to_string()),
            Cell::Num(f(p.min)),
            Cell::Num(f(p.mean)),
            Cell::Num(f(p.p50)),
            Cell::Num(if p.count == 0 {
                "-".into()
            } else {
                format!("{} to {}", f(p.p50_ci95[0]), f(p.p50_ci95[1]))
            }),
            Cell::Num(f(p.p95)),
            Cell::Num(f(p.p99)),
            Cell::Num(f(p.max)),
        ]);
    }
    t.finish()
}

/// Totals, bar charts by region and service kind, the largest line items and totals by tag.
pub fn cost(d: &ReportData<'_>) -> Result<String, ChartError> {
    let b = d.bill;
    let mut h = String::from(r#"<section id="cost"><h2>Cost breakdown</h2>"#);
    let _ = write!(
        h,
        "<p>Total {} a month ({} prices, {} hours a month); {} line items, {} resting on estimated prices.</p>",
        data("bill_usd_per_month", b.total_usd_per_month, &Usd(b.total_usd_per_month).to_string()),
        escape(commitment(b.commitment)),
        b.hours_per_month,
        b.lines.len(),
        b.estimate_lines
    );
    let sorted = |m: &std::collections::BTreeMap<String, f64>| {
        let mut v: Vec<(String, f64)> = m.iter().map(|(k, v)| (k.clone(), *v)).collect();
        v.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        v
    };
    let by_region = sorted(&b.by_region);
    let by_service = sorted(&b.by_service);
    h.push_str(&figure(
        &charts::cost_bars("Monthly cost by region", &by_region)?,
        "Monthly cost by region (global services under `global`).",
        "chart",
    ));
    h.push_str(&figure(
        &charts::cost_bars("Monthly cost by service kind", &by_service)?,
        "Monthly cost by service kind.",
        "chart",
    ));
    let mut t = Table::new(&["region", "#per month", "service kind", "#per month"]);
    for i in 0..by_region.len().max(by_service.len()) {
        let pair = |v: &[(String, f64)]| match v.get(i) {
            Some((k, usd_pm)) => [Cell::Key(k.clone()), Cell::Num(Usd(*usd_pm).to_string())],
            None => [Cell::Text(String::new()), Cell::Text(String::new())],
        };
        t.row(pair(&by_region).into_iter().chain(pair(&by_service)).collect());
    }
    h.push_str(&t.finish());
    h.push_str(&line_items(b));
    h.push_str(&forecast(d.forecast)?);
    h.push_str("<h3>By tag</h3>");
    let mut t = Table::new(&["tag", "value", "#per month"]);
    for (key, values) in &b.by_tag {
        for (value, usd_pm) in values {
            t.row(vec![
                Cell::Text(key.clone()),
                Cell::Text(value.clone()),
                Cell::Num(Usd(*usd_pm).to_string()),
            ]);
        }
    }
    h.push_str(&t.finish());
    if !b.unpriced.is_empty() {
        let _ = write!(h, "<h3>Not priced ({})</h3>", b.unpriced.len());
        let mut t = Table::new(&["service", "region", "dimension", "#quantity"]);
        for u in &b.unpriced {
            t.row(vec![
                Cell::Text(u.service.to_string()),
                Cell::Text(u.region.clone()),
                Cell::Text(u.dimension.clone()),
                Cell::Num(format!("{:.2}", u.quantity)),
            ]);
        }
        h.push_str(&t.finish());
    }
    h.push_str(&incident(d.incident));
    h.push_str("</section>");
    Ok(h)
}

/// The bill projected month by month as the workload grows: a chart and the figures.
fn forecast(f: &meridian_model::cost::Forecast) -> Result<String, ChartError> {
    let mut h = String::new();
    let _ = write!(
        h,
        "<h3>Projection</h3><p>Over the next {} months, with traffic growing {}% a month and capacity as \
         designed, the bill comes to {} in all.</p>",
        f.months.len(),
        f.growth_percent_per_month,
        data("forecast_usd", f.total_usd(), &Usd(f.total_usd()).to_string())
    );
    if f.months.is_empty() {
        return Ok(h);
    }
    h.push_str(&figure(
        &charts::cost_forecast(f)?,
        "Monthly cost, month by month, as the workload grows (capacity as designed).",
        "chart",
    ));
    let mut t = Table::new(&["month", "#traffic", "#per month"]);
    for m in &f.months {
        t.row(vec![
            Cell::Key(m.month.to_string()),
            Cell::Num(format!("{:.3}x", m.traffic_factor)),
            Cell::Num(Usd(m.total_usd).to_string()),
        ]);
    }
    h.push_str(&t.finish());
    Ok(h)
}

/// The largest line items with their price sources.
fn line_items(b: &meridian_model::cost::Bill) -> String {
    let mut h = String::new();
    let _ = write!(h, "<h3>Largest line items (top {TOP_LINES} of {})</h3>", b.lines.len());
    let mut t = Table::new(&[
        "service",
        "region",
        "dimension",
        "#quantity",
        "#unit price",
        "#per month",
        "price source",
    ]);
    for l in b.top_lines(TOP_LINES) {
        let region = match &l.to_region {
            Some(to) => format!("{} → {to}", l.region),
            None => l.region.to_string(),
        };
        let source = format!(
            "{} ({}{})",
            l.price.source,
            l.price.as_of,
            l.price.estimate_reason.as_ref().map(|r| format!(", estimate: {r}")).unwrap_or_default()
        );
        let dimension = match &l.tier {
            Some(tier) => format!("{} [{tier}]", l.dimension),
            None => l.dimension.to_string(),
        };
        t.row(vec![
            Cell::Key(l.service.to_string()),
            Cell::Key(region),
            Cell::Text(dimension),
            Cell::Num(format!("{:.2} {}", l.quantity, l.unit)),
            Cell::Num(format!("${:.4}", l.unit_price_usd)),
            Cell::Num(Usd(l.usd_per_month).to_string()),
            Cell::Text(source),
        ]);
    }
    h.push_str(&t.finish());
    h
}

/// The incident of run 0 and its price, line by line.
fn incident(inc: &crate::assessment::IncidentSummary) -> String {
    let mut h = String::new();
    h.push_str("<h3>Cost during incidents</h3>");
    if inc.incident.duration_hours <= 0.0 {
        h.push_str("<p>No traffic moved to another region in the traced run (run 0): no incident cost.</p>");
    } else {
        let _ = write!(
            h,
            "<p>The incident of run 0 lasted {} and cost {} extra (capacity scaled up in surviving regions, writes copied back).</p>",
            Seconds(inc.incident.duration_hours * 3600.0),
            data(
                "incident_usd_per_incident_detail",
                inc.usd_per_incident,
                &Usd(inc.usd_per_incident).to_string()
            )
        );
        let mut t = Table::new(&["service", "dimension", "#quantity", "#unit price", "#cost"]);
        for l in &inc.cost.lines {
            t.row(vec![
                Cell::Key(l.service.to_string()),
                Cell::Text(l.dimension.to_string()),
                Cell::Num(format!("{:.2} {}", l.quantity, l.unit)),
                Cell::Num(format!("${:.4}", l.unit_price_usd)),
                Cell::Num(Usd(l.usd_per_month).to_string()),
            ]);
        }
        h.push_str(&t.finish());
    }
    h
}

fn level_tag(level: Level, waived: bool) -> String {
    if waived {
        return r#"<span class="tag waived">waived</span>"#.into();
    }
    match level {
        Level::Violation => r#"<span class="tag violation">violation</span>"#.into(),
        Level::Notice => r#"<span class="tag notice">notice</span>"#.into(),
    }
}

/// Static findings with their whole data paths, then the violations during the scenario.
pub fn compliance(d: &ReportData<'_>) -> String {
    let c = &d.assessment.data_law;
    let mut h = String::from(r#"<section id="compliance"><h2>Compliance findings</h2>"#);
    let _ = write!(
        h,
        "<p>Policies checked: {}. {} violations in the design as drawn, {} during the scenario (unwaived).</p>",
        escape(&c.policies.join(", ")),
        c.static_violations(),
        c.dynamic_violations()
    );
    h.push_str("<h3>In the design</h3>");
    if c.static_findings().is_empty() {
        h.push_str("<p>No findings.</p>");
    } else {
        let mut t = Table::new(&["level", "rule", "entity", "finding", "data path"]);
        for f in c.static_findings() {
            t.row(vec![
                Cell::Html(level_tag(f.level, f.waiver.is_some())),
                Cell::Text(f.rule.clone()),
                Cell::Key(f.entity.to_string()),
                Cell::Text(f.message.clone()),
                Cell::Path(f.path.render()),
            ]);
        }
        h.push_str(&t.finish());
    }
    let _ = write!(h, "<h3>During the scenario (run 0 of {})</h3>", escape(&d.assessment.scenario));
    let violations = c.dynamic.as_ref().map_or(&[][..], |dynamic| dynamic.violations.as_slice());
    if violations.is_empty() {
        h.push_str("<p>No population was served outside the jurisdictions its data may go to.</p>");
    } else {
        let mut t =
            Table::new(&["level", "rule", "population", "served from", "#minutes", "#requests", "finding"]);
        for v in violations {
            t.row(vec![
                Cell::Html(level_tag(Level::Violation, v.waiver.is_some())),
                Cell::Text(v.rule.clone()),
                Cell::Key(v.population.to_string()),
                Cell::Key(v.region.to_string()),
                Cell::Num(format!("{:.1}", v.minutes)),
                Cell::Num(v.requests.to_string()),
                Cell::Text(v.message.clone()),
            ]);
        }
        h.push_str(&t.finish());
    }
    h.push_str("</section>");
    h
}

/// What the figures rest on: scenario, runs, seed, horizon, billing month, price snapshot.
pub fn assumptions(d: &ReportData<'_>) -> String {
    let a = d.assessment;
    let b = d.bill;
    let mut h = String::from(r#"<section id="assumptions"><h2>Assumptions</h2><dl>"#);
    let mut item = |k: &str, v: String| {
        let _ = write!(h, "<dt>{}</dt><dd>{v}</dd>", escape(k));
    };
    item("Scenario", escape(&a.scenario));
    item("Monte Carlo runs", a.runs.to_string());
    item("Seed", a.seed.to_string());
    item("Horizon per run", escape(&Seconds(d.results.horizon_s).to_string()));
    item("Hours per month", format!("{}", b.hours_per_month));
    item("Prices", escape(&format!("{}, USD list prices", commitment(b.commitment))));
    let stale = if b.stale_sources.is_empty() {
        format!(r#" <span class="tag waived">every source read within {} days</span>"#, d.max_price_age_days)
    } else {
        format!(
            r#" <span class="tag stale">STALE: {} sources read more than {} days before {}</span>"#,
            b.stale_sources.len(),
            d.max_price_age_days,
            escape(d.today)
        )
    };
    item("Price snapshot", format!("{}{stale}", data_text("price_snapshot_date", &a.price_snapshot_date)));
    item(
        "Cost excludes",
        escape(
            "free tiers other than data transfer's (the first 100 GB a month out to the internet, CloudFront's first TB), taxes, AWS Support plans, Marketplace charges, cross-AZ transfer inside a region, EBS volumes of EC2 instances, and volume tiers other than data transfer out, CloudFront and S3 Standard storage (their first tier's price). Usage is the average hour; capacity is what the design declares.",
        ),
    );
    let not_priced: Vec<String> = meridian_model::cost::footprint::NOT_PRICED
        .iter()
        .map(|(what, why)| format!("{what} ({why})"))
        .collect();
    item("Exported but not priced", escape(&not_priced.join("; ")));
    item(
        "Incident cost",
        escape(
            "from the traced run 0: capacity scaled up in the regions that took the moved load, and writes copied back along replication links when the failed region returns.",
        ),
    );
    item("Data-law policies", escape(&a.data_law.policies.join(", ")));
    h.push_str("</dl>");
    if !b.stale_sources.is_empty() {
        let mut t = Table::new(&["stale source", "read on", "#age (days)"]);
        for s in &b.stale_sources {
            t.row(vec![
                Cell::Text(s.source.clone()),
                Cell::Text(s.as_of.clone()),
                Cell::Num(s.age_days.to_string()),
            ]);
        }
        h.push_str(&t.finish());
    }
    h.push_str("</section>");
    h
}

fn data_text(key: &str, value: &str) -> String {
    format!(r#"<data data-key="{}" value="{}">{}</data>"#, escape(key), escape(value), escape(value))
}

/// The commitment in words, as `meridian cost` prints it.
fn commitment(c: meridian_model::cost::Commitment) -> &'static str {
    match c {
        meridian_model::cost::Commitment::None => "on-demand",
        meridian_model::cost::Commitment::OneYear => "1-year commitment",
        meridian_model::cost::Commitment::ThreeYear => "3-year commitment",
    }
}
