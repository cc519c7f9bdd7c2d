//! The neutral form both readers produce: resources with their properties as JSON, references to
//! other resources as `{"$ref": ADDRESS}` objects (with `"$text"` when the reference sat inside a
//! string), and expressions that cannot be resolved statically as `{"$unresolved": WHY}`.

use meridian_model::RegionId;
use serde_json::Value;

/// The key of a reference object.
pub(crate) const REF: &str = "$ref";
/// The key of the text around a reference inside a string (`Fn::Sub`, a template string).
pub(crate) const TEXT: &str = "$text";
/// The key of an expression that could not be resolved statically.
pub(crate) const UNRESOLVED: &str = "$unresolved";

/// Which reader a resource came from: the key names and the kind table's column differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A CloudFormation template.
    CloudFormation,
    /// Terraform (`.tf` files or a plan).
    Terraform,
}

/// One resource as read, before it is understood.
#[derive(Debug, Clone)]
pub(crate) struct RawResource {
    /// Where it is, as reported: `FILE: LogicalId` or a Terraform address.
    pub address: String,
    /// The name a service id is made from (the logical id, or the Terraform name with its index).
    pub name: String,
    /// The resource type (`AWS::S3::Bucket`, `aws_s3_bucket`, `data.aws_iam_policy_document`).
    pub ty: String,
    /// The region it is deployed to, when known.
    pub region: Option<RegionId>,
    /// Its properties, resolved as far as possible.
    pub props: Value,
}

/// A reference object to `address`.
pub(crate) fn reference(address: &str) -> Value {
    serde_json::json!({ REF: address })
}

/// A reference inside text.
pub(crate) fn reference_in_text(address: &str, text: &str) -> Value {
    serde_json::json!({ REF: address, TEXT: text })
}

/// An expression that could not be resolved, and why.
pub(crate) fn unresolved(why: impl Into<String>) -> Value {
    serde_json::json!({ UNRESOLVED: why.into() })
}

/// The address a value refers to, if it is a reference.
pub(crate) fn as_ref(v: &Value) -> Option<&str> {
    v.get(REF).and_then(Value::as_str)
}

/// Why a value could not be resolved, if it could not.
pub(crate) fn unresolved_why(v: &Value) -> Option<&str> {
    v.get(UNRESOLVED).and_then(Value::as_str)
}

/// Every reference in `v`, depth first.
pub(crate) fn refs_in<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(r) = as_ref(v) {
                out.push(r);
            }
            for x in map.values() {
                refs_in(x, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| refs_in(x, out)),
        _ => {}
    }
}

/// Every string in `v` (including the text around references), depth first.
pub(crate) fn texts_in<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Object(map) => map.values().for_each(|x| texts_in(x, out)),
        Value::Array(items) => items.iter().for_each(|x| texts_in(x, out)),
        _ => {}
    }
}

/// The first of `keys` present in `v` (CloudFormation and Terraform spell keys differently, so
/// callers pass both spellings). A Terraform block is read as its first instance.
pub(crate) fn field<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    let v = first(v);
    keys.iter().find_map(|k| v.get(*k)).map(first).filter(|x| !x.is_null())
}

/// The first element of a one-element array (a Terraform block), else the value itself.
fn first(v: &Value) -> &Value {
    match v {
        Value::Array(items) if items.len() == 1 && items[0].is_object() => &items[0],
        _ => v,
    }
}

/// A list: an array as is, anything else as a list of itself.
pub(crate) fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// A string value (the text of a reference inside text counts).
pub(crate) fn as_text(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(_) => v.get(TEXT).and_then(Value::as_str),
        _ => None,
    }
}

/// A number, also from a numeric string (CloudFormation writes `TTL: '60'`).
pub(crate) fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-negative whole number.
pub(crate) fn as_u32(v: &Value) -> Option<u32> {
    as_f64(v).filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x <= f64::from(u32::MAX)).map(|x| x as u32)
}

/// A kebab-case id from a logical id (`AlbUse1` → `alb-use1`) or a Terraform name
/// (`alb_use1["a"]` → `alb-use1-a`).
pub(crate) fn kebab(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() { "resource".to_owned() } else { out }
}

/// The AWS region code inside a file name (`region-eu-west-1.yaml`), if there is one.
pub(crate) fn region_in_name(name: &str) -> Option<RegionId> {
    let parts: Vec<&str> = name.split(['-', '.', '_', '/']).collect();
    parts.windows(3).find_map(|w| {
        let geo = ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"].contains(&w[0]);
        let dir = w[1].chars().all(|c| c.is_ascii_lowercase()) && !w[1].is_empty();
        let n = w[2].chars().all(|c| c.is_ascii_digit()) && !w[2].is_empty();
        (geo && dir && n).then(|| RegionId::new(format!("{}-{}-{}", w[0], w[1], w[2])))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_inverts_the_export_names() {
        assert_eq!(kebab("AlbUse1"), "alb-use1");
        assert_eq!(kebab("alb_use1"), "alb-use1");
        assert_eq!(kebab("web[\"a\"]"), "web-a");
        assert_eq!(kebab("Stack/WebServer"), "stack-web-server");
    }

    #[test]
    fn region_codes_are_found_in_file_names() {
        assert_eq!(region_in_name("region-eu-west-1.yaml"), Some(RegionId::new("eu-west-1")));
        assert_eq!(region_in_name("stack.ap-southeast-2.json"), Some(RegionId::new("ap-southeast-2")));
        assert_eq!(region_in_name("global.yaml"), None);
    }
}
