//! Which kinds of disruption a scenario exercises, for the RTO and RPO targets.

use meridian_model::targets::Disruption;
use meridian_sim::Scenario;
use meridian_sim::scenario::Target;

/// The kinds of disruption `scenario` exercises, in [`Disruption::ALL`] order: those of its
/// injections (a region or its control plane: region; an AZ; a service or its instances:
/// service; a partition: inter-region network; a deployment group: common cause) and those of
/// the random failure processes it leaves on.
pub fn disruptions(scenario: &Scenario) -> Vec<Disruption> {
    let mut on = Vec::new();
    for i in &scenario.injections {
        on.push(match i.target {
            Target::Region(_) | Target::ControlPlane(_) => Disruption::Region,
            Target::Az(_) => Disruption::Az,
            Target::Service(_) | Target::Instances(_) => Disruption::Service,
            Target::Partition(..) => Disruption::InterRegionNetwork,
            Target::Deployment(_) => Disruption::CommonCause,
        });
    }
    let p = scenario.random_failures;
    for (process, kind) in [
        (p.regions, Disruption::Region),
        (p.azs, Disruption::Az),
        (p.partitions, Disruption::InterRegionNetwork),
        (p.services || p.instances, Disruption::Service),
        (p.common_cause, Disruption::CommonCause),
    ] {
        if process {
            on.push(kind);
        }
    }
    Disruption::ALL.into_iter().filter(|d| on.contains(d)).collect()
}
