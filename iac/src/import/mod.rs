//! Infrastructure-code import: CloudFormation templates or Terraform (a folder of `.tf` files or
//! the JSON of `terraform show -json`) read into a design.
//!
//! Each reader (`cfn`, `tf`, `plan_json`) turns its input into neutral resources (`resource`):
//! properties as JSON with references to other resources marked, and whatever cannot be resolved
//! statically marked with the reason. `build` then decides which resources are services (through
//! the one kind-to-resource table, [`crate::kinds`]), which support a service (roles, security
//! groups, listeners, alarms: read as its settings and links), and which make links (records,
//! target groups, origins, replication configurations, global clusters, backup selections), and
//! reads the settings the design models (`settings`). Every resource not understood is listed
//! in [`Imported::skipped`] with its address and the reason; nothing is dropped silently.

mod build;
mod cfn;
mod input;
mod plan_json;
mod resource;
mod settings;
mod tf;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use meridian_model::catalog::Catalog;
use meridian_model::{Design, RegionId};

use input::read_input;
pub use input::{ImportError, MAX_INPUT_BYTES, Skipped};

/// What an import produced.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The design: services, regions and links read from the code, laid out automatically.
    pub design: Design,
    /// What was not read, in input order.
    pub skipped: Vec<Skipped>,
    /// Resources read (services and the resources supporting them).
    pub resources: usize,
    /// Of those, resources read as part of a service or a link rather than as a service.
    pub supporting: usize,
}

impl Imported {
    /// The comment block written above the design: what was read and what was skipped.
    pub fn header(&self, inputs: &str) -> String {
        let mut out = format!(
            "// Imported by `meridian import` from {inputs}: {} resources, {} services, {} links.\n",
            self.resources,
            self.design.services().len(),
            self.design.links().len()
        );
        if self.skipped.is_empty() {
            out.push_str("// Nothing was skipped.\n");
        } else {
            let _ = writeln!(out, "// Skipped ({}):", self.skipped.len());
            for s in &self.skipped {
                let line = format!("{}: {}", s.address, s.reason).replace(['\n', '\r'], " ");
                let _ = writeln!(out, "//   {line}");
            }
        }
        out
    }
}

/// Imports CloudFormation templates: each template's region is the region code in its file name
/// (`region-eu-west-1.yaml`), else `region`. Nested stacks with a local `TemplateURL` are read;
/// a parameter without a default takes the output of the same name of another template given.
pub fn import_cloudformation(
    paths: &[PathBuf],
    region: Option<&RegionId>,
    catalog: &Catalog,
) -> Result<Imported, ImportError> {
    let mut skipped = Vec::new();
    let resources = cfn::read(paths, region, &mut skipped)?;
    Ok(finish(resources, resource::Source::CloudFormation, &name_of(paths), skipped, catalog))
}

/// Imports Terraform: a folder of `.tf` files (with its local modules) or a plan's JSON.
pub fn import_terraform(path: &Path, catalog: &Catalog) -> Result<Imported, ImportError> {
    let mut skipped = Vec::new();
    let resources = tf::read(path, &mut skipped)?;
    Ok(finish(resources, resource::Source::Terraform, &name_of(&[path.to_path_buf()]), skipped, catalog))
}

/// Imports whatever `paths` are, as the designer's File > Import does: a folder, a `.tf` file (its
/// folder) or a plan's JSON is Terraform; anything else is CloudFormation templates (each in the
/// region its file name holds, else `region`). Returns the result and a description of the inputs.
pub fn import_paths(
    paths: &[PathBuf],
    region: Option<&RegionId>,
    catalog: &Catalog,
) -> Result<(Imported, String), ImportError> {
    let describe = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    let terraform = match paths {
        [one] if one.is_dir() => Some(one.clone()),
        [one] if one.extension().is_some_and(|e| e == "tf") => {
            Some(one.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf))
        }
        [one] if one.extension().is_some_and(|e| e == "json") => {
            let text = read_input(one)?;
            (text.contains("\"planned_values\"")
                || text.contains("\"format_version\"") && !text.contains("\"Resources\""))
            .then(|| one.clone())
        }
        _ => None,
    };
    let imported = match terraform {
        Some(p) if p.is_dir() && !has_ext(&p, &["tf"])? && has_ext(&p, TEMPLATE_EXTS)? => {
            // A folder of templates (an export's output): every template in it.
            let mut templates: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| ImportError::Read { path: p.clone(), message: e.to_string() })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| f.extension().is_some_and(|x| TEMPLATE_EXTS.iter().any(|t| x == *t)))
                .collect();
            templates.sort();
            import_cloudformation(&templates, region, catalog)?
        }
        Some(p) => import_terraform(&p, catalog)?,
        None => import_cloudformation(paths, region, catalog)?,
    };
    Ok((imported, describe))
}

/// File extensions of CloudFormation templates.
const TEMPLATE_EXTS: &[&str] = &["yaml", "yml", "json", "template"];

/// Whether folder `dir` holds a file with one of `exts`.
fn has_ext(dir: &Path, exts: &[&str]) -> Result<bool, ImportError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| ImportError::Read { path: dir.to_path_buf(), message: e.to_string() })?;
    Ok(entries
        .filter_map(Result::ok)
        .any(|e| e.path().extension().is_some_and(|x| exts.iter().any(|t| x == *t))))
}

fn name_of(paths: &[PathBuf]) -> String {
    let first = paths
        .first()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("Imported from {first}{}", if paths.len() > 1 { " and others" } else { "" })
}

fn finish(
    resources: Vec<resource::RawResource>,
    source: resource::Source,
    name: &str,
    mut skipped: Vec<Skipped>,
    catalog: &Catalog,
) -> Imported {
    let count = resources.len();
    let built = build::build(resources, source, name, catalog);
    skipped.extend(built.skipped);
    Imported { design: built.design, skipped, resources: count, supporting: built.supporting }
}
