//! Chaos experiments: a scenario's faults as AWS Fault Injection Service experiment templates
//! (`AWS::FIS::ExperimentTemplate` or `aws_fis_experiment_template`), targeting what
//! `meridian export` writes, stopping on the alarms it writes, run by a role limited to the
//! actions used.
//!
//! `plan` decides which FIS actions reproduce a fault (or why none can), `actions` holds each
//! action's id, target and permissions with their source, `common` what both writers share, `cfn`
//! and `tf` write the files. The hypotheses come from the caller (the simulator's prediction,
//! `meridian_assess::experiments`): this crate does not know the simulator.

mod actions;
mod cfn;
mod common;
mod plan;
mod tf;

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::{Catalog, Design};

pub use actions::{Action, MAX_DURATION_S, SOURCE, TARGETING, iso_duration};
pub use common::{Experiments, MAX_DESCRIPTION, Request, Unreproduced};
pub use plan::{Fault, Planned, Regional, Select, Step};

use crate::bundle::{ExportError, Format};

/// Writes the experiments of `requests` for `design` in `format` (CloudFormation as YAML).
pub fn experiments(
    design: &Design,
    catalog: &Catalog,
    requests: &[Request],
    format: Format,
) -> Result<Experiments, ExportError> {
    let plan = crate::plan::Plan::new(design, catalog, &[], &BTreeSet::new());
    let mut planned = Vec::new();
    let mut unreproduced = Vec::new();
    let mut for_request = Vec::new();
    for req in requests {
        match plan::plan_fault(&plan, &req.name, &req.fault, req.duration_s) {
            Ok(p) => {
                planned.push(p);
                for_request.push(req);
            }
            Err(reason) => {
                unreproduced.push(Unreproduced { name: req.name.clone(), fault: req.fault.clone(), reason });
            }
        }
    }
    let mut by_region: BTreeMap<usize, (meridian_model::ids::RegionId, Vec<_>)> = BTreeMap::new();
    for (p, req) in planned.iter().zip(&for_request) {
        for r in &p.regions {
            let order = plan.regions.iter().position(|x| x == &r.region).unwrap_or(usize::MAX);
            by_region.entry(order).or_insert_with(|| (r.region.clone(), Vec::new())).1.push((p, r, *req));
        }
    }
    let by_region: Vec<_> = by_region.into_values().collect();
    let mut warnings = Vec::new();
    for (region, _) in &by_region {
        if common::stop_alarms(&plan, region).is_empty() {
            warnings.push(format!(
                "{region}: the export writes no alarm there, so its experiments have no stop condition (`none`): watch them yourself"
            ));
        }
    }
    let mut files = match format {
        Format::CloudFormation => by_region
            .iter()
            .map(|(region, list)| cfn::template(&plan, region, list))
            .collect::<Result<Vec<_>, _>>()?,
        Format::Terraform => tf::files(&plan, &by_region)?,
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Experiments { files, planned, unreproduced, warnings })
}
