//! Escaping of text for HTML and SVG (both XML-like): the five characters that can end a text
//! node or an attribute value are replaced by entities.
//!
//! Every piece of text the report takes from a design, a scenario or a price snapshot goes
//! through [`escape`] before it is written, in element content and in attribute values alike.

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, safe in element content and in
/// quoted attribute values of HTML and SVG.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML 1.0 (SVG).
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn the_five_special_characters_become_entities() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn plain_and_unicode_text_is_unchanged() {
        assert_eq!(escape("Zürich – São Paulo 東京"), "Zürich – São Paulo 東京");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn entities_are_escaped_again_not_passed_through() {
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a\u{FFFD}b\u{FFFD}c\nd");
    }

    proptest::proptest! {
        #[test]
        fn escaped_text_has_no_markup_characters(s in ".*") {
            let e = escape(&s);
            proptest::prop_assert!(!e.contains(['<', '>', '"', '\'']));
            // Every `&` starts one of our entities.
            for (i, _) in e.match_indices('&') {
                let rest = &e[i..];
                proptest::prop_assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|x| rest.starts_with(x)));
            }
        }
    }
}
