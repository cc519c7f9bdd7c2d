//! CloudFormation: one template per region, `global` for global resources and `cross-region` for
//! the pieces that need values from other stacks (passed as parameters, listed in `DEPLOY.md`).

mod alarms;
mod asg;
mod compute;
mod data;
mod edge;
mod network;
mod policy;
mod regional;
mod template;

use std::collections::BTreeSet;

use meridian_model::shell;

use crate::bundle::{ExportError, ExportFile, TemplateSyntax, Written};
use crate::plan::{Plan, tag_value};
use template::Template;

/// Writes every template.
pub(super) fn write(plan: &Plan, syntax: TemplateSyntax) -> Result<Written, ExportError> {
    let ext = match syntax {
        TemplateSyntax::Yaml => "yaml",
        TemplateSyntax::Json => "json",
    };
    let mut files = Vec::new();
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
    if let Some(t) = &global {
        let file = format!("global.{ext}");
        files.push(ExportFile::text(file.clone(), t.render(syntax, &file)?));
        skipped.extend(t.skipped.iter().cloned());
        clashes.extend(t.clashes(&file));
        steps.push(format!(
            "**Global resources** (`{file}`, in {home}: Global Accelerator's API lives in us-west-2, \
             Route 53 and CloudFront are global):\n\n{}",
            deploy(&file, &format!("{}-global", plan.prefix), &home, &[])?
        ));
    }
    for region in &plan.regions {
        let t = regional::template(plan, region);
        let file = format!("region-{region}.{ext}");
        files.push(ExportFile::text(file.clone(), t.render(syntax, &file)?));
        skipped.extend(t.skipped.iter().cloned());
        clashes.extend(t.clashes(&file));
        let needs_cert = t.parameters.contains_key("CertificateArn");
        let mut overrides: Vec<String> = Vec::new();
        if needs_cert {
            overrides.push("CertificateArn=arn:aws:acm:...".into());
        }
        overrides.extend(import_overrides(&t));
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
    if let Some((t, imports)) = edge::cross_region(plan) {
        let file = format!("cross-region.{ext}");
        files.push(ExportFile::text(file.clone(), t.render(syntax, &file)?));
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
    Ok(Written { files, warnings: Vec::new(), skipped, steps, clashes })
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
    let mut lines = vec![
        sh([
            "aws",
            "cloudformation",
            "deploy",
            "--region",
            region,
            "--stack-name",
            stack,
            "--template-file",
            file,
        ])?,
        sh(["--capabilities", "CAPABILITY_IAM", "--tags"]
            .into_iter()
            .chain(tags.iter().map(String::as_str)))?,
    ];
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
