//! How figures are shown, in one place: durations, money, availability, and the chart palette.
//!
//! Every text a person reads (the command line's tables, the report, the charts, the designer's
//! panels) formats its figures with these types, so the same figure reads the same everywhere:
//!
//! - [`Seconds`]: below 1 s whole milliseconds (`250 ms`); below 10 s seconds with one decimal
//!   (`1.4 s`); below 2 minutes whole seconds (`85 s`); below 2 hours minutes with one decimal
//!   (`44.5 min`); below 3 days hours with one decimal (`8.3 h`); from 3 days whole days
//!   (`365 days`). Recovery times (RTO, RPO) use [`Seconds::fine`], which keeps tenths of seconds
//!   below 2 minutes (`85.3 s`), seconds below an hour (`10 min 05 s`) and minutes below 3 days (`2 h 05 min`).
//! - [`Usd`]: below $100 in cents (`$4.12`); from $100 in whole dollars with thousands separators
//!   (`$3,440`); a negative amount with a leading minus (`-$12.50`), never `-$0.00`.
//! - [`Percent`]: a fraction as a percentage with four decimals (`99.9993%`), enough to tell
//!   99.99% from 99.999% (availability and its confidence interval).
//! - [`palette`]: the colours of chart series, the frontier, service categories and link kinds,
//!   as RGB constants; plotters charts and the report draw with them and the designer's light
//!   theme maps from them.
//!
//! Machine-readable outputs (JSON, CSV, the report's `<data value>` attributes) keep exact values.

mod duration;
mod money;
pub mod palette;
mod percent;

pub use duration::{Seconds, UNBOUNDED};
pub use money::Usd;
pub use palette::Rgb;
pub use percent::Percent;
