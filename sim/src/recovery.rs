//! The recovery tables of a compiled design: who starts each failover and promotion, how long
//! alarms and operators take, which services scale and how, and which stand by cold (with the
//! backups they are restored from). The runtime state lives in [`crate::operator`],
//! [`crate::scaling`] and [`crate::restore`]; this module only compiles.

use meridian_model::catalog::{Catalog, RouterMechanism, WriteModel};
use meridian_model::design::{Initiation, Link, LinkKind, Service, Standby};
use meridian_model::time::TimeSpan;
use meridian_model::{Design, LinkId, ServiceId};

use crate::compile::Compiled;
use crate::rng::Sampler;

/// Alarm and operator timing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct COperator {
    /// From a change until the alarm fires (evaluation periods x period), microseconds.
    pub alarm_us: u64,
    /// From the alarm to the operator's action.
    pub response: Sampler,
    /// A Route 53 record change reaching every name server.
    pub dns_change: Sampler,
    /// Deploying a cold service with infrastructure as code.
    pub deploy: Sampler,
}

/// Who switches a routing link, and what an operator's failover away from it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct CRouteRecovery {
    /// Who starts the failover.
    pub initiation: Initiation,
    /// Delay of the operator's switch before clients follow: a DNS record change, or none.
    pub propagation: Option<Sampler>,
    /// The router's other operator-managed links, which the operator points traffic to.
    pub alternatives: Vec<usize>,
    /// Cold or scaled-to-zero services behind those alternatives, which the operator starts.
    pub wakes: Vec<usize>,
}

/// Who promotes a single-writer group's replica, and how long the promotion takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CGroupRecovery {
    /// Who starts the promotion (automation or an operator, after the alarm).
    pub initiation: Initiation,
    /// Time of the promotion itself.
    pub promotion: Sampler,
}

/// A compute service that scales with target tracking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CScaler {
    /// The service.
    pub service: usize,
    /// Units it never goes below (its `count`).
    pub min: u32,
    /// Units it never goes above.
    pub max: u32,
    /// Requests per second one unit serves.
    pub per_unit_rps: f64,
    /// The service's compiled capacity, requests per second (what a factor of 1 means).
    pub compiled_rps: f64,
    /// Most units one action adds or removes.
    pub max_step: u32,
    /// Load above capacity this long starts a scale-out, microseconds.
    pub out_after_us: u64,
    /// Load well below capacity this long starts a scale-in, microseconds.
    pub in_after_us: u64,
    /// Time after a scale-out before the next, microseconds.
    pub out_cooldown_us: u64,
    /// Time after a scale-in before the next, microseconds.
    pub in_cooldown_us: u64,
    /// From a scaling decision until the new units serve.
    pub launch: Sampler,
}

/// Where a cold datastore's data comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CRestore {
    /// The store whose backups are restored.
    pub source: usize,
    /// Time between backups, microseconds.
    pub every_us: u64,
    /// The backup link's restore time, when it states one.
    pub override_us: Option<u64>,
    /// Time every restore takes at least, microseconds.
    pub minimum_us: u64,
    /// The part of the restore that does not depend on the size.
    pub time: Sampler,
    /// Data to restore, GB.
    pub gb: f64,
    /// Restore throughput, GB per hour (`None`: the time does not grow with the size).
    pub gb_per_hour: Option<f64>,
    /// Whether an operator configures the restored store before it serves.
    pub manual_setup: bool,
}

/// A service that stands by cold.
#[derive(Debug, Clone, PartialEq)]
pub struct CCold {
    /// The service.
    pub service: usize,
    /// Cold services it requires, which must be ready before it is deployed.
    pub after: Vec<usize>,
    /// The restore of its data, for a datastore with a backup in its region.
    pub restore: Option<CRestore>,
}

/// Every recovery table of a compiled design.
#[derive(Debug, Clone, PartialEq)]
pub struct CRecovery {
    /// Alarm and operator timing.
    pub operator: COperator,
    /// Per routing link (same index as [`Compiled::routes`]).
    pub routes: Vec<CRouteRecovery>,
    /// Per replication group (same index as [`Compiled::groups`]).
    pub groups: Vec<CGroupRecovery>,
    /// Scaling services.
    pub scalers: Vec<CScaler>,
    /// Per service, its scaler.
    pub scaler_of: Vec<Option<usize>>,
    /// Cold services.
    pub cold: Vec<CCold>,
    /// Per service, its cold entry.
    pub cold_of: Vec<Option<usize>>,
}

/// Events of the recovery machinery (carried by [`crate::world::Event::Recovery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryEvent {
    /// The alarm on an operator-managed link's endpoint fires, if `generation` is current.
    Alarm {
        /// Routing link.
        route: u32,
        /// Generation of the endpoint change.
        generation: u32,
        /// The endpoint's health the alarm reports.
        ok: bool,
    },
    /// The operator acts on the alarm.
    Decide {
        /// Routing link.
        route: u32,
        /// Generation of the endpoint change.
        generation: u32,
        /// The endpoint's health.
        ok: bool,
    },
    /// The operator's switch of a link takes effect for clients.
    Switch {
        /// Routing link.
        route: u32,
        /// Generation of the switch.
        generation: u32,
        /// Whether traffic may go to the endpoint.
        ok: bool,
    },
    /// A cold service's deployment or restore finishes.
    Ready {
        /// Index into [`CRecovery::cold`].
        cold: u32,
        /// Generation of the wake-up.
        generation: u32,
    },
    /// A scaler's alarm is due.
    ScaleCheck {
        /// Index into [`CRecovery::scalers`].
        scaler: u32,
        /// Generation of the check.
        generation: u32,
    },
    /// Units a scaler launched start serving.
    Launched {
        /// Index into [`CRecovery::scalers`].
        scaler: u32,
        /// Units.
        units: u32,
    },
}

impl CRecovery {
    /// No recovery machinery: for designs compiled before it is added.
    pub fn none() -> Self {
        let zero = Sampler::Fixed(0.0);
        CRecovery {
            operator: COperator { alarm_us: 0, response: zero, dns_change: zero, deploy: zero },
            routes: Vec::new(),
            groups: Vec::new(),
            scalers: Vec::new(),
            scaler_of: Vec::new(),
            cold: Vec::new(),
            cold_of: Vec::new(),
        }
    }

    /// Whether any routing link is switched by an operator.
    pub fn any_operator_route(&self) -> bool {
        self.routes.iter().any(|r| r.initiation.by_operator())
    }

    /// Whether a service is dormant at the start: cold, or scaling from zero units.
    pub fn dormant_at_start(&self, s: usize) -> bool {
        self.cold_of[s].is_some() || self.scaler_of[s].is_some_and(|k| self.scalers[k].min == 0)
    }
}

/// Compiles the recovery tables of `design` for `c` (its services, routes and groups).
// One pass per table; the resolution order (service, design, catalog) reads best inline.
#[allow(clippy::too_many_lines)]
pub fn compile_recovery(design: &Design, catalog: &Catalog, c: &Compiled) -> CRecovery {
    let d = &catalog.defaults().recovery;
    let rec = design.recovery();
    let periods = rec.alarm_evaluation_periods.unwrap_or(d.alarm_evaluation_periods.value);
    let operator = COperator {
        alarm_us: rec
            .alarm_period
            .unwrap_or(d.alarm_period.value)
            .as_micros()
            .saturating_mul(u64::from(periods)),
        response: Sampler::new(&rec.operator_response.unwrap_or(d.operator_response.value)),
        dns_change: Sampler::new(&d.dns_change_propagation.value),
        deploy: Sampler::new(&rec.deploy_time.unwrap_or(d.deploy_time.value)),
    };
    let services: Vec<_> = design.services().collect();
    let service_ix = |id: &ServiceId| c.services.iter().position(|s| s.id == id.as_str());

    // Scalers.
    let mut scalers = Vec::new();
    let mut scaler_of = vec![None; c.services.len()];
    for (si, s) in services.iter().enumerate() {
        let (Some(sc), Some(spec), Some(cap)) =
            (&s.config.scaling, &catalog.kind(s.kind).scaling, &catalog.kind(s.kind).capacity)
        else {
            continue;
        };
        let count = s.config.count;
        let per_unit = match s.config.capacity_rps {
            Some(total) if count > 0 => total / f64::from(count),
            _ => cap.requests_per_sec.value,
        };
        scaler_of[si] = Some(scalers.len());
        scalers.push(CScaler {
            service: si,
            min: count,
            max: sc.max.max(count).max(1),
            per_unit_rps: per_unit,
            compiled_rps: c.services[si].capacity_rps.unwrap_or(per_unit).max(1e-9),
            max_step: sc.max_step.or(rec.max_step).unwrap_or(u32::MAX).max(1),
            out_after_us: spec.scale_out_after.value.as_micros(),
            in_after_us: spec.scale_in_after.value.as_micros(),
            out_cooldown_us: sc
                .scale_out_cooldown
                .or(rec.scale_out_cooldown)
                .unwrap_or(spec.scale_out_cooldown.value)
                .as_micros(),
            in_cooldown_us: sc
                .scale_in_cooldown
                .or(rec.scale_in_cooldown)
                .unwrap_or(spec.scale_in_cooldown.value)
                .as_micros(),
            launch: Sampler::new(&sc.launch.unwrap_or(spec.launch.value)),
        });
    }

    // Cold services and the backups they restore from.
    let mut cold = Vec::new();
    let mut cold_of = vec![None; c.services.len()];
    for (si, s) in services.iter().enumerate() {
        if s.config.standby != Some(Standby::Cold) {
            continue;
        }
        cold_of[si] = Some(cold.len());
        let restore = restore_source(design, catalog, s).and_then(|(link_every, override_time, source)| {
            let spec = catalog.kind(s.kind).datastore.as_ref()?.restore.as_ref()?;
            Some(CRestore {
                source: service_ix(&source.id)?,
                every_us: link_every.as_micros().max(1),
                override_us: override_time.map(TimeSpan::as_micros),
                minimum_us: spec.minimum.as_ref().map_or(0, |m| m.value.as_micros()),
                time: Sampler::new(&spec.time.value),
                gb: source.config.storage_gb.or(s.config.storage_gb).unwrap_or(0.0),
                gb_per_hour: spec.gb_per_hour.as_ref().map(|g| g.value).filter(|g| *g > 0.0),
                manual_setup: spec.needs_manual_setup(),
            })
        });
        cold.push(CCold { service: si, after: Vec::new(), restore });
    }
    for entry in &mut cold {
        entry.after = c.services[entry.service]
            .deps
            .iter()
            .filter(|&&(dep, _, required)| required && cold_of[dep].is_some())
            .map(|&(dep, _, _)| dep)
            .collect();
    }

    // Routing links: initiation, propagation, alternatives and what a failover wakes.
    let initiations: Vec<Initiation> = c
        .routes
        .iter()
        .map(|r| {
            design
                .link(&LinkId::new(r.id.clone()))
                .and_then(|l| match &l.kind {
                    LinkKind::Routing(x) => x.failover,
                    _ => None,
                })
                .unwrap_or(Initiation::Automatic)
        })
        .collect();
    let routes = c
        .routes
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let initiation = initiations[ri];
            let dns = c.services[r.from].router.is_some_and(|x| x.mechanism == RouterMechanism::Dns);
            let propagation = (initiation == Initiation::Operator && dns).then_some(operator.dns_change);
            let others = c.services[r.from].routes.iter().copied().filter(|&a| a != ri);
            let mut wakes = Vec::new();
            if initiation.by_operator() {
                let mut seen = vec![false; c.services.len()];
                for a in others.clone() {
                    dormant_behind(c, &scalers, &scaler_of, &cold_of, c.routes[a].to, &mut seen, &mut wakes);
                }
                wakes.sort_unstable();
            }
            let alternatives = others.filter(|&a| initiations[a].by_operator()).collect();
            CRouteRecovery { initiation, propagation, alternatives, wakes }
        })
        .collect();

    // Replication groups: who promotes, and how long it takes.
    let groups = c
        .groups
        .iter()
        .map(|g| {
            let writer = services.get(g.initial_writer);
            let spec = writer.and_then(|s| catalog.kind(s.kind).datastore.as_ref()).and_then(|ds| {
                (ds.writes == WriteModel::SingleWriter).then_some(ds.promotion.as_ref()).flatten()
            });
            let declared = g.members.iter().find_map(|&m| {
                design.links_to(&services.get(m)?.id).find_map(|l| match &l.kind {
                    LinkKind::Replication(r) => r.promotion,
                    _ => None,
                })
            });
            CGroupRecovery {
                initiation: declared.unwrap_or(Initiation::Operator),
                promotion: spec
                    .map_or(Sampler::Fixed(g.promotion_us as f64), |p| Sampler::new(&p.time.value)),
            }
        })
        .collect();

    CRecovery { operator, routes, groups, scalers, scaler_of, cold, cold_of }
}

/// Adds to `out` the cold or scaled-to-zero services reached from `s` through regional routing
/// links and dependencies (global routers are not followed: they lead back to every region).
fn dormant_behind(
    c: &Compiled,
    scalers: &[CScaler],
    scaler_of: &[Option<usize>],
    cold_of: &[Option<usize>],
    s: usize,
    seen: &mut [bool],
    out: &mut Vec<usize>,
) {
    let mut stack = vec![s];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s], true) || c.services[s].region.is_none() {
            continue;
        }
        if cold_of[s].is_some() || scaler_of[s].is_some_and(|k| scalers[k].min == 0) {
            out.push(s);
        }
        stack.extend(c.services[s].routes.iter().map(|&r| c.routes[r].to));
        stack.extend(c.services[s].deps.iter().map(|&(d, _, _)| d));
    }
}

/// The backup a cold datastore is restored from: a backup link into a vault in the store's region
/// from a store of the same kind; when several qualify, the one whose id shares the cold store's
/// base (the id without its region code), else the first by link id. Returns the link's interval,
/// its restore-time override and the source store.
fn restore_source<'d>(
    design: &'d Design,
    catalog: &Catalog,
    cold: &Service,
) -> Option<(TimeSpan, Option<TimeSpan>, &'d Service)> {
    let region = cold.placement.region()?;
    catalog.kind(cold.kind).datastore.as_ref()?;
    let base = |id: &str| id.rsplit_once('-').map_or(id, |(b, _)| b).to_owned();
    let mut found: Vec<(&Link, &Service)> = design
        .links()
        .filter_map(|l| match &l.kind {
            LinkKind::Backup(_) => {
                let vault = design.service(&l.to)?;
                let source = design.service(&l.from)?;
                (vault.placement.region() == Some(region) && source.kind == cold.kind && source.id != cold.id)
                    .then_some((l, source))
            }
            _ => None,
        })
        .collect();
    found.sort_by_key(|(l, s)| (base(s.id.as_str()) != base(cold.id.as_str()), l.id.clone()));
    let (link, source) = found.into_iter().next()?;
    match &link.kind {
        LinkKind::Backup(b) => Some((b.every, b.restore_time, source)),
        _ => None,
    }
}
