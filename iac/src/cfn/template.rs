//! The building blocks of a CloudFormation template: [`Template`] (parameters, resources,
//! outputs, checkov skips, imports of other stacks' outputs) and the intrinsic functions and tag
//! forms every resource writer uses. Shared by every file of `cfn`; uses none of them. Every logical
//! id is declared with its owner (`names::Claims`), so a name two ids would share is found rather
//! than overwritten.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::bundle::{ExportError, SkippedCheck, TemplateSyntax};
use crate::names::{Claims, Clash, Owner};
use crate::plan::{Plan, tag_value};

/// A template being built.
#[derive(Default)]
pub(super) struct Template {
    description: String,
    pub(super) parameters: Map<String, Value>,
    resources: Map<String, Value>,
    outputs: Map<String, Value>,
    pub(super) skipped: Vec<SkippedCheck>,
    /// Parameters that carry another stack's output: parameter, the stack.
    pub(super) imports: BTreeMap<String, String>,
    /// Who the resources, parameters and outputs added now are for (`None`: the template's own).
    pub(super) owner: Owner,
    /// Logical ids of resources and parameters (one namespace), with who declared each.
    ids: Claims,
    /// Logical ids of outputs.
    output_ids: Claims,
}

impl Template {
    pub(super) fn new(description: String) -> Self {
        Template { description, ..Template::default() }
    }

    /// Adds a resource with properties.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    pub(super) fn add(&mut self, id: &str, kind: &str, properties: Value) {
        self.ids.claim("", id, &self.owner, "");
        self.resources.insert(id.to_owned(), json!({"Type": kind, "Properties": properties}));
    }

    /// Adds a resource with extra top-level keys (DependsOn, DeletionPolicy, Metadata).
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    pub(super) fn add_with(&mut self, id: &str, kind: &str, properties: Value, extra: Value) {
        self.ids.claim("", id, &self.owner, "");
        let mut r = json!({"Type": kind, "Properties": properties});
        if let (Some(r), Value::Object(extra)) = (r.as_object_mut(), extra) {
            r.extend(extra);
        }
        self.resources.insert(id.to_owned(), r);
    }

    /// Skips a checkov check on a resource, with the reason, in its Metadata.
    pub(super) fn skip(&mut self, id: &str, check: &str, reason: &str) {
        self.skipped.push(SkippedCheck {
            resource: id.to_owned(),
            check: check.to_owned(),
            reason: reason.to_owned(),
        });
        let Some(r) = self.resources.get_mut(id).and_then(Value::as_object_mut) else { return };
        let meta = r.entry("Metadata").or_insert_with(|| json!({"checkov": {"skip": []}}));
        if let Some(list) = meta.pointer_mut("/checkov/skip").and_then(Value::as_array_mut) {
            list.push(json!({"id": check, "comment": reason}));
        }
    }

    /// Adds a string parameter.
    pub(super) fn param(&mut self, id: &str, description: &str, default: Option<&str>) {
        let mut p = json!({"Type": "String", "Description": description});
        if let (Some(d), Some(o)) = (default, p.as_object_mut()) {
            o.insert("Default".into(), json!(d));
        }
        self.param_value(id, p);
    }

    /// Adds a parameter given in full (a typed one); declaring the same parameter twice is one.
    pub(super) fn param_value(&mut self, id: &str, value: Value) {
        self.ids.claim("", id, &self.owner, &value.to_string());
        self.parameters.insert(id.to_owned(), value);
    }

    /// Adds a parameter without default that carries output `id` of `stack`.
    pub(super) fn import(&mut self, id: &str, stack: &str) {
        self.param(id, &format!("Output {id} of stack {stack}"), None);
        self.imports.insert(id.to_owned(), stack.to_owned());
    }

    /// Adds an output.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    pub(super) fn output(&mut self, id: &str, description: &str, value: Value) {
        self.output_ids.claim("", id, &self.owner, "");
        self.outputs.insert(id.to_owned(), json!({"Description": description, "Value": value}));
    }

    /// Names declared twice in this template, with `file` as their file.
    pub(super) fn clashes(&self, file: &str) -> Vec<Clash> {
        self.ids
            .clashes
            .iter()
            .chain(&self.output_ids.clashes)
            .map(|c| Clash { file: file.to_owned(), ..c.clone() })
            .collect()
    }

    /// The template as a JSON document, moving its resources and outputs out (so a large template
    /// is not held twice); its parameters, imports, skipped checks and names stay.
    pub(super) fn take_document(&mut self) -> Value {
        let mut doc = Map::new();
        doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        doc.insert("Description".into(), json!(self.description));
        if !self.parameters.is_empty() {
            doc.insert("Parameters".into(), Value::Object(self.parameters.clone()));
        }
        doc.insert("Resources".into(), Value::Object(std::mem::take(&mut self.resources)));
        if !self.outputs.is_empty() {
            doc.insert("Outputs".into(), Value::Object(std::mem::take(&mut self.outputs)));
        }
        Value::Object(doc)
    }
}

/// A template document as text.
pub(super) fn render(doc: &Value, syntax: TemplateSyntax, what: &str) -> Result<String, ExportError> {
    match syntax {
        TemplateSyntax::Json => {
            serde_json::to_string_pretty(doc).map(|s| s + "\n").map_err(|e| ExportError::internal(what, e))
        }
        TemplateSyntax::Yaml => serde_yaml_ng::to_string(doc).map_err(|e| ExportError::internal(what, e)),
    }
}

/// `{"Ref": id}`.
pub(super) fn r(id: &str) -> Value {
    json!({"Ref": id})
}

/// `{"Fn::GetAtt": [id, attr]}`.
pub(super) fn att(id: &str, attr: &str) -> Value {
    json!({"Fn::GetAtt": [id, attr]})
}

/// `{"Fn::Sub": text}`.
pub(super) fn sub(text: &str) -> Value {
    json!({"Fn::Sub": text})
}

/// CloudFormation tags from a tag map, in key order.
pub(super) fn tags(map: &BTreeMap<String, String>) -> Value {
    Value::Array(map.iter().map(|(k, v)| json!({"Key": tag_value(k), "Value": tag_value(v)})).collect())
}

/// Tags as a map (the form some resource types take).
pub(super) fn tag_map(map: &BTreeMap<String, String>) -> Value {
    Value::Object(map.iter().map(|(k, v)| (tag_value(k), json!(tag_value(v)))).collect())
}

/// The name of the parameter carrying an output of another stack.
pub(super) fn import_param(plan: &Plan, service: &str, output: &str) -> String {
    format!("{}{output}", plan.names.cfn(service))
}
