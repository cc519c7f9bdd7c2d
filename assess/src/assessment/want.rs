//! [`Want`]: what an assessment computes, so each caller pays only for what it shows.

bitflags::bitflags! {
    /// The parts of an assessment a caller asks for. Some parts rest on others
    /// ([`Want::implied`]): the incident and the dynamic data-law check are read from the trace of
    /// run 0, so asking for either traces it. The simulator compiles the design once for the Monte
    /// Carlo and the trace together, and only when one of them is wanted.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Want: u8 {
        /// The monthly bill: line items, totals, unpriced usage and stale price sources.
        const BILL = 1;
        /// Data-law policies checked on the design as drawn.
        const STATIC_LAW = 1 << 1;
        /// The Monte Carlo runs: availability, downtime, recovery, latency, conflicts.
        const SIMULATION = 1 << 2;
        /// The timeline of run 0.
        const TRACE = 1 << 3;
        /// The incident of run 0 and its price (implies the trace).
        const INCIDENT = 1 << 4;
        /// Data-law policies checked on where run 0 served each population (implies the trace).
        const DYNAMIC_LAW = 1 << 5;
    }
}

impl Want {
    /// What `meridian compare`, `meridian report` and the designer's compare view show: every
    /// part but the trace, which they read only through the incident and the dynamic check.
    pub const COMPARE: Want = Want::BILL
        .union(Want::STATIC_LAW)
        .union(Want::SIMULATION)
        .union(Want::INCIDENT)
        .union(Want::DYNAMIC_LAW);

    /// The parts asked for with the parts they rest on: the trace when the incident or the
    /// dynamic data-law check is wanted.
    #[must_use]
    pub fn implied(self) -> Want {
        if self.intersects(Want::INCIDENT | Want::DYNAMIC_LAW) { self | Want::TRACE } else { self }
    }

    /// Whether the design must be compiled for the simulator (a Monte Carlo or a trace is wanted,
    /// directly or implied).
    pub fn simulates(self) -> bool {
        self.implied().intersects(Want::SIMULATION | Want::TRACE)
    }
}

#[cfg(test)]
mod tests {
    use super::Want;

    #[test]
    fn the_incident_and_the_dynamic_check_imply_the_trace_and_nothing_else() {
        assert_eq!(Want::INCIDENT.implied(), Want::INCIDENT | Want::TRACE);
        assert_eq!(Want::DYNAMIC_LAW.implied(), Want::DYNAMIC_LAW | Want::TRACE);
        for w in [Want::BILL, Want::STATIC_LAW, Want::SIMULATION, Want::TRACE, Want::empty()] {
            assert_eq!(w.implied(), w, "{w:?}");
        }
        assert_eq!(Want::COMPARE.implied(), Want::all());
    }

    #[test]
    fn only_a_simulation_or_a_trace_compiles_the_design() {
        assert!(!(Want::BILL | Want::STATIC_LAW).simulates());
        assert!(Want::SIMULATION.simulates());
        assert!(Want::TRACE.simulates());
        assert!(Want::INCIDENT.simulates());
        assert!(Want::DYNAMIC_LAW.simulates());
    }
}
