//! AWS's rules for resource tags, in one place: the loader refuses what no AWS service accepts
//! (a key or value starting with `aws:`, two keys the export would write alike), `meridian
//! validate` warns about characters some services refuse, and the export writes every tag
//! through [`aws_text`].
//!
//! Source: "Tag naming limits and requirements" in the AWS user guides and API references (Batch,
//! ECS, EMR, Personalize; as of 2026-12-05), e.g.
//! <https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html>: generally allowed
//! are letters, numbers and spaces representable in UTF-8 and the characters `+ - = . _ : / @`;
//! `aws:` in any case is not to be used as a prefix of keys or values. Some services take more
//! characters (EC2 takes any); the export keeps to this common set so one tag map fits every
//! resource of a design. (DynamoDB's developer guide lists the set without `@`, its API reference
//! gives no pattern; `@` is kept, as in the S3 and most other APIs' `Tag` pattern
//! `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`.)

use std::collections::{BTreeMap, HashMap};

/// The longest tag key and tag value, in characters: AWS's limits for resource tags.
pub const MAX_TAG_KEY_CHARS: usize = 128;
/// See [`MAX_TAG_KEY_CHARS`].
pub const MAX_TAG_VALUE_CHARS: usize = 256;

/// The most tags a service may have: AWS's limit of 50 user tags per resource.
pub const MAX_TAGS: usize = 50;

/// The characters besides letters, numbers and spaces that AWS services generally accept in tag
/// keys and values.
pub const PUNCTUATION: &str = "_.:/=+-@";

/// The accepted set as messages name it.
pub const ACCEPTED: &str = "letters, numbers, spaces and _ . : / = + - @";

/// Whether AWS services generally accept `c` in a tag key or value.
pub fn accepted(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || PUNCTUATION.contains(c)
}

/// The characters of `text` outside the generally accepted set, each once, in order of first use.
pub fn refused_chars(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars().filter(|&c| !accepted(c)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Whether `text` starts with `aws:` in any mix of cases, the prefix AWS keeps for its own tags.
pub fn reserved(text: &str) -> bool {
    text.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// `text` as the export writes it in a tag: each character outside the generally accepted set
/// becomes `-`, and a leading `aws:` becomes `aws-` (the loader refuses that prefix in a user's
/// tag; the design's name, which the export writes as the `meridian:design` tag, may hold it).
pub fn aws_text(text: &str) -> String {
    let mut out: String = text.chars().map(|c| if accepted(c) { c } else { '-' }).collect();
    if reserved(&out) {
        out.replace_range(3..4, "-");
    }
    out
}

/// Checks a service's tags: at most [`MAX_TAGS`], keys of 1 to [`MAX_TAG_KEY_CHARS`]
/// and values of at most [`MAX_TAG_VALUE_CHARS`] characters of one line, no key or value
/// with the reserved prefix, no two keys [`aws_text`] writes alike.
///
/// # Errors
/// The field path of the first tag refused (`tags.KEY` or `tags`) and why.
pub fn check(tags: &BTreeMap<String, String>) -> Result<(), (String, String)> {
    use crate::text::check_text;
    if tags.len() > MAX_TAGS {
        return Err((
            "tags".into(),
            format!("{} tags; AWS allows at most {MAX_TAGS} on a resource", tags.len()),
        ));
    }
    let mut exported: HashMap<String, &str> = HashMap::new();
    for (key, value) in tags {
        let field = self::field(key);
        if key.trim().is_empty() {
            return Err(("tags".into(), "tag keys must not be empty".into()));
        }
        check_text(key, MAX_TAG_KEY_CHARS, false).map_err(|why| (field.clone(), why))?;
        check_text(value, MAX_TAG_VALUE_CHARS, false).map_err(|why| (field.clone(), why))?;
        for (what, t) in [("key", key), ("value", value)] {
            if let Some(prefix) = t.get(..4).filter(|_| reserved(t)) {
                return Err((
                    field,
                    format!(
                        "a tag {what} may not start with `{prefix}`: AWS keeps the `aws:` prefix for its own tags"
                    ),
                ));
            }
        }
        if let Some(other) = exported.insert(aws_text(key), key) {
            return Err((
                field,
                format!(
                    "tag keys `{other}` and `{key}` would both be exported as `{}` (AWS tags take {ACCEPTED}; \
                     the export writes `-` for other characters); rename one",
                    aws_text(key),
                ),
            ));
        }
    }
    Ok(())
}

/// The field path of one tag, for messages: `tags.KEY` when the locator can follow the key to
/// its line, else `tags` (a key holding `.`, `[` or `]` would read as a longer path).
pub fn field(key: &str) -> String {
    if key.is_empty() || key.contains(['.', '[', ']']) { "tags".to_owned() } else { format!("tags.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_form_keeps_accepted_text_and_replaces_the_rest() {
        assert_eq!(aws_text("team"), "team");
        assert_eq!(aws_text("Zürich ops: a+b=c/d@e_f.g-h"), "Zürich ops: a+b=c/d@e_f.g-h");
        assert_eq!(aws_text("'; touch PWNED; '"), "-- touch PWNED- -");
        assert_eq!(aws_text("$(x) `y` \\"), "--x- -y- -");
        assert_eq!(aws_text("AWS:billing"), "AWS-billing");
        assert_eq!(aws_text("aws"), "aws");
        assert_eq!(aws_text(""), "");
    }

    #[test]
    fn refused_characters_are_listed_once_in_order() {
        assert_eq!(refused_chars("a;b'c;d"), vec![';', '\'']);
        assert!(refused_chars("cost-centre 42").is_empty());
    }

    #[test]
    fn the_reserved_prefix_is_found_in_any_case_and_only_at_the_start() {
        assert!(reserved("aws:x") && reserved("AwS:") && reserved("AWS:cloudformation"));
        assert!(!reserved("aws") && !reserved("my aws:x") && !reserved("awsx:") && !reserved("é"));
    }

    #[test]
    fn a_key_the_locator_can_follow_names_its_tag() {
        assert_eq!(field("team"), "tags.team");
        assert_eq!(field("cost centre"), "tags.cost centre");
        assert_eq!(field("a.b"), "tags");
        assert_eq!(field("x[0]"), "tags");
    }
}
