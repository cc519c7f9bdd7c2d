//! Service icons on cards and in the palette: the official AWS Architecture Icon of the kind
//! ([`meridian_assess::icons`]), rasterised once per size bucket and kept as an egui texture, with a
//! letter badge (a rounded tile in the category's colour with a short mark) as the fallback when
//! an icon does not rasterise.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use egui::{Align2, ColorImage, CornerRadius, FontId, Painter, Rect, TextureHandle, TextureOptions, pos2};
use meridian_model::ServiceKind;
use meridian_model::catalog::KindSpec;

use super::theme::Palette;

/// Texture sizes an icon is rasterised at, in physical pixels: an icon is drawn from the smallest
/// bucket at least as large as it is on screen, so zooming rasterises each kind a few times at most.
const BUCKETS: [u32; 9] = [16, 24, 32, 48, 64, 96, 128, 192, 256];

/// The icons rasterised so far, per kind and size bucket (`None`: the icon did not rasterise, so the
/// badge is drawn). Shared through egui's memory, so every painter of a context uses one cache.
#[derive(Clone, Default)]
pub struct Textures(Arc<Mutex<TextureMap>>);

/// Each (kind, size bucket)'s texture, or `None` when the icon did not rasterise.
type TextureMap = HashMap<(ServiceKind, u32), Option<TextureHandle>>;

impl Textures {
    /// The cache of `ctx` (created on first use).
    pub fn of(ctx: &egui::Context) -> Self {
        ctx.data_mut(|d| {
            d.get_temp_mut_or_default::<Textures>(egui::Id::unique("meridian-icon-textures")).clone()
        })
    }

    /// How many textures have been made (for tests: icons are rasterised once per size).
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |m| m.len())
    }

    /// Whether no texture has been made yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The texture of `kind` for a square of `side` physical pixels, rasterised on first use.
    fn get(&self, ctx: &egui::Context, kind: ServiceKind, side: f32) -> Option<TextureHandle> {
        let px = BUCKETS.iter().copied().find(|&b| b as f32 >= side).unwrap_or(BUCKETS[BUCKETS.len() - 1]);
        let mut map = self.0.lock().ok()?;
        map.entry((kind, px))
            .or_insert_with(|| {
                let icon = meridian_assess::icons::icon(kind);
                let img = meridian_assess::picture::rasterise(icon.svg, px, px, None).ok()?;
                let pixels = [img.width as usize, img.height as usize];
                let image = ColorImage::from_rgba_unmultiplied(pixels, &img.pixels);
                Some(ctx.load_texture(format!("icon-{}-{px}", icon.file), image, TextureOptions::LINEAR))
            })
            .clone()
    }
}

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

/// Draws the AWS icon of `kind` filling `rect` (resource icons on a light tile), or its letter
/// badge when the icon is unavailable.
pub fn paint(painter: &Painter, textures: &Textures, rect: Rect, kind: &KindSpec, palette: &Palette) {
    let side = rect.height() * painter.ctx().pixels_per_point();
    let Some(texture) = textures.get(painter.ctx(), kind.id, side) else {
        badge(painter, rect, kind, palette);
        return;
    };
    if meridian_assess::icons::icon(kind.id).resource {
        painter.rect_filled(rect, CornerRadius::same((rect.height() * 0.12) as u8), palette.icon_tile);
    }
    let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
    painter.image(texture.id(), rect, uv, palette.image_tint);
}

/// Draws the letter badge of `kind` filling `rect`: a tile in the category's colour with its mark.
pub fn badge(painter: &Painter, rect: Rect, kind: &KindSpec, palette: &Palette) {
    let fill = palette.category(kind.category);
    painter.rect_filled(rect, CornerRadius::same((rect.height() * 0.22) as u8), fill);
    let text = mark(kind.id);
    let size = rect.height() * if text.chars().count() > 2 { 0.36 } else { 0.46 };
    painter.text(rect.center(), Align2::CENTER_CENTER, text, FontId::proportional(size), palette.on_accent);
}
