//! The timeline of one run: which components are down and who serves each population, when.
//!
//! A [`Trace`] is a list of frames, one per state change; [`Trace::state_at`] answers "what did
//! the system look like at time t", which is what a timeline scrubber shows.

use serde::{Deserialize, Serialize};

use crate::queue::SimTime;
use crate::serve::PopState;
use crate::tables::{Compiled, ComponentKind};

/// The most frames a trace keeps: a trace over a longer horizon stops at its last frame and says
/// so in [`Trace::horizon_us`], so the memory of a run does not grow with simulated time.
pub const MAX_TRACE_FRAMES: usize = 100_000;

/// About the most memory a trace's frames take (64 MB): designs with many populations keep fewer
/// frames than [`MAX_TRACE_FRAMES`].
pub const MAX_TRACE_BYTES: usize = 64 * 1024 * 1024;

/// The frames a trace of `c` keeps: [`MAX_TRACE_FRAMES`], fewer when a frame is large (at least
/// 1,000).
pub fn frame_budget(c: &Compiled) -> usize {
    // A frame: its own fields, per population a share, a flag and a list of about two regions,
    // and a few components down.
    let per_frame = std::mem::size_of::<TraceFrame>()
        + c.populations.len() * (std::mem::size_of::<f64>() + 1 + std::mem::size_of::<Vec<usize>>() + 16)
        + 8 * std::mem::size_of::<usize>();
    (MAX_TRACE_BYTES / per_frame).clamp(1000, MAX_TRACE_FRAMES)
}

/// A run's trace frames and the time they cover until.
pub type Traced = (Vec<TraceFrame>, SimTime);

/// The state from one moment until the next frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceFrame {
    /// Start of the frame, microseconds from the start of the run.
    pub t_us: SimTime,
    /// Indices into [`Trace::components`] of the components down.
    pub down: Vec<usize>,
    /// Per population (in [`Trace::populations`] order): fraction served.
    pub served: Vec<f64>,
    /// Per population: regions serving it (indices into [`Trace::regions`]), largest share first.
    pub serving_regions: Vec<Vec<usize>>,
    /// Per population: whether it is in an incident (not fully served or served elsewhere than normally).
    pub incident: Vec<bool>,
}

impl TraceFrame {
    /// Captures the current state.
    pub fn capture(c: &Compiled, t_us: SimTime, down: &[bool], pops: &[PopState], incident: &[bool]) -> Self {
        let serving_regions = pops
            .iter()
            .map(|ps| {
                let mut shares: Vec<(f64, usize)> = Vec::new();
                for f in &ps.flows {
                    if let Some(r) = f.region
                        && f.share * f.ok > 0.0
                    {
                        match shares.iter_mut().find(|s| s.1 == r) {
                            Some(s) => s.0 += f.share * f.ok,
                            None => shares.push((f.share * f.ok, r)),
                        }
                    }
                }
                shares.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                shares.into_iter().map(|s| s.1).collect()
            })
            .collect();
        let _ = c;
        TraceFrame {
            t_us,
            down: down.iter().enumerate().filter(|(_, d)| **d).map(|(i, _)| i).collect(),
            served: pops.iter().map(|p| p.served).collect(),
            serving_regions,
            incident: incident.to_vec(),
        }
    }
}

/// What kind of thing a traced component is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TracedKind {
    /// A region, by region code.
    Region(String),
    /// An availability zone, by AZ id.
    Az(String),
    /// The network between two regions.
    Partition(String, String),
    /// A service as a whole, by service id.
    Service(String),
    /// One instance of a service: (service id, 1-based number).
    Instance(String, usize),
    /// The common-cause failure of a deployment group, by group name.
    Deployment(String),
    /// The control plane of a region, by region code.
    ControlPlane(String),
}

/// The timeline of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// Run index.
    pub run: u64,
    /// The end of the traced time, microseconds: the horizon, or earlier when the trace reached
    /// [`MAX_TRACE_FRAMES`].
    pub horizon_us: SimTime,
    /// Every component that can fail, in index order.
    pub components: Vec<TracedKind>,
    /// Region codes, in index order.
    pub regions: Vec<String>,
    /// Population ids, in index order.
    pub populations: Vec<String>,
    /// Frames in time order; the first is at time zero.
    pub frames: Vec<TraceFrame>,
}

/// The state at one moment, by domain ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateAt {
    /// The moment, microseconds.
    pub t_us: SimTime,
    /// Components down.
    pub down: Vec<TracedKind>,
    /// Per population id: (fraction served, serving region codes, in incident).
    pub populations: Vec<(String, f64, Vec<String>, bool)>,
}

impl Trace {
    /// Builds the component and name tables of a trace for `c`.
    pub fn new(c: &Compiled, run: u64, frames: Vec<TraceFrame>) -> Self {
        let components = c
            .components
            .iter()
            .map(|comp| match comp.kind {
                ComponentKind::Region(r) => TracedKind::Region(c.regions[r].id.clone()),
                ComponentKind::Az(a) => TracedKind::Az(c.azs[a].id.clone()),
                ComponentKind::Partition(p) => {
                    let (a, b, _) = c.partitions[p];
                    TracedKind::Partition(c.regions[a].id.clone(), c.regions[b].id.clone())
                }
                ComponentKind::Service(s) => TracedKind::Service(c.services[s].id.clone()),
                ComponentKind::Instance(i) => {
                    let svc = c.instances[i].service;
                    let n = c.services[svc].instances.iter().position(|&x| x == i).map_or(1, |k| k + 1);
                    TracedKind::Instance(c.services[svc].id.clone(), n)
                }
                ComponentKind::CommonCause(g) => TracedKind::Deployment(c.deployment_groups[g].name.clone()),
                ComponentKind::ControlPlane(p) => {
                    TracedKind::ControlPlane(c.control_planes[p].region_code.clone())
                }
            })
            .collect();
        Trace {
            run,
            horizon_us: c.horizon_us,
            components,
            regions: c.regions.iter().map(|r| r.id.clone()).collect(),
            populations: c.populations.iter().map(|p| p.id.clone()).collect(),
            frames,
        }
    }

    /// The frame in force at `t_us` (the last frame starting at or before it).
    pub fn frame_at(&self, t_us: SimTime) -> Option<&TraceFrame> {
        let i = self.frames.partition_point(|f| f.t_us <= t_us);
        i.checked_sub(1).and_then(|i| self.frames.get(i))
    }

    /// The state at `t_us`, named by domain ids.
    pub fn state_at(&self, t_us: SimTime) -> Option<StateAt> {
        let f = self.frame_at(t_us)?;
        Some(StateAt {
            t_us,
            down: f.down.iter().filter_map(|&i| self.components.get(i).cloned()).collect(),
            populations: self
                .populations
                .iter()
                .enumerate()
                .map(|(p, id)| {
                    let regions = f
                        .serving_regions
                        .get(p)
                        .map(|rs| rs.iter().filter_map(|&r| self.regions.get(r).cloned()).collect())
                        .unwrap_or_default();
                    (
                        id.clone(),
                        f.served.get(p).copied().unwrap_or(0.0),
                        regions,
                        f.incident.get(p).copied().unwrap_or(false),
                    )
                })
                .collect(),
        })
    }

    /// Times at which something changed: frame starts where the down set or the serving changed.
    pub fn change_times(&self) -> Vec<SimTime> {
        let mut out = Vec::new();
        let mut prev: Option<&TraceFrame> = None;
        for f in &self.frames {
            if prev.is_none_or(|p| {
                p.down != f.down || p.serving_regions != f.serving_regions || p.served != f.served
            }) {
                out.push(f.t_us);
            }
            prev = Some(f);
        }
        out
    }
}
