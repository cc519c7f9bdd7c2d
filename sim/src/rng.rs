//! Random streams and sampling of the model's duration distributions.
//!
//! Every run draws from its own [`Xoshiro256PlusPlus`] stream seeded from `(seed, run index)`
//! through SplitMix64, so a run's result does not depend on which thread ran it or in what order.

use meridian_model::dist::Dist;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, Exp1, StandardNormal};

use crate::queue::SimTime;

/// The random generator of one run.
pub type SimRng = Xoshiro256PlusPlus;

/// SplitMix64: a bijective mixer used to derive independent seeds.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of run `run` under `seed`.
pub fn run_stream(seed: u64, run: u64) -> SimRng {
    SimRng::seed_from_u64(splitmix64(splitmix64(seed) ^ splitmix64(run.wrapping_add(0x5851_F42D_4C95_7F2D))))
}

/// A distribution of durations prepared for fast sampling, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampler {
    /// Always this many microseconds.
    Fixed(f64),
    /// Exponential with this mean in microseconds.
    Exp(f64),
    /// Weibull: `scale * (-ln U)^(1/shape)`, scale in microseconds.
    Weibull {
        /// Shape.
        inv_shape: f64,
        /// Scale in microseconds.
        scale: f64,
    },
    /// Lognormal: `median * exp(sigma * Z)`, median in microseconds.
    LogNormal {
        /// Median in microseconds.
        median: f64,
        /// Log standard deviation.
        sigma: f64,
    },
}

impl Sampler {
    /// Prepares `dist`.
    pub fn new(dist: &Dist) -> Self {
        match *dist {
            Dist::Fixed { value } => Sampler::Fixed(value.as_micros() as f64),
            Dist::Exponential { mean } => Sampler::Exp(mean.as_micros() as f64),
            Dist::Weibull { shape, scale } => {
                Sampler::Weibull { inv_shape: 1.0 / shape, scale: scale.as_micros() as f64 }
            }
            Dist::LogNormal { median, sigma } => {
                Sampler::LogNormal { median: median.as_micros() as f64, sigma }
            }
        }
    }

    /// Mean in microseconds.
    pub fn mean_micros(&self, dist: &Dist) -> f64 {
        dist.mean_secs() * 1e6
    }

    /// Mean of this sampler in microseconds.
    pub fn mean_us(&self) -> f64 {
        match *self {
            Sampler::Fixed(v) => v,
            Sampler::Exp(mean) => mean,
            Sampler::Weibull { inv_shape, scale } => scale * meridian_model::dist::gamma(1.0 + inv_shape),
            Sampler::LogNormal { median, sigma } => median * (sigma * sigma / 2.0).exp(),
        }
    }

    /// The distribution of `factor` times a sample (rates divide by `factor`).
    #[must_use]
    pub fn scaled(&self, factor: f64) -> Self {
        match *self {
            Sampler::Fixed(v) => Sampler::Fixed(v * factor),
            Sampler::Exp(mean) => Sampler::Exp(mean * factor),
            Sampler::Weibull { inv_shape, scale } => Sampler::Weibull { inv_shape, scale: scale * factor },
            Sampler::LogNormal { median, sigma } => Sampler::LogNormal { median: median * factor, sigma },
        }
    }

    /// One sample, in microseconds (real-valued).
    #[inline]
    pub fn sample_f64<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Sampler::Fixed(v) => v,
            Sampler::Exp(mean) => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Sampler::Weibull { inv_shape, scale } => {
                let e: f64 = Exp1.sample(rng);
                scale * e.powf(inv_shape)
            }
            Sampler::LogNormal { median, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                median * (sigma * z).exp()
            }
        }
    }

    /// One sample rounded to whole microseconds, at least 1 so time always moves.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> SimTime {
        let v = self.sample_f64(rng);
        if v >= 1.8e19 { u64::MAX / 4 } else { (v.round() as SimTime).max(1) }
    }
}

/// A uniform draw in `[0, 1)`.
#[inline]
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    rng.random::<f64>()
}

/// A uniform index below `n` (`n > 0`).
#[inline]
pub fn index<R: Rng + ?Sized>(rng: &mut R, n: usize) -> usize {
    rng.random_range(0..n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use meridian_model::time::TimeSpan;

    #[test]
    fn streams_differ_by_run_and_repeat_by_seed() {
        let a: u64 = run_stream(1, 0).random();
        let b: u64 = run_stream(1, 1).random();
        let c: u64 = run_stream(1, 0).random();
        assert_ne!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn sample_means_match() {
        let mut rng = run_stream(7, 0);
        for dist in [
            Dist::Exponential { mean: TimeSpan::HOUR },
            Dist::Weibull { shape: 2.0, scale: TimeSpan::HOUR },
            Dist::LogNormal { median: TimeSpan::HOUR, sigma: 0.5 },
        ] {
            let s = Sampler::new(&dist);
            let n = 200_000;
            let mean = (0..n).map(|_| s.sample_f64(&mut rng)).sum::<f64>() / f64::from(n);
            let want = dist.mean_secs() * 1e6;
            assert!((mean / want - 1.0).abs() < 0.01, "{dist:?}: {mean} vs {want}");
        }
    }
}
