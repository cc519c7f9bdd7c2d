//! The world map of the geographic view: Natural Earth's 110m land outlines (public domain),
//! embedded from `assets/map/land-110m.bin` (see `assets/map/SOURCE.md` for source and format).

use std::sync::OnceLock;

use egui::Pos2;

use super::layout::project;

static LAND: &[u8] = include_bytes!("../../../../assets/map/land-110m.bin");

/// Land outlines projected onto the canvas, each a closed ring of points.
pub fn land_rings() -> &'static [Vec<Pos2>] {
    static RINGS: OnceLock<Vec<Vec<Pos2>>> = OnceLock::new();
    RINGS.get_or_init(|| decode(LAND).unwrap_or_default())
}

/// The coastlines to draw: the land rings closed and cut where they cross the antimeridian, so
/// that no line runs across the whole map from one edge to the other.
pub fn coastlines() -> &'static [Vec<Pos2>] {
    static LINES: OnceLock<Vec<Vec<Pos2>>> = OnceLock::new();
    LINES.get_or_init(|| land_rings().iter().flat_map(|ring| cut_at_antimeridian(ring)).collect())
}

/// A closed ring as open polylines, cut between neighbouring points more than half the map apart.
fn cut_at_antimeridian(ring: &[Pos2]) -> Vec<Vec<Pos2>> {
    let jump = 180.0 * super::layout::MAP_SCALE;
    let mut lines = Vec::new();
    let mut current: Vec<Pos2> = Vec::new();
    for p in ring.iter().chain(ring.first()) {
        if current.last().is_some_and(|q: &Pos2| (q.x - p.x).abs() > jump) {
            lines.push(std::mem::take(&mut current));
        }
        current.push(*p);
    }
    lines.push(current);
    lines.retain(|l| l.len() >= 2);
    lines
}

fn read_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let b = bytes.get(*at..*at + 4)?;
    *at += 4;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_i16(bytes: &[u8], at: &mut usize) -> Option<i16> {
    let b = bytes.get(*at..*at + 2)?;
    *at += 2;
    Some(i16::from_le_bytes([b[0], b[1]]))
}

/// Decodes the asset; `None` if it is truncated.
fn decode(bytes: &[u8]) -> Option<Vec<Vec<Pos2>>> {
    let mut at = 0;
    let rings = read_u32(bytes, &mut at)?;
    let mut out = Vec::with_capacity(rings as usize);
    for _ in 0..rings {
        let n = read_u32(bytes, &mut at)?;
        let mut ring = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let lon = f64::from(read_i16(bytes, &mut at)?) / 100.0;
            let lat = f64::from(read_i16(bytes, &mut at)?) / 100.0;
            ring.push(project(lon, lat));
        }
        out.push(ring);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_map_decodes_to_the_continents() {
        let rings = land_rings();
        assert!(rings.len() > 100, "{} rings", rings.len());
        let points: usize = rings.iter().map(Vec::len).sum();
        assert!(points > 4000, "{points} points");
        // Some land lies near Dublin (53.35 N, 6.26 W).
        let dublin = project(-6.26, 53.35);
        assert!(rings.iter().flatten().any(|p| p.distance(dublin) < 30.0));
    }

    /// Issue 19, defect 8: rings crossing the antimeridian drew horizontal lines across the map.
    #[test]
    fn no_coastline_segment_spans_half_the_map() {
        let lines = coastlines();
        assert!(lines.len() >= land_rings().len());
        let half = 180.0 * super::super::layout::MAP_SCALE;
        for line in lines {
            for w in line.windows(2) {
                assert!((w[0].x - w[1].x).abs() < half, "{:?} to {:?}", w[0], w[1]);
            }
        }
        // The closing segment of every ring that does not cross is still drawn.
        let closed = lines.iter().filter(|l| l.first() == l.last()).count();
        assert!(closed > 100, "{closed} closed outlines");
    }
}
