//! The entry points [`crate::export`] (files in memory) and [`crate::export_to`] (files streamed
//! into a sink): a plan of the design handed to the chosen format's writer, renaming ids whose
//! derived names clash until every resource has a name of its own, then `DEPLOY.md`.

use std::collections::BTreeSet;

use meridian_model::catalog::Catalog;
use meridian_model::design::{Design, EntityRef};

use crate::bundle::{self, ExportBundle, ExportError, ExportFile, ExportOptions, ExportSummary, Format};
use crate::sink::{ExportSink, Recording};
use crate::{cfn, deploy, names, plan, tf};

/// How many times an export renames ids whose derived names clash before it gives up.
const RENAMING_ROUNDS: usize = 3;

/// Exports `design` as infrastructure code in `format`, every file kept in memory.
///
/// Every id gets a name of its own (the `names` module); when a derived name still clashes (an id that
/// reads like another id plus a fixed word, or like a resource of the export's own), the id that
/// declared it is renamed with a hash suffix and the export runs again; a clash that renaming
/// cannot resolve is [`ExportError::NameClash`], naming both ids.
pub fn export(
    design: &Design,
    catalog: &Catalog,
    format: Format,
    options: &ExportOptions,
) -> Result<ExportBundle, ExportError> {
    export_named(design, catalog, format, options).map(|(bundle, _)| bundle)
}

/// [`export`], handing each file to `sink` as soon as it is rendered instead of keeping them (the
/// command line streams into the safe-write module's staging folder, so a large design's export
/// never holds all its files at once). Returns the files' paths, warnings and skipped checks.
pub fn export_to(
    design: &Design,
    catalog: &Catalog,
    format: Format,
    options: &ExportOptions,
    sink: &mut dyn ExportSink,
) -> Result<ExportSummary, ExportError> {
    export_renaming(design, catalog, format, options, RENAMING_ROUNDS, sink).map(|(summary, _)| summary)
}

/// [`export`], with the names the export gave the design's ids in the end (after renaming ids
/// whose derived names clashed), so that a reader of the bundle ([`mod@crate::inventory`]) maps
/// logical ids back to ids exactly as the writers did.
pub(crate) fn export_named(
    design: &Design,
    catalog: &Catalog,
    format: Format,
    options: &ExportOptions,
) -> Result<(ExportBundle, names::Names), ExportError> {
    let mut files: Vec<ExportFile> = Vec::new();
    let (summary, names) = export_renaming(design, catalog, format, options, RENAMING_ROUNDS, &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let bundle = ExportBundle { files, warnings: summary.warnings, skipped_checks: summary.skipped_checks };
    Ok((bundle, names))
}

/// Writes the export into `sink` at most `rounds` times.
fn export_renaming(
    design: &Design,
    catalog: &Catalog,
    format: Format,
    options: &ExportOptions,
    rounds: usize,
    sink: &mut dyn ExportSink,
) -> Result<(ExportSummary, names::Names), ExportError> {
    let mut renamed = BTreeSet::new();
    let mut round = 0;
    let mut sink = Recording::new(sink);
    loop {
        let plan = plan::Plan::new(design, catalog, &options.policies, &renamed);
        let out = match format {
            Format::CloudFormation => cfn::write(&plan, options.syntax, &mut sink)?,
            Format::Terraform => tf::write(&plan, &mut sink)?,
        };
        let Some(first) = out.clashes.first() else {
            let names = plan.names.clone();
            return Ok((finish(&plan, format, out, &mut sink)?, names));
        };
        round += 1;
        let renamable = |c: &names::Clash| match (&c.first, &c.second) {
            (a, b) if a == b => None,
            (_, Some(b)) if !renamed.contains(&entity_id(b)) => Some(entity_id(b)),
            (Some(a), _) if !renamed.contains(&entity_id(a)) => Some(entity_id(a)),
            _ => None,
        };
        let more: Vec<String> = out.clashes.iter().filter_map(renamable).collect();
        if more.is_empty() || round >= rounds {
            return Err(ExportError::NameClash {
                file: first.file.clone(),
                name: first.name.clone(),
                first: first.first.clone(),
                second: first.second.clone(),
            });
        }
        renamed.extend(more);
        sink.restart()?;
    }
}

/// The id of a service or link, as the names mapping keys it.
fn entity_id(e: &EntityRef) -> String {
    match e {
        EntityRef::Service(id) => id.to_string(),
        EntityRef::Link(id) => id.to_string(),
        EntityRef::Region(id) => id.to_string(),
        EntityRef::Population(id) => id.to_string(),
        EntityRef::Annotation(id) => id.to_string(),
        EntityRef::Design => String::new(),
    }
}

/// Finishes a written export: writes `DEPLOY.md`; returns the files' paths, the warnings and
/// skipped checks.
fn finish(
    plan: &plan::Plan,
    format: Format,
    out: bundle::Written,
    sink: &mut Recording<'_>,
) -> Result<ExportSummary, ExportError> {
    let mut skipped = out.skipped;
    skipped.sort();
    skipped.dedup();
    let mut warnings = plan.warnings.clone();
    warnings.extend(out.warnings);
    sink.file(ExportFile::text("DEPLOY.md", deploy::render(plan, format, &out.steps, &warnings, &skipped)))?;
    let mut files = std::mem::take(&mut sink.paths);
    files.sort();
    Ok(ExportSummary { files, warnings, skipped_checks: skipped })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    fn fixture() -> Design {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/iac/designs/name-clashes.ron");
        meridian_model::format::load_file(&path, Catalog::builtin().unwrap()).unwrap().design
    }

    #[test]
    fn a_clash_left_after_the_last_round_is_refused_naming_the_id() {
        let design = fixture();
        let catalog = Catalog::builtin().unwrap();
        let options = ExportOptions::default();
        // One round: no renaming, so `key` keeps `Key`, which is the region's KMS key.
        let e = export_renaming(&design, catalog, Format::CloudFormation, &options, 1, &mut Vec::new())
            .unwrap_err();
        let ExportError::NameClash { file, name, first, second } = &e else { panic!("{e}") };
        assert_eq!((file.as_str(), name.as_str()), ("region-us-east-1.yaml", "Key"));
        assert_eq!((first, second), (&None, &Some(EntityRef::Service("key".into()))));
        assert_eq!(
            e.to_string(),
            "region-us-east-1.yaml: a resource of the export's own and service key would both be written as \
             `Key`; rename one of them"
        );
        // Terraform: `logs.us-east-1` is the region's log bucket `aws_s3_bucket.logs_us_east_1`.
        let e =
            export_renaming(&design, catalog, Format::Terraform, &options, 1, &mut Vec::new()).unwrap_err();
        let ExportError::NameClash { name, second, .. } = &e else { panic!("{e}") };
        assert_eq!(name, "aws_s3_bucket.logs_us_east_1");
        assert_eq!(second, &Some(EntityRef::Service("logs.us-east-1".into())));
        // Two rounds rename them.
        assert!(
            export_renaming(&design, catalog, Format::CloudFormation, &options, 2, &mut Vec::new()).is_ok()
        );
        assert!(export_renaming(&design, catalog, Format::Terraform, &options, 2, &mut Vec::new()).is_ok());
    }
}
