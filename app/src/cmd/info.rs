//! `meridian info`: a summary of a design.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use meridian_assess::network::{intra_text, pair_text, path_text};
use meridian_model::design::{Design, LinkKind, Placement};
use meridian_model::latency::{self, Basis};
use meridian_model::validate::validate;
use meridian_model::{Catalog, EntityRef, ServiceKind};
use serde_json::json;

use crate::cli::InfoArgs;
use crate::exit;

/// Runs `meridian info`.
pub fn run(args: &InfoArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let loaded = meridian_model::format::load_file(&args.file, catalog)?;
    let design = &loaded.design;
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&summary_json(design, catalog))?);
    } else {
        crate::out!("{}", summary_text(design, catalog));
    }
    Ok(exit::SUCCESS)
}

fn kind_counts(design: &Design) -> BTreeMap<ServiceKind, usize> {
    let mut by_kind = BTreeMap::new();
    for s in design.services() {
        *by_kind.entry(s.kind).or_insert(0) += 1;
    }
    by_kind
}

fn link_counts(design: &Design) -> BTreeMap<&'static str, usize> {
    let mut by_kind = BTreeMap::new();
    for l in design.links() {
        *by_kind.entry(l.kind.tag().label()).or_insert(0) += 1;
    }
    by_kind
}

/// The text summary.
fn summary_text(design: &Design, catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", design.name());
    if !design.description().is_empty() {
        let _ = writeln!(out, "  {}", design.description().trim());
    }
    let _ = writeln!(out, "\nRegions ({})", design.regions().len());
    for r in design.regions() {
        let info = catalog.region(r.id.as_str());
        let services = design.services_in(&r.id).count();
        let _ = writeln!(
            out,
            "  {:<16} {:<28} {:<4} {} AZs  {} services",
            r.id.as_str(),
            info.map_or("", |i| i.name.as_str()),
            info.map_or("", |i| i.jurisdiction.as_str()),
            r.azs.len(),
            services
        );
    }
    let _ = writeln!(out, "\nServices ({}) by kind", design.services().len());
    for (kind, n) in kind_counts(design) {
        let name = &catalog.kind(kind).name;
        let _ = writeln!(out, "  {n:>4}  {kind:<20} {name}");
    }
    let global: Vec<_> = design.global_services().map(|s| s.id.as_str()).collect();
    if !global.is_empty() {
        let _ = writeln!(out, "  global: {}", global.join(", "));
    }
    let _ = writeln!(out, "\nLinks ({})", design.links().len());
    for (kind, n) in link_counts(design) {
        let _ = writeln!(out, "  {n:>4}  {kind}");
    }
    for l in design.links() {
        if let LinkKind::Replication(r) = &l.kind {
            let _ = writeln!(
                out,
                "        {} -> {} ({:?}{})",
                l.from,
                l.to,
                r.mode,
                if r.rtc { ", RTC" } else { "" }
            );
        }
    }
    let _ = writeln!(out, "\nUser populations ({})", design.populations().len());
    for p in design.populations() {
        let _ = writeln!(
            out,
            "  {:<14} {:<22} {:>8.0} req/s  {:>3.0}% writes  enters at {}{}",
            p.id.as_str(),
            p.name,
            p.requests_per_sec,
            p.write_fraction * 100.0,
            p.entry.as_ref().map_or("(nothing)", |e| e.as_str()),
            if p.data_classes.is_empty() {
                String::new()
            } else {
                format!("  [{}]", p.data_classes.join(", "))
            }
        );
    }
    network_text(&mut out, design, catalog);
    let problems = validate(design, catalog);
    let _ = writeln!(out, "\nWarnings: {}", problems.len());
    for p in &problems {
        let _ = writeln!(out, "  {}: {}", p.entity, p.message);
    }
    out
}

/// Round trips between and inside the design's regions, each population's path and the caches'
/// hit ratios: the figures the simulator uses (`meridian_model::latency`).
fn network_text(out: &mut String, design: &Design, catalog: &Catalog) {
    let _ = writeln!(out, "\nNetwork round trips (p50; docs/latency.md)");
    for p in latency::design_round_trips(design, catalog) {
        let _ = writeln!(out, "  {:<32} {}", format!("{} - {}", p.a, p.b), pair_text(catalog, &p));
    }
    for r in design.regions() {
        let _ = writeln!(out, "  {:<32} {}", format!("inside {}", r.id), intra_text(catalog, r.id.as_str()));
    }
    for p in design.populations() {
        for path in latency::population_paths(design, catalog, p) {
            let _ = writeln!(out, "  {:<32} {}", format!("{} -> {}", p.id, path.region), path_text(&path));
        }
    }
    for s in design.services() {
        if let Some(h) = latency::hit_ratio(catalog, s) {
            let whose =
                if s.config.hit_ratio.is_some() { "the design's" } else { "catalog default, an assumption" };
            let _ = writeln!(out, "  {:<32} hit ratio {h:.2} ({whose})", s.id.as_str());
        }
    }
}

/// The network figures as JSON: region pairs with their basis, intra-region round trips, each
/// population's paths and the caches' hit ratios.
fn network_json(design: &Design, catalog: &Catalog) -> serde_json::Value {
    let pairs = latency::design_round_trips(design, catalog);
    let estimated: Vec<_> =
        pairs.iter().filter(|p| p.basis == Basis::Estimated).map(|p| json!([p.a, p.b])).collect();
    let intra: BTreeMap<_, _> = design
        .regions()
        .map(|r| (r.id.as_str(), latency::intra_region_rtt(catalog, r.id.as_str())))
        .collect();
    let populations: BTreeMap<_, _> = design
        .populations()
        .map(|p| {
            let paths: Vec<_> = latency::population_paths(design, catalog, p)
                .into_iter()
                .map(|u| {
                    json!({
                        "region": u.region, "total_ms": u.total_ms(), "access_ms": u.access_ms,
                        "internet_ms": u.internet_ms, "edge": u.edge,
                        "estimated_pair": u.estimated_pair(),
                    })
                })
                .collect();
            (p.id.as_str(), paths)
        })
        .collect();
    let caches: BTreeMap<_, _> = design
        .services()
        .filter_map(|s| latency::hit_ratio(catalog, s).map(|h| (s.id.as_str(), h)))
        .collect();
    json!({
        "round_trips": pairs,
        "estimated_pairs": estimated,
        "intra_region": intra,
        "populations": populations,
        "hit_ratios": caches,
    })
}

/// The JSON summary.
fn summary_json(design: &Design, catalog: &Catalog) -> serde_json::Value {
    let regions: Vec<_> = design
        .regions()
        .map(|r| {
            let info = catalog.region(r.id.as_str());
            json!({
                "id": r.id, "name": info.map(|i| &i.name), "jurisdiction": info.map(|i| &i.jurisdiction),
                "azs": r.azs, "services": design.services_in(&r.id).map(|s| &s.id).collect::<Vec<_>>(),
            })
        })
        .collect();
    let services: Vec<_> = design
        .services()
        .map(|s| {
            json!({
                "id": s.id, "name": s.name, "kind": s.kind,
                "region": match &s.placement { Placement::Region(r) => Some(r), Placement::Global => None },
            })
        })
        .collect();
    let populations: Vec<_> = design
        .populations()
        .map(
            |p| json!({"id": p.id, "name": p.name, "requests_per_sec": p.requests_per_sec, "entry": p.entry}),
        )
        .collect();
    let warnings: Vec<_> = validate(design, catalog)
        .into_iter()
        .map(|p| json!({"entity": entity_id(&p.entity), "message": p.message}))
        .collect();
    json!({
        "name": design.name(),
        "regions": regions,
        "services": services,
        "services_by_kind": kind_counts(design),
        "links_by_kind": link_counts(design),
        "links": design.links().len(),
        "populations": populations,
        "network": network_json(design, catalog),
        "warnings": warnings,
    })
}

fn entity_id(e: &EntityRef) -> String {
    e.to_string()
}
