//! Tags follow AWS's rules wherever they are written (the file, the designer's commands): a key or
//! value with the `aws:` prefix and two keys the export would write alike are refused, naming the
//! tag; characters some services refuse are a warning that says what the export writes instead.
//! Before, such tags loaded silently and the export rewrote them, dropping one of two colliding
//! keys (CloudFormation's tag map) or listing the same key twice (a tag list AWS refuses).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use meridian_model::validate::validate;
use meridian_model::{Command, EntityRef, ServiceId, apply};

use support::{catalog, reference};

/// Applies the reference design's `api-use1` with `tags`, as the designer's inspector does.
fn with_tags(tags: &[(&str, &str)]) -> Result<meridian_model::Design, meridian_model::CommandError> {
    let mut design = reference();
    let mut api = design.service(&ServiceId::new("api-use1")).expect("api").clone();
    api.tags = tags.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    apply(&mut design, catalog(), Command::UpdateService(api))?;
    Ok(design)
}

fn tag_warnings(design: &meridian_model::Design) -> Vec<(Option<String>, String)> {
    validate(design, catalog())
        .into_iter()
        .filter(|p| {
            p.entity == EntityRef::Service(ServiceId::new("api-use1")) && p.message.starts_with("tag ")
        })
        .map(|p| (p.field, p.message))
        .collect()
}

#[test]
fn the_reserved_prefix_is_refused_in_keys_and_values_in_any_case() {
    for (k, v) in [("aws:team", "x"), ("AWS:team", "x"), ("team", "Aws:orders")] {
        let e = with_tags(&[(k, v)]).expect_err(k);
        assert!(e.message.contains("AWS keeps the `aws:` prefix for its own tags"), "{e}");
        assert_eq!(e.field, format!("tags.{k}"));
    }
    // Not a prefix: accepted.
    with_tags(&[("team-aws:x", "my aws: value")]).expect("accepted");
}

#[test]
fn keys_the_export_would_write_alike_are_refused_naming_both() {
    let e = with_tags(&[("cost;centre", "a"), ("cost'centre", "b")]).expect_err("collide");
    assert!(
        e.message
            .contains("tag keys `cost'centre` and `cost;centre` would both be exported as `cost-centre`"),
        "{e}"
    );
    // Keys that differ once written are kept, and case is significant in AWS tags.
    with_tags(&[("cost;centre", "a"), ("cost-centre2", "b"), ("Team", "c"), ("team", "d")])
        .expect("distinct");
}

#[test]
fn characters_some_services_refuse_are_a_warning_naming_them_and_the_tag() {
    let design = with_tags(&[("owner", "Jane O'Brien; ops"), ("team", "orders"), ("a.b", "x$")]).unwrap();
    let found = tag_warnings(&design);
    assert_eq!(found.len(), 2, "{found:#?}");
    // `a.b` cannot be followed as a path, so it names the tags map.
    assert_eq!(found[0].0.as_deref(), Some("tags"));
    assert!(found[0].1.contains("tag `a.b` holds the character $,"), "{}", found[0].1);
    assert_eq!(found[1].0.as_deref(), Some("tags.owner"));
    assert!(
        found[1].1.contains("tag `owner` holds the characters ' ;, which not every AWS service takes")
            && found[1].1.ends_with("the export writes `-` for each"),
        "{}",
        found[1].1
    );
    // Letters of any script, numbers, spaces and AWS's punctuation give no warning.
    let clean = with_tags(&[("équipe", "Zürich ops: a+b=c/d@e_f.g-h")]).unwrap();
    assert!(tag_warnings(&clean).is_empty());
}
