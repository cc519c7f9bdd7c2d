//! The latency model: round trips between regions, inside a region and from users to the
//! region that serves them, computed from the catalog's cited figures (`assets/catalog/latency.ron`
//! and `edges.ron`).
//!
//! - Between regions ([`region_rtt`]): the measured p50 of the catalog's table (the mean of both
//!   directions), else the fallback ([`estimate_rtt`]): the fibre bound times the factor fitted to
//!   the measured pairs of similar distance, marked [`Basis::Estimated`] wherever it is shown.
//! - Inside a region ([`intra_region_rtt`]): the region's measured figure, else the cited general one.
//! - The user's path ([`user_path`]): the access (last-mile) round trip of the population's access
//!   type, then the public internet (fibre bound times the internet route factor) to the region;
//!   or, when the user enters at CloudFront or Global Accelerator, the internet only to the nearest
//!   edge location and the AWS backbone from there ([`backbone_rtt`]).
//! - Caches ([`hit_ratio`]): CloudFront and ElastiCache answer a share of reads themselves.
//!
//! The simulator's compile step, `meridian info`, the designer and the report call these
//! functions, so every output agrees. The model and its sources: `docs/latency.md`.

mod cache;
mod edge;
mod fallback;
mod paths;
mod region;
mod user;

pub use cache::hit_ratio;
pub use edge::{EdgeHop, backbone_rtt, nearest_edge};
pub use fallback::{MeasuredRtt, fit_bands, leave_one_out, measured_pairs};
pub use paths::{PairRtt, design_round_trips, enters_at_edge, estimated_round_trips, population_paths};
pub use region::{Basis, Rtt, band_factor, estimate_rtt, fibre_bound_ms, intra_region_rtt, region_rtt};
pub use user::{EdgeReach, UserPath, access_rtt_ms, user_path, user_to_edge};
