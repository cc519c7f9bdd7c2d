//! The invariants of [`Targets`]: known populations, percentages between 1 and 100, positive
//! times and latencies, one entry per population or disruption.

use super::Targets;
use crate::check::CommandError;
use crate::design::{Design, EntityRef};

fn fail(field: String, message: String) -> Result<(), CommandError> {
    Err(CommandError { entity: EntityRef::Design, field, message })
}

/// A percentage target: above 1 (a smaller value is probably a fraction) and below 100 (which
/// leaves no error budget).
fn percent(field: String, value: f64) -> Result<(), CommandError> {
    if !value.is_finite() || value <= 0.0 || value >= 100.0 {
        return fail(
            field,
            format!("must be a percentage above 0 and below 100 (100% leaves no error budget), not {value}"),
        );
    }
    if value <= 1.0 {
        let hint = value * 100.0;
        return fail(
            field,
            format!("{value} looks like a fraction; targets are percentages, so write {hint} for {hint}%"),
        );
    }
    Ok(())
}

fn positive(field: String, value: f64, max: f64, unit: &str) -> Result<(), CommandError> {
    if value.is_finite() && value > 0.0 && value <= max {
        Ok(())
    } else {
        fail(field, format!("must be a number above 0 and at most {max} {unit}, not {value}"))
    }
}

fn population(design: &Design, field: String, id: &crate::ids::PopulationId) -> Result<(), CommandError> {
    if design.population(id).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = design.populations().map(|p| p.id.as_str()).collect();
    let list = if known.is_empty() { "the design has none".to_owned() } else { known.join(", ") };
    fail(field, format!("population `{id}` is not in the design (populations: {list})"))
}

/// Checks `t` against `design` (its populations).
pub(crate) fn targets(design: &Design, t: &Targets) -> Result<(), CommandError> {
    // Sets, not scans of the earlier entries: a file of 100,000 targets is checked at once.
    let mut seen_availability = std::collections::BTreeSet::new();
    for (i, a) in t.availability.iter().enumerate() {
        let at = |f: &str| format!("targets.availability[{i}].{f}");
        if let Some(p) = &a.population {
            population(design, at("population"), p)?;
        }
        if !seen_availability.insert(&a.population) {
            let who = a.population.as_ref().map_or_else(|| "all users".to_owned(), |p| format!("`{p}`"));
            fail(at("population"), format!("{who} already has an availability target"))?;
        }
        if a.requests.is_none() && a.time.is_none() {
            fail(at("requests"), "states neither `requests` nor `time`; give one or both".into())?;
        }
        if let Some(v) = a.requests {
            percent(at("requests"), v)?;
        }
        if let Some(v) = a.time {
            percent(at("time"), v)?;
        }
    }
    for (i, r) in t.recovery.iter().enumerate() {
        let at = |f: &str| format!("targets.recovery[{i}].{f}");
        if t.recovery[..i].iter().any(|o| o.disruption == r.disruption) {
            fail(at("disruption"), format!("`{}` already has a recovery target", r.disruption.key()))?;
        }
        if r.rto.is_none() && r.rpo.is_none() {
            fail(at("rto"), "states neither `rto` nor `rpo`; give one or both".into())?;
        }
        if r.rto.is_some_and(|d| d.as_micros() == 0) {
            fail(at("rto"), "must be longer than zero".into())?;
        }
    }
    let mut seen_latency = std::collections::BTreeSet::new();
    for (i, l) in t.latency.iter().enumerate() {
        let at = |f: &str| format!("targets.latency[{i}].{f}");
        population(design, at("population"), &l.population)?;
        if !seen_latency.insert(&l.population) {
            fail(at("population"), format!("`{}` already has a latency target", l.population))?;
        }
        if l.normal_p99_ms.is_none() && l.incident_p99_ms.is_none() {
            fail(at("normal_p99_ms"), "states neither `normal_p99_ms` nor `incident_p99_ms`".into())?;
        }
        if let Some(v) = l.normal_p99_ms {
            positive(at("normal_p99_ms"), v, 600_000.0, "ms")?;
        }
        if let Some(v) = l.incident_p99_ms {
            positive(at("incident_p99_ms"), v, 600_000.0, "ms")?;
        }
    }
    if let Some(v) = t.monthly_cost_ceiling_usd {
        positive("targets.monthly_cost_ceiling_usd".into(), v, 1e12, "USD")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::Population;
    use crate::geo::{Continent, GeoPoint};
    use crate::ids::PopulationId;
    use crate::targets::{AvailabilityTarget, Disruption, LatencyTarget, RecoveryTarget};
    use crate::time::TimeSpan;

    fn design() -> Design {
        let mut d = Design::new("t");
        d.put_population(Population {
            id: PopulationId::new("eu"),
            name: "Europe".into(),
            location: GeoPoint { lat: 50.0, lon: 8.0 },
            country: None,
            continent: Continent::Europe,
            requests_per_sec: 10.0,
            write_fraction: 0.1,
            request_kb: 1.0,
            response_kb: 4.0,
            data_classes: Vec::new(),
            entry: None,
            access: None,
            dns_sticky_share: None,
            dns_sticky_hold: None,
        });
        d
    }

    fn avail(pop: Option<&str>, requests: Option<f64>) -> AvailabilityTarget {
        AvailabilityTarget { population: pop.map(PopulationId::new), requests, time: None }
    }

    #[test]
    fn known_populations_and_percentages_pass() {
        let t = Targets {
            availability: vec![avail(Some("eu"), Some(99.95)), avail(None, Some(99.9))],
            recovery: vec![RecoveryTarget {
                disruption: Disruption::Region,
                rto: Some(TimeSpan::from_secs(900)),
                rpo: Some(TimeSpan::ZERO),
            }],
            latency: vec![LatencyTarget {
                population: PopulationId::new("eu"),
                normal_p99_ms: Some(150.0),
                incident_p99_ms: None,
            }],
            monthly_cost_ceiling_usd: Some(5000.0),
        };
        assert_eq!(targets(&design(), &t), Ok(()));
    }

    #[test]
    fn each_bad_value_is_refused_at_its_field() {
        let d = design();
        let field = |t: Targets| targets(&d, &t).unwrap_err();
        let e = field(Targets { availability: vec![avail(Some("us"), Some(99.9))], ..Targets::default() });
        assert_eq!(e.field, "targets.availability[0].population");
        assert!(e.message.contains("`us` is not in the design (populations: eu)"), "{}", e.message);
        let e = field(Targets { availability: vec![avail(None, Some(0.999))], ..Targets::default() });
        assert_eq!(e.field, "targets.availability[0].requests");
        assert!(e.message.contains("write 99.9"), "{}", e.message);
        for bad in [100.0, -5.0, f64::NAN] {
            let e = field(Targets { availability: vec![avail(None, Some(bad))], ..Targets::default() });
            assert!(e.message.contains("below 100"), "{bad}: {}", e.message);
        }
        let e = field(Targets {
            availability: vec![avail(Some("eu"), Some(99.0)), avail(Some("eu"), Some(99.5))],
            ..Targets::default()
        });
        assert_eq!(e.field, "targets.availability[1].population");
        let e = field(Targets { monthly_cost_ceiling_usd: Some(-1.0), ..Targets::default() });
        assert_eq!(e.field, "targets.monthly_cost_ceiling_usd");
        let region = |rto| RecoveryTarget { disruption: Disruption::Region, rto, rpo: None };
        let e = field(Targets { recovery: vec![region(Some(TimeSpan::ZERO))], ..Targets::default() });
        assert_eq!(e.field, "targets.recovery[0].rto");
        let e = field(Targets {
            recovery: vec![region(Some(TimeSpan::HOUR)), region(Some(TimeSpan::HOUR))],
            ..Targets::default()
        });
        assert_eq!(e.field, "targets.recovery[1].disruption");
        let e = field(Targets {
            latency: vec![LatencyTarget {
                population: PopulationId::new("eu"),
                normal_p99_ms: Some(0.0),
                incident_p99_ms: None,
            }],
            ..Targets::default()
        });
        assert_eq!(e.field, "targets.latency[0].normal_p99_ms");
    }
}
