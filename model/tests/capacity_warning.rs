//! A service that cannot serve its steady, all-healthy load is named in the problems list with
//! the figures, the same ones the simulator then shows as refused requests: the GDPR examples once
//! ran Frankfurt's API at 4 tasks for 1,500 requests/s and showed 53% availability with nothing down.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::format::load_str;
use meridian_model::validate::validate;

use meridian_model::Catalog;

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

fn workspace_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The GDPR example with Frankfurt's API set to `config` in place of its own `ServiceConfig`.
fn gdpr_with(config: &str) -> Vec<String> {
    let text = std::fs::read_to_string(workspace_root().join("examples/gdpr-eu-residency.ron")).unwrap();
    let at = text.find("id: \"api-euc1\"").unwrap();
    let start = at + text[at..].find("config: ServiceConfig(").unwrap();
    let end = start + text[start..].find("),").unwrap() + 2;
    let edited = format!("{}config: {config},{}", &text[..start], &text[end..]);
    let loaded = load_str(&edited, Path::new("gdpr.ron"), catalog()).unwrap();
    validate(&loaded.design, catalog()).into_iter().map(|p| p.message).collect()
}

fn over(messages: &[String]) -> Vec<&String> {
    messages.iter().filter(|m| m.contains("with nothing down")).collect()
}

#[test]
fn an_api_short_of_its_steady_load_is_named_with_the_figures() {
    // Latency routing sends all 1,500 requests/s of the users near Stuttgart to Frankfurt.
    let messages = gdpr_with("ServiceConfig(count: 4, vcpu: 1.0, memory_gib: 2.0)");
    let found = over(&messages);
    assert_eq!(found.len(), 1, "{messages:#?}");
    let m = found[0];
    for part in [
        "Customer API (Frankfurt)",
        "1,500 requests/s",
        "its 4 tasks serve at most 800",
        "200 requests/s each",
        "about 47%",
        "run at least 8",
    ] {
        assert!(m.contains(part), "{part:?} missing from {m}");
    }
}

#[test]
fn enough_units_scaling_or_a_stated_capacity_clear_it() {
    assert!(over(&gdpr_with("ServiceConfig(count: 8, vcpu: 1.0, memory_gib: 2.0)")).is_empty());
    assert!(over(&gdpr_with("ServiceConfig(count: 4, capacity_rps: 1600.0)")).is_empty());
    assert!(over(&gdpr_with("ServiceConfig(count: 4, scaling: Scaling(max: 8))")).is_empty());
    // A scaling maximum still short of the load is named as the limit.
    let short = gdpr_with("ServiceConfig(count: 4, scaling: Scaling(max: 6))");
    let found = over(&short);
    assert_eq!(found.len(), 1, "{short:#?}");
    assert!(found[0].contains("its scaling maximum of 6 tasks serve at most 1,200"), "{}", found[0]);
    // A stated capacity that is too small is quoted as the design's.
    let stated = gdpr_with("ServiceConfig(count: 4, capacity_rps: 1000.0)");
    assert!(over(&stated)[0].contains("as its capacity_rps states"), "{stated:#?}");
}

#[test]
fn no_bundled_example_is_short_of_capacity_with_nothing_down() {
    for entry in std::fs::read_dir(workspace_root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).unwrap();
            let d = load_str(&text, &path, catalog()).unwrap().design;
            let messages: Vec<String> = validate(&d, catalog()).into_iter().map(|p| p.message).collect();
            assert!(over(&messages).is_empty(), "{}: {messages:#?}", path.display());
        }
    }
}
