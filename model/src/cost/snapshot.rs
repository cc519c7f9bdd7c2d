//! The price snapshot: dated, cited on-demand prices, embedded from `assets/pricing/snapshot.ron`.
//!
//! A [`PriceSnapshot`] answers one question fast: what does one unit of (service kind, dimension)
//! cost in a region, and where does that figure come from. Regional prices fall back to the
//! us-east-1 price times the region's documented ratio; the answer says so ([`Basis::Derived`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

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

/// Service, then dimension, to (region, to_region, entry index) rows.
type PriceIndex = HashMap<PriceService, HashMap<String, Vec<(String, String, usize)>>>;

/// A parsed, checked and indexed snapshot.
#[derive(Debug, Clone)]
pub struct PriceSnapshot {
    file: SnapshotFile,
    as_of: Date,
    /// service, then dimension, to (region, to_region, entry index); `to_region` empty when not
    /// pair-priced. Maps keyed by `String` can be probed with `&str`, so lookups allocate nothing.
    index: PriceIndex,
    ratio_index: HashMap<String, usize>,
    source_dates: BTreeMap<String, Date>,
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
        let mut source_dates = BTreeMap::new();
        for s in &file.sources {
            let d = Date::parse(&s.as_of)
                .ok_or_else(|| format!("source `{}` has as_of `{}`; write YYYY-MM-DD", s.id, s.as_of))?;
            if source_dates.insert(s.id.clone(), d).is_some() {
                return Err(format!("source `{}` is listed twice", s.id));
            }
        }
        let cite = |what: String, key: &str| {
            if source_dates.contains_key(key) {
                Ok(())
            } else {
                Err(format!("{what} cites unknown source `{key}`"))
            }
        };
        let mut ratio_index = HashMap::new();
        for (i, r) in file.ratios.iter().enumerate() {
            cite(format!("ratio for `{}`", r.region), &r.source)?;
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
        let mut index: PriceIndex = HashMap::new();
        for (i, p) in file.prices.iter().enumerate() {
            let name = format!("price `{}` `{}` in `{}`", p.service, p.dimension, p.region);
            cite(name.clone(), &p.source)?;
            if !(p.usd.is_finite() && p.usd >= 0.0) {
                return Err(format!("{name} is {}; it must be a non-negative number", p.usd));
            }
            if p.basis != Basis::Read && p.note.as_deref().is_none_or(str::is_empty) {
                return Err(format!("{name} has basis {:?} but no note saying where or how", p.basis));
            }
            let to = p.to_region.clone().unwrap_or_default();
            let rows = index.entry(p.service).or_default().entry(p.dimension.clone()).or_default();
            if rows.iter().any(|(r, t, _)| *r == p.region && *t == to) {
                return Err(format!("{name} is listed twice"));
            }
            rows.push((p.region.clone(), to, i));
        }
        for c in &file.commitments {
            cite(format!("commitment for `{}`", c.service), &c.source)?;
            if !(c.factor.is_finite() && c.factor > 0.0 && c.factor <= 1.0) {
                return Err(format!(
                    "commitment for `{}` has factor {}; it must be in (0, 1]",
                    c.service, c.factor
                ));
            }
        }
        Ok(PriceSnapshot { file, as_of, index, ratio_index, source_dates, free })
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
        self.file.sources.iter().find(|s| s.id == id)
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
        let find = |r: &str, t: &str| rows.iter().find(|(rr, tt, _)| rr == r && tt == t).map(|x| x.2);
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

/// A line and column for a check failure: the first line mentioning the quoted name in the message.
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
