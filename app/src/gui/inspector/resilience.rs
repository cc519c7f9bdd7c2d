//! The inspector's fields of the simulator's resilience mechanisms (issue 14): the design's repair
//! crews, beta factor and deployment practice; a service's deployment group and control plane; a
//! replication link's consistency mode (MRSC witness, Aurora write forwarding); a population's
//! sticky DNS clients. Every edit is a model command; refusals show under the field.

use egui::Ui;
use meridian_model::ServiceKind;
use meridian_model::design::{
    Deployment, Link, LinkKind, Population, ReadConsistency, Replication, ReplicationMode, Resilience,
    Service,
};
use meridian_model::ids::RegionId;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, Design};

use super::{FieldEdit, Form};

impl Form<'_> {
    /// Asks for `command`, from the field `key`.
    fn push(&mut self, command: Command, key: &str) {
        self.edits.push(FieldEdit { command, key: key.to_owned() });
    }
}

/// `None` for an empty text, else the trimmed text.
fn non_empty(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Repair crews, beta factor and deployment practice of the design.
pub(super) fn design_fields(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog) {
    ui.add_space(8.0);
    ui.strong("Failures and repair");
    let r = design.resilience().clone();
    let facts = catalog.resilience();
    let set = |change: &dyn Fn(&mut Resilience)| {
        let mut next = r.clone();
        change(&mut next);
        Command::SetResilience(next)
    };
    f.optional(
        ui,
        "design:repair_crews",
        "Repair crews (failures fixed at once)",
        r.repair_crews.map(f64::from),
        f64::from(facts.repair_crews.value),
        "",
        |v| set(&|n: &mut Resilience| n.repair_crews = v.map(|x| x.round().max(0.0) as u32)),
    );
    f.optional(
        ui,
        "design:beta",
        "Common-cause share (beta) of deployment groups",
        r.common_cause_beta,
        facts.common_cause_beta.value,
        "",
        |v| set(&|n: &mut Resilience| n.common_cause_beta = v),
    );
    let mut staggered = !r.deployment.is_all_at_once();
    if ui.checkbox(&mut staggered, "Deploy region by region (staggered)").changed() {
        let deployment = if staggered {
            Deployment::Staggered { bake: None, order: Vec::new() }
        } else {
            Deployment::AllAtOnce
        };
        f.push(set(&|n: &mut Resilience| n.deployment = deployment.clone()), "design:deployment");
    }
    if let Deployment::Staggered { bake, order } = &r.deployment {
        let order = order.clone();
        f.duration(ui, "design:bake", "Bake time per region", bake.unwrap_or(facts.bake_time.value), |t| {
            set(&|n: &mut Resilience| {
                n.deployment = Deployment::Staggered { bake: Some(t), order: order.clone() }
            })
        });
    }
    f.error(ui, "design:deployment");
}

/// A service's deployment group and the control plane its repairs need.
pub(super) fn service_fields(ui: &mut Ui, f: &mut Form<'_>, catalog: &Catalog, s: &Service) {
    let key = |field: &str| format!("service:{}:{field}", s.id);
    let with = |change: &dyn Fn(&mut Service)| {
        let mut next = s.clone();
        change(&mut next);
        Command::UpdateService(next)
    };
    f.text(
        ui,
        &key("deployment_group"),
        "Deployment group (deployed together; common-cause failures)",
        s.deployment_group.as_deref().unwrap_or(""),
        |v| with(&|n: &mut Service| n.deployment_group = non_empty(&v)),
    );
    let hint = catalog
        .resilience()
        .control_plane(s.kind)
        .map_or_else(String::new, |c| format!(" (its control plane is in {})", c.value));
    f.text(
        ui,
        &key("control_plane"),
        &format!("Control plane region its repairs need{hint}"),
        s.control_plane.as_ref().map_or("", RegionId::as_str),
        |v| with(&|n: &mut Service| n.control_plane = non_empty(&v).map(RegionId::new)),
    );
}

/// A replication link's witness (DynamoDB MRSC) or write forwarding (Aurora).
pub(super) fn replication_fields(ui: &mut Ui, f: &mut Form<'_>, design: &Design, l: &Link, r: &Replication) {
    let key = |field: &str| format!("link:{}:{field}", l.id);
    let with = |change: &dyn Fn(&mut Replication)| {
        let mut next = r.clone();
        change(&mut next);
        Command::UpdateLink(Link { kind: LinkKind::Replication(next), ..l.clone() })
    };
    let kind = design.service(&l.from).map(|s| s.kind);
    if kind == Some(ServiceKind::DynamoDb) && r.mode == ReplicationMode::Sync {
        f.text(
            ui,
            &key("witness"),
            "Witness region (two replicas and a witness)",
            r.witness.as_ref().map_or("", RegionId::as_str),
            |v| with(&|n: &mut Replication| n.witness = non_empty(&v).map(RegionId::new)),
        );
    }
    if kind == Some(ServiceKind::Aurora) {
        let l2 = ui.label("Write forwarding at the secondary");
        let mut level = r.write_forwarding;
        let shown = level.map_or("off", ReadConsistency::aws_value);
        egui::ComboBox::from_id_salt(key("write_forwarding"))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut level, None, "off");
                for c in ReadConsistency::ALL {
                    ui.selectable_value(&mut level, Some(c), c.aws_value());
                }
            })
            .response
            .labelled_by(l2.id);
        if level != r.write_forwarding {
            f.push(with(&|n: &mut Replication| n.write_forwarding = level), &key("write_forwarding"));
        }
        f.error(ui, &key("write_forwarding"));
    }
}

/// A population's clients that hold DNS answers beyond the TTL.
pub(super) fn population_fields(ui: &mut Ui, f: &mut Form<'_>, catalog: &Catalog, p: &Population) {
    let key = |field: &str| format!("population:{}:{field}", p.id);
    let with = |change: &dyn Fn(&mut Population)| {
        let mut next = p.clone();
        change(&mut next);
        Command::UpdatePopulation(next)
    };
    let facts = catalog.resilience();
    f.optional(
        ui,
        &key("dns_sticky_share"),
        "Share of clients holding DNS answers beyond the TTL",
        p.dns_sticky_share,
        facts.dns_sticky_share.value,
        "",
        |v| with(&|n: &mut Population| n.dns_sticky_share = v),
    );
    if p.dns_sticky_share.is_some() {
        let hold: TimeSpan = p.dns_sticky_hold.unwrap_or(facts.dns_sticky_hold.value);
        f.duration(ui, &key("dns_sticky_hold"), "Their mean extra hold", hold, |t| {
            with(&|n: &mut Population| n.dns_sticky_hold = Some(t))
        });
    }
}
