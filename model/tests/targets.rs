//! The `targets` section: loaded and written (version 2), version 1 files upgraded, bad values
//! refused at their line and field, edits undoable, and a removed population taking its targets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::format::{CURRENT_VERSION, load_str, to_string};
use meridian_model::targets::{AvailabilityTarget, Disruption, RecoveryTarget, Targets};
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, Editor, PopulationId, apply};

const V1: &str = r#"// a version 1 file
Design(
    version: 1,
    name: "t",
    regions: [(id: "eu-west-1", azs: ["euw1-az1"])],
    populations: [(
        id: "eu", name: "Europe", location: (lat: 50.0, lon: 8.0), continent: Europe,
        requests_per_sec: 10.0, write_fraction: 0.1, request_kb: 1.0, response_kb: 4.0,
    )],
)
"#;

fn catalog() -> &'static Catalog {
    Catalog::builtin().expect("catalog")
}

fn with_targets(targets: &str) -> String {
    V1.replace("version: 1,", "version: 2,")
        .replace("    regions:", &format!("    targets: {targets},\n    regions:"))
}

#[test]
fn a_version_1_file_loads_and_is_written_as_version_2_with_its_targets() {
    let loaded = load_str(V1, Path::new("v1.ron"), catalog()).expect("v1 loads");
    assert!(loaded.design.targets().is_empty());
    let text = to_string(&loaded.design, &loaded.header).expect("writes");
    assert!(text.starts_with("// a version 1 file\nDesign(\n    version: 2,"), "{text}");
    assert_eq!(CURRENT_VERSION, 2);
    let v2 = with_targets(
        r#"(availability: [(population: "eu", requests: 99.95, time: 99.9)], recovery: [(disruption: Region, rto: "15m", rpo: "1m")], latency: [(population: "eu", normal_p99_ms: 150, incident_p99_ms: 400)], monthly_cost_ceiling_usd: 2500)"#,
    );
    let loaded = load_str(&v2, Path::new("v2.ron"), catalog()).expect("v2 loads");
    let t = loaded.design.targets();
    assert_eq!(t.count(), 7);
    assert_eq!(t.availability[0].requests, Some(99.95));
    assert_eq!(t.recovery_for(Disruption::Region).and_then(|r| r.rto), Some(TimeSpan::from_secs(900)));
    let again = to_string(&loaded.design, &loaded.header).expect("writes");
    assert_eq!(load_str(&again, Path::new("again.ron"), catalog()).expect("reloads").design, loaded.design);
    assert!(
        again.contains("targets: Targets(\n        availability: [\n            AvailabilityTarget("),
        "{again}"
    );
}

#[test]
fn bad_targets_are_refused_at_their_line_and_field() {
    let bad = with_targets(r#"(availability: [(population: "asia", requests: 99.9)])"#);
    let err = load_str(&bad, Path::new("bad.ron"), catalog()).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("targets.availability[0].population"));
    assert_eq!(err.line, 5, "{err}");
    assert!(err.to_string().contains("population `asia` is not in the design (populations: eu)"), "{err}");
    let fraction = with_targets(r"(availability: [(time: 0.999)])");
    let err = load_str(&fraction, Path::new("bad.ron"), catalog()).unwrap_err();
    assert!(err.message.contains("write 99.9"), "{err}");
    let kind = with_targets(r#"(recovery: [(disruption: Continent, rto: "1h")])"#);
    let err = load_str(&kind, Path::new("bad.ron"), catalog()).unwrap_err();
    assert!(err.message.contains("Continent"), "{err}");
}

#[test]
fn targets_are_edited_by_a_command_and_go_with_their_population() {
    let mut design = load_str(V1, Path::new("v1.ron"), catalog()).expect("loads").design;
    let eu = PopulationId::new("eu");
    let targets = Targets {
        availability: vec![AvailabilityTarget {
            population: Some(eu.clone()),
            requests: Some(99.9),
            time: None,
        }],
        recovery: vec![RecoveryTarget {
            disruption: Disruption::Az,
            rto: Some(TimeSpan::from_secs(60)),
            rpo: None,
        }],
        ..Targets::default()
    };
    let mut editor = Editor::new(design.clone());
    editor.apply(catalog(), Command::SetTargets(targets.clone())).expect("applies");
    assert_eq!(editor.design().targets(), &targets);
    editor.undo(catalog()).expect("undoes");
    assert!(editor.design().targets().is_empty());

    apply(&mut design, catalog(), Command::SetTargets(targets.clone())).expect("applies");
    let undo = apply(&mut design, catalog(), Command::RemovePopulation(eu)).expect("removes");
    assert!(design.targets().availability.is_empty(), "the population's SLO goes with it");
    assert_eq!(design.targets().recovery, targets.recovery, "targets of no population stay");
    apply(&mut design, catalog(), undo).expect("undoes");
    assert_eq!(design.targets(), &targets);
}
