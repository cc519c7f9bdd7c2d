//! Regions written as child modules (issue 18, scale). A region whose file would declare more
//! than [`MAX_MODULE_RESOURCES`] resources is written as `modules/region-<code>/` (`main.tf`,
//! `versions.tf`, `variables.tf`, `outputs.tf`), called from the root's `region-<code>.tf` with
//! the region's provider passed in. Its blocks are written exactly as the root's file would hold
//! them, then every reference that crosses the module's edge is rewritten in the rendered text
//! (hcl-edit, so references inside templates are found too):
//!
//! - in the child, a reference to anything it does not declare (a root variable, the partition,
//!   another region's key or bucket) becomes a variable of the child, which the root's module
//!   call sets to the reference as the root reads it;
//! - anywhere else, a reference to a resource the child declares becomes `module.region_<code>.X`,
//!   and the child gets the output `X`.
//!
//! Names of variables and outputs are the reference with `__` between its parts
//! (`aws_kms_key__eu_west_1__arn`, `data__aws_partition__current__partition`; a root variable
//! keeps its name). Terraform types and attribute names hold no `__`, so two attribute references
//! never share a name; a whole object (`aws_t__a__b`) could read as an attribute reference only if
//! a resource's name held `__` and another's were its prefix. A `depends_on` entry is a whole
//! object: in the child it becomes a variable set to that object, in the root the module itself.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use hcl::expr::{Expression, Variable};
use hcl::{Block, Body};
use hcl_edit::expr::{Expression as EditExpr, Traversal, TraversalOperator};
use hcl_edit::structure::AttributeMut;
use hcl_edit::visit_mut::{VisitMut, visit_attr_mut, visit_traversal_mut};
use hcl_edit::{Decorated, Ident};

use super::expr::{alias, tr};
use meridian_model::ids::RegionId;

/// The most resources a region's file holds in the root module before the region is written as
/// a child module. **Modelling choice**: no limit on the resources of a configuration, a module
/// or a state published by HashiCorp was found (the workspace best practices,
/// developer.hashicorp.com/terraform/enterprise/workspaces/best-practices, ask to keep a
/// workspace's blast radius small and give no number; the Terraform Enterprise
/// limits and quotas, support.hashicorp.com article 43153290742547, read 2026-12-04, list none
/// for resources, only a run's memory, 512 MB by default, and a plan timeout of 2 hours). The
/// threshold is CloudFormation's quota of resources per stack (500), so a region is split in the
/// same designs whichever format is exported.
pub(super) const MAX_MODULE_RESOURCES: usize = 500;

/// A child module's resources past which the warning says that splitting by region is not
/// enough (the module is not split further; see the warning).
const FAR_BEYOND: usize = 20 * MAX_MODULE_RESOURCES;

/// One region written as a child module.
pub(super) struct Child {
    /// The region.
    pub(super) region: RegionId,
    /// Resources its file declares.
    pub(super) resources: usize,
    /// The child's variables and the value the root's module call gives each (a reference as
    /// the root reads it).
    inputs: BTreeMap<String, String>,
    /// The child's outputs and the reference each gives, as the child reads it.
    outputs: BTreeMap<String, String>,
}

impl Child {
    /// The module's folder, `modules/region-<code>`.
    pub(super) fn folder(&self) -> String {
        folder(&self.region)
    }

    /// The name of the module call, `region_<alias>`.
    fn call(&self) -> String {
        format!("region_{}", alias(&self.region))
    }
}

/// The module folder of a region written as a child module.
pub(super) fn folder(region: &RegionId) -> String {
    format!("modules/region-{region}")
}

/// The regions written as child modules and which of them declares each address.
#[derive(Default)]
pub(super) struct Children {
    /// The address (`aws_lb.web`, `data.aws_iam_policy_document.x`) of every block a child
    /// declares, with the child's index in `children`.
    homes: HashMap<String, usize>,
    /// The children, in region order.
    pub(super) children: Vec<Child>,
}

impl Children {
    /// Adds `region`, whose file declares `addresses` and `resources` resources; returns its index.
    pub(super) fn add(&mut self, region: &RegionId, addresses: Vec<String>, resources: usize) -> usize {
        let index = self.children.len();
        self.homes.extend(addresses.into_iter().map(|a| (a, index)));
        self.children.push(Child {
            region: region.clone(),
            resources,
            inputs: BTreeMap::new(),
            outputs: BTreeMap::new(),
        });
        index
    }

    /// The index of `region`'s child module, if it is one.
    pub(super) fn index_of(&self, region: &RegionId) -> Option<usize> {
        self.children.iter().position(|c| &c.region == region)
    }

    /// Rewrites the references of `body`, a file's blocks in child `scope` (`None`: the root).
    pub(super) fn rewrite(&mut self, scope: Option<usize>, body: &mut hcl_edit::structure::Body) {
        let mut r = Rewriter { children: self, scope, depends: false };
        r.visit_body_mut(body);
    }

    /// Rewrites one reference (see the module's documentation).
    fn reference(&mut self, scope: Option<usize>, depends: bool, t: &mut Traversal) {
        let EditExpr::Variable(root) = &t.expr else { return };
        let root_name = root.as_str().to_owned();
        let attrs: Vec<String> = t
            .operators
            .iter()
            .map_while(|o| match o.value() {
                TraversalOperator::GetAttr(a) => Some(a.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let (mut parts, mut consumed): (Vec<String>, usize) = match root_name.as_str() {
            "path" => {
                // A child's files are not where the root keeps the function packages.
                if scope.is_some()
                    && attrs.first().is_some_and(|a| a == "module")
                    && let Some(TraversalOperator::GetAttr(a)) =
                        t.operators.first_mut().map(Decorated::value_mut)
                {
                    *a.value_mut() = Ident::new_unchecked("root");
                }
                return;
            }
            "var" if !attrs.is_empty() => (vec![attrs[0].clone()], 1),
            "data" if attrs.len() >= 2 => (vec!["data".to_owned(), attrs[0].clone(), attrs[1].clone()], 2),
            r if r.starts_with("aws_") && !attrs.is_empty() => (vec![r.to_owned(), attrs[0].clone()], 1),
            _ => return,
        };
        let home = if root_name == "var" { None } else { self.homes.get(&parts.join(".")).copied() };
        if home == scope {
            return;
        }
        if !depends && let Some(attr) = attrs.get(consumed) {
            parts.push(attr.clone());
            consumed += 1;
        }
        let own = if root_name == "var" { format!("var.{}", parts[0]) } else { parts.join(".") };
        let name = if root_name == "var" { parts[0].clone() } else { parts.join("__") };
        let (new_root, path) = match (scope, home) {
            (None, Some(h)) => {
                // The root reads a child's resource through the child's output (a `depends_on`
                // entry waits for the whole module).
                let child = &mut self.children[h];
                if depends {
                    ("module", vec![child.call()])
                } else {
                    child.outputs.insert(name.clone(), own);
                    ("module", vec![child.call(), name])
                }
            }
            (Some(c), _) => {
                let value = match home {
                    Some(h) => {
                        let child = &mut self.children[h];
                        child.outputs.insert(name.clone(), own);
                        format!("module.{}.{name}", child.call())
                    }
                    None => own,
                };
                self.children[c].inputs.insert(name.clone(), value);
                ("var", vec![name])
            }
            (None, None) => return,
        };
        if let EditExpr::Variable(root) = &mut t.expr {
            *root.value_mut() = Ident::new_unchecked(new_root);
        }
        let rest = t.operators.split_off(consumed);
        t.operators = path
            .into_iter()
            .map(|p| Decorated::new(TraversalOperator::GetAttr(Decorated::new(Ident::new_unchecked(p)))))
            .chain(rest)
            .collect();
    }
}

/// Visits every traversal of a body, knowing whether it is inside a `depends_on`.
struct Rewriter<'a> {
    children: &'a mut Children,
    scope: Option<usize>,
    depends: bool,
}

impl VisitMut for Rewriter<'_> {
    fn visit_attr_mut(&mut self, node: AttributeMut) {
        self.depends = node.get().key.as_str() == "depends_on";
        visit_attr_mut(self, node);
        self.depends = false;
    }

    fn visit_traversal_mut(&mut self, node: &mut Traversal) {
        self.children.reference(self.scope, self.depends, node);
        visit_traversal_mut(self, node);
    }
}

/// `versions.tf` of a child: the AWS provider, with the region's alias passed in by the root.
pub(super) fn versions(child: &Child, source: &str, version: &str) -> Body {
    let aliases = Expression::Array(vec![tr(&format!("aws.{}", alias(&child.region)))]);
    let aws = Expression::Object(
        [
            (hcl::ObjectKey::from(Variable::unchecked("source")), Expression::from(source)),
            (hcl::ObjectKey::from(Variable::unchecked("version")), Expression::from(version)),
            (hcl::ObjectKey::from(Variable::unchecked("configuration_aliases")), aliases),
        ]
        .into_iter()
        .collect(),
    );
    Body::builder()
        .add_block(
            Block::builder("terraform")
                .add_block(Block::builder("required_providers").add_attribute(("aws", aws)).build())
                .build(),
        )
        .build()
}

/// `variables.tf` of a child: one variable per value it reads from outside.
pub(super) fn variables(child: &Child) -> Vec<Block> {
    child
        .inputs
        .iter()
        .map(|(name, value)| {
            Block::builder("variable")
                .add_label(name.as_str())
                .add_attribute(("description", format!("{value} (set by the root module)")))
                .build()
        })
        .collect()
}

/// `outputs.tf` of a child: one output per resource attribute read from outside.
pub(super) fn outputs(child: &Child) -> Vec<Block> {
    child
        .outputs
        .iter()
        .map(|(name, value)| {
            Block::builder("output")
                .add_label(name.as_str())
                .add_attribute(("description", format!("{value}, for the root module and other regions")))
                .add_attribute(("value", tr(value)))
                .build()
        })
        .collect()
}

/// The root's `region-<code>.tf` of a child: the module call, its provider and its inputs.
pub(super) fn call(child: &Child) -> Block {
    let a = alias(&child.region);
    let providers = Expression::Object(
        [(hcl::ObjectKey::Expression(tr(&format!("aws.{a}"))), tr(&format!("aws.{a}")))]
            .into_iter()
            .collect(),
    );
    let mut b = Block::builder("module")
        .add_label(child.call())
        .add_attribute(("source", format!("./{}", child.folder())))
        .add_attribute(("providers", providers));
    for (name, value) in &child.inputs {
        b = b.add_attribute((name.as_str(), tr(value)));
    }
    b.build()
}

/// The warning of a region written as a child module, naming the threshold.
pub(super) fn warning(child: &Child) -> String {
    let region = &child.region;
    let mut w = format!(
        "region-{region}.tf: {} resources exceed the {MAX_MODULE_RESOURCES} resources per file this export keeps in the root module \
         (a modelling choice: HashiCorp publishes no limit on resources per module or state; 500 is CloudFormation's quota per stack): \
         the region is written as the child module `{}/` called from `region-{region}.tf`, with its provider `aws.{}` passed in; \
         references across regions go through the module's variables and outputs",
        child.resources,
        child.folder(),
        alias(region)
    );
    if child.resources > FAR_BEYOND {
        let _ = write!(
            w,
            "; at {} resources the module is still more than {} times the threshold and is not split further: modules share the root's \
             state, so plan and apply still read every resource; split the design into several designs (one state each) to make each run smaller",
            child.resources,
            FAR_BEYOND / MAX_MODULE_RESOURCES
        );
    }
    w
}
