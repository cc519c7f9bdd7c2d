//! The compare view: the design being edited next to other design files and its own strategy
//! variants, each assessed under one scenario as a background [`Job`] (the same `assess` as
//! `meridian compare`), shown as the same table with the best value of each row marked, and the
//! cost-versus-downtime frontier chart.

use std::path::{Path, PathBuf};

use egui::{Align2, RichText, Ui};
use egui_plot::{
    GridInput, GridMark, HoverPosition, Line, MarkerShape, Plot, PlotPoint, PlotPoints, Points, Text,
};
use meridian_model::variants::{self, Strategy};
use meridian_model::{Catalog, Design};
use meridian_sim::SimOptions;

use super::context::ViewContext;
use super::job::{Job, Worker};
use super::panels::sim_panel::run_controls;
use meridian_assess::assessment::{self as assess, AssessOptions, Assessment, Want};
use meridian_assess::charts::frontier::pareto_front;
use meridian_assess::compare::Comparison;
use meridian_assess::units::Usd;

/// Where a compared design comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The design being edited, as it is when the comparison starts.
    Current,
    /// A design file.
    File(PathBuf),
    /// A strategy variant of the design being edited.
    Variant(Strategy, Box<Design>),
}

/// One column of the comparison.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where it comes from.
    pub source: Source,
    /// Whether it takes part in the next run.
    pub include: bool,
}

impl Entry {
    /// The entry's name in the list.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Current => "This design".to_owned(),
            Source::File(p) => {
                p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
            }
            Source::Variant(s, _) => s.label().to_owned(),
        }
    }
}

/// One design's assessment, or why it failed.
type Column = (String, Result<Assessment, String>);

/// A design to assess: loaded already, or the file to load it from.
type Work = (String, Result<Design, PathBuf>);

/// The compare view's state.
pub struct CompareView {
    /// Whether the window is open.
    pub open: bool,
    /// The designs to compare.
    pub entries: Vec<Entry>,
    /// Built-in scenario name.
    pub scenario: String,
    /// Monte Carlo runs per design.
    pub runs: u32,
    /// Seed (the same for every design, so they face the same failures).
    pub seed: u64,
    /// The path typed into "Add design file".
    pub add_path: String,
    job: Option<Job<Vec<Column>>>,
    columns: Vec<Column>,
    /// The table of the designs that were assessed, with their names.
    comparison: Option<(Comparison, Vec<String>)>,
    message: Option<String>,
}

impl Default for CompareView {
    fn default() -> Self {
        CompareView {
            open: false,
            entries: vec![Entry { source: Source::Current, include: true }],
            scenario: "random-year".into(),
            runs: 30,
            seed: 1,
            add_path: String::new(),
            job: None,
            columns: Vec::new(),
            comparison: None,
            message: None,
        }
    }
}

impl CompareView {
    /// Whether a comparison is running.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// The finished comparison: one column per design, in entry order.
    pub fn columns(&self) -> &[(String, Result<Assessment, String>)] {
        &self.columns
    }

    /// The table of the last comparison (the designs that could be assessed).
    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref().map(|(c, _)| c)
    }

    /// Adds a design file to compare (loaded when the comparison runs).
    pub fn add_file(&mut self, path: &Path) {
        let known = self.entries.iter().any(|e| matches!(&e.source, Source::File(p) if p == path));
        if !known {
            self.entries.push(Entry { source: Source::File(path.to_owned()), include: true });
        }
    }

    /// Adds the strategy variants of `design` (replacing earlier ones); tells why if it cannot.
    pub fn add_variants(&mut self, design: &Design, catalog: &Catalog) {
        match variants::derive_all(design, catalog) {
            Ok(vs) => {
                self.entries.retain(|e| !matches!(e.source, Source::Variant(..)));
                let n = vs.len();
                self.entries.extend(vs.into_iter().map(|v| Entry {
                    source: Source::Variant(v.strategy, Box::new(v.design)),
                    include: true,
                }));
                self.message = Some(format!("Added {n} strategy variants of “{}”.", design.name()));
            }
            Err(e) => self.message = Some(format!("No variants: {e}")),
        }
    }

    /// Starts assessing every included entry; `current` is the design being edited.
    pub fn start(&mut self, current: &Design, catalog: &'static Catalog) {
        if self.job.is_some() {
            return;
        }
        let work: Vec<Work> = self
            .entries
            .iter()
            .filter(|e| e.include)
            .map(|e| {
                let design = match &e.source {
                    Source::Current => Ok(current.clone()),
                    Source::Variant(_, d) => Ok((**d).clone()),
                    Source::File(p) => Err(p.clone()),
                };
                (e.label(), design)
            })
            .collect();
        if work.is_empty() {
            self.message = Some("Tick at least one design to compare.".into());
            return;
        }
        let options = match AssessOptions::builtin(Want::COMPARE) {
            Ok(o) => AssessOptions {
                sim: SimOptions {
                    runs: Some(self.runs.max(1)),
                    seed: Some(self.seed),
                    horizon: None,
                    threads: 0,
                    keep_runs: false,
                },
                ..o
            },
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        };
        let scenario = self.scenario.clone();
        let designs = u32::try_from(work.len()).unwrap_or(u32::MAX);
        let run = move |worker: &Worker| assess_all(work, catalog, &scenario, &options, worker);
        match Job::spawn("gui-compare", "comparison", designs, self.runs.max(1), run) {
            Ok(job) => {
                self.job = Some(job);
                self.message = None;
            }
            Err(e) => self.message = Some(format!("cannot start the comparison: {e}")),
        }
    }

    /// Asks a running comparison to stop.
    pub fn cancel(&self) {
        if let Some(j) = &self.job {
            j.cancel();
        }
    }

    /// Collects a finished comparison.
    pub fn poll(&mut self) {
        let Some(job) = &mut self.job else { return };
        let Some(finished) = job.poll() else { return };
        let cancelled = job.cancelled();
        self.job = None;
        match finished {
            Ok(columns) if cancelled => {
                self.message = Some(format!("Cancelled after {} designs.", columns.len()));
            }
            Ok(columns) => {
                let (names, ok): (Vec<String>, Vec<Assessment>) = columns
                    .iter()
                    .filter_map(|(l, r)| r.as_ref().ok().map(|a| (l.clone(), a.clone())))
                    .unzip();
                self.comparison = (!ok.is_empty()).then(|| (Comparison::new(&ok), names));
                self.columns = columns;
            }
            Err(e) => self.message = Some(format!("{e}.")),
        }
    }

    fn progress(&self) -> Option<(f32, String)> {
        let j = self.job.as_ref()?;
        let (design, designs) = j.stage();
        let (run, runs) = j.steps();
        Some((j.fraction(), format!("design {} of {designs}, run {run}/{runs}", design + 1)))
    }
}

/// Assesses each design in turn (on the comparison's thread), stopping early when cancelled.
fn assess_all(
    work: Vec<Work>,
    catalog: &'static Catalog,
    scenario: &str,
    options: &AssessOptions,
    worker: &Worker,
) -> Vec<Column> {
    let mut out = Vec::with_capacity(work.len());
    for (i, (label, design)) in work.into_iter().enumerate() {
        worker.set_stage(u32::try_from(i).unwrap_or(u32::MAX));
        let progress = |p: meridian_sim::Progress| worker.set_done(p.runs_done);
        let cancel = worker.cancel_flag();
        let result = match design {
            Ok(d) => assess::resolve_scenario(scenario, &d, catalog)
                .and_then(|s| assess::assess(&d, catalog, &s, options, &progress, cancel)),
            Err(path) => assess::assess_file(&path, catalog, scenario, options, &progress, cancel),
        };
        out.push((label, result.map_err(|e| e.to_string())));
        if worker.cancelled() {
            break;
        }
    }
    out
}

/// What the user asked for in the compare window that needs the design being edited.
enum CompareEvent {
    /// Start the comparison.
    Run,
    /// Add the strategy variants of the design being edited.
    AddVariants,
    /// Ask for a design file to add.
    Browse,
}

/// Shows the compare window if it is open. Runs and variants read the design being edited from
/// `context`; the window changes nothing but its own state.
pub fn compare_ui(ctx: &egui::Context, context: &ViewContext<'_>, view: &mut CompareView) {
    view.poll();
    let mut open = view.open;
    let mut event = None;
    let screen = ctx.content_rect();
    egui::Window::new("Compare designs")
        .open(&mut open)
        .default_pos(screen.left_top() + egui::vec2(24.0, 40.0))
        .default_size([(screen.width() - 48.0).min(1560.0), (screen.height() - 80.0).min(900.0)])
        .min_width(720.0)
        .resizable(true)
        .scroll([false, true])
        .show(ctx, |ui| {
            event = controls_ui(ui, view, context.native_dialogs);
            ui.separator();
            if view.columns.is_empty() {
                ui.label(
                    RichText::new("Pick the designs, then Run: each is simulated under the scenario with the same seed, priced and checked for data law.")
                        .weak(),
                );
            } else {
                results_ui(ui, view, context.design());
            }
        });
    view.open = open;
    match event {
        Some(CompareEvent::Run) => view.start(context.design(), context.catalog),
        Some(CompareEvent::AddVariants) => view.add_variants(context.design(), context.catalog),
        Some(CompareEvent::Browse) => {
            let dialog = rfd::FileDialog::new().add_filter("Meridian design", &["ron"]);
            if let Some(p) = dialog.pick_file() {
                view.add_file(&p);
            }
        }
        None => {}
    }
    if view.running() {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
}

fn controls_ui(ui: &mut Ui, view: &mut CompareView, native_dialogs: bool) -> Option<CompareEvent> {
    let mut event = None;
    ui.horizontal_wrapped(|ui| {
        run_controls(ui, "compare-scenario", &mut view.scenario, &mut view.runs, &mut view.seed);
        if view.running() {
            if ui.button("Cancel").clicked() {
                view.cancel();
            }
        } else if ui.button("Run comparison").clicked() {
            event = Some(CompareEvent::Run);
        }
        if let Some((share, text)) = view.progress() {
            ui.add(egui::ProgressBar::new(share).desired_width(220.0).text(text));
        }
    });
    ui.add_space(4.0);
    let mut remove = None;
    let ticked = view.entries.iter().filter(|e| e.include).count();
    egui::CollapsingHeader::new(
        RichText::new(format!("Designs ({ticked} of {} ticked)", view.entries.len())).strong(),
    )
    .id_salt("compare-designs")
    .default_open(true)
    .show(ui, |ui| {
        // Two columns of entries, so seven designs take four lines.
        egui::Grid::new("compare-entries").num_columns(2).spacing([24.0, 2.0]).show(ui, |ui| {
            for (i, e) in view.entries.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let label = e.label();
                    ui.checkbox(&mut e.include, label);
                    if let Source::File(p) = &e.source {
                        ui.label(RichText::new(p.display().to_string()).weak().small());
                    }
                    if !matches!(e.source, Source::Current) && ui.small_button("Remove").clicked() {
                        remove = Some(i);
                    }
                });
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    });
    if let Some(i) = remove {
        view.entries.remove(i);
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button("Add strategy variants").on_hover_text("Multi-AZ, backup and restore, pilot light, warm standby and active-active, derived from this design (rules in docs/strategies.md)").clicked() {
            event = Some(CompareEvent::AddVariants);
        }
        let l = ui.label("Add design file");
        ui.add(egui::TextEdit::singleline(&mut view.add_path).hint_text("path/to/design.ron").desired_width(260.0))
            .labelled_by(l.id);
        if ui.button("Add").clicked() && !view.add_path.trim().is_empty() {
            let p = PathBuf::from(view.add_path.trim());
            if p.is_file() {
                view.add_file(&p);
                view.add_path.clear();
            } else {
                view.message = Some(format!("{}: no such file", p.display()));
            }
        }
        if native_dialogs && ui.button("Browse…").clicked() {
            event = Some(CompareEvent::Browse);
        }
    });
    if let Some(m) = &view.message {
        ui.label(RichText::new(m).color(ui.visuals().warn_fg_color));
    }
    event
}

fn results_ui(ui: &mut Ui, view: &CompareView, design: &Design) {
    let ok: Vec<(&str, &Assessment)> =
        view.columns.iter().filter_map(|(l, r)| r.as_ref().ok().map(|a| (l.as_str(), a))).collect();
    for (label, r) in &view.columns {
        if let Err(e) = r {
            ui.colored_label(ui.visuals().error_fg_color, format!("{label}: {e}"));
        }
    }
    if ok.is_empty() {
        return;
    }
    let chart = |ui: &mut Ui| {
        ui.label(RichText::new("Cost against downtime per year (log scale)").strong());
        ui.label(RichText::new("The orange line joins the designs no other beats on both.").weak().small());
        frontier_ui(ui, &ok);
    };
    // Side by side when the window is wide enough, so table and chart are seen together.
    // About 180 points for the row labels and 120 a design.
    let table_width = 180.0 + 120.0 * ok.len() as f32;
    let wide = ui.available_width() - table_width >= 440.0;
    if wide {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(table_width);
                if let Some((comparison, names)) = &view.comparison {
                    table_ui(ui, comparison, names, design);
                }
            });
            ui.separator();
            ui.vertical(|ui| chart(ui));
        });
    } else {
        if let Some((comparison, names)) = &view.comparison {
            table_ui(ui, comparison, names, design);
        }
        ui.add_space(8.0);
        chart(ui);
    }
}

/// A row's label for people: a population's latency row names the population ("P99 ms Europe"),
/// as the design being edited calls it, instead of its id.
fn row_label(row: &meridian_assess::compare::Row, design: &Design) -> String {
    row.key
        .strip_prefix("latency_p99_ms.")
        .and_then(|id| design.population(&meridian_model::PopulationId::new(id)))
        .map_or_else(|| row.label.clone(), |p| format!("P99 ms {}", p.name))
}

fn table_ui(ui: &mut Ui, table: &Comparison, labels: &[String], design: &Design) {
    let best = super::theme::Palette::of(ui.visuals()).best;
    egui::ScrollArea::horizontal().id_salt("compare-table").show(ui, |ui| {
        egui::Grid::new("compare-grid").striped(true).spacing([18.0, 4.0]).show(ui, |ui| {
            ui.label("");
            for l in labels {
                ui.label(RichText::new(l).strong());
            }
            ui.end_row();
            for row in &table.rows {
                ui.label(row_label(row, design));
                for (i, cell) in row.text.iter().enumerate() {
                    if row.best.contains(&i) {
                        ui.label(RichText::new(format!("{cell} *")).strong().color(best));
                    } else {
                        ui.label(cell);
                    }
                }
                ui.end_row();
            }
        });
    });
    ui.label(RichText::new("* best in the row").weak().small());
}

fn frontier_ui(ui: &mut Ui, ok: &[(&str, &Assessment)]) {
    let palette = super::theme::Palette::of(ui.visuals());
    // Every compared design is assessed with its bill and its simulation (`Want::COMPARE`).
    let ok: Vec<(&str, f64, f64)> = ok
        .iter()
        .filter_map(|(l, a)| Some((*l, a.usd_per_month()?, a.results.as_ref()?.downtime_min_per_year.mean)))
        .collect();
    let points: Vec<(f64, f64)> = ok.iter().map(|(_, usd, downtime)| (*usd, *downtime)).collect();
    let front = pareto_front(&points);
    // Downtime on a log scale: plot log10 of minutes per year, floored so zero shows at the bottom.
    let y = |minutes: f64| minutes.max(0.01).log10();
    let (min_x, max_x) =
        points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let span = (max_x - min_x).max(1.0);
    Plot::new("compare-frontier")
        .height(ui.available_height().clamp(300.0, 560.0))
        .width(ui.available_width().max(320.0))
        .include_x(min_x - span * 0.08)
        .include_x(max_x + span * 0.08)
        .x_axis_label("USD per month")
        .y_axis_label("downtime, minutes per year (log)")
        .y_grid_spacer(|input| log_marks(&input))
        .y_axis_formatter(|mark, _| {
            let v = 10f64.powf(mark.value);
            if v >= 1.0 { format!("{v:.0}") } else { format!("{v:.2}") }
        })
        .x_axis_formatter(|mark, _| Usd(mark.value).whole())
        .label_formatter(|hover| match hover {
            HoverPosition::NearDataPoint { plot_name, position, .. } if !plot_name.is_empty() => Some(
                format!("{plot_name}\n{}/month, {:.1} min/year", Usd(position.x), 10f64.powf(position.y)),
            ),
            _ => None,
        })
        .show(ui, |plot| {
            let mut line: Vec<[f64; 2]> = front.iter().map(|&i| [points[i].0, y(points[i].1)]).collect();
            line.sort_by(|a, b| a[0].total_cmp(&b[0]));
            if line.len() > 1 {
                // A step line: cost rises, downtime falls.
                let mut steps = Vec::with_capacity(line.len() * 2);
                for w in line.windows(2) {
                    steps.push(w[0]);
                    steps.push([w[1][0], w[0][1]]);
                }
                steps.push(line[line.len() - 1]);
                // No band aggregation: the vertical steps share an x and would be drawn as a filled band.
                plot.line(
                    Line::new("Pareto frontier", PlotPoints::from(steps))
                        .allow_band(false)
                        .stroke(egui::Stroke::new(2.0, palette.frontier)),
                );
            }
            // Labels of points close together go one above, the next below its point, so they
            // do not overlap (the hover text names every point in any case).
            let y_span = points.iter().map(|p| y(p.1)).fold(f64::NEG_INFINITY, f64::max)
                - points.iter().map(|p| y(p.1)).fold(f64::INFINITY, f64::min);
            let below = label_sides(&points, span, y_span.max(0.5), y);
            for (i, ((label, _, _), (cost, downtime))) in ok.iter().zip(&points).enumerate() {
                let at = [*cost, y(*downtime)];
                plot.points(
                    Points::new(*label, PlotPoints::from(vec![at]))
                        .radius(6.0)
                        .shape(if front.contains(&i) { MarkerShape::Circle } else { MarkerShape::Square })
                        .color(palette.series(i)),
                );
                // Labels of points in the right third go to their left, so they stay inside the plot.
                let right = *cost > min_x + span * 0.66;
                let (text, anchor) = match (right, below[i]) {
                    (true, false) => (format!("{label}  "), Align2::RIGHT_BOTTOM),
                    (true, true) => (format!("{label}  "), Align2::RIGHT_TOP),
                    (false, false) => (format!("  {label}"), Align2::LEFT_BOTTOM),
                    (false, true) => (format!("  {label}"), Align2::LEFT_TOP),
                };
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(at[0], at[1]),
                        RichText::new(text).size(13.0).color(palette.series(i)),
                    )
                    .anchor(anchor),
                );
            }
        });
}

/// For each point, whether its label goes below it: a label that would sit within a quarter of
/// the cost span and a tenth of the downtime span of a label already placed above its point goes
/// below instead (points taken from the top down).
fn label_sides(points: &[(f64, f64)], x_span: f64, y_span: f64, y: impl Fn(f64) -> f64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|a, b| y(points[*b].1).total_cmp(&y(points[*a].1)));
    let mut below = vec![false; points.len()];
    let mut above: Vec<usize> = Vec::new();
    for i in order {
        let near = above.iter().any(|&j| {
            (points[i].0 - points[j].0).abs() < x_span * 0.25
                && (y(points[i].1) - y(points[j].1)).abs() < y_span * 0.1
        });
        if near {
            below[i] = true;
        } else {
            above.push(i);
        }
    }
    below
}

/// Grid marks of a log10 axis at 1, 2 and 5 times each power of ten (the powers drawn stronger).
fn log_marks(input: &GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let mut marks = Vec::new();
    let first = lo.floor() as i32 - 1;
    let last = hi.ceil() as i32 + 1;
    for k in first..=last {
        for (m, step) in [(1.0_f64, 1.0), (2.0, 0.1), (5.0, 0.1)] {
            let value = f64::from(k) + m.log10();
            if value >= lo && value <= hi {
                marks.push(GridMark { value, step_size: step });
            }
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::label_sides;

    #[test]
    fn labels_of_points_close_together_go_on_opposite_sides() {
        // Two designs a dollar and a tenth of a minute apart, and one far away.
        let points = [(1000.0, 50.0), (1001.0, 49.0), (5000.0, 1.0)];
        let below = label_sides(&points, 4000.0, 2.0, |m: f64| m.max(0.01).log10());
        assert_eq!(below, vec![false, true, false]);
    }
}
