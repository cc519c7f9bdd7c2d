//! Geography: coordinates, continents and great-circle distance.

use serde::{Deserialize, Serialize};

/// A point on the earth in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude in degrees, -90 to 90.
    pub lat: f64,
    /// Longitude in degrees, -180 to 180.
    pub lon: f64,
}

/// Mean earth radius in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0;

impl GeoPoint {
    /// Great-circle distance to `other` in kilometres (haversine formula).
    pub fn distance_km(&self, other: &GeoPoint) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dla = la2 - la1;
        let dlo = (other.lon - self.lon).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
    }

    /// Checks the coordinates; returns the bad field and why.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !(self.lat.is_finite() && (-90.0..=90.0).contains(&self.lat)) {
            return Err(("lat", format!("latitude must be between -90 and 90, not {}", self.lat)));
        }
        if !(self.lon.is_finite() && (-180.0..=180.0).contains(&self.lon)) {
            return Err(("lon", format!("longitude must be between -180 and 180, not {}", self.lon)));
        }
        Ok(())
    }
}

/// A continent, as used by geolocation routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Continent {
    /// Africa.
    Africa,
    /// Antarctica.
    Antarctica,
    /// Asia.
    Asia,
    /// Europe.
    Europe,
    /// North America (including Central America and the Caribbean).
    NorthAmerica,
    /// Oceania.
    Oceania,
    /// South America.
    SouthAmerica,
}

impl Continent {
    /// Every continent.
    pub const ALL: [Continent; 7] = [
        Continent::Africa,
        Continent::Antarctica,
        Continent::Asia,
        Continent::Europe,
        Continent::NorthAmerica,
        Continent::Oceania,
        Continent::SouthAmerica,
    ];

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Continent::Africa => "Africa",
            Continent::Antarctica => "Antarctica",
            Continent::Asia => "Asia",
            Continent::Europe => "Europe",
            Continent::NorthAmerica => "North America",
            Continent::Oceania => "Oceania",
            Continent::SouthAmerica => "South America",
        }
    }
}

/// A rough continent for a point, so that a population placed on the map starts with a sensible
/// one for geolocation routing: boxes of latitude and longitude, checked in order (Antarctica
/// south of 60 S; the Americas west of 30 W, split at 12 N; Europe north of 35 N and west of 45 E;
/// Africa between 36 S and 35 N, 20 W and 52 E; Oceania south of 10 S and east of 110 E; Asia
/// elsewhere). Borders are approximate; the user can correct the continent.
pub fn continent_of(p: GeoPoint) -> Continent {
    match (p.lat, p.lon) {
        (lat, _) if lat < -60.0 => Continent::Antarctica,
        (lat, lon) if lon < -30.0 && lat >= 12.0 => Continent::NorthAmerica,
        (_, lon) if lon < -30.0 => Continent::SouthAmerica,
        (lat, lon) if lat >= 35.0 && lon < 45.0 => Continent::Europe,
        (lat, lon) if lat < 35.0 && lon < 52.0 && lat > -36.0 && lon > -20.0 => Continent::Africa,
        (lat, lon) if lat < -10.0 && lon > 110.0 => Continent::Oceania,
        _ => Continent::Asia,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continents_of_known_cities() {
        let at = |lat, lon| continent_of(GeoPoint { lat, lon });
        assert_eq!(at(50.1, 8.7), Continent::Europe, "Frankfurt");
        assert_eq!(at(38.9, -77.4), Continent::NorthAmerica, "Virginia");
        assert_eq!(at(-23.5, -46.6), Continent::SouthAmerica, "São Paulo");
        assert_eq!(at(-33.9, 18.4), Continent::Africa, "Cape Town");
        assert_eq!(at(-33.9, 151.2), Continent::Oceania, "Sydney");
        assert_eq!(at(35.7, 139.7), Continent::Asia, "Tokyo");
        assert_eq!(at(1.3, 103.8), Continent::Asia, "Singapore");
        assert_eq!(at(-75.0, 0.0), Continent::Antarctica);
    }

    #[test]
    fn distance_between_known_cities() {
        let virginia = GeoPoint { lat: 38.9, lon: -77.4 };
        let dublin = GeoPoint { lat: 53.35, lon: -6.26 };
        let d = virginia.distance_km(&dublin);
        assert!((5400.0..5600.0).contains(&d), "{d}");
        assert!(virginia.distance_km(&virginia).abs() < 1e-9);
    }
}
