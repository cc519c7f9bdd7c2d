//! Issue 19's remaining visual defects: the bottom panel's room at laptop and desktop sizes (the
//! Simulation tab's figures on one line each, a chart legend that covers no curve) and card text
//! that stays readable and inside its card at every zoom.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::harness_on;

use egui::{Color32, Rect, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::MeridianApp;
use meridian::gui::canvas::card_text::{self, MIN_TITLE_PT};
use meridian_assess::canvas_layout::size;

/// A three-run simulation, through the Run button.
fn run_simulation(h: &mut Harness<'_, MeridianApp>) {
    h.state_mut().sim_panel().runs = 3;
    gui_support::run_simulation(h);
}

/// The Simulation tab after a run, at a laptop's and a desktop's window size.
#[test]
fn the_simulation_tab_has_room_for_its_figures_chart_and_legend() {
    for (w, hgt) in [(1280.0, 800.0), (1600.0, 1000.0)] {
        let mut h = harness_on("active-active-2region.ron", vec2(w, hgt));
        run_simulation(&mut h);
        // A recovery figure ("P50 [low - high] / P95") wraps only between its three parts: the
        // spaces inside a part do not break (no-break spaces), so at most three lines.
        let one_line = h.get_by_label("Downtime per year").rect().height();
        let intervals: Vec<Rect> = h.query_all_by_label_contains("]\u{a0}/ ").map(|n| n.rect()).collect();
        assert!(!intervals.is_empty(), "the RTO and RPO rows are shown");
        for r in intervals {
            assert!(
                r.height() < one_line * 3.5,
                "{w}x{hgt}: a recovery figure wraps inside a part ({} tall)",
                r.height()
            );
        }
        let availability = h.get_by_label("Availability (requests)").rect();
        assert!(availability.height() < one_line * 1.5, "{w}x{hgt}: its key wraps");
        // The legend is outside the plot: no entry covers a curve.
        let chart = h.get_by_label("Latency chart").rect();
        for entry in ["North America normal", "North America incident", "Europe normal", "Europe incident"] {
            let r = h.get_by_label(entry).rect();
            assert!(
                !r.intersects(chart),
                "{w}x{hgt}: the legend entry {entry} at {r:?} covers the plot {chart:?}"
            );
            assert!(r.right() <= w, "{w}x{hgt}: {entry} is cut at the window's edge");
        }
        assert!(chart.height() >= 40.0, "{w}x{hgt}: the plot is {} tall", chart.height());
        // The figures column is not squeezed by the chart: it ends before the chart starts.
        assert!(availability.right() < chart.left(), "{w}x{hgt}: the figures run into the chart");
    }
}

/// Lays out a card of `name` at `zoom` and returns the card on screen and its text.
fn card_at(ctx: &egui::Context, zoom: f32, name: &str, warning: bool) -> (Rect, card_text::CardText) {
    let card = Rect::from_min_size(pos2(100.0, 100.0), vec2(size::CARD_W, size::CARD_H) * zoom);
    let painter = ctx.layer_painter(egui::LayerId::background());
    let detail = "ECS Fargate · 15 × 1 vCPU, 2 GB";
    let t = card_text::layout(&painter, card, zoom, name, detail, warning, Color32::BLACK, Color32::GRAY);
    (card, t)
}

#[test]
fn card_titles_stay_readable_and_inside_their_card_at_every_zoom() {
    let ctx = egui::Context::default();
    let name = "Web load balancer (Virginia)";
    let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
        let ctx = ui.ctx().clone();
        // From where text is first drawn (42%) to a close-up, in small steps.
        for step in 0..=40 {
            let zoom = 0.42 + step as f32 * 0.05;
            for warning in [false, true] {
                let (card, t) = card_at(&ctx, zoom, name, warning);
                let (at, title) = &t.title;
                let title_rect = Rect::from_min_size(*at, title.size());
                let font = title.job.sections[0].format.font_id.size;
                assert!(font >= MIN_TITLE_PT, "{zoom}: the title is {font} pt");
                assert!(
                    card.contains_rect(title_rect.shrink(0.5)),
                    "{zoom}: the title {title_rect:?} leaves {card:?}"
                );
                assert!(!t.icon.intersects(title_rect), "{zoom}: the title runs over the icon");
                if let Some((at, r)) = t.badge {
                    let badge = Rect::from_center_size(at, vec2(r, r) * 2.0);
                    assert!(!badge.intersects(title_rect), "{zoom}: the title runs under the warning badge");
                }
                if let Some((at, detail)) = &t.detail {
                    let detail_rect = Rect::from_min_size(*at, detail.size());
                    assert!(
                        card.contains_rect(detail_rect.shrink(0.5)),
                        "{zoom}: the detail leaves the card"
                    );
                    assert!(
                        !detail_rect.intersects(title_rect.shrink(0.5)),
                        "{zoom}: title and detail overlap"
                    );
                }
            }
        }
        // At 65% the title reads as words (two lines), not a few letters and an ellipsis.
        let (_, t) = card_at(&ctx, 0.65, name, true);
        let shown = t.title.1.text();
        assert!(shown.starts_with("Web load balancer"), "at 65% the title shows {shown:?}");
        // Close up the detail line is back.
        let (_, t) = card_at(&ctx, 1.0, name, false);
        assert!(t.detail.is_some(), "at 100% the card shows its detail line");
        assert_eq!(t.title.1.text(), name, "at 100% the whole title fits");
    });
    out.textures_delta.clear();
}
