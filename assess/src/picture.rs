//! SVG to pixels, with resvg: the design picture as PNG (`meridian export-picture`, File > Export
//! picture) and the AWS icons the designer draws on its cards ([`crate::icons`]).
//!
//! Text is set in the fonts of `epaint_default_fonts` (the designer's and the charts' own), so a
//! picture rasterises the same on every machine and no system font is read.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use thiserror::Error;

/// Why an SVG could not be turned into pixels.
#[derive(Debug, Error)]
pub enum PictureError {
    /// The SVG text did not parse.
    #[error("the picture's SVG does not parse: {0}")]
    Parse(String),
    /// The requested size is empty or larger than [`MAX_PIXELS`].
    #[error(
        "a picture of {width}x{height} pixels is out of range (at most {MAX_PIXELS} pixels, at least 1x1)"
    )]
    Size {
        /// Width asked for, in pixels.
        width: u32,
        /// Height asked for, in pixels.
        height: u32,
    },
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// The largest picture rasterised, in pixels (about 64 MiB of RGBA).
pub const MAX_PIXELS: u64 = 16_000_000;

/// Pixels of a rasterised picture: `width * height` RGBA quadruples, not premultiplied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rgba {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major RGBA bytes, straight (not premultiplied) alpha.
    pub pixels: Vec<u8>,
}

/// The font database (the embedded UI font as every generic family) and that font's family name,
/// loaded once.
fn fonts() -> &'static (Arc<usvg::fontdb::Database>, String) {
    static FONTS: OnceLock<(Arc<usvg::fontdb::Database>, String)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
        db.load_font_data(epaint_default_fonts::HACK_REGULAR.to_vec());
        let family = db.faces().next().and_then(|f| f.families.first()).map(|(name, _)| name.clone());
        let family = family.unwrap_or_else(|| "Ubuntu".to_owned());
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family.clone());
        db.set_cursive_family(family.clone());
        db.set_fantasy_family(family.clone());
        (Arc::new(db), family)
    })
}

/// Parses SVG text with the embedded fonts.
fn parse(svg: &str) -> Result<usvg::Tree, PictureError> {
    let (db, family) = fonts();
    let options =
        usvg::Options { fontdb: db.clone(), font_family: family.clone(), ..usvg::Options::default() };
    usvg::Tree::from_str(svg, &options).map_err(|e| PictureError::Parse(e.to_string()))
}

/// The picture's own size in pixels (its `width`/`height`, else its `viewBox`), rounded up.
pub fn natural_size(svg: &str) -> Result<(u32, u32), PictureError> {
    let tree = parse(svg)?;
    let s = tree.size();
    Ok((s.width().ceil() as u32, s.height().ceil() as u32))
}

/// Rasterises `svg` into `width` x `height` pixels, scaled to fit and centred, on a transparent
/// ground (or on `background`, RGBA, when given).
pub fn rasterise(
    svg: &str,
    width: u32,
    height: u32,
    background: Option<[u8; 4]>,
) -> Result<Rgba, PictureError> {
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::Size { width, height });
    }
    let tree = parse(svg)?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(PictureError::Size { width, height })?;
    if let Some([r, g, b, a]) = background {
        pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, a));
    }
    let size = tree.size();
    let scale = (width as f32 / size.width()).min(height as f32 / size.height());
    let dx = (width as f32 - size.width() * scale) / 2.0;
    let dy = (height as f32 - size.height() * scale) / 2.0;
    let transform = tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, dx, dy);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let pixels = pixmap.pixels().iter().flat_map(|p| {
        let c = p.demultiply();
        [c.red(), c.green(), c.blue(), c.alpha()]
    });
    Ok(Rgba { width, height, pixels: pixels.collect() })
}

/// Rasterises `svg` at `scale` times its natural size on a white ground and encodes it as PNG.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PictureError> {
    let (w, h) = natural_size(svg)?;
    let width = (w as f32 * scale).round().max(1.0) as u32;
    let height = (h as f32 * scale).round().max(1.0) as u32;
    let img = rasterise(svg, width, height, Some([255, 255, 255, 255]))?;
    encode_png(&img)
}

/// The file formats of a design picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// SVG text, as the report embeds it.
    Svg,
    /// That SVG rasterised on a white ground.
    Png,
}

impl PictureFormat {
    /// The format a file name asks for by its extension (`.svg` or `.png`, any case).
    pub fn of_path(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(PictureFormat::Svg),
            "png" => Some(PictureFormat::Png),
            _ => None,
        }
    }
}

/// A written picture: its bytes and, for PNG, its size in pixels.
pub type PictureBytes = (Vec<u8>, Option<(u32, u32)>);

/// The design picture ([`crate::report::design_svg::design_svg_in`], the report's renderer) of the
/// whole design or of `view` (canvas units), as SVG text or as PNG at `scale` pixels per canvas
/// unit (lowered so the picture stays within [`MAX_PIXELS`]). Returns the bytes and, for PNG, the
/// size in pixels.
pub fn design_picture(
    design: &meridian_model::Design,
    catalog: &meridian_model::Catalog,
    view: Option<emath::Rect>,
    format: PictureFormat,
    scale: f32,
) -> Result<PictureBytes, PictureError> {
    let svg = crate::report::design_svg::design_svg_in(design, catalog, view);
    match format {
        PictureFormat::Svg => Ok((svg.into_bytes(), None)),
        PictureFormat::Png => {
            let (w, h) = natural_size(&svg)?;
            let area = f64::from(w.max(1)) * f64::from(h.max(1));
            let fit = ((MAX_PIXELS as f64 / area).sqrt() * 0.999) as f32;
            let scale = scale.clamp(0.05, 8.0).min(fit);
            let width = (w as f32 * scale).floor().max(1.0) as u32;
            let height = (h as f32 * scale).floor().max(1.0) as u32;
            let img = rasterise(&svg, width, height, Some([255, 255, 255, 255]))?;
            Ok((encode_png(&img)?, Some((width, height))))
        }
    }
}

/// Encodes pixels as an 8-bit RGBA PNG.
pub fn encode_png(img: &Rgba) -> Result<Vec<u8>, PictureError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, img.width, img.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&img.pixels))
        .map_err(|e| PictureError::Encode(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::icons::icon;
    use meridian_model::ServiceKind;

    #[test]
    fn every_icon_rasterises_with_ink() {
        for kind in ServiceKind::ALL {
            let i = icon(kind);
            let img = rasterise(i.svg, 32, 32, None).unwrap();
            let opaque = img.pixels.chunks(4).filter(|p| p[3] > 200).count();
            // A service icon is a full tile; a resource icon a glyph of a fair share of the square.
            let least = if i.resource { 32 * 32 / 10 } else { 32 * 32 * 9 / 10 };
            assert!(opaque >= least, "{}: {opaque} opaque pixels", i.file);
        }
    }

    #[test]
    fn text_is_drawn_with_the_embedded_font() {
        let blank = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"></svg>"#;
        let text = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="30" font-size="24" font-family="system-ui,sans-serif">Hello</text></svg>"#;
        let dark = |svg| {
            rasterise(svg, 120, 40, Some([255, 255, 255, 255]))
                .unwrap()
                .pixels
                .chunks(4)
                .filter(|p| p[0] < 128)
                .count()
        };
        assert_eq!(dark(blank), 0);
        assert!(dark(text) > 50, "text left no ink");
    }

    #[test]
    fn refuses_empty_and_huge_sizes_and_bad_svg() {
        let svg = icon(ServiceKind::S3).svg;
        assert!(matches!(rasterise(svg, 0, 10, None), Err(PictureError::Size { .. })));
        assert!(matches!(rasterise(svg, 100_000, 100_000, None), Err(PictureError::Size { .. })));
        assert!(matches!(rasterise("<svg", 10, 10, None), Err(PictureError::Parse(_))));
    }

    fn example(name: &str) -> meridian_model::Design {
        let catalog = meridian_model::Catalog::builtin().unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        meridian_model::format::load_file(&path, catalog).unwrap().design
    }

    #[test]
    fn design_png_shows_the_cards_icons() {
        let catalog = meridian_model::Catalog::builtin().unwrap();
        let design = example("active-active-2region.ron");
        let (bytes, size) = design_picture(&design, catalog, None, PictureFormat::Png, 1.0).unwrap();
        let (w, h) = size.unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        // DynamoDB's icon tile is #c925d1: the picture holds a block of it on each DynamoDB card.
        let magenta = buf
            .chunks(4)
            .filter(|p| p[0].abs_diff(0xc9) < 6 && p[1].abs_diff(0x25) < 6 && p[2].abs_diff(0xd1) < 6)
            .count();
        let tables = design.services().filter(|s| s.kind == ServiceKind::DynamoDb).count();
        assert!(tables > 0);
        assert!(magenta >= tables * 200, "{magenta} DynamoDB-tile pixels for {tables} tables in {w}x{h}");
    }

    #[test]
    fn a_view_crops_the_picture_and_a_huge_one_is_scaled_down() {
        let catalog = meridian_model::Catalog::builtin().unwrap();
        let design = example("active-active-2region.ron");
        let whole = crate::report::design_svg::design_svg_in(&design, catalog, None);
        let part = emath::Rect::from_min_size(emath::pos2(0.0, 0.0), emath::vec2(1300.0, 400.0));
        let cropped = crate::report::design_svg::design_svg_in(&design, catalog, Some(part));
        let (ww, wh) = natural_size(&whole).unwrap();
        let (cw, ch) = natural_size(&cropped).unwrap();
        assert!(cw <= ww && ch < wh, "{cw}x{ch} not inside {ww}x{wh}");
        let (_, size) = design_picture(&design, catalog, None, PictureFormat::Png, 8.0).unwrap();
        let (w, h) = size.unwrap();
        assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS);
    }

    #[test]
    fn format_follows_the_extension() {
        use std::path::Path;
        assert_eq!(PictureFormat::of_path(Path::new("a.PNG")), Some(PictureFormat::Png));
        assert_eq!(PictureFormat::of_path(Path::new("a.svg")), Some(PictureFormat::Svg));
        assert_eq!(PictureFormat::of_path(Path::new("a.jpg")), None);
    }

    #[test]
    fn png_round_trips_size() {
        let bytes = svg_to_png(icon(ServiceKind::S3).svg, 2.0).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (128, 128));
    }
}
