//! Invariant checks of single entities against the design and the catalog.
//!
//! [`crate::apply`] runs these before a change lands, and the file loader runs them on every
//! entity it reads, so a design in memory always satisfies them.

use crate::catalog::{Catalog, KindSpec, RouterMechanism, Scope};
use crate::design::{
    Backup, Deployment, Design, EntityRef, Link, LinkKind, Placement, Population, Region, Replication,
    ReplicationMode, Resilience, Routing, Service, Waiver, Workload,
};
use crate::dist::{Dist, FailureSpec};
use crate::ids::check_id;
use crate::kind::ServiceKind;
pub use crate::tags::{MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS, MAX_TAGS};
pub use crate::text::check_text;

mod recovery;

pub(crate) use recovery::settings as recovery_settings;

/// A change refused because it would break an invariant, naming the entity and field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{entity}: {message} ({field})")]
pub struct CommandError {
    /// The entity the change was about.
    pub entity: EntityRef,
    /// The field path within the entity, e.g. `kind` or `config.azs[1]`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

pub(crate) type Checked = Result<(), CommandError>;

fn err(entity: &EntityRef, field: impl Into<String>, message: impl Into<String>) -> CommandError {
    CommandError { entity: entity.clone(), field: field.into(), message: message.into() }
}

fn fail(entity: &EntityRef, field: impl Into<String>, message: impl Into<String>) -> Checked {
    Err(err(entity, field, message))
}

fn id_ok(entity: &EntityRef, id: &str) -> Checked {
    check_id(id).or_else(|e| fail(entity, "id", e.to_string()))
}

fn number(entity: &EntityRef, field: &str, value: f64, min: f64, max: f64) -> Checked {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else if max.is_infinite() {
        fail(entity, field, format!("must be a number of at least {min}, not {}", shown(value)))
    } else {
        fail(entity, field, format!("must be a number from {min} to {max}, not {}", shown(value)))
    }
}

/// A refused number as a message shows it: huge and tiny numbers in scientific notation
/// (`1e300`), never a line of 300 digits.
pub(crate) fn shown(value: f64) -> String {
    if value != 0.0 && value.is_finite() && !(1e-6..1e15).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

fn failure_spec(entity: &EntityRef, spec: Option<&FailureSpec>) -> Checked {
    let Some(spec) = spec else { return Ok(()) };
    spec.check().map_err(|(field, why)| err(entity, format!("failure.{field}"), why))
}

/// The most units (instances, tasks, nodes) a service may have, in `count` and `scaling.max`: the
/// simulator keeps state per unit, so the bound keeps a design's memory small.
pub const MAX_COUNT: u32 = 10_000;

/// The longest name (of the design, a service, a population) or label, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The longest free text (the design's description, a waiver's justification), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The most data-class labels one service or population may list (checked before the labels are
/// compared, so a file listing 100,000 cannot stall validation).
pub const MAX_LABELS: usize = 100;

/// Checks a name ([`check_text`] of one line, at most [`MAX_NAME_CHARS`]).
///
/// # Errors
/// Why the name is refused, naming no field.
pub fn check_name(value: &str) -> Result<(), String> {
    check_text(value, MAX_NAME_CHARS, false)
}

fn text(entity: &EntityRef, field: &str, value: &str, max: usize, multiline: bool) -> Checked {
    check_text(value, max, multiline).or_else(|why| fail(entity, field, why))
}

/// Checks the design's name and description.
pub(crate) fn design_text(name: Option<&str>, description: Option<&str>) -> Checked {
    if let Some(n) = name {
        text(&EntityRef::Design, "name", n, MAX_NAME_CHARS, false)?;
    }
    if let Some(d) = description {
        text(&EntityRef::Design, "description", d, MAX_TEXT_CHARS, true)?;
    }
    Ok(())
}

fn labels(entity: &EntityRef, field: &str, values: &[String]) -> Checked {
    if values.len() > MAX_LABELS {
        return fail(
            entity,
            field,
            format!("lists {} labels; at most {MAX_LABELS} are allowed", values.len()),
        );
    }
    for (i, v) in values.iter().enumerate() {
        if v.trim().is_empty() {
            return fail(entity, format!("{field}[{i}]"), "must not be empty");
        }
        text(entity, &format!("{field}[{i}]"), v, MAX_NAME_CHARS, false)?;
        if values[..i].contains(v) {
            return fail(entity, format!("{field}[{i}]"), format!("`{v}` is listed twice"));
        }
    }
    Ok(())
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
}

/// Checks the workload assumptions.
pub(crate) fn workload(w: &Workload) -> Checked {
    let e = EntityRef::Design;
    number(&e, "workload.hours_per_month", w.hours_per_month, 1.0, 744.0)?;
    number(&e, "workload.growth_percent_per_month", w.growth_percent_per_month, -100.0, 1000.0)?;
    number(&e, "workload.peak_to_average", w.peak_to_average, 1.0, 1000.0)?;
    number(&e, "workload.item_kb", w.item_kb, 0.0, 1e9)
}

/// Checks the design-level resilience settings.
pub(crate) fn resilience(catalog: &Catalog, r: &Resilience) -> Checked {
    let e = EntityRef::Design;
    if let Some(n) = r.repair_crews
        && !(1..=10_000).contains(&n)
    {
        fail(
            &e,
            "resilience.repair_crews",
            format!("must be from 1 to 10000, not {n}; leave it out for no limit"),
        )?;
    }
    if let Some(b) = r.common_cause_beta {
        number(&e, "resilience.common_cause_beta", b, 0.0, 0.99)?;
    }
    if let Deployment::Staggered { bake, order } = &r.deployment {
        if bake.is_some_and(|b| b.as_micros() == 0) {
            fail(&e, "resilience.deployment.bake", "must be longer than zero")?;
        }
        for (i, region) in order.iter().enumerate() {
            if catalog.region(region.as_str()).is_none() {
                fail(
                    &e,
                    format!("resilience.deployment.order[{i}]"),
                    format!(
                        "`{region}` is not an AWS region in the catalog{}",
                        did_you_mean(catalog.suggest_region(region.as_str()))
                    ),
                )?;
            }
            if order[..i].contains(region) {
                fail(&e, format!("resilience.deployment.order[{i}]"), format!("`{region}` is listed twice"))?;
            }
        }
    }
    Ok(())
}

/// Checks a region against the catalog.
pub(crate) fn region(catalog: &Catalog, r: &Region) -> Checked {
    let e = EntityRef::Region(r.id.clone());
    let Some(info) = catalog.region(r.id.as_str()) else {
        return fail(
            &e,
            "id",
            format!(
                "`{}` is not an AWS region in the catalog{}",
                r.id,
                did_you_mean(catalog.suggest_region(r.id.as_str()))
            ),
        );
    };
    if r.azs.is_empty() {
        return fail(
            &e,
            "azs",
            format!("list at least one AZ, e.g. `{}`", info.az_ids.first().map_or("", String::as_str)),
        );
    }
    for (i, az) in r.azs.iter().enumerate() {
        if !info.has_az(az) {
            return fail(
                &e,
                format!("azs[{i}]"),
                format!("`{az}` is not an AZ of {}; its AZs are {}", info.code, info.az_ids.join(", ")),
            );
        }
    }
    labels(&e, "azs", &r.azs)?;
    failure_spec(&e, r.failure.as_ref())
}

/// Checks a service against the catalog and the design's regions; returns its kind.
#[allow(clippy::too_many_lines, reason = "one check per field of a service, in the file's order")]
pub(crate) fn service<'c>(
    catalog: &'c Catalog,
    design: &Design,
    s: &Service,
) -> Result<&'c KindSpec, CommandError> {
    let e = EntityRef::Service(s.id.clone());
    id_ok(&e, s.id.as_str())?;
    if s.name.trim().is_empty() {
        fail(&e, "name", "must not be empty")?;
    }
    text(&e, "name", &s.name, MAX_NAME_CHARS, false)?;
    let kind = catalog.kind(s.kind);
    match (&s.placement, kind.scope) {
        (Placement::Global, Scope::Regional) => fail(
            &e,
            "placement",
            format!("{} is a regional service: place it in a region of the design, not Global", kind.short),
        )?,
        (Placement::Region(_), Scope::Global) => {
            fail(
                &e,
                "placement",
                format!("{} is a global service: its placement must be Global", kind.short),
            )?;
        }
        (Placement::Region(r), Scope::Regional) => {
            let Some(region) = design.region(r) else {
                return Err(err(
                    &e,
                    "placement",
                    format!("region `{r}` is not in the design; add the region first"),
                ));
            };
            for (i, az) in s.config.azs.iter().enumerate() {
                if !region.azs.contains(az) {
                    fail(
                        &e,
                        format!("config.azs[{i}]"),
                        format!(
                            "`{az}` is not one of the AZs the design uses in {r} ({})",
                            region.azs.join(", ")
                        ),
                    )?;
                }
            }
        }
        (Placement::Global, Scope::Global) => {
            if !s.config.azs.is_empty() {
                fail(&e, "config.azs", "a global service has no AZs")?;
            }
        }
    }
    labels(&e, "config.azs", &s.config.azs)?;
    let c = &s.config;
    for (field, value) in [
        ("config.vcpu", c.vcpu),
        ("config.memory_gib", c.memory_gib),
        ("config.storage_gb", c.storage_gb),
        ("config.capacity_rps", c.capacity_rps),
        ("latency_ms", s.latency_ms),
    ] {
        if let Some(v) = value {
            number(&e, field, v, 0.0, f64::INFINITY)?;
        }
    }
    if let Some(h) = c.hit_ratio {
        if kind.cache.is_none() {
            let caches: Vec<&str> =
                catalog.kinds().iter().filter(|k| k.cache.is_some()).map(|k| k.short.as_str()).collect();
            fail(
                &e,
                "config.hit_ratio",
                format!("{} is not a cache: only {} take a hit ratio", kind.short, caches.join(" and ")),
            )?;
        }
        number(&e, "config.hit_ratio", h, 0.0, 1.0)?;
    }
    crate::tags::check(&s.tags).or_else(|(field, why)| fail(&e, field, why))?;
    labels(&e, "data_classes", &s.data_classes)?;
    failure_spec(&e, s.failure.as_ref())?;
    recovery::service(catalog, &e, s, kind)?;
    if let Some(g) = &s.deployment_group {
        check_id(g).or_else(|why| {
            fail(&e, "deployment_group", format!("{why} (a group name such as `orders-api`)"))
        })?;
    }
    if let Some(cp) = &s.control_plane
        && catalog.region(cp.as_str()).is_none()
    {
        fail(
            &e,
            "control_plane",
            format!(
                "`{cp}` is not an AWS region in the catalog{}",
                did_you_mean(catalog.suggest_region(cp.as_str()))
            ),
        )?;
    }
    Ok(kind)
}

/// Checks a link against its endpoints and the links already in the design.
pub(crate) fn link(catalog: &Catalog, design: &Design, l: &Link) -> Checked {
    let e = EntityRef::Link(l.id.clone());
    id_ok(&e, l.id.as_str())?;
    let Some(from) = design.service(&l.from) else {
        return fail(&e, "from", format!("service `{}` is not in the design", l.from));
    };
    let Some(to) = design.service(&l.to) else {
        return fail(&e, "to", format!("service `{}` is not in the design", l.to));
    };
    if l.from == l.to {
        return fail(&e, "to", "a link must join two different services");
    }
    let (fk, tk) = (catalog.kind(from.kind), catalog.kind(to.kind));
    if let Some(other) = design.link_joining(&l.from, &l.to, l.kind.tag()).filter(|o| o.id != l.id) {
        let what = l.kind.tag().label();
        return fail(&e, "to", format!("link `{}` already joins {} to {} as {what}", other.id, l.from, l.to));
    }
    let ends = Ends { e: &e, from, to, fk, tk };
    match &l.kind {
        LinkKind::Replication(r) => {
            replication(&ends, r)?;
            global_datastore(catalog, design, l, &ends)?;
            consistency_mode(catalog, design, l, &ends, r)
        }
        LinkKind::Dependency(d) => number(&e, "kind.calls_per_request", d.calls_per_request, 0.0, 1e6),
        LinkKind::Routing(r) => routing(&ends, r),
        LinkKind::Backup(b) => backup(&ends, b),
    }
}

/// The two services a link joins, with their kinds.
struct Ends<'a> {
    e: &'a EntityRef,
    from: &'a Service,
    to: &'a Service,
    fk: &'a KindSpec,
    tk: &'a KindSpec,
}

fn replication(x: &Ends<'_>, r: &Replication) -> Checked {
    let (Some(fd), Some(td)) = (&x.fk.datastore, &x.tk.datastore) else {
        let (id, kind) = if x.fk.datastore.is_none() { (&x.from.id, x.fk) } else { (&x.to.id, x.tk) };
        return fail(
            x.e,
            "kind",
            format!("replication joins datastores, but `{id}` ({}) stores no data", kind.short),
        );
    };
    if fd.family != td.family {
        return fail(
            x.e,
            "to",
            format!(
                "{} cannot replicate to {}: replication joins datastores of the same kind",
                x.fk.short, x.tk.short
            ),
        );
    }
    if !fd.replication.contains(&r.mode) {
        return fail(
            x.e,
            "kind.mode",
            format!("{} does not offer {:?} cross-region replication", x.fk.short, r.mode),
        );
    }
    if x.from.placement.region().is_some() && x.from.placement.region() == x.to.placement.region() {
        return fail(
            x.e,
            "to",
            "replication links join copies in different regions; size a region's copy with config.count",
        );
    }
    if r.rtc && x.fk.id != ServiceKind::S3 {
        return fail(x.e, "kind.rtc", "Replication Time Control exists only for S3 replication");
    }
    if let Some(Err((field, why))) = r.lag.as_ref().map(Dist::check) {
        return fail(x.e, format!("kind.lag.{field}"), why);
    }
    recovery::replication(x.e, x.fk, r)
}

/// What ElastiCache refuses of a Global Datastore (a replication link between two caches): an
/// engine or node type of the primary it does not run, more secondary regions than it serves.
/// The limits are the catalog's (`resilience.ron`, `global_datastore`, with their source).
fn global_datastore(catalog: &Catalog, design: &Design, l: &Link, x: &Ends<'_>) -> Checked {
    if x.fk.id != ServiceKind::ElastiCache || x.tk.id != ServiceKind::ElastiCache {
        return Ok(());
    }
    let limits = &catalog.resilience().global_datastore;
    let engine = crate::sizing::cache_engine(x.from);
    let node = crate::sizing::instance_type(x.from);
    if let Some(why) = limits.value.refusal(engine, node) {
        return fail(
            x.e,
            "from",
            format!(
                "AWS refuses this: {} is the primary of a Global Datastore, and {why} ({})",
                x.from.id, limits.source
            ),
        );
    }
    let secondaries = design
        .links_from(&l.from)
        .filter(|o| o.id != l.id && matches!(o.kind, LinkKind::Replication(_)))
        .filter(|o| design.service(&o.to).is_some_and(|t| t.kind == ServiceKind::ElastiCache))
        .count()
        + 1;
    if secondaries > limits.value.max_secondaries as usize {
        return fail(
            x.e,
            "from",
            format!(
                "AWS refuses this: a Global Datastore replicates to at most {} secondary regions, and {} has {secondaries} ({})",
                limits.value.max_secondaries, x.from.id, limits.source
            ),
        );
    }
    Ok(())
}

/// What AWS refuses of consistency modes: a witness or write forwarding on the wrong kind, and
/// DynamoDB global tables that mix modes, leave their MRSC region set or span more than three
/// regions (exactly three is judged on the whole design: [`crate::consistency::StrongTable`]).
fn consistency_mode(catalog: &Catalog, design: &Design, l: &Link, x: &Ends<'_>, r: &Replication) -> Checked {
    let dynamodb = x.fk.id == ServiceKind::DynamoDb && x.tk.id == ServiceKind::DynamoDb;
    let strong = dynamodb && r.mode == ReplicationMode::Sync;
    if r.write_forwarding.is_some() && x.fk.id != ServiceKind::Aurora {
        return fail(
            x.e,
            "kind.write_forwarding",
            "write forwarding exists only for Aurora Global Database secondaries",
        );
    }
    if let Some(w) = &r.witness {
        if !strong {
            return fail(
                x.e,
                "kind.witness",
                "a witness belongs to a DynamoDB global table with multi-Region strong consistency (mode: Sync)",
            );
        }
        if catalog.region(w.as_str()).is_none() {
            return fail(
                x.e,
                "kind.witness",
                format!(
                    "`{w}` is not an AWS region in the catalog{}",
                    did_you_mean(catalog.suggest_region(w.as_str()))
                ),
            );
        }
    }
    if !dynamodb {
        return Ok(());
    }
    let (members, others) = crate::consistency::dynamodb_group(design, &[&l.from, &l.to], Some(&l.id));
    let mode_name = |m: ReplicationMode| match m {
        ReplicationMode::Sync => "strongly consistent across regions (Sync)",
        ReplicationMode::Async => "eventually consistent across regions (Async)",
    };
    if let Some((id, o)) = others.iter().find(|(_, o)| o.mode != r.mode) {
        return fail(
            x.e,
            "kind.mode",
            format!(
                "link `{id}` of the same global table is {}; a global table is one or the other as a whole",
                mode_name(o.mode)
            ),
        );
    }
    if !strong {
        return Ok(());
    }
    if let Some((id, o)) = others.iter().find(|(_, o)| o.witness != r.witness) {
        let said = o.witness.as_ref().map_or_else(|| "no witness".to_owned(), |w| format!("witness {w}"));
        return fail(
            x.e,
            "kind.witness",
            format!("link `{id}` of the same global table names {said}; a global table has one witness"),
        );
    }
    mrsc_regions(catalog, design, x, r, &members)
}

/// Where a strongly consistent global table's replicas and witness may be: one MRSC region set,
/// one replica per region, the witness apart from them, three regions at most.
fn mrsc_regions(
    catalog: &Catalog,
    design: &Design,
    x: &Ends<'_>,
    r: &Replication,
    members: &std::collections::BTreeSet<crate::ids::ServiceId>,
) -> Checked {
    let facts = catalog.resilience();
    let sets = || {
        facts
            .mrsc_region_sets
            .value
            .iter()
            .map(|s| format!("{} ({})", s.name, s.regions.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let regions: Vec<&crate::ids::RegionId> = members.iter().filter_map(|m| design.region_of(m)).collect();
    let Some(first) = regions.first() else { return Ok(()) };
    let Some(set) = facts.mrsc_region_set(first.as_str()) else {
        return fail(
            x.e,
            "kind.mode",
            format!(
                "multi-Region strong consistency is not offered in {first}; its region sets are {}",
                sets()
            ),
        );
    };
    if let Some(out) = regions.iter().find(|r| !set.regions.iter().any(|s| s == r.as_str())) {
        return fail(
            x.e,
            "to",
            format!(
                "{out} is outside the {} region set of {first}; a strongly consistent global table stays within one region set: {}",
                set.name,
                sets()
            ),
        );
    }
    if let Some((_, dup)) = regions.iter().enumerate().find(|(i, r)| regions[..*i].contains(r)) {
        return fail(
            x.e,
            "to",
            format!("the global table already has a replica in {dup}; one replica per region"),
        );
    }
    if let Some(w) = &r.witness {
        if !set.regions.iter().any(|s| s == w.as_str()) {
            return fail(
                x.e,
                "kind.witness",
                format!(
                    "witness {w} is outside the {} region set of the replicas ({})",
                    set.name,
                    set.regions.join(", ")
                ),
            );
        }
        if regions.contains(&w) {
            return fail(
                x.e,
                "kind.witness",
                format!(
                    "witness {w} holds a replica; the witness is in a different region from the replicas"
                ),
            );
        }
    }
    let span = regions.len() + usize::from(r.witness.is_some());
    if span > 3 {
        return fail(
            x.e,
            "to",
            format!(
                "a global table with multi-Region strong consistency spans exactly three regions (three replicas, or two and a witness); this link makes it {span}"
            ),
        );
    }
    Ok(())
}

fn routing(x: &Ends<'_>, r: &Routing) -> Checked {
    let Some(router) = &x.fk.router else {
        return fail(
            x.e,
            "from",
            format!(
                "routing links start at a router (Route 53, Global Accelerator, CloudFront, a load balancer), not a {}",
                x.fk.short
            ),
        );
    };
    if !x.tk.endpoint {
        return fail(x.e, "to", format!("{} cannot receive routed user traffic", x.tk.short));
    }
    if !router.policies.contains(&r.policy.kind()) {
        return fail(
            x.e,
            "kind.policy",
            format!("{} does not offer {} routing", x.fk.short, r.policy.kind().label()),
        );
    }
    if !router.cross_region && x.from.placement != x.to.placement {
        return fail(x.e, "to", format!("a {} routes only to targets in its own region", x.fk.short));
    }
    if let Some(hc) = &r.health_check {
        if hc.interval.as_micros() == 0 {
            return fail(
                x.e,
                "kind.health_check.interval",
                "must be longer than zero (Route 53 offers 10s or 30s)",
            );
        }
        if !(1..=10).contains(&hc.failure_threshold) {
            return fail(x.e, "kind.health_check.failure_threshold", "must be from 1 to 10");
        }
    }
    if r.ttl.is_some() && router.mechanism != RouterMechanism::Dns {
        return fail(x.e, "kind.ttl", format!("{} is not DNS-based and has no TTL", x.fk.short));
    }
    recovery::routing(x.e, &x.fk.short, router.mechanism, r)
}

fn backup(x: &Ends<'_>, b: &Backup) -> Checked {
    if x.fk.datastore.is_none() {
        return fail(x.e, "from", format!("backups are taken of datastores, not of a {}", x.fk.short));
    }
    if !x.tk.backup_vault {
        return fail(x.e, "to", format!("backups go to a backup vault (AWS Backup), not a {}", x.tk.short));
    }
    if b.every.as_micros() == 0 {
        return fail(x.e, "kind.every", "must be longer than zero");
    }
    recovery::restore_time(x.e, b.restore_time)
}

/// Checks a population.
pub(crate) fn population(design: &Design, p: &Population) -> Checked {
    let e = EntityRef::Population(p.id.clone());
    id_ok(&e, p.id.as_str())?;
    if p.name.trim().is_empty() {
        fail(&e, "name", "must not be empty")?;
    }
    text(&e, "name", &p.name, MAX_NAME_CHARS, false)?;
    if let Err((field, why)) = p.location.check() {
        fail(&e, format!("location.{field}"), why)?;
    }
    if let Some(c) = &p.country
        && (c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        fail(&e, "country", format!("`{c}` is not an ISO 3166-1 alpha-2 code such as `DE` or `US`"))?;
    }
    number(&e, "requests_per_sec", p.requests_per_sec, 0.0, 1e9)?;
    number(&e, "write_fraction", p.write_fraction, 0.0, 1.0)?;
    number(&e, "request_kb", p.request_kb, 0.0, 1e6)?;
    number(&e, "response_kb", p.response_kb, 0.0, 1e6)?;
    labels(&e, "data_classes", &p.data_classes)?;
    if let Some(q) = p.dns_sticky_share {
        number(&e, "dns_sticky_share", q, 0.0, 1.0)?;
    }
    if p.dns_sticky_hold.is_some_and(|h| h.as_micros() == 0) {
        fail(&e, "dns_sticky_hold", "must be longer than zero")?;
    }
    if let Some(entry) = &p.entry
        && design.service(entry).is_none()
    {
        fail(&e, "entry", format!("service `{entry}` is not in the design"))?;
    }
    Ok(())
}

/// Checks every entity of `design` against the invariants; `Ok` for any design built by commands.
///
/// The property tests call this after every command; it is also a cheap self-check for tools.
pub fn check_all(design: &Design, catalog: &Catalog) -> Checked {
    workload(design.workload())?;
    recovery::settings(design.recovery())?;
    resilience(catalog, design.resilience())?;
    crate::targets::check_targets(design, design.targets())?;
    for r in design.regions() {
        region(catalog, r)?;
    }
    for s in design.services() {
        service(catalog, design, s)?;
    }
    for l in design.links() {
        link(catalog, design, l)?;
    }
    for p in design.populations() {
        population(design, p)?;
    }
    if let Some(region) = design.layout().keys().find(|r| design.region(r).is_none()) {
        return fail(&EntityRef::Region(region.clone()), "layout", "a laid-out region is not in the design");
    }
    for w in design.waivers() {
        waiver(design, w)?;
    }
    Ok(())
}

/// Checks a waiver: a `POLICY/RULE` name, an entity of the design, and a justification.
pub(crate) fn waiver(design: &Design, w: &Waiver) -> Checked {
    let e = &w.entity;
    text(e, "rule", &w.rule, MAX_NAME_CHARS, false)?;
    let parts: Vec<&str> = w.rule.split('/').collect();
    let well_formed = parts.len() == 2 && parts.iter().all(|p| check_id(p).is_ok());
    if !well_formed {
        return fail(
            e,
            "rule",
            format!("`{}` is not a rule name; write POLICY/RULE, e.g. `gdpr-strict/eu-residency`", w.rule),
        );
    }
    if !design.contains(e) {
        return fail(e, "entity", format!("{e} is not in the design, so it cannot be waived"));
    }
    if w.justification.trim().is_empty() {
        return fail(
            e,
            "justification",
            "a waiver needs a justification: why the finding is accepted, and by whom",
        );
    }
    text(e, "justification", &w.justification, MAX_TEXT_CHARS, true)
}
