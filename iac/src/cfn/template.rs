//! The building blocks of a CloudFormation template: [`Template`] (parameters, resources,
//! outputs, checkov skips, imports of other stacks' outputs) and the intrinsic functions and tag
//! forms every resource writer uses. Shared by every file of `cfn`; uses only `split` and `stream`
//! (where a large template's resources go, [`Mode`]). Every logical
//! id is declared with its owner (`names::Claims`), so a name two ids would share is found rather
//! than overwritten.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::split::MAX_RESOURCES;
use super::stream::{Measure, Stream};
use crate::bundle::{ExportError, SkippedCheck};
use crate::names::{Claims, Clash, Owner};
use crate::plan::{Plan, tag_value};
use crate::sink::ExportSink;

/// Where a template's resources go as it is built.
#[derive(Default)]
pub(super) enum Mode {
    /// Kept whole; a template built with [`Template::boundary`] calls is marked over the quota
    /// ([`Template::over_quota`]) once it passes the resource quota, to be built again measured.
    #[default]
    Whole,
    /// Measured and dropped at each boundary (the first pass of a streamed split).
    Measure(Measure),
    /// Placed into nested stacks, each written when complete (the second pass).
    Stream(Box<Stream>),
}

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
    mode: Mode,
    /// Whether the template passed the resource quota while built whole (it is then built again
    /// in [`Mode::Measure`]).
    over_quota: bool,
    /// Resources added since the last boundary, outside [`Mode::Whole`].
    pending: Vec<(String, Value)>,
}

impl Template {
    pub(super) fn new(description: String) -> Self {
        Template { description, ..Template::default() }
    }

    /// A template whose resources go where `mode` says.
    pub(super) fn with_mode(description: String, mode: Mode) -> Self {
        Template { description, mode, ..Template::default() }
    }

    /// The template's outputs (those kept for the parent, when split while built).
    pub(super) fn outputs(&self) -> &Map<String, Value> {
        &self.outputs
    }

    /// Whether the template, built whole, passed the resource quota at a boundary (its
    /// resources are dropped: build it again measured).
    pub(super) fn over_quota(&self) -> bool {
        self.over_quota
    }

    /// Whether the template is built whole (not split while built).
    pub(super) fn whole(&self) -> bool {
        matches!(self.mode, Mode::Whole)
    }

    /// The template's description.
    pub(super) fn description(&self) -> &str {
        &self.description
    }

    fn put(&mut self, id: &str, resource: Value) {
        match self.mode {
            Mode::Whole => {
                self.resources.insert(id.to_owned(), resource);
            }
            Mode::Measure(_) | Mode::Stream(_) => self.pending.push((id.to_owned(), resource)),
        }
    }

    /// A point between services where no resource added before is changed after: a whole
    /// template past the resource quota is marked so and dropped, a measured one forgets
    /// its new resources, a streamed one writes the parts that are complete to `sink`.
    pub(super) fn boundary(&mut self, sink: &mut dyn ExportSink) -> Result<(), ExportError> {
        match &mut self.mode {
            Mode::Whole => {
                if self.resources.len() > MAX_RESOURCES {
                    self.over_quota = true;
                    self.resources = Map::new();
                }
            }
            Mode::Measure(m) => {
                for (id, r) in self.pending.drain(..) {
                    m.take(&id, &r);
                }
            }
            Mode::Stream(s) => {
                for (id, r) in self.pending.drain(..) {
                    s.take(id, r)?;
                }
                s.flush(&self.parameters, sink)?;
            }
        }
        Ok(())
    }

    /// The first pass's measurements, when the template passed the resource quota (after a last
    /// [`Template::boundary`]).
    pub(super) fn take_measure(&mut self) -> Option<Measure> {
        match std::mem::take(&mut self.mode) {
            Mode::Measure(m) => Some(m),
            other => {
                self.mode = other;
                None
            }
        }
    }

    /// The second pass's stream, and the outputs kept for the parent (after a last
    /// [`Template::boundary`]).
    pub(super) fn take_stream(&mut self) -> Option<(Box<Stream>, Map<String, Value>)> {
        match std::mem::take(&mut self.mode) {
            Mode::Stream(s) => Some((s, std::mem::take(&mut self.outputs))),
            other => {
                self.mode = other;
                None
            }
        }
    }

    /// Adds a resource with properties.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    pub(super) fn add(&mut self, id: &str, kind: &str, properties: Value) {
        self.ids.claim("", id, &self.owner, "");
        self.put(id, json!({"Type": kind, "Properties": properties}));
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
        self.put(id, r);
    }

    /// Skips a checkov check on a resource, with the reason, in its Metadata.
    pub(super) fn skip(&mut self, id: &str, check: &str, reason: &str) {
        self.skipped.push(SkippedCheck {
            resource: id.to_owned(),
            check: check.to_owned(),
            reason: reason.to_owned(),
        });
        let r = match self.mode {
            Mode::Whole => self.resources.get_mut(id),
            Mode::Measure(_) | Mode::Stream(_) => {
                self.pending.iter_mut().rev().find(|(k, _)| k == id).map(|(_, r)| r)
            }
        };
        let Some(r) = r.and_then(Value::as_object_mut) else { return };
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
        let output = json!({"Description": description, "Value": value});
        let kept = match &mut self.mode {
            Mode::Stream(s) => s.output(id, output),
            Mode::Whole | Mode::Measure(_) => Some(output),
        };
        if let Some(o) = kept {
            self.outputs.insert(id.to_owned(), o);
        }
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
