//! The official AWS Architecture Icons of the catalog's kinds: one table from [`ServiceKind`] to
//! the vendored SVG in `assets/icons/` (see its `README.md` for the source, licence and AWS's
//! terms), embedded in the binary.
//!
//! The design picture ([`crate::report::design_svg`]) places them as `<symbol>`s, and the
//! designer rasterises them once per size ([`crate::picture::rasterise`]). A kind whose icon
//! fails to parse falls back to the letter badge wherever it is drawn.

use meridian_model::ServiceKind;

/// One vendored icon: its file in `assets/icons/` and its SVG text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Icon {
    /// The file name in `assets/icons/`, as the AWS icon set names it.
    pub file: &'static str,
    /// The whole SVG document.
    pub svg: &'static str,
    /// Whether the icon is a resource icon (a coloured glyph on a transparent ground) rather than
    /// a service icon (a white glyph on a coloured tile); resource icons are drawn on a light tile.
    pub resource: bool,
}

macro_rules! service {
    ($file:literal) => {
        Icon { file: $file, svg: include_str!(concat!("../../assets/icons/", $file)), resource: false }
    };
}

macro_rules! resource {
    ($file:literal) => {
        Icon { file: $file, svg: include_str!(concat!("../../assets/icons/", $file)), resource: true }
    };
}

/// The icon of a kind. Lambda@Edge has no icon of its own in the AWS set and shows Lambda's; the
/// load balancers and the NAT gateway use their resource icons, which tell them apart.
pub fn icon(kind: ServiceKind) -> Icon {
    match kind {
        ServiceKind::Route53 => service!("AmazonRoute53.svg"),
        ServiceKind::GlobalAccelerator => service!("AWSGlobalAccelerator.svg"),
        ServiceKind::CloudFront => service!("AmazonCloudFront.svg"),
        ServiceKind::Iam => service!("AWSIdentityandAccessManagement.svg"),
        ServiceKind::Alb => resource!("ElasticLoadBalancingApplicationLoadBalancer.svg"),
        ServiceKind::Nlb => resource!("ElasticLoadBalancingNetworkLoadBalancer.svg"),
        ServiceKind::Ec2Asg => service!("AmazonEC2AutoScaling.svg"),
        ServiceKind::EcsFargate => service!("AWSFargate.svg"),
        ServiceKind::Eks => service!("AmazonElasticKubernetesService.svg"),
        ServiceKind::Lambda | ServiceKind::LambdaEdge => service!("AWSLambda.svg"),
        ServiceKind::ApiGateway => service!("AmazonAPIGateway.svg"),
        ServiceKind::StepFunctions => service!("AWSStepFunctions.svg"),
        ServiceKind::DynamoDb => service!("AmazonDynamoDB.svg"),
        ServiceKind::Aurora => service!("AmazonAurora.svg"),
        ServiceKind::Rds => service!("AmazonRDS.svg"),
        ServiceKind::S3 => service!("AmazonSimpleStorageService.svg"),
        ServiceKind::ElastiCache => service!("AmazonElastiCache.svg"),
        ServiceKind::Sqs => service!("AmazonSimpleQueueService.svg"),
        ServiceKind::Sns => service!("AmazonSimpleNotificationService.svg"),
        ServiceKind::EventBridge => service!("AmazonEventBridge.svg"),
        ServiceKind::TransitGateway => service!("AWSTransitGateway.svg"),
        ServiceKind::DirectConnect => service!("AWSDirectConnect.svg"),
        ServiceKind::SiteToSiteVpn => service!("AWSSitetoSiteVPN.svg"),
        ServiceKind::NatGateway => resource!("AmazonVPCNATGateway.svg"),
        ServiceKind::CloudWatch => service!("AmazonCloudWatch.svg"),
        ServiceKind::CloudTrail => service!("AWSCloudTrail.svg"),
        ServiceKind::AwsConfig => service!("AWSConfig.svg"),
        ServiceKind::AwsBackup => service!("AWSBackup.svg"),
        ServiceKind::Dms => service!("AWSDatabaseMigrationService.svg"),
        ServiceKind::SageMakerEndpoint => service!("AmazonSageMakerAI.svg"),
    }
}

impl Icon {
    /// The `viewBox` of the icon's root element, e.g. `0 0 64 64`, or `None` when it has none.
    pub fn view_box(&self) -> Option<&'static str> {
        let root = self.root_tag()?;
        let start = root.find("viewBox=\"")? + "viewBox=\"".len();
        let len = root[start..].find('"')?;
        Some(&root[start..start + len])
    }

    /// The icon's drawing: everything inside the root `<svg>` element except its `<title>`, to be
    /// placed in a `<symbol>` of another picture. `None` when the text is not one `<svg>` element.
    pub fn body(&self) -> Option<String> {
        let root = self.root_tag()?;
        let open_end = self.svg.find(root)? + root.len();
        let close = self.svg.rfind("</svg>")?;
        let mut body = self.svg.get(open_end..close)?.to_owned();
        if let (Some(a), Some(b)) = (body.find("<title>"), body.find("</title>"))
            && a < b
        {
            body.replace_range(a..b + "</title>".len(), "");
        }
        Some(body)
    }

    /// The root element's opening tag, `<svg ...>`.
    fn root_tag(&self) -> Option<&'static str> {
        let start = self.svg.find("<svg")?;
        let len = self.svg[start..].find('>')? + 1;
        Some(&self.svg[start..start + len])
    }

    /// The id of the icon's `<symbol>` in a picture: derived from the file name, so two kinds that
    /// share an icon share its symbol.
    pub fn symbol_id(&self) -> String {
        format!("icon-{}", self.file.trim_end_matches(".svg"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_an_icon_with_a_view_box_and_a_body() {
        for kind in ServiceKind::ALL {
            let i = icon(kind);
            assert!(i.view_box().is_some(), "{}: no viewBox", i.file);
            let body = i.body().unwrap_or_default();
            assert!(body.contains("<path"), "{}: no drawing", i.file);
            assert!(!body.contains("<title>"), "{}: title kept", i.file);
            assert!(!body.contains("<svg"), "{}: nested root", i.file);
        }
    }

    #[test]
    fn icons_are_distinct_except_lambda_at_edge() {
        let mut files: Vec<&str> = ServiceKind::ALL.iter().map(|&k| icon(k).file).collect();
        files.sort_unstable();
        let n = files.len();
        files.dedup();
        assert_eq!(files.len(), n - 1, "only Lambda@Edge shares an icon (with Lambda)");
        assert_eq!(icon(ServiceKind::LambdaEdge), icon(ServiceKind::Lambda));
    }

    #[test]
    fn every_vendored_file_is_used() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/icons");
        let used: std::collections::BTreeSet<&str> = ServiceKind::ALL.iter().map(|&k| icon(k).file).collect();
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if std::path::Path::new(&name).extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
                assert!(used.contains(name.as_str()), "{name} is vendored but no kind uses it");
            }
        }
    }
}
