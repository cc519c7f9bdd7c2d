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
