//! Charts of simulation results with plotters, as PNG and SVG: availability over time, RTO and
//! RPO histograms, latency CDF per population, data-law timeline.

use std::path::Path;

use meridian_sim::SimResults;
use meridian_sim::results::Bucket;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::output;
use crate::units::Seconds;
use crate::units::palette::SERIES;

const SIZE: (u32, u32) = (960, 540);
/// The colour of series `i` (the palette's series colours, repeated).
fn color(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()].plotters()
}

fn register_font() {
    // Registering twice is harmless; a bad font would only make text disappear.
    let _ =
        plotters::style::register_font("sans-serif", FontStyle::Normal, epaint_default_fonts::UBUNTU_LIGHT);
}

type DrawResult = Result<(), ChartError>;

/// Writes every chart into `dir` (created if missing): all drawn first, then written together
/// with [`meridian_model::format::write_files`], so an interrupted run leaves the folder as it was.
pub fn write_all(r: &SimResults, dir: &Path) -> DrawResult {
    register_font();
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for (name, chart) in [
        ("availability", Chart::Availability),
        ("rto", Chart::Rto),
        ("rpo", Chart::Rpo),
        ("latency-cdf", Chart::Latency),
        ("data-law", Chart::DataLaw),
    ] {
        let png = format!("{name}.png");
        files.push((
            png.clone().into(),
            output::png_bytes(&dir.join(&png), SIZE, |area| draw(chart, r, area))?,
        ));
        files.push((format!("{name}.svg").into(), svg_string(chart, r, SIZE)?.into_bytes()));
    }
    meridian_model::format::write_files(dir, &files).map_err(|e| match e {
        meridian_model::format::SaveError::Io { file, source, .. } => ChartError::Io { file, source },
        other @ meridian_model::format::SaveError::Serialize { .. } => ChartError::Draw(other.to_string()),
    })?;
    Ok(())
}

/// The charts of simulation results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// Requests served over simulated time.
    Availability,
    /// Histogram of recovery times.
    Rto,
    /// Histogram of data-loss windows.
    Rpo,
    /// Latency CDF per population, normal and during incidents.
    Latency,
    /// Share of time each population's data was outside its allowed jurisdictions.
    DataLaw,
}

/// One chart as an SVG document of `size` pixels (it scales with its viewBox), for the report.
pub fn svg_string(chart: Chart, r: &SimResults, size: (u32, u32)) -> Result<String, ChartError> {
    register_font();
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(chart, r, &area)?;
        area.present().map_err(err)?;
    }
    Ok(out)
}

fn draw<DB: DrawingBackend>(chart: Chart, r: &SimResults, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    match chart {
        Chart::Availability => availability(r, area),
        Chart::Rto => rto(r, area),
        Chart::Rpo => rpo(r, area),
        Chart::Latency => latency(r, area),
        Chart::DataLaw => data_law(r, area),
    }
}

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::draw(e)
}

fn title(r: &SimResults, what: &str) -> String {
    format!("{what} - {} ({}, {} runs)", r.design, r.scenario, r.runs)
}

fn hours(r: &SimResults) -> (f64, &'static str) {
    let h = r.horizon_s / 3600.0;
    if h > 24.0 * 60.0 { (86_400.0, "days") } else { (3600.0, "hours") }
}

fn availability<DB: DrawingBackend>(r: &SimResults, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE).map_err(err)?;
    let (unit, unit_name) = hours(r);
    let t = &r.timeline;
    let lo = t.availability.iter().copied().fold(1.0f64, f64::min);
    let floor = if lo >= 0.9999 { 0.999 } else { (lo - (1.0 - lo) * 0.1).max(0.0) };
    let xmax = r.horizon_s / unit;
    let mut chart = ChartBuilder::on(area)
        .caption(title(r, "Availability over time"), ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(0f64..xmax, floor..1.0005f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("simulated time ({unit_name})"))
        .y_desc("requests served (%)")
        .y_label_formatter(&|v| format!("{:.3}", v * 100.0))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(err)?;
    let points: Vec<(f64, f64)> = t
        .availability
        .iter()
        .enumerate()
        .flat_map(|(i, a)| [(i as f64 * t.bin_s / unit, *a), ((i + 1) as f64 * t.bin_s / unit, *a)])
        .collect();
    chart.draw_series(LineSeries::new(points, color(0).stroke_width(2))).map_err(err)?;
    Ok(())
}

fn histogram<DB: DrawingBackend>(
    r: &SimResults,
    area: &DrawingArea<DB, Shift>,
    what: &str,
    buckets: &[Bucket],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE).map_err(err)?;
    if buckets.is_empty() {
        area.draw(&Text::new(format!("{what}: no samples in this scenario"), (40, 250), ("sans-serif", 24)))
            .map_err(err)?;
        return Ok(());
    }
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(title(r, what), ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(0..buckets.len(), 0u64..max + max / 10 + 1)
        .map_err(err)?;
    let edges: Vec<f64> = buckets.iter().map(|b| b.upper_s).collect();
    let labels = distinct_labels(&edges);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(10)
        .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
        .x_desc("duration (upper edge of bar, log scale)")
        .y_desc("count")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            buckets
                .iter()
                .enumerate()
                .map(|(i, b)| Rectangle::new([(i, 0), (i + 1, b.count)], color(0).mix(0.8).filled())),
        )
        .map_err(err)?;
    Ok(())
}

/// Labels for bucket edges with the fewest decimals that tell neighbouring edges apart (edges
/// close together, such as many recoveries of about two hours, would otherwise all read "2.0h").
fn distinct_labels(edges: &[f64]) -> Vec<String> {
    let mut labels = Vec::new();
    for extra in 0..=3 {
        labels = edges.iter().map(|&e| Seconds(e).with_extra_decimals(extra)).collect();
        if labels.windows(2).all(|w| w[0] != w[1]) {
            break;
        }
    }
    labels
}

fn rto<DB: DrawingBackend>(r: &SimResults, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    histogram(r, area, "RTO (time until users are served again)", &r.rto_histogram)
}

fn rpo<DB: DrawingBackend>(r: &SimResults, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    histogram(r, area, "RPO (data-loss window)", &r.rpo_histogram)
}

fn latency<DB: DrawingBackend>(r: &SimResults, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE).map_err(err)?;
    let xmax =
        r.latency.values().flat_map(|l| [l.normal.p99_ms, l.incident.p99_ms]).fold(10.0f64, f64::max) * 1.2;
    let mut chart = ChartBuilder::on(area)
        .caption(title(r, "Latency CDF"), ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..xmax, 0f64..1.0f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("latency (ms)")
        .y_desc("fraction of requests")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(err)?;
    for (i, (pop, l)) in r.latency.iter().enumerate() {
        let color = color(i);
        for (cond, s, dashed) in [("normal", &l.normal, false), ("incident", &l.incident, true)] {
            if s.cdf.is_empty() {
                continue;
            }
            let style = if dashed { color.mix(0.6).stroke_width(2) } else { color.stroke_width(3) };
            let pts: Vec<(f64, f64)> = s.cdf.clone();
            chart
                .draw_series(LineSeries::new(pts, style))
                .map_err(err)?
                .label(format!("{pop} ({cond})"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    Ok(())
}

fn data_law<DB: DrawingBackend>(r: &SimResults, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE).map_err(err)?;
    let (unit, unit_name) = hours(r);
    let t = &r.timeline;
    let bin_min = t.bin_s / 60.0;
    let ymax = 100.0;
    let mut chart = ChartBuilder::on(area)
        .caption(title(r, "Data outside allowed jurisdictions"), ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..r.horizon_s / unit, 0f64..ymax * 1.05)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("simulated time ({unit_name})"))
        .y_desc("share of time outside (%)")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(err)?;
    for (i, (pop, mins)) in t.data_law_minutes.iter().enumerate() {
        let color = color(i);
        let pts: Vec<(f64, f64)> = mins
            .iter()
            .enumerate()
            .flat_map(|(b, m)| {
                let v = if bin_min > 0.0 { m / bin_min * 100.0 } else { 0.0 };
                [(b as f64 * t.bin_s / unit, v), ((b + 1) as f64 * t.bin_s / unit, v)]
            })
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(err)?
            .label(pop.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_labels_tell_close_edges_apart() {
        let edges = [7100.0, 7200.0, 7300.0, 7400.0];
        let labels = distinct_labels(&edges);
        assert!(labels.windows(2).all(|w| w[0] != w[1]), "{labels:?}");
        // The axis used its own compact units ("500ms", "30s", "10m") until issue 13 gave every
        // duration one rule.
        assert_eq!(distinct_labels(&[0.5, 30.0, 600.0]), ["500 ms", "30 s", "10.0 min"]);
    }
}
