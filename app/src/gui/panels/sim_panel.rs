//! The simulation panel: choose a scenario, runs and seed; run it in the background with a progress
//! bar and cancel, the figures of its first runs showing while the rest run; read the results and
//! charts; scrub the timeline of one run, which the canvas
//! shows (what is down, where each population is served).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use egui::{RichText, Ui};
use egui_plot::{Line, LineStyle, Plot, PlotPoints};
use meridian_assess::assessment::{self as assess, AssessError, AssessOptions, Want};
use meridian_assess::targets::{TargetReport, Verdict};
use meridian_assess::units::{Percent, Seconds, Usd};
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Design, DesignStamp, EntityRef, PopulationId, RegionId, ServiceId};
use meridian_sim::trace::TracedKind;
use meridian_sim::{BUILTIN_NAMES, Outcome, Scenario, SimOptions, Trace, builtin};

use crate::gui::context::ViewContext;
use crate::gui::job::{Job, Worker};
use crate::gui::theme::Palette;

/// Results, the traced run, the extra cost of its incident per incident (USD), and the design's
/// targets evaluated (when it states any).
type JobResult = Result<Finished, String>;

/// A finished assessment: results, the traced run, the extra cost of its incident per incident
/// (USD) and the targets evaluated.
type Finished = (Outcome, Trace, f64, Option<TargetReport>);

/// The figures of the first runs of a run in progress, shared by its thread and the panel: the
/// assessment of the first `runs` runs of the same scenario and seed.
type Partial = Arc<Mutex<Option<(Finished, u32)>>>;

/// The panel's state.
pub struct SimPanel {
    /// Built-in scenario name.
    pub scenario: String,
    /// Monte Carlo runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// Horizon override (empty: the scenario's).
    pub horizon: String,
    job: Option<Job<JobResult>>,
    result: Option<(Outcome, Trace, DesignStamp, f64)>,
    /// The targets of the design the result was computed for, evaluated on it.
    targets: Option<TargetReport>,
    error: Option<String>,
    /// A warning about the last run started (a horizon that leaves injections out), shown until the
    /// next start.
    notice: Option<String>,
    /// The moment of the traced run shown on the canvas, seconds.
    pub scrub_s: f64,
    /// Whether the canvas shows the timeline.
    pub show_on_canvas: bool,
    /// The design (identity and revision) the running or last job was started for.
    started_for: Option<DesignStamp>,
    /// Figures of the first runs, handed over by the running job.
    partial: Partial,
    /// When the figures shown are of the first runs only: those runs and the runs asked for.
    partial_runs: Option<(u32, u32)>,
}

impl Default for SimPanel {
    fn default() -> Self {
        SimPanel {
            scenario: "region-outage".into(),
            runs: 50,
            seed: 1,
            horizon: String::new(),
            job: None,
            result: None,
            targets: None,
            error: None,
            notice: None,
            scrub_s: 0.0,
            show_on_canvas: true,
            started_for: None,
            partial: Partial::default(),
            partial_runs: None,
        }
    }
}

/// What the canvas shows of the scrubbed moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimelineState {
    /// Regions and services down.
    pub down: BTreeSet<EntityRef>,
    /// Regions serving each population.
    pub serving: BTreeMap<PopulationId, Vec<RegionId>>,
}

impl SimPanel {
    /// Why the last run failed or stopped, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The warning about the last run started, if there is one (a horizon shorter than the
    /// scenario's that leaves injections out).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Whether a scenario is running.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// The runs done and the runs in all of the scenario running, if one is (its progress bar).
    pub fn progress(&self) -> Option<(u32, u32)> {
        self.job.as_ref().map(Job::steps)
    }

    /// Forgets the results and stops the run of the previous design (after New, Open or
    /// recovery): results belong to the design they were computed for.
    pub fn forget(&mut self) {
        self.job = None;
        self.partial_runs = None;
        self.result = None;
        self.targets = None;
        self.error = None;
        self.notice = None;
        self.started_for = None;
        self.scrub_s = 0.0;
    }

    /// The design (identity and revision) the results shown were computed for.
    pub fn result_stamp(&self) -> Option<DesignStamp> {
        self.result.as_ref().map(|(_, _, stamp, _)| *stamp)
    }

    /// Whether results are shown and were computed for the design as it is at `stamp`.
    pub fn is_current(&self, stamp: DesignStamp) -> bool {
        self.result_stamp() == Some(stamp)
    }

    /// Starts the chosen scenario on a copy of `design`, as it is at `stamp`.
    pub fn start(&mut self, design: &Design, catalog: &'static Catalog, stamp: DesignStamp) {
        if self.job.is_some() {
            return;
        }
        let Some(scenario) = builtin(&self.scenario, design, catalog) else {
            self.error = Some(format!("unknown scenario {}", self.scenario));
            return;
        };
        let horizon = if self.horizon.trim().is_empty() {
            None
        } else {
            // The same bound as scenarios and `--horizon` (the simulator's rule).
            match self.horizon.parse::<TimeSpan>().map_err(|e| e.to_string()).and_then(|h| {
                meridian_sim::scenario::check_horizon(h).map(|()| h).map_err(|m| format!("the horizon {m}"))
            }) {
                Ok(h) => Some(h),
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            }
        };
        let options = SimOptions {
            runs: Some(self.runs.max(1)),
            seed: Some(self.seed),
            horizon,
            threads: 0,
            keep_runs: false,
        };
        self.notice = options.apply(&scenario).unreached_warning();
        let design = design.clone();
        // A fresh hand-over: a partial result of an earlier job never shows as this one's.
        self.partial = Partial::default();
        let partial = Arc::clone(&self.partial);
        let work =
            move |worker: &Worker| run_in_passes(&design, catalog, &scenario, &options, worker, &partial);
        match Job::spawn("gui-sim", "simulation", 1, self.runs.max(1), work) {
            Ok(job) => self.job = Some(job),
            Err(e) => {
                self.error = Some(format!("cannot start the simulation: {e}"));
                return;
            }
        }
        self.error = None;
        self.started_for = Some(stamp);
    }

    /// Shows the figures of the first runs a running job handed over, and collects a finished job.
    pub fn poll(&mut self) {
        let handed = self.partial.lock().ok().and_then(|mut p| p.take());
        if let (Some(((outcome, trace, incident_usd, targets), runs)), Some(stamp)) =
            (handed, self.started_for)
            && let Some(job) = &self.job
        {
            if self.partial_runs.is_none() {
                self.scrub_s = first_change_s(&trace);
            }
            // The runs the job was started with (the Runs field may have changed since).
            self.partial_runs = Some((runs, job.steps().1));
            self.result = Some((outcome, trace, stamp, incident_usd));
            self.targets = targets;
        }
        let Some(finished) = self.job.as_mut().and_then(Job::poll) else { return };
        self.job = None;
        match finished {
            Ok(Ok((outcome, trace, incident_usd, targets))) => {
                let Some(stamp) = self.started_for else { return };
                if self.partial_runs.take().is_none() {
                    self.scrub_s = first_change_s(&trace);
                }
                self.result = Some((outcome, trace, stamp, incident_usd));
                self.targets = targets;
            }
            Ok(Err(e)) => self.error = Some(e),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The state of the traced run at the scrubbed moment, for the canvas.
    pub fn timeline_state(&self) -> Option<TimelineState> {
        if !self.show_on_canvas {
            return None;
        }
        let (_, trace, _, _) = self.result.as_ref()?;
        let at = trace.state_at((self.scrub_s * 1e6) as u64)?;
        let mut down = BTreeSet::new();
        for d in at.down {
            match d {
                TracedKind::Region(r) => {
                    down.insert(EntityRef::Region(RegionId::new(r)));
                }
                TracedKind::Service(s) => {
                    down.insert(EntityRef::Service(ServiceId::new(s)));
                }
                _ => {}
            }
        }
        let serving = at
            .populations
            .into_iter()
            .map(|(p, _, regions, _)| {
                (PopulationId::new(p), regions.into_iter().map(RegionId::new).collect())
            })
            .collect();
        Some(TimelineState { down, serving })
    }
}

/// The run counts of the passes of a run of `total` runs: a tenth, a hundredth... of it while
/// that is at least 10 runs, smallest first, then `total` (at most 12% more work than one pass).
fn pass_runs(total: u32) -> Vec<u32> {
    let mut passes = vec![total];
    let mut k = total / 10;
    while k >= 10 {
        passes.push(k);
        k /= 10;
    }
    passes.reverse();
    passes
}

/// Runs the scenario in passes of growing run counts ([`pass_runs`]), handing each pass but the
/// last to the panel as figures of the first runs; the progress bar counts the runs of the
/// largest pass so far. Returns the last pass, of every run asked for.
fn run_in_passes(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    worker: &Worker,
    partial: &Partial,
) -> JobResult {
    let total = options.runs.unwrap_or(1);
    let most = AtomicU32::new(0);
    let passes = pass_runs(total);
    let last = passes.len() - 1;
    for (i, runs) in passes.into_iter().enumerate() {
        let pass = SimOptions { runs: Some(runs), ..*options };
        let finished = run_scenario(design, catalog, scenario, &pass, worker, &most)?;
        if i == last {
            return Ok(finished);
        }
        if let Ok(mut p) = partial.lock() {
            *p = Some((finished, runs));
        }
    }
    Err("no run was asked for".to_owned())
}

/// Simulates the scenario, traces run 0 and prices its incident (on the simulation's thread);
/// progress goes to `worker` as the most runs done in any pass so far (`most`).
fn run_scenario(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    worker: &Worker,
    most: &AtomicU32,
) -> Result<Finished, String> {
    let progress = |p: meridian_sim::Progress| {
        let done = most.fetch_max(p.runs_done, Ordering::Relaxed).max(p.runs_done);
        worker.set_done(done);
    };
    // One assessment: the Monte Carlo and the traced run 0 share one compile; an incident that
    // cannot be priced fails the run with its error (shown in the panel), not $0.
    // The bill only when a target needs it (the cost ceiling).
    let bill = if design.targets().monthly_cost_ceiling_usd.is_some() { Want::BILL } else { Want::empty() };
    let want = Want::SIMULATION | Want::TRACE | Want::INCIDENT | bill;
    let prices = assess::builtin_prices().map_err(|e| e.to_string())?;
    let options = AssessOptions { sim: *options, ..AssessOptions::new(want, prices, &[]) };
    let a = assess::assess(design, catalog, scenario, &options, &progress, worker.cancel_flag())
        .map_err(|e| e.to_string())?;
    let (Some(results), Some(timing), Some(trace), Some(incident)) =
        (a.results, a.timing, a.trace, a.incident)
    else {
        return Err(AssessError::Missing(want).to_string());
    };
    Ok((Outcome { results, timing }, trace, incident.usd_per_incident, a.targets))
}

fn first_change_s(trace: &Trace) -> f64 {
    trace.change_times().get(1).map_or(0.0, |t| *t as f64 / 1e6 + 60.0)
}

/// The labelled scenario choice (built-in scenarios), runs and seed, laid out in the current row;
/// the simulation panel, the compare view and the report dialog share it.
pub fn run_controls(ui: &mut Ui, id_salt: &str, scenario: &mut String, runs: &mut u32, seed: &mut u64) {
    let l = ui.label("Scenario");
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(scenario.as_str())
        .show_ui(ui, |ui| {
            for name in BUILTIN_NAMES {
                ui.selectable_value(scenario, name.to_owned(), name);
            }
        })
        .response
        .labelled_by(l.id);
    let l = ui.label("Runs");
    // The command line's bound: a run started with more (MERIDIAN_SIMULATE) shows its own count.
    ui.add(egui::DragValue::new(runs).range(1..=meridian_sim::scenario::MAX_RUNS)).labelled_by(l.id);
    let l = ui.label("Seed");
    ui.add(egui::DragValue::new(seed)).labelled_by(l.id);
}

/// The row of run settings (scenario, runs, seed, horizon) and Run, or the progress and Cancel of
/// the running job; whether Run was clicked.
fn run_row(ui: &mut Ui, panel: &mut SimPanel) -> bool {
    let mut run = false;
    // Wrapped: in a laptop's narrow panel the progress bar and Cancel go to a second row rather
    // than past the panel's edge (which widened the panel under the inspector).
    ui.horizontal_wrapped(|ui| {
        run_controls(ui, "scenario", &mut panel.scenario, &mut panel.runs, &mut panel.seed);
        let l = ui.label("Horizon");
        ui.add(egui::TextEdit::singleline(&mut panel.horizon).hint_text("scenario's").desired_width(90.0))
            .labelled_by(l.id);
        if let Some(job) = &panel.job {
            let (done, total) = job.steps();
            ui.add(
                egui::ProgressBar::new(job.fraction())
                    .desired_width(160.0)
                    .text(format!("{done}/{total} runs")),
            );
            if ui.button("Cancel").clicked() {
                job.cancel();
            }
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
        } else if ui.button("Run").clicked() {
            run = true;
        }
    });
    run
}

/// Shows the panel; Run starts the scenario on the design as `view` shows it.
pub fn sim_ui(ui: &mut Ui, view: &ViewContext<'_>, panel: &mut SimPanel) {
    let stamp = view.editor.stamp();
    let pal = Palette::of(ui.visuals());
    let run = run_row(ui, panel);
    if run {
        panel.start(view.design(), view.catalog, stamp);
    }
    if let Some(e) = &panel.error {
        ui.colored_label(pal.error, e);
    }
    if let Some(n) = &panel.notice {
        ui.colored_label(pal.warning, n);
    }
    let Some((outcome, trace, rev, incident_usd)) =
        panel.result.as_ref().filter(|(_, _, rev, _)| rev.identity == stamp.identity)
    else {
        ui.label(
            RichText::new("Run a scenario to see availability, recovery, latency and data-law figures.")
                .weak(),
        );
        return;
    };
    let r = &outcome.results;
    if let Some((runs, total)) = panel.partial_runs {
        let note = if panel.job.is_some() {
            format!("Figures of the first {runs} of {total} runs, while the rest run.")
        } else {
            format!("Figures of the first {runs} of {total} runs: the run stopped before the rest.")
        };
        ui.label(RichText::new(note).color(pal.warning));
    }
    if *rev != stamp {
        ui.label(
            RichText::new("The design changed since this run; run again for current figures.")
                .color(pal.warning),
        );
    }
    if let Some(t) = &panel.targets {
        targets_strip(ui, t, view.design(), &pal);
    }
    // Three columns of set shares of the width, each scrolling inside its own rectangle and the
    // panel's height, so the figures never run into the chart's title or axes next to them.
    let height = ui.available_height().max(120.0);
    let area = ui.available_rect_before_wrap();
    let column = |ui: &mut Ui, rect: egui::Rect, body: &mut dyn FnMut(&mut Ui)| {
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            ui.set_clip_rect(rect.intersect(ui.clip_rect()));
            body(ui);
        });
    };
    let mut figures_body = |ui: &mut Ui| {
        egui::ScrollArea::vertical()
            .id_salt("sim-figures-scroll")
            .max_height(height)
            .auto_shrink([false, true])
            .show(ui, |ui| figures_ui(ui, view.design(), r, *incident_usd));
    };
    if area.width() >= WIDE {
        let (figures, chart, timeline) = column_rects(area, height);
        column(ui, figures, &mut figures_body);
        column(ui, chart, &mut |ui| latency_ui(ui, view.design(), r, height));
        column(ui, timeline, &mut |ui| {
            egui::ScrollArea::vertical().id_salt("sim-timeline-scroll").max_height(height).show(ui, |ui| {
                timeline_ui(ui, view, &mut panel.scrub_s, &mut panel.show_on_canvas, trace);
            });
        });
    } else {
        // Narrow (a laptop's window between the side panels): the figures, and beside them the
        // chart above the timeline, scrolling together.
        const GAP: f32 = 12.0;
        let split = area.left() + (area.width() - GAP) * 0.52;
        let figures = egui::Rect::from_min_max(area.min, egui::pos2(split, area.top() + height));
        let rest = egui::Rect::from_min_max(
            egui::pos2(split + GAP, area.top()),
            egui::pos2(area.right(), area.top() + height),
        );
        column(ui, figures, &mut figures_body);
        column(ui, rest, &mut |ui| {
            egui::ScrollArea::vertical().id_salt("sim-timeline-scroll").max_height(height).show(ui, |ui| {
                latency_ui(ui, view.design(), r, height.max(180.0));
                timeline_ui(ui, view, &mut panel.scrub_s, &mut panel.show_on_canvas, trace);
            });
        });
    }
    ui.allocate_rect(
        egui::Rect::from_min_size(area.min, egui::vec2(area.width(), height)),
        egui::Sense::hover(),
    );
}

/// The width from which the figures, chart and timeline stand in three columns.
const WIDE: f32 = 900.0;

/// The figures, chart and timeline columns of `area`, `height` tall: the figures take the largest
/// share (their longest rows are a key and an interval on one line), the timeline the smallest.
fn column_rects(area: egui::Rect, height: f32) -> (egui::Rect, egui::Rect, egui::Rect) {
    const GAP: f32 = 12.0;
    let width = (area.width() - 2.0 * GAP).max(300.0);
    let (a, b) = (width * 0.46, width * 0.30);
    let rect =
        |left: f32, w: f32| egui::Rect::from_min_size(egui::pos2(left, area.top()), egui::vec2(w, height));
    let figures = rect(area.left(), a);
    let chart = rect(figures.right() + GAP, b);
    let timeline = rect(chart.right() + GAP, width - a - b);
    (figures, chart, timeline)
}

/// The pass/fail strip: the count, then each evaluated target as a chip, green when met and red
/// when missed, with its figures on hover; targets the scenario does not measure are listed in
/// the count's hover text.
fn targets_strip(ui: &mut Ui, t: &TargetReport, design: &Design, pal: &Palette) {
    let who = |p: Option<&PopulationId>| {
        p.map_or_else(|| "all users".to_owned(), |p| population_name(design, p.as_str()))
    };
    ui.horizontal_wrapped(|ui| {
        let summary = format!("Targets: {} met, {} missed", t.met(), t.missed());
        let colour = if t.missed() > 0 { pal.error } else { pal.best };
        let unmeasured: Vec<String> = t
            .checks
            .iter()
            .filter(|c| c.verdict == Verdict::NotEvaluated)
            .map(|c| format!("{} ({})", c.label_with(&who), c.note))
            .collect();
        let hover = if unmeasured.is_empty() {
            "Every target is measured by this scenario.".to_owned()
        } else {
            format!("Not measured by this scenario:\n{}", unmeasured.join("\n"))
        };
        ui.label(RichText::new(summary).strong().color(colour)).on_hover_text(hover);
        for c in t.checks.iter().filter(|c| c.verdict != Verdict::NotEvaluated) {
            let (mark, colour) = if c.missed() { ("MISSED", pal.error) } else { ("met", pal.best) };
            ui.label(RichText::new(format!("{mark}: {}", c.label_with(&who))).small().color(colour))
                .on_hover_text(format!(
                    "{} {}\nmeasured {}\n{}",
                    c.verdict_text(),
                    c.target_text(),
                    c.measured_text(),
                    c.margin_text()
                ));
        }
    });
}

/// A figure's text that wraps only between its parts: the spaces inside a figure (a number and its
/// unit, an interval's bounds) do not break; a line may end after " / " or " · ", or before "[".
fn breakable_figure(v: &str) -> String {
    const NBSP: char = '\u{a0}';
    let glued: String = v.chars().map(|c| if c == ' ' { NBSP } else { c }).collect();
    glued
        .replace(&format!("{NBSP}/{NBSP}"), &format!("{NBSP}/ "))
        .replace(&format!("{NBSP}·{NBSP}"), &format!("{NBSP}· "))
        .replace(&format!("{NBSP}["), " [")
        .replace(&format!(":{NBSP}"), ": ")
}

/// What was run: the scenario, runs, horizon and seed.
fn scenario_line(r: &meridian_sim::SimResults) -> String {
    format!("{} · {} runs of {} · seed {}", r.scenario, r.runs, Seconds(r.horizon_s), r.seed)
}

fn figures_ui(ui: &mut Ui, design: &Design, r: &meridian_sim::SimResults, incident_usd: f64) {
    // Each row: the key wrapping within its share of the column, the value beside it wrapping
    // only between its parts (an interval split inside reads as two figures), so that every
    // figure stays readable in the column's width without scrolling sideways.
    let width = ui.available_width();
    let key_width = (width * 0.40).clamp(80.0, 240.0);
    let stripe = ui.visuals().faint_bg_color;
    let no_fill = crate::gui::theme::Palette::of(ui.visuals()).no_fill();
    let mut index = 0usize;
    let mut row = |ui: &mut Ui, k: &str, v: String| {
        let fill = if index % 2 == 1 { stripe } else { no_fill };
        index += 1;
        egui::Frame::NONE.fill(fill).show(ui, |ui| {
            ui.set_width(width);
            ui.horizontal_top(|ui| {
                ui.allocate_ui_with_layout(
                    egui::vec2(key_width, 0.0),
                    egui::Layout::top_down(egui::Align::Min),
                    |ui| {
                        ui.set_width(key_width);
                        ui.add(egui::Label::new(k).wrap());
                    },
                );
                ui.add(egui::Label::new(RichText::new(breakable_figure(&v)).monospace()).wrap());
            });
        });
    };
    {
        row(ui, "Scenario", scenario_line(r));
        row(
            ui,
            "Availability (time)",
            format!(
                "{} [{} – {}]",
                Percent(r.availability_time.mean),
                Percent(r.availability_time.ci95_low),
                Percent(r.availability_time.ci95_high)
            ),
        );
        row(ui, "Availability (requests)", Percent(r.availability_requests.mean).to_string());
        row(ui, "Downtime per year", format!("{:.1} min", r.downtime_min_per_year.mean));
        // Recovery times at a resolution that fits, the median with its 95% interval.
        let pct = |p: &meridian_sim::results::Percentiles| {
            if p.count == 0 {
                return "none".to_owned();
            }
            format!(
                "{} [{} – {}] / {}",
                Seconds(p.p50).fine(),
                Seconds(p.p50_ci95[0]).fine(),
                Seconds(p.p50_ci95[1]).fine(),
                Seconds(p.p95).fine()
            )
        };
        row(ui, "RTO P50 / P95", pct(&r.rto_s));
        row(ui, "RTO half back P50 / P95", pct(&r.rto_half_s));
        row(ui, "RPO P50 / P95", pct(&r.rpo_s));
        // Issue 14: the spread of recovery times and of data-loss windows.
        for (label, p) in [("RTO min / mean / max", &r.rto_s), ("RPO min / mean / max", &r.rpo_s)] {
            if p.count > 0 {
                let spread = format!(
                    "{} / {} / {}",
                    Seconds(p.min).fine(),
                    Seconds(p.mean).fine(),
                    Seconds(p.max).fine()
                );
                row(ui, label, spread);
            }
        }
        if r.rto_by_population.len() > 1 {
            for (pop, x) in r.rto_by_population.iter().filter(|(_, x)| x.last_s.count > 0) {
                row(
                    ui,
                    &format!("RTO of {}: half / last back P50", population_name(design, pop)),
                    format!("{} / {}", Seconds(x.half_s.p50).fine(), Seconds(x.last_s.p50).fine()),
                );
            }
        }
        for (phase, p) in r.recovery_phases.rows() {
            if p.count > 0 {
                row(
                    ui,
                    &format!("Recovery: {}", phase.label()),
                    format!("{} mean ({}x)", Seconds(p.mean_s), p.count),
                );
            }
        }
        row(ui, "Writes lost per run", format!("{:.0}", r.writes_lost.mean));
        row(ui, "Conflicts per day", format!("{:.1}", r.conflicts_per_day.mean));
        row(ui, "Stale reads per day", format!("{:.1}", r.stale_reads_per_day.mean));
        if r.common_cause_failures.mean > 0.0 {
            row(ui, "Common-cause failures per run", format!("{:.3}", r.common_cause_failures.mean));
        }
        if r.repair_wait_s.count > 0 {
            row(ui, "Wait for a repair crew P50 / P95", pct(&r.repair_wait_s));
        }
        row(ui, "Extra cost per incident", format!("{} (run 0)", Usd(incident_usd)));
        for p in &r.estimated_round_trips {
            row(
                ui,
                "Round trip ESTIMATED",
                format!("{} - {}: {:.0} ms (no measurement)", p.a, p.b, p.rtt_ms),
            );
        }
    }
}

fn latency_ui(ui: &mut Ui, design: &Design, r: &meridian_sim::SimResults, height: f32) {
    ui.strong("Share of requests within a latency (ms)");
    let pal = Palette::of(ui.visuals());
    // One colour per population, solid in normal operation and dashed during incidents; the legend
    // is beside or above the plot, so it never covers a curve.
    let mut series: Vec<Series> = Vec::new();
    for (i, (pop, lat)) in r.latency.iter().enumerate() {
        let colour = pal.series(i);
        for (label, summary, style) in [
            ("normal", &lat.normal, LineStyle::Solid),
            ("incident", &lat.incident, LineStyle::dashed_dense()),
        ] {
            if !summary.cdf.is_empty() {
                let name = format!("{} {label}", population_name(design, pop));
                series.push((name, colour, style, summary.cdf.clone()));
            }
        }
    }
    let show_plot = |ui: &mut Ui, width: f32, height: f32, series: Vec<Series>| {
        let plot = Plot::new("latency-cdf").width(width).height(height).x_axis_label("ms").show(ui, |plot| {
            for (name, colour, style, cdf) in series {
                let points: PlotPoints = cdf.iter().map(|(x, y)| [*x, *y]).collect();
                plot.line(Line::new(name, points).color(colour).style(style).width(1.5));
            }
        });
        plot.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, "Latency chart"));
    };
    // The legend goes beside the plot when it takes less than 40% of the column, else above it.
    let legend_width = series.iter().map(|(name, ..)| legend_entry_size(ui, name).x).fold(0.0, f32::max);
    let width = ui.available_width();
    if legend_width <= width * 0.4 {
        let plot_height = (height - 28.0).clamp(80.0, 260.0);
        ui.horizontal_top(|ui| {
            let names: Vec<_> = series.iter().map(|(n, c, s, _)| (n.clone(), *c, *s)).collect();
            show_plot(ui, width - legend_width - 8.0, plot_height, series);
            ui.vertical(|ui| {
                for (name, colour, style) in &names {
                    legend_entry(ui, name, *colour, *style);
                }
            });
        });
    } else {
        let legend_top = ui.cursor().top();
        ui.horizontal_wrapped(|ui| {
            for (name, colour, style, _) in &series {
                legend_entry(ui, name, *colour, *style);
            }
        });
        let used = ui.cursor().top() - legend_top;
        show_plot(ui, width, (height - 28.0 - used).clamp(80.0, 260.0), series);
    }
}

/// A named curve: its colour, its line style and its points.
type Series = (String, egui::Color32, LineStyle, Vec<(f64, f64)>);

/// The room a legend entry takes.
fn legend_entry_size(ui: &Ui, name: &str) -> egui::Vec2 {
    let galley = ui.painter().layout_no_wrap(
        name.to_owned(),
        egui::TextStyle::Small.resolve(ui.style()),
        ui.visuals().text_color(),
    );
    egui::vec2(LEGEND_SWATCH + 4.0 + galley.size().x + 8.0, galley.size().y.max(10.0))
}

/// The width of a legend entry's line.
const LEGEND_SWATCH: f32 = 22.0;

/// One legend entry: a short line in `colour` drawn in `style`, then `name`, kept together on
/// one row (a wrapped row moves a whole entry down, never half of its name).
fn legend_entry(ui: &mut Ui, name: &str, colour: egui::Color32, style: LineStyle) {
    const SWATCH: f32 = LEGEND_SWATCH;
    let text = ui.visuals().text_color();
    let galley =
        ui.painter().layout_no_wrap(name.to_owned(), egui::TextStyle::Small.resolve(ui.style()), text);
    let size = legend_entry_size(ui, name);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, name));
    let stroke = egui::Stroke::new(2.0, colour);
    let (a, b) =
        (egui::pos2(rect.left(), rect.center().y), egui::pos2(rect.left() + SWATCH, rect.center().y));
    match style {
        LineStyle::Solid => {
            ui.painter().line_segment([a, b], stroke);
        }
        _ => {
            ui.painter().extend(egui::Shape::dashed_line(&[a, b], stroke, 4.0, 3.0));
        }
    }
    let at = egui::pos2(rect.left() + SWATCH + 4.0, rect.center().y - galley.size().y / 2.0);
    ui.painter().galley(at, galley, text);
}

/// A population's name for people (its id if the design no longer has it).
fn population_name(design: &Design, id: &str) -> String {
    design.population(&PopulationId::new(id)).map_or_else(|| id.to_owned(), |p| p.name.clone())
}

/// A region's code with its city: "eu-west-1 (Dublin)".
fn region_name(catalog: &Catalog, code: &str) -> String {
    catalog.region(code).map_or_else(|| code.to_owned(), |r| format!("{code} ({})", r.city))
}

/// A service's name for people (its id if the design no longer has it).
fn service_name(design: &Design, id: &str) -> String {
    design.service(&ServiceId::new(id)).map_or_else(|| id.to_owned(), |s| s.name.clone())
}

fn timeline_ui(ui: &mut Ui, view: &ViewContext<'_>, scrub_s: &mut f64, show: &mut bool, trace: &Trace) {
    ui.strong(format!("Timeline of run {} (shown on the canvas)", trace.run));
    ui.checkbox(show, "Show on the canvas");
    let horizon_s = trace.horizon_us as f64 / 1e6;
    let l = ui.add(egui::Label::new("Moment, since the start of the run").wrap());
    // The track takes what the column leaves beside the value box, so that nothing of the slider
    // runs past the column's edge (its text was cut there: "since sta").
    ui.scope(|ui| {
        ui.spacing_mut().slider_width = (ui.available_width() - 90.0).clamp(60.0, 400.0);
        ui.add(egui::Slider::new(scrub_s, 0.0..=horizon_s).custom_formatter(|v, _| Seconds(v).to_string()))
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let changes = trace.change_times();
        if ui.button("< previous change").clicked()
            && let Some(t) = changes.iter().rev().find(|t| (**t as f64) / 1e6 < *scrub_s - 1.0)
        {
            *scrub_s = *t as f64 / 1e6;
        }
        if ui.button("next change >").clicked()
            && let Some(t) = changes.iter().find(|t| (**t as f64) / 1e6 > *scrub_s + 1.0)
        {
            *scrub_s = *t as f64 / 1e6;
        }
    });
    if let Some(at) = trace.state_at((*scrub_s * 1e6) as u64) {
        let down: Vec<String> = at.down.iter().map(|d| traced_name(view, d)).collect();
        ui.add(
            egui::Label::new(if down.is_empty() {
                "Everything is up.".to_owned()
            } else {
                format!("Down: {}", down.join(", "))
            })
            .wrap(),
        );
        for (p, served, regions, incident) in &at.populations {
            let name = population_name(view.design(), p);
            let text = if regions.is_empty() {
                format!("{name}: {:.0}% served, no region serves them", served * 100.0)
            } else {
                let regions: Vec<String> = regions.iter().map(|r| region_name(view.catalog, r)).collect();
                format!("{name}: {:.0}% served from {}", served * 100.0, regions.join(", "))
            };
            let text = if *incident { format!("{text} (during the incident)") } else { text };
            ui.add(egui::Label::new(text).wrap());
        }
    }
}

/// What is down, for people: "region eu-west-1 (Dublin)", "Orders API (Ireland)".
fn traced_name(view: &ViewContext<'_>, d: &TracedKind) -> String {
    match d {
        TracedKind::Region(r) => format!("region {}", region_name(view.catalog, r)),
        TracedKind::Az(az) => format!("zone {az}"),
        TracedKind::Partition(a, b) => {
            format!("network between {} and {}", region_name(view.catalog, a), region_name(view.catalog, b))
        }
        TracedKind::Service(s) => service_name(view.design(), s),
        TracedKind::Instance(s, n) => format!("{} unit {n}", service_name(view.design(), s)),
        TracedKind::Deployment(g) => format!("deployment group {g}"),
        TracedKind::ControlPlane(r) => format!("control plane of {}", region_name(view.catalog, r)),
    }
}

#[cfg(test)]
mod tests {
    use super::pass_runs;

    /// A run goes in passes growing tenfold, from the smallest of 10 runs or more, to all of
    /// them: at most 12% more runs than one pass.
    #[test]
    fn passes_grow_tenfold_to_the_runs_asked_for() {
        assert_eq!(pass_runs(1), vec![1]);
        assert_eq!(pass_runs(50), vec![50]);
        assert_eq!(pass_runs(200), vec![20, 200]);
        assert_eq!(pass_runs(1000), vec![10, 100, 1000]);
        assert_eq!(pass_runs(100_000), vec![10, 100, 1000, 10_000, 100_000]);
        for total in [1, 7, 99, 100, 123, 5000, 99_999] {
            let runs: u32 = pass_runs(total).iter().sum();
            assert!(f64::from(runs) <= f64::from(total) * 1.12, "{total}: {runs}");
            assert_eq!(pass_runs(total).last(), Some(&total));
        }
    }
}
