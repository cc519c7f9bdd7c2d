//! Durations as integer microseconds, written in files as `"90s"`, `"2h"`, `"1h30m"`, `"1y"`.
//!
//! The simulator runs on integer time, so every duration in a design is exact.
//! A year is 365.25 days (a Julian year, so that availability per year averages over leap
//! years); a month ([`TimeSpan::MONTH`]) is 730 hours as AWS bills it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative duration in whole microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeSpan {
    micros: u64,
}

/// Why a duration string does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a duration: {why} (write e.g. \"250ms\", \"30s\", \"5m\", \"2h\", \"1h30m\", \"30d\", \"1y\")"
)]
pub struct TimeSpanError {
    text: String,
    why: &'static str,
}

/// Units accepted in duration strings, largest first, with their length in microseconds.
const UNITS: [(&str, u64); 8] = [
    ("y", 36_525 * 864_000_000),
    ("w", 7 * 86_400_000_000),
    ("d", 86_400_000_000),
    ("h", 3_600_000_000),
    ("m", 60_000_000),
    ("s", 1_000_000),
    ("ms", 1_000),
    ("us", 1),
];

impl TimeSpan {
    /// Zero time.
    pub const ZERO: Self = Self { micros: 0 };
    /// One second.
    pub const SECOND: Self = Self::from_secs(1);
    /// One hour.
    pub const HOUR: Self = Self::from_secs(3600);
    /// One billing month: 730 hours.
    pub const MONTH: Self = Self::from_secs(730 * 3600);
    /// One year: 365.25 days.
    pub const YEAR: Self = Self::from_secs(36_525 * 864);

    /// A span of whole microseconds.
    pub const fn from_micros(micros: u64) -> Self {
        Self { micros }
    }

    /// A span of whole milliseconds.
    pub const fn from_millis(millis: u64) -> Self {
        Self { micros: millis * 1_000 }
    }

    /// A span of whole seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Self { micros: secs * 1_000_000 }
    }

    /// A span from fractional seconds, rounded to the nearest microsecond; negative and NaN give zero.
    pub fn from_secs_f64(secs: f64) -> Self {
        if secs.is_nan() || secs <= 0.0 {
            return Self::ZERO;
        }
        let micros = (secs * 1e6).round();
        Self { micros: if micros >= u64::MAX as f64 { u64::MAX } else { micros as u64 } }
    }

    /// Length in microseconds.
    pub const fn as_micros(self) -> u64 {
        self.micros
    }

    /// Length in seconds.
    pub fn as_secs_f64(self) -> f64 {
        self.micros as f64 / 1e6
    }

    /// Length in hours.
    pub fn as_hours_f64(self) -> f64 {
        self.micros as f64 / 3.6e9
    }
}

impl FromStr for TimeSpan {
    type Err = TimeSpanError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |why| TimeSpanError { text: text.to_owned(), why };
        let s = text.trim();
        if s.is_empty() {
            return Err(err("it is empty"));
        }
        let mut rest = s;
        let mut total: f64 = 0.0;
        // Units seen so far: `1y1y` is a slip, not two years.
        let mut seen = [false; UNITS.len()];
        while !rest.is_empty() {
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .ok_or_else(|| err("a number needs a unit"))?;
            if num_len == 0 {
                return Err(err("expected a number"));
            }
            let value: f64 = rest[..num_len].parse().map_err(|_| err("bad number"))?;
            rest = rest[num_len..].trim_start();
            let unit_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
            let unit = match &rest[..unit_len] {
                "min" => "m",
                "sec" => "s",
                "hr" => "h",
                "µs" => "us",
                u => u,
            };
            let k = UNITS.iter().position(|(name, _)| *name == unit).ok_or_else(|| err("unknown unit"))?;
            if std::mem::replace(&mut seen[k], true) {
                return Err(err("a unit is given twice"));
            }
            let (_, scale) = UNITS[k];
            total += value * (scale as f64);
            rest = rest[unit_len..].trim_start();
        }
        if !total.is_finite() || total >= u64::MAX as f64 {
            return Err(err("it is too long"));
        }
        Ok(Self { micros: total.round() as u64 })
    }
}

impl fmt::Display for TimeSpan {
    /// Writes the span exactly, in the largest units that divide it (`5400s` is written `1h30m`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.micros == 0 {
            return f.write_str("0s");
        }
        // Prefer a single unit when one divides exactly (e.g. "90m" rather than "1h30m").
        for (name, scale) in UNITS {
            if self.micros.is_multiple_of(scale) && self.micros / scale < 1000 {
                return write!(f, "{}{name}", self.micros / scale);
            }
        }
        let mut rest = self.micros;
        for (name, scale) in UNITS {
            if rest >= scale {
                write!(f, "{}{name}", rest / scale)?;
                rest %= scale;
            }
        }
        Ok(())
    }
}

impl Serialize for TimeSpan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeSpan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_compounds() {
        assert_eq!("30s".parse::<TimeSpan>(), Ok(TimeSpan::from_secs(30)));
        assert_eq!("1h30m".parse::<TimeSpan>(), Ok(TimeSpan::from_secs(5400)));
        assert_eq!("1.5h".parse::<TimeSpan>(), Ok(TimeSpan::from_secs(5400)));
        assert_eq!("250ms".parse::<TimeSpan>(), Ok(TimeSpan::from_millis(250)));
        assert_eq!("1y".parse::<TimeSpan>(), Ok(TimeSpan::YEAR));
        assert_eq!("2 min".parse::<TimeSpan>(), Ok(TimeSpan::from_secs(120)));
        assert!("".parse::<TimeSpan>().is_err());
        assert!("5".parse::<TimeSpan>().is_err());
        assert!("5 parsecs".parse::<TimeSpan>().is_err());
        assert!("-5s".parse::<TimeSpan>().is_err());
        let twice = "1y1y".parse::<TimeSpan>().unwrap_err();
        assert_eq!(twice.why, "a unit is given twice");
        assert!("2m 3min".parse::<TimeSpan>().is_err(), "an alias is the same unit");
        assert!("1y1d".parse::<TimeSpan>().is_ok());
    }

    #[test]
    fn formats_exactly_and_round_trips() {
        for s in ["0s", "30s", "90m", "2h", "1y", "250ms", "36h", "1h1s", "7d"] {
            let t: TimeSpan = s.parse().unwrap();
            assert_eq!(t.to_string().parse::<TimeSpan>().unwrap(), t, "{s}");
        }
        assert_eq!(TimeSpan::from_secs(5400).to_string(), "90m");
        assert_eq!(TimeSpan::from_secs(3601).to_string(), "1h1s");
        assert_eq!(TimeSpan::MONTH.to_string(), "730h");
    }
}
