//! A link's waypoints (`Command::SetWaypoints`, the file's `waypoints` section): applied and
//! undone, refused past the bounds with the field named, removed with the link or a service it
//! joins and brought back by undo, kept through a save and a load, listed by the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::design::Waypoint;
use meridian_model::diff::DesignDiff;
use meridian_model::format::{load_str, to_string};
use meridian_model::{Command, Design, LinkId, ServiceId, apply};

mod support;

use support::{catalog, reference};

fn routed() -> (Design, LinkId, Vec<Waypoint>) {
    let mut d = reference();
    let link = LinkId::new("alb-api-euw1");
    let points = vec![Waypoint { x: 980, y: 200 }, Waypoint { x: 1100, y: 260 }];
    apply(&mut d, catalog(), Command::SetWaypoints(link.clone(), points.clone())).expect("routes");
    (d, link, points)
}

#[test]
fn waypoints_are_set_undone_and_refused_past_their_bounds() {
    let before = reference();
    let (mut d, link, points) = routed();
    assert_eq!(d.waypoints().get(&link), Some(&points));
    let undo = apply(&mut d, catalog(), Command::SetWaypoints(link.clone(), Vec::new())).expect("clears");
    assert_eq!(d, before);
    assert_eq!(undo, Command::SetWaypoints(link.clone(), points));

    let far = vec![Waypoint { x: Waypoint::MAX_COORD + 1, y: 0 }];
    let many = vec![Waypoint { x: 0, y: 0 }; Waypoint::MAX_PER_LINK + 1];
    for bad in [far, many] {
        let err = apply(&mut d, catalog(), Command::SetWaypoints(link.clone(), bad)).unwrap_err();
        assert_eq!(err.field, "waypoints", "{err:?}");
        assert_eq!(d, before, "a refused route changes nothing");
    }
    let missing = apply(&mut d, catalog(), Command::SetWaypoints(LinkId::new("nope"), vec![]));
    assert!(missing.unwrap_err().message.contains("not in the design"));
}

#[test]
fn removing_the_link_or_its_service_removes_its_waypoints_and_undo_brings_them_back() {
    let (routed, link, _) = routed();
    for remove in [Command::RemoveLink(link.clone()), Command::RemoveService(ServiceId::new("api-euw1"))] {
        let mut d = routed.clone();
        let undo = apply(&mut d, catalog(), remove).expect("removes");
        assert!(d.waypoints().is_empty());
        apply(&mut d, catalog(), undo).expect("undoes");
        assert_eq!(d, routed);
    }
}

#[test]
fn waypoints_survive_a_save_and_a_load_and_the_diff_lists_them() {
    let (d, link, _) = routed();
    let text = to_string(&d, "").expect("writes");
    assert!(text.contains("waypoints: {"), "{text}");
    let back = load_str(&text, Path::new("routed.ron"), catalog()).expect("reloads").design;
    assert_eq!(back, d);
    let diff = DesignDiff::between(&reference(), &d);
    let change = diff.changes.iter().find(|c| c.id == link.as_str()).expect("the link changed");
    let field = change.fields.iter().find(|f| f.field == "waypoints").expect("listed");
    assert_eq!(field.after.as_deref(), Some("(980, 200) (1100, 260)"));

    let bad = text.replace("x: 980", "x: 2000000");
    let err = load_str(&bad, Path::new("bad.ron"), catalog()).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("waypoints.alb-api-euw1.waypoints"), "{err}");
}
