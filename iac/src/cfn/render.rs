//! A template document as text, in the syntax asked for.

use serde_json::Value;

use crate::bundle::{ExportError, TemplateSyntax};

/// A template document as text.
pub(super) fn render(doc: &Value, syntax: TemplateSyntax, what: &str) -> Result<String, ExportError> {
    match syntax {
        TemplateSyntax::Json => {
            serde_json::to_string_pretty(doc).map(|s| s + "\n").map_err(|e| ExportError::internal(what, e))
        }
        TemplateSyntax::Yaml => serde_yaml_ng::to_string(doc).map_err(|e| ExportError::internal(what, e)),
    }
}
