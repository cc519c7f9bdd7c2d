//! Service icons drawn by the app: a rounded tile in the category's colour with a short mark.

use egui::{Align2, CornerRadius, FontId, Painter, Rect};
use meridian_model::ServiceKind;
use meridian_model::catalog::KindSpec;

use super::theme::Palette;

/// A two- or three-letter mark for a kind, e.g. `DDB` for DynamoDB.
pub fn mark(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Route53 => "R53",
        ServiceKind::GlobalAccelerator => "GA",
        ServiceKind::CloudFront => "CF",
        ServiceKind::LambdaEdge => "L@E",
        ServiceKind::Iam => "IAM",
        ServiceKind::Alb => "ALB",
        ServiceKind::Nlb => "NLB",
        ServiceKind::Ec2Asg => "EC2",
        ServiceKind::EcsFargate => "ECS",
        ServiceKind::Eks => "EKS",
        ServiceKind::Lambda => "FN",
        ServiceKind::ApiGateway => "API",
        ServiceKind::StepFunctions => "SFN",
        ServiceKind::DynamoDb => "DDB",
        ServiceKind::Aurora => "AUR",
        ServiceKind::Rds => "RDS",
        ServiceKind::S3 => "S3",
        ServiceKind::ElastiCache => "EC$",
        ServiceKind::Sqs => "SQS",
        ServiceKind::Sns => "SNS",
        ServiceKind::EventBridge => "EVB",
        ServiceKind::TransitGateway => "TGW",
        ServiceKind::DirectConnect => "DX",
        ServiceKind::SiteToSiteVpn => "VPN",
        ServiceKind::NatGateway => "NAT",
        ServiceKind::CloudWatch => "CW",
        ServiceKind::CloudTrail => "CT",
        ServiceKind::AwsConfig => "CFG",
        ServiceKind::AwsBackup => "BAK",
        ServiceKind::Dms => "DMS",
        ServiceKind::SageMakerEndpoint => "SM",
    }
}

/// Draws the icon of `kind` filling `rect`.
pub fn paint(painter: &Painter, rect: Rect, kind: &KindSpec, palette: &Palette) {
    let fill = palette.category(kind.category);
    painter.rect_filled(rect, CornerRadius::same((rect.height() * 0.22) as u8), fill);
    let text = mark(kind.id);
    let size = rect.height() * if text.chars().count() > 2 { 0.36 } else { 0.46 };
    painter.text(rect.center(), Align2::CENTER_CENTER, text, FontId::proportional(size), palette.on_accent);
}
