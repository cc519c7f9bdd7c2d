//! `meridian pricing refresh` against a mock Price List Query API on 127.0.0.1: pagination, an
//! unknown product, throttling (retried, and persistent), malformed responses; every failure
//! leaves the existing snapshot untouched. Without the `live-pricing` feature, only the message
//! saying how to build with it is tested.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)] // Tests fail loudly on purpose.

#[cfg(feature = "live-pricing")]
mod mock_pricing;

use std::process::{Command, Output};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the binary with AWS settings isolated from the machine: static test credentials from the
/// environment (the standard chain's first provider), no profile files, no instance metadata.
fn meridian(args: &[&str], endpoint: Option<&str>, dir: &std::path::Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meridian"));
    cmd.args(args).current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDMOCKTEST0000")
        .env("AWS_SECRET_ACCESS_KEY", "mock-secret-never-written")
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "2");
    if let Some(url) = endpoint {
        cmd.env("AWS_ENDPOINT_URL", url);
    }
    cmd.output().unwrap()
}

#[cfg(not(feature = "live-pricing"))]
#[test]
fn without_the_feature_refresh_says_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = meridian(&["pricing", "refresh", "--out", "x.ron"], None, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("lacks the `live-pricing` feature") && err.contains("--features live-pricing"),
        "{err}"
    );
    let help = text(&meridian(&["pricing", "refresh", "--help"], None, dir.path()).stdout);
    assert!(help.contains("Example:") && help.contains("Exit codes:"), "{help}");
}

#[cfg(feature = "live-pricing")]
mod live {
    use std::time::Duration;

    use aws_sdk_pricing::Client;
    use aws_sdk_pricing::config::retry::RetryConfig;
    use aws_sdk_pricing::config::{BehaviorVersion, Credentials, Region};
    use meridian::pricing::{self, RefreshError, RefreshRequest};
    use meridian_model::cost::snapshot::{Basis, SnapshotFile};
    use meridian_model::cost::{Date, PriceService, PriceSnapshot};
    use serde_json::{Value, json};

    /// A snapshot service by its key.
    fn key(service: &str) -> PriceService {
        service.parse().unwrap()
    }

    use super::mock_pricing::{MockPricing, Reply, filter, page, product, throttled};
    use super::{meridian, text};

    fn client(url: &str, attempts: u32) -> Client {
        let conf = aws_sdk_pricing::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDMOCKTEST0000", "mock-secret", None, None, "test"))
            .endpoint_url(url)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(attempts)
                    .with_initial_backoff(Duration::from_millis(5)),
            )
            .build();
        Client::from_conf(conf)
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
    }

    fn base() -> SnapshotFile {
        PriceSnapshot::builtin().unwrap().file().clone()
    }

    fn today() -> Date {
        Date::parse("2026-12-01").unwrap()
    }

    fn request(regions: &[&str], services: &[&str]) -> RefreshRequest {
        RefreshRequest {
            regions: regions.iter().map(|s| (*s).to_owned()).collect(),
            services: services.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn ec2(sku: &str, region: &str, ty: &str, usagetype: &str, usd: &str) -> Value {
        let attrs = json!({
            "regionCode": region, "location": "EU (Ireland)", "locationType": "AWS Region",
            "instanceType": ty, "usagetype": usagetype, "operatingSystem": "Linux",
            "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used",
            "licenseModel": "No License required", "servicecode": "AmazonEC2", "operation": "RunInstances",
            "servicename": "Amazon Elastic Compute Cloud"
        });
        product(sku, "AmazonEC2", "Compute Instance", "Hrs", &attrs, &[("0", usd)])
    }

    fn alb(region: &str) -> Vec<Value> {
        let a = |u: &str, op: &str| {
            json!({
                "regionCode": region, "location": "EU (Ireland)", "locationType": "AWS Region",
                "usagetype": u, "operation": op, "servicecode": "AWSELB", "servicename": "Elastic Load Balancing"
            })
        };
        let family = "Load Balancer-Application";
        vec![
            product(
                "ALBH",
                "AWSELB",
                family,
                "Hrs",
                &a("EU-LoadBalancerUsage", "LoadBalancing:Application"),
                &[("0", "0.0252000000")],
            ),
            product(
                "ALBL",
                "AWSELB",
                family,
                "LCU-Hrs",
                &a("EU-LCUUsage", "LoadBalancing:Application"),
                &[("0", "0.0080000000")],
            ),
        ]
    }

    /// DynamoDB in us-east-2 as the Price List has it: on-demand units told apart by `group`
    /// (Infracost's `dynamodb_table.go` filters), standard storage with a free first tier beside
    /// Standard-IA storage, whose usage type ends the same way. The mock answers only when the
    /// request carries the filters the specs document, as the real API would return nothing.
    fn dynamodb_pages(body: &Value, _: usize) -> Reply {
        let attrs = |usagetype: &str, group: &str, op: &str| {
            json!({
                "regionCode": "us-east-2", "location": "US East (Ohio)", "locationType": "AWS Region",
                "usagetype": usagetype, "group": group, "operation": op, "servicecode": "AmazonDynamoDB",
                "servicename": "Amazon DynamoDB"
            })
        };
        let ppr = "Amazon DynamoDB PayPerRequest Throughput";
        if filter(body, "regionCode") != Some("us-east-2") {
            return page(&[], None);
        }
        match (filter(body, "productFamily"), filter(body, "group")) {
            (Some(f), Some("DDB-WriteUnits")) if f == ppr => page(
                &[product(
                    "WRU2",
                    "AmazonDynamoDB",
                    ppr,
                    "WriteRequestUnits",
                    &attrs("USE2-WriteRequestUnits", "DDB-WriteUnits", "PayPerRequestThroughput"),
                    &[("0", "0.0000006250")],
                )],
                None,
            ),
            (Some(f), Some("DDB-ReadUnits")) if f == ppr => page(
                &[product(
                    "RRU2",
                    "AmazonDynamoDB",
                    ppr,
                    "ReadRequestUnits",
                    &attrs("USE2-ReadRequestUnits", "DDB-ReadUnits", "PayPerRequestThroughput"),
                    &[("0", "0.0000001250")],
                )],
                None,
            ),
            (Some("Database Storage"), None) => page(
                &[
                    product(
                        "STD2",
                        "AmazonDynamoDB",
                        "Database Storage",
                        "GB-Mo",
                        &attrs("USE2-TimedStorage-ByteHrs", "", ""),
                        &[("0", "0.0000000000"), ("25", "0.2500000000")],
                    ),
                    product(
                        "IA2",
                        "AmazonDynamoDB",
                        "Database Storage",
                        "GB-Mo",
                        &attrs("USE2-IA-TimedStorage-ByteHrs", "", ""),
                        &[("0", "0.1000000000")],
                    ),
                ],
                None,
            ),
            _ => page(&[], None),
        }
    }

    /// Inter-region transfer out of Sao Paulo: one product per destination, told apart by
    /// `toRegionCode` (the price list's `To Region Code` column).
    fn transfer_pages(body: &Value, _: usize) -> Reply {
        let wanted = filter(body, "fromRegionCode") == Some("sa-east-1")
            && filter(body, "transferType") == Some("InterRegion Outbound")
            && filter(body, "productFamily") == Some("Data Transfer");
        if !wanted {
            return page(&[], None);
        }
        let to = |sku: &str, code: &str, prefix: &str, name: &str| {
            let attrs = json!({
                "transferType": "InterRegion Outbound", "fromLocation": "South America (Sao Paulo)",
                "fromLocationType": "AWS Region", "fromRegionCode": "sa-east-1", "toLocation": name,
                "toLocationType": "AWS Region", "toRegionCode": code,
                "usagetype": format!("SAE1-{prefix}-AWS-Out-Bytes"), "operation": "",
                "servicecode": "AWSDataTransfer", "servicename": "AWS Data Transfer"
            });
            product(sku, "AWSDataTransfer", "Data Transfer", "GB", &attrs, &[("0", "0.1380000000")])
        };
        page(
            &[
                to("DT1", "us-east-1", "USE1", "US East (N. Virginia)"),
                to("DT2", "eu-west-1", "EU", "EU (Ireland)"),
                to("DT3", "ap-northeast-1", "APN1", "Asia Pacific (Tokyo)"),
            ],
            None,
        )
    }

    /// EC2 in eu-west-1 over three pages for m5.large (the price on the last), one page each else.
    fn ec2_pages(body: &Value, _: usize) -> Reply {
        let ty = filter(body, "instanceType").unwrap_or("");
        match (ty, body["NextToken"].as_str()) {
            ("m5.large", None) => page(
                &[ec2("HOST1", "eu-west-1", ty, "EU-HostBoxUsage:m5.large", "0.1170000000")],
                Some("tok-2"),
            ),
            ("m5.large", Some("tok-2")) => page(&[], Some("tok-3")),
            ("m5.large", Some("tok-3")) => {
                page(&[ec2("BOX1", "eu-west-1", ty, "EU-BoxUsage:m5.large", "0.1080000000")], None)
            }
            ("m7g.large", None) => {
                page(&[ec2("BOX2", "eu-west-1", ty, "EU-BoxUsage:m7g.large", "0.0920000000")], None)
            }
            ("t3.medium", None) => {
                page(&[ec2("BOX3", "eu-west-1", ty, "EU-BoxUsage:t3.medium", "0.0460000000")], None)
            }
            _ => (400, json!({"__type": "InvalidNextTokenException", "message": "bad token"}).to_string()),
        }
    }

    #[test]
    fn every_page_is_read_and_prices_are_written_dated_and_cited() {
        let mock = MockPricing::start(ec2_pages);
        let r = block_on(pricing::refresh(
            &client(&mock.url, 3),
            &base(),
            &request(&["eu-west-1"], &["ec2-asg"]),
            today(),
        ))
        .unwrap();
        let reqs = mock.requests();
        assert_eq!(reqs.len(), 5, "{reqs:#?}");
        assert_eq!(r.pages, 5);
        assert_eq!(reqs[1]["NextToken"], "tok-2");
        assert_eq!(reqs[2]["NextToken"], "tok-3");
        for q in &reqs {
            assert_eq!(q["_target"], "awspricelistservice.getproducts");
            assert_eq!(
                (q["ServiceCode"].as_str(), q["FormatVersion"].as_str()),
                (Some("AmazonEC2"), Some("aws_v1"))
            );
            assert_eq!(filter(q, "regionCode"), Some("eu-west-1"));
            assert_eq!(filter(q, "operatingSystem"), Some("Linux"));
            assert!(q["Filters"].as_array().unwrap().iter().all(|f| f["Type"] == "TERM_MATCH"));
        }
        assert_eq!(r.found.len(), 3);
        assert!(r.not_found.is_empty() && r.ambiguous.is_empty());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prices.ron");
        pricing::write_snapshot(&path, &r.file, "// test\n").unwrap();
        let snap = PriceSnapshot::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
        // Dated by its newest source: today, or the base's when that is later.
        let newest = base().sources.iter().filter_map(|s| Date::parse(&s.as_of)).max().unwrap();
        assert_eq!(snap.as_of(), newest.max(today()));
        let q = snap.quote(key("ec2-asg"), "instance-hours:m5.large", "eu-west-1").unwrap();
        let e = snap.entry(q.entry);
        assert!((e.usd - 0.108).abs() < 1e-12, "{}", e.usd);
        assert_eq!((e.basis, e.source.as_str()), (Basis::Read, "aws-price-list-api-2026-12-01"));
        assert!(e.note.as_deref().unwrap().contains("sku BOX1"), "{:?}", e.note);
        assert_eq!(snap.source_date("aws-price-list-api-2026-12-01"), Some(today()));
        // Prices the refresh did not touch are the base's.
        let us =
            snap.entry(snap.quote(key("ec2-asg"), "instance-hours:m5.large", "us-east-1").unwrap().entry);
        assert_eq!((us.usd, us.basis), (0.096, Basis::Republished));
        assert_eq!(snap.file().prices.len(), base().prices.len());
    }

    #[test]
    fn dynamodb_units_and_storage_are_told_apart_by_the_documented_filters() {
        let mock = MockPricing::start(dynamodb_pages);
        let r = block_on(pricing::refresh(
            &client(&mock.url, 3),
            &base(),
            &request(&["us-east-2"], &["dynamodb"]),
            today(),
        ))
        .unwrap();
        assert!(r.not_found.is_empty() && r.ambiguous.is_empty(), "{:?} {:?}", r.not_found, r.ambiguous);
        let snap = PriceSnapshot::from_file(r.file).unwrap();
        let usd = |dim: &str| snap.quote(key("dynamodb"), dim, "us-east-2").unwrap().usd;
        assert!((usd("write-request-units") - 0.625).abs() < 1e-9);
        assert!((usd("read-request-units") - 0.125).abs() < 1e-9);
        assert!((usd("storage") - 0.25).abs() < 1e-12, "Standard-IA storage must not be taken");
        for q in mock.requests() {
            assert_eq!(q["ServiceCode"], "AmazonDynamoDB");
        }
    }

    #[test]
    fn transfer_prices_come_per_destination_from_the_source_region() {
        let mock = MockPricing::start(transfer_pages);
        let r = block_on(pricing::refresh(
            &client(&mock.url, 3),
            &base(),
            &request(&["sa-east-1"], &["data-transfer"]),
            today(),
        ))
        .unwrap();
        assert!(r.not_found.is_empty(), "{:?}", r.not_found);
        let snap = PriceSnapshot::from_file(r.file).unwrap();
        for to in ["us-east-1", "eu-west-1", "ap-northeast-1"] {
            let q = snap.quote_to(key("data-transfer"), "inter-region-out", "sa-east-1", to).unwrap();
            assert!((q.usd - 0.138).abs() < 1e-12, "{to}: {}", q.usd);
            assert_eq!(snap.entry(q.entry).basis, Basis::Read);
        }
        let reqs = mock.requests();
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0]["ServiceCode"], "AWSDataTransfer");
        assert_eq!(filter(&reqs[0], "regionCode"), None, "transfer is filtered by fromRegionCode");
    }

    #[test]
    fn an_unknown_product_is_reported_and_its_entry_kept() {
        let mock = MockPricing::start(|body, _| match filter(body, "regionCode") {
            Some("eu-west-1") => page(&alb("eu-west-1"), None),
            _ => page(&[], None),
        });
        let r = block_on(pricing::refresh(
            &client(&mock.url, 3),
            &base(),
            &request(&["eu-west-1", "xx-nowhere-9"], &["alb"]),
            today(),
        ))
        .unwrap();
        assert_eq!(r.found.len(), 2);
        assert_eq!(r.not_found.len(), 2);
        assert!(
            r.not_found.iter().all(|q| q.contains("alb") && q.contains("xx-nowhere-9")),
            "{:?}",
            r.not_found
        );
        let snap = PriceSnapshot::from_file(r.file).unwrap();
        assert_eq!(snap.quote(key("alb"), "hours", "eu-west-1").unwrap().usd, 0.0252);
        assert_eq!(snap.quote(key("alb"), "lcu-hours", "eu-west-1").unwrap().usd, 0.008);
        assert!(snap.quote(key("alb"), "hours", "xx-nowhere-9").is_none());

        // Nothing found at all is an error, not an empty refresh.
        let empty = MockPricing::start(|_, _| page(&[], None));
        let e = block_on(pricing::refresh(
            &client(&empty.url, 3),
            &base(),
            &request(&["eu-west-1"], &["alb"]),
            today(),
        ))
        .unwrap_err();
        assert!(matches!(e, RefreshError::NothingFound(2)), "{e}");
    }

    #[test]
    fn throttling_is_retried_then_succeeds_or_fails_clearly() {
        let mock = MockPricing::start(|_, i| if i < 2 { throttled() } else { page(&alb("eu-west-1"), None) });
        let r = block_on(pricing::refresh(
            &client(&mock.url, 3),
            &base(),
            &request(&["eu-west-1"], &["alb"]),
            today(),
        ))
        .unwrap();
        assert_eq!(r.found.len(), 2);
        assert_eq!(mock.requests().len(), 4, "two throttled, then one call per dimension");

        let always = MockPricing::start(|_, _| throttled());
        let e = block_on(pricing::refresh(
            &client(&always.url, 3),
            &base(),
            &request(&["eu-west-1"], &["alb"]),
            today(),
        ))
        .unwrap_err();
        assert!(matches!(e, RefreshError::Api { throttled: true, .. }), "{e:?}");
        let msg = e.to_string();
        assert!(
            msg.contains("alb hours in eu-west-1")
                && msg.contains("throttling")
                && msg.contains("Rate exceeded"),
            "{msg}"
        );
        assert_eq!(always.requests().len(), 3, "the SDK's attempts are used up");
    }

    #[test]
    fn malformed_responses_name_the_query_page_and_entry() {
        let mock = MockPricing::start(|_, _| {
            let good = alb("eu-west-1")[0].to_string();
            (200, json!({ "FormatVersion": "aws_v1", "PriceList": [good, "{\"product\": 5}"] }).to_string())
        });
        let e = block_on(pricing::refresh(
            &client(&mock.url, 3),
            &base(),
            &request(&["eu-west-1"], &["alb"]),
            today(),
        ))
        .unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, RefreshError::Malformed { page: 1, entry: 2, .. }), "{msg}");
        assert!(msg.contains("alb hours in eu-west-1") && msg.contains("not a Price List product"), "{msg}");

        let garbage = MockPricing::start(|_, _| (200, "<html>gateway error</html>".to_owned()));
        let e = block_on(pricing::refresh(
            &client(&garbage.url, 3),
            &base(),
            &request(&["eu-west-1"], &["alb"]),
            today(),
        ))
        .unwrap_err();
        assert!(matches!(e, RefreshError::Api { throttled: false, .. }), "{e:?}");
        assert!(e.to_string().contains("GetProducts failed"), "{e}");
    }

    /// A copy of the embedded snapshot to refresh in place.
    fn base_file(dir: &std::path::Path) -> (std::path::PathBuf, String) {
        let path = dir.join("prices.ron");
        let original = include_str!("../../assets/pricing/snapshot.ron").to_owned();
        std::fs::write(&path, &original).unwrap();
        (path, original)
    }

    #[test]
    fn the_cli_refreshes_in_place_with_the_credential_chain_and_writes_no_secret() {
        let mock = MockPricing::start(|body, _| match filter(body, "regionCode") {
            Some("eu-west-1") => page(&alb("eu-west-1"), None),
            _ => page(&[], None),
        });
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = base_file(dir.path());
        let p = path.to_str().unwrap();
        let args =
            ["pricing", "refresh", "--services", "alb", "--regions", "eu-west-1,xx-nowhere-9", "--prices", p];
        let out = meridian(&args, Some(&mock.url), dir.path());
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{stdout}\n{}", text(&out.stderr));
        assert!(
            stdout.contains("2 prices from the API") && stdout.contains("not found (entry kept): alb"),
            "{stdout}"
        );
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(!written.contains("mock-secret") && !written.contains("AKIDMOCKTEST"));
        let snap = PriceSnapshot::parse(&written, &path).unwrap();
        assert_eq!(snap.quote(key("alb"), "hours", "eu-west-1").unwrap().usd, 0.0252);
        assert!(written.starts_with("// Meridian price snapshot, refreshed by `meridian pricing refresh`"));
        // The refreshed file prices a design.
        let cost = Command::new(env!("CARGO_BIN_EXE_meridian"))
            .args(["cost", "--prices", p, "examples/active-active-2region.ron"])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
            .unwrap();
        assert_eq!(cost.status.code(), Some(0), "{}", text(&cost.stderr));
        assert!(text(&cost.stdout).contains("Price snapshot: "));
        let mut hit = false;
        for r in mock.requests() {
            hit |= r["ServiceCode"] == "AWSELB";
        }
        assert!(hit);
    }

    use std::process::Command;

    #[test]
    fn cli_failures_leave_the_snapshot_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (path, original) = base_file(dir.path());
        let p = path.to_str().unwrap();
        let args = ["pricing", "refresh", "--services", "alb", "--regions", "eu-west-1", "--prices", p];

        let always = MockPricing::start(|_, _| throttled());
        let out = meridian(&args, Some(&always.url), dir.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("nothing written") && err.contains("ThrottlingException"), "{err}");
        assert_eq!(always.requests().len(), 2, "AWS_MAX_ATTEMPTS=2 is honoured");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);

        let malformed = MockPricing::start(|_, _| {
            (200, json!({ "FormatVersion": "aws_v1", "PriceList": ["{not json"] }).to_string())
        });
        let out = meridian(&args, Some(&malformed.url), dir.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("page 1, PriceList entry 1 is malformed"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);

        let out = meridian(&["pricing", "refresh", "--services", "alb"], Some(&malformed.url), dir.path());
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("--out PATH"), "{}", text(&out.stderr));
        let out = meridian(&["pricing", "refresh", "--services", "route53", "--out", p], None, dir.path());
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("`route53`"), "{}", text(&out.stderr));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    }
}
