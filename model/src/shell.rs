//! Shell command lines in what Meridian generates for people and machines to run: the steps of
//! an export's `DEPLOY.md` and the scripts of `meridian batch --emit`.
//!
//! Every value that reaches such a command line goes through [`word`] (or [`command`], which
//! quotes each word): `shlex`'s POSIX quoting, so a value is one argument whatever it holds
//! (quotes, `$()`, backticks, `;`, spaces, non-ASCII letters). Control characters are refused
//! rather than quoted: a newline or an escape sequence inside a quoted word is faithful to `sh`,
//! but a person pasting the line into a terminal gets it interpreted by the terminal, and bidi
//! overrides make a line read differently from what runs. A value shown in a `#` comment goes
//! through [`comment`] instead, which cannot end the comment.

use std::borrow::Cow;

/// Why a value cannot be put on a shell command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// The value holds a control character (or a bidirectional override), shown escaped.
    #[error("`{shown}` contains the control character {ch:?}, which a shell command line must not carry")]
    Control {
        /// The value, with control characters escaped.
        shown: String,
        /// The first offending character.
        ch: char,
    },
}

/// Whether `c` may not appear on a generated command line: C0 and C1 controls, DEL, and the
/// Unicode bidirectional embeddings, overrides and isolates.
fn forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `value` as one shell word, quoted when it needs to be (`alb-use1` stays as it is,
/// `it's $HOME` becomes quoted text that `sh` reads back as the value).
pub fn word(value: &str) -> Result<Cow<'_, str>, ShellError> {
    if let Some(ch) = value.chars().find(|c| forbidden(*c)) {
        return Err(ShellError::Control { shown: comment(value), ch });
    }
    // No control character is left, so no NUL: shlex's only error cannot happen; report it as
    // the control character it would be.
    shlex::try_quote(value).map_err(|_| ShellError::Control { shown: comment(value), ch: '\0' })
}

/// A command line of `words`, each quoted with [`word`] and separated by one space.
pub fn command<'a, I>(words: I) -> Result<String, ShellError>
where
    I: IntoIterator<Item = &'a str>,
{
    let quoted: Vec<Cow<'a, str>> = words.into_iter().map(word).collect::<Result<_, _>>()?;
    Ok(quoted.join(" "))
}

/// `text` made safe inside a `#` comment or a Markdown line: control characters and bidi
/// overrides escaped as `\n`, `\u{1b}`, so the comment cannot end early or hide text.
pub fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_as_they_are() {
        assert_eq!(word("alb-use1").unwrap(), "alb-use1");
        assert_eq!(word("results/run_1:a@b+c").unwrap(), "results/run_1:a@b+c");
    }

    #[test]
    fn special_words_are_quoted_and_empty_is_two_quotes() {
        assert_eq!(word("").unwrap(), "''");
        assert_eq!(word("a b").unwrap(), "'a b'");
        for value in ["'; touch PWNED; '", "$(touch PWNED)", "`id`", "a\"b\\c", "π ü", "!^*?[]{},#~=%"] {
            let quoted = word(value).unwrap();
            assert_ne!(quoted, value, "{value} is quoted");
            assert_eq!(shlex::split(&quoted), Some(vec![value.to_owned()]), "{quoted} reads back as {value}");
        }
        assert_eq!(command(["aws", "--tags", "k=v w"]).unwrap(), "aws --tags 'k=v w'");
    }

    #[test]
    fn control_characters_are_refused_with_the_value_escaped() {
        let e = word("a\nb").unwrap_err();
        assert_eq!(e, ShellError::Control { shown: "a\\nb".into(), ch: '\n' });
        assert!(word("x\u{1b}[2J").is_err());
        assert!(word("\u{202e}evil").is_err());
        assert!(word("nul\0").is_err());
        assert!(command(["ok", "bad\r"]).is_err());
    }

    #[test]
    fn comments_cannot_end_early() {
        assert_eq!(comment("plan\n rm -rf /"), "plan\\n rm -rf /");
        assert_eq!(comment("é ünïcode"), "é ünïcode");
    }
}
