//! Which kind of disruption an incident followed, so a scenario mixing kinds (an AZ failure and
//! a region failure, or random failures of everything) can hold each kind to its own RTO and RPO
//! targets.
//!
//! Which failure an incident is blamed on is [`crate::blame`]'s modelling assumption: the most
//! recent failure to start that is still in force when the incident begins.

use meridian_model::targets::Disruption;

use crate::tables::ComponentKind;

/// The kind of disruption a failing component is: a region or its control plane: region; an
/// AZ; a service or one of its instances: service; the network between two regions:
/// inter-region network; a deployment group's bad change: common cause.
pub fn disruption_of(kind: ComponentKind) -> Disruption {
    match kind {
        ComponentKind::Region(_) | ComponentKind::ControlPlane(_) => Disruption::Region,
        ComponentKind::Az(_) => Disruption::Az,
        ComponentKind::Partition(_) => Disruption::InterRegionNetwork,
        ComponentKind::Service(_) | ComponentKind::Instance(_) => Disruption::Service,
        ComponentKind::CommonCause(_) => Disruption::CommonCause,
    }
}

/// The index of `d` in [`Disruption::ALL`] (for per-kind accumulators).
pub fn index(d: Disruption) -> usize {
    match d {
        Disruption::Service => 0,
        Disruption::Az => 1,
        Disruption::Region => 2,
        Disruption::InterRegionNetwork => 3,
        Disruption::CommonCause => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_follows_the_order_of_all() {
        for (k, d) in Disruption::ALL.into_iter().enumerate() {
            assert_eq!(index(d), k);
        }
        assert_eq!(disruption_of(ComponentKind::ControlPlane(0)), Disruption::Region);
        assert_eq!(disruption_of(ComponentKind::Instance(3)), Disruption::Service);
        assert_eq!(disruption_of(ComponentKind::Partition(1)), Disruption::InterRegionNetwork);
    }
}
