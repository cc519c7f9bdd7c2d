//! Charts that other outputs embed (SVG text) or write (SVG, PNG), drawn with plotters and the
//! embedded Ubuntu font so no system font library is needed.

mod error;
pub mod frontier;
mod output;
pub mod simulation;

pub use error::ChartError;
pub use frontier::{FrontierPoint, frontier_svg, pareto_front, write_frontier};
