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
    // Configuration address (without index) to (provider key, referenced addresses).
    let mut config: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    if let Some(m) = plan.pointer("/configuration/root_module") {
        collect_config(m, "", &mut config);
    }
    let mut out = Vec::new();
    collect_values(root, &regions, &config, &mut out, skipped);
    Ok(out)
}

fn collect_config(module: &Value, prefix: &str, out: &mut BTreeMap<String, (String, Vec<String>)>) {
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let address = format!("{prefix}{}", r.get("address").and_then(Value::as_str).unwrap_or_default());
        let provider = r.get("provider_config_key").and_then(Value::as_str).unwrap_or("aws").to_owned();
        let mut refs = Vec::new();
        if let Some(e) = r.get("expressions") {
            collect_refs(e, &mut refs);
        }
        out.insert(address, (provider, refs));
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
    config: &BTreeMap<String, (String, Vec<String>)>,
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
        let (provider, refs) = config.get(&base).cloned().unwrap_or_default();
        let region = regions.get(&provider).cloned().or_else(|| regions.get("aws").cloned());
        let mut props = r.get("values").cloned().unwrap_or(Value::Object(Map::new()));
        // References recorded beside the values: `$refs`, each `type.name` (attribute paths cut).
        let refs: Vec<Value> = refs
            .iter()
            .filter_map(|x| {
                let parts: Vec<&str> = x.split('.').collect();
                let cut = if parts.first() == Some(&"data") { 3 } else { 2 };
                (parts.len() >= cut && !["var", "local", "each", "count", "module"].contains(&parts[0]))
                    .then(|| reference(&parts[..cut].join(".")))
            })
            .collect();
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
