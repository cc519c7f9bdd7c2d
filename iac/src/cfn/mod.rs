//! CloudFormation: one template per region, `global` for global resources and `cross-region` for
//! the pieces that need values from other stacks (passed as parameters, listed in `DEPLOY.md`).

mod alarms;
mod asg;
mod compute;
mod data;
mod edge;
mod identity;
mod netops;
mod network;
mod platform;
mod policy;
mod regional;
mod render;
mod split;
mod stream;
mod template;
mod triggers;

use std::collections::BTreeSet;

use meridian_model::ids::RegionId;
use meridian_model::shell;

use crate::bundle::{ExportError, ExportFile, TemplateSyntax, Written};
use crate::plan::{Plan, tag_value};
use crate::sink::ExportSink;
use template::{Mode, Template};

/// Writes every template into `sink`, each as soon as it is built (one template in memory at a
/// time).
pub(super) fn write(
    plan: &Plan,
    syntax: TemplateSyntax,
    sink: &mut dyn ExportSink,
) -> Result<Written, ExportError> {
    let ext = match syntax {
        TemplateSyntax::Yaml => "yaml",
        TemplateSyntax::Json => "json",
    };
    let mut done = Emitted::default();
    let mut skipped = Vec::new();
    let mut steps = Vec::new();
    let mut clashes = Vec::new();
    let home = plan.home_region();
    let tags: Vec<String> =
        plan.common_tags.iter().map(|(k, v)| format!("{}={}", tag_value(k), tag_value(v))).collect();
    let deploy = |file: &str, stack: &str, region: &str, overrides: &[String]| {
        deploy_command(&tags, file, stack, region, overrides)
    };
    let global = edge::global(plan);
    if let Some(mut t) = global {
        let t = &mut t;
        let file = done.template(t, &format!("global.{ext}"), syntax, sink)?;
        skipped.extend(t.skipped.iter().cloned());
        clashes.extend(t.clashes(&file));
        steps.push(format!(
            "**Global resources** (`{file}`, in {home}: Global Accelerator's API lives in us-west-2, \
             Route 53 and CloudFront are global):\n\n{}",
            deploy(&file, &format!("{}-global", plan.prefix), &home, &[])?
        ));
    }
    for region in &plan.regions {
        let name = format!("region-{region}.{ext}");
        let mut t = regional::template(plan, region, Mode::Whole, sink)?;
        // Past the resource quota, the template is built twice more: measured, then written as
        // nested stacks, each as soon as it is complete.
        let file = if t.over_quota() {
            t = split_while_built(plan, region, &name, syntax, sink, &mut done.warnings)?;
            done.split.insert(name.clone());
            packaged_name(&name)
        } else {
            done.template(&mut t, &name, syntax, sink)?
        };
        skipped.extend(t.skipped.iter().cloned());
        clashes.extend(t.clashes(&file));
        let needs_cert = t.parameters.contains_key("CertificateArn");
        let mut overrides: Vec<String> = Vec::new();
        if needs_cert {
            overrides.push("CertificateArn=arn:aws:acm:...".into());
        }
        overrides.extend(import_overrides(&t));
        // Values only the reader has (a model image, a customer gateway's address).
        overrides.extend(
            t.parameters
                .iter()
                .filter(|(p, v)| {
                    v.get("Default").is_none() && *p != "CertificateArn" && !t.imports.contains_key(*p)
                })
                .map(|(p, _)| format!("{p}=...")),
        );
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
            deploy(&file, &format!("{}-{region}", plan.prefix), region.as_str(), &overrides)?
        ));
    }
    if let Some((mut t, imports)) = edge::cross_region(plan) {
        let file = done.template(&mut t, &format!("cross-region.{ext}"), syntax, sink)?;
        skipped.extend(t.skipped.iter().cloned());
        clashes.extend(t.clashes(&file));
        let list: Vec<String> = imports.iter().map(|(p, from)| format!("- `{p}`: {from}")).collect();
        steps.push(format!(
            "**Cross-region pieces** (`{file}`, in {home}): records, health checks, endpoint groups and \
             origins that need outputs of the stacks above. Pass them as parameters:\n\n{}\n\n{}",
            list.join("\n"),
            deploy(&file, &format!("{}-cross-region", plan.prefix), &home, &import_overrides(&t))?
        ));
    }
    if !done.split.is_empty() {
        steps.insert(0, package_step(&done.split)?);
    }
    Ok(Written { warnings: done.warnings, skipped, steps, clashes })
}

/// What writing the templates gave so far: warnings, and the templates split into nested stacks.
#[derive(Default)]
struct Emitted {
    warnings: Vec<String>,
    split: BTreeSet<String>,
}

impl Emitted {
    /// Writes a template built whole; returns the file its stack is deployed from (the packaged
    /// parent when the template is split into nested stacks).
    fn template(
        &mut self,
        t: &mut Template,
        file: &str,
        syntax: TemplateSyntax,
        sink: &mut dyn ExportSink,
    ) -> Result<String, ExportError> {
        let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
        let (split, warnings) = emit(t.take_document(), file, ext, syntax, sink)?;
        self.warnings.extend(warnings);
        Ok(if split {
            self.split.insert(file.to_owned());
            packaged_name(file)
        } else {
            file.to_owned()
        })
    }
}

fn section(doc: &serde_json::Value, key: &str) -> serde_json::Map<String, serde_json::Value> {
    doc.get(key).and_then(serde_json::Value::as_object).cloned().unwrap_or_default()
}

/// Renders the template document `doc` as `file` into `sink`; a template beyond a CloudFormation
/// quota is split into a parent and nested stacks (`file` stays the parent, the parts are
/// `STEM.part-N.EXT`), with a warning naming the quota. Quotas splitting cannot help with (outputs
/// and parameters of the parent, outputs of a part) are warned about as they are. Returns whether
/// the template was split, and the warnings.
fn emit(
    doc: serde_json::Value,
    file: &str,
    ext: &str,
    syntax: TemplateSyntax,
    sink: &mut dyn ExportSink,
) -> Result<(bool, Vec<String>), ExportError> {
    let mut warnings = Vec::new();
    let count = |d: &serde_json::Value, key: &str| {
        d.get(key).and_then(serde_json::Value::as_object).map_or(0, serde_json::Map::len)
    };
    // A template over the resource quota is split whatever its size: not rendered whole.
    let text = if count(&doc, "Resources") > split::MAX_RESOURCES {
        None
    } else {
        Some(render::render(&doc, syntax, file)?)
    };
    warnings.extend(required_warning(&section(&doc, "Parameters"), file));
    let reason = split::exceeded(&doc, text.as_ref().map_or(0, String::len)).or_else(|| {
        (count(&doc, "Parameters") > split::MAX_PARAMETERS).then(|| {
            format!(
                "{} parameters exceed CloudFormation's quota of {} parameters per template",
                count(&doc, "Parameters"),
                split::MAX_PARAMETERS
            )
        })
    });
    let reason = reason.or_else(|| {
        (count(&doc, "Outputs") > split::MAX_OUTPUTS).then(|| {
            format!(
                "{} outputs exceed CloudFormation's quota of {} outputs per template",
                count(&doc, "Outputs"),
                split::MAX_OUTPUTS
            )
        })
    });
    let Some(reason) = reason else {
        // Within the resource quota, so rendered above.
        if let Some(text) = text {
            sink.file(ExportFile::text(file, text))?;
        }
        return Ok((false, warnings));
    };
    drop(text);
    let stem = file.strip_suffix(&format!(".{ext}")).unwrap_or(file);
    let part_file = |i: usize| format!("{stem}.part-{i}.{ext}");
    let mut emit_part = |i: usize, part: serde_json::Value| -> Result<(), ExportError> {
        let name = part_file(i + 1);
        if count(&part, "Outputs") > split::MAX_OUTPUTS {
            warnings.push(format!(
                "{name}: {} outputs exceed CloudFormation's quota of {} per template",
                count(&part, "Outputs"),
                split::MAX_OUTPUTS
            ));
        }
        let text = render::render(&part, syntax, &name)?;
        drop(part);
        sink.file(ExportFile::text(name, text))
    };
    let s = split::split(&doc, reason, &part_file, &mut emit_part)?;
    drop(doc);
    sink.file(ExportFile::text(file, render::render(&s.parent, syntax, file)?))?;
    warnings.push(split_warning(
        file,
        &s.reason,
        &(1..=s.parts).map(&part_file).collect::<Vec<_>>(),
        s.outputs_moved,
    ));
    Ok((true, warnings))
}

/// Builds the template of `region` (written as `file`) measured, then again written part by
/// part and its parent; returns the template (its parameters, imports and skipped checks).
fn split_while_built(
    plan: &Plan,
    region: &RegionId,
    file: &str,
    syntax: TemplateSyntax,
    sink: &mut dyn ExportSink,
    warnings: &mut Vec<String>,
) -> Result<Template, ExportError> {
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    let mut t = regional::template(plan, region, Mode::Measure(stream::Measure::default()), sink)?;
    let measure =
        t.take_measure().ok_or_else(|| ExportError::internal(file, "the template was not measured"))?;
    let cut = stream::Cut::plan(measure, &t.parameters, t.outputs());
    drop(t);
    let parts = stream::Stream::new(cut, file, ext, syntax);
    let mut t = regional::template(plan, region, Mode::Stream(Box::new(parts)), sink)?;
    warnings.extend(streamed(&mut t, file, syntax, sink)?);
    Ok(t)
}

/// Writes the parent of a template split while it was built (its parts are written), and returns
/// the warnings.
fn streamed(
    t: &mut Template,
    file: &str,
    syntax: TemplateSyntax,
    sink: &mut dyn ExportSink,
) -> Result<Vec<String>, ExportError> {
    let Some((parts, outputs)) = t.take_stream() else {
        return Err(ExportError::internal(file, "the template was not built in parts"));
    };
    let parent = parts.parent(t.description(), &t.parameters, outputs)?;
    sink.file(ExportFile::text(file, render::render(&parent, syntax, file)?))?;
    drop(parent);
    let mut warnings: Vec<String> = required_warning(&t.parameters, file).into_iter().collect();
    warnings.extend(parts.warnings.iter().cloned());
    let files: Vec<String> = (1..=parts.cut().parts()).map(|i| parts.part_file(i)).collect();
    warnings.push(split_warning(file, &parts.cut().reason, &files, parts.cut().outputs_moved()));
    Ok(warnings)
}

/// The warning when a template has more parameters without a default than the quota.
fn required_warning(params: &serde_json::Map<String, serde_json::Value>, file: &str) -> Option<String> {
    let required = params.values().filter(|p| p.get("Default").is_none()).count();
    (required > split::MAX_PARAMETERS).then(|| {
        format!(
            "{file}: {required} parameters without a default exceed CloudFormation's quota of {} per template; split the design's regions to deploy it",
            split::MAX_PARAMETERS
        )
    })
}

/// The warning of a template written as a parent and nested stacks `parts`, naming the quota.
fn split_warning(file: &str, reason: &str, parts: &[String], outputs_moved: bool) -> String {
    format!(
        "{file}: {reason}: written as a parent stack with {} nested stacks ({}); deploy it through `aws cloudformation package` (DEPLOY.md){}",
        parts.len(),
        parts.join(", "),
        if outputs_moved {
            "; its outputs are more than one stack may have, so each is an output of the nested stack that holds its resource: read `<output X of stack Y>` there"
        } else {
            ""
        }
    )
}

/// The step that uploads the nested stacks of split templates and rewrites their parents to
/// point at the uploads (`TEMPLATE.packaged.EXT`, which the deploy commands then take).
fn package_step(split: &BTreeSet<String>) -> Result<String, ExportError> {
    let mut lines = Vec::new();
    for file in split {
        let packaged = packaged_name(file);
        let cmd = sh([
            "aws",
            "cloudformation",
            "package",
            "--template-file",
            file.as_str(),
            "--s3-bucket",
            "<artifact bucket>",
            "--output-template-file",
            packaged.as_str(),
        ]);
        lines.push(cmd?);
    }
    Ok(format!(
        "**Nested stacks**: {} exceed CloudFormation's template quotas and are split into nested \
         stacks. Upload the parts to an S3 bucket you own (in each stack's region); the steps below \
         deploy the packaged parents:\n\n```sh\n{}\n```",
        split.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "),
        lines.join("\n")
    ))
}

/// `region-x.yaml` to `region-x.packaged.yaml`.
fn packaged_name(file: &str) -> String {
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.packaged.{ext}"),
        None => format!("{file}.packaged"),
    }
}

/// A line of a `DEPLOY.md` command, every word quoted by the model's one quoting function.
fn sh<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<String, ExportError> {
    shell::command(words).map_err(|e| ExportError::internal("DEPLOY.md", e))
}

/// `--parameter-overrides` placeholders for the parameters that carry other stacks' outputs.
fn import_overrides(t: &Template) -> Vec<String> {
    t.imports.iter().map(|(p, stack)| format!("{p}=<output {p} of stack {stack}>")).collect()
}

/// The `aws cloudformation deploy` command of one stack, as a Markdown code block.
fn deploy_command(
    tags: &[String],
    file: &str,
    stack: &str,
    region: &str,
    overrides: &[String],
) -> Result<String, ExportError> {
    let mut lines = vec![sh([
        "aws",
        "cloudformation",
        "deploy",
        "--region",
        region,
        "--stack-name",
        stack,
        "--template-file",
        file,
    ])?];
    if file.contains(".packaged.") {
        lines.push(sh(["--s3-bucket", "<artifact bucket>"])?);
    }
    lines.push(sh(["--capabilities", "CAPABILITY_IAM", "--tags"]
        .into_iter()
        .chain(tags.iter().map(String::as_str)))?);
    match overrides {
        [] => {}
        [one] => lines.push(sh(["--parameter-overrides", one.as_str()])?),
        many => {
            lines.push("--parameter-overrides".to_owned());
            for o in many {
                lines.push(format!("  {}", sh([o.as_str()])?));
            }
        }
    }
    Ok(format!("```sh\n{}\n```", lines.join(" \\\n  ")))
}
