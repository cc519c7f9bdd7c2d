//! Service icons drawn by the app: a rounded tile in the category's colour with a short mark.

use egui::{Align2, CornerRadius, FontId, Painter, Rect};
use meridian_model::catalog::ServiceKind;

use super::theme::Palette;

/// A two- or three-letter mark for a kind, e.g. `DDB` for DynamoDB.
pub fn mark(kind_id: &str, short: &str) -> String {
    let known = match kind_id {
        "route53" => "R53",
        "global-accelerator" => "GA",
        "cloudfront" => "CF",
        "lambda-edge" => "L@E",
        "iam" => "IAM",
        "alb" => "ALB",
        "nlb" => "NLB",
        "ec2-asg" => "EC2",
        "ecs-fargate" => "ECS",
        "eks" => "EKS",
        "lambda" => "FN",
        "api-gateway" => "API",
        "step-functions" => "SFN",
        "dynamodb" => "DDB",
        "aurora" => "AUR",
        "rds" => "RDS",
        "s3" => "S3",
        "elasticache" => "EC$",
        "sqs" => "SQS",
        "sns" => "SNS",
        "eventbridge" => "EVB",
        "transit-gateway" => "TGW",
        "direct-connect" => "DX",
        "site-to-site-vpn" => "VPN",
        "nat-gateway" => "NAT",
        "cloudwatch" => "CW",
        "cloudtrail" => "CT",
        "aws-config" => "CFG",
        "aws-backup" => "BAK",
        "dms" => "DMS",
        "sagemaker-endpoint" => "SM",
        _ => "",
    };
    if known.is_empty() {
        short.chars().filter(|c| c.is_alphanumeric()).take(3).collect()
    } else {
        known.to_owned()
    }
}

/// Draws the icon of `kind` filling `rect`.
pub fn paint(painter: &Painter, rect: Rect, kind: &ServiceKind, palette: &Palette) {
    let fill = palette.category(kind.category);
    painter.rect_filled(rect, CornerRadius::same((rect.height() * 0.22) as u8), fill);
    let text = mark(&kind.id, &kind.short);
    let size = rect.height() * if text.chars().count() > 2 { 0.36 } else { 0.46 };
    painter.text(rect.center(), Align2::CENTER_CENTER, text, FontId::proportional(size), palette.on_accent);
}
