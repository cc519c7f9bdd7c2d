//! [`SharedStr`]: an immutable string shared by reference count, for the bill's repeated texts
//! (region codes, dimensions, units, sources, dates), and [`Interner`], which hands out one
//! shared copy per distinct text while a bill is built.
//!
//! A bill of 1,000 services has about a thousand lines that repeat a few dozen texts; owning a
//! `String` each cost eight allocations a line, a third of the bill's time. Cloning a
//! [`SharedStr`] is a reference-count increment.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::{Serialize, Serializer};

/// An immutable, cheaply cloned string; compares, orders, hashes, prints and serialises as the
/// text it holds.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedStr {
    /// The text, padded and aligned as the format asks (`{:<12}`), as `str` is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(Arc::from(s))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(Arc::from(s))
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == *other.0
    }
}

/// One [`SharedStr`] per distinct text.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    texts: FxHashSet<SharedStr>,
}

impl Interner {
    /// An interner with room for `n` texts before it grows (a bill has a few dozen).
    pub fn with_capacity(n: usize) -> Self {
        Interner { texts: FxHashSet::with_capacity_and_hasher(n, rustc_hash::FxBuildHasher) }
    }

    /// The shared copy of `s`, made on first use.
    pub fn get(&mut self, s: &str) -> SharedStr {
        if let Some(k) = self.texts.get(s) {
            return k.clone();
        }
        let k = SharedStr::from(s);
        self.texts.insert(k.clone());
        k
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_shared_str_behaves_as_its_text() {
        let a = SharedStr::from("eu-west-1");
        assert_eq!(a, "eu-west-1");
        assert_eq!(a.to_string(), "eu-west-1");
        assert_eq!(format!("{a:<11}|{a:>10}|{a:.2}"), "eu-west-1  | eu-west-1|eu");
        assert_eq!(format!("{a:?}"), "\"eu-west-1\"");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"eu-west-1\"");
        let (a, b) = (SharedStr::from("a"), SharedStr::from("b"));
        assert!(a < b);
    }

    #[test]
    fn the_interner_hands_out_one_copy_per_text() {
        let mut i = Interner::default();
        let a = i.get("GB");
        let b = i.get("GB");
        let c = i.get("GB-month");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(!Arc::ptr_eq(&a.0, &c.0));
        assert_eq!(c, "GB-month");
    }
}
