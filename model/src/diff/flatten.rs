//! An entity as a list of leaf fields: `(path, value)` pairs such as `("config.count", "2")`,
//! made by serialising it with serde, so that every field of every entity (and any field added
//! later) is compared without a hand-written list.
//!
//! Paths follow the file format's field names: struct fields are `a.b`, map entries `tags.team`,
//! sequence elements `links[2]`; a sequence of plain values is one leaf `[a, b]`. Enum variants
//! read as in the file: a unit variant is its name (`Primary`), a newtype variant around a plain
//! value is `Region(us-east-1)`, and one around a struct, or a struct variant, is a leaf holding the
//! variant's name with the fields beside it (`policy` = `Failover`, `policy.role` = `Primary`).
//! An absent optional field produces no leaf.

use std::fmt::Display;

use serde::ser::{self, Serialize};

/// The leaves of `value`, in serialisation order. A value serde cannot write (none in the
/// design) is one leaf holding the error's text, so a comparison still shows something.
pub(crate) fn leaves<T: Serialize + ?Sized>(value: &T) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Err(e) = value.serialize(Flat { path: String::new(), out: &mut out }) {
        out.push((String::new(), format!("<{e}>")));
    }
    out
}

/// Why a value could not be flattened (a serde impl reported an error).
#[derive(Debug)]
pub(crate) struct FlatError(String);

impl Display for FlatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FlatError {}

impl ser::Error for FlatError {
    fn custom<T: Display>(msg: T) -> Self {
        FlatError(msg.to_string())
    }
}

/// Writes the leaves of one value at `path`.
struct Flat<'a> {
    path: String,
    out: &'a mut Vec<(String, String)>,
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") }
}

impl<'a> Flat<'a> {
    // Returns a `Result` so that serde's methods can end with it.
    #[allow(clippy::unnecessary_wraps)]
    fn leaf(self, value: impl Display) -> Result<(), FlatError> {
        self.out.push((self.path, value.to_string()));
        Ok(())
    }

    fn compound(self, kind: Kind, variant: Option<&'static str>) -> Compound<'a> {
        if let Some(v) = variant {
            self.out.push((self.path.clone(), v.to_owned()));
        }
        let start = self.out.len();
        Compound { path: self.path, out: self.out, kind, start, index: 0, key: None }
    }
}

macro_rules! scalar {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), FlatError> { self.leaf(v) })*
    };
}

impl<'a> ser::Serializer for Flat<'a> {
    type Ok = ();
    type Error = FlatError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    scalar!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str,
    );

    fn serialize_bytes(self, v: &[u8]) -> Result<(), FlatError> {
        self.leaf(format!("{v:?}"))
    }
    fn serialize_none(self) -> Result<(), FlatError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FlatError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FlatError> {
        self.leaf("()")
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), FlatError> {
        self.leaf(name)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), FlatError> {
        self.leaf(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        let mut inner = Vec::new();
        value.serialize(Flat { path: self.path.clone(), out: &mut inner })?;
        match inner.as_slice() {
            [(p, v)] if *p == self.path => self.leaf(format!("{variant}({v})")),
            _ => {
                self.out.push((self.path, variant.to_owned()));
                self.out.append(&mut inner);
                Ok(())
            }
        }
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Seq, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Seq, None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Seq, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Seq, Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Map, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Struct, None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Kind::Struct, Some(variant)))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Seq,
    Map,
    Struct,
}

/// A sequence, map or struct being flattened.
struct Compound<'a> {
    path: String,
    out: &'a mut Vec<(String, String)>,
    kind: Kind,
    /// Index in `out` of the first leaf of this compound.
    start: usize,
    /// Next element index (sequences).
    index: usize,
    /// The pending key (maps).
    key: Option<String>,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        let path = format!("{}[{}]", self.path, self.index);
        self.index += 1;
        value.serialize(Flat { path, out: self.out })
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), FlatError> {
        value.serialize(Flat { path: join(&self.path, name), out: self.out })
    }

    // Returns a `Result` so that serde's `end` methods can end with it.
    #[allow(clippy::unnecessary_wraps)]
    fn finish(self) -> Result<(), FlatError> {
        if self.kind != Kind::Seq {
            return Ok(());
        }
        // A sequence whose elements are each one plain leaf reads best as one leaf `[a, b]`.
        let items = &self.out[self.start..];
        let plain = items.len() == self.index
            && items.iter().enumerate().all(|(i, (p, _))| *p == format!("{}[{i}]", self.path));
        if plain {
            let values: Vec<String> = self.out.drain(self.start..).map(|(_, v)| v).collect();
            self.out.push((self.path, format!("[{}]", values.join(", "))));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FlatError> {
        let parts = leaves(key);
        let text: Vec<String> = parts.into_iter().map(|(_, v)| v).collect();
        self.key = Some(text.join(","));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{FailoverRole, RoutingPolicy};
    use crate::design::{Placement, ServiceConfig};

    #[test]
    fn fields_variants_and_plain_sequences_become_leaves() {
        let config =
            ServiceConfig { count: 2, azs: vec!["a".into(), "b".into()], ..ServiceConfig::default() };
        assert_eq!(leaves(&config), [("count".to_owned(), "2".to_owned()), ("azs".into(), "[a, b]".into())]);
        let region = Placement::Region(crate::RegionId::new("us-east-1"));
        assert_eq!(leaves(&region), [(String::new(), "Region(us-east-1)".to_owned())]);
        let failover = RoutingPolicy::Failover { role: FailoverRole::Primary };
        assert_eq!(
            leaves(&failover),
            [(String::new(), "Failover".to_owned()), ("role".into(), "Primary".into())]
        );
    }
}
