//! Strategy variants: from one design, the same workload built as each of the disaster-recovery
//! strategies of the AWS whitepaper *Disaster Recovery of Workloads on AWS* (multi-AZ in one
//! region, backup and restore, pilot light, warm standby, multi-site active/active).
//!
//! [`derive()`] changes a copy of the design only through [`Command`]s, so every variant keeps the
//! design invariants ([`crate::check_all`]); the populations and the workload are untouched. The
//! rules (which region is primary, what the standby region keeps, how routing, replication and
//! backup links change, how compute is sized) are in `docs/strategies.md`; `plan` holds the
//! region choice, id mirroring and sizing.

mod plan;
mod stack;

use crate::catalog::Catalog;
use crate::check::CommandError;
use crate::command::{Command, apply};
use crate::design::Design;
use crate::ids::RegionId;

use plan::Plan;

/// A disaster-recovery strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    /// Everything in one region, spread over its AZs; no second region.
    MultiAz,
    /// One region serving; data backed up to a vault in a second region, restored after a disaster.
    BackupRestore,
    /// One region serving; in the second region the data is live (replicated) and compute is at zero.
    PilotLight,
    /// One region serving; the second region runs a scaled-down, fully functional copy.
    WarmStandby,
    /// Both regions serve their nearest users, each sized to carry all of them.
    ActiveActive,
}

impl Strategy {
    /// Every strategy, from the cheapest to the most available.
    pub const ALL: [Strategy; 5] = [
        Strategy::MultiAz,
        Strategy::BackupRestore,
        Strategy::PilotLight,
        Strategy::WarmStandby,
        Strategy::ActiveActive,
    ];

    /// The file-name slug, e.g. `pilot-light`.
    pub fn slug(self) -> &'static str {
        match self {
            Strategy::MultiAz => "multi-az",
            Strategy::BackupRestore => "backup-restore",
            Strategy::PilotLight => "pilot-light",
            Strategy::WarmStandby => "warm-standby",
            Strategy::ActiveActive => "active-active",
        }
    }

    /// The display name, e.g. `Pilot light`.
    pub fn label(self) -> &'static str {
        match self {
            Strategy::MultiAz => "Multi-AZ, single region",
            Strategy::BackupRestore => "Backup and restore",
            Strategy::PilotLight => "Pilot light",
            Strategy::WarmStandby => "Warm standby",
            Strategy::ActiveActive => "Active-active",
        }
    }

    /// The strategy with this slug.
    pub fn from_slug(slug: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Whether the strategy keeps a second region.
    pub fn uses_standby(self) -> bool {
        self != Strategy::MultiAz
    }
}

/// Why variants could not be derived.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VariantError {
    /// The design has no region to start from.
    #[error("the design has no region: draw one region with its services first")]
    NoRegion,
    /// A one-region design whose region has no sibling in the catalog to recover into.
    #[error("no catalog region in the same jurisdiction as {0} to use as the standby region")]
    NoStandby(String),
    /// A command was refused (a bug in a rule: every variant must be a valid design).
    #[error("deriving the {strategy} variant: {source}")]
    Command {
        /// The strategy being derived.
        strategy: &'static str,
        /// The refused command's error.
        source: CommandError,
    },
}

/// A derived design and the regions it was derived with.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The strategy.
    pub strategy: Strategy,
    /// The design.
    pub design: Design,
    /// The region that serves (every region serves in active-active).
    pub primary: RegionId,
    /// The recovery or second active region (`None` for multi-AZ).
    pub standby: Option<RegionId>,
}

/// Derives `strategy` from `design`; see `docs/strategies.md` for the rules.
pub fn derive(design: &Design, catalog: &Catalog, strategy: Strategy) -> Result<Variant, VariantError> {
    let plan = Plan::new(design, catalog)?;
    let mut d = design.clone();
    let refused = |source| VariantError::Command { strategy: strategy.slug(), source };
    stack::build(&plan, &mut d, catalog, strategy).map_err(refused)?;
    let name = format!("{}, from {}", strategy.label(), design.name());
    apply(&mut d, catalog, Command::SetName(name)).map_err(refused)?;
    apply(&mut d, catalog, Command::SetDescription(stack::description(&plan, design, strategy)))
        .map_err(refused)?;
    Ok(Variant {
        strategy,
        design: d,
        primary: plan.primary.clone(),
        standby: strategy.uses_standby().then(|| plan.standby.clone()),
    })
}

/// The region a strategy derived from `design` serves from: the one nearest to the most
/// requests per second (`None` for a design without regions). Scenarios that take "the primary
/// region" down use it, so they hit every variant of a design in the same place.
pub fn primary_region(design: &Design, catalog: &Catalog) -> Option<RegionId> {
    plan::ranked_regions(design, catalog).into_iter().next()
}

/// Every strategy derived from `design`, in [`Strategy::ALL`] order.
pub fn derive_all(design: &Design, catalog: &Catalog) -> Result<Vec<Variant>, VariantError> {
    Strategy::ALL.into_iter().map(|s| derive(design, catalog, s)).collect()
}
