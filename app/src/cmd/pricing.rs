//! `meridian pricing refresh`: a new price snapshot from the AWS Price List Query API.
//!
//! The subcommand exists in every build so users find it; without the `live-pricing` feature it
//! says how to build with it and exits 2. The work itself is in [`crate::pricing`].

use crate::cli::{PricingArgs, PricingCommand, RefreshArgs};
use crate::exit::BadInput;

/// Runs `meridian pricing`.
pub fn run(args: &PricingArgs) -> anyhow::Result<u8> {
    match &args.what {
        PricingCommand::Refresh(a) => refresh(a),
    }
}

#[cfg(not(feature = "live-pricing"))]
fn refresh(_args: &RefreshArgs) -> anyhow::Result<u8> {
    Err(BadInput(
        "meridian pricing refresh: this build of meridian lacks the `live-pricing` feature, which adds the \
         AWS SDK; build it with `cargo build --release -p meridian --features live-pricing` (or \
         `cargo install --path app --features live-pricing`)"
            .to_owned(),
    )
    .into())
}

#[cfg(feature = "live-pricing")]
fn refresh(args: &RefreshArgs) -> anyhow::Result<u8> {
    use anyhow::Context as _;
    use meridian_model::cost::Date;

    use crate::pricing::{self, RefreshError, RefreshRequest};

    let Some(out) = args.out.clone().or_else(|| args.prices.clone()) else {
        return Err(BadInput(
            "meridian pricing refresh: say where to write the new snapshot with --out PATH (or refresh a \
             snapshot file in place with --prices PATH); the embedded snapshot is never overwritten implicitly"
                .to_owned(),
        )
        .into());
    };
    let own;
    let base = match &args.prices {
        Some(path) => {
            own = super::cost::prices_file(path)?;
            &own
        }
        None => super::cost::builtin_prices()?,
    };
    let request = RefreshRequest { regions: args.regions.clone(), services: args.services.clone() };
    // Check the arguments before building a client, so typos fail fast and offline.
    let regions = if request.regions.is_empty() {
        base.file().ratios.iter().map(|r| r.region.clone()).collect()
    } else {
        request.regions.clone()
    };
    let queries = pricing::plan::plan(base.file(), &regions, &request.services).map_err(BadInput)?;
    crate::errln!("querying the AWS Price List for {} prices in {} regions", queries.len(), regions.len());
    let today = Date::today();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let api_region = aws_config::Region::new(args.api_region.clone());
    let result = runtime.block_on(async {
        let config =
            aws_config::defaults(aws_config::BehaviorVersion::latest()).region(api_region).load().await;
        let client = aws_sdk_pricing::Client::new(&config);
        pricing::refresh(&client, base.file(), &request, today).await
    });
    let refreshed = match result {
        Ok(r) => r,
        Err(RefreshError::Plan(m)) => return Err(BadInput(m).into()),
        Err(e) => {
            return Err(anyhow::Error::new(e).context("nothing written; the existing snapshot is unchanged"));
        }
    };
    let header = format!(
        "// Meridian price snapshot, refreshed by `meridian pricing refresh` on {today} from the AWS Price List\n\
         // Query API (sources `{}`), starting from {}. Format and bases: see assets/pricing/snapshot.ron.\n",
        pricing::merge::source_id(today),
        args.prices.as_ref().map_or_else(|| "the embedded snapshot".to_owned(), |p| p.display().to_string()),
    );
    pricing::write_snapshot(&out, &refreshed.file, &header)?;
    crate::outln!(
        "wrote {}: {} prices from the API ({} pages read), {} not found, {} ambiguous",
        out.display(),
        refreshed.found.len(),
        refreshed.pages,
        refreshed.not_found.len(),
        refreshed.ambiguous.len()
    );
    for q in &refreshed.not_found {
        crate::outln!("not found (entry kept): {q}");
    }
    for q in &refreshed.ambiguous {
        crate::outln!("ambiguous (entry kept): {q}");
    }
    Ok(if refreshed.not_found.is_empty() && refreshed.ambiguous.is_empty() {
        crate::exit::SUCCESS
    } else {
        crate::exit::FINDINGS
    })
}
