//! The report's charts as inline SVG: the simulation charts of `meridian simulate --plots`
//! ([`crate::charts::simulation`]), bar charts of the monthly cost by region and by service, and
//! the monthly bill projected over the coming months.

use meridian_sim::SimResults;
use plotters::prelude::*;

use crate::charts::ChartError;
use crate::charts::simulation::{self, Chart};
use crate::units::{Usd, palette};

/// Pixel size the charts are drawn at; in the page they scale to the width of their figure.
pub const CHART_SIZE: (u32, u32) = (900, 480);

/// The simulation charts, each with its caption: availability over time, RTO and RPO histograms,
/// latency per population.
pub fn simulation_charts(r: &SimResults) -> Result<Vec<(&'static str, String)>, ChartError> {
    let mut out = Vec::new();
    for (caption, chart) in [
        ("Availability over simulated time (requests served, mean over runs)", Chart::Availability),
        ("RTO: time until users are served again, per incident", Chart::Rto),
        ("RPO: window of writes lost, per store failure", Chart::Rpo),
        (
            "Latency per population: CDF in normal operation (solid) and during incidents (faded)",
            Chart::Latency,
        ),
    ] {
        out.push((caption, scalable(&simulation::svg_string(chart, r, CHART_SIZE)?)));
    }
    Ok(out)
}

/// A horizontal bar chart of `items` (label, US dollars per month), largest first as given.
pub fn cost_bars(title: &str, items: &[(String, f64)]) -> Result<String, ChartError> {
    // Plotters needs at least two slots to label a segmented axis; one item leaves the top one empty.
    let rows = items.len().max(2);
    let height = (90 + 34 * rows as u32).min(1200);
    let mut out = String::new();
    {
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
        let area = SVGBackend::with_string(&mut out, (CHART_SIZE.0, height)).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        let max = items.iter().map(|(_, v)| *v).fold(0.0f64, f64::max).max(1.0) * 1.15;
        let labels: Vec<String> = items.iter().map(|(l, _)| super::svg::clip(l, 30)).collect();
        let mut chart = ChartBuilder::on(&area)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(200)
            .build_cartesian_2d(0f64..max, (0..rows - 1).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    rows.checked_sub(1 + *i).and_then(|k| labels.get(k)).cloned().unwrap_or_default()
                }
                _ => String::new(),
            })
            .x_label_formatter(&|v| Usd(*v).whole())
            .x_desc("US dollars per month")
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(items.iter().enumerate().map(|(i, (_, v))| {
                let row = rows - 1 - i;
                let mut bar = Rectangle::new(
                    [(0.0, SegmentValue::Exact(row)), (*v, SegmentValue::Exact(row + 1))],
                    palette::SERIES[0].plotters().mix(0.85).filled(),
                );
                bar.set_margin(5, 5, 0, 0);
                bar
            }))
            .map_err(err)?;
        area.present().map_err(err)?;
    }
    Ok(scalable(&out))
}

/// A line chart of the forecast: the monthly bill month by month.
pub fn cost_forecast(f: &meridian_model::cost::Forecast) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
        let area = SVGBackend::with_string(&mut out, CHART_SIZE).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        let last = f.months.last().map_or(1, |m| m.month).max(2);
        let max = f.months.iter().map(|m| m.total_usd).fold(0.0f64, f64::max).max(1.0) * 1.15;
        let mut chart = ChartBuilder::on(&area)
            .caption(
                format!(
                    "Monthly cost over {} months, traffic growing {}% a month",
                    f.months.len(),
                    f.growth_percent_per_month
                ),
                ("sans-serif", 22),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(90)
            .build_cartesian_2d(1f64..f64::from(last), 0f64..max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(f.months.len().clamp(2, 13))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| Usd(*v).whole())
            .x_desc("month")
            .y_desc("US dollars per month")
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        let colour = palette::SERIES[0].plotters();
        let points: Vec<(f64, f64)> = f.months.iter().map(|m| (f64::from(m.month), m.total_usd)).collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(3))).map_err(err)?;
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, 4, colour.filled()))).map_err(err)?;
        area.present().map_err(err)?;
    }
    Ok(scalable(&out))
}

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::draw(e)
}

/// Removes the fixed `width` and `height` of plotters' root `<svg>` element so the chart scales
/// with its viewBox to the width of the page.
pub fn scalable(svg: &str) -> String {
    let Some(end) = svg.find('>') else { return svg.to_owned() };
    let (head, rest) = svg.split_at(end);
    let head: Vec<&str> =
        head.split(' ').filter(|a| !a.starts_with("width=\"") && !a.starts_with("height=\"")).collect();
    format!("{}{rest}", head.join(" "))
        .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalable_drops_only_the_root_size() {
        let s = scalable(
            r#"<svg width="900" height="480" viewBox="0 0 900 480" xmlns="x"><rect width="5" height="6"/></svg>"#,
        );
        assert_eq!(s, r#"<svg viewBox="0 0 900 480" xmlns="x"><rect width="5" height="6"/></svg>"#);
    }

    #[test]
    fn cost_bars_draw_one_bar_per_item_with_escaped_labels() {
        let items = vec![("eu-west-1".to_owned(), 120.0), ("a<b>&c".to_owned(), 40.0)];
        let svg = cost_bars("Cost by region", &items).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("viewBox"));
        assert!(svg.contains("\neu-west-1\n</text>"));
        assert!(svg.contains("a&lt;b&gt;&amp;c") && !svg.contains("a<b>"));
    }

    #[test]
    fn cost_bars_draw_one_item_and_none() {
        let one = cost_bars("One", &[("global".to_owned(), 5.0)]).unwrap();
        assert!(one.contains("\nglobal\n</text>"), "{one}");
        let none = cost_bars("None", &[]).unwrap();
        assert!(none.contains("\nNone\n</text>"));
    }
}
