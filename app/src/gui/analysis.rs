//! Figures derived from the design, recomputed once per design (identity and revision, so New and
//! Open recompute even though every new editor starts at revision 0): the problems list, the
//! monthly bill and the data-law report. Panels and the canvas read them; nothing writes them.

use std::collections::BTreeSet;

use meridian_model::compliance::{Policy, Report, check_static};
use meridian_model::cost::{self, Bill, CostOptions, Forecast, PriceSnapshot};
use meridian_model::validate::{Problem, validate};
use meridian_model::{Catalog, Design, DesignStamp, EntityRef};

/// Months the Cost tab projects the bill over.
pub const FORECAST_MONTHS: u32 = 12;

/// Derived figures of one design revision.
pub struct Analysis {
    stamp: Option<DesignStamp>,
    /// The model's warnings.
    pub problems: Vec<Problem>,
    /// The bill, or why there is none.
    pub bill: Result<Bill, String>,
    /// The bill over the next [`FORECAST_MONTHS`] months as the workload grows.
    pub forecast: Option<Forecast>,
    /// Cost options (commitment).
    pub cost_options: CostOptions,
    /// Policy packs checked (all shipped packs unless the user narrows them).
    pub policies: Vec<Policy>,
    /// Names of the packs switched on.
    pub enabled_packs: BTreeSet<String>,
    /// The data-law report.
    pub report: Report,
    /// Why the policies could not be loaded, if they could not.
    pub policy_error: Option<String>,
    flagged: BTreeSet<EntityRef>,
}

impl Default for Analysis {
    fn default() -> Self {
        let (policies, policy_error) = match Policy::packs() {
            Ok(p) => (p, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let enabled_packs = policies.iter().map(|p| p.name.clone()).collect();
        Analysis {
            stamp: None,
            problems: Vec::new(),
            bill: Err("not computed yet".into()),
            forecast: None,
            cost_options: CostOptions::default(),
            policies,
            enabled_packs,
            report: Report::default(),
            policy_error,
            flagged: BTreeSet::new(),
        }
    }
}

impl Analysis {
    /// Recomputes everything if the design changed since the last call.
    pub fn refresh(&mut self, design: &Design, catalog: &Catalog, stamp: DesignStamp) {
        if self.stamp == Some(stamp) {
            return;
        }
        self.stamp = Some(stamp);
        self.problems = validate(design, catalog);
        (self.bill, self.forecast) = match PriceSnapshot::builtin() {
            Ok(prices) => (
                Ok(cost::bill_with(design, Some(catalog), prices, &self.cost_options)),
                Some(cost::forecast(design, Some(catalog), prices, &self.cost_options, FORECAST_MONTHS)),
            ),
            Err(e) => (Err(format!("the embedded price snapshot is broken: {e}")), None),
        };
        self.report = check_static(design, catalog, &self.enabled_policies());
        self.flagged = self.compute_flagged();
    }

    /// The policy packs switched on, in pack order.
    pub fn enabled_policies(&self) -> Vec<Policy> {
        self.policies.iter().filter(|p| self.enabled_packs.contains(&p.name)).cloned().collect()
    }

    /// Forces a recomputation on the next refresh (after options changed).
    pub fn invalidate(&mut self) {
        self.stamp = None;
    }

    /// The design (identity and revision) the figures were computed for.
    pub fn stamp(&self) -> Option<DesignStamp> {
        self.stamp
    }

    /// Entities to draw in the warning colour: model warnings, and for data-law violations the
    /// offending entity, its region and the link where the data crosses out.
    pub fn flagged(&self) -> &BTreeSet<EntityRef> {
        &self.flagged
    }

    fn compute_flagged(&self) -> BTreeSet<EntityRef> {
        let mut out: BTreeSet<EntityRef> = self.problems.iter().map(|p| p.entity.clone()).collect();
        for f in self.report.failures() {
            out.insert(f.entity.clone());
            if let Some(l) = &f.crossing {
                out.insert(EntityRef::Link(l.clone()));
            }
            if let Some(r) = &f.region {
                out.insert(EntityRef::Region(r.clone()));
            }
        }
        out
    }

    /// Monthly cost of one service, if priced.
    pub fn service_cost(&self, id: &meridian_model::ServiceId) -> Option<f64> {
        self.bill.as_ref().ok().and_then(|b| b.by_entity.get(id).copied())
    }
}
