//! What an export is asked for and what it gives back: the format and options, the files, the
//! warnings and skipped scanner checks, the error, and what each format writer hands to
//! [`crate::export`] besides the files it streamed into the sink (`sink`). Every writer uses
//! these types; of its siblings this module uses only `names`.

use serde::Serialize;

use meridian_model::compliance::Policy;
use meridian_model::design::EntityRef;

use crate::names::Clash;

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
    /// [`meridian_model::compliance::replication_constraints`]); none means no limit beyond the design.
    pub policies: Vec<Policy>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// The file's text; for a binary file, a one-line description of it (what listings and
    /// snapshots show).
    pub contents: String,
    /// The bytes of a binary file (a placeholder function package); `None` for a text file, whose
    /// bytes are `contents`.
    #[serde(skip)]
    pub binary: Option<Vec<u8>>,
}

impl ExportFile {
    /// A text file.
    #[must_use]
    pub fn text(path: impl Into<String>, contents: impl Into<String>) -> Self {
        ExportFile { path: path.into(), contents: contents.into(), binary: None }
    }

    /// The bytes to write: `binary` when set, otherwise the text.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.binary.as_deref().unwrap_or(self.contents.as_bytes())
    }
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

/// What an export streamed into a sink ([`crate::export_to`]) leaves to say: the paths of the
/// files, warnings and skipped scanner checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// The files' paths, in path order.
    pub files: Vec<String>,
    /// Warnings, as in [`ExportBundle::warnings`].
    pub warnings: Vec<String>,
    /// Skipped scanner checks, as in [`ExportBundle::skipped_checks`].
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

/// Why an export failed: two ids of the design that the export cannot tell apart (the user's
/// input), or an internal error.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Two entities would be written under one name, even after renaming one of them (see
    /// `names`); or one entity would be written twice under it.
    #[error("{file}: {} and {} would both be written as `{name}`; rename one of them", owner(.first.as_ref()), owner(.second.as_ref()))]
    NameClash {
        /// The generated file.
        file: String,
        /// The name, e.g. a logical id or a Terraform resource address.
        name: String,
        /// Who has the name first (`None`: a resource of the export's own, such as the region's VPC).
        first: Option<EntityRef>,
        /// Who has it again.
        second: Option<EntityRef>,
    },
    /// A file could not be written into the output's staging folder.
    #[error(transparent)]
    Write(#[from] meridian_model::format::SaveError),
    /// A generated expression or document did not serialise.
    #[error("internal error while writing {what}: {message}")]
    Internal {
        /// What was being written.
        what: String,
        /// The underlying error.
        message: String,
    },
}

fn owner(o: Option<&EntityRef>) -> String {
    o.map_or_else(|| "a resource of the export's own".to_owned(), ToString::to_string)
}

impl ExportError {
    pub(crate) fn internal(what: impl Into<String>, e: impl std::fmt::Display) -> Self {
        ExportError::Internal { what: what.into(), message: e.to_string() }
    }
}

/// What a format writer hands back besides its files (which it gives the sink as it renders
/// them); `export` adds `DEPLOY.md`.
pub(crate) struct Written {
    pub warnings: Vec<String>,
    pub skipped: Vec<SkippedCheck>,
    /// Deployment steps, in order, as Markdown paragraphs.
    pub steps: Vec<String>,
    /// Names declared twice.
    pub clashes: Vec<Clash>,
}
