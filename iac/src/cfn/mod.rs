//! CloudFormation: one template per region, `global` for global resources and `cross-region` for
//! the pieces that need values from other stacks (passed as parameters, listed in `DEPLOY.md`).

mod alarms;
mod asg;
mod compute;
mod data;
mod edge;
mod network;
mod regional;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::plan::{Plan, pascal, tag_value};
use super::{ExportError, ExportFile, SkippedCheck, TemplateSyntax, Written};

/// A template being built.
#[derive(Default)]
pub(super) struct Template {
    description: String,
    parameters: Map<String, Value>,
    resources: Map<String, Value>,
    outputs: Map<String, Value>,
    skipped: Vec<SkippedCheck>,
    /// Parameters that carry another stack's output: parameter, the stack.
    imports: BTreeMap<String, String>,
}

impl Template {
    fn new(description: String) -> Self {
        Template { description, ..Template::default() }
    }

    /// Adds a resource with properties.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    fn add(&mut self, id: &str, kind: &str, properties: Value) {
        self.resources.insert(id.to_owned(), json!({"Type": kind, "Properties": properties}));
    }

    /// Adds a resource with extra top-level keys (DependsOn, DeletionPolicy, Metadata).
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    fn add_with(&mut self, id: &str, kind: &str, properties: Value, extra: Value) {
        let mut r = json!({"Type": kind, "Properties": properties});
        if let (Some(r), Value::Object(extra)) = (r.as_object_mut(), extra) {
            r.extend(extra);
        }
        self.resources.insert(id.to_owned(), r);
    }

    /// Skips a checkov check on a resource, with the reason, in its Metadata.
    fn skip(&mut self, id: &str, check: &str, reason: &str) {
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
    fn param(&mut self, id: &str, description: &str, default: Option<&str>) {
        let mut p = json!({"Type": "String", "Description": description});
        if let (Some(d), Some(o)) = (default, p.as_object_mut()) {
            o.insert("Default".into(), json!(d));
        }
        self.parameters.insert(id.to_owned(), p);
    }

    /// Adds a parameter without default that carries output `id` of `stack`.
    fn import(&mut self, id: &str, stack: &str) {
        self.param(id, &format!("Output {id} of stack {stack}"), None);
        self.imports.insert(id.to_owned(), stack.to_owned());
    }

    /// Adds an output.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "json! reads its arguments by reference; callers build the values inline"
    )]
    fn output(&mut self, id: &str, description: &str, value: Value) {
        self.outputs.insert(id.to_owned(), json!({"Description": description, "Value": value}));
    }

    fn render(&self, syntax: TemplateSyntax, what: &str) -> Result<String, ExportError> {
        let mut doc = Map::new();
        doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        doc.insert("Description".into(), json!(self.description));
        if !self.parameters.is_empty() {
            doc.insert("Parameters".into(), Value::Object(self.parameters.clone()));
        }
        doc.insert("Resources".into(), Value::Object(self.resources.clone()));
        if !self.outputs.is_empty() {
            doc.insert("Outputs".into(), Value::Object(self.outputs.clone()));
        }
        let doc = Value::Object(doc);
        match syntax {
            TemplateSyntax::Json => serde_json::to_string_pretty(&doc)
                .map(|s| s + "\n")
                .map_err(|e| ExportError::internal(what, e)),
            TemplateSyntax::Yaml => {
                serde_yaml_ng::to_string(&doc).map_err(|e| ExportError::internal(what, e))
            }
        }
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
pub(super) fn import_param(service: &str, output: &str) -> String {
    format!("{}{output}", pascal(service))
}

/// Writes every template.
pub(super) fn write(plan: &Plan, syntax: TemplateSyntax) -> Result<Written, ExportError> {
    let ext = match syntax {
        TemplateSyntax::Yaml => "yaml",
        TemplateSyntax::Json => "json",
    };
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut steps = Vec::new();
    let home = plan.home_region();
    let deploy = |file: &str, stack: &str, region: &str, extra: &str| {
        format!(
            "```sh\naws cloudformation deploy --region {region} --stack-name {stack} --template-file {file} \\\n  \
             --capabilities CAPABILITY_IAM --tags {tags}{extra}\n```",
            tags = plan.common_tags.iter().map(|(k, v)| format!("'{k}={v}'")).collect::<Vec<_>>().join(" ")
        )
    };
    let global = edge::global(plan);
    if let Some(t) = &global {
        let file = format!("global.{ext}");
        files.push(ExportFile { path: file.clone(), contents: t.render(syntax, &file)? });
        skipped.extend(t.skipped.iter().cloned());
        steps.push(format!(
            "**Global resources** (`{file}`, in {home}: Global Accelerator's API lives in us-west-2, \
             Route 53 and CloudFront are global):\n\n{}",
            deploy(&file, &format!("{}-global", plan.prefix), &home, "")
        ));
    }
    for region in &plan.regions {
        let t = regional::template(plan, region);
        let file = format!("region-{region}.{ext}");
        files.push(ExportFile { path: file.clone(), contents: t.render(syntax, &file)? });
        skipped.extend(t.skipped.iter().cloned());
        let needs_cert = t.parameters.contains_key("CertificateArn");
        let mut overrides: Vec<String> = Vec::new();
        if needs_cert {
            overrides.push("CertificateArn=arn:aws:acm:...".into());
        }
        overrides.extend(t.imports.iter().map(|(p, stack)| format!("{p}=<output {p} of stack {stack}>")));
        let mut notes = Vec::new();
        if needs_cert {
            notes.push("pass an ACM certificate of this region for the load balancers".to_owned());
        }
        if !t.imports.is_empty() {
            notes.push(format!(
                "after {}: it joins the Global Datastore of a stack above (pass {})",
                t.imports
                    .values()
                    .cloned()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", "),
                t.imports.keys().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        steps.push(format!(
            "**Region {region}** (`{file}`){}:\n\n{}",
            notes.iter().map(|n| format!("; {n}")).collect::<Vec<_>>().concat(),
            deploy(
                &file,
                &format!("{}-{region}", plan.prefix),
                region.as_str(),
                &if overrides.is_empty() {
                    String::new()
                } else {
                    format!(" \\\n  --parameter-overrides {}", overrides.join(" "))
                }
            )
        ));
    }
    if let Some((t, imports)) = edge::cross_region(plan) {
        let file = format!("cross-region.{ext}");
        files.push(ExportFile { path: file.clone(), contents: t.render(syntax, &file)? });
        skipped.extend(t.skipped.iter().cloned());
        let list: Vec<String> = imports.iter().map(|(p, from)| format!("- `{p}`: {from}")).collect();
        steps.push(format!(
            "**Cross-region pieces** (`{file}`, in {home}): records, health checks, endpoint groups and \
             origins that need outputs of the stacks above. Pass them as parameters:\n\n{}\n\n{}",
            list.join("\n"),
            deploy(
                &file,
                &format!("{}-cross-region", plan.prefix),
                &home,
                " \\\n  --parameter-overrides Name=Value ..."
            )
        ));
    }
    Ok(Written { files, warnings: Vec::new(), skipped, steps })
}
