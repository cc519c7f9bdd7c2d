//! The inspector's recovery fields: the design's alarm, operator and scaling settings, a
//! service's scaling and cold standby, who fails over a routing link or promotes a replica, and a
//! backup's restore time. Each edit is a model command; the model's refusals show under the field.

use egui::{RichText, Ui};
use meridian_model::catalog::WriteModel;
use meridian_model::design::{
    Backup, Initiation, Link, Recovery, Replication, Routing, Scaling, Service, Standby,
};
use meridian_model::dist::Dist;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, Design};

use super::{FieldEdit, Form};

/// The design's recovery settings, each with the catalog's default shown when unset.
pub(super) fn design_recovery_form(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog) {
    let d = &catalog.defaults().recovery;
    let r = design.recovery().clone();
    ui.add_space(8.0);
    ui.strong("Recovery");
    let set = Command::SetRecovery;
    optional_duration(
        ui,
        f,
        "design:alarm_period",
        "Alarm period",
        r.alarm_period,
        d.alarm_period.value,
        |t| set(Recovery { alarm_period: t, ..r.clone() }),
    );
    let mut r2 = r.clone();
    let periods = r.alarm_evaluation_periods.unwrap_or(d.alarm_evaluation_periods.value);
    f.whole(ui, "design:alarm_evaluations", "Alarm evaluation periods", periods, 1.0..=100.0, "", |v| {
        r2.alarm_evaluation_periods = Some(v);
        set(r2)
    });
    let mut r3 = r.clone();
    let response = r.operator_response.unwrap_or(d.operator_response.value);
    median_form(ui, f, "design:operator_response", "Operator response (median)", response, |dist| {
        r3.operator_response = Some(dist);
        set(r3)
    });
    let mut r4 = r.clone();
    let deploy = r.deploy_time.unwrap_or(d.deploy_time.value);
    median_form(ui, f, "design:deploy_time", "Cold deploy time (median)", deploy, |dist| {
        r4.deploy_time = Some(dist);
        set(r4)
    });
    optional_duration(
        ui,
        f,
        "design:scale_out_cooldown",
        "Scale-out cooldown",
        r.scale_out_cooldown,
        TimeSpan::from_secs(300),
        |t| set(Recovery { scale_out_cooldown: t, ..r.clone() }),
    );
    optional_duration(
        ui,
        f,
        "design:scale_in_cooldown",
        "Scale-in cooldown",
        r.scale_in_cooldown,
        TimeSpan::from_secs(300),
        |t| set(Recovery { scale_in_cooldown: t, ..r.clone() }),
    );
    let step = r.max_step.map(f64::from);
    f.optional(ui, "design:max_step", "Scaling step limit", step, 10.0, " units", |v| {
        set(Recovery { max_step: v.map(|x| x.round().max(1.0) as u32), ..r.clone() })
    });
    ui.label(RichText::new("Unset values are the catalog's cited defaults.").weak());
}

/// A service's scaling (kinds that scale by units) and cold standby (regional services).
pub(super) fn service_recovery_form(
    ui: &mut Ui,
    f: &mut Form<'_>,
    catalog: &Catalog,
    s: &Service,
    key: &str,
) {
    let kind = catalog.kind(s.kind);
    let with = |change: &dyn Fn(&mut Service)| {
        let mut next = s.clone();
        change(&mut next);
        Command::UpdateService(next)
    };
    ui.add_space(6.0);
    ui.strong("Recovery");
    if kind.scaling.is_some() {
        let mut scales = s.config.scaling.is_some();
        if ui.checkbox(&mut scales, "Scales out (target tracking) up to a maximum").changed() {
            let max = (s.config.count * 2).max(1);
            f.edits.push(FieldEdit {
                command: with(&|n: &mut Service| n.config.scaling = scales.then(|| Scaling::up_to(max))),
                key: format!("{key}:scaling"),
            });
        }
        if let Some(sc) = &s.config.scaling {
            let sc = sc.clone();
            f.whole(ui, &format!("{key}:scaling_max"), "Maximum units", sc.max, 0.0..=100_000.0, "", |v| {
                with(&|n: &mut Service| n.config.scaling = Some(Scaling { max: v, ..sc.clone() }))
            });
            let sc2 = s.config.scaling.clone().unwrap_or_else(|| Scaling::up_to(1));
            f.optional(
                ui,
                &format!("{key}:scaling_step"),
                "Step limit",
                sc2.max_step.map(f64::from),
                5.0,
                " units",
                |v| {
                    with(&|n: &mut Service| {
                        n.config.scaling =
                            Some(Scaling { max_step: v.map(|x| x.round() as u32), ..sc2.clone() });
                    })
                },
            );
        }
        f.error(ui, &format!("{key}:scaling"));
    }
    if s.placement.region().is_some() {
        let mut cold = s.config.standby == Some(Standby::Cold);
        if ui
            .checkbox(&mut cold, "Cold standby (deployed, and restored, by an operator's failover)")
            .changed()
        {
            f.edits.push(FieldEdit {
                command: with(&|n: &mut Service| n.config.standby = cold.then_some(Standby::Cold)),
                key: format!("{key}:standby"),
            });
        }
        f.error(ui, &format!("{key}:standby"));
    }
}

/// Who fails a routing link over.
pub(super) fn routing_failover_form(
    ui: &mut Ui,
    f: &mut Form<'_>,
    key: &str,
    r: &Routing,
    apply: impl Fn(Routing) -> Command,
) {
    let l = ui.label("Failover by");
    let current = r.failover.unwrap_or(Initiation::Automatic);
    let mut chosen = current;
    egui::ComboBox::from_id_salt(format!("{key}:failover"))
        .selected_text(current.label())
        .show_ui(ui, |ui| {
            for i in Initiation::ALL {
                ui.selectable_value(&mut chosen, i, i.label());
            }
        })
        .response
        .labelled_by(l.id);
    if chosen != current {
        let failover = (chosen != Initiation::Automatic).then_some(chosen);
        f.edits.push(FieldEdit {
            command: apply(Routing { failover, ..r.clone() }),
            key: format!("{key}:failover"),
        });
    }
    f.error(ui, &format!("{key}:failover"));
}

/// Who promotes a single-writer replica.
pub(super) fn replication_promotion_form(
    ui: &mut Ui,
    f: &mut Form<'_>,
    catalog: &Catalog,
    design: &Design,
    link: &Link,
    r: &Replication,
    apply: impl Fn(Replication) -> Command,
) {
    let key = format!("link:{}", link.id);
    let single = design
        .service(&link.from)
        .and_then(|s| catalog.kind(s.kind).datastore.as_ref())
        .is_some_and(|ds| ds.writes == WriteModel::SingleWriter && ds.promotion.is_some());
    if !single {
        return;
    }
    let l = ui.label("Promotion by");
    let current = r.promotion.unwrap_or(Initiation::Operator);
    let mut chosen = current;
    egui::ComboBox::from_id_salt(format!("{key}:promotion"))
        .selected_text(current.label())
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, Initiation::Operator, Initiation::Operator.label());
            ui.selectable_value(&mut chosen, Initiation::Automatic, Initiation::Automatic.label());
        })
        .response
        .labelled_by(l.id);
    if chosen != current {
        let promotion = (chosen != Initiation::Operator).then_some(chosen);
        f.edits.push(FieldEdit {
            command: apply(Replication { promotion, ..r.clone() }),
            key: format!("{key}:promotion"),
        });
    }
    f.error(ui, &format!("{key}:promotion"));
}

/// A backup's restore time: derived from the store's kind and size, or the link's own.
pub(super) fn backup_restore_form(
    ui: &mut Ui,
    f: &mut Form<'_>,
    key: &str,
    b: &Backup,
    apply: impl Fn(Backup) -> Command,
) {
    let mut own = b.restore_time.is_some();
    if ui.checkbox(&mut own, "Own restore time (otherwise derived from the store's kind and size)").changed()
    {
        let restore_time = own.then_some(TimeSpan::HOUR);
        f.edits.push(FieldEdit {
            command: apply(Backup { restore_time, ..b.clone() }),
            key: format!("{key}:restore"),
        });
    }
    if let Some(t) = b.restore_time {
        let b2 = b.clone();
        f.duration(ui, &format!("{key}:restore_time"), "Restore time", t, |t| {
            apply(Backup { restore_time: Some(t), ..b2 })
        });
    }
    f.error(ui, &format!("{key}:restore"));
}

/// An optional duration: a checkbox to set it (starting from `default`), then the value.
fn optional_duration(
    ui: &mut Ui,
    f: &mut Form<'_>,
    key: &str,
    label: &str,
    value: Option<TimeSpan>,
    default: TimeSpan,
    apply: impl Fn(Option<TimeSpan>) -> Command,
) {
    let mut own = value.is_some();
    if ui.checkbox(&mut own, format!("{label} (default {default})")).changed() {
        f.edits.push(FieldEdit { command: apply(own.then_some(default)), key: key.to_owned() });
    }
    if let Some(t) = value {
        f.duration(ui, &format!("{key}:value"), label, t, |t| apply(Some(t)));
    }
    f.error(ui, key);
}

/// A distribution edited by its median (a lognormal keeps its sigma; another becomes one with 0.5).
fn median_form(
    ui: &mut Ui,
    f: &mut Form<'_>,
    key: &str,
    label: &str,
    dist: Dist,
    apply: impl FnOnce(Dist) -> Command,
) {
    let (median, sigma) = match dist {
        Dist::LogNormal { median, sigma } => (median, sigma),
        other => (TimeSpan::from_secs_f64(other.mean_secs()), 0.5),
    };
    f.duration(ui, key, label, median, |m| apply(Dist::LogNormal { median: m, sigma }));
}
