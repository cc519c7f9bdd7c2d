//! The recovery tables of a compiled design: who starts each failover and promotion, how long
//! alarms and operators take, which services scale and how, and which stand by cold (with the
//! backups they are restored from). [`crate::compile`] fills them; the runtime state lives in
//! [`crate::operator`], [`crate::scaling`] and [`crate::restore`]; this module only holds them.

use meridian_model::design::Initiation;

use crate::rng::Sampler;

/// Alarm and operator timing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct COperator {
    /// From a change until the alarm fires (evaluation periods x period), microseconds.
    pub alarm_us: u64,
    /// From the alarm to the operator's action.
    pub response: Sampler,
    /// A Route 53 record change reaching every name server.
    pub dns_change: Sampler,
    /// Deploying a cold service with infrastructure as code.
    pub deploy: Sampler,
}

/// Who switches a routing link, and what an operator's failover away from it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct CRouteRecovery {
    /// Who starts the failover.
    pub initiation: Initiation,
    /// Delay of the operator's switch before clients follow: a DNS record change, or none.
    pub propagation: Option<Sampler>,
    /// The router's other operator-managed links, which the operator points traffic to.
    pub alternatives: Vec<usize>,
    /// Cold or scaled-to-zero services behind those alternatives, which the operator starts.
    pub wakes: Vec<usize>,
}

/// Who promotes a single-writer group's replica, and how long the promotion takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CGroupRecovery {
    /// Who starts the promotion (automation or an operator, after the alarm).
    pub initiation: Initiation,
    /// Time of the promotion itself.
    pub promotion: Sampler,
}

/// A compute service that scales with target tracking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CScaler {
    /// The service.
    pub service: usize,
    /// Units it never goes below (its `count`).
    pub min: u32,
    /// Units it never goes above.
    pub max: u32,
    /// Requests per second one unit serves.
    pub per_unit_rps: f64,
    /// The service's compiled capacity, requests per second (what a factor of 1 means).
    pub compiled_rps: f64,
    /// Most units one action adds or removes.
    pub max_step: u32,
    /// Load above capacity this long starts a scale-out, microseconds.
    pub out_after_us: u64,
    /// Load well below capacity this long starts a scale-in, microseconds.
    pub in_after_us: u64,
    /// Time after a scale-out before the next, microseconds.
    pub out_cooldown_us: u64,
    /// Time after a scale-in before the next, microseconds.
    pub in_cooldown_us: u64,
    /// From a scaling decision until the new units serve.
    pub launch: Sampler,
}

/// Where a cold datastore's data comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CRestore {
    /// The store whose backups are restored.
    pub source: usize,
    /// Time between backups, microseconds.
    pub every_us: u64,
    /// The backup link's restore time, when it states one.
    pub override_us: Option<u64>,
    /// Time every restore takes at least, microseconds.
    pub minimum_us: u64,
    /// The part of the restore that does not depend on the size.
    pub time: Sampler,
    /// Data to restore, GB.
    pub gb: f64,
    /// Restore throughput, GB per hour (`None`: the time does not grow with the size).
    pub gb_per_hour: Option<f64>,
    /// Whether an operator configures the restored store before it serves.
    pub manual_setup: bool,
}

/// A service that stands by cold.
#[derive(Debug, Clone, PartialEq)]
pub struct CCold {
    /// The service.
    pub service: usize,
    /// Cold services it requires, which must be ready before it is deployed.
    pub after: Vec<usize>,
    /// The restore of its data, for a datastore with a backup in its region.
    pub restore: Option<CRestore>,
}

/// A function whose concurrency ramps (AWS Lambda): it needs `demand x duration` environments,
/// between `floor_units` and `max_units`, and adds them from a bucket of `burst_units` refilled at
/// `units_per_s` a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CRamp {
    /// The service.
    pub service: usize,
    /// Environments it may use at most (reserved concurrency, else the unreserved pool); its
    /// compiled capacity is this over the duration.
    pub max_units: f64,
    /// Environments it always keeps (provisioned concurrency).
    pub floor_units: f64,
    /// Seconds one request holds an environment.
    pub duration_s: f64,
    /// Environments it may add at once after not scaling for a while (the bucket's size).
    pub burst_units: f64,
    /// Environments it may add per second once the bucket is empty (its refill rate).
    pub units_per_s: f64,
}

/// Every recovery table of a compiled design.
#[derive(Debug, Clone, PartialEq)]
pub struct CRecovery {
    /// Alarm and operator timing.
    pub operator: COperator,
    /// Per routing link (same index as [`Compiled::routes`](crate::tables::Compiled::routes)).
    pub routes: Vec<CRouteRecovery>,
    /// Per replication group (same index as [`Compiled::groups`](crate::tables::Compiled::groups)).
    pub groups: Vec<CGroupRecovery>,
    /// Scaling services.
    pub scalers: Vec<CScaler>,
    /// Per service, its scaler.
    pub scaler_of: Vec<Option<usize>>,
    /// Cold services.
    pub cold: Vec<CCold>,
    /// Per service, its cold entry.
    pub cold_of: Vec<Option<usize>>,
    /// Functions whose concurrency ramps.
    pub ramps: Vec<CRamp>,
}

/// Events of the recovery machinery (carried by [`crate::world::Event::Recovery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryEvent {
    /// The alarm on an operator-managed link's endpoint fires, if `generation` is current.
    Alarm {
        /// Routing link.
        route: u32,
        /// Generation of the endpoint change.
        generation: u32,
        /// The endpoint's health the alarm reports.
        ok: bool,
    },
    /// The operator acts on the alarm.
    Decide {
        /// Routing link.
        route: u32,
        /// Generation of the endpoint change.
        generation: u32,
        /// The endpoint's health.
        ok: bool,
    },
    /// The operator's switch of a link takes effect for clients.
    Switch {
        /// Routing link.
        route: u32,
        /// Generation of the switch.
        generation: u32,
        /// Whether traffic may go to the endpoint.
        ok: bool,
    },
    /// A cold service's deployment or restore finishes.
    Ready {
        /// Index into [`CRecovery::cold`].
        cold: u32,
        /// Generation of the wake-up.
        generation: u32,
    },
    /// A scaler's alarm is due.
    ScaleCheck {
        /// Index into [`CRecovery::scalers`].
        scaler: u32,
        /// Generation of the check.
        generation: u32,
    },
    /// Units a scaler launched start serving.
    Launched {
        /// Index into [`CRecovery::scalers`].
        scaler: u32,
        /// Units.
        units: u32,
    },
    /// A function's concurrency ramp reaches its next step (or starts, or ends).
    RampStep {
        /// Index into [`CRecovery::ramps`].
        ramp: u32,
        /// Generation of the ramp's plan.
        generation: u32,
    },
}

impl CRecovery {
    /// No recovery machinery: for designs compiled before it is added.
    pub fn none() -> Self {
        let zero = Sampler::Fixed(0.0);
        CRecovery {
            operator: COperator { alarm_us: 0, response: zero, dns_change: zero, deploy: zero },
            routes: Vec::new(),
            groups: Vec::new(),
            scalers: Vec::new(),
            scaler_of: Vec::new(),
            cold: Vec::new(),
            cold_of: Vec::new(),
            ramps: Vec::new(),
        }
    }

    /// Whether any routing link is switched by an operator.
    pub fn any_operator_route(&self) -> bool {
        self.routes.iter().any(|r| r.initiation.by_operator())
    }

    /// Whether a service is dormant at the start: cold, or scaling from zero units.
    pub fn dormant_at_start(&self, s: usize) -> bool {
        self.cold_of[s].is_some() || self.scaler_of[s].is_some_and(|k| self.scalers[k].min == 0)
    }
}
