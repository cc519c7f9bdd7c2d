//! Terraform: one root module with an `aws` provider alias per design region. `versions.tf`,
//! `providers.tf`, `variables.tf`, `outputs.tf`, `global.tf` (Route 53 zones, Global Accelerator,
//! CloudFront origin access), one `region-<code>.tf` per region and `cross-region.tf` (records,
//! health checks, endpoint groups, distributions). Unlike CloudFormation, one module sees every
//! region, so cross-region pieces refer to the regional resources directly.
//!
//! Blocks are built with hcl-rs (`hcl::body!`) and printed by its formatter; [`fmt`] then lays the
//! text out as `terraform fmt` does and parses it back with hcl-edit.

mod alarms;
mod asg;
mod backup;
mod buckets;
mod compute;
mod data;
mod edge;
mod fmt;
mod network;
mod policy;

use std::collections::BTreeMap;

use hcl::expr::{Expression, FuncCall, TemplateExpr, Traversal, TraversalOperator, Variable};
use hcl::{Block, Body, Identifier};

use super::plan::{Plan, tag_value};
use super::{ExportError, ExportFile, SkippedCheck, Written};
use meridian_model::ids::RegionId;

/// The Terraform versions the module is written for.
const TERRAFORM_VERSION: &str = ">= 1.6.0";
/// The AWS provider versions the module is written for (6.x has `region` on resources and
/// `valkey` ElastiCache engines; 5.x lacks some of them).
const AWS_PROVIDER_VERSION: &str = ">= 5.80, < 7.0";
/// The archive provider (zips the placeholder function code).
const ARCHIVE_PROVIDER_VERSION: &str = ">= 2.4, < 3.0";

/// One `.tf` file being built: top-level blocks in order, and checkov skips per resource address.
#[derive(Default)]
struct TfFile {
    blocks: Vec<Block>,
    skips: BTreeMap<String, Vec<String>>,
}

/// The module being built.
#[derive(Default)]
pub(super) struct Module {
    files: BTreeMap<String, TfFile>,
    variables: Vec<Block>,
    outputs: Vec<Block>,
    skipped: Vec<SkippedCheck>,
    archive: bool,
}

/// Writes into one file of the module, with the provider of one region (or the default one).
pub(super) struct Out<'m> {
    module: &'m mut Module,
    file: String,
    provider: Option<String>,
}

impl Module {
    /// A writer into `file`; `region` selects the provider alias.
    fn out(&mut self, file: &str, region: Option<&RegionId>) -> Out<'_> {
        self.files.entry(file.to_owned()).or_default();
        Out { module: self, file: file.to_owned(), provider: region.map(alias) }
    }
}

impl Out<'_> {
    /// Adds `resource "kind" "name"` with `body` (and the provider alias first).
    pub(super) fn resource(&mut self, kind: &str, name: &str, body: Body) {
        self.block("resource", kind, name, body);
    }

    /// Adds `data "kind" "name"`.
    pub(super) fn data(&mut self, kind: &str, name: &str, body: Body) {
        self.block("data", kind, name, body);
    }

    fn block(&mut self, what: &str, kind: &str, name: &str, body: Body) {
        let mut b = Body::builder();
        if let Some(p) = &self.provider {
            b = b.add_attribute(("provider", tr(&format!("aws.{p}"))));
        }
        let block = Block::builder(what)
            .add_label(kind)
            .add_label(name)
            .add_structures(b.build())
            .add_structures(body)
            .build();
        self.file().blocks.push(block);
    }

    fn file(&mut self) -> &mut TfFile {
        self.module.files.entry(self.file.clone()).or_default()
    }

    /// Skips a checkov check on a resource with a `#checkov:skip=` comment inside its block.
    pub(super) fn skip(&mut self, kind: &str, name: &str, check: &str, reason: &str) {
        self.skip_address(format!("{kind}.{name}"), check, reason);
    }

    /// Skips a checkov check on a data source (`data.kind.name`).
    pub(super) fn skip_data(&mut self, kind: &str, name: &str, check: &str, reason: &str) {
        self.skip_address(format!("data.{kind}.{name}"), check, reason);
    }

    fn skip_address(&mut self, address: String, check: &str, reason: &str) {
        self.module.skipped.push(SkippedCheck {
            resource: address.clone(),
            check: check.to_owned(),
            reason: reason.to_owned(),
        });
        self.file().skips.entry(address).or_default().push(format!("{check}:{reason}"));
    }

    /// Declares a string variable.
    pub(super) fn variable(&mut self, name: &str, description: &str, default: Option<&str>) {
        if self.module.variables.iter().any(|v| v.labels().first().is_some_and(|l| l.as_str() == name)) {
            return;
        }
        let mut b = Block::builder("variable")
            .add_label(name)
            .add_attribute(("description", description))
            .add_attribute(("type", Expression::from(Variable::unchecked("string"))));
        if let Some(d) = default {
            b = b.add_attribute(("default", d));
        }
        self.module.variables.push(b.build());
    }

    /// Declares an output.
    pub(super) fn output(&mut self, name: &str, description: &str, value: Expression) {
        self.module.outputs.push(
            Block::builder("output")
                .add_label(name)
                .add_attribute(("description", description))
                .add_attribute(("value", value))
                .build(),
        );
    }

    /// Notes that the module needs the archive provider.
    pub(super) fn needs_archive(&mut self) {
        self.module.archive = true;
    }
}

/// The provider alias of a region: `eu-west-1` as `eu_west_1`.
pub(super) fn alias(region: &RegionId) -> String {
    ident(region.as_str())
}

/// A Terraform name from an id: `alb-euw1` as `alb_euw1`.
pub(super) fn ident(id: &str) -> String {
    let out: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) { format!("r_{out}") } else { out }
}

/// A reference such as `aws_kms_key.key_us_east_1.arn` (numbers become indexes).
pub(super) fn tr(path: &str) -> Expression {
    let mut parts = path.split('.');
    let root = Variable::unchecked(parts.next().unwrap_or_default());
    let ops: Vec<TraversalOperator> = parts
        .map(|p| match p.parse::<u64>() {
            Ok(n) => TraversalOperator::Index(Expression::from(n)),
            Err(_) => TraversalOperator::GetAttr(Identifier::unchecked(p)),
        })
        .collect();
    Expression::from(Traversal::new(root, ops))
}

/// A quoted template with `${...}` interpolations, e.g. `"${var.name_prefix}-logs"`.
pub(super) fn tpl(text: &str) -> Expression {
    Expression::from(TemplateExpr::QuotedString(text.to_owned()))
}

/// A function call with arguments.
pub(super) fn call(name: &str, args: Vec<Expression>) -> Expression {
    let mut f = FuncCall::builder(Variable::unchecked(name));
    for a in args {
        f = f.arg(a);
    }
    Expression::from(f.build())
}

/// A list expression.
pub(super) fn list(items: Vec<Expression>) -> Expression {
    Expression::Array(items)
}

/// Tags as an object, in key order.
pub(super) fn tags(map: &BTreeMap<String, String>) -> Expression {
    Expression::Object(
        map.iter()
            .map(|(k, v)| (hcl::ObjectKey::from(tag_value(k)), Expression::from(tag_value(v))))
            .collect(),
    )
}

/// `${data.aws_partition.current.partition}`, for ARNs.
pub(super) const PARTITION: &str = "${data.aws_partition.current.partition}";
/// `${data.aws_caller_identity.current.account_id}`, for ARNs and names.
pub(super) const ACCOUNT: &str = "${data.aws_caller_identity.current.account_id}";

/// Writes the module.
pub(super) fn write(plan: &Plan) -> Result<Written, ExportError> {
    let mut m = Module::default();
    let mut out = m.out("variables.tf", None);
    out.variable("name_prefix", "Prefix of resource names", Some(&plan.prefix));
    edge::global(plan, &mut m.out("global.tf", None));
    for region in &plan.regions {
        let file = format!("region-{region}.tf");
        let mut out = m.out(&file, Some(region));
        network::region(plan, &mut out, region);
    }
    edge::cross_region(plan, &mut m.out("cross-region.tf", None));
    let mut files = vec![versions(&m), providers(plan)];
    let blocks = |v: &[Block]| Body::builder().add_blocks(v.iter().cloned()).build();
    files.push(("variables.tf".to_owned(), blocks(&m.variables), BTreeMap::new()));
    files.push(("outputs.tf".to_owned(), blocks(&m.outputs), BTreeMap::new()));
    for (name, f) in std::mem::take(&mut m.files) {
        if name == "variables.tf" || f.blocks.is_empty() {
            continue;
        }
        files.push((name, Body::builder().add_blocks(f.blocks).build(), f.skips));
    }
    let mut written = Vec::new();
    for (path, body, skips) in files {
        let contents = fmt::render(&body, &skips).map_err(|e| ExportError::internal(&path, e))?;
        written.push(ExportFile { path, contents });
    }
    let steps = steps(plan, &m);
    Ok(Written { files: written, warnings: Vec::new(), skipped: m.skipped, steps })
}

fn versions(m: &Module) -> (String, Body, BTreeMap<String, Vec<String>>) {
    let mut required = Block::builder("required_providers").add_attribute((
        "aws",
        hcl::expression!({ source = "hashicorp/aws", version = (AWS_PROVIDER_VERSION) }),
    ));
    if m.archive {
        required = required.add_attribute((
            "archive",
            hcl::expression!({ source = "hashicorp/archive", version = (ARCHIVE_PROVIDER_VERSION) }),
        ));
    }
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
    vec![
        format!("**Variables**. {tfvars}"),
        "**Initialise** the working folder (downloads the providers `versions.tf` names):\n\n```sh\nterraform init\n```"
            .to_owned(),
        format!(
            "**Plan** and read what will be created, one provider per region ({}):\n\n```sh\nterraform plan -out meridian.tfplan\n```",
            plan.regions.iter().map(|r| format!("`aws.{}`", alias(r))).collect::<Vec<_>>().join(", ")
        ),
        "**Apply** the saved plan. Terraform orders the work by the references between resources: keys and networks \
         first, an Aurora primary before its secondaries, destination buckets before replication, regional endpoints \
         before the records, endpoint groups and distributions that point at them:\n\n```sh\nterraform apply meridian.tfplan\n```"
            .to_owned(),
    ]
}
