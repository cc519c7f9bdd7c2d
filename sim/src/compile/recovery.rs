//! Compiles the recovery tables of [`crate::recovery`] from a design and its compiled tables.

use meridian_model::catalog::{Catalog, RouterMechanism, WriteModel};
use meridian_model::design::{Initiation, Link, LinkKind, Service, Standby};
use meridian_model::time::TimeSpan;
use meridian_model::{Design, LinkId, ServiceId};

use crate::recovery::{CCold, CGroupRecovery, COperator, CRecovery, CRestore, CRouteRecovery, CScaler};
use crate::rng::Sampler;
use crate::tables::Compiled;

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

    let ramps = super::concurrency::ramps(design, catalog, c);
    CRecovery { operator, routes, groups, scalers, scaler_of, cold, cold_of, ramps }
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
