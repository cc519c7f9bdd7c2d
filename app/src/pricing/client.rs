//! The `GetProducts` calls: every page of one query, through the AWS SDK (its credential chain,
//! signing and retries), with failures turned into messages that name the query.

use aws_sdk_pricing::Client;
use aws_sdk_pricing::error::DisplayErrorContext;
use aws_sdk_pricing::types::{Filter, FilterType};

use super::RefreshError;
use super::plan::Query;
use super::translate::{Product, parse_product};

/// Pages one query may take before the refresh gives up (100 products a page).
pub const MAX_PAGES: usize = 200;

/// Every product of `query`, following `NextToken` until the last page; with the page count.
pub async fn products(client: &Client, query: &Query) -> Result<(Vec<Product>, usize), RefreshError> {
    let mut filters = Vec::with_capacity(query.filters.len());
    for (field, value) in &query.filters {
        let f = Filter::builder().r#type(FilterType::TermMatch).field(field).value(value).build().map_err(
            |e| RefreshError::Api { query: query.describe(), throttled: false, detail: e.to_string() },
        )?;
        filters.push(f);
    }
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for page in 1..=MAX_PAGES {
        let resp = client
            .get_products()
            .service_code(&query.service_code)
            .set_filters(Some(filters.clone()))
            .format_version("aws_v1")
            .max_results(100)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| RefreshError::Api {
                query: query.describe(),
                throttled: e.as_service_error().is_some_and(
                    aws_sdk_pricing::operation::get_products::GetProductsError::is_throttling_exception,
                ),
                detail: DisplayErrorContext(&e).to_string(),
            })?;
        for (i, text) in resp.price_list().iter().enumerate() {
            let product = parse_product(text).map_err(|detail| RefreshError::Malformed {
                query: query.describe(),
                page,
                entry: i + 1,
                detail,
            })?;
            out.push(product);
        }
        match resp.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => return Ok((out, page)),
        }
    }
    Err(RefreshError::TooManyPages { query: query.describe(), pages: MAX_PAGES })
}
