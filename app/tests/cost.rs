//! `meridian cost` end to end: every example is priced, the JSON adds up, CSV and text agree.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{example_files, meridian, stderr, stdout};

#[test]
fn every_example_is_priced_and_its_json_adds_up() {
    for path in example_files() {
        let file = path.to_str().unwrap();
        let p = file;
        let out = meridian(&["cost", "--json", p]);
        assert_eq!(out.status.code(), Some(0), "{p}: {}", stderr(&out));
        let bill: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let total = bill["total_usd_per_month"].as_f64().unwrap();
        assert!(total > 0.0, "{p}");
        assert_eq!(bill["price_snapshot_date"], "2026-12-03"); // the snapshot of issue 15's regional prices
        for key in ["by_region", "by_service", "by_tag"] {
            assert!(bill[key].is_object(), "{p}: {key}");
        }
        let lines = bill["lines"].as_array().unwrap();
        let mut sum = 0.0;
        for line in lines {
            let l = line;
            let quantity = l["quantity"].as_f64().unwrap();
            let unit_price = l["unit_price_usd"].as_f64().unwrap();
            let usd = l["usd_per_month"].as_f64().unwrap();
            assert!((quantity * unit_price - usd).abs() <= 1e-9 * usd.abs().max(1.0), "{p}: {l}");
            for field in ["service", "region", "dimension", "unit"] {
                assert!(l[field].is_string(), "{p}: {field}");
            }
            assert!(l["price"]["source"].is_string() && l["price"]["as_of"].is_string(), "{p}");
            sum += usd;
        }
        assert!((sum - total).abs() <= 1e-6 * total, "{p}: lines {sum} != total {total}");
        let text = stdout(&meridian(&["cost", p]));
        assert!(text.contains(&format!("Total: ${total:.2} per month")), "{p}: {text}");
        assert!(text.contains("Price snapshot: 2026-12-03"), "{p}");
        let csv = stdout(&meridian(&["cost", "--csv", p]));
        assert_eq!(csv.lines().count(), lines.len() + 1, "{p}");
    }
}

#[test]
fn commitments_lower_the_bill_and_stale_prices_are_flagged() {
    let p = "examples/active-active-2region.ron";
    let total = |args: &[&str]| {
        let out = meridian(&[&["cost", "--json", p], args].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()["total_usd_per_month"]
            .as_f64()
            .unwrap()
    };
    let (none, one, three) = (total(&[]), total(&["--commitment", "1y"]), total(&["--commitment", "3y"]));
    assert!(none > one && one > three, "{none} {one} {three}");
    let text = stdout(&meridian(&["cost", "--max-price-age-days", "0", p]));
    assert!(text.contains("STALE PRICES"), "{text}");
}

#[test]
fn months_project_the_bill_as_the_workload_grows() {
    // The example grows 2% a month: month 12 serves 1.02^11 times today's requests.
    let p = "examples/active-active-2region.ron";
    let out = meridian(&["cost", "--json", "--months", "12", p]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bill: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let months = bill["forecast"]["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let total = bill["total_usd_per_month"].as_f64().unwrap();
    assert!((months[0]["total_usd"].as_f64().unwrap() - total).abs() < 1e-6, "month 1 is today's bill");
    let factor = months[11]["traffic_factor"].as_f64().unwrap();
    assert!((factor - 1.02f64.powi(11)).abs() < 1e-9, "{factor}");
    let usd: Vec<f64> = months.iter().map(|m| m["total_usd"].as_f64().unwrap()).collect();
    assert!(usd.windows(2).all(|w| w[1] > w[0]), "{usd:?}");
    let text = stdout(&meridian(&["cost", "--months", "3", p]));
    assert!(text.contains("Forecast: 3 months, traffic growing 2% a month"), "{text}");
    assert_eq!(meridian(&["cost", "--months", "0", p]).status.code(), Some(2));
    assert_eq!(meridian(&["cost", "--months", "3", "--csv", p]).status.code(), Some(2));
}

#[test]
fn estimates_say_why_and_tiers_are_named() {
    // The active-active example has an ALB in eu-west-1, where ALB prices have no entry of their
    // own: us-east-1's times the ratio, an estimate with its reason.
    let out = meridian(&["cost", "--json", "examples/active-active-2region.ron"]);
    let bill: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let lines = bill["lines"].as_array().unwrap();
    for l in lines {
        let estimate = l["price"]["estimate"].as_bool().unwrap();
        assert_eq!(estimate, l["price"]["estimate_reason"].is_string(), "{l}");
    }
    let alb = lines.iter().find(|l| l["service"] == "alb-euw1" && l["dimension"] == "hours").unwrap();
    assert!(alb["price"]["estimate_reason"].as_str().unwrap().contains("ratio"), "{alb}");
    let tiered: Vec<&serde_json::Value> = lines.iter().filter(|l| l["dimension"] == "internet-out").collect();
    assert!(tiered.len() >= 3 && tiered.iter().all(|l| l["tier"]["from_gb"].is_number()), "{tiered:?}");
    let text = stdout(&meridian(&["cost", "examples/active-active-2region.ron"]));
    assert!(text.contains("internet-out [0-10 TB]") && text.contains("internet-out [10-50 TB]"), "{text}");
}

#[test]
fn bad_input_exits_2() {
    let out = meridian(&["cost", "no-such-file.ron"]);
    assert_eq!(out.status.code(), Some(2));
    let out = meridian(&["cost", "--commitment", "5y", "examples/pilot-light.ron"]);
    assert_eq!(out.status.code(), Some(2));
    let out = meridian(&["cost", "--prices", "Cargo.toml", "examples/pilot-light.ron"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("Cargo.toml:"), "{}", stderr(&out));
}

#[test]
fn bench_cost_prints_its_headline_last() {
    let out = meridian(&["bench", "cost", "--services", "50", "--iterations", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("services=50 ms="), "{last}");
}
