//! Correlated failures: common-cause failures of deployment groups, how far a bad change spreads
//! under the design's deployment practice, and single-region control planes.
//!
//! **Beta factor.** Services that share a `deployment_group` run the same code and configuration.
//! A share `beta` of their failure rate is common cause (the usual beta-factor parametrisation of
//! reliability engineering): one process with rate `beta x` the members' mean rate takes every
//! member down at once and is repaired like a member (one repair for all), while each member's
//! own failures keep the rest, `(1 - beta)` of its rate (its times to failure are stretched by
//! `1 / (1 - beta)`).
//!
//! **Deployment practice.** With `AllAtOnce` the common cause reaches every region at once. With
//! `Staggered` it reaches the group's regions wave by wave, one region per bake time, and stops
//! spreading when the bad change is noticed (the catalog's change-detection time): wave `k` is
//! reached only if `k x bake` is shorter than that time. Every reached wave recovers with the
//! repair (the rollback).
//!
//! **Control planes.** A service may declare the region whose control plane changes to it need.
//! That control plane is down while its region is, or while a scenario injects
//! `ControlPlane(region)`; meanwhile the service's repairs and promotions wait.

use meridian_model::design::Deployment;
use meridian_model::{Catalog, Design};

use crate::engine::Scheduler;
use crate::rng::{Sampler, SimRng};
use crate::scenario::Scenario;
use crate::tables::{CDeploymentGroup, CRegion, CService, Component, ComponentKind, ControlPlane, Process};

/// Builds the control planes the design's services declare and points the services at them.
pub fn control_planes(
    design: &Design,
    regions: &[CRegion],
    services: &mut [CService],
    components: &mut Vec<Component>,
) -> Vec<ControlPlane> {
    let mut out: Vec<ControlPlane> = Vec::new();
    for (si, s) in design.services().enumerate() {
        let Some(code) = &s.control_plane else { continue };
        let idx = if let Some(i) = out.iter().position(|c| c.region_code == code.as_str()) {
            i
        } else {
            components.push(Component {
                kind: ComponentKind::ControlPlane(out.len()),
                name: format!("control plane {code}"),
                process: None,
                crewed: false,
            });
            out.push(ControlPlane {
                region_code: code.to_string(),
                region: regions.iter().position(|r| r.id == code.as_str()),
                component: components.len() - 1,
            });
            out.len() - 1
        };
        if let Some(svc) = services.get_mut(si) {
            svc.control_plane = Some(idx);
        }
    }
    out
}

/// Builds the deployment groups with their common-cause processes, and thins the members' own
/// failure processes to `(1 - beta)` of their rate.
pub fn deployment_groups(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    regions: &[CRegion],
    services: &[CService],
    components: &mut Vec<Component>,
) -> Vec<CDeploymentGroup> {
    let facts = catalog.resilience();
    let res = design.resilience();
    let beta = res.common_cause_beta.unwrap_or(facts.common_cause_beta.value);
    let (bake_us, order) = match &res.deployment {
        Deployment::AllAtOnce => (None, Vec::new()),
        Deployment::Staggered { bake, order } => {
            (Some(bake.unwrap_or(facts.bake_time.value).as_micros().max(1)), order.clone())
        }
    };
    let mut names: Vec<&str> = design.services().filter_map(|s| s.deployment_group.as_deref()).collect();
    names.sort_unstable();
    names.dedup();
    let on = scenario.random_failures.common_cause;
    let mut out = Vec::new();
    for name in names {
        let member_ix: Vec<usize> = design
            .services()
            .enumerate()
            .filter(|(_, s)| s.deployment_group.as_deref() == Some(name))
            .map(|(i, _)| i)
            .collect();
        // Regions in deployment order: those listed first, then the rest in id order.
        let mut wave_regions: Vec<Option<usize>> = Vec::new();
        let member_region = |i: usize| services[i].region;
        let mut spanned: Vec<usize> = member_ix.iter().filter_map(|&i| member_region(i)).collect();
        spanned.sort_unstable();
        spanned.dedup();
        for code in &order {
            if let Some(r) = spanned.iter().copied().find(|&r| regions[r].id == code.as_str())
                && !wave_regions.contains(&Some(r))
            {
                wave_regions.push(Some(r));
            }
        }
        for r in spanned {
            if !wave_regions.contains(&Some(r)) {
                wave_regions.push(Some(r));
            }
        }
        let members: Vec<(usize, u32)> = member_ix
            .iter()
            .map(|&i| {
                let w = member_region(i)
                    .and_then(|r| wave_regions.iter().position(|x| *x == Some(r)))
                    .unwrap_or(0);
                (i, w as u32)
            })
            .collect();
        // The common cause: beta times the members' mean failure rate, repaired like the first member.
        let procs: Vec<Process> =
            member_ix.iter().filter_map(|&i| components[services[i].component].process).collect();
        let mean_rate =
            procs.iter().map(|p| 1.0 / p.ttf.mean_us().max(1.0)).sum::<f64>() / procs.len().max(1) as f64;
        let process = (on && beta > 0.0 && !procs.is_empty())
            .then(|| Process { ttf: Sampler::Exp(1.0 / (beta * mean_rate)), ttr: procs[0].ttr });
        if process.is_some() {
            for &i in &member_ix {
                let c = &mut components[services[i].component];
                if let Some(p) = c.process.as_mut() {
                    p.ttf = p.ttf.scaled(1.0 / (1.0 - beta));
                }
            }
        }
        components.push(Component {
            kind: ComponentKind::CommonCause(out.len()),
            name: format!("common cause of deployment group {name}"),
            process,
            crewed: false,
        });
        out.push(CDeploymentGroup {
            name: name.to_owned(),
            component: components.len() - 1,
            members,
            waves: wave_regions.len().max(1) as u32,
            bake_us,
        });
    }
    out
}

/// Events the common-cause state asks the world to schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaveEvent {
    /// Deployment group.
    pub group: u32,
    /// Wave reached.
    pub wave: u32,
    /// Generation of the group's failure; stale when it ended since.
    pub generation: u32,
}

/// The runtime state of common-cause failures and control planes in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlated {
    active: Vec<bool>,
    reach: Vec<u32>,
    generation: Vec<u32>,
    cp_up: Vec<bool>,
    blocked_repairs: Vec<Vec<u32>>,
    blocked_promotions: Vec<Vec<u32>>,
    /// Common-cause failures that started in this run.
    pub events: u32,
    /// Waves reached beyond the first, summed over this run's common-cause failures.
    pub extra_waves: u32,
}

impl Correlated {
    /// Everything up.
    pub fn new(groups: usize, control_planes: usize) -> Self {
        Correlated {
            active: vec![false; groups],
            reach: vec![0; groups],
            generation: vec![0; groups],
            cp_up: vec![true; control_planes],
            blocked_repairs: vec![Vec::new(); control_planes],
            blocked_promotions: vec![Vec::new(); control_planes],
            events: 0,
            extra_waves: 0,
        }
    }

    /// Follows the common-cause components' state in `down` (before members are marked),
    /// schedules the waves of a new failure, and marks the members the failure reached as down.
    // The world's tables it reads and writes, passed apart so the world's borrows stay disjoint.
    #[allow(clippy::too_many_arguments)]
    pub fn apply<E>(
        &mut self,
        groups: &[CDeploymentGroup],
        services: &[CService],
        detection: &Sampler,
        down: &mut [bool],
        sched: &mut Scheduler<E>,
        rng: &mut SimRng,
        wave: impl Fn(WaveEvent) -> E,
    ) {
        for (g, grp) in groups.iter().enumerate() {
            let now_active = down[grp.component];
            if now_active && !self.active[g] {
                self.active[g] = true;
                self.events += 1;
                self.generation[g] = self.generation[g].wrapping_add(1);
                match grp.bake_us {
                    None => self.reach[g] = grp.waves,
                    Some(bake) => {
                        self.reach[g] = 1;
                        let noticed = detection.sample_f64(rng);
                        for k in 1..grp.waves {
                            let at = bake.saturating_mul(u64::from(k));
                            if (at as f64) < noticed {
                                let ev =
                                    WaveEvent { group: g as u32, wave: k, generation: self.generation[g] };
                                sched.after(at, wave(ev));
                            }
                        }
                    }
                }
            } else if !now_active && self.active[g] {
                self.active[g] = false;
                self.reach[g] = 0;
                self.generation[g] = self.generation[g].wrapping_add(1);
            }
            if self.active[g] {
                for &(s, w) in &grp.members {
                    if w < self.reach[g] {
                        down[services[s].component] = true;
                    }
                }
            }
        }
    }

    /// A wave of a staggered bad change arrives; true when it reached a new region.
    pub fn wave(&mut self, ev: WaveEvent) -> bool {
        let g = ev.group as usize;
        if !self.active[g] || ev.generation != self.generation[g] || ev.wave < self.reach[g] {
            return false;
        }
        self.reach[g] = ev.wave + 1;
        self.extra_waves += 1;
        true
    }

    /// Whether control plane `cp` is up.
    pub fn control_plane_up(&self, cp: usize) -> bool {
        self.cp_up[cp]
    }

    /// Recomputes which control planes are up from the components' failure state; returns the
    /// repairs and promotions they released.
    pub fn refresh_control_planes(
        &mut self,
        planes: &[ControlPlane],
        regions: &[CRegion],
        is_down: impl Fn(usize) -> bool,
    ) -> (Vec<u32>, Vec<u32>) {
        let (mut repairs, mut promotions) = (Vec::new(), Vec::new());
        for (i, cp) in planes.iter().enumerate() {
            let up = !is_down(cp.component) && cp.region.is_none_or(|r| !is_down(regions[r].component));
            if up && !self.cp_up[i] {
                repairs.append(&mut self.blocked_repairs[i]);
                promotions.append(&mut self.blocked_promotions[i]);
            }
            self.cp_up[i] = up;
        }
        (repairs, promotions)
    }

    /// Holds the repair of `component` until control plane `cp` is back.
    pub fn block_repair(&mut self, cp: usize, component: u32) {
        self.blocked_repairs[cp].push(component);
    }

    /// Holds the promotion of `group` until control plane `cp` is back.
    pub fn block_promotion(&mut self, cp: usize, group: u32) {
        if !self.blocked_promotions[cp].contains(&group) {
            self.blocked_promotions[cp].push(group);
        }
    }
}
