//! Fractions for people: percentages with four decimals (see [`Percent`]).

use std::fmt;

/// A fraction (0 to 1) as a percentage with four decimals (`99.9993%`): enough to tell 99.99%
/// from 99.999%, for availability and the half-width of its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Percent(pub f64);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.4}%", self.0 * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_decimals_show_the_nines() {
        assert_eq!(Percent(0.999_993).to_string(), "99.9993%");
        assert_eq!(Percent(0.828_767).to_string(), "82.8767%");
        assert_eq!(Percent(0.0).to_string(), "0.0000%");
        assert_eq!(Percent(1.0).to_string(), "100.0000%");
    }
}
