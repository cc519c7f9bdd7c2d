//! A fast reader for the common subset of the file format's RON, used before `ron` (issue 18).
//!
//! `ron` reads text a character at a time through Unicode tables and iterator adapters; reading a
//! design of 5,000 services with it cost about 60% of `meridian bench load`. This reader is a
//! [`serde::Deserializer`] over bytes for the subset of RON that Meridian writes (and nearly every
//! hand-written file uses): named or anonymous structs, lists, maps, enums (unit, newtype and
//! struct variants, newtype variants unwrapped as `UNWRAP_VARIANT_NEWTYPES` does), options with
//! `IMPLICIT_SOME`, strings without escapes, decimal numbers, booleans, white space and `//` line
//! comments. The types' own `Deserialize` impls (the derives, ids, kinds, durations) do the rest,
//! so field names, defaults, unknown and missing fields are decided by the same code either way.
//!
//! It never reports an error of its own: on anything outside the subset (an escape, a raw string,
//! a block comment, `Some(...)`, a hexadecimal or suffixed number, an attribute) and on anything
//! the types refuse, [`read_outlined`] returns `None` and the loader parses the text with `ron`, which
//! produces the value or the located error as it always did. Where this reader accepts a text,
//! `ron` accepts it with the same value: `agreement.rs` checks that on every example design, the
//! adversarial corpus, generated designs of both shapes and thousands of seeded mutations of them.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::source_map::{Element, LISTS, Outline};

/// Reads `text` as a `T`, or `None` when the text is outside this reader's subset or `T` refuses
/// it (then `ron` must read it, for the value or the error).
#[cfg(test)]
pub(super) fn read<T: DeserializeOwned>(text: &str) -> Option<T> {
    read_outlined(text).map(|(value, _)| value)
}

/// Reads `text` as the test-only `read` does, with the [`Outline`] of where the elements of its top-level
/// lists (a design's regions, services, links, populations and waivers) are written.
pub(super) fn read_outlined<T: DeserializeOwned>(text: &str) -> Option<(T, Outline)> {
    let mut r = Reader {
        b: text.as_bytes(),
        s: text,
        i: 0,
        newtype_variant: false,
        depth: 0,
        outline: Outline::default(),
        list: None,
        id_next: false,
    };
    r.ws().ok()?;
    let value = T::deserialize(&mut r).ok()?;
    r.ws().ok()?;
    (r.i == r.b.len()).then_some((value, r.outline))
}

/// "Not this reader's to decide": the caller falls back to `ron`.
#[derive(Debug)]
struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("outside the fast reader's subset")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Bail
    }
}

type Result<T> = std::result::Result<T, Bail>;

struct Reader<'de> {
    b: &'de [u8],
    s: &'de str,
    i: usize,
    /// Inside `Variant(...)` of a newtype variant: a struct there has neither name nor
    /// parentheses of its own (ron's `UNWRAP_VARIANT_NEWTYPES`, with ron's rules for the flag).
    newtype_variant: bool,
    /// Brackets open around the position. The types bound it (none is recursive), but a reader
    /// that reads a text deeper than [`super::MAX_NESTING`] would also have to pass the loader's
    /// nesting check, which runs only when this reader declines: so it declines first.
    depth: usize,
    /// Where the elements of the top-level lists are, as far as read.
    outline: Outline,
    /// The top-level list being read (an index into [`LISTS`]), if it is one the outline keeps.
    list: Option<usize>,
    /// The value about to be read is an element's `id`.
    id_next: bool,
}

/// Bytes that continue an identifier or a number in ron's eyes, or start something this reader
/// leaves to ron (raw strings `r#"`, byte strings `b"`, `b'`, non-ASCII identifiers): after a
/// token this reader read, any of them means the token was not what it looked like.
fn continues_token(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'#' | b'"' | b'\'' | b'.' | b'+' | b'-') || c >= 0x80
}

impl<'de> Reader<'de> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Steps over ASCII white space and closed `//` comments; a block comment, other Unicode
    /// white space or a comment at the very end goes to ron.
    fn ws(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'/') => {
                    match self.b[self.i..].iter().position(|&c| c == b'\n') {
                        Some(n) => self.i += n + 1,
                        None => return Err(Bail),
                    }
                }
                Some(b'/') => return Err(Bail),
                _ => return Ok(()),
            }
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        if self.eat(c) { Ok(()) } else { Err(Bail) }
    }

    /// Steps over an opening bracket `c`, one level deeper (declining past the loaders' bound).
    fn open(&mut self, c: u8) -> Result<()> {
        self.expect(c)?;
        self.depth += 1;
        if self.depth > super::MAX_NESTING { Err(Bail) } else { Ok(()) }
    }

    /// Steps over a closing bracket `c`, one level up.
    fn close(&mut self, c: u8) -> Result<()> {
        self.expect(c)?;
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// Steps over a `,` and the white space around it, as ron's `comma` does.
    fn comma(&mut self) -> Result<bool> {
        self.ws()?;
        let had = self.eat(b',');
        if had {
            self.ws()?;
        }
        Ok(had)
    }

    /// An ASCII identifier `[A-Za-z_][A-Za-z0-9_]*` not followed by anything that would make ron
    /// read it otherwise (a raw identifier, a string prefix, a Unicode letter, `-`, `.`, `+`).
    fn ident(&mut self) -> Result<&'de str> {
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.i += 1,
            _ => return Err(Bail),
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
            self.i += 1;
        }
        if self.peek().is_some_and(continues_token) {
            return Err(Bail);
        }
        Ok(&self.s[start..self.i])
    }

    /// Whether an identifier starts here (without reading it).
    fn at_ident(&self) -> bool {
        self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
    }

    /// Consumes the identifier `word` when it is the whole identifier here.
    fn eat_word(&mut self, word: &str) -> bool {
        let end = self.i + word.len();
        if self.b.get(self.i..end) == Some(word.as_bytes())
            && !self.b.get(end).is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        {
            self.i = end;
            true
        } else {
            false
        }
    }

    /// A `"..."` string without escapes, borrowed from the text.
    fn string(&mut self) -> Result<&'de str> {
        self.expect(b'"')?;
        let start = self.i;
        let len = self.b[start..].iter().position(|&c| c == b'"' || c == b'\\').ok_or(Bail)?;
        if self.b[start + len] != b'"' {
            return Err(Bail);
        }
        self.i = start + len + 1;
        Ok(&self.s[start..start + len])
    }

    /// A decimal number `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as text, and whether it is an
    /// integer (no fraction, no exponent).
    fn number(&mut self) -> Result<(&'de str, bool)> {
        let start = self.i;
        self.eat(b'-');
        let digits = |r: &mut Self| {
            let from = r.i;
            while r.peek().is_some_and(|c| c.is_ascii_digit()) {
                r.i += 1;
            }
            if r.i > from { Ok(()) } else { Err(Bail) }
        };
        digits(self)?;
        let mut integer = true;
        if self.eat(b'.') {
            integer = false;
            digits(self)?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.i += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            digits(self)?;
        }
        if self.peek().is_some_and(continues_token) {
            return Err(Bail);
        }
        Ok((&self.s[start..self.i], integer))
    }

    fn float(&mut self) -> Result<f64> {
        let (text, _) = self.number()?;
        text.parse().map_err(|_| Bail)
    }

    fn integer<T: std::str::FromStr>(&mut self) -> Result<T> {
        match self.number()? {
            (text, true) => text.parse().map_err(|_| Bail),
            _ => Err(Bail),
        }
    }

    /// The fields of a struct up to (not including) its closing `)`.
    fn fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        visitor.visit_map(Separated { r: self, close: b')', had_comma: true })
    }
}

/// The elements of a list, the entries of a map or the fields of a struct, separated by commas
/// (a trailing comma allowed), up to the closing bracket (left for the caller).
struct Separated<'a, 'de> {
    r: &'a mut Reader<'de>,
    close: u8,
    had_comma: bool,
}

impl Separated<'_, '_> {
    fn has_element(&mut self) -> Result<bool> {
        self.r.ws()?;
        match (self.had_comma, self.r.peek() != Some(self.close)) {
            (true, more) => Ok(more),
            (false, false) => Ok(false),
            (false, true) => Err(Bail),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Separated<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        // An element of a top-level list (inside `Design(` and `[`): the outline keeps its span.
        let outlined = match self.r.list {
            Some(l) if self.r.depth == 2 => {
                let start = self.r.i;
                self.r.outline.lists[l].push(Element { span: start..start, id_at: None });
                Some(l)
            }
            _ => None,
        };
        let value = seed.deserialize(&mut *self.r)?;
        if let Some(element) = outlined.and_then(|l| self.r.outline.lists[l].last_mut()) {
            element.span.end = self.r.i;
        }
        self.had_comma = self.r.comma()?;
        Ok(Some(value))
    }
}

impl<'de> de::MapAccess<'de> for Separated<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        if self.close == b')' {
            // A struct's field name.
            let name = self.r.ident()?;
            match self.r.depth {
                // A field of the design itself: one of the lists the outline keeps?
                1 => self.r.list = LISTS.iter().position(|l| *l == name),
                // A field of an element of such a list.
                3 => self.r.id_next = self.r.list.is_some() && name == "id",
                _ => {}
            }
            seed.deserialize(name.into_deserializer()).map(Some)
        } else {
            seed.deserialize(&mut *self.r).map(Some)
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.r.ws()?;
        self.r.expect(b':')?;
        self.r.ws()?;
        if std::mem::take(&mut self.r.id_next)
            && let Some(element) = self.r.list.and_then(|l| self.r.outline.lists[l].last_mut())
        {
            element.id_at = Some(self.r.i);
        }
        let value = seed.deserialize(&mut *self.r)?;
        self.had_comma = self.r.comma()?;
        Ok(value)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = Bail;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        self.ws()?;
        let name = self.ident()?;
        let value = seed.deserialize(name.into_deserializer())?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = Bail;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.ws()?;
        self.open(b'(')?;
        self.ws()?;
        self.newtype_variant = true;
        let value = seed.deserialize(&mut *self)?;
        self.newtype_variant = false;
        self.comma()?;
        self.close(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.ws()?;
        self.open(b'(')?;
        let value = self.fields(visitor)?;
        self.ws()?;
        self.close(b')')?;
        Ok(value)
    }
}

/// The kinds of value the design file has no use for go to ron.
macro_rules! bail {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(Bail)
        })*
    };
}

macro_rules! integers {
    ($($method:ident => $visit:ident,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.$visit(self.integer()?)
        })*
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Bail;

    bail!(deserialize_any deserialize_ignored_any deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier deserialize_i128 deserialize_u128);

    integers! {
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.eat_word("true") {
            visitor.visit_bool(true)
        } else if self.eat_word("false") {
            visitor.visit_bool(false)
        } else {
            Err(Bail)
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // Inside a newtype variant ron keeps its flag through `Some`; and `Some(...)` itself
        // turns the flag on: both are left to ron.
        if self.newtype_variant || self.eat_word("Some") {
            return Err(Bail);
        }
        if self.eat_word("None") { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.newtype_variant = false;
        self.open(b'[')?;
        let value = visitor.visit_seq(Separated { r: &mut *self, close: b']', had_comma: true })?;
        self.ws()?;
        self.close(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.newtype_variant = false;
        self.open(b'{')?;
        let value = visitor.visit_map(Separated { r: &mut *self, close: b'}', had_comma: true })?;
        self.ws()?;
        self.close(b'}')?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // ron reads `Range`-like structs from `a..b`; the design file has none.
        if name.starts_with("Range") {
            return Err(Bail);
        }
        if self.newtype_variant {
            // `Variant(field: ..)`: the variant's parentheses are the struct's.
            self.newtype_variant = false;
            return self.fields(visitor);
        }
        if self.at_ident() && self.ident()? != name {
            return Err(Bail);
        }
        self.ws()?;
        self.open(b'(')?;
        let value = self.fields(visitor)?;
        self.ws()?;
        self.close(b')')?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.newtype_variant = false;
        visitor.visit_enum(self)
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod agreement;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::read;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Point {
        x: f64,
        #[serde(default)]
        n: Option<u32>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Dot,
        At(Point),
        Named(String),
        Box { w: f64 },
    }

    #[test]
    fn reads_the_subset_and_leaves_the_rest_to_ron() {
        assert_eq!(read::<Point>("Point(x: 1.5, n: 3)"), Some(Point { x: 1.5, n: Some(3) }));
        assert_eq!(read::<Point>("// c\n(x: -2e3,)\n"), Some(Point { x: -2000.0, n: None }));
        assert_eq!(read::<Point>("(x: 1, n: None)"), Some(Point { x: 1.0, n: None }));
        let shapes: Option<Vec<Shape>> = read(r#"[Dot, At(x: 0.5), Named("a b"), Box(w: 2)]"#);
        assert_eq!(
            shapes.unwrap(),
            vec![
                Shape::Dot,
                Shape::At(Point { x: 0.5, n: None }),
                Shape::Named("a b".into()),
                Shape::Box { w: 2.0 }
            ]
        );
        let map: Option<BTreeMap<String, u32>> = read(r#"{ "a": 1, "b": 2, }"#);
        assert_eq!(map.unwrap().len(), 2);
        for outside in [
            "Other(x: 1.0)",
            "(x: 1.0, n: Some(3))",
            "(x: 0x10)",
            "(x: 1.0f64)",
            "(x: 1_0.0)",
            "(x: inf)",
            "(x: .5)",
            "(x: 1.)",
            "(x: +1)",
            "(x: 1.0, n: 1.5)",
            "(x: 1.0, y: 2)",
            "(x: 1.0) trailing",
            "(x: 1.0 n: 2)",
            "/* c */ (x: 1.0)",
            "(x: 1.0) // unclosed",
            "#![enable(implicit_some)] (x: 1.0)",
            "(r#x: 1.0)",
            "(x: 1.0, n: 4294967296)",
        ] {
            assert_eq!(read::<Point>(outside), None, "{outside}");
        }
        for outside in [r#"[Named("a\"b")]"#, r#"[Named(r"x")]"#, "[At(Point(x: 1))]", "[Dot()]"] {
            assert!(read::<Vec<Shape>>(outside).is_none(), "{outside}");
        }
    }
}
