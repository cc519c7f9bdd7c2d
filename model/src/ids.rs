//! Domain identifiers: the identity of every entity in a design.
//!
//! Ids are short, human-readable strings (`"orders-db-use1"`) so that design files
//! diff cleanly and links read well. A [`RegionId`] is the AWS region code itself.
//! Graph indices never leave [`crate::Design`]; everything else names entities by these ids.

use std::fmt;

use std::sync::Arc;

use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("an id must not be empty")]
    Empty,
    /// The id is longer than [`MAX_ID_LEN`].
    #[error("id `{0}` is longer than {MAX_ID_LEN} characters")]
    TooLong(String),
    /// The id contains a character outside `a-z`, `A-Z`, `0-9`, `-`, `_`, `.`, `:`.
    #[error("id `{id}` contains `{ch}`; ids may use letters, digits, `-`, `_`, `.` and `:`")]
    BadChar {
        /// The offending id.
        id: String,
        /// The first character that is not allowed.
        ch: char,
    },
}

/// The longest id accepted.
pub const MAX_ID_LEN: usize = 64;

/// Checks that `s` is a well-formed id.
pub fn check_id(s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if s.chars().count() > MAX_ID_LEN {
        // Quote the start only: an error never repeats a whole file's worth of text.
        return Err(IdError::TooLong(s.chars().take(MAX_ID_LEN).chain(['…']).collect()));
    }
    if let Some(ch) = s.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))) {
        return Err(IdError::BadChar { id: s.to_owned(), ch });
    }
    Ok(())
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// The text is shared, not copied: cloning an id (into an index, a bill line, a problem)
        /// is a reference-count increment, not an allocation.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Wraps a string as an id without checking it; [`crate::Command`]s check ids when applied.
            pub fn new(s: impl Into<String>) -> Self {
                Self(Arc::from(s.into()))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(Arc::from(s))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(IdVisitor).map(Self)
            }
        }
    };
}

/// Reads an id's text into one shared allocation, from a borrowed or an owned string.
struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Arc<str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Arc<str>, E> {
        Ok(Arc::from(v))
    }
}

string_id!(
    /// Identity of a region in a design: the AWS region code, e.g. `eu-west-1`.
    RegionId
);
string_id!(
    /// Identity of a service in a design, e.g. `orders-db-use1`.
    ServiceId
);
string_id!(
    /// Identity of a link in a design, e.g. `orders-db-repl`.
    LinkId
);
string_id!(
    /// Identity of a user population in a design, e.g. `eu-users`.
    PopulationId
);
string_id!(
    /// Identity of an annotation on the canvas (a note or a group box), e.g. `note-2`.
    AnnotationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_ids_and_rejects_bad_ones() {
        assert!(check_id("orders-db_use1.v2:a").is_ok());
        assert_eq!(check_id(""), Err(IdError::Empty));
        assert!(matches!(check_id("a b"), Err(IdError::BadChar { ch: ' ', .. })));
        assert!(matches!(check_id(&"x".repeat(65)), Err(IdError::TooLong(_))));
    }
}
