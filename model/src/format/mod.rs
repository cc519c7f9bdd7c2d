//! The design file format: versioned RON, documented in `docs/file-format.md`.
//!
//! The format is a boundary: [`DesignFile`] is its own serialisable type, converted to and from a
//! [`Design`] by applying [`Command`]s, so a file can never hold what the model forbids.
//! Entities are written in id order, one field per line, so a one-field edit is a one-line diff.
//! Leading `//` comment lines are kept when a design is saved again.

mod depth;
mod error;
mod fast_read;
pub mod locate;
pub mod migrate;
mod read;
mod save;
mod source_map;
mod staging;
pub mod unique_keys;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use depth::{MAX_NESTING, check_nesting};
pub use error::{LoadError, SaveError};
pub use migrate::CURRENT_VERSION;
pub use read::{Limit, empty_file, read_bytes, read_text};
pub use save::{save_file, write_atomic};
pub use source_map::{Outline, SourceMap};
pub use staging::{Staging, write_files};

use crate::catalog::Catalog;
use crate::check::CommandError;
use crate::command::{Command, apply};
use crate::design::{
    Annotation, CardSpot, Design, GridCell, Link, Population, Recovery, Region, RegionSize, Resilience,
    Service, Waiver, Waypoint, Workload,
};
use crate::ids::{LinkId, RegionId, ServiceId};
use crate::targets::Targets;

/// The largest design file read, in bytes. Real designs are far smaller; a larger file is a mistake.
pub const MAX_FILE_BYTES: usize = Limit::Design.max_bytes();

/// The serialised form of a design, version [`CURRENT_VERSION`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Design", deny_unknown_fields)]
pub struct DesignFile {
    /// File format version.
    pub version: u32,
    /// Design name.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Workload assumptions.
    #[serde(default)]
    pub workload: Workload,
    /// Design-wide recovery settings (alarms, operators, scaling defaults).
    #[serde(default, skip_serializing_if = "Recovery::is_default")]
    pub recovery: Recovery,
    /// Repair capacity, common-cause failures and deployment practice.
    #[serde(default, skip_serializing_if = "Resilience::is_default")]
    pub resilience: Resilience,
    /// Resilience targets (version 2): SLOs, RTO and RPO, latency, cost ceiling.
    #[serde(default, skip_serializing_if = "Targets::is_empty")]
    pub targets: Targets,
    /// Regions, in id order.
    #[serde(default)]
    pub regions: Vec<Region>,
    /// Services, in id order.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Links, in id order.
    #[serde(default)]
    pub links: Vec<Link>,
    /// User populations, in id order.
    #[serde(default)]
    pub populations: Vec<Population>,
    /// Schematic grid cells of regions placed by hand, by region id.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys::deserialize"
    )]
    pub layout: BTreeMap<RegionId, GridCell>,
    /// Service cards placed by hand inside their region or the global band, by service id
    /// (optional: cards without a spot are laid out automatically).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys::deserialize"
    )]
    pub cards: BTreeMap<ServiceId, CardSpot>,
    /// Region containers resized by hand, by region id (optional: the others take the size
    /// their cards need).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys::deserialize"
    )]
    pub region_sizes: BTreeMap<RegionId, RegionSize>,
    /// The waypoints of links routed by hand, by link id (optional: the others are routed
    /// automatically).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys::deserialize"
    )]
    pub waypoints: BTreeMap<LinkId, Vec<Waypoint>>,
    /// Notes and group boxes on the schematic canvas, in id order (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    /// Waivers of compliance rules, in (rule, entity) order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

#[derive(Deserialize)]
#[serde(rename = "Design")]
struct VersionProbe {
    version: u32,
}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES)
}

/// A loaded design and the comment block at the top of its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The design.
    pub design: Design,
    /// The leading `//` comment lines, kept so that saving does not drop the file's explanation.
    pub header: String,
}

/// Reads and checks the design file at `path` (a regular file of at most [`MAX_FILE_BYTES`]).
pub fn load_file(path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    let bytes = read_bytes(path, Limit::Design)?;
    load_bytes(&bytes, path, catalog)
}

/// Checks and loads a design from the bytes of a file; `path` names it in messages.
pub fn load_bytes(bytes: &[u8], path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError {
            file: path.to_owned(),
            line: 0,
            col: 0,
            message: format!(
                "the file is {:.1} MB; design files are at most 16 MB",
                bytes.len() as f64 / 1e6
            ),
            field: None,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| read::not_utf8(path, bytes, e))?;
    load_str(text, path, catalog)
}

/// Checks and loads a design from text; `path` names it in messages.
pub fn load_str(text: &str, path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    load_text(text, path, catalog, Upgrade::Allowed).map(|(loaded, _)| loaded)
}

/// Loads a design from text as [`load_str`] does, with the [`SourceMap`] of the text for placing
/// its warnings. When the fast reader read the file (as it reads every file Meridian writes), the
/// map comes from where it found each entity, at no second pass over the text; otherwise the
/// map reads the text on its first look-up.
pub fn load_mapped<'a>(
    text: &'a str,
    path: &Path,
    catalog: &Catalog,
) -> Result<(Loaded, Option<SourceMap<'a>>), LoadError> {
    let (loaded, outline) = load_text(text, path, catalog, Upgrade::Allowed)?;
    let map = match outline {
        Some(outline) => SourceMap::with_outline(text, &outline),
        None => SourceMap::new(text),
    };
    Ok((loaded, map))
}

/// Whether [`load_text`] may upgrade an older file version: once, so a text the upgrade could
/// not rewrite (`version: +1`, which ron reads as 1) is refused instead of upgraded for ever
/// (the fuzz loop found the endless recursion, app/tests/fuzz.rs).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Upgrade {
    Allowed,
    Done,
}

/// Loads `text`; with the fast reader's [`Outline`] of it when that reader read it (not for a
/// text upgraded first: the outline would be of the upgraded text).
fn load_text(
    text: &str,
    path: &Path,
    catalog: &Catalog,
    upgrade: Upgrade,
) -> Result<(Loaded, Option<Outline>), LoadError> {
    if text.trim().is_empty() {
        return Err(empty_file(
            path,
            text,
            "the file is empty; a design starts with `Design(version: 2, name: \"...\", ...)`".into(),
        ));
    }
    // The fast reader reads what Meridian writes; anything else (and every error) is ron's. It
    // declines text nested deeper than the bound itself, so the nesting check (a pass over the
    // whole text, a twentieth of loading 100,000 services) is needed only before ron reads it.
    if let Some((file, outline)) =
        fast_read::read_outlined::<DesignFile>(text).filter(|(f, _)| f.version == CURRENT_VERSION)
    {
        return Ok((build(file, text, path, catalog)?, Some(outline)));
    }
    check_nesting(text, path)?;
    let options = ron_options();
    match options.from_str::<DesignFile>(text) {
        Ok(file) if file.version == CURRENT_VERSION => Ok((build(file, text, path, catalog)?, None)),
        // Another version, or a file that does not parse as this version: find out which version it
        // says it is, so a newer file is refused as newer and an older one is upgraded first.
        _ => {
            if let Ok(probe) = options.from_str::<VersionProbe>(text) {
                let version_error = |message: String| {
                    let lc = locate::locate(text, &locate::parse_path("version"));
                    LoadError {
                        file: path.to_owned(),
                        line: lc.line,
                        col: lc.col,
                        message,
                        field: Some("version".into()),
                    }
                };
                match migrate::upgrade(probe.version, text) {
                    Err(e) => return Err(version_error(e.to_string())),
                    Ok(Cow::Owned(_)) if upgrade == Upgrade::Done => {
                        return Err(version_error(format!(
                            "version {} could not be upgraded: write the version as a plain number, \
                             such as `version: {}`",
                            probe.version, probe.version
                        )));
                    }
                    Ok(Cow::Owned(upgraded)) => {
                        let (loaded, _) = load_text(&upgraded, path, catalog, Upgrade::Done)?;
                        return Ok((loaded, None));
                    }
                    Ok(Cow::Borrowed(_)) => {}
                }
            }
            // Parse again, tracking the field path, for a precise message.
            let file: DesignFile = parse_tracked(text, path, &options, "design")?;
            Ok((build(file, text, path, catalog)?, None))
        }
    }
}

fn build(file: DesignFile, text: &str, path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    let design = from_file(file, catalog).map_err(|(list_path, err)| {
        let field = match (list_path.is_empty(), err.field.is_empty()) {
            (_, true) => list_path,
            (true, false) => err.field,
            (false, false) => format!("{list_path}.{}", err.field),
        };
        let lc = locate::locate(text, &locate::parse_path(&field));
        LoadError {
            file: path.to_owned(),
            line: lc.line,
            col: lc.col,
            message: err.message,
            field: Some(field),
        }
    })?;
    Ok(Loaded { design, header: header_comment(text) })
}

/// Parses any of Meridian's RON files (designs, scenarios, batch plans) with the file format's
/// extensions, tracking the field path so that an error names `FILE:LINE:COL` and the field.
/// `what` names the document in the trailing-text message ("design", "scenario", "plan").
/// Text nested deeper than [`MAX_NESTING`] is refused first, at the bracket too deep.
pub fn parse_ron<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &Path,
    what: &str,
) -> Result<T, LoadError> {
    check_nesting(text, path)?;
    parse_tracked(text, path, &ron_options(), what)
}

/// Parses with the field path tracked, for error messages (slower than a plain parse).
fn parse_tracked<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &Path,
    options: &ron::Options,
    what: &str,
) -> Result<T, LoadError> {
    let mut de =
        ron::Deserializer::from_str_with_options(text, options).map_err(|e| spanned(path, &e, None))?;
    let file: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(f) => f,
        Err(e) => {
            let field = e.path().to_string();
            let field = (field != "." && !field.is_empty()).then_some(field);
            let inner = e.into_inner();
            let mut err = spanned(path, &de.span_error(inner.clone()), field.clone());
            // A value its type refused (an unknown service kind, a bad duration): point at the
            // value itself, as the model's refusals do, not inside its quotes.
            if let (ron::Error::Message(_), Some(f)) = (&inner, &field) {
                let lc = locate::locate(text, &locate::parse_path(f));
                (err.line, err.col) = (lc.line, lc.col);
            }
            // `count: 1.5`: `ron` reads the whole number 1, then expects a comma at `.5`.
            if matches!(inner, ron::Error::ExpectedComma)
                && let Some((name, number)) = fraction_at(text, err.line, err.col)
            {
                err.message = format!("`{name}` takes a whole number, not `{number}`");
                // At the number, not at its point.
                err.col -= number.find('.').unwrap_or(0);
                err.field = err.field.map(|f| match f.strip_suffix('?') {
                    Some(parent) => format!("{parent}{name}"),
                    None => f,
                });
            }
            return Err(err);
        }
    };
    de.end().map_err(|e| {
        let mut err = spanned(path, &de.span_error(e), None);
        err.message = format!("unexpected text after the end of the {what}");
        err
    })?;
    Ok(file)
}

/// When `line:col` (1-based) is the `.` of a fraction written as a field's value (`count: 1.5`),
/// the field's name and the number as written.
fn fraction_at(text: &str, line: usize, col: usize) -> Option<(String, String)> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let at = l.char_indices().nth(col.checked_sub(1)?).map(|(i, _)| i)?;
    let (before, after) = l.split_at(at);
    if !(after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    let fraction: String = after.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    if !before.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let whole = before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    let number = format!("{}{fraction}", &before[whole.len()..]);
    let key = whole.trim_end().strip_suffix(':')?.trim_end();
    let name_start = key.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let name = &key[name_start..];
    (!name.is_empty()).then(|| (name.to_owned(), number))
}

fn spanned(path: &Path, e: &ron::error::SpannedError, field: Option<String>) -> LoadError {
    LoadError {
        file: path.to_owned(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
        field,
    }
}

/// Builds a design by applying one command per entity, so the file obeys the model's invariants.
/// On failure returns the entity's path in the file (e.g. `services[3]`) with the error.
fn from_file(file: DesignFile, catalog: &Catalog) -> Result<Design, (String, CommandError)> {
    let mut design = Design::new(String::new());
    design.reserve(file.services.len(), file.links.len());
    // The field path is formatted only when a command fails: a design of 100,000 services
    // would otherwise format 100,000 paths that no message uses.
    let mut run = |path: &dyn Fn() -> String, cmd: Command| {
        apply(&mut design, catalog, cmd).map(drop).map_err(|e| (path(), e))
    };
    run(&String::new, Command::SetName(file.name))?;
    run(&String::new, Command::SetDescription(file.description))?;
    run(&String::new, Command::SetWorkload(file.workload))?;
    run(&String::new, Command::SetRecovery(file.recovery))?;
    run(&String::new, Command::SetResilience(file.resilience))?;
    for (i, r) in file.regions.into_iter().enumerate() {
        run(&|| format!("regions[{i}]"), Command::AddRegion(r))?;
    }
    for (i, s) in file.services.into_iter().enumerate() {
        run(&|| format!("services[{i}]"), Command::AddService(s))?;
    }
    for (i, l) in file.links.into_iter().enumerate() {
        run(&|| format!("links[{i}]"), Command::AddLink(l))?;
    }
    for (i, p) in file.populations.into_iter().enumerate() {
        run(&|| format!("populations[{i}]"), Command::AddPopulation(p))?;
    }
    // After the populations, which targets name.
    run(&String::new, Command::SetTargets(file.targets))?;
    for (region, cell) in file.layout {
        let path = format!("layout.{region}");
        run(&|| path.clone(), Command::MoveRegion(region, Some(cell)))?;
    }
    for (service, spot) in file.cards {
        let path = format!("cards.{service}");
        run(&|| path.clone(), Command::PlaceCard(service, Some(spot)))?;
    }
    for (region, size) in file.region_sizes {
        let path = format!("region_sizes.{region}");
        run(&|| path.clone(), Command::ResizeRegion(region, Some(size)))?;
    }
    for (link, points) in file.waypoints {
        let path = format!("waypoints.{link}");
        run(&|| path.clone(), Command::SetWaypoints(link, points))?;
    }
    for (i, a) in file.annotations.into_iter().enumerate() {
        run(&|| format!("annotations[{i}]"), Command::AddAnnotation(a))?;
    }
    for (i, w) in file.waivers.into_iter().enumerate() {
        run(&|| format!("waivers[{i}]"), Command::AddWaiver(w))?;
    }
    Ok(design)
}

/// The leading comment block of `text`: the `//` lines before the first other line.
fn header_comment(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            out.push_str(line.trim_end());
            out.push('\n');
        } else if !trimmed.is_empty() {
            break;
        }
    }
    out
}

/// The file form of `design`.
pub fn to_file(design: &Design) -> DesignFile {
    DesignFile {
        version: CURRENT_VERSION,
        name: design.name().to_owned(),
        description: design.description().to_owned(),
        workload: design.workload().clone(),
        recovery: design.recovery().clone(),
        resilience: design.resilience().clone(),
        targets: design.targets().clone(),
        regions: design.regions().cloned().collect(),
        services: design.services().cloned().collect(),
        links: design.links().cloned().collect(),
        populations: design.populations().cloned().collect(),
        layout: design.layout().clone(),
        cards: design.card_spots().clone(),
        region_sizes: design.region_sizes().clone(),
        waypoints: design.waypoints().clone(),
        annotations: design.annotations().cloned().collect(),
        waivers: design.waivers().cloned().collect(),
    }
}

/// Writes `design` as RON text, with `header` (comment lines) on top.
pub fn to_string(design: &Design, header: &str) -> Result<String, ron::Error> {
    let pretty = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .new_line("\n")
        .separate_tuple_members(false)
        .compact_arrays(false)
        .extensions(
            ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
        );
    let body = ron_options().to_string_pretty(&to_file(design), pretty)?;
    let mut out = String::with_capacity(header.len() + body.len() + 1);
    for line in header.lines() {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&body);
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::fraction_at;

    #[test]
    fn a_fraction_where_a_whole_number_belongs_is_named_with_its_field() {
        let text = "Design(\n    config: ServiceConfig(count: 1.5, azs: []),\n    x: -12.25,\n)";
        assert_eq!(fraction_at(text, 2, 35), Some(("count".into(), "1.5".into())));
        assert_eq!(fraction_at(text, 3, 11), Some(("x".into(), "-12.25".into())));
        // Not at a fraction's point, or no field before it.
        assert_eq!(fraction_at(text, 2, 34), None);
        assert_eq!(fraction_at("[1.5]", 1, 3), None);
        assert_eq!(fraction_at("a: 1.x", 1, 5), None);
        assert_eq!(fraction_at(text, 9, 1), None);
        assert_eq!(fraction_at(text, 0, 0), None);
    }
}
