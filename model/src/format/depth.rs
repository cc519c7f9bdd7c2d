//! Nesting depth bounded at the door (issue 18).
//!
//! Parsers and the error locator ([`super::locate`]) descend one stack frame or more per level of
//! brackets, so a file of 50,000 nested `[` could overflow the stack of the thread that reads it
//! (the fuzz loop found this in plans and scenarios). [`check_nesting`] scans the text once,
//! without recursion, before any parser sees it, and refuses a file nested deeper than
//! [`MAX_NESTING`] at the bracket that goes one level too deep. It reads strings (with escapes),
//! raw strings, character literals and comments (`//`, nested `/* */`) as RON does, so a bracket
//! inside them does not count.

use std::path::Path;

use super::error::LoadError;
use super::locate;

/// The deepest nesting of `(`, `[` and `{` accepted in any input file (design, scenario, plan,
/// policy, price snapshot, imported template). Shipped files nest at most 10 levels (the catalog); RON's own
/// recursion limit is 128.
pub const MAX_NESTING: usize = 64;

/// The byte offset of the first bracket in `text` that opens level `max + 1`, if any.
pub fn too_deep_at(text: &str, max: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    loop {
        // Most bytes mean nothing here: a tight loop steps over them (the `match` cost about ten
        // instructions a byte, a sixth of loading a large design).
        let rest = b.get(i..).unwrap_or_default();
        i += rest.iter().position(|&c| SPECIAL[usize::from(c)]).unwrap_or(rest.len());
        let &c = b.get(i)?;
        match c {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'"' | b'\'' => i = skip_quoted(b, i),
            b'r' | b'b' if !b.get(i.wrapping_sub(1)).is_some_and(|&p| is_ident(p)) => {
                i = skip_raw_or_byte_string(b, i);
            }
            _ => i += 1,
        }
    }
}

/// The bytes [`too_deep_at`] looks at: brackets, the start of a comment, a string or a
/// character, and the `r`/`b` that may start a raw or byte string.
const SPECIAL: [bool; 256] = locate::byte_table(b"([{)]}/\"'rb");

/// Refuses `text` (the contents of the file at `path`) when it nests deeper than
/// [`MAX_NESTING`], with an error at the bracket that goes too deep.
pub fn check_nesting(text: &str, path: &Path) -> Result<(), LoadError> {
    match too_deep_at(text, MAX_NESTING) {
        None => Ok(()),
        Some(offset) => {
            let lc = locate::line_col(text, offset);
            Err(LoadError {
                file: path.to_owned(),
                line: lc.line,
                col: lc.col,
                message: format!(
                    "nested more than {MAX_NESTING} levels deep (brackets, parentheses and braces); \
                     no Meridian file needs more than a few"
                ),
                field: None,
            })
        }
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// At `/*`: the offset after the matching `*/` (comments nest, as in RON), or the end.
fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < b.len() {
        if b[i..].starts_with(b"/*") {
            level += 1;
            i += 2;
        } else if b[i..].starts_with(b"*/") {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// At `"` or `'`: the offset after the closing quote (escapes skipped), or the end.
fn skip_quoted(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let mut j = i + 1;
    while let Some(&c) = b.get(j) {
        if c == b'\\' {
            j += 2;
        } else if c == quote {
            return j + 1;
        } else {
            j += 1;
        }
    }
    b.len()
}

/// At `r` or `b`: past a raw string `r#"..."#`, a byte string `b"..."` or raw byte string
/// `br"..."`; one byte on when it is neither (an identifier).
fn skip_raw_or_byte_string(b: &[u8], i: usize) -> usize {
    let mut j = i;
    if b.get(j) == Some(&b'b') {
        j += 1;
        if b.get(j) == Some(&b'"') {
            return skip_quoted(b, j);
        }
    }
    if b.get(j) != Some(&b'r') {
        return i + 1;
    }
    j += 1;
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    j += hashes;
    if b.get(j) != Some(&b'"') {
        return i + 1;
    }
    j += 1;
    while j < b.len() {
        if b[j] == b'"' && b.len() >= j + 1 + hashes && b[j + 1..j + 1 + hashes].iter().all(|&c| c == b'#') {
            return j + 1 + hashes;
        }
        j += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn counts_brackets_of_every_kind_and_points_at_the_one_too_deep() {
        assert_eq!(too_deep_at("([{}])", 3), None);
        assert_eq!(too_deep_at("([{[]}])", 3), Some(3));
        assert_eq!(too_deep_at("()()()()", 1), None);
    }

    #[test]
    fn brackets_in_strings_comments_and_characters_do_not_count() {
        let text =
            "(a: \"[[[\\\"[[\", b: r#\"[[\"[[\"#, c: '[', d: b\"[[\", // [[[\n /* [[ /* [[ */ [[ */ e: [])";
        assert_eq!(too_deep_at(text, 2), None);
        assert_eq!(too_deep_at("(bar: [])", 2), None);
        assert_eq!(too_deep_at("(r: [[]])", 2), Some(5));
    }

    #[test]
    fn fifty_thousand_levels_are_refused_at_the_first_bracket_too_deep() {
        let text = format!("Plan(name: \"deep\",\n designs: {}{})", "[".repeat(50_000), "]".repeat(50_000));
        let err = check_nesting(&text, Path::new("deep.ron")).unwrap_err();
        assert_eq!((err.line, err.col), (2, 11 + MAX_NESTING - 1));
        assert!(err.message.contains("nested more than 64 levels"), "{}", err.message);
    }
}
