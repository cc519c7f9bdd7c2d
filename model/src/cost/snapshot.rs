//! The price snapshot: dated, cited on-demand prices, embedded from `assets/pricing/snapshot.ron`.
//!
//! A [`PriceSnapshot`] answers one question fast: what does one unit of (service kind, dimension)
//! cost in a region, and where does that figure come from. Every dimension the bill uses has its
//! own entry for the regions the snapshot covers; a region without one falls back to the
//! us-east-1 price times the region's documented ratio, and the answer says so
//! ([`Quote::ratio_entry`]; the bill marks such lines as estimates). Volume-tiered dimensions
//! (data transfer out, S3 Standard storage, CloudFront) list one entry per tier
//! ([`PriceSnapshot::tiers`]); an account-wide free allowance is an entry of the dimension
//! `<name>:free` in region `global` priced at 0 ([`PriceSnapshot::free_allowance`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::date::Date;
use super::service::PriceService;
use crate::kind::ServiceKind;

/// How a figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Basis {
    /// Read off a stored copy of the cited AWS page itself (or the AWS Price List API).
    Read,
    /// The cited AWS page is the origin; read in a copy or quotation of it named in the note.
    Republished,
    /// Computed from other figures; the note gives the arithmetic.
    Derived,
    /// Not found in any copy: a commonly quoted list price, flagged in every report.
    Estimate,
}

impl Basis {
    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Read => "read",
            Basis::Republished => "republished",
            Basis::Derived => "derived",
            Basis::Estimate => "estimate",
        }
    }
}

/// A commitment term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Term {
    /// One-year Savings Plan or reservation.
    OneYear,
    /// Three-year Savings Plan or reservation.
    ThreeYear,
}

/// A document prices were read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceSource {
    /// Key entries cite.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Where it is published.
    pub url: String,
    /// When the figures were read (`YYYY-MM-DD`).
    pub as_of: String,
}

/// A region's price level relative to us-east-1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRatio {
    /// Region code.
    pub region: String,
    /// Multiplier applied to us-east-1 prices that have no entry of their own for this region.
    pub ratio: f64,
    /// How the ratio was obtained.
    pub basis: Basis,
    /// Source key.
    pub source: String,
    /// Derivation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A service kind with no usage price of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeKind {
    /// The kind.
    pub service: ServiceKind,
    /// Source key saying it is free.
    pub source: String,
    /// Explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One price: USD per unit of a dimension of a service kind in a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    /// A kind, or `data-transfer`.
    pub service: PriceService,
    /// Usage dimension, e.g. `vcpu-hours`, `instance-hours:m7g.large`.
    pub dimension: String,
    /// The unit the price is per, e.g. `GB-month`, `million requests`.
    pub unit: String,
    /// Region code, or `global` for global services.
    pub region: String,
    /// For pair-priced dimensions (inter-region transfer): the destination region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_region: Option<String>,
    /// For volume-tiered dimensions: the monthly GB (or GB-month) at which this tier starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_from_gb: Option<f64>,
    /// For volume-tiered dimensions: where this tier ends (none: no upper bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_to_gb: Option<f64>,
    /// USD per unit.
    pub usd: f64,
    /// How the figure was obtained.
    pub basis: Basis,
    /// Source key.
    pub source: String,
    /// Where exactly it was read, or how it was derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A commitment discount: the fraction of the on-demand price paid under a term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentFactor {
    /// The kind whose capacity the commitment covers.
    pub service: ServiceKind,
    /// The term.
    pub term: Term,
    /// Fraction of on-demand paid, 0 to 1.
    pub factor: f64,
    /// How it was obtained.
    pub basis: Basis,
    /// Source key.
    pub source: String,
    /// Derivation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotFile {
    /// Format version (1).
    pub version: u32,
    /// Date of the snapshot as a whole (`YYYY-MM-DD`).
    pub as_of: String,
    /// Always `USD`.
    pub currency: String,
    /// Documents cited.
    pub sources: Vec<PriceSource>,
    /// Regional price levels.
    pub ratios: Vec<RegionRatio>,
    /// Kinds with no price of their own.
    pub free: Vec<FreeKind>,
    /// Prices.
    pub prices: Vec<PriceEntry>,
    /// Commitment discounts.
    pub commitments: Vec<CommitmentFactor>,
}

/// A problem in a snapshot file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{col}: error: {message}")]
pub struct SnapshotError {
    /// The file, as named.
    pub file: String,
    /// 1-based line (0 when about the whole file).
    pub line: usize,
    /// 1-based column (0 when about the whole file).
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// A price as the engine uses it: the figure and where it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quote {
    /// USD per unit, after any regional ratio (before commitment discounts).
    pub usd: f64,
    /// Index of the entry in [`SnapshotFile::prices`].
    pub entry: usize,
    /// The ratio applied (1 when the entry is for the region itself).
    pub ratio: f64,
    /// Index of the ratio in [`SnapshotFile::ratios`] when one was applied.
    pub ratio_entry: Option<usize>,
}

/// One indexed entry: region, destination (empty when not pair-priced), tier start (0 when not
/// tiered) and the entry's index.
#[derive(Debug, Clone)]
struct Row {
    region: String,
    to: String,
    tier_from: f64,
    entry: usize,
}

/// Service, then dimension, to rows (tiers in ascending order within a region). The maps hash with
/// rustc's Fx hash: every line of a bill looks a price up, and the keys are our own short strings.
type PriceIndex = HashMap<PriceService, HashMap<String, Vec<Row>>>;

/// One tier of a volume-tiered price: where it starts and ends (GB a month) and its quote.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierQuote {
    /// Start of the tier.
    pub from_gb: f64,
    /// End of the tier; `None` for the last.
    pub to_gb: Option<f64>,
    /// The price in the tier.
    pub quote: Quote,
}

/// A parsed, checked and indexed snapshot.
#[derive(Debug, Clone)]
pub struct PriceSnapshot {
    file: SnapshotFile,
    as_of: Date,
    /// service, then dimension, to rows; maps keyed by `String` can be probed with `&str`, so
    /// lookups allocate nothing.
    index: PriceIndex,
    ratio_index: HashMap<String, usize>,
    source_dates: BTreeMap<String, Date>,
    /// Index in [`SnapshotFile::sources`] of each source key.
    source_index: HashMap<String, usize>,
    /// Index in [`SnapshotFile::sources`] of each price entry's source.
    entry_sources: Vec<usize>,
    free: BTreeMap<ServiceKind, usize>,
}

/// The base region every price is listed for.
pub const BASE_REGION: &str = "us-east-1";

impl PriceSnapshot {
    /// The snapshot embedded in this build, parsed once.
    pub fn builtin() -> Result<&'static PriceSnapshot, SnapshotError> {
        static BUILTIN: OnceLock<Result<PriceSnapshot, SnapshotError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                PriceSnapshot::parse(
                    include_str!("../../../assets/pricing/snapshot.ron"),
                    Path::new("assets/pricing/snapshot.ron"),
                )
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks a snapshot; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<PriceSnapshot, SnapshotError> {
        crate::format::check_nesting(text, path).map_err(|e| SnapshotError {
            file: path.display().to_string(),
            line: e.line,
            col: e.col,
            message: e.message,
        })?;
        let file: SnapshotFile = ron::from_str(text).map_err(|e| SnapshotError {
            file: path.display().to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })?;
        PriceSnapshot::from_file(file).map_err(|message| {
            let (line, col) = locate_hint(text, &message);
            SnapshotError { file: path.display().to_string(), line, col, message }
        })
    }

    /// Parses and checks a snapshot a user gives (`--prices`), also refusing one dated after
    /// `today` ([`PriceSnapshot::check_not_after`]), located at its `as_of`.
    pub fn parse_given(text: &str, path: &Path, today: Date) -> Result<PriceSnapshot, SnapshotError> {
        let snapshot = PriceSnapshot::parse(text, path)?;
        snapshot.check_not_after(today).map_err(|message| {
            // The first `as_of` of the file is the snapshot's own (the sources follow it).
            let (line, col) = text
                .lines()
                .enumerate()
                .find_map(|(n, l)| l.find("as_of:").map(|c| (n + 1, c + 1)))
                .unwrap_or((0, 0));
            SnapshotError { file: path.display().to_string(), line, col, message }
        })?;
        Ok(snapshot)
    }

    /// The highest unit price a snapshot may hold, in USD (far above any AWS unit price; a bill of
    /// such prices stays finite).
    pub const MAX_UNIT_USD: f64 = 1_000_000.0;

    /// Checks and indexes parsed contents. The error message names the offending entry.
    pub fn from_file(file: SnapshotFile) -> Result<PriceSnapshot, String> {
        if file.version != 1 {
            return Err(format!("version {} is not supported; this build reads version 1", file.version));
        }
        if file.currency != "USD" {
            return Err(format!("currency `{}`: only USD is supported", file.currency));
        }
        let as_of =
            Date::parse(&file.as_of).ok_or_else(|| format!("as_of `{}`: write YYYY-MM-DD", file.as_of))?;
        let source_dates = source_dates(&file.sources, as_of)?;
        let cite = |what: String, key: &str| {
            if source_dates.contains_key(key) {
                Ok(())
            } else {
                Err(format!("{what} cites unknown source `{key}`"))
            }
        };
        let catalog = crate::catalog::Catalog::builtin().map_err(|e| e.to_string())?;
        let region_ok = |what: &str, region: &str, global: bool| known_region(catalog, what, region, global);
        let mut ratio_index = HashMap::default();
        for (i, r) in file.ratios.iter().enumerate() {
            cite(format!("ratio for `{}`", r.region), &r.source)?;
            region_ok("a ratio", &r.region, false)?;
            if !(r.ratio.is_finite() && r.ratio > 0.0) {
                return Err(format!("ratio for `{}` is {}; it must be a positive number", r.region, r.ratio));
            }
            if ratio_index.insert(r.region.clone(), i).is_some() {
                return Err(format!("ratio for `{}` is listed twice", r.region));
            }
        }
        let mut free = BTreeMap::new();
        for (i, f) in file.free.iter().enumerate() {
            cite(format!("free kind `{}`", f.service), &f.source)?;
            free.insert(f.service, i);
        }
        let mut index: PriceIndex = HashMap::default();
        for (i, p) in file.prices.iter().enumerate() {
            let name = format!("price `{}` `{}` in `{}`", p.service, p.dimension, p.region);
            cite(name.clone(), &p.source)?;
            region_ok(&name, &p.region, true)?;
            if let Some(to) = &p.to_region {
                region_ok(&name, to, false)?;
            }
            if !(p.usd.is_finite() && (0.0..=Self::MAX_UNIT_USD).contains(&p.usd)) {
                return Err(format!(
                    "{name} is {}; it must be a number from 0 to {}",
                    crate::check::shown(p.usd),
                    Self::MAX_UNIT_USD
                ));
            }
            if p.basis != Basis::Read && p.note.as_deref().is_none_or(str::is_empty) {
                return Err(format!("{name} has basis {:?} but no note saying where or how", p.basis));
            }
            let to = p.to_region.clone().unwrap_or_default();
            let tier_from = p.tier_from_gb.unwrap_or(0.0);
            if let Some(end) = p.tier_to_gb
                && !(end.is_finite() && end > tier_from)
            {
                return Err(format!(
                    "{name} has tier_to_gb {end}; it must be above tier_from_gb {tier_from}"
                ));
            }
            if !(tier_from.is_finite() && tier_from >= 0.0) {
                return Err(format!("{name} has tier_from_gb {tier_from}; it must be 0 or more"));
            }
            let rows = index.entry(p.service).or_default().entry(p.dimension.clone()).or_default();
            if rows
                .iter()
                .any(|r| r.region == p.region && r.to == to && r.tier_from.total_cmp(&tier_from).is_eq())
            {
                return Err(format!("{name} is listed twice"));
            }
            rows.push(Row { region: p.region.clone(), to, tier_from, entry: i });
        }
        for rows in index.values_mut().flat_map(HashMap::values_mut) {
            rows.sort_by(|a, b| {
                (&a.region, &a.to).cmp(&(&b.region, &b.to)).then(a.tier_from.total_cmp(&b.tier_from))
            });
        }
        check_tiers(&file, &index)?;
        for c in &file.commitments {
            cite(format!("commitment for `{}`", c.service), &c.source)?;
            if !(c.factor.is_finite() && c.factor > 0.0 && c.factor <= 1.0) {
                return Err(format!(
                    "commitment for `{}` has factor {}; it must be in (0, 1]",
                    c.service, c.factor
                ));
            }
        }
        let source_index: HashMap<String, usize> =
            file.sources.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        // Every entry cites a known source (checked above).
        let entry_sources =
            file.prices.iter().map(|p| source_index.get(&p.source).copied().unwrap_or(0)).collect();
        Ok(PriceSnapshot { file, as_of, index, ratio_index, source_dates, source_index, entry_sources, free })
    }

    /// Checks that the snapshot is not dated after `today` (a day of slack for time zones): a date
    /// to come would keep its prices from ever counting as stale. For snapshots a user gives; the
    /// built-in one is checked by its tests, not against the machine's clock.
    ///
    /// # Errors
    /// The message, naming both dates.
    pub fn check_not_after(&self, today: Date) -> Result<(), String> {
        if today.days_until(self.as_of) > 1 {
            return Err(format!(
                "as_of {} is after today ({today}): a snapshot is dated by the day its prices were read",
                self.as_of
            ));
        }
        Ok(())
    }

    /// The contents.
    pub fn file(&self) -> &SnapshotFile {
        &self.file
    }

    /// The snapshot's date.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// The price entry at `i`.
    pub fn entry(&self, i: usize) -> &PriceEntry {
        &self.file.prices[i]
    }

    /// The ratio entry at `i`.
    pub fn ratio(&self, i: usize) -> &RegionRatio {
        &self.file.ratios[i]
    }

    /// The source with this key.
    pub fn source(&self, id: &str) -> Option<&PriceSource> {
        self.source_index.get(id).map(|&i| &self.file.sources[i])
    }

    /// The source of the price entry at `i`.
    pub fn entry_source(&self, i: usize) -> Option<&PriceSource> {
        self.file.sources.get(*self.entry_sources.get(i)?)
    }

    /// The date the source with this key was read.
    pub fn source_date(&self, id: &str) -> Option<Date> {
        self.source_dates.get(id).copied()
    }

    /// Whether a kind is listed as having no price of its own.
    pub fn is_free(&self, kind: ServiceKind) -> bool {
        self.free.contains_key(&kind)
    }

    /// The price of one unit of `dimension` of `service` in `region` (`global` for global services).
    ///
    /// An entry for the region itself wins; otherwise the us-east-1 entry times the region's ratio.
    pub fn quote(&self, service: impl Into<PriceService>, dimension: &str, region: &str) -> Option<Quote> {
        self.quote_to(service, dimension, region, "")
    }

    /// As [`PriceSnapshot::quote`], for a pair-priced dimension from `region` to `to_region`.
    pub fn quote_to(
        &self,
        service: impl Into<PriceService>,
        dimension: &str,
        region: &str,
        to_region: &str,
    ) -> Option<Quote> {
        let rows = self.index.get(&service.into())?.get(dimension)?;
        let find = |r: &str, t: &str| rows.iter().find(|x| x.region == r && x.to == t).map(|x| x.entry);
        let exact =
            find(region, to_region).or_else(|| (!to_region.is_empty()).then(|| find(region, "")).flatten());
        if let Some(i) = exact {
            return Some(Quote { usd: self.file.prices[i].usd, entry: i, ratio: 1.0, ratio_entry: None });
        }
        if region == "global" || region == BASE_REGION {
            return None;
        }
        let &r = self.ratio_index.get(region)?;
        let i = find(BASE_REGION, "")?;
        let ratio = self.file.ratios[r].ratio;
        Some(Quote { usd: self.file.prices[i].usd * ratio, entry: i, ratio, ratio_entry: Some(r) })
    }

    /// The quote of entry `i` as it stands (no ratio).
    pub fn quote_entry(&self, i: usize) -> Quote {
        Quote { usd: self.file.prices[i].usd, entry: i, ratio: 1.0, ratio_entry: None }
    }

    /// The tiers of a volume-tiered dimension in `region`, lowest first: the region's own
    /// entries, else the us-east-1 tiers times the region's ratio. A dimension that is not tiered
    /// gives its one price as a single tier from 0 with no end.
    pub fn tiers(&self, service: impl Into<PriceService>, dimension: &str, region: &str) -> Vec<TierQuote> {
        let Some(rows) = self.index.get(&service.into()).and_then(|d| d.get(dimension)) else {
            return Vec::new();
        };
        let tier = |x: &Row, quote: Quote| TierQuote {
            from_gb: x.tier_from,
            to_gb: self.file.prices[x.entry].tier_to_gb,
            quote,
        };
        let own: Vec<TierQuote> = of(rows, region)
            .map(|x| {
                tier(
                    x,
                    Quote {
                        usd: self.file.prices[x.entry].usd,
                        entry: x.entry,
                        ratio: 1.0,
                        ratio_entry: None,
                    },
                )
            })
            .collect();
        if !own.is_empty() || region == "global" || region == BASE_REGION {
            return own;
        }
        let Some(&r) = self.ratio_index.get(region) else { return Vec::new() };
        let ratio = self.file.ratios[r].ratio;
        of(rows, BASE_REGION)
            .map(|x| {
                let usd = self.file.prices[x.entry].usd * ratio;
                tier(x, Quote { usd, entry: x.entry, ratio, ratio_entry: Some(r) })
            })
            .collect()
    }

    /// The account-wide free allowance of a tiered dimension family (`internet-out`,
    /// `data-out`): the entry `<family>:free` in region `global`, whose tier end is the amount.
    pub fn free_allowance(&self, service: impl Into<PriceService>, family: &str) -> Option<(f64, usize)> {
        let rows = self.index.get(&service.into())?;
        let row = rows.iter().find(|(d, _)| d.strip_suffix(":free") == Some(family)).map(|(_, r)| r)?;
        let x = row.iter().find(|x| x.region == "global")?;
        Some((self.file.prices[x.entry].tier_to_gb?, x.entry))
    }

    /// The fraction of on-demand paid for `service` under `term`, with its entry.
    pub fn commitment(&self, kind: ServiceKind, term: Term) -> Option<&CommitmentFactor> {
        self.file.commitments.iter().find(|c| c.service == kind && c.term == term)
    }

    /// Writes the snapshot as RON text (used by `pricing refresh`).
    pub fn to_ron(&self, header: &str) -> Result<String, ron::Error> {
        let body = ron::ser::to_string_pretty(
            &self.file,
            ron::ser::PrettyConfig::new().indentor("    ".to_owned()),
        )?;
        Ok(format!("{header}{body}\n"))
    }
}

/// The rows of `region` that are not pair-priced, tiers in order.
fn of<'r>(rows: &'r [Row], region: &'r str) -> impl Iterator<Item = &'r Row> + 'r {
    rows.iter().filter(move |x| x.region == region && x.to.is_empty())
}

/// Every tiered dimension's tiers in a region start at 0 and follow each other without gaps.
fn check_tiers(file: &SnapshotFile, index: &PriceIndex) -> Result<(), String> {
    for (service, dims) in index {
        for (dimension, rows) in dims {
            let mut prev: Option<(&str, Option<f64>)> = None;
            for x in rows.iter().filter(|x| x.to.is_empty()) {
                let e = &file.prices[x.entry];
                let tiered = e.tier_from_gb.is_some() || e.tier_to_gb.is_some();
                let name = format!("price `{service}` `{dimension}` in `{}`", x.region);
                let continues = prev.is_some_and(|(r, _)| r == x.region);
                if continues && prev.and_then(|(_, end)| end) != Some(x.tier_from) {
                    return Err(format!(
                        "{name}: the tier from {} GB does not start where the previous one ends",
                        x.tier_from
                    ));
                }
                if !continues && tiered && x.tier_from != 0.0 {
                    return Err(format!("{name}: its first tier starts at {} GB, not 0", x.tier_from));
                }
                prev = Some((x.region.as_str(), e.tier_to_gb));
            }
        }
    }
    Ok(())
}

/// A line and column for a check failure: the first line mentioning the quoted name in the message.
/// Prices name AWS regions of the catalog (or `global` where `global` is allowed): a price for a
/// region Meridian does not know could never be used, and is most likely a typo for one it does.
fn known_region(
    catalog: &crate::catalog::Catalog,
    what: &str,
    region: &str,
    global: bool,
) -> Result<(), String> {
    if (global && region == "global") || catalog.region(region).is_some() {
        return Ok(());
    }
    Err(format!(
        "{what} names region `{region}`, which is not an AWS region in the catalog{}",
        if global { " (nor global)" } else { "" }
    ))
}

/// Each source's date by id: every date well formed, none after the snapshot's `as_of`, no id
/// twice.
fn source_dates(sources: &[PriceSource], as_of: Date) -> Result<BTreeMap<String, Date>, String> {
    let mut dates = BTreeMap::new();
    for s in sources {
        let d = Date::parse(&s.as_of)
            .ok_or_else(|| format!("source `{}` has as_of `{}`; write YYYY-MM-DD", s.id, s.as_of))?;
        if d > as_of {
            return Err(format!(
                "source `{}` was read on {d}, after the snapshot's as_of {as_of}; a snapshot is dated by its newest source",
                s.id
            ));
        }
        if dates.insert(s.id.clone(), d).is_some() {
            return Err(format!("source `{}` is listed twice", s.id));
        }
    }
    Ok(dates)
}

fn locate_hint(text: &str, message: &str) -> (usize, usize) {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    for (n, line) in text.lines().enumerate() {
        if !quoted.is_empty() && quoted.iter().all(|q| line.contains(&format!("\"{q}\""))) {
            let col = line.find(|c: char| !c.is_whitespace()).unwrap_or(0);
            return (n + 1, col + 1);
        }
    }
    (0, 0)
}
