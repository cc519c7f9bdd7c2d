//! Helpers shared by the designer's kittest tests (`app/tests/gui*.rs`): the examples, a harness
//! driving the real app, and pointer and keyboard gestures.

// Each test file uses a different subset of these helpers.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, Pos2, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::panels::Tab;
use meridian::gui::{AppConfig, MeridianApp, Preferences};
use meridian_model::Catalog;

/// The example design `name` in `examples/`.
pub fn example(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples")).join(name)
}

/// The app started with `config` in a window of `size`, after three frames.
pub fn harness_sized(config: AppConfig, size: Vec2) -> Harness<'static, MeridianApp> {
    let app = MeridianApp::new(Catalog::builtin().unwrap(), config, &Preferences::default());
    let mut h =
        Harness::builder().with_size(size).build_ui_state(|ui, app: &mut MeridianApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

/// The app started with `config` in a 1400x900 window.
pub fn harness_with(config: AppConfig) -> Harness<'static, MeridianApp> {
    harness_sized(config, vec2(1400.0, 900.0))
}

/// The app on `open` (or on a new design), typed paths instead of native dialogs, 1400x900.
pub fn harness(open: Option<PathBuf>) -> Harness<'static, MeridianApp> {
    harness_with(AppConfig { open, recovery: None, native_dialogs: false })
}

/// The app on the example `name` in a window of `size`.
pub fn harness_on(name: &str, size: Vec2) -> Harness<'static, MeridianApp> {
    harness_sized(AppConfig { open: Some(example(name)), recovery: None, native_dialogs: false }, size)
}

/// Presses Ctrl (Cmd on macOS) + `key`.
pub fn ctrl(h: &Harness<'_, MeridianApp>, key: Key) {
    h.key_press_modifiers(Modifiers::COMMAND, key);
}

/// Drags with the primary button from `from` to `to`, through points in between.
pub fn drag(h: &mut Harness<'_, MeridianApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for t in [0.3, 0.7, 1.0] {
        h.hover_at(from + (to - from) * t);
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(2);
}

/// A primary click at `at`, as a press and a release in place.
pub fn click_at(h: &mut Harness<'_, MeridianApp>, at: Pos2) {
    h.hover_at(at);
    h.run_steps(1);
    h.drag_at(at);
    h.run_steps(1);
    h.drop_at(at);
    h.run_steps(2);
}

/// Opens the Simulation tab, presses Run and waits (up to two minutes) for the run to finish.
pub fn run_simulation(h: &mut Harness<'_, MeridianApp>) {
    h.state_mut().show_tab(Tab::Simulation);
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(1);
    wait_while(h, "the run", |app| app.sim_panel().running());
}

/// Opens the Simulation tab, sets `runs` and presses Run; returns once the run has started.
pub fn start_run(h: &mut Harness<'_, MeridianApp>, runs: u32) {
    h.state_mut().show_tab(Tab::Simulation);
    h.state_mut().sim_panel().runs = runs;
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(1);
    assert!(h.state_mut().sim_panel().running(), "the run started");
}

/// Steps the app until `busy` says the background work is done (at most two minutes), then two
/// frames more to show its result.
#[allow(dead_code)] // Each test file uses part of the support module.
pub fn wait_while(
    h: &mut Harness<'_, MeridianApp>,
    what: &str,
    mut busy: impl FnMut(&mut MeridianApp) -> bool,
) {
    let started = Instant::now();
    while busy(h.state_mut()) {
        assert!(started.elapsed() < Duration::from_mins(2), "{what} finishes");
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(2);
}

/// Every shape painted in the last frame, groups flattened.
pub fn painted(h: &Harness<'_, MeridianApp>) -> Vec<egui::Shape> {
    fn flatten(s: &egui::Shape, out: &mut Vec<egui::Shape>) {
        match s {
            egui::Shape::Vec(v) => v.iter().for_each(|s| flatten(s, out)),
            s => out.push(s.clone()),
        }
    }
    let mut out = Vec::new();
    for c in &h.output().shapes {
        flatten(&c.shape, &mut out);
    }
    out
}
