//! `meridian export-experiments`: a scenario's faults as AWS FIS experiment templates, with the
//! simulator's predictions as hypotheses.

use std::path::Path;
use std::time::Instant;

use meridian_assess::assessment::resolve_scenario;
use meridian_assess::experiments::{self, Prediction};
use meridian_assess::outdir::OutDirError;
use meridian_iac::fis;
use meridian_iac::{ExportBundle, ExportFile, Format};
use meridian_model::format::{self, Loaded};
use meridian_sim::Scenario;

use crate::cli::ExperimentsArgs;
use crate::cli_chaos::ExperimentFormat;
use crate::exit::{self, BadInput};

/// The design, the scenario (runs overridden) and the prediction of each of its injections.
pub(super) fn predictions(
    file: &Path,
    scenario: &str,
    runs: Option<u32>,
    threads: usize,
) -> anyhow::Result<(Loaded, Scenario, Vec<Prediction>)> {
    let catalog = super::catalog()?;
    let loaded = format::load_file(file, catalog)?;
    let mut scenario = resolve_scenario(scenario, &loaded.design, catalog)?;
    if let Some(r) = runs {
        if r == 0 {
            return Err(BadInput("error: --runs must be at least 1".into()).into());
        }
        scenario.runs = r;
    }
    if scenario.injections.is_empty() {
        return Err(BadInput(format!(
            "error: scenario {} injects no fault, so there is no experiment to write (random failures are not experiments)",
            scenario.name
        ))
        .into());
    }
    let predictions = experiments::predict(&loaded.design, catalog, &scenario, threads)?;
    Ok((loaded, scenario, predictions))
}

/// Runs `meridian export-experiments`.
pub fn run(args: &ExperimentsArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let catalog = super::catalog()?;
    let (loaded, scenario, predictions) = predictions(&args.file, &args.scenario, args.runs, args.threads)?;
    let format = match args.format {
        ExperimentFormat::Cloudformation => Format::CloudFormation,
        ExperimentFormat::Terraform => Format::Terraform,
    };
    let requests = experiments::requests(&scenario, &predictions);
    let written = fis::experiments(&loaded.design, catalog, &requests, format)?;
    let md = experiments::hypotheses_md(loaded.design.name(), &scenario.name, &predictions, &written);
    let mut files = written.files.clone();
    files.push(ExportFile::text("HYPOTHESES.md", md));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let bundle = ExportBundle { files, warnings: written.warnings.clone(), skipped_checks: Vec::new() };
    meridian_assess::outdir::write_bundle(&bundle, &args.out, args.force).map_err(|e| match e {
        OutDirError::NotAFolder(_) | OutDirError::NotEmpty(_) => anyhow::Error::from(BadInput(format!(
            "{e}{}",
            if matches!(e, OutDirError::NotEmpty(_)) { " (--out DIR, --force)" } else { "" }
        ))),
        other => other.into(),
    })?;
    for p in &written.planned {
        let actions: Vec<String> = p
            .regions
            .iter()
            .map(|r| {
                format!(
                    "{}: {}",
                    r.region,
                    r.steps.iter().map(|s| s.action.id()).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        crate::outln!("experiment {} ({}): {}", p.name, p.fault, actions.join("; "));
    }
    for u in &written.unreproduced {
        crate::outln!("not reproduced {} ({}): {}", u.name, u.fault, u.reason);
    }
    for w in &written.warnings {
        crate::errln!("{}: warning: {w}", args.file.display());
    }
    for f in &bundle.files {
        crate::outln!("wrote {}", args.out.join(&f.path).display());
    }
    crate::errln!(
        "{} experiments, {} not reproduced, in {:.1} s",
        written.planned.len(),
        written.unreproduced.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(exit::SUCCESS)
}
