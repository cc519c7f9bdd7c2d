//! Tests of the whole report: sections, self-containment, escaping, and figures that equal the
//! assessment's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use meridian_model::cost::{self, CostOptions, PriceSnapshot};
use meridian_model::{Catalog, Command, Design, apply, format};
use meridian_sim::SimOptions;

use super::*;
use crate::assessment::{AssessOptions, assess, resolve_scenario};
use crate::units::{Percent, Usd};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name)
}

fn report_of(design: &Design, scenario: &str) -> (Assessment, String) {
    let catalog = Catalog::builtin().unwrap();
    let options = AssessOptions {
        sim: SimOptions { runs: Some(4), seed: Some(11), horizon: None, threads: 1, keep_runs: false },
        ..AssessOptions::default()
    };
    let scenario = resolve_scenario(scenario, design, catalog).unwrap();
    let a = assess(design, catalog, &scenario, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let prices = PriceSnapshot::builtin().unwrap();
    let bill = cost::bill_with(design, Some(catalog), prices, &CostOptions::default());
    let bill = cost::with_staleness(bill, prices, 180, cost::Date::today());
    let data = ReportData {
        design,
        catalog,
        assessment: &a,
        bill: &bill,
        max_price_age_days: 180,
        today: "2026-11-26",
    };
    let html = render(&data).unwrap();
    (a, html)
}

fn reference() -> Design {
    format::load_file(&example("active-active-2region.ron"), Catalog::builtin().unwrap()).unwrap().design
}

/// Every `<data data-key=K value=V>` in the page.
fn figures(html: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for part in html.split(r#"<data data-key=""#).skip(1) {
        let key = part.split('"').next().unwrap().to_owned();
        let value = part.split(r#"value=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();
        out.insert(key, value);
    }
    out
}

#[test]
fn every_section_is_present_in_order() {
    let (_, html) = report_of(&reference(), "region-outage");
    let mut at = 0;
    for (id, heading) in SECTIONS {
        let needle = format!(r#"<section id="{id}"><h2>{heading}</h2>"#);
        let found =
            html[at..].find(&needle).unwrap_or_else(|| panic!("section {id} missing or out of order"));
        at += found;
    }
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    // Design picture and the charts: one design SVG, four simulation charts, two cost charts.
    assert_eq!(html.matches(r#"<figure class="design">"#).count(), 1);
    assert_eq!(html.matches(r#"<figure class="chart">"#).count(), 6);
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let (_, html) = report_of(&reference(), "region-outage");
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(http",
        "url(//",
        "src=",
        "href=\"http",
        "href=\"//",
    ] {
        assert!(!lower.contains(bad), "the page contains `{bad}`");
    }
    // Links only to the page's own sections.
    for part in lower.split("href=\"").skip(1) {
        assert!(part.starts_with('#'), "external link: {}", &part[..part.len().min(60)]);
    }
}

#[test]
#[allow(clippy::float_cmp)] // The page must carry the assessment's figures exactly, not nearly.
fn figures_in_the_page_equal_the_assessment() {
    let (a, html) = report_of(&reference(), "region-outage");
    let f = figures(&html);
    let num = |k: &str| -> f64 { f.get(k).unwrap_or_else(|| panic!("{k} missing")).parse().unwrap() };
    let r = &a.results;
    assert_eq!(num("availability_time"), r.availability_time.mean);
    assert_eq!(num("availability_requests"), r.availability_requests.mean);
    assert_eq!(num("downtime_min_per_year"), r.downtime_min_per_year.mean);
    assert_eq!(num("conflicts_per_day"), r.conflicts_per_day.mean);
    assert_eq!(num("rto_p50_s"), r.rto_s.p50);
    assert_eq!(num("rpo_p50_s"), r.rpo_s.p50);
    assert_eq!(num("usd_per_month"), a.cost.usd_per_month);
    assert_eq!(num("bill_usd_per_month"), a.cost.usd_per_month);
    assert_eq!(num("incident_usd_per_incident"), a.incident.usd_per_incident);
    assert_eq!(num("data_law_violations"), a.data_law.violations() as f64);
    assert_eq!(f["price_snapshot_date"], a.price_snapshot_date);
    // The shown text matches the exact value too.
    assert!(html.contains(&format!(">{}</data>", Percent(r.availability_time.mean))));
    assert!(html.contains(&format!(">{}</data>", Usd(a.cost.usd_per_month))));
    // The region outage breaks the GDPR packs: every dynamic violation is listed.
    assert!(a.data_law.dynamic_violations > 0);
    for v in &a.data_law.dynamic.violations {
        assert!(html.contains(&escape(&v.message)), "violation missing: {}", v.message);
    }
}

#[test]
fn cost_section_lists_top_lines_and_regions() {
    let design = reference();
    let (a, html) = report_of(&design, "region-outage");
    for (region, usd_pm) in &a.cost.by_region_usd_per_month {
        let row = format!(
            r#"<td class="key">{}</td><td class="num">{}</td>"#,
            escape(region),
            escape(&Usd(*usd_pm).to_string())
        );
        assert!(html.contains(&row), "region {region} missing");
    }
    for (kind, usd_pm) in &a.cost.by_service_usd_per_month {
        let row = format!(
            r#"<td class="key">{}</td><td class="num">{}</td>"#,
            escape(kind),
            escape(&Usd(*usd_pm).to_string())
        );
        assert!(html.contains(&row), "service kind {kind} missing");
    }
    let prices = PriceSnapshot::builtin().unwrap();
    let bill = cost::bill_with(&design, Some(Catalog::builtin().unwrap()), prices, &CostOptions::default());
    assert!((bill.total_usd_per_month - a.cost.usd_per_month).abs() < 1e-9);
    for l in bill.top_lines(sections::TOP_LINES) {
        assert!(
            html.contains(&format!(r#"<td class="num">{}</td>"#, escape(&Usd(l.usd_per_month).to_string())))
        );
    }
}

#[test]
fn compliance_findings_show_their_whole_paths() {
    let (a, html) = report_of(&reference(), "region-outage");
    assert!(!a.data_law.static_findings.is_empty());
    for f in &a.data_law.static_findings {
        assert!(
            html.contains(&format!(r#"<td class="path">{}</td>"#, escape(&f.path.render()))),
            "{}",
            f.path.render()
        );
    }
}

#[test]
fn text_from_the_design_is_escaped_everywhere() {
    let catalog = Catalog::builtin().unwrap();
    let mut design = reference();
    let evil = r#"<script>alert("x")</script> & 'co'"#;
    apply(&mut design, catalog, Command::SetName(evil.into())).unwrap();
    apply(&mut design, catalog, Command::SetDescription(evil.into())).unwrap();
    let mut service = design.services().next().unwrap().clone();
    service.name = evil.into();
    apply(&mut design, catalog, Command::UpdateService(service)).unwrap();
    let (_, html) = report_of(&design, "region-outage");
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"));
}

#[test]
fn a_stale_snapshot_is_flagged() {
    let design = reference();
    let catalog = Catalog::builtin().unwrap();
    let scenario = resolve_scenario("region-outage", &design, catalog).unwrap();
    let options = AssessOptions {
        sim: SimOptions { runs: Some(2), seed: Some(1), horizon: None, threads: 1, keep_runs: false },
        ..AssessOptions::default()
    };
    let a = assess(&design, catalog, &scenario, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let prices = PriceSnapshot::builtin().unwrap();
    let bill = cost::bill_with(&design, Some(catalog), prices, &CostOptions::default());
    // Ten years on, every source is stale.
    let later = cost::Date::parse("2036-01-01").unwrap();
    let bill = cost::with_staleness(bill, prices, 180, later);
    assert!(!bill.stale_sources.is_empty());
    let data = ReportData {
        design: &design,
        catalog,
        assessment: &a,
        bill: &bill,
        max_price_age_days: 180,
        today: "2036-01-01",
    };
    let html = render(&data).unwrap();
    assert!(html.contains(r#"<span class="tag stale">STALE: "#));
}
