//! Issue 19's defects of the designer's panels, each reproduced as a user meets it: figures of the
//! design that is open at every moment, refusals instead of silent changes, the command palette,
//! autosave on a timer, and text meant for people rather than debug output.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.
#![allow(clippy::float_cmp)] // A refused value leaves the model's number exactly as it was.

mod gui_support;

use gui_support::{drag, example, harness};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::command::AppCommand;
use meridian::gui::panels::Tab;
use meridian::gui::{AppConfig, MeridianApp, Preferences};
use meridian_model::compliance::{Policy, check_static};
use meridian_model::cost::{self, CostOptions, PriceSnapshot};
use meridian_model::design::LinkKind;
use meridian_model::{Catalog, EntityRef, PopulationId, RegionId, ServiceId, format};

/// The tab labels `meridian cost` and `meridian check` agree with for the design in `path`:
/// "Cost ($3440/mo)" and "Data law (2)".
fn cli_labels(path: &Path) -> (String, String) {
    let catalog = Catalog::builtin().unwrap();
    let design = format::load_file(path, catalog).unwrap().design;
    let bill =
        cost::bill_with(&design, Some(catalog), PriceSnapshot::builtin().unwrap(), &CostOptions::default());
    let report = check_static(&design, catalog, &Policy::packs().unwrap());
    (
        format!("Cost (${:.0}/mo)", bill.total_usd_per_month),
        format!("Data law ({})", report.failures().count()),
    )
}

fn open(h: &mut Harness<'_, MeridianApp>, path: &Path) {
    h.state().commands().send(AppCommand::OpenRecent(path.to_path_buf()));
    // The command runs at the end of this frame: the next frame must already show the new figures.
    h.run_steps(1);
}

fn wait_for_simulation(h: &mut Harness<'_, MeridianApp>) {
    gui_support::wait_while(h, "the run", |app| app.sim_panel().running());
}

#[test]
fn open_and_new_never_show_the_previous_designs_figures() {
    let big = example("active-active-3region-aurora.ron");
    let small = example("pilot-light.ron");
    let mut h = harness(Some(big.clone()));
    let (cost_big, law_big) = cli_labels(&big);
    let (cost_small, law_small) = cli_labels(&small);
    assert_ne!(cost_big, cost_small);
    h.get_by_label(&cost_big);
    h.get_by_label(&law_big);
    // A simulation of the first design.
    h.state_mut().show_tab(Tab::Simulation);
    h.state_mut().sim_panel().runs = 5;
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(1);
    wait_for_simulation(&mut h);
    h.get_by_label_contains("Availability (time)");
    // Open another design without an edit in between: its own figures at once, no simulation.
    open(&mut h, &small);
    h.get_by_label(&cost_small);
    h.get_by_label(&law_small);
    assert!(h.query_by_label_contains("Availability (time)").is_none(), "the first design's run is gone");
    assert!(
        h.state_mut().sim_panel().timeline_state().is_none(),
        "no outage of the other design on the canvas"
    );
    h.get_by_label_contains("Run a scenario");
    // New: an empty design costs nothing and breaks no law.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(2);
    h.get_by_label("Cost ($0/mo)");
    h.get_by_label("Data law (0)");
}

#[test]
fn a_reopened_saved_file_shows_its_cost_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.ron");
    std::fs::copy(example("warm-standby.ron"), &path).unwrap();
    let (cost, law) = cli_labels(&path);
    // The app starts with an empty design (figures $0 and 0), then the file is opened.
    let mut h = harness(None);
    h.get_by_label("Cost ($0/mo)");
    open(&mut h, &path);
    h.get_by_label(&cost);
    h.get_by_label(&law);
}

/// Replaces the text of the field labelled `label` with `text`, as a user selecting it all and typing.
fn retype(h: &mut Harness<'_, MeridianApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

fn select(h: &mut Harness<'_, MeridianApp>, entity: EntityRef) {
    h.state_mut().select(BTreeSet::from([entity]));
    h.run_steps(2);
}

#[test]
fn refused_values_stay_in_their_field_with_the_reason() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let api = ServiceId::new("api-euw1");
    select(&mut h, EntityRef::Service(api.clone()));
    let count = h.state().design().service(&api).unwrap().config.count;
    let field = "Count (instances, tasks, nodes)";
    // A negative count is refused, not made 0; the text stays, and the reason is underneath.
    retype(&mut h, field, "-3");
    assert_eq!(h.state().design().service(&api).unwrap().config.count, count, "-3 is refused");
    assert_eq!(h.get_by_label(field).value().as_deref(), Some("-3"));
    h.get_by_label_contains("-3 is refused: it must be from 0 to 10000");
    assert!(h.query_by_label_contains("$-0.00").is_none());
    // Pressing Enter (the field loses focus) keeps the refused text and its reason.
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(h.get_by_label(field).value().as_deref(), Some("-3"));
    h.get_by_label_contains("it must be from 0 to 10000");
    // Text in a number field is refused with a reason, not ignored.
    retype(&mut h, field, "abc");
    h.get_by_label_contains("`abc` is not a number");
    assert_eq!(h.state().design().service(&api).unwrap().config.count, count);
    retype(&mut h, field, "2.5");
    h.get_by_label_contains("2.5 is not a whole number");
    // A value the model takes clears the reason.
    retype(&mut h, field, "7");
    assert_eq!(h.state().design().service(&api).unwrap().config.count, 7);
    assert!(h.query_by_label_contains("is not a").is_none());
    // A tag without `=` is refused, not dropped.
    let tags = h.state().design().service(&api).unwrap().tags.clone();
    retype(&mut h, "Tags (key=value, …)", "team=orders, costcentre");
    assert_eq!(h.state().design().service(&api).unwrap().tags, tags, "the tags are unchanged");
    h.get_by_label_contains("tag `costcentre` has no `=`");
    assert_eq!(h.get_by_label("Tags (key=value, …)").value().as_deref(), Some("team=orders, costcentre"));
    // Latitude 200 is refused, not made 90.
    let pop = PopulationId::new("eu-users");
    select(&mut h, EntityRef::Population(pop.clone()));
    let lat = h.state().design().population(&pop).unwrap().location.lat;
    retype(&mut h, "Latitude", "200");
    assert_eq!(h.state().design().population(&pop).unwrap().location.lat, lat);
    h.get_by_label_contains("200 is refused: it must be from -90 to 90");
    assert_eq!(h.get_by_label("Latitude").value().as_deref(), Some("200"));
}

#[test]
fn a_required_dependency_loop_and_an_idle_api_are_problems() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    // Every card in view (opened, the schematic view keeps a readable zoom, the rest a pan away).
    h.state_mut().canvas.request_fit();
    h.run_steps(3);
    assert!(h.state().analysis().problems.is_empty());
    h.get_by_label("Problems (0)");
    // Drag the Dublin table onto Route 53: a dependency back to the router that leads to it.
    let table = ServiceId::new("orders-euw1");
    let card = h.state_mut().screen_pos(&EntityRef::Service(table.clone())).unwrap();
    h.hover_at(card);
    h.run_steps(2);
    let from = h.state_mut().handle_screen_pos(&table).unwrap();
    let to = h.state_mut().screen_pos(&EntityRef::Service(ServiceId::new("dns"))).unwrap();
    drag(&mut h, from, to);
    assert_eq!(h.state().design().links().len(), 15, "the link was made: {:?}", h.state().message());
    h.state_mut().show_tab(Tab::Problems);
    h.run_steps(2);
    h.get_by_label("Problems (1)");
    h.get_by_label_contains("required dependency loop through");
    // `meridian validate` reports the same problem for the saved file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.ron");
    std::fs::write(&path, format::to_string(h.state().design(), "").unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_meridian"))
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("required dependency loop through"), "{text}");
    // Undo; then the Dublin API (the region's only API) with count 0 serves nothing: a warning.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    h.get_by_label("Problems (0)");
    select(&mut h, EntityRef::Service(ServiceId::new("api-euw1")));
    retype(&mut h, "Count (instances, tasks, nodes)", "0");
    assert_eq!(h.state().design().service(&ServiceId::new("api-euw1")).unwrap().config.count, 0);
    h.get_by_label_contains("runs 0 units and nothing scales it out");
}

#[test]
fn the_command_palette_closes_on_escape_or_a_click_outside_and_runs_the_simulation() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let api = EntityRef::Service(ServiceId::new("api-euw1"));
    select(&mut h, api.clone());
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    h.get_by_label("Command palette");
    // Escape closes it, and does not run "Select none" underneath.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Command palette").is_none(), "Escape closes the palette");
    assert_eq!(h.state().selection(), &BTreeSet::from([api.clone()]), "the selection is kept");
    // A click outside closes it too.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    h.get_by_label("Command palette");
    let outside = egui::pos2(100.0, 450.0);
    h.hover_at(outside);
    h.run_steps(1);
    h.drag_at(outside);
    h.run_steps(1);
    h.drop_at(outside);
    h.run_steps(2);
    assert!(h.query_by_label("Command palette").is_none(), "a click outside closes the palette");
    // It offers "Run simulation", which starts the scenario and shows its tab.
    h.state_mut().sim_panel().runs = 3;
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    h.get_by_label("Command").type_text("simulation");
    h.run_steps(2);
    h.get_by_label("Run simulation");
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert!(h.query_by_label("Command palette").is_none());
    wait_for_simulation(&mut h);
    h.get_by_label_contains("Availability (time)");
}

#[test]
fn autosave_writes_the_last_edits_while_the_user_is_idle() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery.ron");
    let app = MeridianApp::new(
        Catalog::builtin().unwrap(),
        AppConfig {
            open: Some(example("pilot-light.ron")),
            recovery: Some(recovery.clone()),
            native_dialogs: false,
        },
        &Preferences::default(),
    );
    // The UI clock is egui's input time: one second per frame here (a fake clock).
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_step_dt(1.0)
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    assert!(h.state_mut().apply(meridian_model::Command::SetName("Edited, then idle".into())));
    h.run_steps(1);
    assert!(!recovery.exists(), "not a minute since the app started");
    // The app asks for a frame when the write is due, so it happens without any input.
    // (Once the frames the edit itself asks for are drawn.)
    let mut delays = Vec::new();
    for _ in 0..5 {
        delays.push(h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay);
        if delays.last().is_some_and(|d| *d > Duration::ZERO) {
            break;
        }
        h.run_steps(1);
    }
    let delay = *delays.last().unwrap();
    assert!(delay > Duration::ZERO && delay <= Duration::from_mins(1), "a timed repaint: {delays:?}");
    assert!(!recovery.exists(), "not written before it is due");
    // Frames at the requested moments only (what eframe does while the user does nothing).
    let mut idle = Duration::ZERO;
    while !recovery.exists() {
        assert!(idle <= Duration::from_secs(80), "autosaved within 80 s of idling");
        h.run_steps(1);
        idle += Duration::from_secs(1);
    }
    let saved = format::load_file(&recovery, Catalog::builtin().unwrap()).unwrap();
    assert_eq!(saved.design.name(), "Edited, then idle");
}

fn small_harness(open: &str) -> Harness<'static, MeridianApp> {
    let app = MeridianApp::new(
        Catalog::builtin().unwrap(),
        AppConfig { open: Some(example(open)), recovery: None, native_dialogs: false },
        &Preferences::default(),
    );
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

#[test]
fn the_bottom_panel_keeps_its_height_and_fits_between_the_side_panels() {
    let mut h = small_harness("gdpr-eu-residency.ron");
    let top = |h: &Harness<'_, MeridianApp>| h.get_by_label_contains("Problems (").rect().top();
    let first = top(&h);
    h.state_mut().sim_panel().runs = 3;
    for tab in [Tab::Compliance, Tab::Cost, Tab::Simulation, Tab::Problems, Tab::Compliance] {
        h.state_mut().show_tab(tab);
        h.run_steps(3);
        assert!((top(&h) - first).abs() < 0.5, "{tab:?}: the panel moved from {first} to {}", top(&h));
    }
    // After a simulation too (its figures are the tallest content).
    h.state_mut().show_tab(Tab::Simulation);
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(1);
    wait_for_simulation(&mut h);
    h.get_by_label_contains("Availability (time)");
    assert!((top(&h) - first).abs() < 0.5, "after a run the panel moved from {first} to {}", top(&h));
    // The data-law tab's policy toggles wrap instead of running under the inspector.
    h.state_mut().show_tab(Tab::Compliance);
    h.run_steps(3);
    let inspector_left = h.get_by_label("Design").rect().left();
    for pack in Policy::packs().unwrap() {
        let pack = pack.name;
        let right = h.get_by_label(&pack).rect().right();
        assert!(right <= inspector_left, "{pack} ends at {right}, under the inspector at {inspector_left}");
    }
}

#[test]
fn the_simulation_speaks_of_names_not_ids_and_its_outage_leaves_the_canvas_on_an_edit() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    h.state_mut().show_tab(Tab::Simulation);
    h.state_mut().sim_panel().runs = 3;
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(1);
    wait_for_simulation(&mut h);
    // Names of populations and regions, not ids or debug text.
    h.get_by_label_contains("RTO of Europe: half / last back P50");
    h.get_by_label_contains("Down: region ");
    assert!(h.query_all_by_label_contains("served from us-east-1 (Northern Virginia)").next().is_some());
    assert!(h.query_by_label_contains("Region(\"").is_none(), "no debug text");
    assert!(h.query_by_label_contains("served from  ").is_none(), "no empty list of regions");
    assert!(h.query_by_label_contains("eu-users").is_none(), "population ids stay out of the panel");
    assert!(h.state().canvas_timeline().is_some_and(|t| !t.down.is_empty()), "the outage is on the canvas");
    // An edit: the run no longer describes the design, so its outage leaves the canvas.
    assert!(h.state_mut().apply(meridian_model::Command::SetName("Edited".into())));
    h.run_steps(2);
    assert!(h.state().canvas_timeline().is_none(), "the red overlay clears when editing");
    h.get_by_label_contains("The design changed since this run");
}

#[test]
fn the_inspector_shows_only_the_fields_of_the_kind() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    select(&mut h, EntityRef::Service(ServiceId::new("orders-euw1")));
    for field in ["Instance type", "Engine", "vCPU per task", "Memory per task"] {
        assert!(h.query_by_label(field).is_none(), "DynamoDB has no {field}");
    }
    select(&mut h, EntityRef::Service(ServiceId::new("api-euw1")));
    h.get_by_label("vCPU per task");
    assert!(h.query_by_label("Engine").is_none(), "Fargate has no engine");
    // A DynamoDB replication link has no S3 Replication Time Control.
    let link = h
        .state()
        .design()
        .links()
        .find(|l| l.from.as_str() == "orders-euw1" && matches!(l.kind, LinkKind::Replication(_)))
        .or_else(|| {
            h.state()
                .design()
                .links()
                .find(|l| l.to.as_str() == "orders-euw1" && matches!(l.kind, LinkKind::Replication(_)))
        })
        .unwrap()
        .id
        .clone();
    select(&mut h, EntityRef::Link(link));
    h.get_by_label("asynchronous");
    assert!(h.query_by_label("S3 Replication Time Control").is_none());
}

#[test]
fn users_go_where_the_user_is_working_and_never_twice_with_one_name() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let before: BTreeSet<_> = h.state().design().populations().map(|p| p.id.clone()).collect();
    let added = |h: &Harness<'_, MeridianApp>| {
        h.state().design().populations().find(|p| !before.contains(&p.id)).cloned().unwrap()
    };
    // In the schematic view with us-east-1 selected: users in North America, not Frankfurt.
    select(&mut h, EntityRef::Region(RegionId::new("us-east-1")));
    h.get_by_label("+ Users").click();
    h.run_steps(2);
    let first = added(&h);
    assert_eq!(first.continent, meridian_model::geo::Continent::NorthAmerica, "{first:?}");
    assert_eq!(first.continent, meridian_model::geo::continent_of(first.location));
    // Again: another name.
    select(&mut h, EntityRef::Region(RegionId::new("us-east-1")));
    h.get_by_label("+ Users").click();
    h.run_steps(2);
    let names: Vec<String> = h.state().design().populations().map(|p| p.name.clone()).collect();
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no two populations share a name: {names:?}");
}

#[test]
fn the_region_search_has_the_keyboard_and_enter_picks_the_only_match() {
    let mut h = harness(None);
    h.get_by_label("+ Region").click();
    h.run_steps(2);
    assert!(h.get_by_label("Search regions").is_focused(), "the search is focused");
    // Typing goes straight into the search, without clicking it first.
    h.get_by_label("Search regions").type_text("osaka");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(
        h.state().design().region(&RegionId::new("ap-northeast-3")).is_some(),
        "{:?}",
        h.state().message()
    );
}

#[test]
fn a_new_link_is_selected() {
    let mut h = harness(Some(example("active-active-2region.ron")));
    let api = ServiceId::new("api-euw1");
    let card = h.state_mut().screen_pos(&EntityRef::Service(api.clone())).unwrap();
    h.hover_at(card);
    h.run_steps(2);
    let from = h.state_mut().handle_screen_pos(&api).unwrap();
    let to = h.state_mut().screen_pos(&EntityRef::Service(ServiceId::new("orders-use1"))).unwrap();
    let before: BTreeSet<_> = h.state().design().links().map(|l| l.id.clone()).collect();
    drag(&mut h, from, to);
    let new: Vec<_> =
        h.state().design().links().filter(|l| !before.contains(&l.id)).map(|l| l.id.clone()).collect();
    assert_eq!(new.len(), 1, "a link was made: {:?}", h.state().message());
    assert_eq!(h.state().selection(), &BTreeSet::from([EntityRef::Link(new[0].clone())]));
}

#[test]
fn the_data_law_count_is_explained_and_compare_rows_name_populations() {
    let mut h = harness(Some(example("gdpr-eu-residency.ron")));
    h.state_mut().show_tab(Tab::Compliance);
    h.run_steps(2);
    h.get_by_label_contains("violations in the design as drawn");
    h.get_by_label_contains("Compare and the report also count violations while a scenario runs");
    h.get_by_label_contains("! violation");
    // Compare names the population ("P99 ms Europe"), not its id.
    let population = h.state().design().populations().next().unwrap().clone();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    h.run_steps(2);
    h.state_mut().compare_view().runs = 2;
    h.get_by_label("Run comparison").click();
    h.run_steps(1);
    gui_support::wait_while(&mut h, "the comparison", |app| app.compare_view().running());
    h.run_steps(1);
    h.get_by_label(&format!("P99 ms {}", population.name));
    assert!(h.query_by_label(&format!("P99 ms {}", population.id)).is_none(), "no population id");
}

/// Issue 19, defect 11: the simulation of a 500-service design showed 0 runs done for minutes
/// (progress was reported per chunk of 128 runs). Its progress bar now moves while the runs go:
/// the first runs done are shown before the last is, and the count never goes back.
#[test]
fn the_progress_of_a_large_designs_simulation_moves_before_it_finishes() {
    let catalog = Catalog::builtin().unwrap();
    let design = meridian_model::synth::generate(catalog, 500, 12).unwrap();
    assert_eq!(design.services().len(), 500);
    let app = MeridianApp::with_design(catalog, design, &Preferences::default());
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    gui_support::start_run(&mut h, 50);
    let mut seen = Vec::new();
    gui_support::wait_while(&mut h, "the first run", |app| {
        let progress = app.sim_panel().progress();
        seen.extend(progress);
        progress.is_some_and(|(done, _)| done == 0)
    });
    let (done, total) = h.state_mut().sim_panel().progress().expect("still running after the first runs");
    // Seen part-way, not only once every run is done (per chunk of runs, the first count seen
    // was all of them).
    assert!(done > 0 && done < total, "{done}/{total}");
    assert_eq!(total, 50);
    // The bar says so too.
    h.get_by_label_contains(&format!("/{total} runs"));
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "runs done never go back: {seen:?}");
    // Cancel: the run stops.
    h.get_by_label("Cancel").click();
    gui_support::wait_while(&mut h, "the cancelled run", |app| app.sim_panel().running());
}
