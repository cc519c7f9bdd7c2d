//! HCL expressions the resource writers build: provider aliases, references, templates, calls,
//! lists, tags and the ARN parts of the current partition and account. Uses no other file of `tf`.

use std::collections::BTreeMap;

use hcl::Identifier;
use hcl::expr::{Expression, FuncCall, TemplateExpr, Traversal, TraversalOperator, Variable};

use crate::names::snake;
use crate::plan::tag_value;
use meridian_model::ids::RegionId;

/// The provider alias of a region: `eu-west-1` as `eu_west_1` (region codes come from the
/// catalog, whose codes read differently in this form).
pub(super) fn alias(region: &RegionId) -> String {
    snake(region.as_str())
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
