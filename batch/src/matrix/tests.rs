//! Combination numbering: mixed-radix decoding in the documented order, and shards.

use std::path::PathBuf;

use meridian_model::time::TimeSpan;
use proptest::prelude::*;

use super::{DesignEntry, Matrix, ScenarioRef, shard_len};
use crate::plan::{MAX_COMBINATIONS, Plan};
use crate::sweep::Sweep;

/// Seeds of test plans start here, so a seed's value tells its position.
const SEED0: u64 = 100;

/// A matrix of `designs` x `scenarios` x sweeps with `sweeps[k]` values each x `seeds`, with no file
/// behind it (decoding needs none).
fn matrix(designs: usize, scenarios: usize, sweeps: &[usize], seeds: usize) -> Matrix {
    let values = |n: usize| (1..=n as u64).map(TimeSpan::from_secs).collect::<Vec<_>>();
    let sweeps = sweeps
        .iter()
        .enumerate()
        .map(|(k, &n)| {
            if k % 2 == 0 {
                Sweep::HealthCheckInterval { values: values(n) }
            } else {
                Sweep::DnsTtl { values: values(n) }
            }
        })
        .collect();
    let plan = Plan {
        name: "test".into(),
        designs: vec!["*.ron".into()],
        scenarios: vec!["region-outage".into()],
        runs: None,
        horizon: None,
        seeds: (0..seeds as u64).map(|s| SEED0 + s).collect(),
        sweeps,
        policies: Vec::new(),
        gates: Vec::new(),
    };
    Matrix {
        plan,
        plan_path: PathBuf::from("plan.ron"),
        designs: (0..designs)
            .map(|i| DesignEntry { rel: format!("d{i}.ron"), path: PathBuf::from(format!("d{i}.ron")) })
            .collect(),
        scenarios: (0..scenarios).map(|i| ScenarioRef::Builtin(format!("s{i}"))).collect(),
        policies: Vec::new(),
        fingerprint: String::new(),
    }
}

/// Position of every dimension of combination `index`, slowest first: design, scenario, each
/// sweep's value, seed.
fn digits(m: &Matrix, index: u64) -> Vec<usize> {
    let c = m.combination(index);
    assert_eq!(c.index, index);
    let mut d = vec![c.design, c.scenario];
    d.extend(&c.choice);
    d.push(c.seed.map_or(0, |s| (s - SEED0) as usize));
    d
}

/// The radix of every dimension, in the order of [`digits`].
fn radices(m: &Matrix) -> Vec<usize> {
    let mut r = vec![m.designs.len(), m.scenarios.len()];
    r.extend(m.plan.sweeps.iter().map(Sweep::len));
    r.push(m.plan.seeds.len().max(1));
    r
}

/// The inverse of decoding: digits back to an index, written independently of the code under test.
fn encode(digits: &[usize], radices: &[usize]) -> u64 {
    digits.iter().zip(radices).fold(0, |acc, (&d, &r)| acc * r as u64 + d as u64)
}

#[test]
fn the_example_plan_numbers_designs_slowest_then_sweeps() {
    // Two designs, one scenario, two sweeps of two values, no seeds: the shape of
    // examples/batch/plan.ron, whose rows the end-to-end test reads.
    let m = matrix(2, 1, &[2, 2], 0);
    assert_eq!(m.total(), 8);
    let c = m.combination(1);
    assert_eq!((c.design, c.scenario, c.choice.as_slice(), c.seed), (0, 0, &[0, 1][..], None));
    let c = m.combination(2);
    assert_eq!((c.design, c.choice.as_slice()), (0, &[1, 0][..]));
    let c = m.combination(4);
    assert_eq!((c.design, c.choice.as_slice()), (1, &[0, 0][..]));
    let c = m.combination(7);
    assert_eq!((c.design, c.choice.as_slice()), (1, &[1, 1][..]));
}

#[test]
fn seeds_vary_fastest_and_each_is_a_combination() {
    let m = matrix(1, 2, &[], 3);
    assert_eq!(m.total(), 6);
    let seen: Vec<(usize, Option<u64>)> =
        (0..6).map(|i| m.combination(i)).map(|c| (c.scenario, c.seed)).collect();
    assert_eq!(
        seen,
        vec![(0, Some(100)), (0, Some(101)), (0, Some(102)), (1, Some(100)), (1, Some(101)), (1, Some(102))]
    );
}

#[test]
fn one_value_axes_make_one_combination() {
    let m = matrix(1, 1, &[1, 1, 1], 0);
    assert_eq!(m.total(), 1);
    let c = m.combination(0);
    assert_eq!((c.design, c.scenario, c.choice, c.seed), (0, 0, vec![0, 0, 0], None));
    assert_eq!(m.shard_indices(0, 1).collect::<Vec<_>>(), vec![0]);
    // More shards than combinations: the others are empty.
    assert_eq!(m.shard_indices(0, 3).collect::<Vec<_>>(), vec![0]);
    assert_eq!(m.shard_indices(2, 3).count(), 0);
    assert_eq!(shard_len(1, 2, 3), 0);
    // A single seed is a dimension of radix one, like no seed, but sets the seed.
    let m = matrix(1, 1, &[], 1);
    assert_eq!(m.total(), 1);
    assert_eq!(m.combination(0).seed, Some(SEED0));
}

#[test]
fn a_plan_beyond_the_limit_has_no_total() {
    // 100^5 = 10^10 combinations; Matrix::load refuses such a plan because the total is 0.
    let m = matrix(1, 1, &[100; 5], 0);
    assert!(100u64.pow(5) > MAX_COMBINATIONS);
    assert_eq!(m.total(), 0);
    assert_eq!(m.shard_indices(0, 1).count(), 0);
    // Exactly the limit is allowed.
    let m = matrix(1, 1, &[100; 4], 0);
    assert_eq!(m.total(), MAX_COMBINATIONS);
}

#[test]
fn shard_len_counts_every_residue() {
    assert_eq!(shard_len(0, 0, 1), 0);
    assert_eq!(shard_len(8, 0, 1), 8);
    assert_eq!((0..4).map(|k| shard_len(8, k, 4)).collect::<Vec<_>>(), vec![2, 2, 2, 2]);
    assert_eq!((0..3).map(|k| shard_len(8, k, 3)).collect::<Vec<_>>(), vec![3, 3, 2]);
    assert_eq!(shard_len(MAX_COMBINATIONS, 0, 7), MAX_COMBINATIONS.div_ceil(7));
}

fn shapes() -> impl Strategy<Value = (usize, usize, Vec<usize>, usize)> {
    (1..4usize, 1..4usize, prop::collection::vec(1..4usize, 0..4), 0..4usize)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// index -> combination -> index is the identity, every position is in range, and indices
    /// follow the documented order (designs, scenarios, sweeps in plan order, seeds).
    #[test]
    fn decoding_is_the_mixed_radix_order((designs, scenarios, sweeps, seeds) in shapes()) {
        let m = matrix(designs, scenarios, &sweeps, seeds);
        let radices = radices(&m);
        let total: usize = radices.iter().product();
        prop_assert_eq!(m.total(), total as u64);
        let mut previous: Option<Vec<usize>> = None;
        for i in 0..m.total() {
            let d = digits(&m, i);
            for (digit, radix) in d.iter().zip(&radices) {
                prop_assert!(digit < radix, "combination {} has {:?} for radices {:?}", i, d, radices);
            }
            prop_assert_eq!(encode(&d, &radices), i);
            if let Some(p) = &previous {
                prop_assert!(*p < d, "combination {} ({:?}) does not follow {:?}", i, d, p);
            }
            previous = Some(d);
        }
    }

    /// Shard K of N holds exactly the combinations i with i mod N = K, in order, and
    /// `shard_len` counts them; the shards together hold every combination once.
    #[test]
    fn shards_partition_by_residue((designs, scenarios, sweeps, seeds) in shapes(), extra in 0..4u64) {
        let m = matrix(designs, scenarios, &sweeps, seeds);
        let total = m.total();
        let mut all = Vec::new();
        for n in 1..=total + extra {
            all.clear();
            for k in 0..n {
                let held: Vec<u64> = m.shard_indices(k, n).collect();
                let expected: Vec<u64> = (0..total).filter(|i| i % n == k).collect();
                prop_assert_eq!(&held, &expected, "shard {} of {}", k, n);
                prop_assert_eq!(shard_len(total, k, n), held.len() as u64);
                all.extend(held);
            }
            all.sort_unstable();
            prop_assert_eq!(&all, &(0..total).collect::<Vec<_>>());
        }
    }
}
