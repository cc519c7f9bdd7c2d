//! SARIF 2.1.0 output of `meridian check`, for code scanning in CI: each result points at the
//! line of the offending entity in the design file, with the rest of the path as related
//! locations and waivers as suppressions.

use meridian_model::compliance::{DynamicReport, Level, Policy, Report};
use meridian_model::format::SourceMap;
use serde_json::{Value, json};

/// The SARIF log for `report` on the design file `file`.
pub fn document(
    file: &str,
    report: &Report,
    dynamic: Option<&DynamicReport>,
    policies: &[Policy],
    map: Option<&SourceMap>,
) -> Value {
    let mut rules = Vec::new();
    let mut rule_ids = Vec::new();
    for p in policies {
        for r in &p.rules {
            let id = p.rule_name(r);
            rules.push(json!({
                "id": id,
                "name": pascal(&format!("{} {}", p.id, r.id)),
                "shortDescription": {"text": r.description},
                "fullDescription": {"text": format!("{} ({})", r.description, p.name)},
                "help": {"text": format!(
                    "{} Fix the design so the data stays where the rule allows, or record a waiver with a justification in the design file's `waivers`.",
                    r.description
                )},
                "defaultConfiguration": {"level": "error"},
            }));
            rule_ids.push(id);
        }
    }
    let artifact = |line: usize, col: usize| {
        json!({
            "artifactLocation": {"uri": file},
            "region": {"startLine": line.max(1), "startColumn": col.max(1)},
        })
    };
    let position = |e: &meridian_model::EntityRef| {
        map.map_or((1, 1), |m| {
            let lc = m.position(e, None);
            (lc.line, lc.col)
        })
    };
    let mut results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let (line, col) = position(&f.entity);
            let related: Vec<Value> = f
                .path
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let e = s.entity();
                    let (l, c) = position(&e);
                    json!({"id": i, "physicalLocation": artifact(l, c), "message": {"text": format!("path step {}: {e}", i + 1)}})
                })
                .collect();
            let mut result = json!({
                "ruleId": f.rule,
                "level": if f.level == Level::Violation { "error" } else { "note" },
                "message": {"text": format!("{} Path: {}", f.message, if f.path.steps.is_empty() { "(none)".to_owned() } else { f.path.render() })},
                "locations": [{
                    "physicalLocation": artifact(line, col),
                    "logicalLocations": [{"name": f.entity.to_string(), "kind": "object"}],
                }],
            });
            if let Some(i) = rule_ids.iter().position(|r| *r == f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            if let Some(w) = &f.waiver {
                result["suppressions"] = json!([{"kind": "inSource", "justification": w.justification}]);
            }
            result
        })
        .collect();
    results.extend(dynamic_results(dynamic, &rule_ids, &position, &artifact));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "meridian",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/meridian",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Results for violations that happen only during the simulated scenario, located at the population.
fn dynamic_results(
    dynamic: Option<&DynamicReport>,
    rule_ids: &[String],
    position: &dyn Fn(&meridian_model::EntityRef) -> (usize, usize),
    artifact: &dyn Fn(usize, usize) -> Value,
) -> Vec<Value> {
    let mut out = Vec::new();
    for v in dynamic.map_or(&[][..], |d| d.violations.as_slice()) {
        let e = meridian_model::EntityRef::Population(v.population.clone());
        let (line, col) = position(&e);
        let mut result = json!({
            "ruleId": v.rule,
            "level": "error",
            "message": {"text": format!(
                "During scenario {}: {} ({:.0} minutes, {} requests, {} writes in {}).",
                v.scenario, v.message, v.minutes, v.requests, v.writes, v.region
            )},
            "locations": [{
                "physicalLocation": artifact(line, col),
                "logicalLocations": [{"name": e.to_string(), "kind": "object"}],
            }],
        });
        if let Some(i) = rule_ids.iter().position(|r| *r == v.rule) {
            result["ruleIndex"] = json!(i);
        }
        if let Some(w) = &v.waiver {
            result["suppressions"] = json!([{"kind": "inSource", "justification": w.justification}]);
        }
        out.push(result);
    }
    out
}

/// `gdpr-strict eu-residency` -> `GdprStrictEuResidency`, the form SARIF rule names take.
fn pascal(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect()
}
