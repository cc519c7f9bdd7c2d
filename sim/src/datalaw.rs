//! Where a population's requests and data may go: the pluggable data-law predicate.
//!
//! The compliance rules (their own issue) will implement [`DataLawPredicate`]. Until then
//! [`DefaultDataLaw`] applies: a population whose data classes include `personal:EU` may be
//! served and have its writes land only in regions of the `EU` jurisdiction, `personal:US` only
//! in `US` regions, and so on for any `personal:XX`; populations without such a class go anywhere.

use meridian_model::design::Population;

/// Decides, per population, the jurisdictions its requests and writes may reach.
pub trait DataLawPredicate: Sync {
    /// Allowed jurisdiction codes, or `None` when the population is unrestricted.
    fn allowed_jurisdictions(&self, population: &Population) -> Option<Vec<String>>;
}

/// The default until compliance policies plug in: `personal:XX` keeps data in jurisdiction `XX`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DefaultDataLaw;

impl DataLawPredicate for DefaultDataLaw {
    fn allowed_jurisdictions(&self, population: &Population) -> Option<Vec<String>> {
        let mut allowed: Vec<String> = population
            .data_classes
            .iter()
            .filter_map(|c| c.strip_prefix("personal:"))
            .map(str::to_owned)
            .collect();
        allowed.sort();
        allowed.dedup();
        (!allowed.is_empty()).then_some(allowed)
    }
}
