//! Maps entities of a design file to their line and column, for messages and SARIF results.
//!
//! The map finds every entity's place in one pass over the text and indexes the line starts, so
//! placing all the warnings of a design of 100,000 services costs a look-up each, not a read of
//! the whole file each (which made `meridian validate` quadratic in the number of warnings).

use std::collections::BTreeMap;

use super::locate::{LineCol, LineIndex, list_elements, locate, locate_from, parse_path};
use super::{DesignFile, ron_options};
use crate::design::EntityRef;

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
    /// Builds the map from the text of a design file; `None` if the text does not parse.
    pub fn new(text: &str) -> Option<Self> {
        let file: DesignFile = ron_options().from_str(text).ok()?;
        let offsets = list_elements(text, &["regions", "services", "links", "populations", "waivers"]);
        let at = |list: &str, i: usize| -> (String, usize) {
            let offset = offsets.get(list).and_then(|o| o.get(i).copied()).unwrap_or(0);
            (format!("{list}[{i}]"), offset)
        };
        let mut paths = BTreeMap::new();
        for (i, r) in file.regions.iter().enumerate() {
            paths.insert(EntityRef::Region(r.id.clone()), at("regions", i));
        }
        for (i, s) in file.services.iter().enumerate() {
            paths.insert(EntityRef::Service(s.id.clone()), at("services", i));
        }
        for (i, l) in file.links.iter().enumerate() {
            paths.insert(EntityRef::Link(l.id.clone()), at("links", i));
        }
        for (i, p) in file.populations.iter().enumerate() {
            paths.insert(EntityRef::Population(p.id.clone()), at("populations", i));
        }
        let waivers = file.waivers.iter().enumerate().map(|(i, w)| (w.key(), at("waivers", i))).collect();
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
