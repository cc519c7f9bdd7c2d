//! `meridian pricing`: price snapshot actions. The live refresh needs the `live-pricing` feature.

use crate::cli::{Pricing, PricingArgs};

/// Runs `meridian pricing`.
pub fn run(args: &PricingArgs) -> anyhow::Result<u8> {
    match &args.what {
        Pricing::Refresh(refresh) => refresh_run(refresh),
    }
}

#[cfg(feature = "live-pricing")]
fn refresh_run(args: &crate::cli::RefreshArgs) -> anyhow::Result<u8> {
    crate::live_pricing::run(args)
}

#[cfg(not(feature = "live-pricing"))]
fn refresh_run(_args: &crate::cli::RefreshArgs) -> anyhow::Result<u8> {
    Err(crate::exit::BadInput(
        "error: this build of meridian has no live price refresh; rebuild with `cargo build --release --features live-pricing`"
            .into(),
    )
    .into())
}
