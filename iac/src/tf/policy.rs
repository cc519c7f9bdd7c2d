//! IAM policy documents as `data "aws_iam_policy_document"` blocks (readable, checked by
//! Terraform and by checkov), and IAM roles built from them.

use std::collections::BTreeMap;

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::expr::{list, tags, tr};
use super::module::Out;

/// One statement of a policy document.
pub(super) struct Statement {
    sid: String,
    effect: &'static str,
    actions: Vec<String>,
    resources: Vec<Expression>,
    principal: Option<(&'static str, Vec<Expression>)>,
    conditions: Vec<(&'static str, String, Vec<Expression>)>,
}

impl Statement {
    /// Allows `actions`.
    pub(super) fn allow(sid: &str, actions: &[&str]) -> Self {
        Self::new(sid, "Allow", actions)
    }

    /// Denies `actions`.
    pub(super) fn deny(sid: &str, actions: &[&str]) -> Self {
        Self::new(sid, "Deny", actions)
    }

    fn new(sid: &str, effect: &'static str, actions: &[&str]) -> Self {
        Statement {
            sid: sid.to_owned(),
            effect,
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
            resources: Vec::new(),
            principal: None,
            conditions: Vec::new(),
        }
    }

    /// On these resources.
    pub(super) fn on(mut self, resources: Vec<Expression>) -> Self {
        self.resources = resources;
        self
    }

    /// On every resource (`*`), as key policies and `kms:ViaService` grants are written.
    pub(super) fn on_any(self) -> Self {
        self.on(vec![Expression::from("*")])
    }

    /// For a principal of `kind` (`AWS`, `Service`, `*`).
    pub(super) fn by(mut self, kind: &'static str, identifiers: Vec<Expression>) -> Self {
        self.principal = Some((kind, identifiers));
        self
    }

    /// When `test` holds for `variable`.
    pub(super) fn when(mut self, test: &'static str, variable: &str, values: Vec<Expression>) -> Self {
        self.conditions.push((test, variable.to_owned(), values));
        self
    }

    fn block(self) -> Block {
        let mut b = Block::builder("statement");
        if !self.sid.is_empty() {
            b = b.add_attribute(("sid", self.sid));
        }
        b = b
            .add_attribute(("effect", self.effect))
            .add_attribute(("actions", list(self.actions.into_iter().map(Expression::from).collect())));
        if !self.resources.is_empty() {
            b = b.add_attribute(("resources", list(self.resources)));
        }
        if let Some((kind, ids)) = self.principal {
            b = b.add_block(
                Block::builder("principals")
                    .add_attribute(("type", kind))
                    .add_attribute(("identifiers", list(ids)))
                    .build(),
            );
        }
        for (test, variable, values) in self.conditions {
            b = b.add_block(
                Block::builder("condition")
                    .add_attribute(("test", test))
                    .add_attribute(("variable", variable))
                    .add_attribute(("values", list(values)))
                    .build(),
            );
        }
        b.build()
    }
}

/// Declares `data "aws_iam_policy_document" "name"` and returns its `.json`.
pub(super) fn document(out: &mut Out, name: &str, statements: Vec<Statement>) -> Expression {
    let body = Body::builder().add_blocks(statements.into_iter().map(Statement::block)).build();
    out.data("aws_iam_policy_document", name, body);
    tr(&format!("data.aws_iam_policy_document.{name}.json"))
}

/// Denies every `action` on `resources` over plain HTTP.
pub(super) fn tls_only(action: &str, resources: Vec<Expression>) -> Statement {
    Statement::deny("TlsOnly", &[action]).on(resources).by("*", vec![Expression::from("*")]).when(
        "Bool",
        "aws:SecureTransport",
        vec![Expression::from("false")],
    )
}

/// Declares a role `service` may assume, with AWS managed policies and an inline policy of
/// `statements` (none when empty). Returns the role's ARN.
pub(super) fn role(
    out: &mut Out,
    name: &str,
    service: &str,
    managed: &[&str],
    statements: Vec<Statement>,
    tag_map: &BTreeMap<String, String>,
) -> Expression {
    let assume = document(
        out,
        &format!("{name}_assume"),
        vec![Statement::allow("", &["sts:AssumeRole"]).by("Service", vec![Expression::from(service)])],
    );
    out.resource(
        "aws_iam_role",
        name,
        hcl::body!({
            assume_role_policy = (assume)
            tags = (tags(tag_map))
        }),
    );
    for (n, m) in managed.iter().enumerate() {
        out.resource(
            "aws_iam_role_policy_attachment",
            &format!("{name}_{}", n + 1),
            hcl::body!({
                role = (tr(&format!("aws_iam_role.{name}.name")))
                policy_arn = (super::expr::tpl(&format!("arn:{}:iam::aws:policy/{m}", super::expr::PARTITION)))
            }),
        );
    }
    if !statements.is_empty() {
        let doc = document(out, &format!("{name}_access"), statements);
        out.resource(
            "aws_iam_role_policy",
            &format!("{name}_access"),
            hcl::body!({
                name = "dependencies"
                role = (tr(&format!("aws_iam_role.{name}.id")))
                policy = (doc)
            }),
        );
    }
    tr(&format!("aws_iam_role.{name}.arn"))
}
