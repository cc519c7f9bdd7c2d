//! The cost–downtime frontier: monthly cost (x) against downtime per year (y, log scale), one
//! labelled point per design, and the Pareto frontier (the designs no other design beats on both)
//! drawn as a step line.
//!
//! [`frontier_svg`] returns the SVG text (for embedding in a report); [`write_frontier`] writes an
//! SVG or PNG file. [`pareto_front`] is the pure function that decides the frontier.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::output;
use crate::units::Usd;
use crate::units::palette;

/// One design on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// Label drawn next to the point.
    pub label: String,
    /// Monthly cost, USD.
    pub usd_per_month: f64,
    /// Downtime, minutes per year.
    pub downtime_min_per_year: f64,
}

/// Pixel size of the chart.
pub const SIZE: (u32, u32) = (1000, 620);

/// Indices of the points on the Pareto front when both coordinates are to be minimised, ordered by
/// the first coordinate (then the second, then index). A point is on the front when no other point
/// is at most as large in both coordinates and smaller in one. Points with a NaN are never on it.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<usize> {
    let dominates = |a: (f64, f64), b: (f64, f64)| a.0 <= b.0 && a.1 <= b.1 && (a.0 < b.0 || a.1 < b.1);
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| {
            let p = points[i];
            !p.0.is_nan() && !p.1.is_nan() && !points.iter().any(|&q| dominates(q, p))
        })
        .collect();
    front.sort_by(|&a, &b| {
        points[a].0.total_cmp(&points[b].0).then(points[a].1.total_cmp(&points[b].1)).then(a.cmp(&b))
    });
    front
}

/// The chart as SVG text.
pub fn frontier_svg(points: &[FrontierPoint], title: &str) -> Result<String, ChartError> {
    register_font();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(points, title, &area)?;
        area.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// Writes the chart to `path`: SVG or PNG by its extension.
pub fn write_frontier(points: &[FrontierPoint], title: &str, path: &Path) -> Result<(), ChartError> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg") => output::write_svg(path, &frontier_svg(points, title)?),
        Some("png") => {
            register_font();
            output::write_png(path, SIZE, |area| draw(points, title, area))
        }
        _ => Err(ChartError::Extension(path.display().to_string())),
    }
}

fn register_font() {
    // Registering twice is harmless; a bad font would only make text disappear.
    let _ =
        plotters::style::register_font("sans-serif", FontStyle::Normal, epaint_default_fonts::UBUNTU_LIGHT);
}

fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

const BLUE: RGBColor = palette::SERIES[0].plotters();
const ORANGE: RGBColor = palette::FRONTIER.plotters();
const GREY: RGBColor = palette::MUTED.plotters();
const LABEL_PX: u32 = 16;

/// The y value drawn for zero downtime: a tenth of the smallest positive downtime, or 0.01.
fn zero_floor(points: &[FrontierPoint]) -> f64 {
    let min_pos =
        points.iter().map(|p| p.downtime_min_per_year).filter(|d| *d > 0.0).fold(f64::INFINITY, f64::min);
    if min_pos.is_finite() { (min_pos / 10.0).max(1e-4) } else { 0.01 }
}

fn draw<DB: DrawingBackend>(
    points: &[FrontierPoint],
    title: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE).map_err(draw_err)?;
    let floor = zero_floor(points);
    let y_of = |p: &FrontierPoint| p.downtime_min_per_year.max(floor);
    let (mut x_lo, mut x_hi) = points
        .iter()
        .map(|p| p.usd_per_month)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if !x_lo.is_finite() {
        (x_lo, x_hi) = (0.0, 1.0);
    }
    // Room on both sides for labels; the right gets more since labels go right of their points.
    let span = (x_hi - x_lo).max(x_hi.abs() * 0.1).max(1.0);
    let (x_lo, x_hi) = ((x_lo - span * 0.08).max(0.0), x_hi + span * 0.25);
    let (mut y_lo, mut y_hi) = points
        .iter()
        .map(y_of)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if !y_lo.is_finite() {
        (y_lo, y_hi) = (floor, 1.0);
    }
    let (y_lo, y_hi) = (y_lo / 3.0, y_hi * 3.0);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 22))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(85)
        .build_cartesian_2d(x_lo..x_hi, (y_lo..y_hi).log_scale())
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_desc("monthly cost (USD)")
        .y_desc("downtime (minutes per year, log scale)")
        .x_label_formatter(&|v| Usd(*v).whole())
        .y_label_formatter(&|v| if *v >= 10.0 { format!("{v:.0}") } else { format!("{v:.2}") })
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .light_line_style(palette::GRID.plotters())
        .draw()
        .map_err(draw_err)?;
    let coords: Vec<(f64, f64)> = points.iter().map(|p| (p.usd_per_month, p.downtime_min_per_year)).collect();
    let front = pareto_front(&coords);
    // The frontier as a step line: along in cost at the better design's downtime, then down.
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for (k, &i) in front.iter().enumerate() {
        let p = (points[i].usd_per_month, y_of(&points[i]));
        if k > 0 {
            let prev = steps.last().copied().unwrap_or(p);
            steps.push((p.0, prev.1));
        }
        steps.push(p);
    }
    if let Some(&last) = steps.last() {
        steps.push((x_hi, last.1));
    }
    let step_pixels: Vec<(i32, i32)> = steps.iter().map(|p| chart.backend_coord(p)).collect();
    chart
        .draw_series(LineSeries::new(steps, ORANGE.stroke_width(2)))
        .map_err(draw_err)?
        .label("Pareto frontier")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], ORANGE.stroke_width(2)));
    for (on_front, colour, name) in
        [(true, BLUE, "on the frontier"), (false, GREY, "beaten on cost and downtime")]
    {
        let series = points
            .iter()
            .enumerate()
            .filter(|(i, _)| front.contains(i) == on_front)
            .map(|(_, p)| Circle::new((p.usd_per_month, y_of(p)), 6, colour.filled()));
        chart
            .draw_series(series)
            .map_err(draw_err)?
            .label(name)
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .border_style(GREY)
        .background_style(WHITE.mix(0.9))
        .label_font(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    let pixels: Vec<(i32, i32)> =
        points.iter().map(|p| chart.backend_coord(&(p.usd_per_month, y_of(p)))).collect();
    place_labels(points, &pixels, &step_pixels, area)
}

/// Draws each point's label beside it, above and to the right where there is room, moved until it
/// overlaps no other label, point or frontier segment, with a leader line when it had to move.
fn place_labels<DB: DrawingBackend>(
    points: &[FrontierPoint],
    pixels: &[(i32, i32)],
    step_pixels: &[(i32, i32)],
    area: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (width, height) = area.dim_in_pixel();
    let (width, height) =
        (i32::try_from(width).unwrap_or(i32::MAX), i32::try_from(height).unwrap_or(i32::MAX));
    // Obstacles: the frontier's segments, thickened, and every point.
    let mut boxes: Vec<(i32, i32, i32, i32)> = step_pixels
        .windows(2)
        .map(|w| {
            (w[0].0.min(w[1].0) - 3, w[0].1.min(w[1].1) - 3, w[0].0.max(w[1].0) + 3, w[0].1.max(w[1].1) + 3)
        })
        .collect();
    boxes.extend(pixels.iter().map(|&(x, y)| (x - 8, y - 8, x + 8, y + 8)));
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by_key(|&i| (pixels[i].1, pixels[i].0));
    let line = i32::try_from(LABEL_PX).unwrap_or(16) + 4;
    for i in order {
        let p = &points[i];
        let text = format!("{} ({}, {})", p.label, Usd(p.usd_per_month), downtime(p.downtime_min_per_year));
        // Ubuntu Light averages about 0.5 em per character.
        #[allow(clippy::cast_possible_truncation)]
        let w = (text.chars().count() as f64 * f64::from(LABEL_PX) * 0.5).ceil() as i32;
        let (px, py) = pixels[i];
        // Candidate spots, nearest first: right of the point, centred on it, left of it; above
        // the point, moving up, then below it, moving down.
        let xs: Vec<i32> =
            [px + 10, px - w / 2, px - 10 - w].into_iter().filter(|&x| x > 0 && x + w < width - 10).collect();
        let free = |x: i32, y: i32| {
            let b = (x, y, x + w, y + line);
            y > 0
                && y + line < height
                && !boxes.iter().any(|o| b.0 < o.2 && o.0 < b.2 && b.1 < o.3 && o.1 < b.3)
        };
        let above = py - line - 6;
        let candidates = (0..60)
            .flat_map(|k| xs.iter().map(move |&x| (x, above - k * 4)))
            .chain((0..60).flat_map(|k| xs.iter().map(move |&x| (x, py + 6 + k * 4))));
        let fallback = (xs.first().copied().unwrap_or(px + 10), above);
        let (x, y) = candidates.into_iter().find(|&(x, y)| free(x, y)).unwrap_or(fallback);
        boxes.push((x, y, x + w, y + line));
        let anchor = (px.clamp(x, x + w), if y < py { y + line } else { y });
        if (anchor.1 - py).abs() > line {
            area.draw(&PathElement::new([(px, py), anchor], GREY.stroke_width(1))).map_err(draw_err)?;
        }
        area.draw(&Text::new(text, (x, y + 2), ("sans-serif", LABEL_PX).into_font().color(&BLACK)))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn downtime(min_per_year: f64) -> String {
    if min_per_year <= 0.0 {
        "no downtime".to_owned()
    } else if min_per_year < 120.0 {
        format!("{min_per_year:.1} min/y")
    } else {
        format!("{:.0} h/y", min_per_year / 60.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn dominated_by(a: (f64, f64), b: (f64, f64)) -> bool {
        b.0 <= a.0 && b.1 <= a.1 && (b.0 < a.0 || b.1 < a.1)
    }

    proptest! {
        #[test]
        fn front_is_undominated_and_dominates_the_rest(
            pts in prop::collection::vec((0.0f64..100.0, 0.0f64..100.0), 0..30),
            dup in any::<bool>(),
        ) {
            let mut pts = pts;
            if dup && !pts.is_empty() {
                pts.push(pts[0]);
            }
            let front = pareto_front(&pts);
            for &i in &front {
                prop_assert!(!pts.iter().any(|&q| dominated_by(pts[i], q)));
            }
            for i in (0..pts.len()).filter(|i| !front.contains(i)) {
                prop_assert!(front.iter().any(|&f| dominated_by(pts[i], pts[f])), "{i} off the front but undominated");
            }
            for w in front.windows(2) {
                prop_assert!(pts[w[0]].0 <= pts[w[1]].0);
            }
        }
    }

    #[test]
    fn front_of_a_staircase() {
        let pts = [(1.0, 100.0), (2.0, 50.0), (3.0, 60.0), (4.0, 1.0), (0.5, 200.0)];
        assert_eq!(pareto_front(&pts), [4, 0, 1, 3]);
        assert!(pareto_front(&[]).is_empty());
    }

    #[test]
    fn svg_has_every_label_and_survives_zero_downtime() {
        let points = vec![
            FrontierPoint { label: "cheap".into(), usd_per_month: 100.0, downtime_min_per_year: 5000.0 },
            FrontierPoint { label: "perfect".into(), usd_per_month: 900.0, downtime_min_per_year: 0.0 },
            FrontierPoint { label: "worse".into(), usd_per_month: 950.0, downtime_min_per_year: 6000.0 },
        ];
        let svg = frontier_svg(&points, "test").unwrap();
        assert!(svg.starts_with("<svg"));
        for l in [
            "cheap ($100, 83 h/y)",
            "perfect ($900, no downtime)",
            "worse",
            "Pareto frontier",
            "beaten on cost",
        ] {
            assert!(svg.contains(l), "{l} missing");
        }
        let e = write_frontier(&points, "t", Path::new("chart.gif")).unwrap_err();
        assert!(matches!(e, ChartError::Extension(_)));
    }
}
