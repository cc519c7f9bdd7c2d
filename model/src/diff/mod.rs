//! What changed between two designs, entity by entity: [`DesignDiff::between`] matches regions,
//! services, links, populations, annotations and waivers by their typed ids and compares the design-wide
//! settings (name, description, workload, recovery, resilience, resilience targets), listing every field that differs
//! with its old and new value. It compares the model, not the text: reordering a file or
//! reformatting it changes nothing here.
//!
//! Fields come from serialising each entity (`flatten.rs`), so a field added to an entity is
//! compared without touching this module. A region's grid cell and hand-given size and a service's
//! hand-placed card spot and a link's waypoints are compared as the fields `layout`, `size`, `card`
//! and `waypoints` of their entity.

mod flatten;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::design::{Design, EntityRef, Recovery, Resilience, Workload};
use crate::targets::Targets;

/// What happened to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Only the later design has it.
    Added,
    /// Only the earlier design has it.
    Removed,
    /// Both have it, with different fields.
    Changed,
}

impl Status {
    /// A display word.
    pub fn label(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

/// The part of a design a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Name, description, workload, recovery and resilience settings, and resilience targets.
    Settings,
    /// Regions.
    Regions,
    /// Services.
    Services,
    /// Links.
    Links,
    /// User populations.
    Populations,
    /// Notes and group boxes on the canvas.
    Annotations,
    /// Waivers of compliance rules.
    Waivers,
}

impl Section {
    /// Every section, in the order changes are listed.
    pub const ALL: [Section; 7] = [
        Section::Settings,
        Section::Regions,
        Section::Services,
        Section::Links,
        Section::Populations,
        Section::Annotations,
        Section::Waivers,
    ];

    /// The name of one entity of the section (`service`, `link`; `settings` for the settings).
    pub fn singular(self) -> &'static str {
        match self {
            Section::Settings => "settings",
            Section::Regions => "region",
            Section::Services => "service",
            Section::Links => "link",
            Section::Populations => "population",
            Section::Annotations => "annotation",
            Section::Waivers => "waiver",
        }
    }

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Section::Settings => "settings",
            Section::Regions => "regions",
            Section::Services => "services",
            Section::Links => "links",
            Section::Populations => "populations",
            Section::Annotations => "annotations",
            Section::Waivers => "waivers",
        }
    }
}

/// One field that differs: its path (`config.count`, `kind.policy.role`) and its values as the
/// file writes them (`None`: the field is absent on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// Path of the field inside the entity.
    pub field: String,
    /// The earlier value.
    pub before: Option<String>,
    /// The later value.
    pub after: Option<String>,
}

/// One entity added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Which part of the design.
    pub section: Section,
    /// The entity (`None` for a waiver, which is not an entity).
    pub entity: Option<EntityRef>,
    /// Its id as written in the file (a waiver's is `RULE on ENTITY`).
    pub id: String,
    /// A short description: a service's name and kind, a link's ends and kind.
    pub label: String,
    /// Added, removed or changed.
    pub status: Status,
    /// For a change, the fields that differ; for an addition or removal, every field it has.
    pub fields: Vec<FieldChange>,
}

/// Every change between two designs, by section, then by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DesignDiff {
    /// The changes.
    pub changes: Vec<Change>,
}

/// The design-wide settings compared as one entity.
#[derive(Serialize)]
struct Settings<'a> {
    name: &'a str,
    description: &'a str,
    workload: &'a Workload,
    recovery: &'a Recovery,
    resilience: &'a Resilience,
    targets: &'a Targets,
}

fn settings(d: &Design) -> Settings<'_> {
    Settings {
        name: d.name(),
        description: d.description(),
        workload: d.workload(),
        recovery: d.recovery(),
        resilience: d.resilience(),
        targets: d.targets(),
    }
}

/// One side of an entity being compared: its label and fields.
struct Side {
    label: String,
    leaves: Vec<(String, String)>,
}

impl DesignDiff {
    /// The changes from `before` to `after`.
    pub fn between(before: &Design, after: &Design) -> DesignDiff {
        let mut changes = Vec::new();
        let mut add =
            |section: Section, a: BTreeMap<String, (Option<EntityRef>, Side)>, b: BTreeMap<_, _>| {
                changes.extend(compare(section, a, b));
            };
        let one = |d: &Design| {
            let side = Side { label: d.name().to_owned(), leaves: flatten::leaves(&settings(d)) };
            BTreeMap::from([("design".to_owned(), (Some(EntityRef::Design), side))])
        };
        add(Section::Settings, one(before), one(after));
        add(Section::Regions, regions(before), regions(after));
        add(Section::Services, services(before), services(after));
        add(Section::Links, links(before), links(after));
        add(Section::Populations, populations(before), populations(after));
        add(Section::Annotations, annotations(before), annotations(after));
        add(Section::Waivers, waivers(before), waivers(after));
        DesignDiff { changes }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes of `status` a section has.
    pub fn count(&self, section: Section, status: Status) -> usize {
        self.changes.iter().filter(|c| c.section == section && c.status == status).count()
    }

    /// What happened to `entity`, if anything.
    pub fn status_of(&self, entity: &EntityRef) -> Option<Status> {
        self.changes.iter().find(|c| c.entity.as_ref() == Some(entity)).map(|c| c.status)
    }

    /// One line such as `2 services changed, 1 link added`, or `no changes`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for section in Section::ALL {
            for status in [Status::Added, Status::Removed, Status::Changed] {
                let n = self.count(section, status);
                if n > 0 && section == Section::Settings {
                    parts.push(format!("settings {}", status.label()));
                } else if n > 0 {
                    let noun = if n == 1 { section.singular() } else { section.label() };
                    parts.push(format!("{n} {noun} {}", status.label()));
                }
            }
        }
        if parts.is_empty() { "no changes".to_owned() } else { parts.join(", ") }
    }
}

type Sides = BTreeMap<String, (Option<EntityRef>, Side)>;

fn regions(d: &Design) -> Sides {
    d.regions()
        .map(|r| {
            let mut leaves = flatten::leaves(r);
            if let Some(cell) = d.layout().get(&r.id) {
                leaves.push(("layout".into(), format!("col {}, row {}", cell.col, cell.row)));
            }
            if let Some(size) = d.region_sizes().get(&r.id) {
                leaves.push(("size".into(), format!("{} x {}", size.width, size.height)));
            }
            let side = Side { label: r.id.to_string(), leaves };
            (r.id.to_string(), (Some(EntityRef::Region(r.id.clone())), side))
        })
        .collect()
}

fn services(d: &Design) -> Sides {
    d.services()
        .map(|s| {
            let mut leaves = flatten::leaves(s);
            if let Some(spot) = d.card_spots().get(&s.id) {
                leaves.push(("card".into(), format!("x {}, y {}", spot.x, spot.y)));
            }
            let place = s.placement.region().map_or_else(|| "global".to_owned(), ToString::to_string);
            let label = format!("{} ({}, {place})", s.name, s.kind.as_str());
            (s.id.to_string(), (Some(EntityRef::Service(s.id.clone())), Side { label, leaves }))
        })
        .collect()
}

fn links(d: &Design) -> Sides {
    d.links()
        .map(|l| {
            let label = format!("{} -> {} ({})", l.from, l.to, l.kind.tag().label());
            let mut leaves = flatten::leaves(l);
            if let Some(points) = d.waypoints().get(&l.id) {
                let text = points.iter().map(|p| format!("({}, {})", p.x, p.y)).collect::<Vec<_>>().join(" ");
                leaves.push(("waypoints".into(), text));
            }
            let side = Side { label, leaves };
            (l.id.to_string(), (Some(EntityRef::Link(l.id.clone())), side))
        })
        .collect()
}

fn populations(d: &Design) -> Sides {
    d.populations()
        .map(|p| {
            let side = Side { label: p.name.clone(), leaves: flatten::leaves(p) };
            (p.id.to_string(), (Some(EntityRef::Population(p.id.clone())), side))
        })
        .collect()
}

fn annotations(d: &Design) -> Sides {
    d.annotations()
        .map(|a| {
            let first = a.text.lines().next().unwrap_or_default();
            let label = if first.is_empty() {
                a.kind.label().to_owned()
            } else {
                format!("{} \"{}\"", a.kind.label(), first.chars().take(40).collect::<String>())
            };
            let side = Side { label, leaves: flatten::leaves(a) };
            (a.id.to_string(), (Some(EntityRef::Annotation(a.id.clone())), side))
        })
        .collect()
}

fn waivers(d: &Design) -> Sides {
    d.waivers()
        .map(|w| {
            let id = format!("{} on {}", w.rule, w.entity);
            (id.clone(), (None, Side { label: id, leaves: flatten::leaves(w) }))
        })
        .collect()
}

/// The changes of one section: ids only in `after` are added, only in `before` removed, in
/// both with different fields changed.
fn compare(section: Section, mut before: Sides, after: Sides) -> Vec<Change> {
    let mut out = Vec::new();
    for (id, (entity, b)) in after {
        match before.remove(&id) {
            None => out.push(Change {
                section,
                entity,
                id,
                label: b.label,
                status: Status::Added,
                fields: b
                    .leaves
                    .into_iter()
                    .map(|(field, v)| FieldChange { field, before: None, after: Some(v) })
                    .collect(),
            }),
            Some((_, a)) => {
                let fields = field_changes(&a.leaves, &b.leaves);
                if !fields.is_empty() {
                    out.push(Change { section, entity, id, label: b.label, status: Status::Changed, fields });
                }
            }
        }
    }
    for (id, (entity, a)) in before {
        out.push(Change {
            section,
            entity,
            id,
            label: a.label,
            status: Status::Removed,
            fields: a
                .leaves
                .into_iter()
                .map(|(field, v)| FieldChange { field, before: Some(v), after: None })
                .collect(),
        });
    }
    out.sort_by(|x, y| x.id.cmp(&y.id));
    out
}

/// The fields whose values differ, in the earlier side's order, then fields only the later has.
fn field_changes(before: &[(String, String)], after: &[(String, String)]) -> Vec<FieldChange> {
    let b: BTreeMap<&str, &str> = before.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let a: BTreeMap<&str, &str> = after.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let mut out = Vec::new();
    for (path, old) in before {
        match a.get(path.as_str()) {
            Some(new) if *new == old => {}
            new => out.push(FieldChange {
                field: path.clone(),
                before: Some(old.clone()),
                after: new.map(|s| (*s).to_owned()),
            }),
        }
    }
    for (path, new) in after {
        if !b.contains_key(path.as_str()) {
            out.push(FieldChange { field: path.clone(), before: None, after: Some(new.clone()) });
        }
    }
    out
}
