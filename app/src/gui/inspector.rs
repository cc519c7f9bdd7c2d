//! The inspector: every property of the selected entity, edited in place. Each edit is a model
//! command; consecutive edits of one field merge into one undo step. A value the model refuses
//! stays in its field with the reason underneath, and the design is unchanged.

#![allow(clippy::float_cmp)] // A field changed exactly when its value differs from the model's.

use std::collections::BTreeMap;

use egui::{RichText, Ui};
use meridian_assess::network::{intra_text, pair_text, path_text};
use meridian_model::design::{
    Access, Dependency, FailoverRole, HealthCheck, Link, LinkKind, Placement, Population, Region,
    ReplicationMode, Routing, RoutingPolicy, Service,
};
use meridian_model::geo::Continent;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, Design, EntityRef};

use super::command::{AppCommand, FieldEdit};
use super::context::ViewContext;
use super::theme::Palette;

mod annotation;
mod multi;
mod recovery;
mod resilience;
mod targets;
/// Text being typed into fields, and the model's objections to it.
#[derive(Debug, Default)]
pub struct InspectorState {
    /// The entity the fields belong to; selecting another forgets typed text and refusals.
    shown: Option<EntityRef>,
    /// The entities of a multi-selection whose shared fields are shown.
    shown_many: std::collections::BTreeSet<EntityRef>,
    buffers: BTreeMap<String, String>,
    /// Why the last edit of a field was refused, by field key.
    pub errors: BTreeMap<String, String>,
}

struct Form<'a> {
    state: &'a mut InspectorState,
    edits: Vec<FieldEdit>,
    pal: Palette,
}

impl Form<'_> {
    fn error(&self, ui: &mut Ui, key: &str) {
        if let Some(e) = self.state.errors.get(key) {
            // Wrapped, so a long reason is read whole in a narrow inspector.
            ui.add(egui::Label::new(RichText::new(e).color(self.pal.error).small()).wrap());
        }
    }

    /// A single-line text field; `apply` builds the command for a new value.
    fn text(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        current: &str,
        apply: impl FnOnce(String) -> Command,
    ) {
        self.parsed_text(ui, key, label, current, |v| Ok(apply(v)));
    }

    /// A single-line text field whose text `parse` turns into a command, or refuses with a
    /// reason: the refused text stays in the field with the reason underneath.
    fn parsed_text(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        current: &str,
        parse: impl FnOnce(String) -> Result<Command, String>,
    ) {
        let l = ui.label(label);
        if let Some(text) = self.typed(ui, key, l.id, current, f32::INFINITY) {
            match parse(text) {
                Ok(command) => {
                    self.state.errors.remove(key);
                    self.edits.push(FieldEdit { command, key: key.to_owned() });
                }
                Err(reason) => {
                    self.state.errors.insert(key.to_owned(), reason);
                }
            }
        }
        self.error(ui, key);
    }

    /// The text box of a field, kept in the field's buffer: returns the text when the user changed
    /// it this frame. While the field has no refusal and is not being edited, it shows `current`
    /// (the model's value, which undo or another widget may have changed); a refused text stays,
    /// with its reason, until the user types a value the model takes or selects something else.
    fn typed(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: egui::Id,
        current: &str,
        width: f32,
    ) -> Option<String> {
        let buf = self.state.buffers.entry(key.to_owned()).or_insert_with(|| current.to_owned());
        let resp = ui.add(egui::TextEdit::singleline(buf).desired_width(width)).labelled_by(label);
        if resp.changed() {
            return Some(buf.clone());
        }
        if !resp.has_focus() && *buf != current && !self.state.errors.contains_key(key) {
            current.clone_into(buf);
        }
        None
    }

    /// A number typed into its field: text that is not a number, or a number outside `range`,
    /// is refused with the reason and stays in the field (never clamped or dropped).
    #[allow(clippy::too_many_arguments)] // One field: key, label, value, range, unit and command.
    fn number(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        value: f64,
        range: std::ops::RangeInclusive<f64>,
        suffix: &str,
        apply: impl FnOnce(f64) -> Command,
    ) {
        self.number_field(ui, &NumberSpec { key, label, range, suffix, whole: false }, value, apply);
    }

    /// A whole number (a count) typed into its field: fractions, negative numbers and text are
    /// refused with the reason, as [`Form::number`] does.
    #[allow(clippy::too_many_arguments)] // One field: key, label, value, range, unit and command.
    fn whole(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        value: u32,
        range: std::ops::RangeInclusive<f64>,
        suffix: &str,
        apply: impl FnOnce(u32) -> Command,
    ) {
        let spec = NumberSpec { key, label, range, suffix, whole: true };
        // `parse_number` has checked that the value is whole and inside `range` (within u32).
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        self.number_field(ui, &spec, f64::from(value), |v| apply(v as u32));
    }

    fn number_field(
        &mut self,
        ui: &mut Ui,
        spec: &NumberSpec<'_>,
        value: f64,
        apply: impl FnOnce(f64) -> Command,
    ) {
        let l = ui.label(spec.label);
        let typed = ui
            .horizontal(|ui| {
                let typed = self.typed(ui, spec.key, l.id, &number_text(value), 90.0);
                if !spec.suffix.trim().is_empty() {
                    ui.label(spec.suffix.trim());
                }
                typed
            })
            .inner;
        if let Some(text) = typed {
            match parse_number(&text, &spec.range, spec.whole) {
                Ok(v) => {
                    self.state.errors.remove(spec.key);
                    if v != value {
                        self.edits.push(FieldEdit { command: apply(v), key: spec.key.to_owned() });
                    }
                }
                Err(reason) => {
                    self.state.errors.insert(spec.key.to_owned(), reason);
                }
            }
        }
        self.error(ui, spec.key);
    }

    /// An optional number: a checkbox to set it, then the number, refused like [`Form::number`].
    #[allow(clippy::too_many_arguments)] // One field: key, label, value, default, unit and command.
    fn optional(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        value: Option<f64>,
        default: f64,
        suffix: &str,
        apply: impl Fn(Option<f64>) -> Command,
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
                && let Some(text) = self.typed(ui, key, check.id, &number_text(v0), 80.0)
            {
                match parse_number(&text, &(0.0..=1e9), false) {
                    Ok(v) => {
                        self.state.errors.remove(key);
                        if v != v0 {
                            self.edits.push(FieldEdit { command: apply(Some(v)), key: key.to_owned() });
                        }
                    }
                    Err(reason) => {
                        self.state.errors.insert(key.to_owned(), reason);
                    }
                }
            }
            if value.is_some() && !suffix.trim().is_empty() {
                ui.label(suffix.trim());
            }
        });
        self.error(ui, key);
    }

    /// A duration typed as text (`30s`, `2h`).
    fn duration(
        &mut self,
        ui: &mut Ui,
        key: &str,
        label: &str,
        value: TimeSpan,
        apply: impl FnOnce(TimeSpan) -> Command,
    ) {
        let l = ui.label(label);
        if let Some(text) = self.typed(ui, key, l.id, &value.to_string(), 90.0) {
            match text.parse::<TimeSpan>() {
                Ok(t) => {
                    self.state.errors.remove(key);
                    self.edits.push(FieldEdit { command: apply(t), key: key.to_owned() });
                }
                Err(e) => {
                    self.state.errors.insert(key.to_owned(), e.to_string());
                }
            }
        }
        self.error(ui, key);
    }
}

/// The right-hand panel: what is selected, the selected service's own cost, and the
/// inspector's form, whose edits are sent as [`AppCommand::Edit`].
pub fn inspector_panel_ui(ui: &mut Ui, view: &ViewContext<'_>, state: &mut InspectorState) {
    // Long labels (checkboxes, notes) wrap at the panel's edge instead of widening the form past
    // it, where the fields filling the width would be clipped.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
    ui.add_space(4.0);
    let selection = view.selection;
    if selection.len() > 1 {
        ui.heading(format!("{} selected", selection.len()));
        ui.label("Delete, duplicate or copy them together, or drag them into another region.");
        if &state.shown_many != selection {
            state.shown_many.clone_from(selection);
            state.shown = None;
            state.buffers.clear();
            state.errors.clear();
        }
        let services = multi::selected_services(view.design(), selection);
        if services.len() > 1 {
            ui.separator();
            let mut form = Form { state, edits: Vec::new(), pal: Palette::of(ui.visuals()) };
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                multi::services_form(ui, &mut form, view.catalog, &services);
            });
            for edit in form.edits {
                view.send(AppCommand::Edit(edit));
            }
        }
        return;
    }
    state.shown_many.clear();
    let single = selection.iter().next();
    if state.shown.as_ref() != single {
        state.shown = single.cloned();
        state.buffers.clear();
        state.errors.clear();
    }
    if let Some(EntityRef::Service(id)) = single
        && let Ok(bill) = &view.analysis.bill
    {
        let lines: Vec<_> = bill.lines.iter().filter(|l| &l.service == id).collect();
        let total: f64 = lines.iter().map(|l| l.usd_per_month).sum();
        // A sum of nothing (or of cents that cancel) is $0.00, never "$-0.00".
        let total = if total.abs() < 0.005 { 0.0 } else { total };
        egui::CollapsingHeader::new(format!("Cost: ${total:.2} per month")).id_salt("svc-cost").show(
            ui,
            |ui| {
                for l in lines {
                    ui.label(
                        RichText::new(format!(
                            "{}: {:.2} {} × ${:.4} = ${:.2}",
                            l.dimension, l.quantity, l.unit, l.unit_price_usd, l.usd_per_month
                        ))
                        .small(),
                    );
                }
            },
        );
        ui.separator();
    }
    for edit in inspector_ui(ui, view.design(), view.catalog, single, state) {
        view.send(AppCommand::Edit(edit));
    }
}

/// Shows the inspector for the selection; returns the edits to apply.
fn inspector_ui(
    ui: &mut Ui,
    design: &Design,
    catalog: &Catalog,
    selection: Option<&EntityRef>,
    state: &mut InspectorState,
) -> Vec<FieldEdit> {
    let mut form = Form { state, edits: Vec::new(), pal: Palette::of(ui.visuals()) };
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("inspector").num_columns(1).striped(false).show(ui, |ui| {
            ui.vertical(|ui| match selection {
                None | Some(EntityRef::Design) => {
                    design_form(ui, &mut form, design, catalog);
                    resilience::design_fields(ui, &mut form, design, catalog);
                    targets::design_fields(ui, &mut form, design);
                }
                Some(EntityRef::Region(id)) => {
                    if let Some(r) = design.region(id) {
                        region_form(ui, &mut form, design, catalog, r);
                    }
                }
                Some(EntityRef::Service(id)) => {
                    if let Some(s) = design.service(id) {
                        service_form(ui, &mut form, design, catalog, s);
                        resilience::service_fields(ui, &mut form, catalog, s);
                    }
                }
                Some(EntityRef::Link(id)) => {
                    if let Some(l) = design.link(id) {
                        link_form(ui, &mut form, design, catalog, l);
                        if let LinkKind::Replication(r) = &l.kind {
                            resilience::replication_fields(ui, &mut form, design, l, r);
                        }
                    }
                }
                Some(EntityRef::Population(id)) => {
                    if let Some(p) = design.population(id) {
                        population_form(ui, &mut form, design, catalog, p);
                        resilience::population_fields(ui, &mut form, catalog, p);
                    }
                }
                Some(EntityRef::Annotation(id)) => {
                    if let Some(a) = design.annotation(id) {
                        annotation::annotation_form(ui, &mut form, a);
                    }
                }
            });
        });
    });
    form.edits
}

fn heading(ui: &mut Ui, title: &str, subtitle: &str) {
    ui.heading(title);
    if !subtitle.is_empty() {
        ui.label(RichText::new(subtitle).weak());
    }
    ui.separator();
}

fn design_form(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog) {
    heading(ui, "Design", "Nothing selected: the design's own properties.");
    f.text(ui, "design:name", "Name", design.name(), Command::SetName);
    let l = ui.label("Description");
    let key = "design:description";
    let buf = f.state.buffers.entry(key.to_owned()).or_insert_with(|| design.description().to_owned());
    let resp =
        ui.add(egui::TextEdit::multiline(buf).desired_rows(3).desired_width(f32::INFINITY)).labelled_by(l.id);
    if resp.changed() {
        f.edits.push(FieldEdit { command: Command::SetDescription(buf.clone()), key: key.to_owned() });
    } else if !resp.has_focus() {
        design.description().clone_into(buf);
    }
    ui.add_space(8.0);
    ui.strong("Workload");
    let w = design.workload().clone();
    let set = |w: meridian_model::design::Workload| Command::SetWorkload(w);
    let mut w1 = w.clone();
    f.number(ui, "design:hours", "Hours per month", w.hours_per_month, 1.0..=744.0, " h", |v| {
        w1.hours_per_month = v;
        set(w1)
    });
    let mut w2 = w.clone();
    f.number(
        ui,
        "design:growth",
        "Growth per month",
        w.growth_percent_per_month,
        -100.0..=1000.0,
        " %",
        |v| {
            w2.growth_percent_per_month = v;
            set(w2)
        },
    );
    let mut w3 = w.clone();
    f.number(ui, "design:peak", "Peak / average traffic", w.peak_to_average, 1.0..=1000.0, "×", |v| {
        w3.peak_to_average = v;
        set(w3)
    });
    let mut w4 = w;
    f.number(ui, "design:item", "Item size", w4.item_kb, 0.0..=1e6, " KB", |v| {
        w4.item_kb = v;
        set(w4)
    });
    recovery::design_recovery_form(ui, f, design, catalog);
    ui.add_space(8.0);
    ui.label(
        RichText::new(format!(
            "{} regions · {} services · {} links · {} populations",
            design.regions().len(),
            design.services().len(),
            design.links().len(),
            design.populations().len()
        ))
        .weak(),
    );
}

fn region_form(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog, r: &Region) {
    let info = catalog.region(r.id.as_str());
    let subtitle =
        info.map_or(String::new(), |i| format!("{} · {} · jurisdiction {}", i.name, i.city, i.jurisdiction));
    heading(ui, &format!("Region {}", r.id), &subtitle);
    let Some(info) = info else { return };
    ui.strong("Availability zones used");
    for az in &info.az_ids {
        let mut on = r.azs.contains(az);
        if ui.checkbox(&mut on, az).changed() {
            let mut next = r.clone();
            if on {
                next.azs.push(az.clone());
                next.azs.sort();
            } else {
                next.azs.retain(|a| a != az);
            }
            f.edits.push(FieldEdit {
                command: Command::UpdateRegion(next),
                key: format!("region:{}:azs", r.id),
            });
        }
    }
    f.error(ui, &format!("region:{}:azs", r.id));
    let region = r.clone();
    failure_form(ui, f, &format!("region:{}:failure", r.id), r.failure.as_ref(), |spec| {
        Command::UpdateRegion(Region { failure: spec, ..region.clone() })
    });
    ui.add_space(6.0);
    ui.strong("Round trips (p50)");
    ui.label(format!("Inside: {}", intra_text(catalog, r.id.as_str())));
    for p in meridian_model::latency::design_round_trips(design, catalog) {
        let other = if p.a == r.id.as_str() {
            &p.b
        } else if p.b == r.id.as_str() {
            &p.a
        } else {
            continue;
        };
        ui.label(format!("To {other}: {}", pair_text(catalog, &p)));
    }
    ui.add_space(6.0);
    let n = design.services_in(&r.id).count();
    ui.label(
        RichText::new(format!(
            "{n} services · launched {} · {} AZs in all",
            info.launched,
            info.az_ids.len()
        ))
        .weak(),
    );
}

#[allow(clippy::too_many_lines)] // One field after another, in the order the user reads them.
fn service_form(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog, s: &Service) {
    let kind = catalog.kind(s.kind);
    heading(ui, &s.name, &format!("{} · id {}", kind.name, s.id));
    let key = |field: &str| format!("service:{}:{field}", s.id);
    let with = |change: &dyn Fn(&mut Service)| {
        let mut next = s.clone();
        change(&mut next);
        Command::UpdateService(next)
    };
    f.text(ui, &key("name"), "Name", &s.name, |v| with(&|n: &mut Service| n.name.clone_from(&v)));

    // Kind: any kind of the same scope.
    let l = ui.label("Kind");
    let scope = kind.scope;
    let mut chosen = s.kind;
    egui::ComboBox::from_id_salt(key("kind"))
        .selected_text(kind.short.as_str())
        .show_ui(ui, |ui| {
            for k in catalog.kinds().iter().filter(|k| k.scope == scope) {
                ui.selectable_value(&mut chosen, k.id, &k.short);
            }
        })
        .response
        .labelled_by(l.id);
    if chosen != s.kind {
        f.edits.push(FieldEdit { command: with(&|n: &mut Service| n.kind = chosen), key: key("kind") });
    }
    f.error(ui, &key("kind"));

    if let Placement::Region(current) = &s.placement {
        let l = ui.label("Region");
        let mut region = current.clone();
        egui::ComboBox::from_id_salt(key("region"))
            .selected_text(region.as_str())
            .show_ui(ui, |ui| {
                for r in design.regions() {
                    ui.selectable_value(&mut region, r.id.clone(), r.id.as_str());
                }
            })
            .response
            .labelled_by(l.id);
        if &region != current {
            f.edits.push(FieldEdit {
                command: with(&|n: &mut Service| {
                    n.placement = Placement::Region(region.clone());
                    n.config.azs.clear();
                }),
                key: key("region"),
            });
        }
        f.error(ui, &key("placement"));
    }

    ui.add_space(6.0);
    ui.strong("Configuration");
    let c = &s.config;
    // Only the fields that mean something for this kind (and any the design sets anyway).
    let applies = meridian_model::sizing::config_fields(s.kind);
    if kind.capacity.is_some() || applies.instance_type || c.count != 1 {
        let max = f64::from(meridian_model::MAX_COUNT); // the loader's bound, one rule for both doors
        f.whole(ui, &key("count"), "Count (instances, tasks, nodes)", c.count, 0.0..=max, "", |v| {
            with(&|n: &mut Service| n.config.count = v)
        });
    }
    if applies.instance_type || c.instance_type.is_some() {
        f.text(ui, &key("instance_type"), "Instance type", c.instance_type.as_deref().unwrap_or(""), |v| {
            with(&|n: &mut Service| {
                n.config.instance_type = (!v.trim().is_empty()).then(|| v.trim().to_owned());
            })
        });
    }
    if applies.engine || c.engine.is_some() {
        f.text(ui, &key("engine"), "Engine", c.engine.as_deref().unwrap_or(""), |v| {
            with(&|n: &mut Service| n.config.engine = (!v.trim().is_empty()).then(|| v.trim().to_owned()))
        });
    }
    if applies.vcpu || c.vcpu.is_some() {
        f.optional(ui, &key("vcpu"), "vCPU per task", c.vcpu, 1.0, " vCPU", |v| {
            with(&|n: &mut Service| n.config.vcpu = v)
        });
    }
    if applies.memory || c.memory_gib.is_some() {
        f.optional(ui, &key("memory"), "Memory per task", c.memory_gib, 2.0, " GiB", |v| {
            with(&|n: &mut Service| n.config.memory_gib = v)
        });
    }
    if kind.is_datastore() || c.storage_gb.is_some() {
        f.optional(ui, &key("storage"), "Storage", c.storage_gb, 100.0, " GB", |v| {
            with(&|n: &mut Service| n.config.storage_gb = v)
        });
    }
    if kind.capacity.is_some() || c.capacity_rps.is_some() {
        f.optional(ui, &key("capacity"), "Capacity", c.capacity_rps, 1000.0, " req/s", |v| {
            with(&|n: &mut Service| n.config.capacity_rps = v)
        });
    }
    f.optional(ui, &key("latency"), "Latency override", s.latency_ms, 5.0, " ms", |v| {
        with(&|n: &mut Service| n.latency_ms = v)
    });
    if let Some(cache) = &kind.cache {
        // The catalog's default is a modelling assumption: say so until the design sets its own.
        f.optional(
            ui,
            &key("hit_ratio"),
            "Hit ratio (share of reads)",
            c.hit_ratio,
            cache.hit_ratio.value,
            "",
            |v| with(&|n: &mut Service| n.config.hit_ratio = v),
        );
        if c.hit_ratio.is_none() {
            ui.label(
                RichText::new(format!(
                    "Default {:.2}: a modelling assumption (catalog)",
                    cache.hit_ratio.value
                ))
                .weak()
                .small(),
            );
        }
    }

    recovery::service_recovery_form(ui, f, catalog, s, &format!("service:{}", s.id));

    ui.add_space(6.0);
    ui.strong("Tags and data");
    let tags = s.tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    f.parsed_text(ui, &key("tags"), "Tags (key=value, …)", &tags, |v| {
        let tags = parse_tags(&v)?;
        Ok(with(&|n: &mut Service| n.tags.clone_from(&tags)))
    });
    let classes = s.data_classes.join(", ");
    f.text(ui, &key("data_classes"), "Data classes (e.g. personal:EU)", &classes, |v| {
        with(&|n: &mut Service| n.data_classes = split_list(&v))
    });
    ui.add_space(6.0);
    failure_form(ui, f, &key("failure"), s.failure.as_ref(), |spec| {
        with(&|n: &mut Service| n.failure = spec)
    });
    let links = design.links_from(&s.id).count() + design.links_to(&s.id).count();
    ui.label(
        RichText::new(format!("{links} links · drag from the handle on a card's right edge to connect"))
            .weak(),
    );
}

/// Failure override: off (catalog defaults) or exponential time to failure and repair, in hours.
fn failure_form(
    ui: &mut Ui,
    f: &mut Form<'_>,
    key: &str,
    spec: Option<&meridian_model::dist::FailureSpec>,
    apply: impl Fn(Option<meridian_model::dist::FailureSpec>) -> Command,
) {
    use meridian_model::dist::{Dist, FailureSpec};
    ui.add_space(6.0);
    let mut own = spec.is_some();
    if ui.checkbox(&mut own, "Own failure behaviour (otherwise the catalog's)").changed() {
        let default = FailureSpec {
            time_to_failure: Dist::Exponential { mean: TimeSpan::from_secs(2000 * 3600) },
            time_to_repair: Dist::Exponential { mean: TimeSpan::from_secs(4 * 3600) },
        };
        f.edits.push(FieldEdit { command: apply(own.then_some(default)), key: key.to_owned() });
    }
    if let Some(spec) = spec {
        let spec = *spec;
        f.duration(
            ui,
            &format!("{key}:mttf"),
            "Mean time to failure",
            TimeSpan::from_secs_f64(spec.time_to_failure.mean_secs()),
            |t| apply(Some(FailureSpec { time_to_failure: Dist::Exponential { mean: t }, ..spec })),
        );
        f.duration(
            ui,
            &format!("{key}:mttr"),
            "Mean time to repair",
            TimeSpan::from_secs_f64(spec.time_to_repair.mean_secs()),
            |t| apply(Some(FailureSpec { time_to_repair: Dist::Exponential { mean: t }, ..spec })),
        );
        ui.label(
            RichText::new(format!("availability on its own: {:.5}%", spec.availability() * 100.0)).weak(),
        );
    }
    f.error(ui, key);
}

/// What a number field accepts.
struct NumberSpec<'a> {
    key: &'a str,
    label: &'a str,
    range: std::ops::RangeInclusive<f64>,
    suffix: &'a str,
    whole: bool,
}

/// A number as the user would type it: `2`, `0.25`, `1000000`.
fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { v.to_string() }
}

/// Reads a typed number, or says why it is refused (shown under the field, which keeps the text).
fn parse_number(text: &str, range: &std::ops::RangeInclusive<f64>, whole: bool) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("enter a number".to_owned());
    }
    let v: f64 = t.parse().map_err(|_| format!("`{t}` is not a number"))?;
    if !v.is_finite() {
        return Err(format!("`{t}` is not a finite number"));
    }
    if whole && v.fract() != 0.0 {
        return Err(format!("{t} is not a whole number"));
    }
    if !range.contains(&v) {
        return Err(format!(
            "{t} is refused: it must be from {} to {}",
            number_text(*range.start()),
            number_text(*range.end())
        ));
    }
    Ok(v)
}

/// Reads `key=value, …` tags; a piece without `=` or with an empty key is refused, not dropped.
fn parse_tags(v: &str) -> Result<BTreeMap<String, String>, String> {
    let mut tags = BTreeMap::new();
    for piece in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, val)) = piece.split_once('=') else {
            return Err(format!("tag `{piece}` has no `=`: write key=value"));
        };
        if k.trim().is_empty() {
            return Err(format!("tag `{piece}` has no key: write key=value"));
        }
        tags.insert(k.trim().to_owned(), val.trim().to_owned());
    }
    Ok(tags)
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[allow(clippy::too_many_lines)] // One field after another, in the order the user reads them.
fn link_form(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog, l: &Link) {
    let name = |id| design.service(id).map_or_else(|| id.to_string(), |s| s.name.clone());
    heading(
        ui,
        &format!("{} link", l.kind.tag().label()),
        &format!("{} -> {} · id {}", name(&l.from), name(&l.to), l.id),
    );
    let key = |field: &str| format!("link:{}:{field}", l.id);
    let with = |kind: LinkKind| Command::UpdateLink(Link { kind, ..l.clone() });
    match &l.kind {
        LinkKind::Replication(r) => {
            let mut mode = r.mode;
            ui.horizontal(|ui| {
                ui.label("Mode");
                ui.radio_value(&mut mode, ReplicationMode::Async, "asynchronous");
                ui.radio_value(&mut mode, ReplicationMode::Sync, "synchronous");
            });
            if mode != r.mode {
                f.edits.push(FieldEdit {
                    command: with(LinkKind::Replication(meridian_model::design::Replication {
                        mode,
                        ..r.clone()
                    })),
                    key: key("mode"),
                });
            }
            f.error(ui, &key("mode"));
            // Replication Time Control is an S3 feature: offered on S3 links (or if a file sets it).
            let s3 = design.service(&l.from).is_some_and(|s| s.kind == meridian_model::ServiceKind::S3);
            let mut rtc = r.rtc;
            if (s3 || r.rtc) && ui.checkbox(&mut rtc, "S3 Replication Time Control").changed() {
                f.edits.push(FieldEdit {
                    command: with(LinkKind::Replication(meridian_model::design::Replication {
                        rtc,
                        ..r.clone()
                    })),
                    key: key("rtc"),
                });
            }
            f.error(ui, &key("rtc"));
            recovery::replication_promotion_form(ui, f, catalog, design, l, r, |r| {
                with(LinkKind::Replication(r))
            });
            let mut own_lag = r.lag.is_some();
            if ui.checkbox(&mut own_lag, "Own lag (otherwise the catalog's default)").changed() {
                let lag = own_lag
                    .then_some(meridian_model::dist::Dist::Exponential { mean: TimeSpan::from_secs(1) });
                f.edits.push(FieldEdit {
                    command: with(LinkKind::Replication(meridian_model::design::Replication {
                        lag,
                        ..r.clone()
                    })),
                    key: key("lag"),
                });
            }
            if let Some(lag) = r.lag {
                let r2 = r.clone();
                f.duration(
                    ui,
                    &key("lag_mean"),
                    "Mean lag (exponential)",
                    TimeSpan::from_secs_f64(lag.mean_secs()),
                    |t| {
                        with(LinkKind::Replication(meridian_model::design::Replication {
                            lag: Some(meridian_model::dist::Dist::Exponential { mean: t }),
                            ..r2
                        }))
                    },
                );
            }
            f.error(ui, &key("lag"));
        }
        LinkKind::Dependency(d) => {
            let d = d.clone();
            f.number(ui, &key("calls"), "Calls per request", d.calls_per_request, 0.0..=1e6, "", |v| {
                with(LinkKind::Dependency(Dependency { calls_per_request: v, ..d.clone() }))
            });
            let mut required = d.required;
            if ui.checkbox(&mut required, "Required (the caller fails without it)").changed() {
                f.edits.push(FieldEdit {
                    command: with(LinkKind::Dependency(Dependency { required, ..d })),
                    key: key("required"),
                });
            }
        }
        LinkKind::Routing(r) => routing_form(ui, f, catalog, l, r),
        LinkKind::Backup(b) => {
            let b1 = b.clone();
            f.duration(ui, &key("every"), "Every", b.every, |t| {
                with(LinkKind::Backup(meridian_model::design::Backup { every: t, ..b1 }))
            });
            let b2 = b.clone();
            f.duration(ui, &key("retention"), "Retention", b.retention, |t| {
                with(LinkKind::Backup(meridian_model::design::Backup { retention: t, ..b2 }))
            });
            recovery::backup_restore_form(ui, f, &format!("link:{}", l.id), b, |b| with(LinkKind::Backup(b)));
        }
    }
}

#[allow(clippy::too_many_lines)] // One field after another, in the order the user reads them.
fn routing_form(ui: &mut Ui, f: &mut Form<'_>, catalog: &Catalog, l: &Link, r: &Routing) {
    let key = |field: &str| format!("link:{}:{field}", l.id);
    let with = |r: Routing| Command::UpdateLink(Link { kind: LinkKind::Routing(r), ..l.clone() });
    let lbl = ui.label("Policy");
    let mut policy = r.policy.clone();
    egui::ComboBox::from_id_salt(key("policy"))
        .selected_text(r.policy.kind().label())
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut policy, RoutingPolicy::Latency, "latency");
            ui.selectable_value(
                &mut policy,
                RoutingPolicy::Failover { role: FailoverRole::Primary },
                "failover: primary",
            );
            ui.selectable_value(
                &mut policy,
                RoutingPolicy::Failover { role: FailoverRole::Secondary },
                "failover: secondary",
            );
            ui.selectable_value(&mut policy, RoutingPolicy::Weighted { weight: 1 }, "weighted");
            ui.selectable_value(
                &mut policy,
                RoutingPolicy::Geolocation { continents: vec![Continent::Europe] },
                "geolocation",
            );
        })
        .response
        .labelled_by(lbl.id);
    if policy != r.policy {
        f.edits.push(FieldEdit {
            command: with(Routing { policy: policy.clone(), ..r.clone() }),
            key: key("policy"),
        });
    }
    f.error(ui, &key("policy"));
    if let RoutingPolicy::Weighted { weight } = r.policy {
        let r2 = r.clone();
        f.whole(ui, &key("weight"), "Weight", weight, 0.0..=255.0, "", |v| {
            with(Routing { policy: RoutingPolicy::Weighted { weight: v }, ..r2 })
        });
    }
    if let RoutingPolicy::Geolocation { continents } = &r.policy {
        ui.label("Continents served");
        for c in Continent::ALL {
            let mut on = continents.contains(&c);
            if ui.checkbox(&mut on, c.label()).changed() {
                let mut next = continents.clone();
                if on {
                    next.push(c);
                } else {
                    next.retain(|x| *x != c);
                }
                next.sort();
                f.edits.push(FieldEdit {
                    command: with(Routing {
                        policy: RoutingPolicy::Geolocation { continents: next },
                        ..r.clone()
                    }),
                    key: key("continents"),
                });
            }
        }
    }
    ui.add_space(4.0);
    let mut checked = r.health_check.is_some();
    if ui.checkbox(&mut checked, "Health-checked").changed() {
        let hc = checked.then(|| meridian_model::edit::default_health_check(catalog));
        f.edits.push(FieldEdit { command: with(Routing { health_check: hc, ..r.clone() }), key: key("hc") });
    }
    if let Some(hc) = &r.health_check {
        let mut interval = hc.interval.as_micros() / 1_000_000;
        ui.horizontal(|ui| {
            ui.label("Interval");
            ui.radio_value(&mut interval, 10, "10 s");
            ui.radio_value(&mut interval, 30, "30 s");
        });
        if interval != hc.interval.as_micros() / 1_000_000 {
            let hc2 = HealthCheck { interval: TimeSpan::from_secs(interval), ..hc.clone() };
            f.edits.push(FieldEdit {
                command: with(Routing { health_check: Some(hc2), ..r.clone() }),
                key: key("interval"),
            });
        }
        let r2 = r.clone();
        let hc3 = hc.clone();
        f.whole(
            ui,
            &key("threshold"),
            "Failure threshold",
            hc.failure_threshold,
            1.0..=10.0,
            " checks",
            |v| with(Routing { health_check: Some(HealthCheck { failure_threshold: v, ..hc3 }), ..r2 }),
        );
    }
    recovery::routing_failover_form(ui, f, &format!("link:{}", l.id), r, with);
    if let Some(ttl) = r.ttl {
        let r3 = r.clone();
        f.duration(ui, &key("ttl"), "DNS TTL", ttl, |t| with(Routing { ttl: Some(t), ..r3 }));
    }
    f.error(ui, &key("ttl"));
}

#[allow(clippy::too_many_lines)] // One field after another, in the order the user reads them.
fn population_form(ui: &mut Ui, f: &mut Form<'_>, design: &Design, catalog: &Catalog, p: &Population) {
    heading(ui, &p.name, &format!("User population · id {}", p.id));
    let key = |field: &str| format!("population:{}:{field}", p.id);
    let with = |change: &dyn Fn(&mut Population)| {
        let mut next = p.clone();
        change(&mut next);
        Command::UpdatePopulation(next)
    };
    f.text(ui, &key("name"), "Name", &p.name, |v| with(&|n: &mut Population| n.name.clone_from(&v)));
    f.number(ui, &key("lat"), "Latitude", p.location.lat, -90.0..=90.0, "°", |v| {
        with(&|n: &mut Population| n.location.lat = v)
    });
    f.number(ui, &key("lon"), "Longitude", p.location.lon, -180.0..=180.0, "°", |v| {
        with(&|n: &mut Population| n.location.lon = v)
    });
    let l = ui.label("Continent");
    let mut continent = p.continent;
    egui::ComboBox::from_id_salt(key("continent"))
        .selected_text(p.continent.label())
        .show_ui(ui, |ui| {
            for c in Continent::ALL {
                ui.selectable_value(&mut continent, c, c.label());
            }
        })
        .response
        .labelled_by(l.id);
    if continent != p.continent {
        f.edits.push(FieldEdit {
            command: with(&|n: &mut Population| n.continent = continent),
            key: key("continent"),
        });
    }
    f.number(ui, &key("rps"), "Requests per second", p.requests_per_sec, 0.0..=1e9, " req/s", |v| {
        with(&|n: &mut Population| n.requests_per_sec = v)
    });
    f.number(ui, &key("writes"), "Write fraction", p.write_fraction, 0.0..=1.0, "", |v| {
        with(&|n: &mut Population| n.write_fraction = v)
    });
    f.number(ui, &key("req_kb"), "Request size", p.request_kb, 0.0..=1e6, " KB", |v| {
        with(&|n: &mut Population| n.request_kb = v)
    });
    f.number(ui, &key("resp_kb"), "Response size", p.response_kb, 0.0..=1e6, " KB", |v| {
        with(&|n: &mut Population| n.response_kb = v)
    });
    let classes = p.data_classes.join(", ");
    f.text(ui, &key("data_classes"), "Data classes (e.g. personal:EU)", &classes, |v| {
        with(&|n: &mut Population| n.data_classes = split_list(&v))
    });
    f.text(ui, &key("country"), "Country (ISO code, e.g. DE)", p.country.as_deref().unwrap_or(""), |v| {
        with(&|n: &mut Population| n.country = (!v.trim().is_empty()).then(|| v.trim().to_owned()))
    });
    let l = ui.label("Entry service");
    let mut entry = p.entry.clone();
    let shown = entry.as_ref().map_or("(none)".to_owned(), ToString::to_string);
    egui::ComboBox::from_id_salt(key("entry"))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut entry, None, "(none)");
            for s in design.services() {
                ui.selectable_value(&mut entry, Some(s.id.clone()), format!("{} ({})", s.name, s.id));
            }
        })
        .response
        .labelled_by(l.id);
    if entry != p.entry {
        f.edits.push(FieldEdit {
            command: with(&|n: &mut Population| n.entry.clone_from(&entry)),
            key: key("entry"),
        });
    }
    f.error(ui, &key("entry"));
    let l = ui.label("Access network");
    let default = catalog.latency().internet.default_access;
    let mut access = p.access;
    let shown = access.map_or_else(|| format!("{} (default)", default.label()), |a| a.label().to_owned());
    egui::ComboBox::from_id_salt(key("access"))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut access, None, format!("{} (default)", default.label()));
            for a in Access::ALL {
                ui.selectable_value(&mut access, Some(a), a.label());
            }
        })
        .response
        .labelled_by(l.id);
    if access != p.access {
        f.edits
            .push(FieldEdit { command: with(&|n: &mut Population| n.access = access), key: key("access") });
    }
    ui.add_space(6.0);
    ui.strong("Round trips to the serving regions (p50)");
    let paths = meridian_model::latency::population_paths(design, catalog, p);
    if paths.is_empty() {
        ui.label(RichText::new("No region reachable from the entry service.").weak());
    }
    for path in paths {
        ui.label(format!("{}: {}", path.region, path_text(&path)));
    }
}
