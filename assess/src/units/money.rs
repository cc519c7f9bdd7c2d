//! Money for people: US dollars with one cents rule (see [`Usd`]).

use std::fmt;

/// An amount of US dollars: below $100 in cents (`$4.12`); from $100 in whole dollars with
/// thousands separators (`$3,440`), figures to compare rather than to invoice; a negative amount
/// with a leading minus (`-$12.50`); an amount that rounds to zero is `$0.00`, never `-$0.00`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Usd(pub f64);

impl Usd {
    /// Whole dollars with thousands separators whatever the amount (`$1,000`, `$0`), for chart
    /// axes, whose ticks are round numbers.
    pub fn whole(self) -> String {
        let whole = self.0.round();
        let sign = if whole < 0.0 { "-" } else { "" };
        format!("{sign}${}", grouped(whole.abs() as u64))
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v.abs() < 100.0 {
            let cents = (v * 100.0).round() as i64;
            let sign = if cents < 0 { "-" } else { "" };
            let cents = cents.unsigned_abs();
            write!(f, "{sign}${}.{:02}", cents / 100, cents % 100)
        } else {
            f.write_str(&self.whole())
        }
    }
}

/// Digits with a comma every three from the right.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(v: f64) -> String {
        Usd(v).to_string()
    }

    #[test]
    fn dollars_round_to_whole_dollars_with_separators_from_a_hundred() {
        assert_eq!(usd(1_234_567.4), "$1,234,567");
        assert_eq!(usd(999.5), "$1,000");
        assert_eq!(usd(3440.2), "$3,440");
        assert_eq!(usd(100.0), "$100");
        assert_eq!(usd(-1234.5), "-$1,235");
    }

    #[test]
    fn dollars_below_a_hundred_keep_their_cents() {
        assert_eq!(usd(4.123), "$4.12");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(-0.001), "$0.00");
        assert_eq!(usd(-12.5), "-$12.50");
        assert_eq!(usd(99.994), "$99.99");
    }

    #[test]
    fn the_report_page_follows_the_one_rule() {
        // Until issue 13 the report page always printed cents ("$1,234.57", "$1,000,000.00")
        // while the compare table and the designer did not; from $100 all now print whole dollars.
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(1234.567), "$1,235");
        assert_eq!(usd(1_000_000.0), "$1,000,000");
        assert_eq!(usd(-12.5), "-$12.50");
    }

    #[test]
    fn whole_dollars_for_axes() {
        assert_eq!(Usd(0.0).whole(), "$0");
        assert_eq!(Usd(12_500.0).whole(), "$12,500");
    }
}
