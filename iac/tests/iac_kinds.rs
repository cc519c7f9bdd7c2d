//! Every kind is exported in both formats as `meridian_iac::kinds` says: for a design of one
//! service of each kind, the CloudFormation export declares the kind's primary CloudFormation
//! type and the Terraform export the kind's primary Terraform type, owned by that service; a
//! kind a format has no type for (Direct Connect in CloudFormation) is named in a warning with
//! the reason. The import reads resources back as kinds through the same table, so a writer
//! writing another type would break the round trip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

use meridian_iac::{ExportOptions, Format, export, kinds};
use meridian_model::catalog::Scope;
use meridian_model::{Catalog, ServiceKind, format};

fn design(kind: ServiceKind) -> meridian_model::Design {
    let catalog = Catalog::builtin().unwrap();
    let placement =
        if catalog.kind(kind).scope == Scope::Global { "Global" } else { "Region(\"us-east-1\")" };
    // A distribution is written with its origins: give CloudFront a bucket to serve.
    let (origin, link) = if kind == ServiceKind::CloudFront {
        (
            r#"Service(id: "origin", name: "Origin", kind: "s3", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),"#,
            r#"Link(id: "svc-origin", from: "svc", to: "origin", kind: Routing(policy: Failover(role: Primary),
                health_check: HealthCheck(interval: "10s", failure_threshold: 3))),"#,
        )
    } else {
        ("", "")
    };
    let text = format!(
        r#"Design(version: 1, name: "one {kind}", description: "",
            regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
            services: [Service(id: "svc", name: "The service", kind: "{kind}", placement: {placement},
                config: ServiceConfig(count: 1)), {origin}],
            links: [{link}], populations: [])"#
    );
    format::load_str(&text, std::path::Path::new("one-kind.ron"), catalog).unwrap().design
}

#[test]
fn every_kind_writes_its_primary_resource_in_both_formats() {
    let catalog = Catalog::builtin().unwrap();
    for row in &kinds::KIND_RESOURCES {
        let d = design(row.kind);
        let cfn = export(&d, catalog, Format::CloudFormation, &ExportOptions::default()).unwrap();
        if let Some(ty) = row.cloudformation {
            // The primary type, or a further one the table reads as the kind (an HTTP API,
            // the default API flavour, is `AWS::ApiGatewayV2::Api`).
            let types: Vec<&str> =
                std::iter::once(ty).chain(row.cloudformation_also.iter().copied()).collect();
            let written = cfn.files.iter().any(|f| {
                types.iter().any(|t| f.contents.contains(&format!("Type: {t}\n")))
                    && f.contents.contains("Svc")
            });
            assert!(written, "{}: the CloudFormation export writes no {ty}", row.kind);
            assert!(
                !cfn.warnings.iter().any(|w| w.starts_with("service svc (kind")),
                "{}: {:?}",
                row.kind,
                cfn.warnings
            );
        } else {
            assert!(
                cfn.warnings
                    .iter()
                    .any(|w| w.starts_with("service svc (kind") && w.contains("CloudFormation has no")),
                "{}: no warning gives the reason CloudFormation cannot declare it: {:?}",
                row.kind,
                cfn.warnings
            );
            let deploy = &cfn.files.iter().find(|f| f.path == "DEPLOY.md").unwrap().contents;
            assert!(deploy.contains("CloudFormation has no"), "{}: DEPLOY.md does not say why", row.kind);
        }
        let tf = export(&d, catalog, Format::Terraform, &ExportOptions::default()).unwrap();
        let ty = row.terraform.unwrap_or_else(|| panic!("{}: no Terraform type", row.kind));
        let types: Vec<&str> = std::iter::once(ty).chain(row.terraform_also.iter().copied()).collect();
        let written = tf
            .files
            .iter()
            .any(|f| types.iter().any(|t| f.contents.contains(&format!("resource \"{t}\" \"svc"))));
        assert!(written, "{}: the Terraform export writes no {ty}", row.kind);
    }
}

/// A Lambda@Edge function must be created in us-east-1; with Global Accelerator the global
/// resources deploy from us-west-2, so the function is left out of both formats, with the reason.
#[test]
fn lambda_edge_outside_us_east_1_is_left_out_with_the_reason() {
    let catalog = Catalog::builtin().unwrap();
    let text = r#"Design(version: 1, name: "edge and accelerator", description: "",
        regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
        services: [
            Service(id: "edge-fn", name: "Edge", kind: "lambda-edge", placement: Global, config: ServiceConfig(count: 1)),
            Service(id: "ga", name: "Accelerator", kind: "global-accelerator", placement: Global, config: ServiceConfig(count: 1)),
        ],
        links: [], populations: [])"#;
    let d = format::load_str(text, std::path::Path::new("edge.ron"), catalog).unwrap().design;
    for f in [Format::CloudFormation, Format::Terraform] {
        let bundle = export(&d, catalog, f, &ExportOptions::default()).unwrap();
        assert!(
            bundle
                .warnings
                .iter()
                .any(|w| w.starts_with("service edge-fn (kind lambda-edge) is not exported")
                    && w.contains("us-east-1")),
            "{:?}",
            bundle.warnings
        );
        assert!(
            bundle.files.iter().all(|x| !x.contents.contains("EdgeFn") && !x.contents.contains("edge_fn"))
        );
    }
}
