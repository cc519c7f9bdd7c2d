//! Consistency modes in the simulation: DynamoDB multi-Region strong consistency (MRSC) and
//! Aurora write forwarding.
//!
//! **MRSC.** A write succeeds once it is replicated to at least one other region of the table
//! (a replica or the witness), so it pays the round trip to the nearest one that is up and
//! reachable, loses nothing when a region fails (RPO 0: its links are `Sync`), never conflicts,
//! and stops when the writing region cannot reach a majority (itself and one other of three).
//! Strongly consistent reads never return stale data.
//!
//! **Write forwarding.** An Aurora secondary that forwards writes serves reads at its
//! `aurora_replica_read_consistency`: `Global` reads wait for replication (the mean lag),
//! `Session` reads wait only after the session's own writes (modelled as a share of reads equal
//! to the population's write fraction), `Eventual` reads do not wait.

use meridian_model::consistency::StrongTable;
use meridian_model::design::ReadConsistency;

use crate::state::StateView;
use crate::tables::{CGroup, CRegion, CService, Compiled};

/// Marks the replication groups that are strongly consistent tables, with their witnesses.
pub fn mark_strong(
    groups: &mut [CGroup],
    services: &[CService],
    regions: &[CRegion],
    tables: &[StrongTable],
) {
    for t in tables {
        let Some(first) = t.members.first() else { continue };
        let Some(g) = services
            .iter()
            .find(|s| s.id == first.as_str())
            .and_then(|s| s.store.as_ref())
            .and_then(|st| st.group)
        else {
            continue;
        };
        groups[g].strong = true;
        groups[g].witness = t.witness.as_ref().and_then(|w| regions.iter().position(|r| r.id == w.as_str()));
    }
}

/// For a write landing in `store` of a strongly consistent group: the round trip to the nearest
/// other region of the table that is up and reachable, in milliseconds, or `None` when no
/// majority can be reached (the write fails).
pub fn strong_write_rtt_ms(c: &Compiled, st: &StateView<'_>, group: &CGroup, store: usize) -> Option<f64> {
    let home = c.services[store].region?;
    let reachable = |r: usize| {
        !st.down[c.regions[r].component] && c.partition_between(home, r).is_none_or(|p| !st.down[p])
    };
    let replicas = group
        .members
        .iter()
        .filter(|&&m| m != store)
        .filter(|&&m| st.svc_up(c, m))
        .filter_map(|&m| c.services[m].region);
    replicas
        .chain(group.witness)
        .filter(|&r| r != home && reachable(r))
        .map(|r| c.rtt_regions_ms(home, r))
        .min_by(f64::total_cmp)
}

/// Milliseconds a read at `store` waits for replication, given the population's write fraction.
pub fn read_wait_ms(c: &Compiled, store: usize, write_fraction: f64) -> f64 {
    match c.services[store].store.as_ref().and_then(|s| s.read_wait) {
        Some((ReadConsistency::Global, lag_ms)) => lag_ms,
        Some((ReadConsistency::Session, lag_ms)) => write_fraction * lag_ms,
        Some((ReadConsistency::Eventual, _)) | None => 0.0,
    }
}
