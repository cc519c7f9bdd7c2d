//! The component state the evaluator reads, and what follows from it alone: whether a service
//! runs, how much of it, and whether two services can talk.

use crate::tables::Compiled;

/// Component state the evaluator reads.
#[derive(Debug, Clone, Copy)]
pub struct StateView<'a> {
    /// Whether each component is down.
    pub down: &'a [bool],
    /// Whether each routing link's endpoint looks healthy to its router (and clients followed).
    pub view_ok: &'a [bool],
    /// Current writer of each replication group.
    pub writer: &'a [usize],
    /// Per service: not running (a cold standby not deployed, compute scaled to zero units).
    pub dormant: &'a [bool],
    /// Per service: capacity relative to the compiled capacity (scaling services; 1 otherwise).
    pub cap_factor: &'a [f64],
    /// Per service, whether it runs, when an evaluation already computed [`StateView::svc_up`]
    /// for this state (it does not depend on the routers' views).
    pub up: Option<&'a [bool]>,
}

impl<'a> StateView<'a> {
    /// A view of the component state (`down`, `view_ok`), the groups' writers and the recovery
    /// state (`dormant`, `cap_factor`).
    pub fn new(
        down: &'a [bool],
        view_ok: &'a [bool],
        writer: &'a [usize],
        dormant: &'a [bool],
        cap_factor: &'a [f64],
    ) -> Self {
        StateView { down, view_ok, writer, dormant, cap_factor, up: None }
    }

    /// Whether the service itself runs: its region, itself, and at least one instance or AZ.
    #[inline]
    pub fn svc_up(&self, c: &Compiled, s: usize) -> bool {
        if let Some(up) = self.up {
            return up[s];
        }
        let svc = &c.services[s];
        if self.down[svc.component]
            || self.dormant[s]
            || svc.region.is_some_and(|r| self.down[c.regions[r].component])
        {
            return false;
        }
        if !svc.instances.is_empty() {
            return svc.instances.iter().any(|&i| self.instance_up(c, i));
        }
        svc.azs.is_empty() || svc.azs.iter().any(|&a| !self.down[c.azs[a].component])
    }

    /// Whether instance `i` runs: itself and its AZ.
    #[inline]
    pub fn instance_up(&self, c: &Compiled, i: usize) -> bool {
        let inst = &c.instances[i];
        !self.down[inst.component] && inst.az.is_none_or(|a| !self.down[c.azs[a].component])
    }

    /// Fraction of a service's units running (1 for services not counted in units).
    #[inline]
    pub fn capacity_fraction(&self, c: &Compiled, s: usize) -> f64 {
        let svc = &c.services[s];
        if svc.instances.is_empty() {
            return 1.0;
        }
        let up = svc.instances.iter().filter(|&&i| self.instance_up(c, i)).count();
        up as f64 / svc.instances.len() as f64
    }

    /// Whether two services can talk: same region, global, or the network between them is up.
    #[inline]
    pub fn reachable(&self, c: &Compiled, a: usize, b: usize) -> bool {
        match (c.services[a].region, c.services[b].region) {
            (Some(ra), Some(rb)) => c.partition_between(ra, rb).is_none_or(|p| !self.down[p]),
            _ => true,
        }
    }
}
