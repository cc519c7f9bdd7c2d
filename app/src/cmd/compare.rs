//! `meridian compare`: assess several designs under one scenario and print them side by side,
//! optionally with the cost-downtime frontier chart.

use std::io::IsTerminal;
use std::path::PathBuf;

use serde_json::json;

use crate::cli::CompareArgs;
use crate::exit::{self, BadInput};
use meridian_assess::assessment::{AssessError, AssessOptions, Assessment, Want};
use meridian_assess::charts::{ChartError, FrontierPoint, write_frontier};
use meridian_assess::compare::Comparison;

/// Runs `meridian compare`.
pub fn run(args: &CompareArgs) -> anyhow::Result<u8> {
    if let Some(chart) = &args.chart {
        let ext = chart.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        if !matches!(ext.as_deref(), Some("svg" | "png")) {
            return Err(BadInput(ChartError::Extension(chart.display().to_string()).to_string()).into());
        }
        super::output::file(chart, "--chart")?;
    }
    // Every design is loaded and its scenario resolved before any simulation starts; prices and
    // policies are read once and lent to every design's assessment.
    let designs = super::assess_each::load(args.files.iter().map(PathBuf::as_path), &args.run)?;
    let options =
        AssessOptions { sim: super::sim_options(&args.run)?, ..AssessOptions::builtin(Want::COMPARE)? };
    let assessments = super::assess_each::assess(&designs, &options, "comparing")?;
    let comparison = Comparison::new(&assessments);
    if let Some(chart) = &args.chart {
        let points = comparison
            .columns
            .iter()
            .zip(&assessments)
            .map(|(c, a)| {
                let (Some(usd_per_month), Some(r)) = (a.usd_per_month(), &a.results) else {
                    return Err(AssessError::Missing(Want::BILL | Want::SIMULATION));
                };
                Ok(FrontierPoint {
                    label: c.header.clone(),
                    usd_per_month,
                    downtime_min_per_year: r.downtime_min_per_year.mean,
                })
            })
            .collect::<Result<Vec<FrontierPoint>, AssessError>>()?;
        let title =
            format!("Cost and downtime under {} ({} runs per design)", comparison.scenario, comparison.runs);
        write_frontier(&points, &title, chart)?;
    }
    if args.json {
        let doc = json!({
            "scenario": comparison.scenario,
            "runs": comparison.runs,
            "seed": comparison.seed,
            "columns": comparison.columns,
            "rows": comparison.rows,
            "chart": args.chart.as_ref().map(|p| p.display().to_string()),
            "assessments": assessments,
        });
        crate::outln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        let terminal = std::io::stdout().is_terminal();
        let bold = terminal && std::env::var_os("NO_COLOR").is_none();
        // A terminal's width, or COLUMNS; unlimited into a pipe or a file.
        let width = console::Term::stdout()
            .size_checked()
            .filter(|_| terminal)
            .map(|(_, cols)| usize::from(cols))
            .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
            .unwrap_or(usize::MAX);
        crate::out!("{}", comparison.to_text(bold, width));
        for (column, a) in comparison.columns.iter().zip(&assessments) {
            if let Some(t) = &a.targets {
                crate::outln!("\n{}:", column.header);
                for line in t.text_lines() {
                    crate::outln!("{line}");
                }
            }
        }
        if let Some(chart) = &args.chart {
            crate::outln!("Frontier chart: {}", chart.display());
        }
    }
    // A missed target of any design is a finding, as a violation is for `check`.
    let missed: usize = assessments.iter().map(Assessment::targets_missed).sum();
    Ok(if missed > 0 { exit::FINDINGS } else { exit::SUCCESS })
}
