//! `meridian import`: read CloudFormation templates or Terraform into a design file, listing
//! what was skipped and why.

use meridian_iac::import::{self, Imported};
use meridian_model::RegionId;
use meridian_model::format;
use serde_json::json;

use crate::cli::{ImportArgs, ImportReportFormat, ImportSource};
use crate::exit::{self, BadInput};

/// Runs `meridian import`.
pub fn run(args: &ImportArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    if args.out.exists() && !args.force {
        return Err(
            BadInput(format!("{}: error: exists (use --force to overwrite)", args.out.display())).into()
        );
    }
    let (imported, inputs) = match &args.from {
        ImportSource::Cloudformation { templates, region } => {
            let region = match region {
                Some(r) if catalog.region(r).is_none() => {
                    let hint = catalog
                        .suggest_region(r)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    return Err(BadInput(format!(
                        "error: --region `{r}` is not an AWS region in the catalog{hint}"
                    ))
                    .into());
                }
                Some(r) => Some(RegionId::new(r)),
                None => None,
            };
            let imported =
                import::import_cloudformation(templates, region.as_ref(), catalog).map_err(|e| bad(&e))?;
            let names: Vec<String> = templates.iter().map(|t| t.display().to_string()).collect();
            (imported, names.join(", "))
        }
        ImportSource::Terraform { path } => {
            (import::import_terraform(path, catalog).map_err(|e| bad(&e))?, path.display().to_string())
        }
    };
    if imported.design.services().len() == 0 {
        report(args, &imported, &inputs)?;
        return Err(BadInput(format!("error: no service found in {inputs}")).into());
    }
    let text = format::to_string(&imported.design, &imported.header(&inputs))?;
    // The written file must load back: the import goes through the model's commands, so a
    // failure here is a bug.
    format::load_str(&text, &args.out, catalog)?;
    format::write_atomic(&args.out, &text, false)?;
    report(args, &imported, &inputs)?;
    if args.format == ImportReportFormat::Text {
        crate::outln!(
            "wrote {}: {} regions, {} services, {} links from {} resources ({} read as parts of services or links), {} skipped",
            args.out.display(),
            imported.design.regions().len(),
            imported.design.services().len(),
            imported.design.links().len(),
            imported.resources,
            imported.supporting,
            imported.skipped.len()
        );
    }
    Ok(if imported.skipped.is_empty() { exit::SUCCESS } else { exit::FINDINGS })
}

fn bad(e: &import::ImportError) -> anyhow::Error {
    BadInput(format!("error: {e}")).into()
}

/// Prints the skipped list (warnings on stderr) or the JSON report.
fn report(args: &ImportArgs, imported: &Imported, inputs: &str) -> anyhow::Result<()> {
    match args.format {
        ImportReportFormat::Json => {
            let doc = json!({
                "inputs": inputs,
                "out": args.out.display().to_string(),
                "resources": imported.resources,
                "supporting": imported.supporting,
                "regions": imported.design.regions().map(|r| r.id.to_string()).collect::<Vec<_>>(),
                "services": imported.design.services().map(|s| json!({"id": s.id.to_string(), "kind": s.kind.as_str()})).collect::<Vec<_>>(),
                "links": imported.design.links().len(),
                "skipped": imported.skipped,
            });
            crate::outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
        ImportReportFormat::Text => {
            for s in &imported.skipped {
                crate::errln!("warning: skipped {}: {}", s.address, s.reason);
            }
        }
    }
    Ok(())
}
