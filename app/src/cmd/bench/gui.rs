//! `meridian bench gui`: the designer's frame time, headless.
//!
//! Runs the real `MeridianApp::ui` in an egui context without a window or GPU, on a generated
//! design annotated as an architect would (a VPC box around each region, a note beside it, a
//! team box over every three regions, and a note per 250 services), for many frames while panning and zooming between "whole design" and close-up views;
//! each frame is measured from input to tessellated meshes (what a GPU would then draw).
//! Both wall-clock and thread CPU time are reported: on a shared machine the CPU time is the
//! figure that does not depend on what else runs. The simulator's events/s measured in the same
//! run is the machine's reference: the CPU time is also given scaled to a machine where
//! `bench sim` runs at 16M events/s (an idle core of the 2-core machine the targets were set on).

use std::time::Instant;

use crate::gui::{MeridianApp, Preferences};
use egui::emath::TSTransform;
use egui::{RawInput, Rect, pos2, vec2};
use meridian_assess::canvas_layout::{Layout, ViewMode};
use meridian_model::design::{Annotation, AnnotationKind, GroupKind};
use meridian_model::{AnnotationId, Catalog, Command, Design, synth};

use crate::exit;

/// The screen the benchmark draws into, in points.
const SCREEN: Rect = Rect { min: pos2(0.0, 0.0), max: pos2(1600.0, 1000.0) };

fn frame(ctx: &egui::Context, app: &mut MeridianApp) -> (f64, f64, usize) {
    let input = RawInput { screen_rect: Some(SCREEN), ..RawInput::default() };
    let cpu = cpu_time::ThreadTime::now();
    let start = Instant::now();
    let mut out = ctx.run_ui(input, |ui| app.ui(ui));
    let primitives = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    // There is no GPU to upload font textures to; the deltas are measured work, then dropped.
    out.textures_delta.clear();
    (start.elapsed().as_secs_f64() * 1e3, cpu.elapsed().as_secs_f64() * 1e3, primitives.len())
}

/// The events/s of the reference machine the frame targets were set on (`bench sim` on an idle
/// core of the 2-core machine).
const REFERENCE_EVENTS_PER_S: f64 = 16e6;

/// Adds annotations to `design` as an architect would draw them on the schematic canvas: a VPC
/// box around each region with a note below it, a team box over every three regions (in the
/// layout's order), and a note per 250 services inside the regions.
fn annotate(design: &mut Design, catalog: &Catalog) -> anyhow::Result<()> {
    let layout = Layout::compute(design, catalog, ViewMode::Schematic);
    let grid = |v: f32| (v / 10.0).round() as i32 * 10;
    let mut add = |id: String, kind: AnnotationKind, text: String, r: Rect| {
        let a = Annotation {
            id: AnnotationId::new(id),
            kind,
            text,
            x: grid(r.left()),
            y: grid(r.top()),
            width: grid(r.width()).max(Annotation::MIN_SIDE as i32) as u32,
            height: grid(r.height()).max(Annotation::MIN_SIDE as i32) as u32,
        };
        meridian_model::apply(design, catalog, Command::AddAnnotation(a)).map(drop)
    };
    let regions: Vec<_> = layout.regions.iter().collect();
    for (i, (id, r)) in regions.iter().enumerate() {
        add(
            format!("vpc-{id}"),
            AnnotationKind::Group(GroupKind::Vpc),
            format!("prod {id}"),
            r.expand(20.0),
        )?;
        let note = Rect::from_min_size(r.left_bottom() + vec2(0.0, 30.0), vec2(220.0, 120.0));
        add(
            format!("note-{id}"),
            AnnotationKind::Note,
            format!("{id}: failover is manual;\nrunbook RB-{i} owns the DNS switch"),
            note,
        )?;
    }
    for (i, chunk) in regions.chunks(3).enumerate() {
        let span = chunk.iter().fold(Rect::NOTHING, |acc, (_, r)| acc.union(**r)).expand(50.0);
        add(format!("team-{i}"), AnnotationKind::Group(GroupKind::Team), format!("Team {i}"), span)?;
    }
    for (i, (_, r)) in layout.services.iter().enumerate().step_by(250) {
        let note = Rect::from_min_size(r.right_top() + vec2(10.0, 0.0), vec2(160.0, 80.0));
        add(format!("card-note-{i}"), AnnotationKind::Note, format!("Capacity review {i}"), note)?;
    }
    Ok(())
}

/// Median of `samples`.
fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Runs the benchmark.
pub fn run(services: usize, frames: usize) -> anyhow::Result<u8> {
    let catalog = crate::cmd::catalog()?;
    // Cold start: the bundled reference design to its first frame.
    let cold = Instant::now();
    let example = meridian_model::format::load_str(
        include_str!("../../../../examples/active-active-2region.ron"),
        std::path::Path::new("examples/active-active-2region.ron"),
        catalog,
    )?;
    let mut first = MeridianApp::with_design(catalog, example.design, &Preferences::default());
    let ctx = egui::Context::default();
    frame(&ctx, &mut first);
    let cold_start_ms = cold.elapsed().as_secs_f64() * 1e3;

    let mut design = synth::generate(catalog, services, 12)?;
    annotate(&mut design, catalog)?;
    let mut app = MeridianApp::with_design(catalog, design, &Preferences::default());
    let ctx = egui::Context::default();
    // Two warm-up frames: the first fits the view and fills caches.
    frame(&ctx, &mut app);
    frame(&ctx, &mut app);
    let fit = app.canvas.to_screen();
    let mut samples = Vec::with_capacity(frames);
    let mut cpu_samples = Vec::with_capacity(frames);
    let mut primitives = 0;
    for i in 0..frames {
        // Alternate: the whole design panning, then zoomed in to readable cards, panning across.
        let t = i as f32 / frames as f32;
        let view = if i % 2 == 0 {
            TSTransform::new(
                fit.translation + vec2(40.0 * (t * 12.0).sin(), 25.0 * (t * 9.0).cos()),
                fit.scaling,
            )
        } else {
            let zoom = 0.9;
            let centre =
                fit.inverse().mul_pos(SCREEN.center()) + vec2(3000.0 * (t - 0.5), 600.0 * (t * 6.0).sin());
            TSTransform::new(SCREEN.center().to_vec2() - centre.to_vec2() * zoom, zoom)
        };
        app.canvas.set_view(view);
        let (ms, cpu_ms, n) = frame(&ctx, &mut app);
        samples.push(ms);
        cpu_samples.push(cpu_ms);
        primitives = primitives.max(n);
    }
    let max = samples.iter().copied().fold(0.0, f64::max);
    let p90 = {
        let mut s = samples.clone();
        s.sort_by(f64::total_cmp);
        s[(s.len() * 9 / 10).min(s.len() - 1)]
    };
    let cpu_ms = median(cpu_samples);
    let reference = super::load::reference_events_per_s()?;
    crate::outln!(
        "services={} links={} annotations={} frames={frames} primitives_max={primitives} cold_start_ms={cold_start_ms:.0}",
        app.design().services().len(),
        app.design().links().len(),
        app.design().annotations().count()
    );
    crate::outln!("p90_ms={p90:.2} max_ms={max:.2} cpu_ms_per_frame={cpu_ms:.2}");
    crate::outln!(
        "reference_events_per_s={reference:.0} cpu_ms_per_frame_at_16M_events_per_s={:.2}",
        cpu_ms * reference / REFERENCE_EVENTS_PER_S
    );
    crate::outln!("services={} ms_per_frame={:.2}", app.design().services().len(), median(samples));
    Ok(exit::SUCCESS)
}
