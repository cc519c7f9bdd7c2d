//! Policies as code: RON files of rules about where data may go, checked against designs.
//!
//! The shipped packs live in `assets/compliance/packs/` and are embedded; users pass their own
//! files. A bad policy file gets one `FILE:LINE:COL: error: ... (field path)` message, like a bad
//! design file.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::jurisdiction::{BasisKind, Jurisdictions};
use crate::format::LoadError;
use crate::format::locate::{self, LineCol};
use crate::ids::check_id;

/// The shipped policy packs: (name, text).
pub const PACKS: [(&str, &str); 4] = [
    ("gdpr-strict", include_str!("../../../assets/compliance/packs/gdpr-strict.ron")),
    ("gdpr-adequacy", include_str!("../../../assets/compliance/packs/gdpr-adequacy.ron")),
    ("data-sovereignty", include_str!("../../../assets/compliance/packs/data-sovereignty.ron")),
    ("ccpa", include_str!("../../../assets/compliance/packs/ccpa.ron")),
];

/// A policy: a named set of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Policy", deny_unknown_fields)]
pub struct Policy {
    /// Name used in rule names (`POLICY/RULE`) and on the command line, e.g. `gdpr-strict`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the policy is for and what it leaves out.
    #[serde(default)]
    pub description: String,
    /// The rules.
    pub rules: Vec<Rule>,
}

/// One rule of a policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Rule", deny_unknown_fields)]
pub struct Rule {
    /// Name within the policy, e.g. `eu-residency`.
    pub id: String,
    /// What the rule requires, in a sentence (shown with every finding).
    pub description: String,
    /// What is checked.
    pub kind: RuleKind,
}

/// What a rule checks. Data-class patterns are labels (`personal:EU`) or prefixes ending in `*`
/// (`personal:*`, `personal:US*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RuleKind {
    /// Data of these classes may be stored only in `allowed` (every stateful service and CDN the
    /// data reaches counts).
    Residency {
        /// Data-class patterns.
        classes: Vec<String>,
        /// Where the data may rest.
        allowed: Place,
    },
    /// Data of these classes may leave `within` only to a jurisdiction with a transfer basis of
    /// one of the `accept`ed kinds from one of the `within` groups.
    Transfer {
        /// Data-class patterns.
        classes: Vec<String>,
        /// Groups or jurisdictions the data may move within freely, e.g. `["EEA"]`.
        within: Vec<String>,
        /// Kinds of transfer basis accepted.
        accept: Vec<BasisKind>,
    },
    /// Every service holding data of these classes encrypts it at rest and/or in transit.
    Encryption {
        /// Data-class patterns.
        classes: Vec<String>,
        /// Stored data is encrypted (stateful services).
        at_rest: bool,
        /// Connections are encrypted (every service the data passes).
        in_transit: bool,
    },
    /// Populations carrying these classes (or named in `populations`) are served only from
    /// `allowed` in normal operation, and also during failover when `during_failover` is set.
    Routing {
        /// Data-class patterns selecting populations.
        #[serde(default)]
        classes: Vec<String>,
        /// Population ids selected by name.
        #[serde(default)]
        populations: Vec<String>,
        /// Where the populations may be served.
        allowed: Place,
        /// Whether failover routes (secondary records, other latency endpoints) count too.
        during_failover: bool,
    },
    /// Backups and logs of these classes (backup vaults, services reached over a backup link,
    /// and management services such as CloudWatch and CloudTrail) stay in `allowed`.
    BackupsAndLogs {
        /// Data-class patterns.
        classes: Vec<String>,
        /// Where backups and logs may be kept.
        allowed: Place,
    },
    /// Inventory and disclosure: every stateful service the data reaches must declare the class in
    /// its `data_classes`, and the report lists where the data is kept. Not a residency rule.
    Inventory {
        /// Data-class patterns.
        classes: Vec<String>,
    },
}

/// The kind of a rule without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RuleKindTag {
    /// See [`RuleKind::Residency`].
    Residency,
    /// See [`RuleKind::Transfer`].
    Transfer,
    /// See [`RuleKind::Encryption`].
    Encryption,
    /// See [`RuleKind::Routing`].
    Routing,
    /// See [`RuleKind::BackupsAndLogs`].
    BackupsAndLogs,
    /// See [`RuleKind::Inventory`].
    Inventory,
}

impl RuleKind {
    /// The kind without parameters.
    pub fn tag(&self) -> RuleKindTag {
        match self {
            RuleKind::Residency { .. } => RuleKindTag::Residency,
            RuleKind::Transfer { .. } => RuleKindTag::Transfer,
            RuleKind::Encryption { .. } => RuleKindTag::Encryption,
            RuleKind::Routing { .. } => RuleKindTag::Routing,
            RuleKind::BackupsAndLogs { .. } => RuleKindTag::BackupsAndLogs,
            RuleKind::Inventory { .. } => RuleKindTag::Inventory,
        }
    }

    /// The data-class patterns the rule is about.
    pub fn classes(&self) -> &[String] {
        match self {
            RuleKind::Residency { classes, .. }
            | RuleKind::Transfer { classes, .. }
            | RuleKind::Encryption { classes, .. }
            | RuleKind::Routing { classes, .. }
            | RuleKind::BackupsAndLogs { classes, .. }
            | RuleKind::Inventory { classes } => classes,
        }
    }
}

/// Where data may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// In these groups, jurisdictions or countries, e.g. `In(["EEA"])`, `In(["CH", "DE"])`.
    In(Vec<String>),
    /// In the data's home jurisdiction: the one its class label names (`personal:DE` -> EU).
    HomeJurisdiction,
    /// In the data's home country: the writing population's `country`, or the country its class
    /// label names (`personal:JP` -> JP). Unknown for `personal:EU` without a population country.
    HomeCountry,
}

/// Whether a data-class label matches a pattern (`personal:EU`, `personal:*`, `*`).
pub fn class_matches(pattern: &str, class: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => class.starts_with(prefix),
        None => pattern == class,
    }
}

impl Policy {
    /// Whether `name` names a shipped pack.
    pub fn is_pack(name: &str) -> bool {
        PACKS.iter().any(|(n, _)| *n == name)
    }

    /// The shipped pack `name`.
    pub fn pack(name: &str) -> Option<Result<Policy, LoadError>> {
        let (_, text) = PACKS.iter().find(|(n, _)| *n == name)?;
        let path = format!("assets/compliance/packs/{name}.ron");
        Some(Policy::from_str(text, Path::new(&path)))
    }

    /// Every shipped pack, in the order of [`PACKS`].
    pub fn packs() -> Result<Vec<Policy>, LoadError> {
        PACKS.iter().filter_map(|(n, _)| Policy::pack(n)).collect()
    }

    /// Reads a policy file.
    pub fn load_file(path: &Path) -> Result<Policy, LoadError> {
        let text = crate::format::read_text(path, crate::format::Limit::Policy)?;
        Policy::from_str(&text, path)
    }

    /// Parses and checks a policy from text; `path` names it in messages.
    pub fn from_str(text: &str, path: &Path) -> Result<Policy, LoadError> {
        crate::format::check_nesting(text, path)?;
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);
        let spanned = |e: &ron::error::SpannedError, field: Option<String>| LoadError {
            file: path.to_owned(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
            field,
        };
        let mut de =
            ron::Deserializer::from_str_with_options(text, &options).map_err(|e| spanned(&e, None))?;
        let policy: Policy = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let field = e.path().to_string();
            let field = (field != "." && !field.is_empty()).then_some(field);
            let inner = e.into_inner();
            spanned(&de.span_error(inner), field)
        })?;
        de.end().map_err(|e| {
            let mut err = spanned(&de.span_error(e), None);
            err.message = "unexpected text after the end of the policy".into();
            err
        })?;
        if let Err((field, message)) = policy.check() {
            let LineCol { line, col } = locate::locate(text, &locate::parse_path(&field));
            return Err(LoadError { file: path.to_owned(), line, col, message, field: Some(field) });
        }
        Ok(policy)
    }

    /// Checks names, patterns and places; returns the field path and message of the first problem.
    fn check(&self) -> Result<(), (String, String)> {
        let j = Jurisdictions::builtin().map_err(|e| (String::new(), e.to_string()))?;
        check_id(&self.id).map_err(|e| ("id".to_owned(), e.to_string()))?;
        if self.id.contains('/') {
            return Err(("id".into(), "a policy id must not contain `/`".into()));
        }
        // Names and text reach the terminal and reports: the design's rules for text apply.
        crate::check::check_name(&self.name).map_err(|m| ("name".to_owned(), m))?;
        crate::check::check_text(&self.description, crate::check::MAX_TEXT_CHARS, true)
            .map_err(|m| ("description".to_owned(), m))?;
        if self.rules.is_empty() {
            // A policy of no rules passes every design: a gate that cannot fail.
            return Err((
                "rules".into(),
                "a policy needs at least one rule; it would pass every design".into(),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, r) in self.rules.iter().enumerate() {
            let at = |f: &str| format!("rules[{i}].{f}");
            check_id(&r.id).map_err(|e| (at("id"), e.to_string()))?;
            if r.id.contains('/') {
                return Err((at("id"), "a rule id must not contain `/`".into()));
            }
            if !seen.insert(r.id.as_str()) {
                return Err((at("id"), format!("rule `{}` is listed twice; rule ids must be unique", r.id)));
            }
            crate::check::check_text(&r.description, crate::check::MAX_TEXT_CHARS, true)
                .map_err(|m| (at("description"), m))?;
            for (k, c) in r.kind.classes().iter().enumerate() {
                crate::check::check_name(c).map_err(|m| (at(&format!("kind.classes[{k}]")), m))?;
                // Only a trailing `*` is a wildcard (char-wise: a label may end in any character).
                let body = c.strip_suffix('*').unwrap_or(c);
                if c.trim().is_empty() || body.contains('*') {
                    return Err((
                        at(&format!("kind.classes[{k}]")),
                        format!("`{c}` is not a data-class pattern; write a label or a prefix ending in `*`"),
                    ));
                }
            }
            // A rule of no classes selects no data and passes every design (a routing rule may
            // select populations by id instead, checked below).
            if r.kind.classes().is_empty() && !matches!(r.kind, RuleKind::Routing { .. }) {
                return Err((
                    at("kind.classes"),
                    "name at least one data class or prefix (`personal:EU`, `personal:*`); a rule of none checks nothing".into(),
                ));
            }
            let (names, field): (&[String], &str) = match &r.kind {
                RuleKind::Residency { allowed: Place::In(n), .. }
                | RuleKind::Routing { allowed: Place::In(n), .. }
                | RuleKind::BackupsAndLogs { allowed: Place::In(n), .. } => (n, "kind.allowed"),
                RuleKind::Transfer { within, .. } => (within, "kind.within"),
                _ => (&[], ""),
            };
            if !field.is_empty() && names.is_empty() {
                return Err((at(field), "name at least one group, jurisdiction or country".into()));
            }
            if let Some(bad) = names.iter().find(|n| !j.is_known(n)) {
                let groups: Vec<&str> = j.groups.iter().map(|g| g.id.as_str()).collect();
                return Err((
                    at(field),
                    format!(
                        "`{bad}` is not a group ({}), a jurisdiction code or an ISO country code",
                        groups.join(", ")
                    ),
                ));
            }
            if let RuleKind::Routing { classes, populations, .. } = &r.kind
                && classes.is_empty()
                && populations.is_empty()
            {
                return Err((
                    at("kind"),
                    "a routing rule selects populations by `classes` or `populations`".into(),
                ));
            }
            if let RuleKind::Encryption { at_rest: false, in_transit: false, .. } = &r.kind {
                return Err((
                    at("kind"),
                    "an encryption rule requires `at_rest`, `in_transit` or both".into(),
                ));
            }
        }
        Ok(())
    }

    /// The full name of a rule, `POLICY/RULE`.
    pub fn rule_name(&self, rule: &Rule) -> String {
        format!("{}/{}", self.id, rule.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_packs_load() {
        let packs = Policy::packs().unwrap();
        assert_eq!(packs.len(), 4);
        assert!(packs.iter().all(|p| !p.rules.is_empty()));
        assert!(Policy::pack("nope").is_none());
    }

    #[test]
    fn patterns_match_labels_and_prefixes() {
        assert!(class_matches("personal:EU", "personal:EU"));
        assert!(!class_matches("personal:EU", "personal:EUX"));
        assert!(class_matches("personal:*", "personal:JP"));
        assert!(class_matches("personal:US*", "personal:US-CA"));
        assert!(!class_matches("personal:US*", "health:US"));
    }

    #[test]
    fn a_class_ending_in_a_multibyte_character_is_checked_without_panicking() {
        // Found by the fuzz loop (app/tests/fuzz.rs): the check sliced the label at a byte, not a
        // character, and panicked on `personal:é`.
        let text = "Policy(id: \"p\", name: \"P\", rules: [Rule(id: \"r\", description: \"d\",\n    kind: Residency(classes: [\"personal:\u{e9}\", \"a*b\u{e9}\"], allowed: In([\"EEA\"])))])\n";
        let err = Policy::from_str(text, Path::new("p.ron")).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("rules[0].kind.classes[1]"), "{err}");
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let text = "Policy(\n    id: \"p\",\n    name: \"P\",\n    rules: [\n        Rule(id: \"r\", description: \"d\",\n            kind: Residency(classes: [\"x\"], allowed: In([\"ATLANTIS\"]))),\n    ],\n)\n";
        let err = Policy::from_str(text, Path::new("p.ron")).unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (6, Some("rules[0].kind.allowed")), "{err}");
        assert!(err.to_string().starts_with("p.ron:6:"), "{err}");
        assert!(err.message.contains("ATLANTIS"));

        let text = "Policy(id: \"p\", name: \"P\", rules: [Rule(id: \"r\", description: \"d\", kind: Residence(classes: []))])";
        let err = Policy::from_str(text, Path::new("p.ron")).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.col > 60, "{err}");
        assert!(err.message.contains("Residence"), "{err}");

        let text = "Policy(id: \"p\", name: \"P\", rules: [\n  Rule(id: \"r\", description: \"d\", kind: Inventory(classes: [\"a\"])),\n  Rule(id: \"r\", description: \"d\", kind: Inventory(classes: [\"a\"])),\n])";
        let err = Policy::from_str(text, Path::new("p.ron")).unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (3, Some("rules[1].id")), "{err}");
    }
}
