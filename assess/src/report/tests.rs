//! Tests of the whole report: sections, self-containment, escaping, and figures that equal the
//! assessment's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use meridian_model::cost::{self, CostOptions, PriceSnapshot};
use meridian_model::{Catalog, Command, Design, apply, format};
use meridian_sim::SimOptions;

use super::*;
use crate::assessment::{AssessOptions, Want, assess, resolve_scenario};
use crate::units::{Percent, Usd};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name)
}

fn report_of(design: &Design, scenario: &str) -> (Assessment, String) {
    let catalog = Catalog::builtin().unwrap();
    let options = AssessOptions {
        sim: SimOptions { runs: Some(4), seed: Some(11), horizon: None, threads: 1, ..SimOptions::default() },
        ..AssessOptions::builtin(Want::COMPARE).unwrap()
    };
    let scenario = resolve_scenario(scenario, design, catalog).unwrap();
    let a = assess(design, catalog, &scenario, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let data = ReportData::new(design, catalog, &a, 180, "2026-11-26").unwrap();
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
    // Design picture and the charts: one design SVG, four simulation charts, two cost charts and
    // (since the forecast) the 12-month projection.
    assert_eq!(html.matches(r#"<figure class="design">"#).count(), 1);
    assert_eq!(html.matches(r#"<figure class="chart">"#).count(), 7);
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
    let r = a.results.as_ref().unwrap();
    let usd_per_month = a.usd_per_month().unwrap();
    let incident = a.incident.as_ref().unwrap();
    assert_eq!(num("availability_time"), r.availability_time.mean);
    assert_eq!(num("availability_requests"), r.availability_requests.mean);
    assert_eq!(num("downtime_min_per_year"), r.downtime_min_per_year.mean);
    assert_eq!(num("conflicts_per_day"), r.conflicts_per_day.mean);
    assert_eq!(num("rto_p50_s"), r.rto_s.p50);
    assert_eq!(num("rpo_p50_s"), r.rpo_s.p50);
    assert_eq!(num("usd_per_month"), usd_per_month);
    assert_eq!(num("bill_usd_per_month"), usd_per_month);
    assert_eq!(num("incident_usd_per_incident"), incident.usd_per_incident);
    assert_eq!(num("data_law_violations"), a.data_law.violations() as f64);
    assert_eq!(f["price_snapshot_date"], a.price_snapshot_date);
    // The shown text matches the exact value too.
    assert!(html.contains(&format!(">{}</data>", Percent(r.availability_time.mean))));
    assert!(html.contains(&format!(">{}</data>", Usd(usd_per_month))));
    // The region outage breaks the GDPR packs: every dynamic violation is listed.
    assert!(a.data_law.dynamic_violations() > 0);
    for v in &a.data_law.dynamic.as_ref().unwrap().violations {
        assert!(html.contains(&escape(&v.message)), "violation missing: {}", v.message);
    }
}

#[test]
fn cost_section_lists_top_lines_and_regions() {
    let design = reference();
    let (a, html) = report_of(&design, "region-outage");
    let summary = a.cost().unwrap();
    for (region, usd_pm) in summary.by_region_usd_per_month {
        let row = format!(
            r#"<td class="key">{}</td><td class="num">{}</td>"#,
            escape(region),
            escape(&Usd(*usd_pm).to_string())
        );
        assert!(html.contains(&row), "region {region} missing");
    }
    for (kind, usd_pm) in summary.by_service_usd_per_month {
        let row = format!(
            r#"<td class="key">{}</td><td class="num">{}</td>"#,
            escape(kind),
            escape(&Usd(*usd_pm).to_string())
        );
        assert!(html.contains(&row), "service kind {kind} missing");
    }
    let prices = PriceSnapshot::builtin().unwrap();
    let bill = cost::bill_with(&design, Some(Catalog::builtin().unwrap()), prices, &CostOptions::default());
    assert!((bill.total_usd_per_month - summary.usd_per_month).abs() < 1e-9);
    for l in bill.top_lines(sections::TOP_LINES) {
        assert!(
            html.contains(&format!(r#"<td class="num">{}</td>"#, escape(&Usd(l.usd_per_month).to_string())))
        );
    }
}

#[test]
fn compliance_findings_show_their_whole_paths() {
    let (a, html) = report_of(&reference(), "region-outage");
    assert!(!a.data_law.static_findings().is_empty());
    for f in a.data_law.static_findings() {
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
    // Ten years on, every source is stale.
    let later = cost::Date::parse("2036-01-01").unwrap();
    let options = AssessOptions {
        sim: SimOptions { runs: Some(2), seed: Some(1), horizon: None, threads: 1, ..SimOptions::default() },
        today: later,
        ..AssessOptions::builtin(Want::COMPARE).unwrap()
    };
    let a = assess(&design, catalog, &scenario, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let bill = a.bill.as_ref().unwrap();
    assert!(!bill.stale_sources.is_empty());
    let data = ReportData::new(&design, catalog, &a, 180, "2036-01-01").unwrap();
    let html = render(&data).unwrap();
    assert!(html.contains(r#"<span class="tag stale">STALE: "#));
}

#[test]
fn a_report_compiles_the_design_once_and_bills_it_once() {
    use meridian_model::cost::counters::bills;
    use meridian_sim::counters::compiles;
    let design = reference();
    let catalog = Catalog::builtin().unwrap();
    let scenario = resolve_scenario("region-outage", &design, catalog).unwrap();
    // Whatever the caller asks for, the report assesses every part it shows.
    let options = AssessOptions {
        sim: SimOptions { runs: Some(2), seed: Some(1), horizon: None, threads: 1, ..SimOptions::default() },
        ..AssessOptions::builtin(Want::BILL).unwrap()
    };
    let (c, b) = (compiles(), bills());
    let (html, a) =
        assess_and_render(&design, catalog, None, &scenario, &options, &|_| {}, &AtomicBool::new(false))
            .unwrap();
    assert_eq!((compiles() - c, bills() - b), (1, 1), "one Simulation and one bill per report");
    assert_eq!(a.want, Want::all());
    assert!(html.contains(r#"<section id="cost">"#));
}

#[test]
fn a_report_refuses_an_assessment_without_the_parts_it_shows() {
    let design = reference();
    let catalog = Catalog::builtin().unwrap();
    let scenario = resolve_scenario("region-outage", &design, catalog).unwrap();
    let options = AssessOptions::builtin(Want::BILL | Want::STATIC_LAW).unwrap();
    let a = assess(&design, catalog, &scenario, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let e = ReportData::new(&design, catalog, &a, 180, "2026-11-26").unwrap_err();
    assert!(
        // The forecast is the report's too (since issue 15).
        matches!(e, AssessError::Missing(w) if w == Want::SIMULATION | Want::INCIDENT | Want::DYNAMIC_LAW | Want::FORECAST),
        "{e}"
    );
    assert!(!e.is_bad_input());
}

#[test]
fn the_report_splits_recovery_time_into_its_phases() {
    // The pilot light's failover is an operator's: detection (alarm), decision and switch at least.
    let design = format::load_file(&example("pilot-light.ron"), Catalog::builtin().unwrap()).unwrap().design;
    let (a, html) = report_of(&design, "region-outage");
    let phases = a.results.as_ref().unwrap().recovery_phases;
    assert!(phases.decision.count > 0, "{phases:?}");
    let section = html.split("<h3>Where recovery time goes</h3>").nth(1).expect("the section is there");
    let section = section.split("<h3>").next().unwrap();
    for (phase, s) in phases.rows() {
        let shown = section.contains(&format!(">{}<", phase.label()));
        assert_eq!(shown, s.count > 0, "{} shown iff it happened: {s:?}", phase.label());
        if s.count > 0 {
            assert!(section.contains(&crate::units::Seconds(s.mean_s).to_string()), "{}", phase.label());
        }
    }
}

#[test]
fn the_targets_section_shows_each_target_with_the_assessments_figures() {
    let (a, html) = report_of(&reference(), "region-outage");
    let t = a.targets.as_ref().expect("the reference design states targets");
    let start = html.find(r#"<section id="targets">"#).unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(section.contains(&escape::escape(&t.summary())), "{section}");
    assert_eq!(section.matches("<tr>").count(), t.checks.len() + t.budgets.len() + 2, "{section}");
    assert!(section.contains("RTO, region") && section.contains("not evaluated"), "{section}");
    let figures = figures(section);
    for (i, c) in t.checks.iter().enumerate() {
        assert_eq!(
            figures.get(&format!("target.{i}")).map(String::as_str),
            c.measured.map(|m| m.to_string()).as_deref()
        );
    }
    let mut bare = reference();
    apply(
        &mut bare,
        Catalog::builtin().unwrap(),
        Command::SetTargets(meridian_model::targets::Targets::default()),
    )
    .unwrap();
    let (a, html) = report_of(&bare, "region-outage");
    assert!(a.targets.is_none());
    assert!(html.contains("The design states no targets."));
}
