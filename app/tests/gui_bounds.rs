//! Bounds at the designer's door are the loader's (issue 18, item 4): the simulation panel's
//! horizon is refused past the simulator's 100,000 years as `--horizon` and scenario files are, and
//! a name longer than the model allows is refused in the inspector with the reason, keeping the
//! typed text in its field. Before: any horizon that parsed was run from the designer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::panels::Tab;
use meridian::gui::{AppConfig, MeridianApp, Preferences};
use meridian_model::{Catalog, EntityRef, MAX_COUNT, MAX_NAME_CHARS, ServiceId};

fn harness() -> Harness<'static, MeridianApp> {
    let open = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/active-active-2region.ron"));
    let config = AppConfig { open: Some(open), recovery: None, native_dialogs: false };
    let app = MeridianApp::new(Catalog::builtin().unwrap(), config, &Preferences::default());
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

fn retype(h: &mut Harness<'_, MeridianApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

#[test]
fn a_horizon_past_the_simulators_bound_is_refused_in_the_panel() {
    let mut h = harness();
    h.state_mut().show_tab(Tab::Simulation);
    h.run_steps(2);
    retype(&mut h, "Horizon", "200000y");
    h.get_by_label("Run").click();
    h.run_steps(2);
    assert!(!h.state_mut().sim_panel().running(), "the run is refused, not started");
    let error = h.state_mut().sim_panel().error().unwrap_or_default().to_owned();
    assert_eq!(error, "the horizon must be longer than zero and at most 100000y");
    h.get_by_label_contains("at most 100000y");
    assert_eq!(h.get_by_label("Horizon").value().as_deref(), Some("200000y"), "the text stays");
    // Zero is refused by the same rule.
    retype(&mut h, "Horizon", "0s");
    h.get_by_label("Run").click();
    h.run_steps(2);
    assert!(!h.state_mut().sim_panel().running());
    assert!(h.state_mut().sim_panel().error().unwrap_or_default().contains("longer than zero"));
}

/// A horizon shorter than the scenario's schedule runs, with the warning `--horizon` prints shown
/// in the panel; a run with the scenario's own horizon clears it.
#[test]
fn a_horizon_that_leaves_injections_out_is_shown_as_a_warning() {
    let mut h = harness();
    h.state_mut().show_tab(Tab::Simulation);
    h.run_steps(2);
    retype(&mut h, "Horizon", "6h");
    h.get_by_label("Run").click();
    h.run_steps(2);
    let notice = h.state_mut().sim_panel().notice().unwrap_or_default().to_owned();
    assert_eq!(
        notice,
        "the 6h horizon ends before injections[1] (region us-east-1 at 7h) of scenario `region-outage` \
         starts: not simulated; lengthen the horizon to include it"
    );
    h.get_by_label(&notice);
    while h.state_mut().sim_panel().running() {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
    // Emptied: the scenario's own horizon.
    retype(&mut h, "Horizon", "1");
    h.key_press(Key::Backspace);
    h.run_steps(1);
    assert_eq!(h.get_by_label("Horizon").value().as_deref(), Some(""));
    h.get_by_label("Run").click();
    h.run_steps(2);
    assert_eq!(h.state_mut().sim_panel().notice(), None);
}

#[test]
fn a_name_and_a_count_past_the_models_bounds_are_refused_in_the_inspector() {
    let mut h = harness();
    let api = ServiceId::new("api-euw1");
    h.state_mut().select(BTreeSet::from([EntityRef::Service(api.clone())]));
    h.run_steps(2);
    let name = h.state().design().service(&api).unwrap().name.clone();
    let long = "n".repeat(MAX_NAME_CHARS + 1);
    retype(&mut h, "Name", &long);
    assert_eq!(h.state().design().service(&api).unwrap().name, name, "the name is unchanged");
    h.get_by_label_contains(&format!("at most {MAX_NAME_CHARS} are allowed"));
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some(long.as_str()), "the text stays");
    // The count's bound is the loader's (`config.count`: at most 10,000 units).
    let field = "Count (instances, tasks, nodes)";
    let count = h.state().design().service(&api).unwrap().config.count;
    let over = (MAX_COUNT + 1).to_string();
    retype(&mut h, field, &over);
    assert_eq!(h.state().design().service(&api).unwrap().config.count, count);
    h.get_by_label_contains(&format!("{over} is refused: it must be from 0 to {MAX_COUNT}"));
    retype(&mut h, field, &MAX_COUNT.to_string());
    assert_eq!(h.state().design().service(&api).unwrap().config.count, MAX_COUNT);
}
