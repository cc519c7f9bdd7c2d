//! A region's container resized by hand (`Command::ResizeRegion`, the file's `region_sizes`
//! section): applied and undone, refused when out of range with the field named, removed with its
//! region and brought back by undo, kept through a save and a load, listed by the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::design::RegionSize;
use meridian_model::diff::DesignDiff;
use meridian_model::format::{load_str, to_string};
use meridian_model::{Command, RegionId, apply};

mod support;

use support::{catalog, reference};

#[test]
fn a_size_is_applied_undone_and_refused_out_of_range() {
    let mut d = reference();
    let before = d.clone();
    let r = RegionId::new("us-east-1");
    let size = RegionSize { width: 900, height: 420 };
    let undo = apply(&mut d, catalog(), Command::ResizeRegion(r.clone(), Some(size))).expect("resizes");
    assert_eq!(d.region_sizes().get(&r), Some(&size));
    assert_eq!(undo, Command::ResizeRegion(r.clone(), None));
    apply(&mut d, catalog(), undo).expect("undoes");
    assert_eq!(d, before);

    for (bad, field) in [
        (RegionSize { width: 0, height: 420 }, "width"),
        (RegionSize { width: 900, height: RegionSize::MAX_SIDE + 1 }, "height"),
    ] {
        let err = apply(&mut d, catalog(), Command::ResizeRegion(r.clone(), Some(bad))).unwrap_err();
        assert_eq!(err.field, field, "{err:?}");
        assert!(err.message.contains(field), "{}", err.message);
        assert_eq!(d, before, "a refused size changes nothing");
    }
    let missing = apply(&mut d, catalog(), Command::ResizeRegion(RegionId::new("ap-south-1"), Some(size)));
    assert!(missing.unwrap_err().message.contains("not in the design"));
}

#[test]
fn removing_a_region_removes_its_size_and_undo_brings_it_back() {
    let mut d = reference();
    let r = RegionId::new("eu-west-1");
    apply(&mut d, catalog(), Command::ResizeRegion(r.clone(), Some(RegionSize { width: 800, height: 500 })))
        .expect("resizes");
    let sized = d.clone();
    let undo = apply(&mut d, catalog(), Command::RemoveRegion(r.clone())).expect("removes");
    assert!(d.region_sizes().is_empty());
    apply(&mut d, catalog(), undo).expect("undoes");
    assert_eq!(d, sized);
}

#[test]
fn sizes_survive_a_save_and_a_load_and_a_bad_one_is_located() {
    let mut d = reference();
    let r = RegionId::new("us-east-1");
    apply(&mut d, catalog(), Command::ResizeRegion(r.clone(), Some(RegionSize { width: 910, height: 330 })))
        .expect("resizes");
    let text = to_string(&d, "").expect("writes");
    assert!(text.contains("region_sizes: {"), "{text}");
    let back = load_str(&text, Path::new("sized.ron"), catalog()).expect("reloads").design;
    assert_eq!(back, d);
    let diff = DesignDiff::between(&reference(), &d);
    let change = &diff.changes[0];
    let size = change.fields.iter().find(|f| f.field == "size").expect("the diff lists the size");
    assert_eq!(size.after.as_deref(), Some("910 x 330"));

    let bad = text.replace("width: 910", "width: 0");
    let err = load_str(&bad, Path::new("bad.ron"), catalog()).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("region_sizes.us-east-1.width"), "{err}");
    assert!(err.line > 0, "located: {err}");
}
