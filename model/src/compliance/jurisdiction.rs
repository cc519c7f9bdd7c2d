//! Jurisdictions, groups of jurisdictions and transfer bases, embedded from
//! `assets/compliance/jurisdictions.ron`.
//!
//! The region catalog gives each region a jurisdiction code (`EU`, `UK`, `US`, `CH`, ...). This
//! file adds what data law needs on top: which countries a jurisdiction covers, named groups such
//! as `EEA`, and the legal bases (adequacy decisions, frameworks) that let data leave a group.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::Source;

/// A jurisdiction covering several countries, or whose code differs from its country's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// Code as the region catalog uses it, e.g. `EU`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 codes of the countries covered.
    pub countries: Vec<String>,
    /// Key of the source.
    pub source: String,
}

/// A named group of jurisdictions, e.g. `EEA`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Name policies use, e.g. `EEA`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Jurisdiction codes in the group.
    pub members: Vec<String>,
    /// Key of the source.
    pub source: String,
}

/// What kind of legal basis a transfer relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BasisKind {
    /// An adequacy decision covering the whole destination (possibly with a sector condition).
    Adequacy,
    /// A framework that covers only certified importers (the EU-US Data Privacy Framework).
    Framework,
}

/// A legal basis for moving data from a group to a jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBasis {
    /// Key, e.g. `eu-us-dpf`.
    pub id: String,
    /// The group the data leaves, e.g. `EEA`.
    pub from: String,
    /// The jurisdiction it may go to, e.g. `US`.
    pub to: String,
    /// Adequacy or framework.
    pub kind: BasisKind,
    /// Display name.
    pub name: String,
    /// Key of the source.
    pub source: String,
    /// What must also hold for the basis to apply, which a design cannot show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A problem in the embedded jurisdictions file (a bug in Meridian, caught by its tests).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("assets/compliance/jurisdictions.ron:{line}:{col}: error: {message}")]
pub struct JurisdictionsError {
    /// 1-based line (0 when not about one place).
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// The contents of the jurisdictions file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdictions {
    /// Every source cited.
    pub sources: Vec<Source>,
    /// Multi-country jurisdictions.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Named groups.
    pub groups: Vec<Group>,
    /// Transfer bases.
    pub transfer_bases: Vec<TransferBasis>,
}

impl Jurisdictions {
    /// The embedded file, parsed and checked once.
    pub fn builtin() -> Result<&'static Jurisdictions, JurisdictionsError> {
        static BUILTIN: OnceLock<Result<Jurisdictions, JurisdictionsError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Jurisdictions::from_text(include_str!("../../../assets/compliance/jurisdictions.ron"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks a jurisdictions file.
    pub fn from_text(text: &str) -> Result<Jurisdictions, JurisdictionsError> {
        let j: Jurisdictions = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .map_err(|e| JurisdictionsError {
                line: e.span.start.line,
                col: e.span.start.col,
                message: e.code.to_string(),
            })?;
        j.check()?;
        Ok(j)
    }

    fn check(&self) -> Result<(), JurisdictionsError> {
        let bad = |message: String| JurisdictionsError { line: 0, col: 0, message };
        let sources: BTreeSet<&str> = self.sources.iter().map(|s| s.id.as_str()).collect();
        let cites = self
            .jurisdictions
            .iter()
            .map(|j| (&j.code, &j.source))
            .chain(self.groups.iter().map(|g| (&g.id, &g.source)))
            .chain(self.transfer_bases.iter().map(|b| (&b.id, &b.source)));
        for (what, source) in cites {
            if !sources.contains(source.as_str()) {
                return Err(bad(format!("{what} cites unknown source `{source}`")));
            }
        }
        for b in &self.transfer_bases {
            if self.group(&b.from).is_none() {
                return Err(bad(format!("transfer basis {} leaves unknown group `{}`", b.id, b.from)));
            }
        }
        Ok(())
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Whether `name` is a group id or a known jurisdiction or country code (two capital letters).
    pub fn is_known(&self, name: &str) -> bool {
        self.group(name).is_some()
            || self.jurisdictions.iter().any(|j| j.code == name)
            || (name.len() == 2 && name.bytes().all(|b| b.is_ascii_uppercase()))
    }

    /// Expands group ids into their member jurisdiction codes; other names are kept as they are.
    pub fn expand<'a>(&self, names: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for n in names {
            match self.group(n) {
                Some(g) => out.extend(g.members.iter().cloned()),
                None => {
                    out.insert(n.clone());
                }
            }
        }
        out
    }

    /// The jurisdiction a country belongs to, e.g. `DE` -> `EU`, `GB` -> `UK`, `JP` -> `JP`.
    pub fn jurisdiction_of_country(&self, country: &str) -> String {
        self.jurisdictions
            .iter()
            .find(|j| j.countries.iter().any(|c| c == country))
            .map_or_else(|| country.to_owned(), |j| j.code.clone())
    }

    /// Whether a jurisdiction code covers several countries (so it names no single country).
    pub fn is_multi_country(&self, code: &str) -> bool {
        self.jurisdictions.iter().any(|j| j.code == code && j.countries.len() > 1)
    }

    /// Transfer bases from any of the groups in `from` to jurisdiction `to`, of the given kinds.
    pub fn bases<'a>(
        &'a self,
        from: &'a [String],
        to: &'a str,
        kinds: &'a [BasisKind],
    ) -> impl Iterator<Item = &'a TransferBasis> + 'a {
        self.transfer_bases
            .iter()
            .filter(move |b| b.to == to && from.contains(&b.from) && kinds.contains(&b.kind))
    }

    /// The source with this key.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Countries of each multi-country jurisdiction, for display.
    pub fn countries_by_jurisdiction(&self) -> BTreeMap<&str, &[String]> {
        self.jurisdictions.iter().map(|j| (j.code.as_str(), j.countries.as_slice())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_knows_the_eu_adequacy_list() {
        let j = Jurisdictions::builtin().unwrap();
        assert_eq!(j.jurisdiction_of_country("DE"), "EU");
        assert_eq!(j.jurisdiction_of_country("GB"), "UK");
        assert_eq!(j.jurisdiction_of_country("JP"), "JP");
        let eea = j.expand([&"EEA".to_owned()]);
        assert!(eea.contains("EU") && eea.contains("NO") && !eea.contains("CH"));
        let from = ["EEA".to_owned()];
        for to in ["UK", "CH", "JP", "KR", "CA", "IL", "NZ", "AR", "UY"] {
            assert_eq!(j.bases(&from, to, &[BasisKind::Adequacy]).count(), 1, "{to}");
        }
        let us: Vec<_> = j.bases(&from, "US", &[BasisKind::Adequacy, BasisKind::Framework]).collect();
        assert_eq!(us.len(), 1);
        assert!(us[0].condition.as_deref().unwrap_or("").contains("certified"));
        assert_eq!(j.bases(&from, "US", &[BasisKind::Adequacy]).count(), 0);
        assert_eq!(j.bases(&from, "SG", &[BasisKind::Adequacy, BasisKind::Framework]).count(), 0);
        assert!(j.source("eu-us-dpf").is_some_and(|s| s.as_of.len() == 10));
    }

    #[test]
    fn a_basis_citing_an_unknown_source_is_refused() {
        let text = "(sources: [], jurisdictions: [], groups: [(id: \"G\", name: \"g\", members: [], source: \"nope\")], transfer_bases: [])";
        let err = Jurisdictions::from_text(text).unwrap_err();
        assert!(err.message.contains("unknown source `nope`"), "{err}");
    }
}
