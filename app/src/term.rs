//! Terminal safety: everything the command line prints goes through [`escape`], so ids, names and
//! file text quoted in messages cannot move the cursor, recolour the terminal, set its title or
//! reorder what is shown (issue 18). The `out!`, `outln!` and `errln!` macros are the printers
//! of every subcommand; they format, escape and print.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every character a terminal would act on written as a visible escape (`\u{1b}`):
/// control characters (C0 except newline and tab, DEL, C1) and the bidirectional overrides and
/// isolates (U+202A to U+202E, U+2066 to U+2069) that reorder what is shown. Text without them is
/// returned as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if acts_on_terminal(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes `text` (escaped by [`escape`]) to standard output. A reader that went away (`meridian
/// cost | head`) ends the process quietly with exit code 0, as `cat` and ripgrep do, instead of the
/// panic `print!` gives on a broken pipe; any other write error is reported once on standard error.
pub fn write_out(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(escape(text).as_bytes()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: writing to standard output: {e}");
        std::process::exit(3);
    }
}

/// Writes `text` (escaped by [`escape`]) to standard error; a failing standard error is ignored
/// (there is nowhere left to report it).
pub fn write_err(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(escape(text).as_bytes());
}

/// `print!` with the text escaped by [`escape`]; a closed pipe ends the process quietly.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::term::write_out(&format!($($arg)*)) };
}

/// `println!` with the text escaped by [`escape`]; a closed pipe ends the process quietly.
#[macro_export]
macro_rules! outln {
    () => { $crate::term::write_out("\n") };
    ($($arg:tt)*) => { $crate::term::write_out(&format!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` with the text escaped by [`escape`].
#[macro_export]
macro_rules! errln {
    () => { $crate::term::write_err("\n") };
    ($($arg:tt)*) => { $crate::term::write_err(&format!("{}\n", format_args!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_made_visible() {
        assert_eq!(escape("api\u{1b}[2Jx"), "api\\u{1b}[2Jx");
        assert_eq!(escape("a\rb\u{7}c\u{9b}d"), "a\\u{d}b\\u{7}c\\u{9b}d");
        assert_eq!(escape("evil\u{202e}cod.exe"), "evil\\u{202e}cod.exe");
        assert!(matches!(escape("plain\ttext\nwith lines, ü and 東京"), Cow::Borrowed(_)));
    }
}
