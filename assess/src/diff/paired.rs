//! The paired test of a figure measured per run on two designs with common random numbers.
//!
//! Run `i` of both designs draws from the same random streams (the simulator seeds each run's
//! streams from `(seed, i)`), so the two designs meet similar failures in the same runs and the
//! difference `d_i = after_i - before_i` carries far less noise than either figure. Runs are
//! independent of each other and a run's figures are bounded (availability lies in 0..1), so the
//! `d_i` are independent, identically distributed draws with finite variance and their mean is
//! close to normal by the central limit theorem: the test is Student's paired t-test, a 95%
//! interval `mean ± t(0.975, n-1) · s / sqrt(n)` of the mean difference, and the change is
//! significant when that interval excludes zero. Per-run figures are very skewed (most runs lose
//! nothing, a few lose a lot), which slows the convergence the test relies on, so a change is
//! called significant only when at least [`MIN_DIFFERING_RUNS`] runs differ at all; with fewer it
//! reads "too few runs differ" whatever the interval says.

use serde::Serialize;

/// Fewest runs whose figures must differ before a change can be called significant.
pub const MIN_DIFFERING_RUNS: usize = 10;

/// The mean of paired differences and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Paired {
    /// Pairs.
    pub n: usize,
    /// Pairs whose values differ.
    pub differing: usize,
    /// Mean of `after - before`.
    pub mean: f64,
    /// 95% interval of the mean difference: low, high.
    pub ci95: [f64; 2],
}

impl Paired {
    /// The paired differences of `before` and `after` (paired by index; the shorter length wins).
    pub fn of(before: &[f64], after: &[f64]) -> Paired {
        let d: Vec<f64> = before.iter().zip(after).map(|(b, a)| a - b).collect();
        let n = d.len();
        let differing = d.iter().filter(|x| x.abs() > 1e-12).count();
        if n == 0 {
            return Paired { n, differing, mean: 0.0, ci95: [0.0, 0.0] };
        }
        let mean = d.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Paired { n, differing, mean, ci95: [f64::NEG_INFINITY, f64::INFINITY] };
        }
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t975(n - 1) * (var / n as f64).sqrt();
        Paired { n, differing, mean, ci95: [mean - half, mean + half] }
    }

    /// Whether the interval excludes zero and enough runs differ to trust it.
    pub fn significant(&self) -> bool {
        self.differing >= MIN_DIFFERING_RUNS && (self.ci95[0] > 0.0 || self.ci95[1] < 0.0)
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom: exact values up to 30, then
/// the Cornish-Fisher expansion around the normal quantile (error below 1e-4 from 30 on).
pub fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => {
            let z: f64 = 1.959_964;
            let v = df as f64;
            z + (z.powi(3) + z) / (4.0 * v)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / (384.0 * v.powi(3))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t975(1) - 12.706).abs() < 1e-3);
        assert!((t975(40) - 2.021).abs() < 1e-3);
        assert!((t975(120) - 1.980).abs() < 1e-3);
        assert!((t975(100_000) - 1.960).abs() < 1e-3);
    }

    #[test]
    fn a_consistent_shift_is_significant_and_noise_is_not() {
        let before: Vec<f64> = (0..50).map(|i| f64::from(i % 7)).collect();
        let shifted: Vec<f64> = before.iter().map(|x| x + 1.0 + 0.1 * (x - 3.0)).collect();
        let p = Paired::of(&before, &shifted);
        assert!(p.significant(), "{p:?}");
        assert!(p.ci95[0] > 0.5 && p.ci95[1] < 1.5, "{p:?}");
        // Differences of alternating sign around zero.
        let noise: Vec<f64> =
            before.iter().enumerate().map(|(i, x)| x + if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
        assert!(!Paired::of(&before, &noise).significant());
        // Identical runs: nothing differs, nothing is significant.
        let same = Paired::of(&before, &before);
        assert_eq!((same.differing, same.mean), (0, 0.0));
        assert!(!same.significant());
        // A large shift in too few runs is not trusted.
        let mut few = before.clone();
        for x in few.iter_mut().take(MIN_DIFFERING_RUNS - 1) {
            *x += 100.0;
        }
        assert!(!Paired::of(&before, &few).significant());
    }
}
