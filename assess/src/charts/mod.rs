//! Charts that other outputs embed (SVG text) or write (SVG, PNG), drawn with plotters and the
//! embedded Ubuntu font so no system font library is needed.

pub mod frontier;
pub mod simulation;

pub use frontier::{ChartError, FrontierPoint, frontier_svg, pareto_front, write_frontier};
