//! Finds the line and column of a field path (`services[3].config.azs[1]`) in RON text.
//!
//! The loader uses it to point errors found after parsing (an unknown region, a link to a
//! missing service) at the exact place in the file. The text has already parsed, so the
//! walker can be simple; it stops at the deepest segment it can find. [`list_elements`] and
//! [`LineIndex`] let a [`super::SourceMap`] place many entities without re-reading the text for each.

use std::collections::BTreeMap;
use std::ops::Range;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A struct field, an enum variant or a map key.
    Field(String),
    /// A list or tuple element.
    Index(usize),
}

/// Parses `services[3].config.azs[1]` into segments.
pub fn parse_path(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                out.push(Segment::Field(rest[..open].to_owned()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(i) = stripped[..close].parse() {
                    out.push(Segment::Index(i));
                }
                rest = stripped.get(close + 1..).unwrap_or("");
            }
        } else {
            out.push(Segment::Field(rest.to_owned()));
        }
    }
    out
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// The line and column of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    LineCol { line, col }
}

/// The position of the value at `path`, or of the deepest part of it that exists.
pub fn locate(text: &str, path: &[Segment]) -> LineCol {
    let mut w = Walker { b: text.as_bytes(), i: 0, best: 0, depth: 0 };
    w.skip_header();
    w.value(path);
    line_col(text, w.best)
}

/// The byte offset of the value at `path` inside the value that starts at byte `start` (a list
/// element found by [`list_elements`]), or of the deepest part of it that exists. It walks only
/// that value, so finding a field of one entity does not read the whole file again.
pub fn locate_from(text: &str, start: usize, path: &[Segment]) -> usize {
    let mut w = Walker { b: text.as_bytes(), i: start, best: start, depth: 0 };
    w.value(path);
    w.best
}

/// The byte spans of the elements of the top-level lists named in `wanted` (`services`,
/// `links`, ...), keyed by list name, in one pass over the text: an element starts where
/// [`locate`] puts `services[i]`. `None` when the text is not a group such as `Design(...)`.
pub fn list_elements(text: &str, wanted: &[&str]) -> Option<BTreeMap<String, Vec<Range<usize>>>> {
    let mut out = BTreeMap::new();
    let mut w = Walker { b: text.as_bytes(), i: 0, best: 0, depth: 0 };
    if !w.open_group() {
        return None;
    }
    w.i += 1;
    loop {
        w.ws();
        match w.peek() {
            None | Some(b')') => return Some(out),
            Some(b',') => {
                w.i += 1;
                continue;
            }
            _ => {}
        }
        let before = w.i;
        let key = w.key();
        w.ws();
        match key {
            Some(k) if w.peek() == Some(b':') => {
                w.i += 1;
                w.ws();
                let name = wanted.iter().find(|n| n.as_bytes() == k);
                if let (Some(name), Some(b'[')) = (name, w.peek()) {
                    out.insert((*name).to_owned(), w.elements());
                } else {
                    w.skip_fast();
                }
            }
            _ => {
                w.i = before;
                w.skip_value();
            }
        }
        if w.i == before {
            w.i += 1;
        }
    }
}

/// Whether `text` is a group such as `Design(...)` (after comments and `#![enable(...)]`
/// attributes): what [`list_elements`] needs, found without reading further than the `(`.
pub fn is_group(text: &str) -> bool {
    Walker { b: text.as_bytes(), i: 0, best: 0, depth: 0 }.open_group()
}

/// The string value (an id) that starts at byte `offset`, as written (escapes left as they are),
/// borrowed from the text.
pub fn str_at(text: &str, offset: usize) -> Option<&str> {
    let mut w = Walker { b: text.as_bytes(), i: offset, best: offset, depth: 0 };
    match (w.peek(), w.b.get(offset + 1)) {
        (Some(b'"'), _) | (Some(b'r' | b'b'), Some(b'"' | b'#')) => text.get(w.string()),
        _ => None,
    }
}

/// Line and column of byte offsets in one text, from the number of lines before each block of
/// `LINE_BLOCK` (1 KiB) bytes: each look-up counts the line breaks of at most one block and the
/// characters of its own line, not the whole text's. (A vector of every line start cost a
/// tenth of loading a large design: 2.3 million of them for 100,000 services.)
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// The number of line breaks before the start of each block.
    before: Vec<usize>,
}

/// The bytes of text per entry of a [`LineIndex`].
const LINE_BLOCK: usize = 1024;

/// The line breaks in `bytes` (`memchr` counts them with vector instructions).
fn count_breaks(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

impl LineIndex {
    /// Indexes the line breaks of `text`.
    pub fn new(text: &str) -> Self {
        let mut before = Vec::with_capacity(text.len() / LINE_BLOCK + 1);
        let mut breaks = 0;
        for block in text.as_bytes().chunks(LINE_BLOCK) {
            before.push(breaks);
            breaks += count_breaks(block);
        }
        LineIndex { before }
    }

    /// The line and column of byte `offset` in `text` (the text this index was built from);
    /// the same as [`line_col`].
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let bytes = text.as_bytes();
        // The end of a text whose length is a whole number of blocks is in the last block.
        let block = (offset / LINE_BLOCK).min(self.before.len().saturating_sub(1));
        let breaks = self.before.get(block).copied().unwrap_or(0)
            + count_breaks(bytes.get(block * LINE_BLOCK..offset).unwrap_or_default());
        let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        let col = text.get(start..offset).map_or(0, |l| l.chars().count()) + 1;
        LineCol { line: breaks + 1, col }
    }
}

/// Walks RON text without allocating: names and strings are byte spans of the text.
struct Walker<'a> {
    b: &'a [u8],
    i: usize,
    /// Offset of the deepest matched segment so far.
    best: usize,
    /// Groups open around the position: the walk ends rather than recurse past
    /// [`MAX_WALK_DEPTH`] (text that deep is refused by the loaders anyway).
    depth: usize,
}

/// The bytes at which [`Walker::skip_brackets`] has something to do (brackets, quotes, the
/// start of a comment or of a raw string).
const SPECIAL: [bool; 256] = byte_table(b"([{)]}\"'/r");

/// A table of the 256 byte values, true for those in `bytes` (built at compile time): a loop
/// looks a byte up in it to skip the bytes that mean nothing to it.
pub(super) const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
}

/// The deepest group the walker descends into (twice the loaders' [`super::MAX_NESTING`]).
const MAX_WALK_DEPTH: usize = 2 * super::MAX_NESTING;

impl<'a> Walker<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Steps over the header and the group's name; true when a `(` follows (not stepped over).
    fn open_group(&mut self) -> bool {
        self.skip_header();
        self.ws();
        if self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
            self.ident();
            self.ws();
        }
        self.peek() == Some(b'(')
    }

    fn skip_header(&mut self) {
        // `#![enable(...)]` attributes.
        loop {
            self.ws();
            if self.b[self.i..].starts_with(b"#!") {
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if c == b']' {
                        break;
                    }
                }
            } else {
                return;
            }
        }
    }

    /// Skips white space and comments (`//`, nested `/* */`).
    fn ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.i += 1,
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'*') => {
                    let mut depth = 0usize;
                    while self.i < self.b.len() {
                        if self.b[self.i..].starts_with(b"/*") {
                            depth += 1;
                            self.i += 2;
                        } else if self.b[self.i..].starts_with(b"*/") {
                            depth -= 1;
                            self.i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            self.i += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> &'a str {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'#' {
                self.i += 1;
            } else {
                break;
            }
        }
        let b: &'a [u8] = self.b;
        std::str::from_utf8(&b[start..self.i]).unwrap_or("")
    }

    /// Steps over a string and returns the span of its content (escapes left as written).
    fn string(&mut self) -> Range<usize> {
        // At `"`, or at `r"`/`r#"` raw strings, or `b"` byte strings.
        if self.peek() == Some(b'b') {
            self.i += 1;
        }
        if self.peek() == Some(b'r') {
            self.i += 1;
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.i += 1;
            }
            self.i += 1; // opening quote
            let start = self.i;
            while self.i < self.b.len() {
                if self.b[self.i] == b'"' && self.b[self.i + 1..].iter().take(hashes).all(|&c| c == b'#') {
                    let span = start..self.i;
                    self.i += 1 + hashes;
                    return span;
                }
                self.i += 1;
            }
            return start..start;
        }
        let quote = self.peek().unwrap_or(b'"');
        self.i += 1;
        let start = self.i;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.i += 2,
                c if c == quote => {
                    let span = start..self.i;
                    self.i += 1;
                    return span;
                }
                _ => self.i += 1,
            }
        }
        start..start
    }

    /// Walks one value; when `path` is non-empty, descends into the matching child.
    /// Returns true once the whole path has been found (and stops walking).
    fn value(&mut self, path: &[Segment]) -> bool {
        self.ws();
        if path.is_empty() {
            self.best = self.i;
            return true;
        }
        match self.peek() {
            Some(b'(') => self.group(b')', path),
            Some(b'[') => self.group(b']', path),
            Some(b'{') => self.group(b'}', path),
            Some(b'"' | b'\'') => {
                self.string();
                false
            }
            Some(b'r' | b'b') if matches!(self.b.get(self.i + 1), Some(b'"' | b'#')) => {
                self.string();
                false
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.ident();
                self.ws();
                // An enum variant named in the path is part of the value, not a level of nesting.
                let path = match path.first() {
                    Some(Segment::Field(f)) if f == name => {
                        self.best = self.i;
                        &path[1..]
                    }
                    _ => path,
                };
                if path.is_empty() {
                    return true;
                }
                if self.peek() == Some(b'(') { self.group(b')', path) } else { false }
            }
            _ => {
                // A number or other atom.
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b')' | b']' | b'}') || c.is_ascii_whitespace() {
                        break;
                    }
                    self.i += 1;
                }
                false
            }
        }
    }

    /// Walks a bracketed group of elements, `name: value` fields or `key: value` map entries.
    fn group(&mut self, close: u8, path: &[Segment]) -> bool {
        if self.depth >= MAX_WALK_DEPTH {
            self.i = self.b.len();
            return false;
        }
        self.depth += 1;
        let found = self.group_within(close, path);
        self.depth -= 1;
        found
    }

    fn group_within(&mut self, close: u8, path: &[Segment]) -> bool {
        self.i += 1;
        let mut index = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return false,
                Some(c) if c == close => {
                    self.i += 1;
                    return false;
                }
                Some(b',') => {
                    self.i += 1;
                    index += 1;
                    continue;
                }
                _ => {}
            }
            let start = self.i;
            // A field name, a map key, or a plain element.
            let key = self.key();
            self.ws();
            let is_named = key.is_some() && self.peek() == Some(b':');
            if is_named {
                self.i += 1;
                let matches = matches!(path.first(), Some(Segment::Field(f)) if key == Some(f.as_bytes()));
                if matches {
                    self.best = start;
                    return self.value(&path[1..]);
                }
                self.value(&[Segment::Index(usize::MAX)]);
            } else {
                self.i = start;
                if path.first() == Some(&Segment::Index(index)) {
                    self.best = start;
                    return self.value(&path[1..]);
                }
                self.value(&[Segment::Index(usize::MAX)]);
            }
            // A closing bracket of another kind (`[1)`) is no value: step over it, or the walk
            // would stand still for ever (found by the fuzz loop, app/tests/fuzz.rs).
            if self.i == start {
                self.i += 1;
            }
        }
    }

    /// Walks past one whole value.
    fn skip_value(&mut self) {
        self.value(&[Segment::Index(usize::MAX)]);
    }

    /// Walks past one whole value as [`Walker::skip_value`] does in text that parses, without
    /// reading its fields: a bracketed group is stepped over by counting brackets, past strings,
    /// characters and comments. Each byte costs a comparison or two, where reading every field
    /// name cost a few dozen (most of the time to map a large design).
    fn skip_fast(&mut self) {
        self.ws();
        match self.peek() {
            Some(b'(' | b'[' | b'{') => self.skip_brackets(),
            Some(b'"' | b'\'') => {
                self.string();
            }
            Some(b'r' | b'b') if matches!(self.b.get(self.i + 1), Some(b'"' | b'#')) => {
                self.string();
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                self.ident();
                self.ws();
                if self.peek() == Some(b'(') {
                    self.skip_brackets();
                }
            }
            _ => self.skip_value(),
        }
    }

    /// At an opening bracket: steps past its matching closing bracket (or to the end of the text).
    fn skip_brackets(&mut self) {
        let mut depth = 0usize;
        loop {
            // Most bytes (names, numbers, string-free text) need nothing: a tight loop steps
            // over them, where the `match` below cost a dozen instructions a byte.
            let rest = self.b.get(self.i..).unwrap_or_default();
            self.i += rest.iter().position(|&c| SPECIAL[usize::from(c)]).unwrap_or(rest.len());
            let Some(c) = self.peek() else { return };
            match c {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                b'"' | b'\'' => {
                    self.string();
                    continue;
                }
                b'/' => {
                    let before = self.i;
                    self.ws();
                    if self.i > before {
                        continue;
                    }
                }
                b'r' if self.raw_string_here() => {
                    self.string();
                    continue;
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Whether a raw string (`r"..."`, `r#"..."#`) starts here, not a raw identifier (`r#type`)
    /// or the end of a name.
    fn raw_string_here(&self) -> bool {
        let after_name = self.i > 0 && {
            let p = self.b[self.i - 1];
            p.is_ascii_alphanumeric() || p == b'_'
        };
        let hashes = self.b[self.i + 1..].iter().take_while(|&&c| c == b'#').count();
        !after_name && self.b.get(self.i + 1 + hashes) == Some(&b'"')
    }

    /// At `[`: walks a list to its end and returns the span of each element.
    fn elements(&mut self) -> Vec<Range<usize>> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                None => return out,
                Some(b']') => {
                    self.i += 1;
                    return out;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            let before = self.i;
            self.skip_fast();
            if self.i == before {
                self.i += 1;
            }
            out.push(before..self.i);
        }
    }

    /// Reads a field name or string map key (as written, without its quotes) if one is here;
    /// otherwise leaves the position alone.
    fn key(&mut self) -> Option<&'a [u8]> {
        let start = self.i;
        let b: &'a [u8] = self.b;
        match self.peek() {
            Some(b'"') => Some(&b[self.string()]),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => Some(self.ident().as_bytes()),
            _ => {
                self.i = start;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatched_brackets_end_the_walk() {
        // Before: a `]` inside `( )` stopped the walker in place and `locate` never returned.
        let text = "Plan(name: \"p\", sweeps: [A(values: [\"x\"], ]), runs: 1)";
        let lc = locate(text, &parse_path("gates[0]"));
        assert_eq!(lc.line, 1);
        let text = "Plan(a: [1), b: 2)";
        let _ = locate(text, &parse_path("c"));
    }

    #[test]
    fn deep_nesting_ends_the_walk_without_recursing_through_it() {
        // Before: the walker recursed once per level; 50,000 levels overflowed a thread's stack.
        let text = format!("Plan(a: {}{}, b: 2)", "[".repeat(50_000), "]".repeat(50_000));
        let walk = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || locate(&text, &parse_path("c")))
            .unwrap();
        assert_eq!(walk.join().unwrap().line, 1);
    }

    const TEXT: &str = r#"// header
Design(
    version: 1,
    services: [
        Service(id: "a", config: (count: 2)),
        Service(
            id: "b", // comment with "quote"
            placement: Region("eu-west-1"),
            tags: {"team": "x"},
        ),
    ],
    links: [Link(id: "l", kind: Replication(mode: Async))],
)"#;

    #[test]
    fn finds_nested_fields() {
        let at = |p: &str| {
            let lc = locate(TEXT, &parse_path(p));
            (lc.line, lc.col)
        };
        // Fields point at their value, list elements at their start.
        assert_eq!(at("version"), (3, 14));
        assert_eq!(at("services[1]"), (6, 9));
        assert_eq!(at("services[1].placement"), (8, 24));
        assert_eq!(at("services[0].config.count"), (5, 42));
        assert_eq!(at("services[1].tags.team"), (9, 28));
        assert_eq!(at("links[0].kind.mode"), (12, 51));
        // A missing field stops at the deepest part found.
        assert_eq!(at("services[1].nope"), (6, 9));
    }

    #[test]
    fn the_fast_skip_ends_where_the_walk_does() {
        let text = r##"D(
    a: [S(id: "x(", n: r#"a "]" b"#, c: '"', d: '(', e: "\")\"", r#type: 1), S(id: "y", /* ) [ "*/ k: [1, 2], m: {"]": ()}), // ) ]
        T(x: Some(r"(")), 3, "s", A, B(1)],
    b: 1,
)"##;
        let lists = list_elements(text, &["a"]).unwrap();
        let spans = &lists["a"];
        assert_eq!(spans.len(), 7, "{spans:?}");
        for span in spans {
            let mut slow = Walker { b: text.as_bytes(), i: span.start, best: 0, depth: 0 };
            slow.skip_value();
            let mut fast = Walker { b: text.as_bytes(), i: span.start, best: 0, depth: 0 };
            fast.skip_fast();
            assert_eq!(fast.i, slow.i, "{}", &text[span.clone()]);
            assert_eq!(span.end, slow.i);
        }
        assert_eq!(locate(text, &parse_path("b")).line, 4);
    }

    #[test]
    fn the_line_index_agrees_with_line_col_everywhere() {
        let mut text = String::new();
        // Several blocks of the index, so look-ups start from counts of earlier blocks.
        for n in 0..1500 {
            text.push_str(&"é".repeat(n % 5));
            text.push_str(&"x".repeat(n % 11));
            text.push('\n');
            if n % 7 == 0 {
                text.push('\n');
            }
        }
        text.push_str("tail ü");
        assert!(text.len() > 3 * LINE_BLOCK, "{}", text.len());
        let index = LineIndex::new(&text);
        let near_blocks = (1..4).flat_map(|b| b * LINE_BLOCK - 3..b * LINE_BLOCK + 3);
        for offset in (0..=text.len() + 2)
            .step_by(5)
            .chain(near_blocks)
            .chain(text.len() - 20..=text.len() + 2)
            .filter(|&o| o > text.len() || text.is_char_boundary(o))
        {
            assert_eq!(index.line_col(&text, offset), line_col(&text, offset), "{offset}");
        }
        assert_eq!(LineIndex::new("").line_col("", 0), LineCol { line: 1, col: 1 });
        // A text of exactly one and two blocks: its end is in its last block.
        for blocks in [1, 2] {
            let whole = "abc\n".repeat(blocks * LINE_BLOCK / 4);
            let end = whole.len();
            assert_eq!(LineIndex::new(&whole).line_col(&whole, end), line_col(&whole, end));
        }
    }

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse_path("links[3].kind.lag"),
            vec![
                Segment::Field("links".into()),
                Segment::Index(3),
                Segment::Field("kind".into()),
                Segment::Field("lag".into())
            ]
        );
    }
}
