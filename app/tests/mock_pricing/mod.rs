//! A mock AWS Price List Query API on 127.0.0.1 for the live-pricing tests: a std TcpListener on a
//! free port, one thread, one request per connection. It records every request body and answers
//! from a handler, so tests script pages, empty results, throttling and malformed responses.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

/// A response: HTTP status and JSON body text.
pub type Reply = (u16, String);

/// A running mock endpoint.
pub struct MockPricing {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<Mutex<Vec<Value>>>,
}

impl MockPricing {
    /// Starts a server answering each `GetProducts` body with `handler(body, index of the call)`.
    pub fn start(handler: impl Fn(&Value, usize) -> Reply + Send + 'static) -> MockPricing {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut length, mut target) = (0usize, String::new());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if let Some(v) = lower.strip_prefix("x-amz-target:") {
                        v.trim().clone_into(&mut target);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    continue;
                }
                let mut value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                value["_target"] = json!(target);
                let index = {
                    let mut log = log.lock().unwrap();
                    log.push(value.clone());
                    log.len() - 1
                };
                let (status, text) = handler(&value, index);
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\
                     x-amzn-RequestId: mock-{index}\r\nConnection: close\r\n\r\n",
                    if status == 200 { "OK" } else { "Bad Request" },
                    text.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(text.as_bytes());
                let _ = stream.flush();
            }
        });
        MockPricing { url, requests }
    }

    /// The request bodies received so far (with `_target` holding the X-Amz-Target header).
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }
}

/// The value of filter `field` in a GetProducts request body.
pub fn filter<'a>(body: &'a Value, field: &str) -> Option<&'a str> {
    body["Filters"].as_array()?.iter().find(|f| f["Field"] == field).and_then(|f| f["Value"].as_str())
}

/// A GetProducts page: PriceList entries are JSON documents inside strings, as the API sends them.
pub fn page(products: &[Value], next_token: Option<&str>) -> Reply {
    let list: Vec<String> = products.iter().map(Value::to_string).collect();
    let mut body = json!({ "FormatVersion": "aws_v1", "PriceList": list });
    if let Some(t) = next_token {
        body["NextToken"] = json!(t);
    }
    (200, body.to_string())
}

/// A ThrottlingException, as the API sends it.
pub fn throttled() -> Reply {
    (400, json!({ "__type": "ThrottlingException", "message": "Rate exceeded" }).to_string())
}

/// A realistic Price List product with one on-demand term; `tiers` are (beginRange, USD). As in
/// the real `PriceList` entries, `productFamily` sits on the product, next to (not inside) its
/// attributes, and the on-demand term sits beside a reserved one that must be ignored.
pub fn product(
    sku: &str,
    service: &str,
    family: &str,
    unit: &str,
    attributes: &Value,
    tiers: &[(&str, &str)],
) -> Value {
    let mut dims = serde_json::Map::new();
    for (i, (begin, usd)) in tiers.iter().enumerate() {
        let end = tiers.get(i + 1).map_or("Inf", |t| t.0);
        let code = format!("{sku}.JRTCKXETXF.6YS6EN2CT{i}");
        dims.insert(
            code.clone(),
            json!({
                "unit": unit, "endRange": end, "beginRange": begin, "appliesTo": [], "rateCode": code,
                "description": format!("${usd} per {unit}"), "pricePerUnit": { "USD": usd }
            }),
        );
    }
    json!({
        "product": { "productFamily": family, "attributes": attributes, "sku": sku },
        "serviceCode": service,
        "terms": {
            "OnDemand": { format!("{sku}.JRTCKXETXF"): {
                "priceDimensions": dims, "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z",
                "offerTermCode": "JRTCKXETXF", "termAttributes": {}
            }},
            "Reserved": { format!("{sku}.4NA7Y494T4"): {
                "priceDimensions": { format!("{sku}.4NA7Y494T4.6YS6EN2CTY"): {
                    "unit": "Hrs", "beginRange": "0", "endRange": "Inf", "appliesTo": [], "rateCode": "r",
                    "description": "reserved", "pricePerUnit": { "USD": "0.0010000000" }
                }},
                "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z", "offerTermCode": "4NA7Y494T4",
                "termAttributes": { "LeaseContractLength": "1yr", "PurchaseOption": "No Upfront" }
            }}
        },
        "version": "20261101000000",
        "publicationDate": "2026-11-01T00:00:00Z"
    })
}
