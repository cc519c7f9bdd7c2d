//! Terraform: one root module with an `aws` provider alias per design region. `versions.tf`,
//! `providers.tf`, `variables.tf`, `outputs.tf`, `global.tf` (Route 53 zones, Global Accelerator,
//! CloudFront origin access), one `region-<code>.tf` per region and `cross-region.tf` (records,
//! health checks, endpoint groups, distributions). Unlike CloudFormation, one module sees every
//! region, so cross-region pieces refer to the regional resources directly. A region whose file
//! would hold more than [`child::MAX_MODULE_RESOURCES`] resources (a modelling choice: HashiCorp
//! publishes no limit) is written as a child module `modules/region-<code>/` instead, and
//! `region-<code>.tf` calls it; references across its edge go through its variables and outputs
//! ([`child`]), with a warning naming the threshold.
//!
//! Blocks are built with hcl-rs (`hcl::body!`) and printed by its formatter; [`fmt`] then lays the
//! text out as `terraform fmt` does and parses it back with hcl-edit.

mod alarms;
mod asg;
mod backup;
mod buckets;
mod child;
mod compute;
mod data;
mod edge;
mod expr;
pub(crate) mod fmt;
mod identity;
mod module;
mod netops;
mod network;
mod package;
mod platform;
mod policy;
mod refs;
mod triggers;

use std::collections::BTreeMap;

use hcl::{Block, Body};

use crate::bundle::{ExportError, ExportFile, Written};
use crate::plan::Plan;
use crate::sink::ExportSink;
use child::Children;
use expr::{alias, tags};
use module::Module;

/// The Terraform versions the module is written for.
const TERRAFORM_VERSION: &str = ">= 1.6.0";
/// The AWS provider versions the module is written for: the 5.x releases from the one it is
/// validated against (5.100.0, `iac/tests/iac_terraform_validate.rs`; README and DEPLOY.md say so)
/// on. 6.0 changed resource schemas (`region` on every resource, arguments removed), so 6.x is not
/// claimed until the export is validated against it.
const AWS_PROVIDER_VERSION: &str = ">= 5.100, < 6.0";
/// The AWS provider release `terraform validate` accepts the export with in CI.
const VALIDATED_AWS_PROVIDER: &str = "5.100.0";

/// Writes the module into `sink`, each file as soon as it is complete: a region's file after its
/// region, `variables.tf` and `outputs.tf` (which every file adds to) last.
pub(super) fn write(plan: &Plan, sink: &mut dyn ExportSink) -> Result<Written, ExportError> {
    let mut m = Module::default();
    let mut out = m.out("variables.tf", None);
    out.variable("name_prefix", "Prefix of resource names", Some(&plan.prefix));
    for (path, body, skips) in [versions(), providers(plan)] {
        let contents = fmt::render(&body, &skips).map_err(|e| ExportError::internal(&path, e))?;
        sink.file(ExportFile::text(path, contents))?;
    }
    m.children = children(plan);
    edge::global(plan, &mut m.out("global.tf", None));
    emit_file(&mut m, "global.tf", sink)?;
    for region in &plan.regions {
        let file = format!("region-{region}.tf");
        match m.children.as_ref().and_then(|c| c.index_of(region)) {
            None => {
                let mut out = m.out(&file, Some(region));
                network::region(plan, &mut out, region);
                emit_file(&mut m, &file, sink)?;
            }
            Some(index) => write_child(plan, &mut m, region, index, sink)?,
        }
    }
    edge::cross_region(plan, &mut m.out("cross-region.tf", None));
    m.out("cross-region.tf", None).owner(None);
    emit_file(&mut m, "cross-region.tf", sink)?;
    let steps = steps(plan, &m);
    let variables = fmt::render_blocks(std::mem::take(&mut m.variables), &BTreeMap::new(), None)
        .map_err(|e| ExportError::internal("variables.tf", e))?;
    sink.file(ExportFile::text("variables.tf", variables))?;
    m.outputs.flush(m.children.as_mut()).map_err(|e| ExportError::internal("outputs.tf", e))?;
    let outputs = if m.outputs.text.is_empty() {
        fmt::render(&Body::default(), &BTreeMap::new()).map_err(|e| ExportError::internal("outputs.tf", e))?
    } else {
        std::mem::take(&mut m.outputs.text)
    };
    sink.file(ExportFile::text("outputs.tf", outputs))?;
    let mut warnings = Vec::new();
    for c in m.children.iter().flat_map(|c| &c.children) {
        let path = format!("{}/outputs.tf", c.folder());
        let text = fmt::render_blocks(child::outputs(c), &BTreeMap::new(), None)
            .map_err(|e| ExportError::internal(&path, e))?;
        sink.file(ExportFile::text(path, text))?;
        warnings.push(child::warning(c));
    }
    for file in package::files(&m.packages)? {
        sink.file(file)?;
    }
    // The AWS provider this module pins (5.100) has no argument for multi-Region strong
    // consistency: its `replica` blocks take no `consistency_mode` and the table no
    // `global_table_witness` (both came in provider 6.x).
    warnings.extend(plan.strong_tables.iter().map(|(table, witness)| {
            format!(
                "DynamoDB table {table} is declared with multi-Region strong consistency{}, which the pinned AWS provider (5.100) cannot express: \
                 the module creates an eventually consistent global table. Set it with provider 6.x (`consistency_mode = \"STRONG\"` in each `replica`{}), \
                 or with the CloudFormation export (MultiRegionConsistency: STRONG)",
                witness.as_ref().map(|w| format!(" and witness {w}")).unwrap_or_default(),
                if witness.is_some() { ", a `global_table_witness` block" } else { "" }
            )
    }));
    let clashes = m.clashes();
    Ok(Written { warnings, skipped: m.skipped, steps, clashes })
}

/// The regions whose file would hold more than [`child::MAX_MODULE_RESOURCES`] resources, with
/// the addresses each declares: every region's writer is run once on a module that only counts
/// (`None`: no region is that large, and the module is written as it always was).
fn children(plan: &Plan) -> Option<Children> {
    let mut children = Children::default();
    for region in &plan.regions {
        let mut probe = Module::measuring();
        network::region(plan, &mut probe.out("region.tf", Some(region)), region);
        let (addresses, resources) = probe.measured();
        if resources > child::MAX_MODULE_RESOURCES {
            children.add(region, addresses, resources);
        }
    }
    (!children.children.is_empty()).then_some(children)
}

/// Writes `region` as child module `index`: its resources in `main.tf` (references across the
/// module's edge rewritten as they are rendered), then `versions.tf`, `variables.tf` and the
/// root's `region-<code>.tf` calling it. Its `outputs.tf` is written last, once every file that
/// reads it is.
fn write_child(
    plan: &Plan,
    m: &mut Module,
    region: &meridian_model::ids::RegionId,
    index: usize,
    sink: &mut dyn ExportSink,
) -> Result<(), ExportError> {
    let folder = child::folder(region);
    let main = format!("{folder}/main.tf");
    network::region(plan, &mut m.child_out(&main, region, index), region);
    emit_file(m, &main, sink)?;
    let Some(c) = m.children.as_ref().map(|c| &c.children[index]) else { return Ok(()) };
    let versions = format!("{folder}/versions.tf");
    let body = child::versions(c, "hashicorp/aws", AWS_PROVIDER_VERSION);
    let text = fmt::render(&body, &BTreeMap::new()).map_err(|e| ExportError::internal(&versions, e))?;
    sink.file(ExportFile::text(versions, text))?;
    let variables = format!("{folder}/variables.tf");
    let text = fmt::render_blocks(child::variables(c), &BTreeMap::new(), None)
        .map_err(|e| ExportError::internal(&variables, e))?;
    sink.file(ExportFile::text(variables, text))?;
    let file = format!("region-{region}.tf");
    let text = fmt::render_blocks(vec![child::call(c)], &BTreeMap::new(), None)
        .map_err(|e| ExportError::internal(&file, e))?;
    sink.file(ExportFile::text(file, text))
}

/// Renders the blocks of `file` into `sink` and drops them (a file without blocks is not written).
fn emit_file(m: &mut Module, file: &str, sink: &mut dyn ExportSink) -> Result<(), ExportError> {
    let Some(mut f) = m.files.remove(file) else { return Ok(()) };
    f.flush(m.children.as_mut()).map_err(|e| ExportError::internal(file, e))?;
    if let Some((file, e)) = m.render_error.take() {
        return Err(ExportError::internal(file, e));
    }
    if f.text.is_empty() {
        return Ok(());
    }
    sink.file(ExportFile::text(file, f.text))
}

fn versions() -> (String, Body, BTreeMap<String, Vec<String>>) {
    let required = Block::builder("required_providers").add_attribute((
        "aws",
        hcl::expression!({ source = "hashicorp/aws", version = (AWS_PROVIDER_VERSION) }),
    ));
    let body = Body::builder()
        .add_block(
            Block::builder("terraform")
                .add_attribute(("required_version", TERRAFORM_VERSION))
                .add_block(required.build())
                .build(),
        )
        .build();
    ("versions.tf".to_owned(), body, BTreeMap::new())
}

fn providers(plan: &Plan) -> (String, Body, BTreeMap<String, Vec<String>>) {
    let default_tags =
        Block::builder("default_tags").add_attribute(("tags", tags(&plan.common_tags))).build();
    let mut b = Body::builder().add_block(
        Block::builder("provider")
            .add_label("aws")
            .add_attribute(("region", plan.home_region()))
            .add_block(default_tags.clone())
            .build(),
    );
    for region in &plan.regions {
        b = b.add_block(
            Block::builder("provider")
                .add_label("aws")
                .add_attribute(("alias", alias(region)))
                .add_attribute(("region", region.as_str()))
                .add_block(default_tags.clone())
                .build(),
        );
    }
    b = b
        .add_block(Block::builder("data").add_label("aws_partition").add_label("current").build())
        .add_block(Block::builder("data").add_label("aws_caller_identity").add_label("current").build());
    ("providers.tf".to_owned(), b.build(), BTreeMap::new())
}

/// Deployment steps for `DEPLOY.md`.
fn steps(plan: &Plan, m: &Module) -> Vec<String> {
    let required: Vec<String> = m
        .variables
        .iter()
        .filter(|v| !v.body().attributes().any(|a| a.key() == "default"))
        .filter_map(|v| v.labels().first().map(|l| l.as_str().to_owned()))
        .collect();
    let tfvars = if required.is_empty() {
        "Every variable has a default (`variables.tf`); override names and sizes in `terraform.tfvars` if you wish."
            .to_owned()
    } else {
        format!(
            "Set the variables without a default in `terraform.tfvars` (one ACM certificate per region for the \
             load balancers' TLS listeners):\n\n```hcl\n{}\n```",
            required
                .iter()
                .map(|v| {
                    let example = if v.starts_with("certificate_arn_") { "arn:aws:acm:..." } else { "..." };
                    format!("{v} = \"{example}\"")
                })
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    let mut steps = vec![format!("**Variables**. {tfvars}")];
    if !m.packages.is_empty() {
        let one = m.packages.len() == 1;
        steps.push(format!(
            "**Function code**. {} {} a placeholder handler (`index.py`): replace {} with your function's package \
             before applying (`source_code_hash` follows the file, so a new package is deployed).",
            m.packages.iter().map(|n| format!("`{}`", package::path(n))).collect::<Vec<_>>().join(", "),
            if one { "holds" } else { "each hold" },
            if one { "it" } else { "each" }
        ));
    }
    steps.extend([

        format!(
            "**Initialise** the working folder (downloads the one provider `versions.tf` names, `hashicorp/aws` \
             `{AWS_PROVIDER_VERSION}`: the export is validated with `terraform validate` against \
             {VALIDATED_AWS_PROVIDER}):\n\n```sh\nterraform init\n```"
        ),
        format!(
            "**Plan** and read what will be created, one provider per region ({}):\n\n```sh\nterraform plan -out meridian.tfplan\n```",
            plan.regions.iter().map(|r| format!("`aws.{}`", alias(r))).collect::<Vec<_>>().join(", ")
        ),
        "**Apply** the saved plan. Terraform orders the work by the references between resources: keys and networks \
         first, an Aurora primary before its secondaries, destination buckets before replication, regional endpoints \
         before the records, endpoint groups and distributions that point at them:\n\n```sh\nterraform apply meridian.tfplan\n```"
            .to_owned(),
    ]);
    steps
}
