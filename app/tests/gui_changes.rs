//! The Changes window, driven through the real app: View > Changes since saved compares the
//! design being edited with its file on disk, lists each change by entity with its fields, marks
//! changed and added cards for the canvas, follows further edits, and compares with another file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::PathBuf;

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::actions::Action;
use meridian::gui::{AppConfig, MeridianApp, Preferences};
use meridian_model::design::LinkKind;
use meridian_model::diff::Status;
use meridian_model::{Catalog, Command, EntityRef, LinkId, PopulationId, ServiceId};

fn example(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples")).join(name)
}

fn harness(open: &str) -> Harness<'static, MeridianApp> {
    let config = AppConfig { open: Some(example(open)), recovery: None, native_dialogs: false };
    let app = MeridianApp::new(Catalog::builtin().unwrap(), config, &Preferences::default());
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

#[test]
fn changes_since_saved_are_listed_and_marked_and_follow_edits() {
    let mut h = harness("active-active-2region.ron");
    let mut api = h.state().design().service(&ServiceId::new("api-euw1")).unwrap().clone();
    api.config.count = 24;
    assert!(h.state_mut().apply(Command::UpdateService(api)));
    h.run_steps(2);
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Changes since saved…").click();
    h.run_steps(3);
    h.get_by_label_contains("Against ");
    h.get_by_label("1 service changed");
    h.get_by_label("changed service api-euw1").click();
    h.run_steps(2);
    h.get_by_label("config.count: 12 -> 24");
    let marks = h.state_mut().changes_view().marks().unwrap();
    assert_eq!(marks.get(&EntityRef::Service(ServiceId::new("api-euw1"))), Some(&Status::Changed));
    assert_eq!(marks.len(), 1, "{marks:?}");
    // A further edit shows at once: removing a link lists it as removed (not marked on the canvas).
    assert!(h.state_mut().apply(Command::RemoveLink(LinkId::new("assets-repl"))));
    h.run_steps(2);
    h.get_by_label("1 service changed, 1 link removed");
    h.get_by_label("removed link assets-repl");
    assert_eq!(h.state_mut().changes_view().marks().unwrap().len(), 1);
    // Undoing everything leaves nothing changed.
    h.state_mut().changes_view().open = true;
    let ctx = h.ctx.clone();
    for _ in 0..2 {
        h.state_mut().run(Action::Undo, &ctx);
        h.run_steps(2);
    }
    h.get_by_label("no changes");
}

#[test]
fn a_design_compares_with_another_file() {
    let mut h = harness("active-active-2region.ron");
    let edited = example("review/active-active-2region-edited.ron");
    h.state_mut().changes_view().compare_with(&edited, Catalog::builtin().unwrap());
    h.run_steps(3);
    // The edited copy is the baseline: from it, the open design changed the same three entities back.
    h.get_by_label("settings changed, 1 service changed, 2 links changed");
    h.get_by_label("changed link dns-use1").click();
    h.run_steps(2);
    h.get_by_label("kind.ttl: 5m -> 1m");
    let marks = h.state_mut().changes_view().marks().unwrap();
    assert_eq!(marks.get(&EntityRef::Link(LinkId::new("dns-use1"))), Some(&Status::Changed));
    // A file that does not load says why, naming it.
    h.state_mut().changes_view().compare_with(&example("no-such.ron"), Catalog::builtin().unwrap());
    h.run_steps(2);
    h.get_by_label_contains("no-such.ron");
}

#[test]
fn an_unsaved_design_cannot_compare_with_a_saved_version() {
    let config = AppConfig { open: None, recovery: None, native_dialogs: false };
    let app = MeridianApp::new(Catalog::builtin().unwrap(), config, &Preferences::default());
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    h.state_mut().changes_view().compare_with_saved(None, Catalog::builtin().unwrap());
    h.run_steps(2);
    h.get_by_label("The design has not been saved: compare with a file instead.");
}

#[test]
fn the_canvas_marks_changed_links_and_populations_and_ghosts_removed_links() {
    let mut h = harness("active-active-2region.ron");
    // A link changed (replication time control off), a link removed, a population changed.
    let mut repl = h.state().design().link(&LinkId::new("assets-repl")).unwrap().clone();
    let LinkKind::Replication(r) = &mut repl.kind else { panic!("assets-repl replicates") };
    r.rtc = false;
    assert!(h.state_mut().apply(Command::UpdateLink(repl)));
    assert!(h.state_mut().apply(Command::RemoveLink(LinkId::new("api-cache-euw1"))));
    let mut eu = h.state().design().population(&PopulationId::new("eu-users")).unwrap().clone();
    eu.requests_per_sec *= 2.0;
    assert!(h.state_mut().apply(Command::UpdatePopulation(eu)));
    h.run_steps(2);
    // Nothing is marked until the Changes window is open.
    assert!(h.query_by_label("Link assets-use1 → assets-euw1 changed").is_none());
    let saved = example("active-active-2region.ron");
    h.state_mut().changes_view().compare_with_saved(Some(&saved), Catalog::builtin().unwrap());
    h.run_steps(6);
    h.get_by_label("1 link removed, 1 link changed, 1 population changed");
    h.get_by_label("Link assets-use1 → assets-euw1 changed");
    h.get_by_label("Population Europe changed");
    // The removed link is a ghost between its ends, which are both still on the canvas.
    h.get_by_label("Removed link api-cache-euw1: api-euw1 → cache-euw1");
    let ghosts = h.state_mut().changes_view().removed_links();
    assert_eq!(ghosts.len(), 1, "{ghosts:?}");
    // Without one of its ends the ghost goes, and the window still lists the removal.
    assert!(h.state_mut().apply(Command::RemoveService(ServiceId::new("cache-euw1"))));
    h.run_steps(3);
    assert!(h.query_by_label("Removed link api-cache-euw1: api-euw1 → cache-euw1").is_none());
    h.get_by_label("removed link api-cache-euw1");
    // Closing the window takes every mark away.
    h.state_mut().changes_view().open = false;
    h.run_steps(2);
    assert!(h.query_by_label("Population Europe changed").is_none());
}
