//! `meridian bench gui`: the designer's frame time, headless.
//!
//! Runs the real `MeridianApp::ui` in an egui context without a window or GPU, on a generated
//! design, for many frames while panning and zooming between "whole design" and close-up views;
//! each frame is measured from input to tessellated meshes (what a GPU would then draw).
//! Both wall-clock and thread CPU time are reported: on a shared machine the CPU time is the
//! figure that does not depend on what else runs.

use std::time::Instant;

use crate::gui::{MeridianApp, Preferences};
use egui::emath::TSTransform;
use egui::{RawInput, Rect, pos2, vec2};
use meridian_model::synth;

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

    let design = synth::generate(catalog, services, 12)?;
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
    crate::outln!(
        "services={} links={} frames={frames} primitives_max={primitives} cold_start_ms={cold_start_ms:.0}",
        app.design().services().len(),
        app.design().links().len()
    );
    crate::outln!("p90_ms={p90:.2} max_ms={max:.2} cpu_ms_per_frame={:.2}", median(cpu_samples));
    crate::outln!("services={} ms_per_frame={:.2}", app.design().services().len(), median(samples));
    Ok(exit::SUCCESS)
}
