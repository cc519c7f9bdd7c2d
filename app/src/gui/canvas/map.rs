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
}
