//! `meridian check`: evaluate data-law policies on a design and report findings with whole paths.

mod sarif;

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use meridian_assess::assessment::{self as assess, AssessError, AssessOptions, Want};
use meridian_model::compliance::{
    DynamicReport, Finding, Level, Policy, Report, check_static, policy::PACKS,
};
use meridian_model::format;
use serde_json::json;

use crate::cli::{CheckArgs, CheckFormat};
use crate::exit::{self, BadInput};

/// Runs `meridian check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let policies = policies(&args.policies)?;
    let text = format::read_text(&args.file, format::Limit::Design)?;
    let (loaded, map) = format::load_mapped(&text, &args.file, catalog)?;
    let report = check_static(&loaded.design, catalog, &policies);
    let dynamic = match &args.scenario {
        Some(name) => Some(dynamic_report(name, &loaded.design, catalog, &policies)?),
        None => None,
    };
    let shown = args.file.display().to_string();
    let pos = |f: &Finding| {
        map.as_ref().map_or((1, 1), |m| {
            let lc = m.position(&f.entity, None);
            (lc.line, lc.col)
        })
    };
    match args.format {
        CheckFormat::Text => {
            crate::out!("{}", text_report(&shown, &report, &pos));
            if let Some(d) = &dynamic {
                crate::out!("{}", dynamic_text(&shown, d));
            }
        }
        CheckFormat::Json => {
            let findings: Vec<_> = report
                .findings
                .iter()
                .map(|f| {
                    let (line, col) = pos(f);
                    json!({"line": line, "col": col, "path_text": f.path.render(), "fails": f.fails(), "finding": f})
                })
                .collect();
            let doc = json!({
                "file": shown, "policies": report.policies, "clean": report.is_clean(),
                "findings": findings, "waivers": report.waivers,
                "dynamic": dynamic,
            });
            crate::outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
        CheckFormat::Sarif => {
            let doc = sarif::document(&shown, &report, dynamic.as_ref(), &policies, map.as_ref());
            crate::outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
    }
    let dynamic_clean = dynamic.as_ref().is_none_or(DynamicReport::is_clean);
    Ok(if report.is_clean() && dynamic_clean { exit::SUCCESS } else { exit::FINDINGS })
}

/// Runs run 0 of the scenario, records where each population was served, and checks the policies
/// on it: the assessment's dynamic data-law check alone (a bad scenario is bad input, exit 2).
fn dynamic_report(
    name: &str,
    design: &meridian_model::Design,
    catalog: &meridian_model::Catalog,
    policies: &[Policy],
) -> anyhow::Result<DynamicReport> {
    let scenario = assess::resolve_scenario(name, design, catalog)?;
    let options = AssessOptions::new(Want::DYNAMIC_LAW, assess::builtin_prices()?, policies);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let a = assess::assess(design, catalog, &scenario, &options, &|_| {}, &cancel)?;
    Ok(a.data_law.dynamic.ok_or(AssessError::Missing(Want::DYNAMIC_LAW))?)
}

fn dynamic_text(file: &str, d: &DynamicReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file}: during the scenario: {} violations",
        d.violations.iter().filter(|v| v.waiver.is_none()).count()
    );
    for v in &d.violations {
        let waived = if v.waiver.is_some() { " (waived)" } else { "" };
        let _ = writeln!(
            out,
            "  {}{waived}: {} in {}: {:.0} minutes, {} requests, {} writes: {}",
            v.rule, v.population, v.region, v.minutes, v.requests, v.writes, v.message
        );
    }
    out
}

/// Resolves each `--policy` to a shipped pack or a policy file; no argument means every pack.
pub(super) fn policies(names: &[String]) -> anyhow::Result<Vec<Policy>> {
    if names.is_empty() {
        return Policy::packs().context("a shipped policy pack is broken");
    }
    let mut out = Vec::new();
    for name in names {
        let policy = match Policy::pack(name) {
            Some(p) => p.context("a shipped policy pack is broken")?,
            None if Path::new(name).exists() => Policy::load_file(Path::new(name))?,
            None => {
                let packs: Vec<&str> = PACKS.iter().map(|(n, _)| *n).collect();
                return Err(BadInput(format!(
                    "error: `{name}` is neither a shipped policy pack ({}) nor a policy file (--policy)",
                    packs.join(", ")
                ))
                .into());
            }
        };
        out.push(policy);
    }
    Ok(out)
}

/// The text report: one `FILE:LINE:COL: level: rule: message` line per finding with its path,
/// then the waivers and a summary line.
fn text_report(file: &str, report: &Report, pos: &dyn Fn(&Finding) -> (usize, usize)) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let (line, col) = pos(f);
        let level = match (f.level, &f.waiver) {
            (Level::Violation, None) => "violation",
            (Level::Violation, Some(_)) => "waived",
            (Level::Notice, _) => "notice",
        };
        let _ = writeln!(out, "{file}:{line}:{col}: {level}: {}: {}", f.rule, f.message);
        if !f.path.steps.is_empty() {
            let _ = writeln!(out, "    path: {}", f.path.render());
        }
        if let Some(l) = &f.crossing {
            let _ = writeln!(out, "    crosses out at: link {l}");
        }
        if let Some(w) = &f.waiver {
            let _ = writeln!(out, "    waiver: {}", w.justification);
        }
    }
    for w in &report.waivers {
        let used =
            if report.unused_waivers().any(|u| u == w) { " (unused: no finding matches it)" } else { "" };
        let _ = writeln!(out, "waiver: {} on {}{used}: {}", w.rule, w.entity, w.justification);
    }
    let count = |l: Level, waived: bool| {
        report.findings.iter().filter(|f| f.level == l && f.waiver.is_some() == waived).count()
    };
    let _ = writeln!(
        out,
        "{file}: {} violations, {} waived, {} notices (policies: {})",
        count(Level::Violation, false),
        count(Level::Violation, true),
        count(Level::Notice, false) + count(Level::Notice, true),
        report.policies.join(", ")
    );
    out
}
