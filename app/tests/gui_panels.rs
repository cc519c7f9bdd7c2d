//! The designer's analysis panels and crash recovery, driven through the real app: the cost and
//! data-law tabs follow every edit, a simulation runs in the background and its timeline shows on
//! the canvas, and autosaved work is offered back after a crash.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::{example, harness_with};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::export_dialog::ExportDialog;
use meridian::gui::panels::Tab;
use meridian::gui::{AppConfig, MeridianApp};
use meridian_model::{Catalog, Command, EntityRef, ServiceId, format};

#[test]
fn the_cost_tab_follows_every_edit() {
    let mut h = harness("active-active-2region.ron");
    h.get_by_label_contains("Cost ($").click();
    h.run_steps(2);
    let before = h.state().analysis().bill.as_ref().unwrap().total_usd_per_month;
    h.get_by_label_contains("prices as of");
    h.get_by_label("Largest line items");
    // Double the Irish API's tasks: the bill grows, and the tab shows the new total.
    let mut api = h.state().design().service(&ServiceId::new("api-euw1")).unwrap().clone();
    api.config.count *= 2;
    assert!(h.state_mut().apply(Command::UpdateService(api)));
    h.run_steps(2);
    let after = h.state().analysis().bill.as_ref().unwrap().total_usd_per_month;
    assert!(after > before, "{after} > {before}");
    // The heading shows the new total as "$7,958 / month" and the tab as "Cost ($7958/mo)".
    let digits = (after.round() as i64).to_string();
    let (thousands, rest) = digits.split_at(digits.len() - 3);
    h.get_by_label(&format!("${thousands},{rest} / month"));
    h.get_by_label(&format!("Cost (${digits}/mo)"));
    // The inspector shows the selected service's own cost.
    h.state_mut().select(BTreeSet::from([EntityRef::Service(ServiceId::new("api-euw1"))]));
    h.run_steps(2);
    h.get_by_label_contains("Cost: $");
}

#[test]
fn the_data_law_tab_shows_the_violation_with_its_path_and_flags_the_replica() {
    let mut h = harness("gdpr-eu-residency.ron");
    h.state_mut().show_tab(Tab::Compliance);
    h.run_steps(2);
    h.get_by_label_contains("gdpr-strict/");
    h.get_all_by_label_contains("customers-analytics-use1").next().expect("the path names the US replica");
    let flagged = h.state().analysis().flagged().clone();
    assert!(flagged.contains(&EntityRef::Service(ServiceId::new("customers-analytics-use1"))), "{flagged:?}");
    // Remove the offending replication link: the violation goes away on the next frame.
    assert!(h.state_mut().apply(Command::RemoveService(ServiceId::new("customers-analytics-use1"))));
    h.run_steps(2);
    let strict =
        h.state().analysis().report.failures().filter(|f| f.rule.starts_with("gdpr-strict/")).count();
    assert_eq!(strict, 0);
}

#[test]
fn a_simulation_runs_in_the_background_and_its_timeline_shows_on_the_canvas() {
    let mut h = harness("active-active-2region.ron");
    gui_support::run_simulation(&mut h);
    h.get_by_label_contains("Availability (time)");
    h.get_by_label_contains("RTO P50 / P95");
    // Issue 14: half back as well as last client back, per population, with the median's interval.
    h.get_by_label_contains("RTO half back P50 / P95");
    // Issue 19 (item 9): the population by its name ("Europe"), not its id.
    h.get_by_label_contains("RTO of Europe: half / last back P50");
    // The spread of recovery times and of data-loss windows (the report's recovery table has both).
    h.get_by_label_contains("RTO min / mean / max");
    h.get_by_label_contains("RPO min / mean / max");
    h.get_by_label_contains("Extra cost per incident");
    // region-outage takes us-east-1 down first: scrub to that moment and the canvas shows it down.
    let state = h.state_mut().sim_panel().timeline_state().expect("a traced run");
    assert!(
        state.down.iter().any(|e| matches!(e, EntityRef::Region(_))),
        "the first scrubbed moment is inside an outage: {:?}",
        state.down
    );
    let eu = meridian_model::PopulationId::new("eu-users");
    assert!(state.serving.contains_key(&eu));
}

#[test]
fn a_running_simulation_can_be_cancelled() {
    let mut h = harness("active-active-2region.ron");
    h.state_mut().show_tab(Tab::Simulation);
    h.state_mut().sim_panel().runs = 1_000_000;
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(2);
    assert!(h.state_mut().sim_panel().running());
    h.get_by_label("Cancel").click();
    h.run_steps(1);
    let started = Instant::now();
    while h.state_mut().sim_panel().running() {
        assert!(started.elapsed() < Duration::from_mins(1), "cancel stops the run");
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
    let error = h.state_mut().sim_panel().error().unwrap_or_default().to_owned();
    assert!(error.contains("cancel"), "the panel says the run was cancelled: {error}");
}

#[test]
fn autosaved_work_is_offered_back_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery.ron");
    let config = AppConfig {
        open: Some(example("pilot-light.ron")),
        recovery: Some(recovery.clone()),
        native_dialogs: false,
    };
    let mut h = harness_with(config);
    assert!(h.state_mut().apply(Command::RemoveService(ServiceId::new("api-usw2"))));
    h.run_steps(1);
    h.state_mut().autosave_now().unwrap();
    let edited = h.state().design().clone();
    drop(h); // The "crash": the app goes away without saving.
    assert!(recovery.exists());
    let mut h =
        harness_with(AppConfig { open: None, recovery: Some(recovery.clone()), native_dialogs: false });
    h.get_by_label("Recover unsaved changes?");
    h.get_by_label("Recover").click();
    h.run_steps(2);
    assert_eq!(h.state().design(), &edited, "the recovered design is the autosaved one");
    assert!(h.state().editor().is_dirty(), "recovered work still needs saving");
}

#[test]
fn recovery_keeps_waivers_and_every_field_through_a_crash_and_a_save() {
    // A copy of the example, so that saving the recovered design writes the copy.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pilot-light.ron");
    let original = std::fs::read_to_string(example("pilot-light.ron")).unwrap();
    std::fs::write(&path, &original).unwrap();
    let header = format::load_file(&path, Catalog::builtin().unwrap()).unwrap().header;
    assert!(header.contains("Waivers:"), "the example explains its waivers: {header}");
    let recovery = dir.path().join("recovery.ron");
    let config =
        |open: Option<PathBuf>| AppConfig { open, recovery: Some(recovery.clone()), native_dialogs: false };
    let mut h = harness_with(config(Some(path.clone())));
    assert_eq!(h.state().design().waivers().len(), 2, "the example has two waivers");
    assert!(h.state_mut().apply(Command::SetName("Pilot light, edited".into())));
    h.run_steps(1);
    h.state_mut().autosave_now().unwrap();
    let edited = h.state().design().clone();
    drop(h); // The "crash": the app goes away without saving.
    let mut h = harness_with(config(None));
    h.get_by_label("Recover").click();
    h.run_steps(2);
    assert_eq!(h.state().design(), &edited, "every field, waivers included, is recovered");
    assert!(h.state().editor().is_dirty(), "recovered work still needs saving");
    assert_eq!(h.state().undo_label(), None, "recovering is not an edit to undo");
    assert_eq!(h.state().path(), Some(path.as_path()), "the design keeps its file");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    assert!(!h.state().editor().is_dirty(), "saved: {:?}", h.state().message());
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        original.replacen("Pilot light, us-east-1 with us-west-2 standby", "Pilot light, edited", 1)
    );
    let reloaded = format::load_file(&path, Catalog::builtin().unwrap()).unwrap();
    assert_eq!(reloaded.design, edited);
    assert_eq!(reloaded.header, header, "the file's header comment is kept");
    assert_eq!(reloaded.design.waivers().len(), 2);
}

#[test]
fn the_export_dialog_writes_templates_and_asks_before_overwriting() {
    // The export runs in the background (issue 13), so each Export click waits for its job
    // before looking at the files; what is written and shown is unchanged.
    let mut h = harness("active-active-2region.ron");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("infra");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(2);
    h.get_by_label("Export infrastructure code");
    let folder = h.get_by_label("Folder");
    folder.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Folder").type_text(&out.display().to_string());
    h.run_steps(2);
    h.get_by_label("CloudFormation (JSON)").click();
    h.run_steps(1);
    h.get_by_label("Export").click();
    wait_for_export(&mut h);
    let deploy = std::fs::read_to_string(out.join("DEPLOY.md")).unwrap();
    assert!(deploy.contains("us-east-1") && deploy.contains("eu-west-1"), "{deploy}");
    let written: Vec<_> = walk(&out);
    let ext = |p: &String, e: &str| std::path::Path::new(p).extension().is_some_and(|x| x == e);
    assert!(written.iter().any(|p| ext(p, "json")), "JSON was chosen: {written:?}");
    assert!(!written.iter().any(|p| ext(p, "yaml")), "{written:?}");
    h.get_by_label_contains(&format!("Wrote {} files", written.len()));
    // A second export into the same folder is refused until the user allows overwriting.
    h.get_by_label("This folder already has files.");
    h.get_by_label("Export").click();
    wait_for_export(&mut h);
    h.get_by_label_contains("the folder is not empty");
    h.get_by_label("Overwrite files with the same names").click();
    h.run_steps(1);
    h.get_by_label("Export").click();
    wait_for_export(&mut h);
    h.get_by_label_contains(&format!("Wrote {} files", written.len()));
    h.run_steps(2);
    // Terraform into another folder: a root module with a provider per region.
    let tf = dir.path().join("tf");
    h.get_by_label("Folder").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Folder").type_text(&tf.display().to_string());
    h.get_by_label("Terraform (HCL)").click();
    h.run_steps(2);
    h.get_by_label("Export").click();
    wait_for_export(&mut h);
    let providers = std::fs::read_to_string(tf.join("providers.tf")).unwrap();
    assert!(providers.contains("eu-west-1") && providers.contains("us-east-1"), "{providers}");
    h.get_by_label("Close").click();
    h.run_steps(2);
    assert!(h.query_by_label("Export infrastructure code").is_none(), "the dialog closed");
}

/// Runs frames until the export started by the last click has finished: it runs in the background.
fn wait_for_export(h: &mut Harness<'_, MeridianApp>) {
    h.run_steps(1);
    let started = Instant::now();
    while h.state().export_dialog().is_some_and(ExportDialog::running) {
        assert!(started.elapsed() < Duration::from_mins(1), "the export finishes");
        std::thread::sleep(Duration::from_millis(10));
        h.run_steps(1);
    }
    h.run_steps(2);
}

#[test]
fn the_export_runs_in_the_background_and_lists_its_warnings() {
    let mut h = harness("pilot-light.ron");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("infra");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(2);
    h.get_by_label("Folder").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Folder").type_text(&out.display().to_string());
    h.run_steps(2);
    h.get_by_label("A new or empty folder.");
    // No file-system work per frame: the folder was looked at when its path changed, and ten
    // more frames look again only if the answer has grown old (every two seconds).
    let checks = h.state().export_dialog().unwrap().folder_checks();
    let started = Instant::now();
    h.run_steps(10);
    let more = h.state().export_dialog().unwrap().folder_checks() - checks;
    assert!(u64::from(more) <= 1 + started.elapsed().as_secs() / 2, "{more} checks in ten frames");
    h.get_by_label("Export").click();
    h.run_steps(1);
    // The frame that saw the click only started the job: nothing is written on the UI thread,
    // and the frame came back without waiting for the bundle.
    let dialog = h.state().export_dialog().unwrap();
    assert!(dialog.running(), "the export runs as a background job");
    assert!(dialog.outcome.is_none(), "no outcome in the frame of the click");
    let started = Instant::now();
    let mut frames = 0;
    while h.state().export_dialog().unwrap().running() {
        assert!(started.elapsed() < Duration::from_mins(1), "the export finishes");
        std::thread::sleep(Duration::from_millis(5));
        h.run_steps(1);
        frames += 1;
    }
    assert!(frames >= 1, "the UI kept drawing frames while the export ran");
    h.run_steps(2);
    assert!(out.join("DEPLOY.md").is_file(), "the files appear");
    let written = walk(&out);
    h.get_by_label_contains(&format!("Wrote {} files", written.len()));
    // pilot-light's regions depend on each other: the one warning is listed in the dialog.
    h.get_by_label_contains("1 warning: not exported faithfully");
    h.get_by_label_contains("form a cycle at us-east-1");
    let message = h.state().message().unwrap_or_default().to_owned();
    assert!(message.starts_with(&format!("Exported {} files", written.len())), "{message}");
    // The folder is looked at again once the export has written it.
    h.get_by_label("This folder already has files.");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out.sort();
    out
}

#[test]
fn the_compare_view_runs_the_strategy_variants_and_marks_the_best() {
    let mut h = harness("active-active-2region.ron");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::C);
    h.run_steps(2);
    h.get_by_label("Compare designs");
    h.get_by_label("Add strategy variants").click();
    h.run_steps(2);
    h.get_by_label("Pilot light");
    h.get_by_label("Active-active");
    // Another file too: its name is listed, and it is loaded when the comparison runs.
    h.get_by_label("Add design file").focus();
    h.get_by_label("Add design file").type_text(&example("warm-standby.ron").display().to_string());
    h.run_steps(1);
    h.get_by_label("Add").click();
    h.run_steps(2);
    h.get_by_label("warm-standby.ron");
    h.state_mut().compare_view().runs = 3;
    h.get_by_label("Run comparison").click();
    h.run_steps(1);
    let started = Instant::now();
    while h.state_mut().compare_view().running() {
        assert!(started.elapsed() < Duration::from_mins(3), "the comparison finishes");
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(3);
    let view = h.state_mut().compare_view();
    assert_eq!(view.columns().len(), 7, "this design, five variants and one file");
    for (label, r) in view.columns() {
        assert!(r.is_ok(), "{label}: {r:?}");
    }
    let table = view.comparison().unwrap();
    let cost = table.rows.iter().find(|r| r.key == "usd_per_month").unwrap();
    // The variants (columns 1 to 5) cost more from multi-AZ to active-active, and the table marks
    // the cheapest column of all.
    let usd: Vec<f64> = cost.values.iter().map(|v| v.unwrap()).collect();
    assert!(usd[1..=5].windows(2).all(|w| w[0] < w[1]), "{usd:?}");
    let cheapest = (0..usd.len()).min_by(|&a, &b| usd[a].total_cmp(&usd[b])).unwrap();
    assert_eq!(cost.best, vec![cheapest], "{cost:?}");
    h.get_by_label("downtime min/year");
    h.get_by_label("* best in the row");
    assert!(!h.query_all_by_label_contains(" *").collect::<Vec<_>>().is_empty(), "best values are marked");
}

#[test]
fn export_report_writes_the_html_report_in_the_background() {
    let mut h = harness("active-active-2region.ron");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("review.html");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::E);
    h.run_steps(2);
    h.get_by_label("Export report");
    h.get_by_label("Report file").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("Report file").type_text(&out.display().to_string());
    h.run_steps(2);
    h.get_by_label("A new file.");
    h.get_by_label("Write report").click();
    h.run_steps(2);
    let started = Instant::now();
    while !h.query_all_by_label_contains("Wrote ").any(|_| true) {
        assert!(started.elapsed() < Duration::from_mins(3), "the report is written");
        assert!(h.query_by_label_contains("error").is_none(), "no error shown");
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for heading in ["Summary", "Simulation results", "Cost breakdown", "Compliance findings", "Assumptions"] {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(html.contains("Active-active, two regions"));
    // Writing again asks before replacing the file.
    h.get_by_label("This file exists.");
    h.get_by_label("Write report").click();
    h.run_steps(2);
    h.get_by_label_contains("allow overwriting");
}

#[test]
fn a_running_comparison_can_be_cancelled() {
    let mut h = harness("active-active-2region.ron");
    h.state_mut().compare_variants(false);
    h.state_mut().compare_view().runs = 100_000;
    h.run_steps(2);
    h.get_by_label("Run comparison").click();
    h.run_steps(2);
    assert!(h.state_mut().compare_view().running());
    h.get_by_label("Cancel").click();
    let started = Instant::now();
    while h.state_mut().compare_view().running() {
        assert!(started.elapsed() < Duration::from_mins(1), "cancelling stops the run");
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
    h.run_steps(2);
    h.get_by_label_contains("Cancelled after");
    assert!(h.state_mut().compare_view().columns().is_empty(), "a cancelled run leaves no table");
}

/// The app on the example `name`.
fn harness(name: &str) -> egui_kittest::Harness<'static, MeridianApp> {
    gui_support::harness(Some(example(name)))
}
