//! Maps entities of a design file to their line and column, for messages and SARIF results.

use std::collections::BTreeMap;

use super::locate::{LineCol, locate, parse_path};
use super::{DesignFile, ron_options};
use crate::design::EntityRef;

/// Where each entity of a design file is written.
#[derive(Debug, Clone)]
pub struct SourceMap {
    text: String,
    paths: BTreeMap<EntityRef, String>,
    waivers: BTreeMap<(String, EntityRef), String>,
}

impl SourceMap {
    /// Builds the map from the text of a design file; `None` if the text does not parse.
    pub fn new(text: &str) -> Option<Self> {
        let file: DesignFile = ron_options().from_str(text).ok()?;
        let mut paths = BTreeMap::new();
        for (i, r) in file.regions.iter().enumerate() {
            paths.insert(EntityRef::Region(r.id.clone()), format!("regions[{i}]"));
        }
        for (i, s) in file.services.iter().enumerate() {
            paths.insert(EntityRef::Service(s.id.clone()), format!("services[{i}]"));
        }
        for (i, l) in file.links.iter().enumerate() {
            paths.insert(EntityRef::Link(l.id.clone()), format!("links[{i}]"));
        }
        for (i, p) in file.populations.iter().enumerate() {
            paths.insert(EntityRef::Population(p.id.clone()), format!("populations[{i}]"));
        }
        let waivers =
            file.waivers.iter().enumerate().map(|(i, w)| (w.key(), format!("waivers[{i}]"))).collect();
        Some(SourceMap { text: text.to_owned(), paths, waivers })
    }

    /// The field path of an entity (and optionally one of its fields), e.g. `services[3].kind`.
    pub fn path_of(&self, entity: &EntityRef, field: Option<&str>) -> String {
        let base = self.paths.get(entity).cloned().unwrap_or_default();
        match field {
            Some(f) if base.is_empty() => f.to_owned(),
            Some(f) => format!("{base}.{f}"),
            None => base,
        }
    }

    /// The line and column of an entity, or of one of its fields.
    pub fn position(&self, entity: &EntityRef, field: Option<&str>) -> LineCol {
        let path = self.path_of(entity, field);
        if path.is_empty() {
            return LineCol { line: 1, col: 1 };
        }
        locate(&self.text, &parse_path(&path))
    }

    /// The line and column of the waiver of `rule` on `entity`, if the file has one.
    pub fn waiver_position(&self, rule: &str, entity: &EntityRef) -> Option<LineCol> {
        let path = self.waivers.get(&(rule.to_owned(), entity.clone()))?;
        Some(locate(&self.text, &parse_path(path)))
    }
}
