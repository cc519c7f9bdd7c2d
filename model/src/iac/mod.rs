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

mod cfn;
mod deploy;
mod plan;
mod rules;
mod tf;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::compliance::Policy;
use crate::design::Design;

pub use plan::name_prefix;

/// Which infrastructure-code language to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// AWS CloudFormation templates.
    CloudFormation,
    /// A Terraform root module (HCL).
    Terraform,
}

/// How CloudFormation templates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum TemplateSyntax {
    /// YAML (the default).
    #[default]
    Yaml,
    /// JSON.
    Json,
}

/// Options of an export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// CloudFormation syntax (Terraform ignores it).
    pub syntax: TemplateSyntax,
    /// Data-law policies whose residency rules limit replication (see
    /// [`crate::compliance::replication_constraints`]); none means no limit beyond the design.
    pub policies: Vec<Policy>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// The result of an export: the files, and what could not be exported faithfully.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportBundle {
    /// The files, in path order.
    pub files: Vec<ExportFile>,
    /// Warnings: kinds or links not exported, or exported with a difference. Also in `DEPLOY.md`.
    pub warnings: Vec<String>,
    /// Scanner checks skipped on purpose, as (resource, check id, reason). Also in `DEPLOY.md`.
    pub skipped_checks: Vec<SkippedCheck>,
}

/// A scanner check the export skips on a resource, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedCheck {
    /// The resource's name in the generated code.
    pub resource: String,
    /// The check, e.g. `CKV_AWS_144`.
    pub check: String,
    /// Why, in a sentence.
    pub reason: String,
}

/// Why an export failed. Designs that load always export; this is an internal error.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A generated expression or document did not serialise.
    #[error("internal error while writing {what}: {message}")]
    Internal {
        /// What was being written.
        what: String,
        /// The underlying error.
        message: String,
    },
}

impl ExportError {
    pub(crate) fn internal(what: impl Into<String>, e: impl std::fmt::Display) -> Self {
        ExportError::Internal { what: what.into(), message: e.to_string() }
    }
}

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

/// What a format writer produces; `export` adds `DEPLOY.md`.
pub(crate) struct Written {
    pub files: Vec<ExportFile>,
    pub warnings: Vec<String>,
    pub skipped: Vec<SkippedCheck>,
    /// Deployment steps, in order, as Markdown paragraphs.
    pub steps: Vec<String>,
}
