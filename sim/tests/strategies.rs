//! The strategy evidence: the five disaster-recovery variants of the reference design under the
//! loss of their primary region for 4 hours at the peak hour's traffic (the built-in
//! `primary-outage`, what `meridian compare --scenario primary-outage` runs) land RTO and RPO
//! (P50) in the bands of the AWS
//! whitepaper *Disaster Recovery of Workloads on AWS* ("Disaster recovery options in the cloud"):
//! backup and restore hours, pilot light tens of minutes, warm standby minutes, multi-site
//! active/active seconds to a couple of minutes. The bands are the whitepaper's words as
//! intervals; replicated strategies may do better than their band's RPO (continuous replication
//! loses about a second of writes).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::variants::{Strategy, derive_all};
use meridian_model::{Catalog, format};
use meridian_sim::scenario::Target;
use meridian_sim::{SimOptions, SimResults, builtin, simulate};

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;

/// Runs every variant under the built-in `primary-outage` (the primary region down for 4 h at the
/// peak hour's traffic), optionally at the average rate instead (no traffic override).
fn results(average: bool) -> Vec<(Strategy, SimResults)> {
    let catalog = Catalog::builtin().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    let design = format::load_file(&path, catalog).unwrap().design;
    derive_all(&design, catalog)
        .unwrap()
        .into_iter()
        .map(|v| {
            let mut scenario = builtin("primary-outage", &v.design, catalog).unwrap();
            assert_eq!(scenario.injections.len(), 1);
            assert_eq!(scenario.injections[0].target, Target::Region(v.primary.to_string()));
            if average {
                scenario.traffic.clear();
            }
            let opts = SimOptions { threads: 2, ..SimOptions::default() };
            let r = simulate(&v.design, catalog, &scenario, &opts, &|_| {}, &AtomicBool::new(false)).unwrap();
            (v.strategy, r.results)
        })
        .collect()
}

fn summary(all: &[(Strategy, SimResults)]) -> String {
    all.iter()
        .map(|(s, r)| {
            format!(
                "{}: RTO P50 {:.0} s ({}), RPO P50 {:.1} s ({}), scale-out {:.0} s ({})",
                s.slug(),
                r.rto_s.p50,
                r.rto_s.count,
                r.rpo_s.p50,
                r.rpo_s.count,
                r.recovery_phases.scale_out.mean_s,
                r.recovery_phases.scale_out.count,
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_five_strategies_land_in_the_whitepapers_bands() {
    let all = results(false);
    let get = |s: Strategy| &all.iter().find(|(x, _)| *x == s).unwrap().1;
    let summary = summary(&all);
    println!("{summary}");

    // Backup and restore: RTO and RPO in hours (restores after an operator's decision, daily backups).
    let br = get(Strategy::BackupRestore);
    assert!((HOUR..24.0 * HOUR).contains(&br.rto_s.p50), "{summary}");
    assert!((HOUR..24.0 * HOUR).contains(&br.rpo_s.p50), "{summary}");
    // Pilot light: tens of minutes (an operator switches the compute on); data live.
    let pl = get(Strategy::PilotLight);
    assert!((10.0 * MINUTE..HOUR).contains(&pl.rto_s.p50), "{summary}");
    assert!(pl.rpo_s.count > 0 && pl.rpo_s.p50 < HOUR, "{summary}");
    // Warm standby: minutes (health checks and the TTL, then the scale-out from the average load's
    // units to the peak's: the scale-out alarm and the launch).
    let ws = get(Strategy::WarmStandby);
    assert!((MINUTE..10.0 * MINUTE).contains(&ws.rto_s.p50), "{summary}");
    assert!(ws.recovery_phases.scale_out.count > 0, "{summary}");
    assert!(ws.rpo_s.count > 0 && ws.rpo_s.p50 < 10.0 * MINUTE, "{summary}");
    // Active-active: seconds to a couple of minutes.
    let aa = get(Strategy::ActiveActive);
    assert!(aa.rto_s.p50 <= 3.0 * MINUTE, "{summary}");
    assert!(aa.rpo_s.count > 0 && aa.rpo_s.p50 <= 3.0 * MINUTE, "{summary}");
    // Nothing in active-active scales: each region already runs the peak's units.
    assert_eq!(aa.recovery_phases.scale_out.count, 0, "{summary}");
    // And the order the whitepaper gives them in.
    assert!(br.rto_s.p50 > pl.rto_s.p50 && pl.rto_s.p50 > ws.rto_s.p50, "{summary}");
    assert!(ws.rto_s.p50 > aa.rto_s.p50 + MINUTE, "{summary}");
    // Multi-AZ does not survive its region: users wait the 4 hours out.
    let maz = get(Strategy::MultiAz);
    assert!((maz.rto_s.p50 - 4.0 * HOUR).abs() < 0.01 * HOUR, "{summary}");
}

/// At the average rate the warm standby, sized for it, carries the load at once: it recovers as
/// fast as active-active (health checks and the TTL), so the difference at the peak is the
/// scale-out and nothing else.
#[test]
fn at_the_average_rate_warm_standby_needs_no_scale_out() {
    let all = results(true);
    let get = |s: Strategy| &all.iter().find(|(x, _)| *x == s).unwrap().1;
    let summary = summary(&all);
    let (ws, aa) = (get(Strategy::WarmStandby), get(Strategy::ActiveActive));
    assert_eq!(ws.recovery_phases.scale_out.count, 0, "{summary}");
    assert!((ws.rto_s.p50 - aa.rto_s.p50).abs() < 10.0, "{summary}");
    assert!(ws.rto_s.p50 < 3.0 * MINUTE, "{summary}");
}
