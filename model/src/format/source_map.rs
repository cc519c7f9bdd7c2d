//! Maps entities of a design file to their line and column, for messages and SARIF results.
//!
//! The map finds every entity's place and id in one pass over the text (without parsing it again)
//! and indexes the line starts, so placing all the warnings of a design of 100,000 services costs
//! a look-up each, not a read of the whole file each (which made `meridian validate` quadratic in
//! the number of warnings). The pass is made on the first look-up, not when the map is made: a
//! file with nothing to report never pays for it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::locate::{
    LineCol, LineIndex, Segment, is_group, list_elements, locate, locate_from, parse_path, str_at,
};
use super::ron_options;
use crate::design::{EntityRef, Waiver};

/// The lists of a design file whose elements the map places; an entity names its list by index.
pub(super) const LISTS: [&str; 5] = ["regions", "services", "links", "populations", "waivers"];

/// Where the elements of a design file's lists (regions, services, links, populations, waivers)
/// are written, as the fast reader found them while it read the file: a map made from it needs no
/// second pass over the text (that pass was a fifth of `meridian validate` on a design of 100,000
/// services).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Per list of [`LISTS`], each element's span and the offset of its `id` value.
    pub(super) lists: [Vec<Element>; 5],
}

/// One element of a list in an [`Outline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Element {
    /// Where the element is written, from its first byte to just past its last.
    pub(super) span: Range<usize>,
    /// The offset of its `id` field's value, when it has one.
    pub(super) id_at: Option<usize>,
}

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
    /// Reads the lists of `text` (one that loads) to find its entities.
    fn new(text: &'a str) -> Self {
        let lists = list_elements(text, &LISTS).unwrap_or_default();
        let id_field = [Segment::Field("id".to_owned())];
        let elements = LISTS.map(|name| {
            lists
                .get(name)
                .map(|spans| {
                    spans
                        .iter()
                        .map(|span| Element {
                            span: span.clone(),
                            id_at: Some(locate_from(text, span.start, &id_field)),
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        Index::of(text, &elements)
    }

    /// The index of the entities of `text` whose elements are `lists` (per list of [`LISTS`]).
    fn of(text: &'a str, lists: &[Vec<Element>; 5]) -> Self {
        let mut paths = FxHashMap::default();
        paths.reserve(lists.iter().take(4).map(Vec::len).sum());
        for (l, elements) in lists.iter().enumerate().take(4) {
            for (i, element) in elements.iter().enumerate() {
                if let Some(id) = element.id_at.and_then(|at| str_at(text, at)) {
                    paths.insert((l, id), (i, element.span.start));
                }
            }
        }
        let mut waivers = BTreeMap::new();
        for element in &lists[4] {
            let span = element.span.clone();
            if let Some(w) = text.get(span.clone()).and_then(|t| ron_options().from_str::<Waiver>(t).ok()) {
                waivers.insert(w.key(), span.start);
            }
        }
        Index { lines: LineIndex::new(text), paths, waivers }
    }
}

/// Whether the map made from `outline` places every entity and waiver of `text` where the map's
/// own reading of the text places them (the fast reader's agreement test checks it).
#[cfg(test)]
pub(super) fn outline_agrees(text: &str, outline: &Outline) -> bool {
    let (read, outlined) = (Index::new(text), Index::of(text, &outline.lists));
    read.paths == outlined.paths && read.waivers == outlined.waivers
}

impl<'a> SourceMap<'a> {
    /// A map of the text of a design file (one that loads); `None` if the text is not a design
    /// at all. Nothing is read beyond the design's opening `(` until the first look-up.
    pub fn new(text: &'a str) -> Option<Self> {
        is_group(text).then(|| SourceMap { text, index: OnceLock::new() })
    }

    /// The map of `text` from the [`Outline`] the fast reader made of it while loading it: made
    /// at once, without reading the text again but for its line breaks.
    pub(super) fn with_outline(text: &'a str, outline: &Outline) -> Option<Self> {
        let map = SourceMap::new(text)?;
        let _ = map.index.set(Index::of(text, &outline.lists));
        Some(map)
    }

    fn index(&self) -> &Index<'a> {
        self.index.get_or_init(|| Index::new(self.text))
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
