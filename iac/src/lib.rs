//! Infrastructure-as-code export: CloudFormation templates or a Terraform root module from a design.
//!
//! [`export`] is the one entry point the CLI and the GUI share. It builds a `plan::Plan` (names,
//! tags, which replication the compliance rules allow, the deployment order, what cannot be exported
//! faithfully) and hands it to the writer of the chosen [`Format`]: `cfn` (one template per region,
//! one for global resources, one for the cross-region pieces) or `tf` (one root module with a
//! provider alias per region), then writes `DEPLOY.md` (`deploy`). Decisions both writers make
//! the same way (callers, health checks, backup schedules, access grants) live in `rules`. Everything is secure by
//! default: KMS encryption at rest, TLS-only access, versioned private buckets, point-in-time
//! recovery, deletion protection, least-privilege roles, logging, and the design's tags.

mod bundle;
mod cfn;
mod deploy;
pub mod inventory;
mod plan;
mod rules;
mod tf;

use meridian_model::catalog::Catalog;
use meridian_model::design::Design;

pub use bundle::{
    ExportBundle, ExportError, ExportFile, ExportOptions, Format, SkippedCheck, TemplateSyntax,
};
pub use inventory::{Charge, Resource, inventory};
pub use plan::name_prefix;

/// Exports `design` as infrastructure code in `format`.
pub fn export(
    design: &Design,
    catalog: &Catalog,
    format: Format,
    options: &ExportOptions,
) -> Result<ExportBundle, ExportError> {
    let plan = plan::Plan::new(design, catalog, &options.policies);
    let mut out = match format {
        Format::CloudFormation => cfn::write(&plan, options.syntax)?,
        Format::Terraform => tf::write(&plan)?,
    };
    out.skipped.sort();
    out.skipped.dedup();
    let mut warnings = plan.warnings.clone();
    warnings.extend(out.warnings);
    let mut files = out.files;
    files.push(ExportFile {
        path: "DEPLOY.md".into(),
        contents: deploy::render(&plan, format, &out.steps, &warnings, &out.skipped),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ExportBundle { files, warnings, skipped_checks: out.skipped })
}
