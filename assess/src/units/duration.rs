//! Durations for people: one unit rule (see [`Seconds`]).

use std::fmt;

/// How an infinite duration reads: the open upper end of an interval too few samples bound.
pub const UNBOUNDED: &str = "unbounded";

/// A duration in seconds, shown in the unit that reads best: below 1 s whole milliseconds
/// (`250 ms`); below 10 s seconds with one decimal (`1.4 s`); below 2 minutes whole seconds
/// (`85 s`); below 2 hours minutes with one decimal (`44.5 min`); below 3 days hours with one
/// decimal (`8.3 h`); from 3 days whole days (`365 days`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Seconds(pub f64);

impl Seconds {
    /// The same unit as [`Display`](fmt::Display) with `extra` more decimals, for labels that must
    /// tell close values apart (chart axes).
    pub fn with_extra_decimals(self, extra: usize) -> String {
        let s = self.0;
        if s.is_infinite() {
            return UNBOUNDED.to_owned();
        }
        if s < 1.0 {
            format!("{:.*} ms", extra, s * 1e3)
        } else if s < 10.0 {
            format!("{:.*} s", extra + 1, s)
        } else if s < 120.0 {
            format!("{s:.extra$} s")
        } else if s < 7200.0 {
            format!("{:.*} min", extra + 1, s / 60.0)
        } else if s < 3.0 * 86_400.0 {
            format!("{:.*} h", extra + 1, s / 3600.0)
        } else {
            format!("{:.*} days", extra, s / 86_400.0)
        }
    }
}

impl Seconds {
    /// A recovery time (RTO, RPO) at a resolution that fits it: below 1 s whole milliseconds,
    /// below 2 minutes seconds with one decimal (`85.3 s`), below an hour minutes and whole
    /// seconds (`10 min 05 s`), below 3 days hours and whole minutes (`2 h 05 min`), from 3 days
    /// days with one decimal (`365.2 days`).
    pub fn fine(self) -> String {
        let s = self.0;
        if s.is_infinite() {
            return UNBOUNDED.to_owned();
        }
        if s < 1.0 {
            return format!("{:.0} ms", s * 1e3);
        }
        if s < 119.95 {
            return format!("{s:.1} s");
        }
        let whole = s.round() as u64;
        if whole < 3600 {
            format!("{} min {:02} s", whole / 60, whole % 60)
        } else if s < 3.0 * 86_400.0 {
            let min = (s / 60.0).round() as u64;
            format!("{} h {:02} min", min / 60, min % 60)
        } else {
            format!("{:.1} days", s / 86_400.0)
        }
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_extra_decimals(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_interval_end_reads_unbounded() {
        assert_eq!(Seconds(f64::INFINITY).fine(), "unbounded");
        assert_eq!(Seconds(f64::INFINITY).to_string(), "unbounded");
    }

    #[test]
    fn durations_pick_their_unit() {
        let s = |v: f64| Seconds(v).to_string();
        assert_eq!(s(0.25), "250 ms");
        assert_eq!(s(0.4094), "409 ms");
        assert_eq!(s(1.4), "1.4 s");
        assert_eq!(s(8.1), "8.1 s");
        assert_eq!(s(10.0), "10 s");
        assert_eq!(s(60.0), "60 s");
        assert_eq!(s(85.3), "85 s");
        assert_eq!(s(600.0), "10.0 min");
        assert_eq!(s(2670.0), "44.5 min");
        assert_eq!(s(7200.0), "2.0 h");
        assert_eq!(s(43_200.0), "12.0 h");
        assert_eq!(s(365.0 * 86_400.0), "365 days");
    }

    #[test]
    fn the_report_page_follows_the_one_rule() {
        // Until issue 13 the report page had its own rule and printed "61.0 s" here, while the
        // compare table printed "61 s"; both now read the same.
        assert_eq!(Seconds(61.0).to_string(), "61 s");
        assert_eq!(Seconds(0.25).to_string(), "250 ms");
        assert_eq!(Seconds(600.0).to_string(), "10.0 min");
        assert_eq!(Seconds(7200.0).to_string(), "2.0 h");
        assert_eq!(Seconds(365.0 * 86_400.0).to_string(), "365 days");
    }

    #[test]
    fn recovery_times_keep_seconds_below_an_hour() {
        let f = |v: f64| Seconds(v).fine();
        assert_eq!(f(0.25), "250 ms");
        assert_eq!(f(85.34), "85.3 s");
        assert_eq!(f(119.96), "2 min 00 s");
        assert_eq!(f(605.0), "10 min 05 s");
        assert_eq!(f(3599.4), "59 min 59 s");
        assert_eq!(f(3600.0), "1 h 00 min");
        assert_eq!(f(7530.0), "2 h 06 min");
        assert_eq!(f(365.25 * 86_400.0), "365.2 days");
    }

    #[test]
    fn extra_decimals_keep_the_unit() {
        assert_eq!(Seconds(0.5).with_extra_decimals(1), "500.0 ms");
        assert_eq!(Seconds(30.0).with_extra_decimals(2), "30.00 s");
        assert_eq!(Seconds(7300.0).with_extra_decimals(1), "2.03 h");
    }
}
