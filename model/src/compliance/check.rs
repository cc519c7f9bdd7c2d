//! The static check: policies evaluated on everywhere the design's data can reach.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::flow::{DataPath, Flow, Home, PathStep, Reach, served_by};
use super::jurisdiction::Jurisdictions;
use super::policy::{Place, Policy, Rule, RuleKind, RuleKindTag, class_matches};
use crate::catalog::{Catalog, Category, KindSpec, RegionInfo, RouterMechanism};
use crate::design::{Design, EntityRef, LinkKindTag, Service, Waiver};
use crate::ids::{LinkId, RegionId, ServiceId};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Level {
    /// The design breaks the rule (exit code 1 unless waived).
    Violation,
    /// Worth knowing: a condition the design cannot show, an inventory line, an unknown home.
    Notice,
}

/// One finding of a rule on one entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule, as `POLICY/RULE`.
    pub rule: String,
    /// What kind of rule it is.
    pub kind: RuleKindTag,
    /// Violation or notice.
    pub level: Level,
    /// The data class concerned, when there is one.
    pub data_class: Option<String>,
    /// The offending entity: where the data rests, or the link that routes users out.
    pub entity: EntityRef,
    /// The region of the offending entity, when it has one.
    pub region: Option<RegionId>,
    /// The link where the data crosses out of the allowed place, when there is one.
    pub crossing: Option<LinkId>,
    /// The whole path from the population (or declaring service) to the entity.
    pub path: DataPath,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The waiver that accepts this finding, if the design has one.
    pub waiver: Option<Waiver>,
}

impl Finding {
    /// Whether the finding fails the check: a violation without a waiver.
    pub fn fails(&self) -> bool {
        self.level == Level::Violation && self.waiver.is_none()
    }
}

/// The result of checking a design against policies.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The policies checked, by id.
    pub policies: Vec<String>,
    /// Findings, per policy and rule in their order, then by entity.
    pub findings: Vec<Finding>,
    /// Every waiver of the design, used or not (reports list them all).
    pub waivers: Vec<Waiver>,
}

impl Report {
    /// Violations that are not waived.
    pub fn failures(&self) -> impl Iterator<Item = &Finding> + '_ {
        self.findings.iter().filter(|f| f.fails())
    }

    /// Whether nothing fails.
    pub fn is_clean(&self) -> bool {
        self.failures().next().is_none()
    }

    /// Waivers that no finding used.
    pub fn unused_waivers(&self) -> impl Iterator<Item = &Waiver> + '_ {
        self.waivers.iter().filter(|w| !self.findings.iter().any(|f| f.waiver.as_ref() == Some(*w)))
    }

    /// The entities findings that fail name, for drawing them in the warning colour.
    pub fn offending_entities(&self) -> BTreeSet<EntityRef> {
        let mut out = BTreeSet::new();
        for f in self.failures() {
            out.insert(f.entity.clone());
            out.extend(f.crossing.iter().map(|l| EntityRef::Link(l.clone())));
            out.extend(f.region.iter().map(|r| EntityRef::Region(r.clone())));
        }
        out
    }
}

/// Checks `design` against `policies`: a pure function of its inputs, fast enough to run on
/// every edit.
pub fn check_static(design: &Design, catalog: &Catalog, policies: &[Policy]) -> Report {
    let mut findings = Vec::new();
    match Jurisdictions::builtin() {
        Ok(j) => {
            let reach = Reach::of(design, catalog, j);
            let cx = Cx { design, catalog, j, reach: &reach };
            for policy in policies {
                for rule in &policy.rules {
                    let mut out =
                        Out { rule: policy.rule_name(rule), tag: rule.kind.tag(), found: BTreeMap::new() };
                    cx.rule(rule, &mut out);
                    findings.extend(out.found.into_values());
                }
            }
        }
        Err(e) => findings.push(Finding {
            rule: "meridian/jurisdictions".into(),
            kind: RuleKindTag::Residency,
            level: Level::Violation,
            data_class: None,
            entity: EntityRef::Design,
            region: None,
            crossing: None,
            path: DataPath::default(),
            message: format!("internal error, the rules cannot be evaluated: {e}"),
            waiver: None,
        }),
    }
    for f in &mut findings {
        f.waiver = design.waiver(&f.rule, &f.entity).cloned();
    }
    Report {
        policies: policies.iter().map(|p| p.id.clone()).collect(),
        findings,
        waivers: design.waivers().cloned().collect(),
    }
}

/// Where a place check lands.
pub(crate) enum Verdict {
    Inside,
    Outside(String),
    Unknown(String),
}

/// Whether `region` (`None`: a global service) is inside `place` for data from `home`.
pub(crate) fn place_verdict(
    j: &Jurisdictions,
    place: &Place,
    home: &Home,
    region: Option<&RegionInfo>,
) -> Verdict {
    let (set, what) = match place {
        Place::In(names) => (j.expand(names), names.join(", ")),
        Place::HomeJurisdiction => match &home.jurisdiction {
            Some(h) => (j.expand([h]), format!("its home jurisdiction {h}")),
            None => return Verdict::Unknown("its home jurisdiction is unknown".into()),
        },
        Place::HomeCountry => match &home.country {
            Some(c) => (BTreeSet::from([c.clone()]), format!("its home country {c}")),
            None => {
                return Verdict::Unknown(
                    "its home country is unknown (set `country` on the population that writes it)".into(),
                );
            }
        },
    };
    let Some(r) = region else {
        return Verdict::Outside(format!("a global service (edge locations worldwide), outside {what}"));
    };
    let inside = match place {
        Place::HomeCountry => set.contains(&r.country),
        _ => set.contains(&r.jurisdiction) || set.contains(&r.country),
    };
    if inside {
        Verdict::Inside
    } else {
        Verdict::Outside(format!(
            "{} (jurisdiction {}, country {}), outside {what}",
            r.code, r.jurisdiction, r.country
        ))
    }
}

struct Cx<'a> {
    design: &'a Design,
    catalog: &'a Catalog,
    j: &'a Jurisdictions,
    reach: &'a Reach,
}

/// Findings of one rule, keyed (class, entity) so each is reported once, on its shortest path.
struct Out {
    rule: String,
    tag: RuleKindTag,
    found: BTreeMap<(String, EntityRef), Finding>,
}

impl Out {
    #[allow(clippy::too_many_arguments)] // Each argument is one field of the finding.
    fn add(
        &mut self,
        level: Level,
        class: &str,
        entity: EntityRef,
        region: Option<RegionId>,
        crossing: Option<LinkId>,
        path: DataPath,
        message: String,
    ) {
        let key = (class.to_owned(), entity.clone());
        self.found.entry(key).or_insert_with(|| Finding {
            rule: self.rule.clone(),
            kind: self.tag,
            level,
            data_class: (!class.is_empty()).then(|| class.to_owned()),
            entity,
            region,
            crossing,
            path,
            message,
            waiver: None,
        });
    }
}

impl Cx<'_> {
    fn flows<'f>(&'f self, classes: &'f [String]) -> impl Iterator<Item = &'f Flow> + 'f {
        self.reach.flows.iter().filter(move |f| classes.iter().any(|p| class_matches(p, &f.class)))
    }

    fn service(&self, id: &ServiceId) -> Option<(&Service, &KindSpec)> {
        let s = self.design.service(id)?;
        Some((s, self.catalog.kind(s.kind)))
    }

    fn region_info(&self, id: &ServiceId) -> Option<&RegionInfo> {
        self.design.region_of(id).and_then(|r| self.catalog.region(r.as_str()))
    }

    /// Where data rests: stateful services and CDNs (which cache what they serve).
    fn rests(kind: &KindSpec) -> bool {
        kind.stateful || kind.router.as_ref().is_some_and(|r| r.mechanism == RouterMechanism::Cdn)
    }

    /// The first link on `path` into a service outside `place`, for drawing the crossing.
    fn crossing(&self, path: &DataPath, place: &Place, home: &Home) -> Option<LinkId> {
        let mut last_link = None;
        for s in &path.steps {
            match s {
                PathStep::Link { id, .. } => last_link = Some(id.clone()),
                PathStep::Service { id, region: Some(_) } => {
                    if let Verdict::Outside(_) = place_verdict(self.j, place, home, self.region_info(id)) {
                        return last_link;
                    }
                }
                _ => {}
            }
        }
        last_link
    }

    fn unknown_home(out: &mut Out, flow: &Flow, at: &ServiceId, why: &str) {
        let origin =
            flow.origin_population(at).map_or(EntityRef::Design, |p| EntityRef::Population(p.clone()));
        let msg = format!("{} data cannot be checked: {why}", flow.class);
        out.add(Level::Notice, &flow.class, origin, None, None, DataPath::default(), msg);
    }

    fn rule(&self, rule: &Rule, out: &mut Out) {
        match &rule.kind {
            RuleKind::Residency { classes, allowed } => self.residency(out, classes, allowed, false),
            RuleKind::BackupsAndLogs { classes, allowed } => self.residency(out, classes, allowed, true),
            RuleKind::Transfer { classes, within, accept } => self.transfer(out, classes, within, accept),
            RuleKind::Encryption { classes, at_rest, in_transit } => {
                self.encryption(out, classes, *at_rest, *in_transit);
            }
            RuleKind::Routing { classes, populations, allowed, during_failover } => {
                self.routing(out, classes, populations, allowed, *during_failover);
            }
            RuleKind::Inventory { classes } => self.inventory(out, classes),
        }
    }

    fn residency(&self, out: &mut Out, classes: &[String], allowed: &Place, backups_only: bool) {
        for flow in self.flows(classes) {
            for id in flow.services() {
                let Some((_, kind)) = self.service(id) else { continue };
                let Some(path) = flow.path_to(id) else { continue };
                let is_backup = kind.backup_vault
                    || kind.category == Category::Management
                    || path.last_link().is_some_and(|(_, k)| k == LinkKindTag::Backup);
                if !Self::rests(kind) || (backups_only && !is_backup) {
                    continue;
                }
                match place_verdict(self.j, allowed, &flow.home, self.region_info(id)) {
                    Verdict::Inside => {}
                    Verdict::Unknown(why) => Self::unknown_home(out, flow, id, &why),
                    Verdict::Outside(where_) => {
                        let what = if backups_only { "backups or logs of" } else { "" };
                        let msg = format!(
                            "{what}{}{} data is stored in {id} in {where_}",
                            if backups_only { " " } else { "" },
                            flow.class
                        );
                        let crossing = self.crossing(&path, allowed, &flow.home);
                        let region = self.design.region_of(id).cloned();
                        out.add(
                            Level::Violation,
                            &flow.class,
                            EntityRef::Service(id.clone()),
                            region,
                            crossing,
                            path,
                            msg,
                        );
                    }
                }
            }
        }
    }

    fn transfer(&self, out: &mut Out, classes: &[String], within: &[String], accept: &[super::BasisKind]) {
        let inside = self.j.expand(within);
        for flow in self.flows(classes) {
            for id in flow.services() {
                let Some((_, kind)) = self.service(id) else { continue };
                let Some(path) = flow.path_to(id) else { continue };
                let region = self.region_info(id);
                // The jurisdiction the data was in just before reaching `id`.
                let mut before = flow.home.jurisdiction.clone();
                let mut link_in = None;
                for s in &path.steps[..path.steps.len().saturating_sub(1)] {
                    match s {
                        PathStep::Service { id: sid, region: Some(_) } => {
                            before = self.region_info(sid).map(|r| r.jurisdiction.clone()).or(before);
                        }
                        PathStep::Link { id: l, .. } => link_in = Some(l.clone()),
                        _ => {}
                    }
                }
                let to = match region {
                    Some(r) if inside.contains(&r.jurisdiction) || inside.contains(&r.country) => continue,
                    Some(r) if before.as_deref() == Some(r.jurisdiction.as_str()) => continue,
                    Some(r) => r.jurisdiction.clone(),
                    // Global services pass data through; only a CDN keeps it, at edges worldwide.
                    None if !Self::rests(kind) => continue,
                    None => "global edge locations".to_owned(),
                };
                let from = before.unwrap_or_else(|| within.join(", "));
                let bases: Vec<_> = self.j.bases(within, &to, accept).collect();
                let region_id = self.design.region_of(id).cloned();
                let entity = EntityRef::Service(id.clone());
                if bases.iter().any(|b| b.condition.is_none()) {
                    continue;
                }
                if let Some(b) = bases.first() {
                    let msg = format!(
                        "{} data moves from {from} to {to} at {id} relying on {}: holds only if {}",
                        flow.class,
                        b.name,
                        b.condition.as_deref().unwrap_or("")
                    );
                    out.add(Level::Notice, &flow.class, entity, region_id, link_in, path, msg);
                } else {
                    let msg = format!(
                        "{} data moves from {from} to {to} at {id} with no transfer basis this policy accepts \
                         (standard contractual clauses or binding corporate rules: record them as a waiver)",
                        flow.class
                    );
                    out.add(Level::Violation, &flow.class, entity, region_id, link_in, path, msg);
                }
            }
        }
    }

    fn encryption(&self, out: &mut Out, classes: &[String], at_rest: bool, in_transit: bool) {
        for flow in self.flows(classes) {
            for id in flow.services() {
                let Some((s, kind)) = self.service(id) else { continue };
                let mut missing = Vec::new();
                if at_rest && kind.stateful && !s.config.encrypted_at_rest() {
                    missing.push("at rest (config.encryption_at_rest: false)");
                }
                if in_transit && !s.config.encrypted_in_transit() {
                    missing.push("in transit (config.encryption_in_transit: false)");
                }
                if missing.is_empty() {
                    continue;
                }
                let Some(path) = flow.path_to(id) else { continue };
                let msg = format!(
                    "{} data reaches {id}, which is not encrypted {}",
                    flow.class,
                    missing.join(" or ")
                );
                let region = self.design.region_of(id).cloned();
                out.add(
                    Level::Violation,
                    &flow.class,
                    EntityRef::Service(id.clone()),
                    region,
                    None,
                    path,
                    msg,
                );
            }
        }
    }

    fn routing(
        &self,
        out: &mut Out,
        classes: &[String],
        populations: &[String],
        allowed: &Place,
        failover: bool,
    ) {
        for p in self.design.populations() {
            let class = p.data_classes.iter().find(|c| classes.iter().any(|pat| class_matches(pat, c)));
            if class.is_none() && !populations.iter().any(|n| n == p.id.as_str()) {
                continue;
            }
            let class = class.cloned().unwrap_or_default();
            let home = Home::of(&class, p.country.as_deref(), self.j);
            let normal = served_by(self.design, self.catalog, &p.id, false);
            let served =
                if failover { served_by(self.design, self.catalog, &p.id, true) } else { normal.clone() };
            for (id, path) in &served {
                let Some(region) = self.region_info(id) else { continue };
                match place_verdict(self.j, allowed, &home, Some(region)) {
                    Verdict::Inside => {}
                    Verdict::Unknown(why) => {
                        let msg = format!("population {} cannot be checked: {why}", p.id);
                        let e = EntityRef::Population(p.id.clone());
                        out.add(Level::Notice, &class, e, None, None, DataPath::default(), msg);
                    }
                    Verdict::Outside(where_) => {
                        let when =
                            if normal.contains_key(id) { "in normal operation" } else { "during failover" };
                        let crossing = self.crossing(path, allowed, &home);
                        let entity = crossing
                            .clone()
                            .map_or_else(|| EntityRef::Population(p.id.clone()), EntityRef::Link);
                        let msg = format!("population {} is served {when} by {id} in {where_}", p.id);
                        let r = Some(RegionId::new(region.code.clone()));
                        out.add(Level::Violation, &class, entity, r, crossing, path.clone(), msg);
                    }
                }
            }
        }
    }

    fn inventory(&self, out: &mut Out, classes: &[String]) {
        let mut kept: BTreeMap<&str, BTreeMap<String, BTreeSet<&ServiceId>>> = BTreeMap::new();
        for flow in self.flows(classes) {
            for id in flow.services() {
                let Some((s, kind)) = self.service(id) else { continue };
                if !Self::rests(kind) {
                    continue;
                }
                let place =
                    self.design.region_of(id).map_or_else(|| "global".to_owned(), ToString::to_string);
                kept.entry(flow.class.as_str()).or_default().entry(place).or_default().insert(id);
                if !s.data_classes.contains(&flow.class) {
                    let Some(path) = flow.path_to(id) else { continue };
                    let msg = format!(
                        "{} data reaches {id}, which does not declare it in data_classes: the inventory for disclosure is incomplete",
                        flow.class
                    );
                    let region = self.design.region_of(id).cloned();
                    out.add(
                        Level::Violation,
                        &flow.class,
                        EntityRef::Service(id.clone()),
                        region,
                        None,
                        path,
                        msg,
                    );
                }
            }
        }
        for (class, places) in kept {
            let list: Vec<String> = places
                .iter()
                .map(|(r, ids)| {
                    let ids: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
                    format!("{r} ({})", ids.join(", "))
                })
                .collect();
            let msg = format!("{class} data is kept in: {}", list.join("; "));
            out.add(Level::Notice, class, EntityRef::Design, None, None, DataPath::default(), msg);
        }
    }
}
