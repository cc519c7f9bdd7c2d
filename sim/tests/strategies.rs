//! The strategy evidence: the five disaster-recovery variants of the reference design under the
//! loss of their primary region for 4 hours land RTO and RPO (P50) in the bands of the AWS
//! whitepaper *Disaster Recovery of Workloads on AWS* ("Disaster recovery options in the cloud"):
//! backup and restore hours, pilot light tens of minutes, warm standby minutes, multi-site
//! active/active seconds to a couple of minutes. The bands are the whitepaper's words as
//! intervals; replicated strategies may do better than their band's RPO (continuous replication
//! loses about a second of writes).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::time::TimeSpan;
use meridian_model::variants::{Strategy, derive_all};
use meridian_model::{Catalog, format};
use meridian_sim::scenario::{Injection, Processes, Target};
use meridian_sim::{Scenario, SimOptions, SimResults, simulate};

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;

fn primary_down_for_4h(region: &str) -> Scenario {
    Scenario {
        name: format!("{region} down for 4 h"),
        horizon: TimeSpan::from_secs(12 * 3600),
        runs: 200,
        seed: 1,
        random_failures: Processes::NONE,
        injections: vec![Injection {
            target: Target::Region(region.to_owned()),
            at: TimeSpan::HOUR,
            duration: TimeSpan::from_secs(4 * 3600),
        }],
        failure_overrides: Vec::new(),
        traffic: Vec::new(),
        instant_failover: false,
    }
}

fn results() -> Vec<(Strategy, SimResults)> {
    let catalog = Catalog::builtin().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    let design = format::load_file(&path, catalog).unwrap().design;
    derive_all(&design, catalog)
        .unwrap()
        .into_iter()
        .map(|v| {
            let scenario = primary_down_for_4h(v.primary.as_str());
            let opts = SimOptions { threads: 2, ..SimOptions::default() };
            let r = simulate(&v.design, catalog, &scenario, &opts, &|_| {}, &AtomicBool::new(false)).unwrap();
            (v.strategy, r.results)
        })
        .collect()
}

#[test]
fn the_five_strategies_land_in_the_whitepapers_bands() {
    let all = results();
    let get = |s: Strategy| &all.iter().find(|(x, _)| *x == s).unwrap().1;
    let describe = |s: Strategy| {
        let r = get(s);
        format!(
            "{}: RTO P50 {:.0} s ({}), RPO P50 {:.1} s ({})",
            s.slug(),
            r.rto_s.p50,
            r.rto_s.count,
            r.rpo_s.p50,
            r.rpo_s.count
        )
    };
    let summary: Vec<String> = Strategy::ALL.iter().map(|&s| describe(s)).collect();
    let summary = summary.join("\n");
    println!("{summary}");

    // Backup and restore: RTO and RPO in hours (restores after an operator's decision, daily backups).
    let br = get(Strategy::BackupRestore);
    assert!((HOUR..24.0 * HOUR).contains(&br.rto_s.p50), "{summary}");
    assert!((HOUR..24.0 * HOUR).contains(&br.rpo_s.p50), "{summary}");
    // Pilot light: tens of minutes (an operator switches the compute on); data live.
    let pl = get(Strategy::PilotLight);
    assert!((10.0 * MINUTE..HOUR).contains(&pl.rto_s.p50), "{summary}");
    assert!(pl.rpo_s.count > 0 && pl.rpo_s.p50 < HOUR, "{summary}");
    // Warm standby: minutes (health checks and the TTL; the standby carries the load at once).
    let ws = get(Strategy::WarmStandby);
    assert!((MINUTE..10.0 * MINUTE).contains(&ws.rto_s.p50), "{summary}");
    assert!(ws.rpo_s.count > 0 && ws.rpo_s.p50 < 10.0 * MINUTE, "{summary}");
    // Active-active: seconds to a couple of minutes.
    let aa = get(Strategy::ActiveActive);
    assert!(aa.rto_s.p50 <= 3.0 * MINUTE, "{summary}");
    assert!(aa.rpo_s.count > 0 && aa.rpo_s.p50 <= 3.0 * MINUTE, "{summary}");
    // And the order the whitepaper gives them in.
    assert!(br.rto_s.p50 > pl.rto_s.p50 && pl.rto_s.p50 > ws.rto_s.p50, "{summary}");
    // Multi-AZ does not survive its region: users wait the 4 hours out.
    let maz = get(Strategy::MultiAz);
    assert!((maz.rto_s.p50 - 4.0 * HOUR).abs() < 0.01 * HOUR, "{summary}");
}
