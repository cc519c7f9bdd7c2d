//! Every call the design can draw, exported and imported back: for each (caller kind, callee
//! kind) pair of the catalog (a dependency may join any two services), a two-service design in
//! one region and in two regions is exported in both formats and imported; the link comes back
//! exactly when `meridian_iac::calls::untraced` gives no reason, and is absent when it gives one
//! (so each stated reason is checked to be true, and each written trace to be read back).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files")]
mod common;

use meridian_iac::calls::untraced;
use meridian_iac::{ExportOptions, Format, export};
use meridian_model::catalog::Catalog;
use meridian_model::design::{Dependency, Design, Link, LinkKind};
use meridian_model::edit::{add_region, add_service};
use meridian_model::{Command, LinkId, RegionId, ServiceKind, apply};

/// A design of a `from` service calling a `to` service, in one region or (`cross`) two.
fn pair(catalog: &Catalog, from: ServiceKind, to: ServiceKind, cross: bool) -> Design {
    let mut design = Design::new("pair");
    let (home, away) = (RegionId::new("us-east-1"), RegionId::new("us-west-2"));
    for region in [&home, &away] {
        apply(&mut design, catalog, add_region(catalog, region.as_str()).unwrap()).unwrap();
    }
    let (add, source) = add_service(&design, catalog, from, Some(&home)).unwrap();
    apply(&mut design, catalog, add).unwrap();
    let (add, target) = add_service(&design, catalog, to, Some(if cross { &away } else { &home })).unwrap();
    apply(&mut design, catalog, add).unwrap();
    let kind = LinkKind::Dependency(Dependency { calls_per_request: 1.0, required: true });
    let link = Link { id: LinkId::new("call"), from: source, to: target, kind };
    apply(&mut design, catalog, Command::AddLink(link)).unwrap();
    design
}

/// Whether the import of `design`'s export in `format` has a link between services of the two kinds.
fn survives(design: &Design, format: Format) -> bool {
    let catalog = Catalog::builtin().unwrap();
    let bundle = export(design, catalog, format, &ExportOptions::default()).unwrap();
    let dir = common::write(&bundle);
    let imported = common::import_back(&bundle, dir.path(), format);
    let kind = |d: &Design, id| d.service(id).map(|s| s.kind);
    let l = design.links().next().unwrap();
    let (fk, tk) = (kind(design, &l.from), kind(design, &l.to));
    let got = &imported.design;
    got.links().any(|m| kind(got, &m.from) == fk && kind(got, &m.to) == tk)
}

#[test]
fn every_call_is_written_and_read_back_or_has_a_true_reason() {
    let catalog = Catalog::builtin().unwrap();
    let mut wrong = Vec::new();
    let mut traced = 0;
    for cross in [false, true] {
        for from in ServiceKind::ALL {
            for to in ServiceKind::ALL {
                let d = pair(catalog, from, to, cross);
                let l = d.links().next().unwrap();
                let same = d.region_of(&l.from) == d.region_of(&l.to);
                let reason = untraced(from, to, same);
                traced += usize::from(reason.is_none());
                for format in [Format::CloudFormation, Format::Terraform] {
                    if survives(&d, format) != reason.is_none() {
                        wrong.push(format!(
                            "{from} -> {to} (same region: {same}, {format:?}): reason {reason:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} pairs disagree with calls::untraced:\n{}", wrong.len(), wrong.join("\n"));
    // Functions are invoked by containers, instances, functions, queues, topics, buses, APIs and
    // state machines of their region.
    for from in [
        ServiceKind::Lambda,
        ServiceKind::EcsFargate,
        ServiceKind::Ec2Asg,
        ServiceKind::Sqs,
        ServiceKind::Sns,
        ServiceKind::EventBridge,
        ServiceKind::ApiGateway,
        ServiceKind::StepFunctions,
    ] {
        assert_eq!(untraced(from, ServiceKind::Lambda, true), None, "{from} -> lambda");
    }
    eprintln!("{traced} of {} (caller, callee, same region) cases are written", 2 * 31 * 31);
}
