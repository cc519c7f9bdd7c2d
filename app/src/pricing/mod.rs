//! Live price refresh (cargo feature `live-pricing`): a new price snapshot from the AWS Price List
//! Query API.
//!
//! [`plan`] turns the base snapshot, the regions and the kinds into `GetProducts` queries;
//! [`client`] runs each one through the AWS SDK and reads every page; [`translate`] picks the
//! on-demand USD price out of the `PriceList` JSON; [`merge`] puts the prices into a copy of the
//! base, dated and cited; [`write_snapshot`] checks the result and replaces the file atomically.
//! Any failure returns before anything is written, so an existing snapshot is never half-updated.
//! Credentials stay inside the SDK: nothing here reads or writes them.

pub mod client;
pub mod merge;
pub mod plan;
pub mod translate;

use std::path::{Path, PathBuf};

use aws_sdk_pricing::Client;
use meridian_model::cost::snapshot::SnapshotFile;
use meridian_model::cost::{Date, PriceSnapshot};
use meridian_model::format::{self, SaveError};

use plan::Query;
use translate::Selection;

/// Why a refresh failed; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// `--regions` or `--services` is not valid.
    #[error("{0}")]
    Plan(String),
    /// A `GetProducts` call failed after the SDK's retries.
    #[error("{}", api_message(query, *throttled, detail))]
    Api {
        /// The query.
        query: String,
        /// Whether the API kept answering ThrottlingException.
        throttled: bool,
        /// The SDK's error, with its causes.
        detail: String,
    },
    /// A `PriceList` entry is not a Price List product.
    #[error("{query}: page {page}, PriceList entry {entry} is malformed: {detail}")]
    Malformed {
        /// The query.
        query: String,
        /// 1-based page.
        page: usize,
        /// 1-based entry on the page.
        entry: usize,
        /// What is wrong.
        detail: String,
    },
    /// The API kept returning `NextToken`.
    #[error("{query}: still more pages after {pages}; refresh fewer regions or services at a time")]
    TooManyPages {
        /// The query.
        query: String,
        /// Pages read.
        pages: usize,
    },
    /// No query found any price: there is nothing to write.
    #[error("no price found for any of the {0} queries; nothing written")]
    NothingFound(usize),
    /// The refreshed snapshot fails the snapshot checks (a bug).
    #[error("the refreshed snapshot does not check: {0}")]
    Invalid(String),
    /// The file could not be written.
    #[error("{path}: cannot write the price snapshot: {detail}")]
    Write {
        /// The target.
        path: PathBuf,
        /// The I/O error.
        detail: String,
    },
}

fn api_message(query: &str, throttled: bool, detail: &str) -> String {
    if throttled {
        format!(
            "{query}: the Price List API is throttling requests (ThrottlingException) and still was after the \
             SDK's retries; wait a minute and run again, or refresh fewer --regions/--services at a time: {detail}"
        )
    } else {
        format!(
            "{query}: GetProducts failed: {detail} (check the AWS credentials the standard chain finds: \
             AWS_PROFILE, environment variables, SSO, instance role; and network access to the Price List API)"
        )
    }
}

/// What to refresh.
#[derive(Debug, Clone, Default)]
pub struct RefreshRequest {
    /// Region codes; empty for every region the base snapshot has a ratio for.
    pub regions: Vec<String>,
    /// Catalog kinds (or `data-transfer`); empty for every kind [`plan::known_kinds`] lists.
    pub services: Vec<String>,
}

/// The outcome of a refresh that found prices.
#[derive(Debug, Clone)]
pub struct Refreshed {
    /// The new snapshot's contents.
    pub file: SnapshotFile,
    /// Queries whose price was found, described.
    pub found: Vec<String>,
    /// Queries the Price List had no product for; their entries were kept.
    pub not_found: Vec<String>,
    /// Queries that matched products with different prices; their entries were kept.
    pub ambiguous: Vec<String>,
    /// `GetProducts` pages read.
    pub pages: usize,
}

/// Queries the Price List for `request` and merges what it finds into `base`, dated `today`.
pub async fn refresh(
    client: &Client,
    base: &SnapshotFile,
    request: &RefreshRequest,
    today: Date,
) -> Result<Refreshed, RefreshError> {
    let regions: Vec<String> = if request.regions.is_empty() {
        base.ratios.iter().map(|r| r.region.clone()).collect()
    } else {
        request.regions.clone()
    };
    let queries = plan::plan(base, &regions, &request.services).map_err(RefreshError::Plan)?;
    let mut results: Vec<(Query, Vec<translate::Found>)> = Vec::new();
    let (mut not_found, mut ambiguous, mut pages) = (Vec::new(), Vec::new(), 0);
    for q in &queries {
        let (products, n) = client::products(client, q).await?;
        pages += n;
        match translate::select(q, &products) {
            Selection::Found(f) => results.push((q.clone(), f)),
            Selection::NotFound => not_found.push(q.describe()),
            Selection::Ambiguous(notes) => {
                ambiguous.push(format!(
                    "{}: {} products disagree: {}",
                    q.describe(),
                    notes.len(),
                    notes.join(" / ")
                ));
            }
        }
    }
    if results.is_empty() {
        return Err(RefreshError::NothingFound(queries.len()));
    }
    let found = results.iter().map(|(q, _)| q.describe()).collect();
    let file = merge::merge(base, &results, today);
    PriceSnapshot::from_file(file.clone()).map_err(RefreshError::Invalid)?;
    Ok(Refreshed { file, found, not_found, ambiguous, pages })
}

/// Writes `file` to `path` as RON after `header` (comment lines), atomically: the text is checked
/// by parsing it back, then written with the one safe write of the workspace
/// ([`format::write_atomic`]: a temporary file beside `path`, renamed over it).
pub fn write_snapshot(path: &Path, file: &SnapshotFile, header: &str) -> Result<(), RefreshError> {
    let snapshot = PriceSnapshot::from_file(file.clone()).map_err(RefreshError::Invalid)?;
    let text = snapshot.to_ron(header).map_err(|e| RefreshError::Invalid(e.to_string()))?;
    PriceSnapshot::parse(&text, path).map_err(|e| RefreshError::Invalid(e.to_string()))?;
    format::write_atomic(path, &text, false).map_err(|e| RefreshError::Write {
        path: path.to_path_buf(),
        detail: match e {
            SaveError::Io { source, .. } => source.to_string(),
            other @ SaveError::Serialize { .. } => other.to_string(),
        },
    })
}
