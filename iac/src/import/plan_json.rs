//! Reading the JSON of `terraform show -json PLAN` (or of a state): resources from
//! `planned_values` (or `values`), regions from the provider configurations, and references from
//! the configuration's expressions (planned values hold no references, only computed unknowns).

use std::collections::BTreeMap;
use std::path::Path;

use meridian_model::RegionId;
use serde_json::{Map, Value};

use super::input::{ImportError, Skipped};
use super::resource::{RawResource, reference};

/// Reads a plan file.
pub(crate) fn read(path: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<RawResource>, ImportError> {
    let text = super::input::read_input(path)?;
    let plan: Value = serde_json::from_str(&text).map_err(|e| ImportError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        message: e.to_string(),
    })?;
    let root = plan
        .get("planned_values")
        .or_else(|| plan.get("values"))
        .and_then(|v| v.get("root_module"))
        .ok_or_else(|| ImportError::Parse {
        path: path.to_path_buf(),
        line: 0,
        message: "not the JSON of `terraform show -json`: no planned_values.root_module".into(),
    })?;
    // Provider config key to region.
    let mut regions: BTreeMap<String, RegionId> = BTreeMap::new();
    if let Some(pc) = plan.pointer("/configuration/provider_config").and_then(Value::as_object) {
        for (key, p) in pc {
            if let Some(r) = p.pointer("/expressions/region/constant_value").and_then(Value::as_str) {
                regions.insert(key.clone(), RegionId::new(r));
            }
        }
    }
    // Configuration address (without index) to (provider key, referenced addresses, expressions).
    let mut config: BTreeMap<String, Config> = BTreeMap::new();
    if let Some(m) = plan.pointer("/configuration/root_module") {
        collect_config(m, "", &mut config);
    }
    let mut out = Vec::new();
    collect_values(root, &regions, &config, &mut out, skipped);
    Ok(out)
}

/// A resource's configuration: its provider key, the addresses it references, its expressions.
type Config = (String, Vec<String>, Value);

fn collect_config(module: &Value, prefix: &str, out: &mut BTreeMap<String, Config>) {
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let address = format!("{prefix}{}", r.get("address").and_then(Value::as_str).unwrap_or_default());
        let provider = r.get("provider_config_key").and_then(Value::as_str).unwrap_or("aws").to_owned();
        let mut refs = Vec::new();
        let expressions = r.get("expressions").cloned().unwrap_or(Value::Null);
        collect_refs(&expressions, &mut refs);
        out.insert(address, (provider, refs, expressions));
    }
    if let Some(calls) = module.get("module_calls").and_then(Value::as_object) {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                collect_config(m, &format!("{prefix}module.{name}."), out);
            }
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "references" {
                    out.extend(
                        x.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned),
                    );
                } else {
                    collect_refs(x, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

fn collect_values(
    module: &Value,
    regions: &BTreeMap<String, RegionId>,
    config: &BTreeMap<String, Config>,
    out: &mut Vec<RawResource>,
    skipped: &mut Vec<Skipped>,
) {
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let address = r.get("address").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mode = r.get("mode").and_then(Value::as_str).unwrap_or("managed");
        let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
        if ty.is_empty() {
            skipped.push(Skipped::new(&address, "a resource without a type"));
            continue;
        }
        let base = address.split('[').next().unwrap_or(&address).to_owned();
        let (provider, refs, expressions) = config.get(&base).cloned().unwrap_or_default();
        let region = regions.get(&provider).cloned().or_else(|| regions.get("aws").cloned());
        let mut props = r.get("values").cloned().unwrap_or(Value::Object(Map::new()));
        // A value the plan does not know yet (an ARN, an id) is the reference that sets it, where
        // the configuration wrote it (a listener's target group, a record's alias).
        merge_refs(&mut props, &expressions);
        // All references, also recorded beside the values: `$refs`.
        let refs: Vec<Value> = resource_refs(&refs).into_iter().map(|r| reference(&r)).collect();
        if let Value::Object(m) = &mut props {
            m.insert("$refs".into(), Value::Array(refs));
        }
        let index = address.strip_prefix(&base).unwrap_or_default();
        out.push(RawResource {
            address: address.clone(),
            name: format!("{name}{index}"),
            ty: if mode == "data" { format!("data.{ty}") } else { ty.to_owned() },
            region,
            props,
        });
    }
    for child in module.get("child_modules").and_then(Value::as_array).into_iter().flatten() {
        collect_values(child, regions, config, out, skipped);
    }
}

/// The resources among configuration references, as `type.name` (or `data.type.name`; attribute
/// paths cut, variables, locals, iterators and module outputs left out), without duplicates.
fn resource_refs(refs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in refs {
        let parts: Vec<&str> = x.split('.').collect();
        let cut = if parts.first() == Some(&"data") { 3 } else { 2 };
        if parts.len() >= cut && !["var", "local", "each", "count", "module", "path"].contains(&parts[0]) {
            let r = parts[..cut].join(".");
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// Puts the references of `expressions` (the configuration's, attribute by attribute and block by
/// block) into `values` where the planned value is unknown (absent or null): one reference as
/// itself, several as a list.
fn merge_refs(values: &mut Value, expressions: &Value) {
    let (Value::Object(v), Value::Object(e)) = (values, expressions) else { return };
    for (key, x) in e {
        match x {
            Value::Object(attr) if attr.contains_key("references") => {
                let found: Vec<String> = attr
                    .get("references")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                let refs = resource_refs(&found);
                if refs.is_empty() {
                    continue;
                }
                // An attribute of objects the plan knows in part (a security group's `ingress`
                // without the groups it admits): each object records the references.
                if let Some(Value::Array(items)) = v.get_mut(key)
                    && items.iter().all(Value::is_object)
                {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.insert(
                            "$refs".into(),
                            Value::Array(refs.iter().map(|r| reference(r)).collect()),
                        );
                    }
                    continue;
                }
                if !v.get(key).is_none_or(Value::is_null) {
                    continue;
                }
                let value = match refs.as_slice() {
                    [one] => reference(one),
                    many => Value::Array(many.iter().map(|r| reference(r)).collect()),
                };
                v.insert(key.clone(), value);
            }
            // Nested blocks: the configuration's and the plan's, in the same order; blocks the plan
            // does not know yet (a security group's rules naming another group) as configured.
            Value::Array(blocks) => match v.get_mut(key) {
                Some(Value::Array(planned)) => {
                    for (p, b) in planned.iter_mut().zip(blocks) {
                        merge_refs(p, b);
                    }
                }
                None | Some(Value::Null) => {
                    let configured = blocks
                        .iter()
                        .map(|b| {
                            let mut block = Value::Object(constants(b));
                            merge_refs(&mut block, b);
                            block
                        })
                        .collect();
                    v.insert(key.clone(), Value::Array(configured));
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
}

/// The constant values of a configured block's attributes.
fn constants(block: &Value) -> Map<String, Value> {
    block
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, x)| x.get("constant_value").map(|c| (k.clone(), c.clone())))
        .collect()
}
