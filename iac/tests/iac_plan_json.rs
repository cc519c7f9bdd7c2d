//! `meridian import terraform PLAN.json` on a real plan: `iac/tests/fixtures/plan-multi-az-single-region.json`
//! is `terraform show -json` of a `terraform plan` of the Terraform export of
//! `examples/multi-az-single-region.ron` against a local moto server, made by
//! `scripts/make-plan-fixture.sh` (not by hand). Importing it gives the same design as importing
//! the exported `.tf` folder: the same services (kind, region, count) and links (kind and ends).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files")]
mod common;

use meridian_iac::Format;
use meridian_iac::import::import_terraform;
use meridian_model::catalog::Catalog;
use meridian_model::design::Design;

/// Services as (kind, placement, count) and links as (kind, from's kind, to's kind), sorted.
fn shape(d: &Design) -> (Vec<String>, Vec<String>) {
    let mut services: Vec<String> =
        d.services().map(|s| format!("{} {:?} x{}", s.kind, s.placement, s.config.count)).collect();
    let kind = |id| d.service(id).map(|s| s.kind.to_string()).unwrap_or_default();
    let mut links: Vec<String> =
        d.links().map(|l| format!("{:?}: {} -> {}", l.kind.tag(), kind(&l.from), kind(&l.to))).collect();
    services.sort();
    links.sort();
    (services, links)
}

#[test]
fn a_real_plan_imports_as_the_module_it_was_planned_from() {
    let catalog = Catalog::builtin().unwrap();
    let fixture = common::root().join("iac/tests/fixtures/plan-multi-az-single-region.json");
    let from_plan = import_terraform(&fixture, catalog).unwrap();
    let example = common::root().join("examples/multi-az-single-region.ron");
    let bundle = common::export_example(&example, &[], Format::Terraform);
    let dir = common::write(&bundle);
    let from_tf = import_terraform(dir.path(), catalog).unwrap();
    let (plan_services, plan_links) = shape(&from_plan.design);
    let (tf_services, tf_links) = shape(&from_tf.design);
    assert!(!plan_services.is_empty() && !plan_links.is_empty(), "{:#?}", from_plan.skipped);
    assert_eq!(
        plan_services, tf_services,
        "services: plan vs .tf\nskipped from the plan: {:#?}",
        from_plan.skipped
    );
    assert_eq!(plan_links, tf_links, "links: plan vs .tf\nskipped from the plan: {:#?}", from_plan.skipped);
    // And the original design's services come back from the plan.
    let original = meridian_model::format::load_file(&example, catalog).unwrap().design;
    assert_eq!(shape(&original).0, plan_services, "services: example vs plan");
}
