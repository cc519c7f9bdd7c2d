//! File > Import infrastructure code…: the designer reads an exported Terraform folder and a
//! sample-shaped template into a new, unsaved design, and shows what was skipped, driven by
//! accessible labels (egui_kittest).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::{AppConfig, MeridianApp, Preferences};
use meridian_model::Catalog;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn harness() -> Harness<'static, MeridianApp> {
    let app = MeridianApp::new(
        Catalog::builtin().unwrap(),
        AppConfig { open: None, recovery: None, native_dialogs: false },
        &Preferences::default(),
    );
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

/// File > Import infrastructure code…, then the path typed into the prompt.
fn import(h: &mut Harness<'_, MeridianApp>, path: &Path) {
    h.get_by_label("File").click();
    h.run_steps(3);
    h.get_by_label_contains("Import infrastructure code").click();
    h.run_steps(2);
    h.get_by_label("File path").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("File path").type_text(path.to_str().unwrap());
    h.run_steps(1);
    h.get_by_label("Import").click();
    h.run_steps(3);
}

#[test]
fn an_exported_terraform_folder_opens_as_a_new_unsaved_design() {
    let catalog = Catalog::builtin().unwrap();
    let design =
        meridian_model::format::load_file(&root().join("examples/active-active-2region.ron"), catalog)
            .unwrap()
            .design;
    let bundle = meridian_iac::export(
        &design,
        catalog,
        meridian_iac::Format::Terraform,
        &meridian_iac::ExportOptions::default(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for f in &bundle.files {
        let p = dir.path().join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, f.bytes()).unwrap();
    }
    let mut h = harness();
    import(&mut h, dir.path());
    let d = h.state().design();
    assert_eq!(d.services().len(), 12, "{:?}", h.state().message());
    assert_eq!(d.links().len(), 14);
    assert!(h.state().editor().is_dirty(), "an imported design is unsaved");
    assert!(h.state().import_report().is_none(), "nothing skipped, no dialog");
}

#[test]
fn what_was_skipped_is_shown_in_a_dialog() {
    // The region comes from the file name, as with the command line.
    let dir = tempfile::tempdir().unwrap();
    let samples = root().join("iac/tests/import/cfn");
    std::fs::copy(samples.join("web-stack.yaml"), dir.path().join("web-stack.eu-west-1.yaml")).unwrap();
    std::fs::copy(samples.join("database.yaml"), dir.path().join("database.yaml")).unwrap();
    let mut h = harness();
    import(&mut h, &dir.path().join("web-stack.eu-west-1.yaml"));
    assert!(h.state().design().services().len() >= 4, "{:?}", h.state().message());
    h.get_by_label("Imported with warnings");
    h.get_by_label_contains("WebACL: resource type AWS::WAFv2::WebACL is not a service kind");
    let lines = h.state().import_report().unwrap().to_vec();
    assert!(lines.iter().any(|l| l.starts_with("MonitoringStack: nested stack's TemplateURL")), "{lines:#?}");
    h.get_by_label("OK").click();
    h.run_steps(2);
    assert!(h.state().import_report().is_none());
}
