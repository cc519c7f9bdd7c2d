//! Probability distributions of durations (time to failure, time to repair, replication lag),
//! and the failure behaviour built from them.
//!
//! The model only describes distributions; sampling them is the simulator's job.

use serde::{Deserialize, Serialize};

use crate::time::TimeSpan;

/// A distribution of durations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Dist {
    /// Always the same duration.
    Fixed {
        /// The duration.
        value: TimeSpan,
    },
    /// Exponential (memoryless) with the given mean.
    Exponential {
        /// The mean duration.
        mean: TimeSpan,
    },
    /// Weibull with the given shape `k` and scale `lambda`.
    Weibull {
        /// Shape `k`, from [`MIN_WEIBULL_SHAPE`] to [`MAX_WEIBULL_SHAPE`]; below 1 failures
        /// cluster early, above 1 they come with wear.
        shape: f64,
        /// Scale `lambda`.
        scale: TimeSpan,
    },
    /// Lognormal with the given median `exp(mu)` and log-standard deviation `sigma`.
    LogNormal {
        /// The median duration.
        median: TimeSpan,
        /// Standard deviation of the logarithm, from 0 to [`MAX_LOGNORMAL_SIGMA`].
        sigma: f64,
    },
}

/// The smallest Weibull shape accepted. Below it the mean is dominated by draws far beyond any
/// horizon (the mean is `scale x Gamma(1 + 1/k)`: 3,628,800 times the scale at `k = 0.1`, and
/// not a finite number at `k = 0.001`), so neither the simulation nor the theory figures mean
/// anything. Published Weibull fits of hardware and software failures have shapes of about 0.5
/// to 5; the bound is a modelling choice well outside that range.
pub const MIN_WEIBULL_SHAPE: f64 = 0.1;
/// The largest Weibull shape accepted: at `k = 100` the draws lie within about 5% of the scale
/// (use `Fixed` for a constant duration).
pub const MAX_WEIBULL_SHAPE: f64 = 100.0;
/// The largest lognormal sigma accepted: at 5 the mean is `exp(12.5)`, about 268,000 times the
/// median, and one draw in a thousand is over 5 million times the median; beyond it the mean
/// soon stops being a finite number. Published lognormal fits of repair times have sigmas of
/// about 0.3 to 1.5; the bound is a modelling choice well outside that range.
pub const MAX_LOGNORMAL_SIGMA: f64 = 5.0;

impl Dist {
    /// The mean of the distribution in seconds.
    pub fn mean_secs(&self) -> f64 {
        match *self {
            Dist::Fixed { value } => value.as_secs_f64(),
            Dist::Exponential { mean } => mean.as_secs_f64(),
            Dist::Weibull { shape, scale } => scale.as_secs_f64() * gamma(1.0 + 1.0 / shape),
            Dist::LogNormal { median, sigma } => median.as_secs_f64() * (sigma * sigma / 2.0).exp(),
        }
    }

    /// Checks the parameters; returns the name of the bad field and why.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        match *self {
            Dist::Weibull { shape, scale } => {
                if !(MIN_WEIBULL_SHAPE..=MAX_WEIBULL_SHAPE).contains(&shape) {
                    return Err((
                        "shape",
                        format!(
                            "must be from {MIN_WEIBULL_SHAPE} to {MAX_WEIBULL_SHAPE}, not {}",
                            show(shape)
                        ),
                    ));
                }
                if scale == TimeSpan::ZERO {
                    return Err(("scale", "must be longer than zero".into()));
                }
            }
            Dist::LogNormal { median, sigma } => {
                if !(0.0..=MAX_LOGNORMAL_SIGMA).contains(&sigma) {
                    return Err((
                        "sigma",
                        format!("must be from 0 to {MAX_LOGNORMAL_SIGMA}, not {}", show(sigma)),
                    ));
                }
                if median == TimeSpan::ZERO {
                    return Err(("median", "must be longer than zero".into()));
                }
            }
            Dist::Exponential { mean } => {
                if mean == TimeSpan::ZERO {
                    return Err(("mean", "must be longer than zero".into()));
                }
            }
            Dist::Fixed { .. } => {}
        }
        Ok(())
    }
}

/// A number as a message shows it: very small or very large ones in scientific notation
/// (`1e-300`, not three hundred zeros).
fn show(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-3..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The gamma function for positive arguments (Lanczos approximation, g = 7, n = 9).
pub fn gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        std::f64::consts::PI / ((std::f64::consts::PI * x).sin() * gamma(1.0 - x))
    } else {
        let x = x - 1.0;
        let t = x + 7.5;
        let sum = G[1..].iter().enumerate().fold(G[0], |acc, (i, g)| acc + g / (x + i as f64 + 1.0));
        (2.0 * std::f64::consts::PI).sqrt() * t.powf(x + 0.5) * (-t).exp() * sum
    }
}

/// How an entity fails and is repaired.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FailureSpec {
    /// Time from repair (or start) to the next failure.
    pub time_to_failure: Dist,
    /// Time from failure to repair.
    pub time_to_repair: Dist,
}

/// The shortest mean time to failure accepted (one minute): a shorter one, such as
/// `Fixed("0s")`, is not a failure model but a loop, and would make a simulation run forever.
pub const MIN_MEAN_TIME_TO_FAILURE: TimeSpan = TimeSpan::from_secs(60);

impl FailureSpec {
    /// Checks both distributions and that failures are not degenerate (a mean time to failure of
    /// at least [`MIN_MEAN_TIME_TO_FAILURE`]); returns the bad field (`time_to_failure.mean`) and why.
    pub fn check(&self) -> Result<(), (String, String)> {
        for (name, dist) in
            [("time_to_failure", &self.time_to_failure), ("time_to_repair", &self.time_to_repair)]
        {
            dist.check().map_err(|(field, why)| (format!("{name}.{field}"), why))?;
        }
        let mean = self.time_to_failure.mean_secs();
        if mean.is_nan() || mean < MIN_MEAN_TIME_TO_FAILURE.as_secs_f64() {
            let field = match self.time_to_failure {
                Dist::Fixed { .. } => "value",
                Dist::Exponential { .. } => "mean",
                Dist::Weibull { .. } => "scale",
                Dist::LogNormal { .. } => "median",
            };
            return Err((
                format!("time_to_failure.{field}"),
                format!(
                    "the mean time to failure must be at least 1m, not {} (failing this often is not a failure model)",
                    if mean.is_finite() {
                        TimeSpan::from_micros((mean * 1e6).round() as u64).to_string()
                    } else {
                        format!("{mean}s")
                    }
                ),
            ));
        }
        Ok(())
    }

    /// Long-run availability `MTTF / (MTTF + MTTR)` of this spec on its own.
    pub fn availability(&self) -> f64 {
        let up = self.time_to_failure.mean_secs();
        let down = self.time_to_repair.mean_secs();
        if up + down <= 0.0 { 1.0 } else { up / (up + down) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_match_closed_forms() {
        let h = TimeSpan::HOUR;
        assert!((Dist::Exponential { mean: h }.mean_secs() - 3600.0).abs() < 1e-9);
        // Weibull with shape 1 is exponential with mean = scale.
        assert!((Dist::Weibull { shape: 1.0, scale: h }.mean_secs() - 3600.0).abs() < 1e-6);
        // Weibull shape 2: mean = scale * sqrt(pi)/2.
        let w2 = Dist::Weibull { shape: 2.0, scale: h }.mean_secs();
        assert!((w2 - 3600.0 * std::f64::consts::PI.sqrt() / 2.0).abs() < 1e-6);
        let ln = Dist::LogNormal { median: h, sigma: 1.0 }.mean_secs();
        assert!((ln - 3600.0 * 0.5f64.exp()).abs() < 1e-6);
    }

    #[test]
    fn availability_of_textbook_component() {
        let spec = FailureSpec {
            time_to_failure: Dist::Exponential { mean: TimeSpan::from_secs(1000 * 3600) },
            time_to_repair: Dist::Exponential { mean: TimeSpan::from_secs(10 * 3600) },
        };
        assert!((spec.availability() - 0.990_099_010).abs() < 1e-9);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(Dist::Weibull { shape: f64::NAN, scale: TimeSpan::HOUR }.check().is_err());
        assert!(Dist::LogNormal { median: TimeSpan::HOUR, sigma: -1.0 }.check().is_err());
        assert!(Dist::Exponential { mean: TimeSpan::ZERO }.check().is_err());
    }

    #[test]
    fn bounds_shape_and_sigma_where_the_mean_stops_meaning_anything() {
        let h = TimeSpan::HOUR;
        let weibull = |shape| Dist::Weibull { shape, scale: h }.check();
        let lognormal = |sigma| Dist::LogNormal { median: h, sigma }.check();
        for ok in [MIN_WEIBULL_SHAPE, 0.5, 1.0, 5.0, MAX_WEIBULL_SHAPE] {
            assert!(weibull(ok).is_ok(), "shape {ok}");
            assert!(Dist::Weibull { shape: ok, scale: h }.mean_secs().is_finite(), "shape {ok}");
        }
        for bad in [0.0, 0.001, 0.099, 100.5, f64::INFINITY, -1.0] {
            let (field, why) = weibull(bad).unwrap_err();
            assert_eq!(field, "shape");
            assert!(why.contains("from 0.1 to 100"), "{why}");
        }
        for ok in [0.0, 0.5, MAX_LOGNORMAL_SIGMA] {
            assert!(lognormal(ok).is_ok(), "sigma {ok}");
            assert!(Dist::LogNormal { median: h, sigma: ok }.mean_secs().is_finite(), "sigma {ok}");
        }
        assert!(weibull(1e-300).unwrap_err().1.ends_with("not 1e-300"));
        assert!(lognormal(1e300).unwrap_err().1.ends_with("not 1e300"));
        for bad in [5.01, 50.0, f64::NAN, -0.1] {
            let (field, why) = lognormal(bad).unwrap_err();
            assert_eq!(field, "sigma");
            assert!(why.contains("from 0 to 5"), "{why}");
        }
    }
}
