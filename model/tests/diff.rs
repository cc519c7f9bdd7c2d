//! The structural diff on the reference design: nothing for the same design or a reformatted
//! file, fields by path with old and new values, added and removed entities by id, moves of
//! canvas cards as fields, and waivers by rule and entity.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::design::{CardSpot, Waiver};
use meridian_model::diff::{DesignDiff, Section, Status};
use meridian_model::format::to_string;
use meridian_model::{Command, EntityRef, LinkId, ServiceId, apply};

mod support;

use support::{catalog, reference};

#[test]
fn a_design_and_its_rewritten_file_do_not_differ() {
    let d = reference();
    assert!(DesignDiff::between(&d, &d).is_empty());
    let text = to_string(&d, "").expect("writes");
    let again = meridian_model::format::load_str(&text, Path::new("again.ron"), catalog()).expect("reloads");
    assert!(DesignDiff::between(&d, &again.design).is_empty());
    assert_eq!(DesignDiff::between(&d, &d).summary(), "no changes");
}

#[test]
fn changed_fields_are_listed_by_path_with_both_values() {
    let before = reference();
    let mut after = before.clone();
    let mut api = after.service(&ServiceId::new("api-use1")).expect("api").clone();
    api.config.count = 12;
    api.tags.insert("cost-centre".into(), "42".into());
    api.tags.remove("team");
    apply(&mut after, catalog(), Command::UpdateService(api)).expect("applies");
    apply(
        &mut after,
        catalog(),
        Command::PlaceCard(ServiceId::new("api-use1"), Some(CardSpot { x: 40, y: 60 })),
    )
    .expect("places");
    let diff = DesignDiff::between(&before, &after);
    assert_eq!(diff.changes.len(), 1, "{diff:?}");
    let c = &diff.changes[0];
    assert_eq!((c.section, c.status, c.id.as_str()), (Section::Services, Status::Changed, "api-use1"));
    assert_eq!(c.entity, Some(EntityRef::Service(ServiceId::new("api-use1"))));
    let field = |p: &str| c.fields.iter().find(|f| f.field == p).unwrap_or_else(|| panic!("no {p}: {c:?}"));
    assert_eq!(
        (field("config.count").before.as_deref(), field("config.count").after.as_deref()),
        (Some("15"), Some("12"))
    );
    assert_eq!(field("tags.team").after, None);
    assert_eq!(
        (field("tags.cost-centre").before.as_deref(), field("tags.cost-centre").after.as_deref()),
        (None, Some("42"))
    );
    assert_eq!(field("card").after.as_deref(), Some("x 40, y 60"));
    assert_eq!(c.fields.len(), 4, "{c:?}");
    assert_eq!(diff.summary(), "1 service changed");
}

#[test]
fn removed_and_added_entities_are_listed_by_id_with_their_fields() {
    let before = reference();
    let mut after = before.clone();
    apply(&mut after, catalog(), Command::RemoveLink(LinkId::new("assets-repl"))).expect("removes");
    let mut cache = after.service(&ServiceId::new("cache-euw1")).expect("cache").clone();
    cache.id = ServiceId::new("cache2-euw1");
    apply(&mut after, catalog(), Command::AddService(cache)).expect("adds");
    let waiver = Waiver {
        rule: "gdpr-strict/eu-residency".into(),
        entity: EntityRef::Service(ServiceId::new("cache2-euw1")),
        justification: "reviewed".into(),
    };
    apply(&mut after, catalog(), Command::AddWaiver(waiver)).expect("waives");
    let diff = DesignDiff::between(&before, &after);
    assert_eq!(diff.count(Section::Links, Status::Removed), 1);
    assert_eq!(diff.count(Section::Services, Status::Added), 1);
    assert_eq!(diff.count(Section::Waivers, Status::Added), 1);
    assert_eq!(diff.status_of(&EntityRef::Link(LinkId::new("assets-repl"))), Some(Status::Removed));
    let added = diff.changes.iter().find(|c| c.id == "cache2-euw1").expect("added");
    assert!(added.fields.iter().all(|f| f.before.is_none() && f.after.is_some()));
    assert!(
        added.fields.iter().any(|f| f.field == "kind" && f.after.as_deref() == Some("elasticache")),
        "{added:?}"
    );
    assert_eq!(diff.summary(), "1 service added, 1 link removed, 1 waiver added");
}
