//! The designer's targets: the inspector shows and edits the design's targets when nothing is
//! selected (undoable), and the Simulation tab shows a pass/fail strip after a run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use std::collections::BTreeSet;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::MeridianApp;
use meridian_model::Command;
use meridian_model::targets::Disruption;
use meridian_model::time::TimeSpan;

fn harness() -> Harness<'static, MeridianApp> {
    gui_support::harness(Some(gui_support::example("active-active-2region.ron")))
}

/// Scrolls the inspector to the field labelled `label` and clicks it.
fn click(h: &mut Harness<'static, MeridianApp>, label: &str) {
    // The checkbox, not the value's field it labels.
    h.get_by_role_and_label(Role::CheckBox, label).scroll_to_me();
    h.run_steps(20);
    h.get_by_role_and_label(Role::CheckBox, label).click();
    h.run_steps(2);
}

#[test]
fn the_inspector_shows_the_designs_targets_and_edits_them_undoably() {
    let mut h = harness();
    h.state_mut().select(BTreeSet::new());
    h.run_steps(2);
    h.get_by_label("Targets");
    h.get_by_label_contains("Monthly cost ceiling");
    h.get_by_label_contains("P99 latency, incidents, Europe");
    // The reference design states no RPO for inter-region network disruptions: state one.
    assert!(h.state().design().targets().recovery_for(Disruption::InterRegionNetwork).unwrap().rpo.is_none());
    click(&mut h, "RPO, inter-region network");
    let rpo = h.state().design().targets().recovery_for(Disruption::InterRegionNetwork).unwrap().rpo;
    assert_eq!(rpo, Some(TimeSpan::from_secs(300)));
    assert_eq!(h.state().undo_label(), Some("Edit targets"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().design().targets().recovery_for(Disruption::InterRegionNetwork).unwrap().rpo.is_none());
    // Turning off both figures of a population's latency target removes its entry.
    click(&mut h, "P99 latency, normal, North America");
    let na = |h: &Harness<'static, MeridianApp>| {
        h.state().design().targets().latency.iter().find(|l| l.population.as_str() == "na-users").cloned()
    };
    assert_eq!(na(&h).and_then(|l| l.normal_p99_ms), None, "{:?}", na(&h));
    click(&mut h, "P99 latency, incidents, North America");
    let latency = &h.state().design().targets().latency;
    assert!(latency.iter().all(|l| l.population.as_str() != "na-users"), "{latency:?}");
}

#[test]
fn the_simulation_tab_shows_which_targets_a_run_meets_and_misses() {
    let mut h = harness();
    // Tighten the region RTO below what the reference design recovers in (about 90 s).
    let mut targets = h.state().design().targets().clone();
    targets.recovery.iter_mut().find(|r| r.disruption == Disruption::Region).unwrap().rto =
        Some(TimeSpan::from_secs(30));
    assert!(h.state_mut().apply(Command::SetTargets(targets)));
    gui_support::run_simulation(&mut h);
    h.get_by_label("Targets: 10 met, 1 missed");
    h.get_by_label("MISSED: RTO, region");
    h.get_by_label("met: RPO, region");
    h.get_by_label("met: monthly cost");
}
