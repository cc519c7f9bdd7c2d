//! Maps entities of a design file to their line and column, for messages and SARIF results.
//!
//! The map finds every entity's place and id in one pass over the text (without parsing it again)
//! and indexes the line starts, so placing all the warnings of a design of 100,000 services costs
//! a look-up each, not a read of the whole file each (which made `meridian validate` quadratic in
//! the number of warnings).

use std::collections::BTreeMap;

use super::locate::{LineCol, LineIndex, Segment, list_elements, locate, locate_from, parse_path, string_at};
use super::ron_options;
use crate::design::{EntityRef, Waiver};
use crate::ids::{LinkId, PopulationId, RegionId, ServiceId};

/// Where each entity of a design file is written.
#[derive(Debug, Clone)]
pub struct SourceMap {
    text: String,
    lines: LineIndex,
    /// The entity's path in the file (`services[3]`) and the byte offset of its value.
    paths: BTreeMap<EntityRef, (String, usize)>,
    waivers: BTreeMap<(String, EntityRef), (String, usize)>,
}

impl SourceMap {
    /// Builds the map from the text of a design file (one that loads); `None` if the text is not
    /// a design at all.
    pub fn new(text: &str) -> Option<Self> {
        let lists = list_elements(text, &["regions", "services", "links", "populations", "waivers"])?;
        let list = |name: &str| lists.get(name).map(Vec::as_slice).unwrap_or_default();
        let id_field = [Segment::Field("id".to_owned())];
        let mut paths = BTreeMap::new();
        for (name, entity) in [
            ("regions", (|id| EntityRef::Region(RegionId::new(id))) as fn(String) -> EntityRef),
            ("services", |id| EntityRef::Service(ServiceId::new(id))),
            ("links", |id| EntityRef::Link(LinkId::new(id))),
            ("populations", |id| EntityRef::Population(PopulationId::new(id))),
        ] {
            for (i, span) in list(name).iter().enumerate() {
                let at = locate_from(text, span.start, &id_field);
                if let Some(id) = string_at(text, at) {
                    paths.insert(entity(id), (format!("{name}[{i}]"), span.start));
                }
            }
        }
        let mut waivers = BTreeMap::new();
        for (i, span) in list("waivers").iter().enumerate() {
            if let Some(w) = text.get(span.clone()).and_then(|t| ron_options().from_str::<Waiver>(t).ok()) {
                waivers.insert(w.key(), (format!("waivers[{i}]"), span.start));
            }
        }
        Some(SourceMap { text: text.to_owned(), lines: LineIndex::new(text), paths, waivers })
    }

    /// The field path of an entity (and optionally one of its fields), e.g. `services[3].kind`.
    pub fn path_of(&self, entity: &EntityRef, field: Option<&str>) -> String {
        let base = self.paths.get(entity).map(|(p, _)| p.clone()).unwrap_or_default();
        match field {
            Some(f) if base.is_empty() => f.to_owned(),
            Some(f) => format!("{base}.{f}"),
            None => base,
        }
    }

    /// The line and column of an entity, or of one of its fields.
    pub fn position(&self, entity: &EntityRef, field: Option<&str>) -> LineCol {
        match (self.paths.get(entity), field) {
            (Some(&(_, start)), f) => {
                let offset = locate_from(&self.text, start, &parse_path(f.unwrap_or_default()));
                self.lines.line_col(&self.text, offset)
            }
            (None, Some(f)) if !f.is_empty() => locate(&self.text, &parse_path(f)),
            (None, _) => LineCol { line: 1, col: 1 },
        }
    }

    /// The line and column of the waiver of `rule` on `entity`, if the file has one.
    pub fn waiver_position(&self, rule: &str, entity: &EntityRef) -> Option<LineCol> {
        let &(_, start) = self.waivers.get(&(rule.to_owned(), entity.clone()))?;
        Some(self.lines.line_col(&self.text, start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn places_every_entity_and_field_as_locate_does() {
        let catalog = Catalog::builtin().expect("catalog");
        let design = crate::synth::generate(catalog, 40, 2).expect("generates");
        let text = super::super::to_string(&design, "// a header with \"quotes\" and [brackets\n")
            .expect("writes")
            .replacen("services: [", "services: [ /* a comment ( with [ brackets */", 1);
        let map = SourceMap::new(&text).expect("parses");
        let mut entities: Vec<EntityRef> =
            design.regions().map(|r| EntityRef::Region(r.id.clone())).collect();
        entities.extend(design.services().map(|s| EntityRef::Service(s.id.clone())));
        entities.extend(design.links().map(|l| EntityRef::Link(l.id.clone())));
        entities.extend(design.populations().map(|p| EntityRef::Population(p.id.clone())));
        assert!(entities.len() > 60, "{}", entities.len());
        for entity in &entities {
            for field in
                [None, Some("id"), Some("config.count"), Some("kind.calls_per_request"), Some("nope")]
            {
                let whole = locate(&text, &parse_path(&map.path_of(entity, field)));
                assert_eq!(map.position(entity, field), whole, "{entity} {field:?}");
            }
        }
        assert_eq!(map.position(&EntityRef::Design, Some("name")), locate(&text, &parse_path("name")));
    }
}
