//! The inspector's Targets fields (design selected, or nothing): availability SLOs for all users
//! and per population, RTO and RPO per kind of disruption, P99 latency per population and the
//! monthly cost ceiling. Each field is optional (a checkbox states it); every edit is one
//! `Command::SetTargets`, so undo covers it and the model's refusals show under the field.

use egui::Ui;
use meridian_model::design::Population;
use meridian_model::ids::PopulationId;
use meridian_model::targets::{AvailabilityTarget, Disruption, LatencyTarget, RecoveryTarget, Targets};
use meridian_model::time::TimeSpan;
use meridian_model::{Command, Design};

use super::{FieldEdit, Form};

/// What a new availability SLO starts at, percent: three nines, a common first statement.
const NEW_SLO: f64 = 99.9;
/// What a new RTO starts at: an hour.
const NEW_RTO: TimeSpan = TimeSpan::HOUR;
/// What a new RPO starts at: five minutes.
const NEW_RPO: TimeSpan = TimeSpan::from_secs(300);
/// What a new P99 latency target starts at, milliseconds.
const NEW_P99_MS: f64 = 300.0;

fn set(t: &Targets, change: impl FnOnce(&mut Targets)) -> Command {
    let mut next = t.clone();
    change(&mut next);
    Command::SetTargets(next)
}

/// `t` with the availability SLO of `who` changed by `change`, the entry dropped when it states
/// nothing.
fn with_availability(
    t: &Targets,
    who: Option<&PopulationId>,
    change: impl FnOnce(&mut AvailabilityTarget),
) -> Command {
    set(t, |n| {
        let at = n.availability.iter().position(|a| a.population.as_ref() == who).unwrap_or_else(|| {
            n.availability.push(AvailabilityTarget { population: who.cloned(), requests: None, time: None });
            n.availability.len() - 1
        });
        change(&mut n.availability[at]);
        n.availability.retain(|a| a.requests.is_some() || a.time.is_some());
    })
}

fn with_recovery(t: &Targets, d: Disruption, change: impl FnOnce(&mut RecoveryTarget)) -> Command {
    set(t, |n| {
        let at = n.recovery.iter().position(|r| r.disruption == d).unwrap_or_else(|| {
            n.recovery.push(RecoveryTarget { disruption: d, rto: None, rpo: None });
            n.recovery.len() - 1
        });
        change(&mut n.recovery[at]);
        n.recovery.retain(|r| r.rto.is_some() || r.rpo.is_some());
        n.recovery.sort_by_key(|r| r.disruption);
    })
}

fn with_latency(t: &Targets, p: &PopulationId, change: impl FnOnce(&mut LatencyTarget)) -> Command {
    set(t, |n| {
        let at = n.latency.iter().position(|l| &l.population == p).unwrap_or_else(|| {
            n.latency.push(LatencyTarget {
                population: p.clone(),
                normal_p99_ms: None,
                incident_p99_ms: None,
            });
            n.latency.len() - 1
        });
        change(&mut n.latency[at]);
        n.latency.retain(|l| l.normal_p99_ms.is_some() || l.incident_p99_ms.is_some());
    })
}

impl Form<'_> {
    /// An optional duration: a checkbox states it, then the duration as text.
    fn optional_duration(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        value: Option<TimeSpan>,
        default: TimeSpan,
        apply: impl Fn(Option<TimeSpan>) -> Command,
    ) {
        ui.horizontal(|ui| {
            let mut on = value.is_some();
            let check = ui.checkbox(&mut on, label);
            if check.changed() {
                self.state.errors.remove(key);
                self.state.buffers.remove(key);
                self.edits.push(FieldEdit { command: apply(on.then_some(default)), key: key.to_owned() });
            }
            if let Some(v0) = value
                && let Some(text) = self.typed(ui, key, check.id, &v0.to_string(), 70.0)
            {
                match text.parse::<TimeSpan>() {
                    Ok(v) => {
                        self.state.errors.remove(key);
                        if v != v0 {
                            self.edits.push(FieldEdit { command: apply(Some(v)), key: key.to_owned() });
                        }
                    }
                    Err(e) => {
                        self.state.errors.insert(key.to_owned(), e.to_string());
                    }
                }
            }
        });
        self.error(ui, key);
    }
}

/// The Targets fields of the design.
pub(super) fn design_fields(ui: &mut Ui, f: &mut Form<'_>, design: &Design) {
    ui.add_space(8.0);
    egui::CollapsingHeader::new("Targets").id_salt("inspector-targets").default_open(true).show(ui, |ui| {
        let t = design.targets();
        ui.label(egui::RichText::new("Checked by every simulation; percentages as 99.95").weak().small());
        let mut whos: Vec<(Option<PopulationId>, String)> = vec![(None, "all users".to_owned())];
        whos.extend(design.populations().map(|p: &Population| (Some(p.id.clone()), p.name.clone())));
        for (who, name) in &whos {
            let current = t.availability.iter().find(|a| &a.population == who);
            f.optional(
                ui,
                &format!("targets:availability-requests:{name}"),
                &format!("Availability, requests, {name}"),
                current.and_then(|a| a.requests),
                NEW_SLO,
                "%",
                |v| with_availability(t, who.as_ref(), |a| a.requests = v),
            );
            f.optional(
                ui,
                &format!("targets:availability-time:{name}"),
                &format!("Availability, time, {name}"),
                current.and_then(|a| a.time),
                NEW_SLO,
                "%",
                |v| with_availability(t, who.as_ref(), |a| a.time = v),
            );
        }
        for d in Disruption::ALL {
            let current = t.recovery_for(d);
            f.optional_duration(
                ui,
                &format!("targets:rto:{}", d.key()),
                &format!("RTO, {}", d.label()),
                current.and_then(|r| r.rto),
                NEW_RTO,
                |v| with_recovery(t, d, |r| r.rto = v),
            );
            f.optional_duration(
                ui,
                &format!("targets:rpo:{}", d.key()),
                &format!("RPO, {}", d.label()),
                current.and_then(|r| r.rpo),
                NEW_RPO,
                |v| with_recovery(t, d, |r| r.rpo = v),
            );
        }
        for p in design.populations() {
            let current = t.latency.iter().find(|l| l.population == p.id);
            f.optional(
                ui,
                &format!("targets:p99-normal:{}", p.id),
                &format!("P99 latency, normal, {}", p.name),
                current.and_then(|l| l.normal_p99_ms),
                NEW_P99_MS,
                "ms",
                |v| with_latency(t, &p.id, |l| l.normal_p99_ms = v),
            );
            f.optional(
                ui,
                &format!("targets:p99-incident:{}", p.id),
                &format!("P99 latency, incidents, {}", p.name),
                current.and_then(|l| l.incident_p99_ms),
                NEW_P99_MS,
                "ms",
                |v| with_latency(t, &p.id, |l| l.incident_p99_ms = v),
            );
        }
        f.optional(
            ui,
            "targets:cost",
            "Monthly cost ceiling",
            t.monthly_cost_ceiling_usd,
            10_000.0,
            "USD",
            |v| set(t, |n| n.monthly_cost_ceiling_usd = v),
        );
    });
}
