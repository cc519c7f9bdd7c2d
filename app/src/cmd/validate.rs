//! `meridian validate`: load each file, report its error or its warnings.

use meridian_model::format;
use meridian_model::validate::{Severity, validate};
use serde_json::json;

use crate::cli::{Format, ValidateArgs};
use crate::exit;

/// Runs `meridian validate`.
pub fn run(args: &ValidateArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let mut reports = Vec::new();
    let (mut failed, mut warned) = (0usize, 0usize);
    for path in &args.files {
        let shown = path.display().to_string();
        // The text is read once: the loader reads it, and finds where each entity is written
        // (for the warnings' lines) as it goes.
        let text = format::read_text(path, format::Limit::Design);
        let outcome = text.as_ref().map_err(Clone::clone).and_then(|t| {
            let (loaded, map) = format::load_mapped(t, path, catalog)?;
            let problems = validate(&loaded.design, catalog);
            Ok((loaded, map, problems))
        });
        match outcome {
            Err(e) => {
                failed += 1;
                if args.format == Format::Text {
                    crate::errln!("{e}");
                }
                reports.push(json!({
                    "file": shown, "ok": false,
                    "error": {"line": e.line, "col": e.col, "message": e.message, "field": e.field},
                    "warnings": [],
                }));
            }
            Ok((loaded, map, problems)) => {
                let mut warnings = Vec::new();
                for p in &problems {
                    let (line, col) = map.as_ref().map_or((0, 0), |m| {
                        let lc = m.position(&p.entity, p.field.as_deref());
                        (lc.line, lc.col)
                    });
                    let level = if p.severity == Severity::Warning { "warning" } else { "note" };
                    if args.format == Format::Text {
                        crate::errln!("{shown}:{line}:{col}: {level}: {}: {}", p.entity, p.message);
                    }
                    warnings.push(json!({
                        "line": line, "col": col, "severity": level,
                        "entity": p.entity.to_string(), "field": p.field, "message": p.message,
                    }));
                }
                if !problems.is_empty() {
                    warned += 1;
                }
                let d = &loaded.design;
                if args.format == Format::Text {
                    crate::outln!(
                        "{shown}: ok: {} regions, {} services, {} links, {} populations, {} warnings",
                        d.regions().len(),
                        d.services().len(),
                        d.links().len(),
                        d.populations().len(),
                        problems.len()
                    );
                }
                reports.push(json!({"file": shown, "ok": true, "error": null, "warnings": warnings}));
            }
        }
    }
    if args.format == Format::Json {
        crate::outln!("{}", serde_json::to_string_pretty(&json!({ "files": reports }))?);
    }
    Ok(if failed > 0 {
        exit::BAD_INPUT
    } else if args.deny_warnings && warned > 0 {
        exit::FINDINGS
    } else {
        exit::SUCCESS
    })
}
