//! The Terraform module being built: its files of top-level blocks, variables, outputs and
//! checkov skips, and [`Out`], the writer into one file with one region's provider that every
//! resource writer of `tf` takes. Every address, output and variable is declared with its owner
//! (`names::Claims`), so a name two ids would share is found rather than written twice.

use std::collections::{BTreeMap, BTreeSet};

use hcl::expr::{Expression, Variable};
use hcl::{Block, Body};

use super::child::Children;
use super::expr::{alias, tr};
use super::fmt;
use crate::bundle::SkippedCheck;
use crate::names::{Claims, Clash, Owner};
use meridian_model::ids::RegionId;

/// One `.tf` file being built: the text of the blocks rendered so far ([`Out::flush`]), the
/// top-level blocks not yet rendered, in order, checkov skips per resource address, and the
/// child module the file belongs to.
#[derive(Default)]
pub(super) struct TfFile {
    pub(super) text: String,
    pub(super) blocks: Vec<Block>,
    pub(super) skips: BTreeMap<String, Vec<String>>,
    /// The index of the child module (`child`) the file is in; `None`: the root module.
    pub(super) scope: Option<usize>,
}

impl TfFile {
    /// Renders the pending blocks onto the text (the same text as rendering the file whole:
    /// [`fmt::render_blocks`]), rewriting references across child modules' edges when some
    /// regions are child modules.
    pub(super) fn flush(&mut self, children: Option<&mut Children>) -> Result<(), String> {
        if self.blocks.is_empty() {
            return Ok(());
        }
        let scope = self.scope;
        let mut rewrite =
            children.map(|c| move |body: &mut hcl_edit::structure::Body| c.rewrite(scope, body));
        let rewrite = rewrite.as_mut().map(|r| r as fmt::Rewrite);
        let text = fmt::render_blocks(std::mem::take(&mut self.blocks), &self.skips, rewrite)?;
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(&text);
        Ok(())
    }
}

/// The module being built.
#[derive(Default)]
pub(super) struct Module {
    pub(super) files: BTreeMap<String, TfFile>,
    pub(super) variables: Vec<Block>,
    /// `outputs.tf`, rendered as it grows ([`Out::flush`]).
    pub(super) outputs: TfFile,
    pub(super) skipped: Vec<SkippedCheck>,
    /// Terraform names of the functions whose placeholder package the module ships (`package`).
    pub(super) packages: BTreeSet<String>,
    /// Who the blocks declared now are for (`None`: the module's own, such as a region's VPC).
    owner: Owner,
    /// Resource and data addresses (`aws_sqs_queue.q_1`, `data.aws_iam_policy_document.x`).
    addresses: Claims,
    /// Output names.
    output_names: Claims,
    /// The first file whose blocks did not render, and why (reported when the file is written).
    pub(super) render_error: Option<(String, String)>,
    /// Variable names.
    variable_names: Claims,
    /// The regions written as child modules (`None`: every region is a file of the root).
    pub(super) children: Option<Children>,
    /// When set, blocks are only counted, not kept: the addresses declared and the resources.
    measured: Option<(Vec<String>, usize)>,
}

/// Writes into one file of the module, with the provider of one region (or the default one).
pub(super) struct Out<'m> {
    module: &'m mut Module,
    file: String,
    provider: Option<String>,
}

impl Module {
    /// Names declared twice in the module.
    pub(super) fn clashes(&self) -> Vec<Clash> {
        let all = [&self.addresses, &self.output_names, &self.variable_names];
        all.iter().flat_map(|c| c.clashes.iter().cloned()).collect()
    }

    /// A writer into `file`; `region` selects the provider alias.
    pub(super) fn out(&mut self, file: &str, region: Option<&RegionId>) -> Out<'_> {
        self.files.entry(file.to_owned()).or_default();
        Out { module: self, file: file.to_owned(), provider: region.map(alias) }
    }

    /// A writer into `file` of child module `index` (`child`), with `region`'s provider alias.
    pub(super) fn child_out(&mut self, file: &str, region: &RegionId, index: usize) -> Out<'_> {
        self.files.entry(file.to_owned()).or_default().scope = Some(index);
        self.out(file, Some(region))
    }

    /// A module that keeps no block, only counts what is declared into it ([`Module::measured`]).
    pub(super) fn measuring() -> Module {
        Module { measured: Some((Vec::new(), 0)), ..Module::default() }
    }

    /// What a [`Module::measuring`] module saw: the addresses declared and the resources.
    pub(super) fn measured(self) -> (Vec<String>, usize) {
        self.measured.unwrap_or_default()
    }
}

impl Out<'_> {
    /// Says who the blocks declared from now on are for (`None`: the module's own).
    pub(super) fn owner(&mut self, owner: Owner) {
        self.module.owner = owner;
    }

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
        let address = if what == "data" { format!("data.{kind}.{name}") } else { format!("{kind}.{name}") };
        if let Some((addresses, resources)) = &mut self.module.measured {
            addresses.push(address);
            *resources += usize::from(what == "resource");
            return;
        }
        self.module.addresses.claim(&self.file, &address, &self.module.owner, "");
        let block = Block::builder(what)
            .add_label(kind)
            .add_label(name)
            .add_structures(b.build())
            .add_structures(body)
            .build();
        self.file().blocks.push(block);
    }

    /// Renders the blocks added so far to the file's text, so a large file is not held as blocks
    /// (call it once the blocks are final: after a service's writer, whose skips are added).
    pub(super) fn flush(&mut self) {
        if self.module.measured.is_some() {
            return;
        }
        let m = &mut *self.module;
        let file = m.files.entry(self.file.clone()).or_default();
        if let Err(e) = file.flush(m.children.as_mut()) {
            m.render_error.get_or_insert((self.file.clone(), e));
        }
        if let Err(e) = m.outputs.flush(m.children.as_mut()) {
            m.render_error.get_or_insert(("outputs.tf".to_owned(), e));
        }
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
    /// Declaring the same variable twice (same description and default) declares it once.
    pub(super) fn variable(&mut self, name: &str, description: &str, default: Option<&str>) {
        let meaning = format!("{description}\u{0}{default:?}");
        self.module.variable_names.claim(&self.file, name, &self.module.owner, &meaning);
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
        if self.module.measured.is_some() {
            return;
        }
        self.module.output_names.claim(&self.file, name, &self.module.owner, "");
        self.module.outputs.blocks.push(
            Block::builder("output")
                .add_label(name)
                .add_attribute(("description", description))
                .add_attribute(("value", value))
                .build(),
        );
    }

    /// Ships the placeholder package of the function named `name` in the module; returns its
    /// path there.
    pub(super) fn package(&mut self, name: &str) -> String {
        self.module.packages.insert(name.to_owned());
        super::package::path(name)
    }
}
