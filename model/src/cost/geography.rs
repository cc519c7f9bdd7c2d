//! CloudFront's pricing geographies: which one serves a population.
//!
//! CloudFront prices data out and requests by the geography of the edge location that serves the
//! viewer, which is the one nearest the viewer. AWS's CloudFront price file (`cloudfront.json`,
//! the file behind the pricing page) keys its regional prices by ten geographies: United States,
//! Mexico and Canada (two keys with the same prices), Europe and Israel, South Africa, Kenya and
//! Nigeria, the Middle East, South America, Japan, Australia and New Zealand, India, and the rest
//! of Asia Pacific (Hong Kong, Indonesia, the Philippines, Singapore, South Korea, Taiwan,
//! Thailand, Vietnam and others). A population is placed by its country when the design gives
//! one, else by its continent.

use crate::design::Population;
use crate::geo::Continent;

/// Countries of the Middle East geography (ISO 3166-1 alpha-2); Israel is priced with Europe.
const MIDDLE_EAST: [&str; 12] = ["AE", "BH", "IQ", "IR", "JO", "KW", "LB", "OM", "QA", "SA", "SY", "YE"];

/// The snapshot's name of the CloudFront geography serving `population` (the suffix of the
/// `data-out:` and `requests-https:` dimensions): `us`, `canada`, `europe`, `south-africa`,
/// `middle-east`, `south-america`, `japan`, `australia`, `india` or `asia-pacific`.
pub fn edge_geography(population: &Population) -> &'static str {
    let country = population.country.as_deref().unwrap_or_default();
    match country {
        "CA" => return "canada",
        "US" | "MX" => return "us",
        "IL" | "TR" => return "europe",
        "JP" => return "japan",
        "IN" => return "india",
        "AU" | "NZ" => return "australia",
        "ZA" | "KE" | "NG" => return "south-africa",
        c if MIDDLE_EAST.contains(&c) => return "middle-east",
        _ => {}
    }
    match population.continent {
        // Antarctica has no edge of its own; its few users reach the nearest, priced as the US.
        Continent::NorthAmerica | Continent::Antarctica => "us",
        Continent::Europe => "europe",
        Continent::SouthAmerica => "south-america",
        Continent::Africa => "south-africa",
        Continent::Oceania => "australia",
        Continent::Asia => "asia-pacific",
    }
}
