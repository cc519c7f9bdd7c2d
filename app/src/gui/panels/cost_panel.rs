//! The cost panel: the monthly total with the price snapshot's date, totals by region and by
//! service kind as bars, the largest line items (estimates marked, with the reason on hover) and
//! the bill projected over the coming months as the workload grows. It updates on every edit.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Line, Plot, PlotPoints};
use meridian_assess::units::Usd;
use meridian_model::cost::{Commitment, Forecast};

use crate::gui::command::AppCommand;
use crate::gui::context::ViewContext;
use crate::gui::theme::Palette;

/// Shows the cost panel for the design's bill; another commitment is sent as a command.
pub fn cost_ui(ui: &mut Ui, view: &ViewContext<'_>) {
    let commitment = view.analysis.cost_options.commitment;
    let bill = match &view.analysis.bill {
        Ok(b) => b,
        Err(e) => {
            ui.colored_label(Palette::of(ui.visuals()).error, e);
            return;
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("{} / month", Usd(bill.total_usd_per_month)));
        ui.label(RichText::new(format!("prices as of {}", bill.price_snapshot_date)).weak());
        if !bill.stale_sources.is_empty() {
            ui.label(
                RichText::new(format!("{} price sources are older than 180 days", bill.stale_sources.len()))
                    .color(Palette::of(ui.visuals()).warning),
            );
        }
        if bill.estimate_lines > 0 {
            ui.label(
                RichText::new(format!("{} lines rest on estimated prices (*)", bill.estimate_lines)).weak(),
            )
            .on_hover_text(
                "Marked * below, with the reason on hover; `meridian cost --json` gives each line's source, \
                     basis and reason.",
            );
        }
        ui.separator();
        let mut c = commitment;
        ui.label("Pricing");
        ui.selectable_value(&mut c, Commitment::None, "on-demand");
        ui.selectable_value(&mut c, Commitment::OneYear, "1-year");
        ui.selectable_value(&mut c, Commitment::ThreeYear, "3-year");
        if c != commitment {
            view.send(AppCommand::SetCommitment(c));
        }
    });
    ui.columns(4, |cols| {
        // Each column draws inside its own width: a long line item never runs into the chart beside it.
        for col in cols.iter_mut() {
            let clip = col.max_rect().intersect(col.clip_rect());
            col.set_clip_rect(clip);
        }
        // Left-aligned inside each column: a justified column spread a wrapped title's words
        // across its width ("Next   12   months").
        cols[0].vertical(|ui| bars(ui, "by region", &bill.by_region));
        cols[1].vertical(|ui| bars(ui, "by service kind", &bill.by_service));
        cols[3].vertical(|ui| projection(ui, view.analysis.forecast.as_ref()));
        let ui = &mut cols[2];
        ui.strong("Largest line items");
        let mut lines: Vec<_> = bill.lines.iter().collect();
        lines.sort_by(|a, b| b.usd_per_month.total_cmp(&a.usd_per_month));
        egui::ScrollArea::vertical().id_salt("cost-lines").show(ui, |ui| line_items_ui(ui, &lines));
    });
}

/// The largest line items, one a row: the amount, then the service and dimension wrapping within
/// the column's width (a name never widens the column, which would push the columns beside it and
/// the panel's edge past the inspector), the full text and an estimate's reason on hover.
fn line_items_ui(ui: &mut Ui, lines: &[&meridian_model::cost::LineItem]) {
    let stripe = ui.visuals().faint_bg_color;
    let no_fill = Palette::of(ui.visuals()).no_fill();
    let width = ui.available_width();
    for (i, l) in lines.iter().take(12).enumerate() {
        let fill = if i % 2 == 1 { stripe } else { no_fill };
        egui::Frame::NONE.fill(fill).show(ui, |ui| {
            ui.set_width(width);
            ui.horizontal_top(|ui| {
                // The amount first: it is never cut; the name wraps beside it.
                let mark = if l.price.estimate { " *" } else { "" };
                ui.label(RichText::new(format!("{}{mark}", Usd(l.usd_per_month))).monospace());
                let tier = l.tier.map(|t| format!(" [{t}]")).unwrap_or_default();
                let text = format!("{} · {}{tier}", l.service, l.dimension);
                let name = ui.add(egui::Label::new(&text).wrap()).on_hover_text(&text);
                if let Some(why) = &l.price.estimate_reason {
                    name.on_hover_text(format!("Estimate: {why}"));
                }
            });
        });
    }
}

/// The projection: the monthly bill over the forecast's months.
fn projection(ui: &mut Ui, forecast: Option<&Forecast>) {
    let Some(f) = forecast.filter(|f| !f.months.is_empty()) else { return };
    ui.strong(format!(
        "Next {} months at {}% growth a month: {}",
        f.months.len(),
        f.growth_percent_per_month,
        Usd(f.total_usd())
    ));
    let pal = Palette::of(ui.visuals());
    let points: PlotPoints = f.months.iter().map(|m| [f64::from(m.month), m.total_usd]).collect();
    // The data area's width, at most: the plot less its value axis.
    let width = (ui.available_width() - 60.0).max(40.0);
    Plot::new("cost-forecast")
        .height(ui.available_height().clamp(80.0, 220.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .x_axis_formatter(move |mark, range| {
            inside(format!("month {}", mark.value.round()), mark.value, range, width)
        })
        .y_axis_formatter(|mark, _| Usd(mark.value).whole())
        .show(ui, |plot| plot.line(Line::new("USD/month", points).color(pal.selection).width(2.0)));
}

fn bars(ui: &mut Ui, title: &str, totals: &std::collections::BTreeMap<String, f64>) {
    ui.strong(format!("Monthly cost {title}"));
    let mut items: Vec<(&String, &f64)> = totals.iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(a.1));
    items.truncate(8);
    let pal = Palette::of(ui.visuals());
    let chart = BarChart::new(
        title,
        items
            .iter()
            .enumerate()
            .map(|(i, (name, v))| Bar::new(i as f64, **v).name(*name).width(0.7).fill(pal.selection))
            .collect(),
    )
    .horizontal();
    let names: Vec<String> = items.iter().map(|(n, _)| (*n).clone()).collect();
    let bar_count = items.len();
    // The data area's width, at most: the plot less its value axis.
    let width = (ui.available_width() - 60.0).max(40.0);
    // Tall enough for a name per bar (the axis drops its labels below 13 points apart); the tab
    // scrolls when that is more than the panel's height.
    let height = ui.available_height().clamp(80.0, 220.0).max(bar_count as f32 * 16.0 + 40.0);
    Plot::new(format!("cost-{title}"))
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid([true, false])
        // One mark and label per bar, however short the chart (the default spacing skips bars
        // when they are close); marks between bars would get no name.
        .y_grid_spacer(move |_| {
            (0..bar_count).map(|i| egui_plot::GridMark { value: i as f64, step_size: 1.0 }).collect()
        })
        // Labels shown down to a bar's height (the default hides them below 20 points apart).
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .formatter(move |mark, _| bar_name(&names, mark.value))
                .label_spacing(11.0..=13.0),
        ])
        .include_y(-0.5)
        .include_y(items.len() as f64 - 0.5)
        .x_axis_formatter(move |mark, range| inside(Usd(mark.value).whole(), mark.value, range, width))
        .show(ui, |plot| plot.bar_chart(chart));
}

/// An axis mark's `label` if it fits inside a data area `width_pt` wide whose axis shows `range`,
/// centred on its mark at `value`; else nothing, so that no label is cut at the plot's right edge (the
/// label's width is estimated at 7 points a character, generous for the axis font).
fn inside(label: String, value: f64, range: &std::ops::RangeInclusive<f64>, width_pt: f32) -> String {
    let span = range.end() - range.start();
    if span <= 0.0 {
        return label;
    }
    // Only the right edge: left of the data area is the plot's own value axis, never clipped.
    let half = label.chars().count() as f64 * 3.5;
    let from_right = (range.end() - value) / span * f64::from(width_pt);
    if from_right < half { String::new() } else { label }
}

/// The name of the bar at `value` on the category axis, if `value` is a bar's position.
fn bar_name(names: &[String], value: f64) -> String {
    let i = value.round();
    if (value - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // Checked whole and >= 0.
    names.get(i as usize).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{bar_name, inside};

    /// A mark's label is left out when half of it would pass the data area's right edge.
    #[test]
    fn a_label_past_the_right_edge_is_left_out() {
        let range = 0.0..=100.0;
        assert_eq!(inside("$100".to_owned(), 100.0, &range, 200.0), "");
        assert_eq!(inside("$95".to_owned(), 95.0, &range, 200.0), "", "10 points from the edge, 10.5 needed");
        assert_eq!(inside("$90".to_owned(), 90.0, &range, 200.0), "$90");
        assert_eq!(inside("$0".to_owned(), 0.0, &range, 200.0), "$0", "the left edge is the axis's");
    }

    /// Issue 19, defect 10: a one-bar chart named its bar at every axis mark ("global" seven
    /// times); only a bar's own position gets its name.
    #[test]
    fn only_a_bars_position_gets_its_name() {
        let names = vec!["global".to_owned()];
        assert_eq!(bar_name(&names, 0.0), "global");
        for off in [-0.5, -0.2, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0] {
            assert_eq!(bar_name(&names, off), "", "mark {off}");
        }
        let two = vec!["eu-west-1".to_owned(), "us-east-1".to_owned()];
        assert_eq!(bar_name(&two, 1.0), "us-east-1");
        assert_eq!(bar_name(&two, 0.5), "");
    }
}
