//! Citations: every figure the catalog ships names where it came from and when.

use serde::{Deserialize, Serialize};

/// A public document a figure was taken from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short key other entries cite, e.g. `"ec2-sla"`.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Where it is published.
    pub url: String,
    /// The date the figure was read from it (ISO 8601, `YYYY-MM-DD`).
    pub as_of: String,
}

/// A value together with the key of the [`Source`] it came from, and an optional note on how it was derived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited<T> {
    /// The value.
    pub value: T,
    /// Key of the [`Source`] in the catalog's source list.
    pub source: String,
    /// How the value was derived from the source, when it is not read off directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
