//! HCL expressions the resource writers build: names from ids, references, templates, calls,
//! lists, tags and the ARN parts of the current partition and account. Uses no other file of `tf`.

use std::collections::BTreeMap;

use hcl::Identifier;
use hcl::expr::{Expression, FuncCall, TemplateExpr, Traversal, TraversalOperator, Variable};

use crate::plan::tag_value;
use meridian_model::ids::RegionId;

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
