//! Meridian's assessment of designs, and what is drawn or written from it.
//!
//! [`assessment`] runs one design under one scenario (simulation, bill, incident, data law);
//! [`targets`] evaluates a design's resilience targets and error budgets; [`compare`] sets
//! assessments side by side; [`charts`] draws simulation results and the
//! cost-downtime frontier with plotters; [`report`] renders one self-contained HTML page;
//! [`canvas_layout`] places a design's entities in plain `emath` geometry (shared by the designer
//! and the report), [`canvas_annotations`] the notes and group boxes drawn on it; [`network`] words round trips and their basis; [`outdir`] writes generated
//! files into a folder; [`icons`] maps kinds to the AWS Architecture Icons and [`picture`]
//! rasterises SVG (the design picture as PNG, the icons); [`units`] shows durations,
//! money and percentages one way everywhere and holds the chart palette. Shared by the command
//! line, the designer and batch runs. This crate knows nothing of egui, clap or terminals.

pub mod assessment;
pub mod calibrate;
pub mod canvas_annotations;
pub mod canvas_layout;
pub mod canvas_routes;
pub mod charts;
pub mod compare;
pub mod diff;
pub mod experiments;
pub mod icons;
pub mod network;
pub mod outdir;
pub mod picture;
pub mod report;
pub mod targets;
pub mod units;

pub use assessment::{AssessError, AssessOptions, Assessment, FORECAST_MONTHS, Want, assess, assess_file};
