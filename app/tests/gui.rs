//! The designer, driven like a user would by accessible labels (egui_kittest, no GPU needed):
//! add a region, drag a service in from the palette, connect services, edit a property, undo and
//! redo each, save and reopen, open a malformed file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::{ctrl, drag, example, harness};
use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::{AppConfig, MeridianApp, Preferences};
use meridian_model::design::LinkKind;
use meridian_model::{Catalog, EntityRef, RegionId, ServiceId};

fn add_region(h: &mut Harness<'_, MeridianApp>, code: &str) {
    h.get_by_label("+ Region").click();
    h.run_steps(2);
    h.get_by_label("Search regions").type_text(code);
    h.run_steps(2);
    h.get_by_label_contains(&format!("{code}  ·")).click();
    h.run_steps(3);
}

#[test]
fn add_a_region_then_undo_and_redo() {
    let mut h = harness(None);
    add_region(&mut h, "eu-west-1");
    assert!(h.state().design().region(&RegionId::new("eu-west-1")).is_some());
    assert_eq!(h.state().design().region(&RegionId::new("eu-west-1")).unwrap().azs.len(), 3);
    ctrl(&h, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().regions().len(), 0, "undo removes the region");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().regions().len(), 1, "redo brings it back");
    ctrl(&h, Key::Z);
    h.run_steps(2);
    ctrl(&h, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().design().regions().len(), 1, "Ctrl+Y redoes too");
}

#[test]
fn drag_a_service_from_the_palette_into_a_region() {
    let mut h = harness(None);
    add_region(&mut h, "eu-west-1");
    let target = h.state_mut().screen_pos(&EntityRef::Region(RegionId::new("eu-west-1"))).unwrap();
    let source = h.get_by_label("DynamoDB").rect().center();
    drag(&mut h, source, target + vec2(0.0, 40.0));
    let design = h.state().design();
    let added: Vec<_> = design.services().collect();
    assert_eq!(added.len(), 1, "one service was dropped in");
    assert_eq!(added[0].kind.as_str(), "dynamodb");
    assert_eq!(added[0].placement.region(), Some(&RegionId::new("eu-west-1")));
    ctrl(&h, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().services().len(), 0, "one drop is one undo step");
    ctrl(&h, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().design().services().len(), 1);
}

#[test]
fn connect_two_services_by_dragging_from_the_handle() {
    let mut h = harness(None);
    add_region(&mut h, "us-east-1");
    add_region(&mut h, "eu-west-1");
    // Click palette kinds to add them to the selected region.
    h.state_mut().select(BTreeSet::from([EntityRef::Region(RegionId::new("us-east-1"))]));
    h.get_by_label("DynamoDB").click();
    h.run_steps(2);
    h.state_mut().select(BTreeSet::from([EntityRef::Region(RegionId::new("eu-west-1"))]));
    h.get_by_label("DynamoDB").click();
    h.run_steps(2);
    let ids: Vec<ServiceId> = h.state().design().services().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 2);
    let (a, b) = (ids[1].clone(), ids[0].clone());
    // Hover the card so its handle shows, then drag from the handle to the other card.
    let card = h.state_mut().screen_pos(&EntityRef::Service(a.clone())).unwrap();
    h.hover_at(card);
    h.run_steps(2);
    let from = h.state_mut().handle_screen_pos(&a).unwrap();
    let to = h.state_mut().screen_pos(&EntityRef::Service(b.clone())).unwrap();
    drag(&mut h, from, to);
    let links: Vec<_> = h.state().design().links().cloned().collect();
    assert_eq!(links.len(), 1, "a link was made: {:?}", h.state().message());
    assert!(matches!(links[0].kind, LinkKind::Replication(_)), "two tables replicate: {:?}", links[0].kind);
    ctrl(&h, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().links().len(), 0);
    ctrl(&h, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().design().links().len(), 1);
}

#[test]
fn an_illegal_link_is_refused_with_a_reason() {
    let mut h = harness(None);
    add_region(&mut h, "us-east-1");
    h.state_mut().select(BTreeSet::from([EntityRef::Region(RegionId::new("us-east-1"))]));
    h.get_by_label("DynamoDB").click();
    h.run_steps(2);
    h.state_mut().select(BTreeSet::from([EntityRef::Region(RegionId::new("us-east-1"))]));
    h.get_by_label("DynamoDB").click();
    h.run_steps(2);
    let ids: Vec<ServiceId> = h.state().design().services().map(|s| s.id.clone()).collect();
    let card = h.state_mut().screen_pos(&EntityRef::Service(ids[0].clone())).unwrap();
    h.hover_at(card);
    h.run_steps(2);
    let from = h.state_mut().handle_screen_pos(&ids[0]).unwrap();
    let to = h.state_mut().screen_pos(&EntityRef::Service(ids[1].clone())).unwrap();
    drag(&mut h, from, to);
    assert_eq!(h.state().design().links().len(), 0);
    let msg = h.state().message().unwrap_or_default().to_owned();
    assert!(msg.contains("different regions"), "the refusal says why: {msg}");
    h.get_by_label_contains("different regions");
}

#[test]
fn edit_a_property_in_the_inspector_then_undo() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let id = ServiceId::new("api-euw1");
    h.state_mut().select(BTreeSet::from([EntityRef::Service(id.clone())]));
    h.run_steps(2);
    let name = h.get_by_label("Name");
    name.focus();
    h.run_steps(1);
    h.get_by_label("Name").type_text(" v2");
    h.run_steps(2);
    assert_eq!(h.state().design().service(&id).unwrap().name, "Orders API (Ireland) v2");
    // Typing is one undo step.
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.state_mut().select(BTreeSet::new());
    h.run_steps(1);
    ctrl(&h, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().service(&id).unwrap().name, "Orders API (Ireland)");
    ctrl(&h, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().design().service(&id).unwrap().name, "Orders API (Ireland) v2");
    assert!(h.state().title().starts_with('*'), "the title shows unsaved changes: {}", h.state().title());
}

#[test]
fn a_refused_value_stays_in_its_field_with_the_reason() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let id = ServiceId::new("api-euw1");
    h.state_mut().select(BTreeSet::from([EntityRef::Service(id.clone())]));
    h.run_steps(2);
    h.get_by_label("Name").focus();
    h.run_steps(1);
    ctrl(&h, Key::A);
    h.run_steps(1);
    h.key_press(Key::Backspace);
    h.run_steps(2);
    assert_eq!(
        h.state().design().service(&id).unwrap().name,
        "Orders API (Ireland)",
        "an empty name is refused"
    );
    h.get_by_label_contains("must not be empty");
}

#[test]
fn save_then_reopen_gives_the_same_design() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.ron");
    let mut h = harness(Some(example("warm-standby.ron")));
    h.state_mut().select(BTreeSet::from([EntityRef::Service(ServiceId::new("api-usw2"))]));
    h.run_steps(1);
    h.key_press(Key::Delete);
    h.run_steps(2);
    let edited = h.state().design().clone();
    h.get_by_label("File").click();
    h.run_steps(3);
    h.get_by_label_contains("Save as…").click();
    h.run_steps(2);
    let field = h.get_by_label("File path");
    field.focus();
    ctrl(&h, Key::A);
    h.get_by_label("File path").type_text(path.to_str().unwrap());
    h.run_steps(1);
    h.get_all_by_label("Save").last().unwrap().click();
    h.run_steps(2);
    assert!(path.exists(), "saved: {:?}", h.state().message());
    assert!(!h.state().editor().is_dirty());
    let mut h2 = harness(None);
    h2.get_by_label("Open").click();
    h2.run_steps(2);
    h2.get_by_label("File path").focus();
    ctrl(&h2, Key::A);
    h2.get_by_label("File path").type_text(path.to_str().unwrap());
    h2.run_steps(1);
    h2.get_all_by_label("Open").last().unwrap().click();
    h2.run_steps(3);
    assert_eq!(h2.state().design(), &edited, "reopened design equals the saved one");
}

#[test]
fn a_malformed_file_shows_the_loaders_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "Design(version: 1, name: \"x\", regions: [Region(id: \"eu-wset-1\", azs: [])])")
        .unwrap();
    let mut h = harness(Some(path.clone()));
    h.run_steps(2);
    let err = h.state().load_error().unwrap().to_owned();
    assert!(err.contains("broken.ron:1:") && err.contains("did you mean `eu-west-1`"), "{err}");
    h.get_by_label_contains("did you mean `eu-west-1`");
    h.get_by_label("OK").click();
    h.run_steps(2);
    assert!(h.state().load_error().is_none());
    assert_eq!(h.state().design().regions().len(), 0, "nothing was loaded");
}

#[test]
fn new_with_unsaved_changes_asks_first() {
    let mut h = harness(Some(example("pilot-light.ron")));
    h.state_mut().select(BTreeSet::from([EntityRef::Service(ServiceId::new("api-usw2"))]));
    h.run_steps(1);
    h.key_press(Key::Delete);
    h.run_steps(2);
    ctrl(&h, Key::N);
    h.run_steps(2);
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(h.state().design().services().len() > 0, "cancel keeps the design");
    ctrl(&h, Key::N);
    h.run_steps(2);
    h.get_by_label("Discard changes").click();
    h.run_steps(2);
    assert_eq!(h.state().design().services().len(), 0, "discard starts a new design");
}

#[test]
fn the_command_palette_runs_actions() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    ctrl(&h, Key::K);
    h.run_steps(2);
    h.get_by_label("Command").type_text("shortcuts");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label("Pan");
    h.get_by_label_contains("Ctrl+Z");
}

#[test]
fn both_views_show_the_example() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    h.get_by_label("Service Orders table (Ireland)");
    h.get_by_label("Geographic").click();
    h.run_steps(3);
    h.get_by_label("Service Orders table (Ireland)");
    assert_eq!(h.state().canvas.mode, meridian::gui::canvas::ViewMode::Geographic);
}

#[test]
fn recovery_fields_are_edited_through_commands_and_refusals_show_in_place() {
    use meridian_model::LinkId;
    use meridian_model::design::Initiation;
    let mut h = harness(Some(example("active-active-2region.ron")));
    // A Fargate service scales: the checkbox adds target tracking up to twice its count.
    let api = ServiceId::new("api-euw1");
    let count = h.state().design().service(&api).unwrap().config.count;
    h.state_mut().select(BTreeSet::from([EntityRef::Service(api.clone())]));
    h.run_steps(2);
    h.get_by_label("Scales out (target tracking) up to a maximum").click();
    h.run_steps(2);
    let scaling = h.state().design().service(&api).unwrap().config.scaling.clone();
    assert_eq!(scaling.map(|s| s.max), Some(count * 2));
    h.get_by_label("Maximum units");
    // Route 53's link: an ARC routing control is accepted.
    let routing = |h: &Harness<'_, MeridianApp>, id: &str| match &h
        .state()
        .design()
        .link(&LinkId::new(id))
        .unwrap()
        .kind
    {
        LinkKind::Routing(r) => r.failover,
        _ => panic!("{id} is a routing link"),
    };
    let choose = |h: &mut Harness<'_, MeridianApp>, link: &str| {
        h.state_mut().select(BTreeSet::from([EntityRef::Link(LinkId::new(link))]));
        h.run_steps(2);
        h.get_by_label("Failover by").click();
        h.run_steps(2);
        h.get_by_label("ARC routing control").click();
        h.run_steps(2);
    };
    choose(&mut h, "dns-use1");
    assert_eq!(routing(&h, "dns-use1"), Some(Initiation::RoutingControl));
    // A load balancer's link: refused (routing controls are Route 53's), the reason under the field.
    choose(&mut h, "alb-api-euw1");
    assert_eq!(routing(&h, "alb-api-euw1"), None, "the refused edit changed nothing");
    h.get_by_label_contains("is not DNS-based");
}

#[test]
fn a_menu_action_goes_through_the_queue_and_is_carried_out_once() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let before = h.state().design().populations().len();
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label_contains("Add user population").click();
    h.run_steps(3);
    assert_eq!(h.state().design().populations().len(), before + 1, "one click, one population");
    assert!(h.state().undo_label().is_some_and(|l| l.contains("population")), "{:?}", h.state().undo_label());
    ctrl(&h, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().populations().len(), before, "one click, one undo step");
    assert_eq!(h.state().undo_label(), None);
}

#[test]
fn queued_commands_wait_for_the_frame_and_run_in_order() {
    use meridian::gui::actions::Action;
    use meridian::gui::command::AppCommand;
    let mut h = harness(Some(example("active-active-2region.ron")));
    let before = h.state().design().populations().len();
    let commands = h.state().commands();
    commands.send(AppCommand::Run(Action::AddPopulation));
    commands.send(AppCommand::Run(Action::AddPopulation));
    commands.send(AppCommand::Run(Action::Undo));
    assert_eq!(h.state().design().populations().len(), before, "nothing happens outside a frame");
    h.run_steps(1);
    assert_eq!(h.state().design().populations().len(), before + 1, "two added, then one undone, in order");
    assert!(h.state().redo_label().is_some());
    h.run_steps(2);
    assert_eq!(h.state().design().populations().len(), before + 1, "each command ran once");
}

#[test]
fn open_recent_asks_about_unsaved_changes_like_open() {
    let recent = example("warm-standby.ron");
    let prefs = Preferences { recent: vec![recent.clone()], ..Preferences::default() };
    let app = MeridianApp::new(
        Catalog::builtin().unwrap(),
        AppConfig { open: Some(example("pilot-light.ron")), recovery: None, native_dialogs: false },
        &prefs,
    );
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    let pilot = h.state().design().name().to_owned();
    h.state_mut().select(BTreeSet::from([EntityRef::Service(ServiceId::new("api-usw2"))]));
    h.run_steps(1);
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert!(h.state().editor().is_dirty());
    let open_recent = |h: &mut Harness<'_, MeridianApp>, path: &PathBuf| {
        h.get_by_label("File").click();
        h.run_steps(2);
        h.get_by_label("Open recent").click();
        h.run_steps(2);
        h.get_by_label(&path.display().to_string()).click();
        h.run_steps(3);
    };
    open_recent(&mut h, &recent);
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(h.state().design().name(), pilot, "cancel keeps the edited design");
    assert!(h.state().editor().is_dirty());
    open_recent(&mut h, &recent);
    h.get_by_label("Discard changes").click();
    h.run_steps(3);
    assert_eq!(h.state().path(), Some(recent.as_path()), "discard opens the recent file");
    assert!(!h.state().editor().is_dirty());
    // With nothing unsaved, it opens at once.
    let pilot_path = example("pilot-light.ron");
    assert_eq!(h.state().recent(), vec![recent.clone(), pilot_path.clone()]);
    open_recent(&mut h, &pilot_path);
    assert!(h.query_by_label("Unsaved changes").is_none(), "no question without unsaved changes");
    assert_eq!(h.state().path(), Some(pilot_path.as_path()));
    assert_eq!(h.state().design().name(), pilot);
}

#[test]
fn the_inspector_shows_round_trips_and_edits_a_populations_access_network() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    // A region: its measured round trip to the other region, with source and date.
    h.state_mut().select(BTreeSet::from([EntityRef::Region(RegionId::new("eu-west-1"))]));
    h.run_steps(2);
    h.get_by_label_contains("To us-east-1: 69.6 ms, measured (cloudping-p50, 2025-05-29)");
    // A population: its path to each region its entry reaches, as `meridian info` prints it.
    let id = meridian_model::PopulationId::new("eu-users");
    h.state_mut().select(BTreeSet::from([EntityRef::Population(id.clone())]));
    h.run_steps(2);
    h.get_by_label_contains("eu-west-1: 32.9 ms = access 10.0 + internet 22.9");
    // Choosing mobile access is a model command: the design changes and the path follows (28 ms).
    h.get_by_label("Access network").click();
    h.run_steps(2);
    h.get_by_label("Mobile").click();
    h.run_steps(3);
    assert_eq!(
        h.state().design().population(&id).unwrap().access,
        Some(meridian_model::design::Access::Mobile)
    );
    h.get_by_label_contains("eu-west-1: 50.9 ms = access 28.0 + internet 22.9");
}

#[test]
fn resilience_fields_edit_the_design_through_commands() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    // The design's repair crews: off, then the catalog's suggestion; undo turns them off again.
    h.state_mut().select(BTreeSet::new());
    h.run_steps(2);
    h.get_by_label_contains("Repair crews").click();
    h.run_steps(2);
    assert_eq!(h.state().design().resilience().repair_crews, Some(2));
    ctrl(&h, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().design().resilience().repair_crews, None);
    // A service's deployment group; a control plane the catalog does not know is refused in place.
    let id = ServiceId::new("api-euw1");
    h.state_mut().select(BTreeSet::from([EntityRef::Service(id.clone())]));
    h.run_steps(2);
    h.get_by_label_contains("Deployment group").focus();
    h.run_steps(1);
    h.get_by_label_contains("Deployment group").type_text("orders-api");
    h.run_steps(2);
    assert_eq!(h.state().design().service(&id).unwrap().deployment_group.as_deref(), Some("orders-api"));
    h.get_by_label_contains("Control plane region").focus();
    h.run_steps(1);
    h.get_by_label_contains("Control plane region").type_text("mars-1");
    h.run_steps(2);
    assert_eq!(h.state().design().service(&id).unwrap().control_plane, None);
    h.get_by_label_contains("not an AWS region");
}
