//! Complexity tests (issue 18, item 5): loading, validating, placing warnings, checking every
//! invariant, the compliance check and the bill of a design grow as n log n with its services,
//! on the realistic shape (every service in two regions, with links) where they were quadratic.
//!
//! They compare the time of each step at two sizes eight times apart, best of three runs each,
//! against a wide margin: linear or n log n steps take about 8 to 11 times as long, the quadratic
//! steps these tests were written against took 40 to 100 times as long, and the bound is 24. Time
//! is the test thread's CPU time, which other processes on a busy machine do not advance, and the
//! best of three runs leaves out a run slowed by a page fault or a cold cache.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::path::Path;
use std::time::Duration;

use meridian_model::catalog::Catalog;
use meridian_model::compliance::{Policy, check_static};
use meridian_model::cost::{CostOptions, PriceSnapshot, bill_with};
use meridian_model::design::Design;
use meridian_model::format::{self, SourceMap};
use meridian_model::synth::{Shape, generate_shaped};
use meridian_model::{check_all, validate};

const SMALL: usize = 600;
const LARGE: usize = SMALL * 8;
/// The largest time ratio accepted between the two sizes (8 for linear, 64 for quadratic).
const BOUND: f64 = 24.0;

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

/// The best of three timings of `f` on the design of `n` services and its text.
fn best_of_three(n: usize, f: &dyn Fn(&Design, &str)) -> Duration {
    let design = generate_shaped(catalog(), n, Shape::TwoRegions).unwrap();
    let text = format::to_string(&design, "").unwrap();
    (0..3)
        .map(|_| {
            let start = thread_cpu_time();
            f(&design, &text);
            thread_cpu_time().saturating_sub(start)
        })
        .min()
        .unwrap()
}

/// The CPU time the calling thread has used.
fn thread_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(u64::try_from(t.tv_sec).unwrap(), u32::try_from(t.tv_nsec).unwrap())
}

fn assert_scales(step: &str, f: &dyn Fn(&Design, &str)) {
    let small = best_of_three(SMALL, f);
    let large = best_of_three(LARGE, f);
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
    assert!(
        ratio < BOUND,
        "{step}: {LARGE} services took {ratio:.1} times as long as {SMALL} ({large:?} against {small:?}); \
         at most {BOUND} is n log n, 64 would be quadratic"
    );
}

#[test]
fn the_realistic_shape_has_many_services_in_two_regions_with_links_and_warnings() {
    let design = generate_shaped(catalog(), LARGE, Shape::TwoRegions).unwrap();
    assert_eq!(design.services().len(), LARGE);
    assert_eq!(design.regions().len(), 2);
    assert!(design.links().len() > LARGE, "{}", design.links().len());
    // Every single-node cache is warned about: placing warnings is measured.
    assert!(validate::validate(&design, catalog()).len() > LARGE / 8);
}

#[test]
fn loading_scales_as_n_log_n() {
    assert_scales("load", &|_, text| {
        format::load_str(text, Path::new("d.ron"), catalog()).unwrap();
    });
}

#[test]
fn validating_and_placing_every_warning_scales_as_n_log_n() {
    assert_scales("validate", &|design, _| {
        validate::validate(design, catalog());
    });
    assert_scales("place warnings", &|design, text| {
        let map = SourceMap::new(text).unwrap();
        for p in validate::validate(design, catalog()) {
            map.position(&p.entity, p.field.as_deref());
        }
    });
}

#[test]
fn checking_every_invariant_scales_as_n_log_n() {
    assert_scales("check_all", &|design, _| check_all(design, catalog()).unwrap());
}

#[test]
fn the_compliance_check_and_the_bill_scale_as_n_log_n() {
    let policies = Policy::packs().unwrap();
    assert_scales("check_static", &|design, _| {
        check_static(design, catalog(), &policies);
    });
    let prices = PriceSnapshot::builtin().unwrap();
    assert_scales("bill", &|design, _| {
        bill_with(design, Some(catalog()), prices, &CostOptions::default());
    });
}
