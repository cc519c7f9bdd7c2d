//! The one rule for text a user writes (names, descriptions, tags, labels), wherever it comes
//! from: designs, scenarios, plans, policies, the designer.

/// Checks text a user wrote: at most `max` characters and no control characters (terminal escapes,
/// NUL); `multiline` text may also hold line breaks and tabs. The message quotes no more than the
/// start of the text. The one rule for names and free text wherever they come from (designs,
/// scenarios, plans, the designer).
///
/// # Errors
/// Why the text is refused, naming no field.
pub fn check_text(value: &str, max: usize, multiline: bool) -> Result<(), String> {
    let len = value.chars().count();
    if len > max {
        let start: String = value.chars().take(20).collect();
        return Err(format!(
            "`{}…` is {len} characters long; at most {max} are allowed",
            start.escape_debug()
        ));
    }
    if let Some(c) = value.chars().find(|&c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')) {
        return Err(format!(
            "contains the bidirectional override `{}`, which makes text show in another order than it reads",
            c.escape_unicode()
        ));
    }
    if let Some(c) =
        value.chars().find(|&c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        let what = if multiline { "text" } else { "a name is one line of text and" };
        return Err(format!(
            "contains the control character `{}`; {what} may not hold control characters",
            c.escape_unicode()
        ));
    }
    Ok(())
}
