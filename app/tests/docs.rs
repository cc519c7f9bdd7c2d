//! The complete example in `docs/file-format.md` loads, so the format documentation stays true.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::Path;

use meridian_model::{Catalog, format};
use support::workspace_root;

#[test]
fn the_documented_complete_example_loads() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/file-format.md")).unwrap();
    let section = doc.split("## A complete example").nth(1).expect("the section exists");
    let block = section.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let loaded = format::load_str(block, Path::new("docs/file-format.md"), Catalog::builtin().unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.design.services().len(), 7);
    assert_eq!(loaded.design.links().len(), 7);
}

#[test]
fn the_documented_service_fields_are_all_accepted() {
    // The Service example in the doc uses every field; wrap it in a design and load it.
    let doc = std::fs::read_to_string(workspace_root().join("docs/file-format.md")).unwrap();
    let section = doc.split("### Service").nth(1).unwrap();
    let service = section.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let text = format!(
        "Design(version: 1, name: \"doc\", regions: [Region(id: \"us-east-1\", azs: [\"use1-az1\", \"use1-az2\"])], services: [{service}])"
    );
    format::load_str(&text, Path::new("doc.ron"), Catalog::builtin().unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_documented_scaling_block_is_accepted_on_compute_and_refused_on_a_database() {
    // The Scaling example of "Scaling and standby", on an ECS service (which scales by tasks) and
    // on an Aurora cluster (which the catalog says does not scale by units: a located refusal).
    let doc = std::fs::read_to_string(workspace_root().join("docs/file-format.md")).unwrap();
    let section = doc.split("### Scaling and standby").nth(1).unwrap();
    let scaling = section.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let design = |kind: &str| {
        format!(
            "Design(version: 1, name: \"doc\", regions: [Region(id: \"us-east-1\", azs: [\"use1-az1\"])], \
             services: [Service(id: \"s\", name: \"S\", kind: \"{kind}\", placement: Region(\"us-east-1\"), \
             config: ServiceConfig(count: 2, {scaling}))])"
        )
    };
    let catalog = Catalog::builtin().unwrap();
    let loaded = format::load_str(&design("ecs-fargate"), Path::new("doc.ron"), catalog)
        .unwrap_or_else(|e| panic!("{e}"));
    let s = loaded.design.services().next().unwrap();
    assert_eq!(s.config.scaling.as_ref().map(|x| x.max), Some(30));
    let err = format::load_str(&design("aurora"), Path::new("doc.ron"), catalog).unwrap_err();
    assert!(err.to_string().contains("config.scaling"), "{err}");
}

#[test]
fn the_documented_cache_service_loads_with_its_hit_ratio() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/file-format.md")).unwrap();
    let section = doc.split("### Caches").nth(1).unwrap();
    let service = section.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let text = format!(
        "Design(version: 1, name: \"doc\", regions: [Region(id: \"us-east-1\", azs: [\"use1-az1\", \"use1-az2\"])], services: [{service}])"
    );
    let catalog = Catalog::builtin().unwrap();
    let design =
        format::load_str(&text, Path::new("doc.ron"), catalog).unwrap_or_else(|e| panic!("{e}")).design;
    let cdn = design.services().next().unwrap();
    assert_eq!(meridian_model::latency::hit_ratio(catalog, cdn), Some(0.9));
}

#[test]
fn the_documented_resilience_and_consistency_fields_are_accepted() {
    // The Resilience section and the consistency-mode links of the doc, in a design that holds them.
    let doc = std::fs::read_to_string(workspace_root().join("docs/file-format.md")).unwrap();
    let resilience = doc.split("### Resilience").nth(1).unwrap();
    let resilience = resilience.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let modes = doc.split("Two optional fields declare consistency modes").nth(1).unwrap();
    let modes = modes.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let links: Vec<&str> = modes.split("\n\n").collect();
    let region = |id: &str, az: &str| format!("Region(id: \"{id}\", azs: [\"{az}-az1\", \"{az}-az2\"])");
    let service = |id: &str, kind: &str, r: &str| {
        format!(
            "Service(id: \"{id}\", name: \"{id}\", kind: \"{kind}\", placement: Region(\"{r}\"), config: ServiceConfig(count: 1))"
        )
    };
    let text = format!(
        "Design(version: 1, name: \"doc\", {resilience}, regions: [{}, {}, {}, {}], services: [{}, {}, {}, {}], links: [{}, {}])",
        region("us-east-1", "use1"),
        region("us-east-2", "use2"),
        region("us-west-2", "usw2"),
        region("eu-west-1", "euw1"),
        service("orders-use1", "dynamodb", "us-east-1"),
        service("orders-use2", "dynamodb", "us-east-2"),
        service("db-use1", "aurora", "us-east-1"),
        service("db-euw1", "aurora", "eu-west-1"),
        links[0].lines().filter(|l| !l.trim_start().starts_with("//")).collect::<String>(),
        links[1].lines().filter(|l| !l.trim_start().starts_with("//")).collect::<String>(),
    );
    let loaded = format::load_str(&text, Path::new("doc.ron"), Catalog::builtin().unwrap())
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(loaded.design.resilience().repair_crews, Some(2));
    assert!(
        meridian_model::validate::validate(&loaded.design, Catalog::builtin().unwrap())
            .iter()
            .all(|p| !p.message.contains("AWS refuses"))
    );
}
