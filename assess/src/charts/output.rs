//! Writing a chart to a file: SVG text, or the pixels of a bitmap encoded as PNG, each written
//! with the one safe write of the workspace ([`meridian_model::format::write_atomic`]), so a
//! chart file is either the old one or the new one, never half of either.

use std::path::Path;

use meridian_model::format::{SaveError, write_atomic};
use plotters::backend::RGBPixel;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;

/// Draws a bitmap of `size` pixels with `draw` and writes it to `path` as PNG.
pub(crate) fn write_png(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_, RGBPixel>, Shift>) -> Result<(), ChartError>,
) -> Result<(), ChartError> {
    write(path, &png_bytes(path, size, draw)?)
}

/// Draws a bitmap of `size` pixels with `draw` and encodes it as PNG; `path` names it in errors.
pub(crate) fn png_bytes(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_, RGBPixel>, Shift>) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let backend = BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut rgb, size)
            .map_err(|e| ChartError::Draw(format!("{}: {e}", path.display())))?;
        let area = backend.into_drawing_area();
        draw(&area)?;
        area.present().map_err(|e| ChartError::Draw(format!("{}: {e}", path.display())))?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&rgb))
        .map_err(|e| ChartError::Draw(format!("{}: PNG encoding failed: {e}", path.display())))?;
    Ok(bytes)
}

/// Writes SVG text to `path`.
pub(crate) fn write_svg(path: &Path, svg: &str) -> Result<(), ChartError> {
    write(path, svg.as_bytes())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ChartError> {
    write_atomic(path, bytes, false).map_err(|e| match e {
        SaveError::Io { source, .. } => ChartError::Io { file: path.display().to_string(), source },
        other @ SaveError::Serialize { .. } => ChartError::Draw(other.to_string()),
    })
}
