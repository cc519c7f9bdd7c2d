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

use crate::bundle::{ExportError, ExportFile, TemplateSyntax, Written};
use crate::plan::Plan;

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
