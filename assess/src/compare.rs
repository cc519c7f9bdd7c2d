//! Designs side by side: a [`Comparison`] turns assessments into rows of figures (one column per
//! design) and marks the best value of each row. `meridian compare` prints it as text or JSON; the
//! designer's compare view can draw the same rows.

use std::fmt::Write as _;

use serde::Serialize;

use meridian_sim::SimResults;

use crate::assessment::Assessment;
use crate::units::{Percent, Seconds, Usd};

/// Whether a larger or a smaller value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Larger is better (availability).
    Higher,
    /// Smaller is better (downtime, cost, latency).
    Lower,
    /// Not ranked (a confidence interval's width describes the estimate, not the design).
    Neither,
}

/// One row: a figure for each design, as a number and as text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Stable key, e.g. `downtime_min_per_year` or `latency_p99_ms.eu-users`.
    pub key: String,
    /// Label shown in the first column.
    pub label: String,
    /// Which way is better.
    pub better: Better,
    /// The figure per design (`None` where it does not apply, e.g. no recovery was measured).
    pub values: Vec<Option<f64>>,
    /// The figure per design as shown.
    pub text: Vec<String>,
    /// Columns holding the best value (empty when every value is the same or none applies).
    pub best: Vec<usize>,
}

/// A column: one assessed design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Short header that fits a table column.
    pub header: String,
    /// Design name.
    pub design: String,
    /// Design file, when known.
    pub path: Option<String>,
}

/// Every design's figures, row by row, with the best of each row marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Scenario name (the same for every design).
    pub scenario: String,
    /// Runs per design.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// The designs.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Row>,
}

/// Widest column header.
pub const HEADER_WIDTH: usize = 14;

impl Comparison {
    /// Builds the rows from `assessments` (one per design, same scenario).
    // One statement per row, in table order; splitting it would only pass the closures around.
    #[allow(clippy::too_many_lines)]
    pub fn new(assessments: &[Assessment]) -> Comparison {
        let mut rows = Vec::new();
        let mut push =
            |key: &str, label: &str, better, values: Vec<Option<f64>>, fmt: &dyn Fn(f64) -> String| {
                rows.push(row(key, label, better, values, fmt));
            };
        let each = |f: &dyn Fn(&Assessment) -> Option<f64>| assessments.iter().map(f).collect::<Vec<_>>();
        // A simulated figure, where the Monte Carlo was assessed.
        let sim = |f: &dyn Fn(&SimResults) -> Option<f64>| each(&|a| a.results.as_ref().and_then(f));
        let pct = |v: f64| Percent(v).to_string();
        let duration = |v: f64| Seconds(v).to_string();
        let dollars = |v: f64| Usd(v).to_string();
        push(
            "availability_time",
            "availability (time)",
            Better::Higher,
            sim(&|r| Some(r.availability_time.mean)),
            &pct,
        );
        push(
            "availability_time_ci95",
            "  95% CI +/-",
            Better::Neither,
            sim(&|r| Some((r.availability_time.ci95_high - r.availability_time.ci95_low) / 2.0)),
            &pct,
        );
        push(
            "availability_requests",
            "availability (requests)",
            Better::Higher,
            sim(&|r| Some(r.availability_requests.mean)),
            &pct,
        );
        push(
            "downtime_min_per_year",
            "downtime min/year",
            Better::Lower,
            sim(&|r| Some(r.downtime_min_per_year.mean)),
            &|v| format!("{v:.0}"),
        );
        let measured = |p: &meridian_sim::results::Percentiles, v: f64| (p.count > 0).then_some(v);
        push("rto_p50_s", "RTO P50", Better::Lower, sim(&|r| measured(&r.rto_s, r.rto_s.p50)), &duration);
        push("rto_p95_s", "RTO P95", Better::Lower, sim(&|r| measured(&r.rto_s, r.rto_s.p95)), &duration);
        push("rpo_p50_s", "RPO P50", Better::Lower, sim(&|r| measured(&r.rpo_s, r.rpo_s.p50)), &duration);
        push("rpo_p95_s", "RPO P95", Better::Lower, sim(&|r| measured(&r.rpo_s, r.rpo_s.p95)), &duration);
        let mut populations: Vec<&String> =
            assessments.iter().filter_map(|a| a.results.as_ref()).flat_map(|r| r.latency.keys()).collect();
        populations.sort();
        populations.dedup();
        for p in populations {
            push(
                &format!("latency_p99_ms.{p}"),
                &format!("P99 ms {p}"),
                Better::Lower,
                sim(&|r| r.latency.get(p).filter(|l| l.normal.requests > 0).map(|l| l.normal.p99_ms)),
                &|v| format!("{v:.0}"),
            );
        }
        push("usd_per_month", "cost $/month", Better::Lower, each(&Assessment::usd_per_month), &dollars);
        push(
            "incident_usd",
            "incident $ each",
            Better::Lower,
            each(&|a| a.incident.as_ref().map(|i| i.usd_per_incident)),
            &dollars,
        );
        push(
            "conflicts_per_day",
            "conflicts/day",
            Better::Lower,
            sim(&|r| Some(r.conflicts_per_day.mean)),
            &|v| format!("{v:.1}"),
        );
        push(
            "data_law_violations",
            "data-law violations",
            Better::Lower,
            each(&|a| (!a.data_law.is_empty()).then(|| a.data_law.violations() as f64)),
            &|v| format!("{v:.0}"),
        );
        // Targets only when some design states them (a design without gets `-`).
        if assessments.iter().any(|a| a.targets.is_some()) {
            push(
                "targets_missed",
                "targets missed",
                Better::Lower,
                each(&|a| a.targets.as_ref().map(|t| t.missed() as f64)),
                &|v| format!("{v:.0}"),
            );
            push(
                "error_budget_burned_percent",
                "budget burned % (worst)",
                Better::Lower,
                each(&|a| {
                    a.targets
                        .as_ref()
                        .and_then(|t| t.budgets.iter().map(|b| b.burned_percent).reduce(f64::max))
                }),
                &|v| format!("{v:.1}"),
            );
        }
        let first = assessments.first();
        Comparison {
            scenario: first.map(|a| a.scenario.clone()).unwrap_or_default(),
            runs: first.map_or(0, |a| a.runs),
            seed: first.map_or(0, |a| a.seed),
            columns: columns(assessments),
            rows,
        }
    }

    /// The table as text: a legend of the columns, then one line per row; the best value of each
    /// row ends in `*` (and is bold when `bold`). When the columns do not fit in `width`
    /// characters, they are split into blocks that do, each repeating the row labels.
    pub fn to_text(&self, bold: bool, width: usize) -> String {
        let mut out = String::new();
        let _ =
            writeln!(out, "Scenario {}, {} run(s) per design, seed {}", self.scenario, self.runs, self.seed);
        for c in &self.columns {
            let path = c.path.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
            let _ = writeln!(out, "  {:<w$}  {}{path}", c.header, c.design, w = HEADER_WIDTH);
        }
        let label_w = self.rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(0).max(6);
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                let cells = self.rows.iter().map(|r| r.text.get(i).map_or(0, |t| t.chars().count() + 1));
                cells.chain(std::iter::once(self.columns[i].header.chars().count())).max().unwrap_or(0)
            })
            .collect();
        // Greedy blocks of columns that fit beside the labels (at least one column per block).
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        let mut used = label_w;
        for (i, w) in widths.iter().enumerate() {
            match blocks.last_mut() {
                Some(b) if used + 2 + w <= width => b.push(i),
                _ => {
                    blocks.push(vec![i]);
                    used = label_w;
                }
            }
            used += 2 + w;
        }
        for block in blocks {
            out.push('\n');
            let _ = write!(out, "{:<label_w$}", "");
            for &i in &block {
                let _ = write!(out, "  {:>w$}", self.columns[i].header, w = widths[i]);
            }
            out.push('\n');
            for r in &self.rows {
                let _ = write!(out, "{:<label_w$}", r.label);
                for &i in &block {
                    let text = r.text.get(i).map_or("", String::as_str);
                    let best = r.best.contains(&i);
                    let cell = format!("{text}{}", if best { "*" } else { " " });
                    let padded = format!("{cell:>w$}", w = widths[i]);
                    if best && bold {
                        let _ = write!(out, "  \x1b[1m{padded}\x1b[0m");
                    } else {
                        let _ = write!(out, "  {padded}");
                    }
                }
                out.truncate(out.trim_end_matches(' ').len());
                out.push('\n');
            }
        }
        out.push_str("\n* best in the row\n");
        out
    }
}

fn row(key: &str, label: &str, better: Better, values: Vec<Option<f64>>, fmt: &dyn Fn(f64) -> String) -> Row {
    let text: Vec<String> = values.iter().map(|v| v.map_or_else(|| "-".to_owned(), fmt)).collect();
    // Values that print the same as the best are as good as it: a mark must be visible in the text.
    let best = match best(&values, better).first() {
        Some(&top) => {
            let same: Vec<usize> =
                (0..text.len()).filter(|&i| values[i].is_some() && text[i] == text[top]).collect();
            if same.len() == values.len() && values.len() > 1 { Vec::new() } else { same }
        }
        None => Vec::new(),
    };
    Row { key: key.to_owned(), label: label.to_owned(), better, best, values, text }
}

/// Indices of the best values; none when every value is equal (nothing to choose) or missing.
pub fn best(values: &[Option<f64>], better: Better) -> Vec<usize> {
    if better == Better::Neither {
        return Vec::new();
    }
    let present: Vec<(usize, f64)> =
        values.iter().enumerate().filter_map(|(i, v)| v.filter(|x| x.is_finite()).map(|x| (i, x))).collect();
    let pick = |a: f64, b: f64| if better == Better::Higher { a.max(b) } else { a.min(b) };
    let Some(top) = present.iter().map(|p| p.1).reduce(pick) else { return Vec::new() };
    let close = |x: f64| (x - top).abs() <= 1e-9 * top.abs().max(1e-12);
    let winners: Vec<usize> = present.iter().filter(|p| close(p.1)).map(|p| p.0).collect();
    if winners.len() == values.len() && values.len() > 1 { Vec::new() } else { winners }
}

/// Column headers: each design's file stem (or name), shortened to [`HEADER_WIDTH`], made unique.
fn columns(assessments: &[Assessment]) -> Vec<Column> {
    let mut headers: Vec<String> = assessments
        .iter()
        .map(|a| {
            let stem = a.path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
            abbreviate(&stem.unwrap_or_else(|| a.design.clone()))
        })
        .collect();
    for i in 0..headers.len() {
        if headers[..i].contains(&headers[i]) || headers[i + 1..].contains(&headers[i]) {
            let n = format!("{}", i + 1);
            let keep = HEADER_WIDTH.saturating_sub(n.len() + 1);
            headers[i] = format!("{}~{n}", headers[i].chars().take(keep).collect::<String>());
        }
    }
    assessments
        .iter()
        .zip(headers)
        .map(|(a, header)| Column {
            header,
            design: a.design.clone(),
            path: a.path.as_ref().map(|p| p.display().to_string()),
        })
        .collect()
}

/// Shortens a name to [`HEADER_WIDTH`] characters: words are cut to their first letters from the
/// longest first, then the end is cut with `~`.
pub fn abbreviate(name: &str) -> String {
    if name.chars().count() <= HEADER_WIDTH {
        return name.to_owned();
    }
    let mut words: Vec<String> =
        name.split(['-', '_', ' ']).filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let joined = |w: &[String]| w.join("-");
    while joined(&words).chars().count() > HEADER_WIDTH {
        let Some((i, _)) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.chars().count() > 3)
            .max_by_key(|(_, w)| w.chars().count())
        else {
            break;
        };
        words[i] = words[i].chars().take(3).collect();
    }
    let out = joined(&words);
    if out.chars().count() <= HEADER_WIDTH {
        out
    } else {
        format!("{}~", out.chars().take(HEADER_WIDTH - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_marks_the_extreme_and_ties_but_not_all_equal() {
        assert_eq!(best(&[Some(3.0), Some(1.0), Some(2.0)], Better::Lower), [1]);
        assert_eq!(best(&[Some(3.0), Some(1.0), Some(3.0)], Better::Higher), [0, 2]);
        assert!(best(&[Some(1.0), Some(1.0)], Better::Lower).is_empty());
        assert_eq!(best(&[None, Some(5.0)], Better::Lower), [1]);
        assert!(best(&[None, None], Better::Lower).is_empty());
        assert!(best(&[Some(1.0), Some(2.0)], Better::Neither).is_empty());
    }

    #[test]
    fn wide_tables_split_into_blocks_that_fit() {
        let c = Comparison {
            scenario: "s".into(),
            runs: 1,
            seed: 1,
            columns: (0..6)
                .map(|i| Column { header: format!("design-{i}"), design: format!("D{i}"), path: None })
                .collect(),
            rows: vec![row(
                "k",
                "a label",
                Better::Lower,
                (0..6).map(|i| Some(f64::from(i))).collect(),
                &|v| format!("{v:.3}"),
            )],
        };
        let text = c.to_text(false, 40);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert_eq!(text.lines().filter(|l| l.starts_with("a label")).count(), 2, "{text}");
        assert!(text.contains("0.000*"));
        let wide = c.to_text(false, 200);
        assert_eq!(wide.lines().filter(|l| l.starts_with("a label")).count(), 1, "{wide}");
    }

    #[test]
    fn values_that_print_alike_share_the_mark() {
        let r =
            row("k", "k", Better::Lower, vec![Some(99.2), Some(98.9), Some(120.0)], &|v| format!("{v:.0}"));
        assert_eq!(r.best, [0, 1]);
        let r = row("k", "k", Better::Lower, vec![Some(99.2), Some(98.9)], &|v| format!("{v:.0}"));
        assert!(r.best.is_empty());
    }

    #[test]
    fn names_are_abbreviated_to_fit_a_column() {
        assert_eq!(abbreviate("pilot-light"), "pilot-light");
        assert_eq!(abbreviate("backup-restore"), "backup-restore");
        let two = abbreviate("active-active-2region");
        assert!(two.chars().count() <= HEADER_WIDTH, "{two}");
        assert_ne!(two, abbreviate("active-active-3region"));
        assert!(abbreviate("a-very-very-long-name-with-many-words").chars().count() <= HEADER_WIDTH);
        assert_eq!(Usd(1_234_567.4).to_string(), "$1,234,567");
        assert_eq!(Usd(999.5).to_string(), "$1,000");
        assert_eq!(Usd(4.123).to_string(), "$4.12");
    }
}
