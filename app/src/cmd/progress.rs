//! The progress bar of long simulations: drawn on stderr only when it is a terminal and the work
//! has taken longer than a second, so quick runs and pipes stay quiet.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A hidden bar of `total` runs that [`Bar::show_if_slow`] reveals.
pub struct Bar {
    /// The bar.
    pub indicator: ProgressBar,
    started: Instant,
    interactive: bool,
}

impl Bar {
    /// A bar of `total` runs labelled `what` (e.g. `simulating`).
    pub fn new(total: u64, what: &str) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} runs, {{msg}} ({{elapsed}}, eta {{eta}})"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bar { indicator: bar, started: Instant::now(), interactive: std::io::stderr().is_terminal() }
    }

    /// Starts drawing once the work has run for a second on an interactive terminal.
    pub fn show_if_slow(&self) {
        if self.interactive && self.indicator.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
            self.indicator.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}
