//! The example designs: they validate, `info` summarises each, they are in canonical form, and
//! building each one command by command can be undone to nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use meridian_model::format::{self, DesignFile};
use meridian_model::{Catalog, Command, Design, Editor};
use support::{example_files, meridian, stderr, stdout};

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

#[test]
fn the_required_examples_exist() {
    let names: Vec<String> =
        example_files().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for required in [
        "active-active-2region.ron",
        "active-active-3region-aurora.ron",
        "multi-az-single-region.ron",
        "pilot-light.ron",
        "warm-standby.ron",
        "gdpr-eu-residency.ron",
    ] {
        assert!(names.iter().any(|n| n == required), "examples/{required} is missing");
    }
}

#[test]
fn every_example_validates_and_is_summarised() {
    for path in example_files() {
        let p = path.to_str().unwrap();
        let out = meridian(&["validate", p]);
        assert_eq!(out.status.code(), Some(0), "{p}: {}", stderr(&out));
        assert!(stdout(&out).contains(": ok: "), "{p}");
        let out = meridian(&["info", p]);
        assert_eq!(out.status.code(), Some(0), "{p}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("Regions (") && text.contains("Services (") && text.contains("User populations ("),
            "{text}"
        );
        let out = meridian(&["info", "--json", p]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let loaded = format::load_file(&path, catalog()).unwrap();
        assert_eq!(v["services"].as_array().unwrap().len(), loaded.design.services().len());
        assert_eq!(v["links"].as_u64().unwrap() as usize, loaded.design.links().len());
    }
}

#[test]
fn every_example_has_an_explaining_header_and_is_canonical() {
    for path in example_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = format::load_str(&text, &path, catalog()).unwrap();
        assert!(
            loaded.header.lines().count() >= 3,
            "{}: explain the example in a comment at its top",
            path.display()
        );
        assert_eq!(
            format::to_string(&loaded.design, &loaded.header).unwrap(),
            text,
            "{}: run `meridian fmt`",
            path.display()
        );
    }
    let files: Vec<String> = example_files().iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut args = vec!["fmt", "--check"];
    args.extend(files.iter().map(String::as_str));
    assert_eq!(meridian(&args).status.code(), Some(0));
}

#[test]
fn a_one_field_edit_is_a_one_line_diff() {
    let path = example_files().into_iter().find(|p| p.ends_with("active-active-2region.ron")).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = format::load_str(&text, &path, catalog()).unwrap();
    let mut editor = Editor::new(loaded.design);
    let mut api = editor.design().service(&"api-euw1".into()).unwrap().clone();
    api.config.count = 8;
    editor.apply(catalog(), Command::UpdateService(api)).unwrap();
    let edited = format::to_string(editor.design(), &loaded.header).unwrap();
    let changed: Vec<(&str, &str)> = text.lines().zip(edited.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(text.lines().count(), edited.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].1.trim(), "count: 8,");
}

/// Builds each example from nothing, one command per entity, then takes it apart service by
/// service, then undoes every step: the design must be empty again, and redo must rebuild it.
#[test]
fn building_and_dismantling_every_example_undoes_to_nothing() {
    let catalog = catalog();
    for path in example_files() {
        let file: DesignFile = {
            let loaded = format::load_file(&path, catalog).unwrap();
            format::to_file(&loaded.design)
        };
        let mut editor = Editor::new(Design::new(file.name.clone()));
        let empty = editor.design().clone();
        let mut commands = vec![Command::SetWorkload(file.workload.clone())];
        commands.extend(file.regions.iter().cloned().map(Command::AddRegion));
        commands.extend(file.services.iter().cloned().map(Command::AddService));
        commands.extend(file.links.iter().cloned().map(Command::AddLink));
        commands.extend(file.populations.iter().cloned().map(Command::AddPopulation));
        for c in commands {
            editor.apply(catalog, c).unwrap();
        }
        let built = editor.design().clone();
        assert_eq!(built.links().len(), file.links.len());
        for s in &file.services {
            editor.apply(catalog, Command::RemoveService(s.id.clone())).unwrap();
        }
        assert_eq!(editor.design().links().len(), 0, "removing services removes their links");
        while editor.undo(catalog).unwrap().is_some() {}
        assert_eq!(editor.design(), &empty, "{}", path.display());
        while editor.redo(catalog).unwrap().is_some() {}
        assert_eq!(editor.design().services().len(), 0);
        for _ in &file.services {
            editor.undo(catalog).unwrap();
        }
        assert_eq!(editor.design(), &built, "{}", path.display());
    }
}

#[test]
fn saving_is_atomic_and_keeps_a_backup() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    let src = example_files().into_iter().find(|p| p.ends_with("pilot-light.ron")).unwrap();
    let loaded = format::load_file(&src, catalog).unwrap();
    format::save_file(&loaded.design, &loaded.header, &path).unwrap();
    assert!(!dir.path().join("design.ron.bak").exists(), "no backup of a file that did not exist");
    let first = std::fs::read_to_string(&path).unwrap();
    let mut editor = Editor::new(loaded.design);
    editor.apply(catalog, Command::SetName("Renamed".into())).unwrap();
    format::save_file(editor.design(), &loaded.header, &path).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("design.ron.bak")).unwrap(), first);
    let again = format::load_file(&path, catalog).unwrap();
    assert_eq!(again.design.name(), "Renamed");
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // Saving into a folder that does not exist fails cleanly and writes nothing.
    let bad = dir.path().join("missing/design.ron");
    assert!(format::save_file(editor.design(), "", &bad).is_err());
    assert!(!bad.exists());
}

#[test]
fn a_region_outage_prices_its_incident_from_the_simulation() {
    let out = meridian(&[
        "simulate",
        "examples/active-active-2region.ron",
        "--scenario",
        "region-outage",
        "--runs",
        "2",
        "--json",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let incident = &v["incident_cost"]["incident"];
    let cost = &v["incident_cost"]["cost"];
    assert!(
        (incident["duration_hours"].as_f64().unwrap() - 2.0).abs() < 0.1,
        "the two-hour outage: {incident}"
    );
    assert!(!incident["extra_capacity"].as_array().unwrap().is_empty(), "surviving regions scale up");
    assert!(!incident["extra_transfer"].as_array().unwrap().is_empty(), "writes are copied back");
    let lines = cost["lines"].as_array().unwrap();
    let sum: f64 = lines.iter().map(|l| l["usd_per_month"].as_f64().unwrap()).sum();
    assert!(sum > 0.0);
    assert!(
        (sum - cost["usd_per_incident"].as_f64().unwrap()).abs() < 1e-6,
        "the lines add up to the incident"
    );
    for l in lines {
        let (q, p, usd) = (
            l["quantity"].as_f64().unwrap(),
            l["unit_price_usd"].as_f64().unwrap(),
            l["usd_per_month"].as_f64().unwrap(),
        );
        assert!((q * p - usd).abs() < 1e-9, "{l}");
    }
    // A scheduled scenario gives a cost per incident, not a rate.
    assert_eq!(incident["incidents_per_month"].as_f64(), Some(0.0));
}
