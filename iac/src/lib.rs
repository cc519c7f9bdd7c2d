//! Infrastructure-as-code export: CloudFormation templates or a Terraform root module from a design.
//!
//! [`export`] is the one entry point the CLI and the GUI share. It builds a `plan::Plan` (names
//! from `names`, the one injective mapping from ids to logical ids and resource names,
//! tags, which replication the compliance rules allow, the deployment order, what cannot be exported
//! faithfully) and hands it to the writer of the chosen [`Format`]: `cfn` (one template per region,
//! one for global resources, one for the cross-region pieces) or `tf` (one root module with a
//! provider alias per region), then writes `DEPLOY.md` (`deploy`). Decisions both writers make
//! the same way (callers, health checks, backup schedules, access grants) live in `rules`. Everything is secure by
//! default: KMS encryption at rest, TLS-only access, versioned private buckets, point-in-time
//! recovery, deletion protection, least-privilege roles, logging, and the design's tags.

mod bundle;
pub mod calls;
mod cfn;
mod deploy;
mod entry;
pub mod fis;
pub mod import;
pub mod inventory;
mod kind_rules;
pub mod kinds;
mod names;
mod notes;
mod plan;
mod rules;
mod sink;
mod tf;

pub use bundle::{
    ExportBundle, ExportError, ExportFile, ExportOptions, ExportSummary, Format, SkippedCheck, TemplateSyntax,
};
pub use entry::{export, export_to};
pub use inventory::{Charge, Resource, inventory};
pub use plan::name_prefix;
pub use sink::ExportSink;
