//! `meridian calibrate`: a drill's measurements against the predictions of its experiments.

use meridian_assess::calibrate::{self, Calibration};
use meridian_assess::units::Seconds;
use meridian_model::format::{self, Limit};

use crate::cli::CalibrateArgs;
use crate::exit::{self, BadInput};

/// Runs `meridian calibrate`.
pub fn run(args: &CalibrateArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    // A drill's results are as small as a scenario file.
    let text = format::read_text(&args.observed, Limit::Scenario)?;
    let observed = calibrate::parse_observed(&text, &args.observed)?;
    let Some(scenario) = args.scenario.clone().or_else(|| observed.scenario.clone()) else {
        return Err(BadInput(format!(
            "{}: error: name the scenario the experiments came from (--scenario, or \"scenario\" in the file)",
            args.observed.display()
        ))
        .into());
    };
    let (_, _, predictions) =
        super::experiments::predictions(&args.file, &scenario, args.runs, args.threads)?;
    let cal = calibrate::calibrate(&observed, &predictions, catalog);
    if !cal.unknown.is_empty() {
        return Err(BadInput(format!(
            "{}: error: no experiment named {} in scenario {scenario} (it has {})",
            args.observed.display(),
            cal.unknown.join(", "),
            predictions.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        ))
        .into());
    }
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&cal)?);
    } else {
        print(&cal);
    }
    Ok(if cal.contradicted() { exit::FINDINGS } else { exit::SUCCESS })
}

fn print(cal: &Calibration) {
    let show = |figure: &str, v: f64| if figure == "errors" { format!("{v:.0}") } else { Seconds(v).fine() };
    crate::outln!(
        "{:<28} {:<7} {:>28} {:>12}  verdict",
        "experiment",
        "figure",
        "predicted P5..P95 (P50)",
        "observed"
    );
    for c in &cal.checks {
        let predicted = format!(
            "{}..{} ({})",
            show(c.figure, c.predicted.p5),
            show(c.figure, c.predicted.p95),
            show(c.figure, c.predicted.p50)
        );
        crate::outln!(
            "{:<28} {:<7} {:>28} {:>12}  {}",
            c.experiment,
            c.figure,
            predicted,
            show(c.figure, c.observed),
            if c.contradicted { "CONTRADICTED" } else { "ok" }
        );
    }
    for f in &cal.flags {
        crate::outln!("\n{}: revisit {}: {}", f.experiment, f.parameter, f.reason);
    }
    let n = cal.checks.iter().filter(|c| c.contradicted).count();
    crate::outln!("\n{} of {} figures contradict the model", n, cal.checks.len());
}
