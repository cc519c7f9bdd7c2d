//! The designer at a laptop's 1280x800 and a desktop's 1920x1080 (issue 19, the screenshots
//! looked at): no line of the bottom panel strays across the inspector, the bottom panel's tables
//! fit their columns or say what they cut, and the geographic view fits the design's cards, not
//! the world, and the schematic view fits at a zoom whose card titles read.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{Rect, Shape, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{harness_on, run_simulation, start_run};
use meridian::gui::MeridianApp;
use meridian::gui::canvas::Layout;
use meridian::gui::panels::Tab;

/// The laptop's and the desktop's window.
const SIZES: [(f32, f32); 2] = [(1280.0, 800.0), (1920.0, 1080.0)];

/// Horizontal lines painted in the last frame, as (y, visible x range), clipped as drawn.
fn horizontal_lines(h: &Harness<'_, MeridianApp>) -> Vec<(f32, f32, f32)> {
    fn walk(s: &Shape, clip: Rect, out: &mut Vec<(f32, f32, f32)>) {
        match s {
            Shape::Vec(v) => v.iter().for_each(|s| walk(s, clip, out)),
            Shape::LineSegment { points: [a, b], stroke }
                if stroke.width > 0.0 && (a.y - b.y).abs() < 0.5 =>
            {
                let (x0, x1) = (a.x.min(b.x).max(clip.left()), a.x.max(b.x).min(clip.right()));
                if x1 > x0 && clip.y_range().contains(a.y) {
                    out.push((a.y, x0, x1));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for c in &h.output().shapes {
        walk(&c.shape, c.clip_rect, &mut out);
    }
    out
}

/// Where an accessible node is on screen (`None` for the window's root).
fn bounds(n: &egui_kittest::Node<'_>) -> Option<Rect> {
    let b = n.accesskit_node().bounding_box()?;
    #[allow(clippy::cast_possible_truncation)] // Screen points.
    Some(Rect::from_min_max(egui::pos2(b.x0 as f32, b.y0 as f32), egui::pos2(b.x1 as f32, b.y1 as f32)))
}

/// The inspector's left edge (its first line of text, a few points inside it).
fn inspector_left(h: &Harness<'_, MeridianApp>) -> f32 {
    h.get_by_label("Nothing selected: the design's own properties.").rect().left()
}

/// Asserts that no horizontal line painted below the canvas crosses `edge` (the inspector's).
fn assert_no_line_across(h: &Harness<'_, MeridianApp>, edge: f32, what: &str) {
    let panel_top = h.get_by_label_contains("Problems (").rect().top() - 30.0;
    for (y, x0, x1) in horizontal_lines(h) {
        assert!(
            y < panel_top || x0 > edge - 4.0 || x1 < edge + 12.0,
            "{what}: a line at y {y} runs from x {x0} to {x1}, across the inspector at {edge}"
        );
    }
}

/// Light theme, where the stray line showed: the bottom panel's top edge ran across the inspector
/// on the Cost tab at 1280x800, because a long line item widened its column, `ui.columns` widened
/// every column to match and the panel grew past its right edge. No line that starts in the
/// bottom panel may reach into the inspector, on any tab, at either size.
#[test]
fn no_line_of_the_bottom_panel_runs_across_the_inspector() {
    for (w, hgt) in SIZES {
        let mut h = harness_on("active-active-2region.ron", vec2(w, hgt));
        run_simulation(&mut h);
        let edge = inspector_left(&h) - 8.0;
        for tab in Tab::ALL {
            h.state_mut().show_tab(tab);
            h.run_steps(3);
            assert_no_line_across(&h, edge, &format!("{w}x{hgt}, {tab:?}"));
        }
    }
}

/// The reference example at `w` x `hgt` with the Cost tab open and drawn.
fn reference_cost_tab(w: f32, hgt: f32) -> Harness<'static, MeridianApp> {
    let mut h = harness_on("active-active-2region.ron", vec2(w, hgt));
    h.state_mut().show_tab(Tab::Cost);
    h.run_steps(3);
    h
}

/// The cost tab's line items stay in their column at both sizes: a long name wraps under itself
/// instead of running under the projection chart beside it.
#[test]
fn the_cost_line_items_fit_their_column() {
    for (w, hgt) in SIZES {
        let h = reference_cost_tab(w, hgt);
        let next_column = h.get_by_label_contains("months at").rect().left();
        let panel_top = h.get_by_label_contains("Problems (").rect().top();
        let items: Vec<Rect> = h
            .query_all_by_label_contains(" · ")
            .filter_map(|n| bounds(&n))
            .filter(|r| r.top() > panel_top && r.left() < next_column)
            .collect();
        assert!(items.len() >= 5, "{w}x{hgt}: the line items are shown ({})", items.len());
        for r in items {
            assert!(
                r.right() <= next_column,
                "{w}x{hgt}: a line item ends at {} past the next column at {next_column}",
                r.right()
            );
        }
    }
}

/// Every example design bundled in `examples/`.
const EXAMPLES: [&str; 7] = [
    "active-active-2region.ron",
    "active-active-3region-aurora.ron",
    "gdpr-eu-residency.ron",
    "gdpr-eu-residency-fixed.ron",
    "multi-az-single-region.ron",
    "pilot-light.ron",
    "warm-standby.ron",
];

/// Zoom to fit in the geographic view fitted the links' routes and the regions' anchors as well
/// as the cards, and went down to any zoom: at 1280x800 `gdpr-eu-residency.ron` fitted at 40% and
/// the three continents of `active-active-3region-aurora.ron` at 27%, where cards are colour
/// blocks (titles are drawn from 42%). Now the fit takes the cards and the users, at a readable
/// zoom, with a region's cards wholly in view.
#[test]
fn the_geographic_fit_shows_every_examples_cards_readable() {
    for name in EXAMPLES {
        for (w, hgt) in SIZES {
            let mut h = harness_on(name, vec2(w, hgt));
            h.get_by_label("Geographic").click();
            let (zoom, view, to_screen, layout) = fitted(&mut h, &format!("{name} at {w}x{hgt}"), 0.45);
            // Above the least zoom everything fitted: every region and the global band are in view
            // (the band's top was cut at 1920x1080).
            if zoom > 0.46 {
                for r in layout.regions.values().chain([&layout.global_band]) {
                    let r = to_screen.mul_rect(*r);
                    assert!(view.contains_rect(r), "{name} at {w}x{hgt}: {r:?} is not wholly in {view:?}");
                }
            }
        }
    }
}

/// The canvas as fitted on opening (after the frames the fit takes): its zoom, at least
/// `min_zoom`; its rectangle on screen; the canvas-to-screen transform; and the layout, with at
/// least one region wholly in view. `what` names the case in failures.
fn fitted(
    h: &mut Harness<'_, MeridianApp>,
    what: &str,
    min_zoom: f32,
) -> (f32, Rect, TSTransform, Arc<Layout>) {
    h.run_steps(4);
    let zoom = h.state().canvas.zoom();
    assert!(zoom >= min_zoom, "{what}: fitted at {:.0}%", zoom * 100.0);
    let view = h.state().canvas.screen_rect();
    let to_screen = h.state().canvas.to_screen();
    let layout = h.state_mut().canvas_layout();
    let in_view = layout.regions.values().filter(|r| view.contains_rect(to_screen.mul_rect(**r))).count();
    assert!(in_view >= 1, "{what}: no region is wholly in view");
    (zoom, view, to_screen, layout)
}

/// A run in progress shows figures (issue 19, the README's "simulation in progress"): before,
/// the panel showed a progress bar and nothing else until every run was done. Now the run goes in
/// passes growing tenfold up to the runs asked for, and the figures of the latest pass
/// show, marked as the first runs, while the rest run; the full run replaces them.
#[test]
fn a_run_in_progress_shows_the_figures_of_its_first_runs() {
    let mut h = harness_on("active-active-2region.ron", vec2(1280.0, 800.0));
    start_run(&mut h, 1000);
    let started = std::time::Instant::now();
    let mut partial_seen = false;
    while h.state_mut().sim_panel().running() {
        assert!(started.elapsed() < std::time::Duration::from_mins(3), "the run finishes");
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run_steps(1);
        if h.query_by_label_contains("Figures of the first").is_some() {
            assert!(h.state_mut().sim_panel().progress().is_some(), "the progress bar shows with them");
            // The figures' text keeps a number with its unit (no-break spaces).
            h.get_by_label_contains("seed\u{a0}1");
            partial_seen = true;
            // The progress bar and Cancel wrap to a second row in the laptop's narrow panel.
            h.get_by_label("Cancel");
            assert_no_line_across(&h, inspector_left(&h) - 8.0, "a run in progress");
        }
    }
    assert!(partial_seen, "figures of the first runs showed while the run went on");
    h.run_steps(2);
    assert!(h.query_by_label_contains("Figures of the first").is_none(), "the full run replaces them");
    h.get_by_label_contains("1000\u{a0}runs");
}

/// A cut text: the text, its x range and its clip's x range.
type Cut = (String, (f32, f32), (f32, f32));

/// Text painted in the bottom panel that its clip rectangle cuts at the left or right, as
/// (text, text's x range, clip's x range). Cut at the top or bottom is a scroll area's business.
fn cut_text(h: &Harness<'_, MeridianApp>, panel_top: f32) -> Vec<Cut> {
    fn walk(s: &Shape, clip: Rect, top: f32, out: &mut Vec<Cut>) {
        match s {
            Shape::Vec(v) => v.iter().for_each(|s| walk(s, clip, top, out)),
            Shape::Text(t) => {
                let r = t.visual_bounding_rect();
                let shown = r.intersect(clip);
                if r.top() > top
                    && shown.height() > 0.0
                    && (r.left() < clip.left() - 0.5 || r.right() > clip.right() + 0.5)
                {
                    out.push((
                        t.galley.text().to_owned(),
                        (r.left(), r.right()),
                        (clip.left(), clip.right()),
                    ));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for c in &h.output().shapes {
        walk(&c.shape, c.clip_rect, panel_top, &mut out);
    }
    out
}

/// No text of the bottom panel is cut at a side, on any tab, at either size, for two examples (one
/// simulated): at 1280x800 the cost charts' last axis labels were cut ("$10,00", "month 1") at
/// their column's edge, at 1600x1000 the timeline slider's text. Text a scroll area hides at its top or bottom is not counted.
#[test]
fn no_text_of_the_bottom_panel_is_cut_at_a_side() {
    for name in ["active-active-2region.ron", "gdpr-eu-residency.ron"] {
        // And the README's pictures' size, where the timeline's slider text was cut ("since sta").
        for (w, hgt) in SIZES.into_iter().chain([(1600.0, 1000.0)]) {
            let mut h = harness_on(name, vec2(w, hgt));
            run_simulation(&mut h);
            for tab in Tab::ALL {
                h.state_mut().show_tab(tab);
                h.run_steps(3);
                let top = h.get_by_label_contains("Problems (").rect().top() - 4.0;
                let cut = cut_text(&h, top);
                assert!(
                    cut.is_empty(),
                    "{name} at {w}x{hgt}, {tab:?}: text cut at a side (text, its x, the clip's x): {cut:?}"
                );
            }
        }
    }
}

/// Every bar of the cost charts is named at both sizes: at 1280x800 the eight bars of "by service
/// kind" were 13 points apart in the panel's height and the plot dropped all their names.
#[test]
fn every_bar_of_the_cost_charts_is_named() {
    for (w, hgt) in SIZES {
        let h = reference_cost_tab(w, hgt);
        let bill = h.state().analysis().bill.as_ref().unwrap().clone();
        let texts: Vec<String> = gui_support::painted(&h)
            .into_iter()
            .filter_map(|s| if let Shape::Text(t) = s { Some(t.galley.text().to_owned()) } else { None })
            .collect();
        let mut kinds: Vec<(&String, &f64)> = bill.by_service.iter().collect();
        kinds.sort_by(|a, b| b.1.total_cmp(a.1));
        for (name, _) in kinds.into_iter().take(8).chain(bill.by_region.iter().take(8)) {
            assert!(texts.iter().any(|t| t == name), "{w}x{hgt}: the bar of {name} has no name");
        }
    }
}

/// The schematic view fitted every example whole at any zoom: at 1280x800 the canvas between the
/// side panels is about 740x500 points and the examples fitted at 44-52%, cards 90 points wide
/// with their titles cut to a few letters (`gdpr-eu-residency.ron` at 46%, coloured blocks as the
/// issue saw them). Now the fit goes no lower than 60%, starting at the design's left edge when it
/// is wider than the view, at least one region's cards wholly in view; at 1600x1000 and 1920x1080 the whole design fits, as before.
#[test]
fn the_schematic_fit_shows_every_examples_cards_readable() {
    for name in EXAMPLES {
        for (w, hgt) in SIZES.into_iter().chain([(1600.0, 1000.0)]) {
            let mut h = harness_on(name, vec2(w, hgt));
            let (_, view, to_screen, layout) = fitted(&mut h, &format!("{name} at {w}x{hgt}"), 0.5 - 1e-4);
            // Wholly in view across where it fits (beside the minimap), else starting at its left
            // edge.
            let whole = to_screen.mul_rect(layout.bounds);
            if whole.width() <= view.width() {
                assert!(
                    whole.left() >= view.left() - 1.0 && whole.right() <= view.right() + 1.0,
                    "{name} at {w}x{hgt}: {whole:?} is not across {view:?}"
                );
            } else {
                assert!(
                    view.x_range().contains(whole.left()),
                    "{name} at {w}x{hgt}: the design's left edge is out of {view:?}: {whole:?}"
                );
            }
            // At the desktop's sizes the whole design fits, as it did.
            if w >= 1600.0 {
                assert!(
                    view.expand(1.0).contains_rect(whole),
                    "{name} at {w}x{hgt}: {whole:?} is not in {view:?}"
                );
            }
        }
    }
}
