//! Reading CloudFormation templates (YAML with short-form intrinsics, or JSON) into resources:
//! parameters with defaults, `Conditions` and `Fn::If`, `Mappings` and `Fn::FindInMap`,
//! `Fn::Sub`, `Fn::Join`, `Fn::Select`, nested stacks with a local `TemplateURL`, and parameters
//! fed by another template's outputs (the export's cross-region template) or `Fn::ImportValue`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use meridian_model::RegionId;
use serde_json::{Map, Value};

use super::input::{ImportError, Skipped};
use super::resource::{RawResource, as_ref, reference, reference_in_text, region_in_name, unresolved};

/// Nested stacks deeper than this are refused (a template that includes itself).
const MAX_DEPTH: usize = 8;

/// One template read from disk, before resolution.
struct Template {
    path: PathBuf,
    /// Short label for addresses: the file name.
    label: String,
    body: Value,
    region: Option<RegionId>,
}

/// Reads `paths` (one template per region, or `region` for those whose name holds no region code).
pub(crate) fn read(
    paths: &[PathBuf],
    region: Option<&RegionId>,
    skipped: &mut Vec<Skipped>,
) -> Result<Vec<RawResource>, ImportError> {
    let mut templates = Vec::new();
    for p in paths {
        let body = parse_file(p)?;
        let label =
            p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
        let region = region_in_name(&label).or_else(|| region.cloned());
        templates.push(Template { path: p.clone(), label, body, region });
    }
    // Outputs and exports of every template, by name, for parameters without a default.
    let mut out = Vec::new();
    let mut outputs: BTreeMap<String, Value> = BTreeMap::new();
    let mut exports: BTreeMap<String, Value> = BTreeMap::new();
    // Two passes: the first finds every template's outputs; the second resolves with them.
    for pass in 0..2 {
        out.clear();
        let mut pass_skips = Vec::new();
        for t in &templates {
            let multi = templates.len() > 1;
            let prefix = if multi { format!("{}: ", t.label) } else { String::new() };
            let mut reader = Reader {
                prefix,
                region: t.region.clone(),
                dir: t.path.parent().map(Path::to_path_buf).unwrap_or_default(),
                file: t.label.clone(),
                params: BTreeMap::new(),
                conditions: BTreeMap::new(),
                mappings: t.body.get("Mappings").cloned().unwrap_or(Value::Null),
                resources: t.body.get("Resources").and_then(Value::as_object).cloned().unwrap_or_default(),
                nested: BTreeMap::new(),
                outer_outputs: &outputs,
                exports: &exports,
                depth: 0,
            };
            let resolved_outputs =
                reader.read_template(&t.body, &BTreeMap::new(), &mut out, &mut pass_skips)?;
            if pass == 0 {
                for (name, (value, export)) in resolved_outputs {
                    if let Some(e) = export {
                        exports.insert(e, value.clone());
                    }
                    outputs.insert(name, value);
                }
            }
        }
        if pass == 1 {
            skipped.extend(pass_skips);
        }
    }
    Ok(out)
}

/// Parses a template file as JSON or YAML, short-form tags turned into their long form.
fn parse_file(path: &Path) -> Result<Value, ImportError> {
    let text = super::input::read_input(path)?;
    parse_text(&text, path)
}

/// Parses template text (JSON when it starts with `{`, else YAML).
pub(crate) fn parse_text(text: &str, path: &Path) -> Result<Value, ImportError> {
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| ImportError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            message: e.to_string(),
        })?
    } else {
        let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| ImportError::Parse {
            path: path.to_path_buf(),
            line: e.location().map_or(0, |l| l.line()),
            message: e.to_string(),
        })?;
        from_yaml(y)
    };
    if value.get("Resources").and_then(Value::as_object).is_none() {
        return Err(ImportError::Parse {
            path: path.to_path_buf(),
            line: 0,
            message: "not a CloudFormation template: no `Resources` map".into(),
        });
    }
    Ok(value)
}

/// A YAML value as JSON, `!Ref x` as `{"Ref": x}` and `!Fn x` as `{"Fn::Fn": x}`.
#[allow(clippy::many_single_char_names, reason = "one short name per YAML variant, each used in its own arm")]
fn from_yaml(y: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => n
            .as_i64()
            .map(Value::from)
            .or_else(|| n.as_u64().map(Value::from))
            .or_else(|| n.as_f64().map(Value::from))
            .unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(from_yaml).collect()),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    other => serde_yaml_ng::to_string(&other).unwrap_or_default().trim().to_owned(),
                };
                out.insert(key, from_yaml(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let inner = from_yaml(t.value);
            let (key, inner) = match tag {
                "Ref" | "Condition" => (tag.to_owned(), inner),
                "GetAtt" => {
                    let inner = match inner {
                        Value::String(s) => match s.split_once('.') {
                            Some((a, b)) => Value::Array(vec![a.into(), b.into()]),
                            None => Value::String(s),
                        },
                        other => other,
                    };
                    ("Fn::GetAtt".to_owned(), inner)
                }
                other => (format!("Fn::{other}"), inner),
            };
            let mut m = Map::new();
            m.insert(key, inner);
            Value::Object(m)
        }
    }
}

/// Resolves one template (and the nested stacks it includes).
struct Reader<'a> {
    prefix: String,
    region: Option<RegionId>,
    dir: PathBuf,
    file: String,
    params: BTreeMap<String, Value>,
    conditions: BTreeMap<String, Option<bool>>,
    mappings: Value,
    resources: Map<String, Value>,
    /// Outputs of nested stacks read so far, by the stack's logical id.
    nested: BTreeMap<String, BTreeMap<String, Value>>,
    outer_outputs: &'a BTreeMap<String, Value>,
    exports: &'a BTreeMap<String, Value>,
    depth: usize,
}

/// A template's outputs: name to (value, export name).
type Outputs = BTreeMap<String, (Value, Option<String>)>;

impl Reader<'_> {
    fn read_template(
        &mut self,
        body: &Value,
        given: &BTreeMap<String, Value>,
        out: &mut Vec<RawResource>,
        skipped: &mut Vec<Skipped>,
    ) -> Result<Outputs, ImportError> {
        // Parameters: given by a parent stack, else their default, else another template's output.
        if let Some(params) = body.get("Parameters").and_then(Value::as_object) {
            for (name, spec) in params {
                let value = given
                    .get(name)
                    .cloned()
                    .or_else(|| spec.get("Default").cloned())
                    .or_else(|| self.outer_outputs.get(name).cloned());
                let value = value.unwrap_or_else(|| unresolved(format!("parameter {name} has no default")));
                self.params.insert(name.clone(), value);
            }
        }
        if let Some(conds) = body.get("Conditions").and_then(Value::as_object) {
            let conds = conds.clone();
            for name in conds.keys() {
                let v = self.condition(name, &conds, 0);
                self.conditions.insert(name.clone(), v);
            }
        }
        let names: Vec<String> = self.resources.keys().cloned().collect();
        for name in names {
            let Some(res) = self.resources.get(&name).cloned() else { continue };
            let address = format!("{}{name}", self.prefix);
            if let Some(c) = res.get("Condition").and_then(Value::as_str) {
                match self.conditions.get(c).copied().flatten() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        skipped.push(Skipped::new(
                            &address,
                            format!("condition {c} cannot be decided statically (depends on a parameter or the region)"),
                        ));
                        continue;
                    }
                }
            }
            let ty = res.get("Type").and_then(Value::as_str).unwrap_or_default().to_owned();
            let props = res.get("Properties").map_or(Value::Object(Map::new()), |p| self.resolve(p));
            if ty == "AWS::CloudFormation::Stack" {
                self.nested_stack(&name, &address, &props, out, skipped)?;
                continue;
            }
            out.push(RawResource { address, name: name.clone(), ty, region: self.region.clone(), props });
        }
        let mut outputs = Outputs::new();
        if let Some(outs) = body.get("Outputs").and_then(Value::as_object) {
            for (name, o) in outs {
                let value = o.get("Value").map_or(Value::Null, |v| self.resolve(v));
                let export = o.get("Export").and_then(|e| e.get("Name")).map(|n| self.resolve(n));
                let export = export.and_then(|e| e.as_str().map(str::to_owned));
                outputs.insert(name.clone(), (value, export));
            }
        }
        Ok(outputs)
    }

    /// Reads a nested stack whose `TemplateURL` is a local path, with its parameters.
    fn nested_stack(
        &mut self,
        name: &str,
        address: &str,
        props: &Value,
        out: &mut Vec<RawResource>,
        skipped: &mut Vec<Skipped>,
    ) -> Result<(), ImportError> {
        let url = props.get("TemplateURL").and_then(Value::as_str).unwrap_or_default();
        if url.is_empty() || url.contains("://") || self.depth >= MAX_DEPTH {
            let why = if self.depth >= MAX_DEPTH {
                format!("nested stacks deeper than {MAX_DEPTH} levels")
            } else {
                format!("nested stack's TemplateURL `{url}` is not a local path")
            };
            skipped.push(Skipped::new(address, why));
            return Ok(());
        }
        let path = self.dir.join(url);
        let body = parse_file(&path)?;
        let given: BTreeMap<String, Value> = props
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let mut child = Reader {
            prefix: format!("{}{name}/", self.prefix),
            region: self.region.clone(),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            file: url.to_owned(),
            params: BTreeMap::new(),
            conditions: BTreeMap::new(),
            mappings: body.get("Mappings").cloned().unwrap_or(Value::Null),
            resources: body.get("Resources").and_then(Value::as_object).cloned().unwrap_or_default(),
            nested: BTreeMap::new(),
            outer_outputs: &BTreeMap::new(),
            exports: self.exports,
            depth: self.depth + 1,
        };
        let outputs = child.read_template(&body, &given, out, skipped)?;
        self.nested.insert(name.to_owned(), outputs.into_iter().map(|(k, (v, _))| (k, v)).collect());
        Ok(())
    }

    /// Evaluates condition `name`; `None` when it depends on something unknown.
    fn condition(&self, name: &str, all: &Map<String, Value>, depth: usize) -> Option<bool> {
        if depth > 32 {
            return None;
        }
        let body = all.get(name)?;
        self.eval_cond(body, all, depth + 1)
    }

    fn eval_cond(&self, v: &Value, all: &Map<String, Value>, depth: usize) -> Option<bool> {
        let obj = v.as_object()?;
        let (k, arg) = obj.iter().next()?;
        let args = arg.as_array();
        match k.as_str() {
            "Condition" => self.condition(arg.as_str()?, all, depth),
            "Fn::Equals" => {
                let a = self.resolve(args?.first()?);
                let b = self.resolve(args?.get(1)?);
                if a.get("$unresolved").is_some() || b.get("$unresolved").is_some() {
                    return None;
                }
                Some(scalar_text(&a)? == scalar_text(&b)?)
            }
            "Fn::Not" => self.eval_cond(args?.first()?, all, depth).map(|b| !b),
            "Fn::And" => {
                let vals: Vec<Option<bool>> = args?.iter().map(|c| self.eval_cond(c, all, depth)).collect();
                if vals.contains(&Some(false)) {
                    Some(false)
                } else {
                    vals.into_iter().collect::<Option<Vec<_>>>().map(|_| true)
                }
            }
            "Fn::Or" => {
                let vals: Vec<Option<bool>> = args?.iter().map(|c| self.eval_cond(c, all, depth)).collect();
                if vals.contains(&Some(true)) {
                    Some(true)
                } else {
                    vals.into_iter().collect::<Option<Vec<_>>>().map(|_| false)
                }
            }
            _ => None,
        }
    }

    /// Resolves intrinsics in `v`.
    fn resolve(&self, v: &Value) -> Value {
        match v {
            Value::Array(items) => {
                Value::Array(items.iter().map(|x| self.resolve(x)).filter(|x| !is_no_value(x)).collect())
            }
            Value::Object(map) if map.len() == 1 => {
                let (k, arg) = map.iter().next().map_or(("", &Value::Null), |(k, a)| (k.as_str(), a));
                match k {
                    "Ref" => self.reference(arg.as_str().unwrap_or_default()),
                    "Fn::GetAtt" => self.get_att(arg),
                    "Fn::Sub" => self.sub(arg),
                    "Fn::If" => self.fn_if(arg),
                    "Fn::FindInMap" => self.find_in_map(arg),
                    "Fn::Join" => self.join(arg),
                    "Fn::Select" => self.select(arg),
                    "Fn::ImportValue" => {
                        let name = self.resolve(arg);
                        name.as_str().and_then(|n| self.exports.get(n).cloned()).unwrap_or_else(|| {
                            unresolved(format!("Fn::ImportValue {name} is not exported by a given template"))
                        })
                    }
                    "Fn::Base64" | "Fn::ToJsonString" => self.resolve(arg),
                    k if k.starts_with("Fn::") => unresolved(format!("{k} is not evaluated statically")),
                    _ => self.object(map),
                }
            }
            Value::Object(map) => self.object(map),
            other => other.clone(),
        }
    }

    fn object(&self, map: &Map<String, Value>) -> Value {
        Value::Object(
            map.iter().map(|(k, x)| (k.clone(), self.resolve(x))).filter(|(_, x)| !is_no_value(x)).collect(),
        )
    }

    fn reference(&self, name: &str) -> Value {
        match name {
            "AWS::Region" => self
                .region
                .as_ref()
                .map_or_else(|| Value::String("${AWS::Region}".into()), |r| Value::String(r.to_string())),
            "AWS::NoValue" => no_value(),
            n if n.starts_with("AWS::") => Value::String(format!("${{{n}}}")),
            n => {
                if let Some(p) = self.params.get(n) {
                    p.clone()
                } else if self.resources.contains_key(n) {
                    reference(&format!("{}{n}", self.prefix))
                } else {
                    unresolved(format!(
                        "Ref to {n}, which is neither a parameter nor a resource of {}",
                        self.file
                    ))
                }
            }
        }
    }

    fn get_att(&self, arg: &Value) -> Value {
        let parts: Vec<String> = match arg {
            Value::Array(a) => a.iter().map(|x| scalar_text(&self.resolve(x)).unwrap_or_default()).collect(),
            Value::String(s) => s.splitn(2, '.').map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        let Some(name) = parts.first() else { return unresolved("malformed Fn::GetAtt") };
        if let Some(out) = parts.get(1).and_then(|a| a.strip_prefix("Outputs."))
            && let Some(v) = self.nested.get(name).and_then(|o| o.get(out))
        {
            return v.clone();
        }
        if self.resources.contains_key(name) {
            reference(&format!("{}{name}", self.prefix))
        } else {
            unresolved(format!("Fn::GetAtt of {name}, which is not a resource of {}", self.file))
        }
    }

    fn sub(&self, arg: &Value) -> Value {
        let (text, vars) = match arg {
            Value::String(s) => (s.clone(), Map::new()),
            Value::Array(a) => (
                a.first().and_then(Value::as_str).unwrap_or_default().to_owned(),
                a.get(1).and_then(Value::as_object).cloned().unwrap_or_default(),
            ),
            _ => return unresolved("malformed Fn::Sub"),
        };
        let mut out = String::new();
        let mut first_ref: Option<String> = None;
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
                continue;
            }
            let value = match vars.get(name) {
                Some(v) => self.resolve(v),
                None => match name.split_once('.') {
                    Some((r, a)) => self.get_att(&Value::Array(vec![r.into(), a.into()])),
                    None => self.reference(name),
                },
            };
            if let Some(s) = scalar_text(&value) {
                out.push_str(&s);
            } else {
                if let Some(r) = as_ref(&value) {
                    first_ref.get_or_insert_with(|| r.to_owned());
                }
                out.push_str("${");
                out.push_str(name);
                out.push('}');
            }
        }
        out.push_str(rest);
        match first_ref {
            Some(r) => reference_in_text(&r, &out),
            None => Value::String(out),
        }
    }

    fn fn_if(&self, arg: &Value) -> Value {
        let Some(a) = arg.as_array().filter(|a| a.len() == 3) else { return unresolved("malformed Fn::If") };
        let name = a[0].as_str().unwrap_or_default();
        match self.conditions.get(name).copied().flatten() {
            Some(true) => self.resolve(&a[1]),
            Some(false) => self.resolve(&a[2]),
            None => unresolved(format!("Fn::If on condition {name}, which cannot be decided statically")),
        }
    }

    fn find_in_map(&self, arg: &Value) -> Value {
        let Some(a) = arg.as_array().filter(|a| a.len() == 3) else {
            return unresolved("malformed Fn::FindInMap");
        };
        let keys: Option<Vec<String>> = a.iter().map(|k| scalar_text(&self.resolve(k))).collect();
        let found = keys.as_ref().and_then(|k| self.mappings.get(&k[0])?.get(&k[1])?.get(&k[2]).cloned());
        found.map_or_else(
            || {
                unresolved(format!(
                    "Fn::FindInMap {}: key not found or not static",
                    keys.unwrap_or_default().join(".")
                ))
            },
            |v| self.resolve(&v),
        )
    }

    fn join(&self, arg: &Value) -> Value {
        let Some(a) = arg.as_array().filter(|a| a.len() == 2) else {
            return unresolved("malformed Fn::Join");
        };
        let delim = a[0].as_str().unwrap_or_default();
        let items = self.resolve(&a[1]);
        let parts: Option<Vec<String>> = items.as_array().and_then(|xs| xs.iter().map(scalar_text).collect());
        parts.map_or_else(
            || unresolved("Fn::Join over values that are not static"),
            |p| Value::String(p.join(delim)),
        )
    }

    fn select(&self, arg: &Value) -> Value {
        let Some(a) = arg.as_array().filter(|a| a.len() == 2) else {
            return unresolved("malformed Fn::Select");
        };
        let i = scalar_text(&self.resolve(&a[0])).and_then(|s| s.parse::<usize>().ok());
        let items = self.resolve(&a[1]);
        i.and_then(|i| items.as_array()?.get(i).cloned())
            .unwrap_or_else(|| unresolved("Fn::Select out of range or not static"))
    }
}

/// The marker of `AWS::NoValue` (the property is removed).
fn no_value() -> Value {
    serde_json::json!({ "$novalue": true })
}

fn is_no_value(v: &Value) -> bool {
    v.get("$novalue").is_some()
}

/// A scalar as text (numbers and booleans too).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
