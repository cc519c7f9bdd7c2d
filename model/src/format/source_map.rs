//! Maps entities of a design file to their line and column, for messages and SARIF results.
//!
//! The map finds every entity's place and id in one pass over the text (without parsing it again)
//! and indexes the line starts, so placing all the warnings of a design of 100,000 services costs
//! a look-up each, not a read of the whole file each (which made `meridian validate` quadratic in
//! the number of warnings). The pass is made on the first look-up, not when the map is made: a
//! file with nothing to report never pays for it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::locate::{
    LineCol, LineIndex, Segment, is_group, list_elements, locate, locate_from, parse_path, str_at,
};
use super::ron_options;
use crate::design::{EntityRef, Waiver};

/// The lists of a design file whose elements the map places; an entity names its list by index.
const LISTS: [&str; 5] = ["regions", "services", "links", "populations", "waivers"];

/// Where each entity of a design file is written. It borrows the text (a design of 100,000
/// services is tens of megabytes: a copy cost more than placing its warnings).
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    text: &'a str,
    /// Built by the first look-up.
    index: OnceLock<Index<'a>>,
}

/// Where each entity is: the list it is in (an index into [`LISTS`]), its place in that list and
/// the byte offset of its value. Entities are keyed by their list and their id as written in the
/// text (borrowed: no string is made per entity).
#[derive(Debug, Clone)]
struct Index<'a> {
    lines: LineIndex,
    paths: FxHashMap<(usize, &'a str), (usize, usize)>,
    waivers: BTreeMap<(String, EntityRef), usize>,
}

/// The list an entity is written in (an index into [`LISTS`]) and its id, or `None` for an
/// entity not written in a list (the design itself, an annotation).
fn key(entity: &EntityRef) -> Option<(usize, &str)> {
    match entity {
        EntityRef::Region(id) => Some((0, id.as_str())),
        EntityRef::Service(id) => Some((1, id.as_str())),
        EntityRef::Link(id) => Some((2, id.as_str())),
        EntityRef::Population(id) => Some((3, id.as_str())),
        _ => None,
    }
}

impl<'a> Index<'a> {
    fn new(text: &'a str) -> Self {
        let lists = list_elements(text, &LISTS).unwrap_or_default();
        let list = |name: &str| lists.get(name).map(Vec::as_slice).unwrap_or_default();
        let id_field = [Segment::Field("id".to_owned())];
        let mut paths = FxHashMap::default();
        paths.reserve(LISTS.iter().take(4).map(|name| list(name).len()).sum());
        for (l, name) in LISTS.iter().enumerate().take(4) {
            let spans = list(name);
            for (i, span) in spans.iter().enumerate() {
                let at = locate_from(text, span.start, &id_field);
                if let Some(id) = str_at(text, at) {
                    paths.insert((l, id), (i, span.start));
                }
            }
        }
        let mut waivers = BTreeMap::new();
        for span in list("waivers") {
            if let Some(w) = text.get(span.clone()).and_then(|t| ron_options().from_str::<Waiver>(t).ok()) {
                waivers.insert(w.key(), span.start);
            }
        }
        Index { lines: LineIndex::new(text), paths, waivers }
    }
}

impl<'a> SourceMap<'a> {
    /// A map of the text of a design file (one that loads); `None` if the text is not a design
    /// at all. Nothing is read beyond the design's opening `(` until the first look-up.
    pub fn new(text: &'a str) -> Option<Self> {
        is_group(text).then(|| SourceMap { text, index: OnceLock::new() })
    }

    fn index(&self) -> &Index<'a> {
        self.index.get_or_init(|| Index::new(self.text))
    }

    /// Runs `work` (loading and validating the design, say) while the map reads the text on
    /// another thread, when the machine has more than one core: placing the warnings of a design
    /// of 100,000 services then costs look-ups only, where reading its 70 MB for the map took
    /// a fifth of `meridian validate`. Returns when both are done. On one core, `work` runs
    /// alone and the map is read on its first look-up, as without this call.
    pub fn build_during<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        if cores < 2 || self.index.get().is_some() {
            return work();
        }
        std::thread::scope(|scope| {
            // Should the thread not start, the map is read on its first look-up instead.
            let _reader = std::thread::Builder::new().name("source-map".into()).spawn_scoped(scope, || {
                self.index();
            });
            work()
        })
    }

    /// Where `entity` is written: its list, its place in that list and the offset of its value.
    fn find(&self, entity: &EntityRef) -> Option<(usize, usize, usize)> {
        let (l, id) = key(entity)?;
        self.index().paths.get(&(l, id)).map(|&(i, start)| (l, i, start))
    }

    /// The field path of an entity (and optionally one of its fields), e.g. `services[3].kind`.
    pub fn path_of(&self, entity: &EntityRef, field: Option<&str>) -> String {
        let base = self.find(entity).map(|(l, i, _)| format!("{}[{i}]", LISTS[l]));
        match (base, field) {
            (None, Some(f)) => f.to_owned(),
            (Some(base), Some(f)) => format!("{base}.{f}"),
            (base, None) => base.unwrap_or_default(),
        }
    }

    /// The line and column of an entity, or of one of its fields.
    pub fn position(&self, entity: &EntityRef, field: Option<&str>) -> LineCol {
        match (self.find(entity), field) {
            (Some((_, _, start)), f) => {
                let offset = locate_from(self.text, start, &parse_path(f.unwrap_or_default()));
                self.index().lines.line_col(self.text, offset)
            }
            (None, Some(f)) if !f.is_empty() => locate(self.text, &parse_path(f)),
            (None, _) => LineCol { line: 1, col: 1 },
        }
    }

    /// The line and column of the waiver of `rule` on `entity`, if the file has one.
    pub fn waiver_position(&self, rule: &str, entity: &EntityRef) -> Option<LineCol> {
        let index = self.index();
        let &start = index.waivers.get(&(rule.to_owned(), entity.clone()))?;
        Some(index.lines.line_col(self.text, start))
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
