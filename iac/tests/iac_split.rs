//! Templates beyond CloudFormation's quotas (issue 18): a region of 1,000 services is written as a
//! parent stack with nested stacks, each within 500 resources, 200 parameters, 200 outputs and
//! 1 MB; every reference between them resolves; cfn-lint finds no errors; a warning names the
//! quota; DEPLOY.md packages the parts before deploying the parent. The template is split while
//! it is built (`cfn/stream.rs`): every resource in one part of at most 400, the parts handed to
//! the sink before their parent, the same files on every export.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses few")]
mod common;

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

use meridian_iac::{ExportBundle, ExportOptions, Format, export};
use meridian_model::catalog::Catalog;
use meridian_model::synth::{Shape, generate_shaped};
use serde_json::Value;

/// The export of 1,000 services in one region (YAML), made once for every test here.
fn bundle() -> &'static ExportBundle {
    static BUNDLE: OnceLock<ExportBundle> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let catalog = Catalog::builtin().unwrap();
        let design = generate_shaped(catalog, 1000, Shape::Spread { max_regions: 1 }).unwrap();
        export(&design, catalog, Format::CloudFormation, &ExportOptions::default()).unwrap()
    })
}

fn templates() -> BTreeMap<String, Value> {
    bundle()
        .files
        .iter()
        .filter(|f| std::path::Path::new(&f.path).extension().is_some_and(|e| e == "yaml"))
        .map(|f| (f.path.clone(), serde_yaml_ng::from_str(&f.contents).unwrap()))
        .collect()
}

fn section(doc: &Value, key: &str) -> serde_json::Map<String, Value> {
    doc.get(key).and_then(Value::as_object).cloned().unwrap_or_default()
}

#[test]
fn a_region_of_a_thousand_services_is_split_within_every_quota_with_a_warning() {
    let templates = templates();
    let parts: Vec<&String> = templates.keys().filter(|p| p.contains(".part-")).collect();
    assert!(parts.len() >= 3, "{:?}", templates.keys().collect::<Vec<_>>());
    for (path, doc) in &templates {
        assert!(section(doc, "Resources").len() <= 500, "{path}: {}", section(doc, "Resources").len());
        assert!(section(doc, "Outputs").len() <= 200, "{path}: {} outputs", section(doc, "Outputs").len());
        assert!(
            section(doc, "Parameters").len() <= 200,
            "{path}: {} parameters",
            section(doc, "Parameters").len()
        );
    }
    for f in &bundle().files {
        assert!(f.contents.len() <= 1_000_000, "{}: {} bytes", f.path, f.contents.len());
    }
    let warning = bundle().warnings.iter().find(|w| w.contains("nested stacks")).unwrap();
    assert!(warning.contains("quota of 500 resources per template"), "{warning}");
    let deploy = &bundle().files.iter().find(|f| f.path == "DEPLOY.md").unwrap().contents;
    assert!(deploy.contains("aws cloudformation package"), "{deploy}");
    assert!(deploy.contains(".packaged.yaml"), "{deploy}");
}

#[test]
fn references_between_the_parent_and_its_nested_stacks_resolve() {
    let templates = templates();
    for (path, doc) in templates.iter().filter(|(p, _)| !p.contains(".part-")) {
        for (id, r) in section(doc, "Resources") {
            if r["Type"] != "AWS::CloudFormation::Stack" {
                continue;
            }
            let url = r["Properties"]["TemplateURL"].as_str().unwrap();
            let part = &templates[url];
            let declared = section(part, "Parameters");
            let passed = section(&r["Properties"], "Parameters");
            for (name, def) in &declared {
                assert!(
                    passed.contains_key(name) || def.get("Default").is_some(),
                    "{path}: {id} does not pass {name} to {url}"
                );
            }
            for (name, value) in &passed {
                assert!(
                    declared.contains_key(name),
                    "{path}: {id} passes {name}, which {url} does not declare"
                );
                if let Some(att) = value.get("Fn::GetAtt") {
                    let (other, output) = (att[0].as_str().unwrap(), att[1].as_str().unwrap());
                    let other_url = doc["Resources"][other]["Properties"]["TemplateURL"].as_str().unwrap();
                    let output = output.strip_prefix("Outputs.").unwrap();
                    assert!(
                        section(&templates[other_url], "Outputs").contains_key(output),
                        "{path}: {id}.{name} reads output {output} of {other}, which {other_url} does not have"
                    );
                }
            }
        }
    }
    // Inside each part, every Ref and GetAtt names something of that part.
    for (path, doc) in templates.iter().filter(|(p, _)| p.contains(".part-")) {
        let (params, resources) = (section(doc, "Parameters"), section(doc, "Resources"));
        let mut stack = vec![doc.clone()];
        while let Some(v) = stack.pop() {
            match &v {
                Value::Object(o) => {
                    if let Some(Value::String(id)) = o.get("Ref") {
                        assert!(
                            id.starts_with("AWS::") || params.contains_key(id) || resources.contains_key(id),
                            "{path}: Ref {id} is not in the template"
                        );
                    }
                    if let Some(Value::Array(a)) = o.get("Fn::GetAtt") {
                        let id = a[0].as_str().unwrap();
                        assert!(resources.contains_key(id), "{path}: GetAtt {id} is not in the template");
                    }
                    stack.extend(o.values().cloned());
                }
                Value::Array(a) => stack.extend(a.iter().cloned()),
                _ => {}
            }
        }
    }
}

#[test]
fn cfn_lint_finds_no_errors_in_the_split_templates() {
    let lint = common::tool("cfn-lint");
    let dir = common::write(bundle());
    let files: Vec<_> = templates().keys().map(|p| dir.path().join(p)).collect();
    let out = Command::new(&lint)
        .current_dir(dir.path())
        .args(["--regions", "us-east-1", "--"])
        .args(&files)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(255);
    assert!(
        code & 2 == 0 && code < 16,
        "cfn-lint reports errors (exit {code}):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_template_split_while_built_has_parts_of_at_most_400_resources_and_is_the_same_every_time() {
    let templates = templates();
    for (path, doc) in templates.iter().filter(|(p, _)| p.contains(".part-")) {
        // 400 resources per part: below the quota, as `split.rs` cuts a whole template.
        assert!(section(doc, "Resources").len() <= 400, "{path}: {}", section(doc, "Resources").len());
        assert!(section(doc, "Parameters").len() <= 180, "{path}: {}", section(doc, "Parameters").len());
    }
    // Every resource of the template is in exactly one part.
    let mut seen = std::collections::BTreeSet::new();
    for (path, doc) in templates.iter().filter(|(p, _)| p.contains(".part-")) {
        for id in section(doc, "Resources").keys() {
            assert!(seen.insert(id.clone()), "{path}: {id} is in two parts");
        }
    }
    assert!(seen.len() > 500, "{} resources", seen.len());
    let catalog = Catalog::builtin().unwrap();
    let design = generate_shaped(catalog, 1000, Shape::Spread { max_regions: 1 }).unwrap();
    let again = export(&design, catalog, Format::CloudFormation, &ExportOptions::default()).unwrap();
    assert_eq!(again.files.len(), bundle().files.len());
    for (a, b) in again.files.iter().zip(&bundle().files) {
        assert_eq!((&a.path, &a.contents), (&b.path, &b.contents), "{} differs between two exports", a.path);
    }
}

#[test]
fn the_parts_reach_the_sink_before_their_parent_and_the_json_export_splits_alike() {
    let catalog = Catalog::builtin().unwrap();
    let design = generate_shaped(catalog, 1000, Shape::Spread { max_regions: 1 }).unwrap();
    let options = ExportOptions { syntax: meridian_iac::TemplateSyntax::Json, ..ExportOptions::default() };
    // The files in the order the export hands them over.
    let mut sink: Vec<meridian_iac::ExportFile> = Vec::new();
    meridian_iac::export_to(&design, catalog, Format::CloudFormation, &options, &mut sink).unwrap();
    let paths: Vec<&str> = sink.iter().map(|f| f.path.as_str()).collect();
    let parent = paths.iter().position(|p| *p == "region-us-east-1.json").unwrap();
    let parts: Vec<usize> =
        paths.iter().enumerate().filter(|(_, p)| p.contains(".part-")).map(|(i, _)| i).collect();
    assert!(!parts.is_empty() && parts.iter().all(|&i| i < parent), "{paths:?}");
    // The same parts as the YAML export, resource for resource.
    let yaml = templates();
    for f in sink.iter().filter(|f| f.path.contains(".part-")) {
        let doc: Value = serde_json::from_str(&f.contents).unwrap();
        let twin = &yaml[&f.path.replace(".json", ".yaml")];
        assert_eq!(
            section(&doc, "Resources").keys().collect::<Vec<_>>(),
            section(twin, "Resources").keys().collect::<Vec<_>>(),
            "{}",
            f.path
        );
    }
}

#[test]
fn the_split_export_imports_back_with_every_service_of_each_kind() {
    let catalog = Catalog::builtin().unwrap();
    let design = generate_shaped(catalog, 1000, Shape::Spread { max_regions: 1 }).unwrap();
    let dir = common::write(bundle());
    // The templates a user deploys: the parents, which name their parts.
    let mut files: Vec<std::path::PathBuf> =
        templates().keys().filter(|p| !p.contains(".part-")).map(|p| dir.path().join(p)).collect();
    files.sort();
    let imported = meridian_iac::import::import_cloudformation(&files, None, catalog).unwrap();
    let kinds = |d: &meridian_model::design::Design| {
        let mut out: BTreeMap<String, usize> = BTreeMap::new();
        for s in d.services() {
            *out.entry(s.kind.as_str().to_owned()).or_default() += 1;
        }
        out
    };
    assert_eq!(kinds(&imported.design), kinds(&design), "skipped: {:?}", imported.skipped.len());
}
