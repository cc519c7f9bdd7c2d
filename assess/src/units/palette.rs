//! The colours of charts and pictures, as RGB constants: chart series, the cost-downtime
//! frontier, service categories and link kinds. Plotters charts and the report draw with them;
//! the designer's theme takes its chart series and frontier from [`SERIES`] and [`FRONTIER`], and
//! maps its light palette from [`category`] and [`link`].

use meridian_model::catalog::Category;
use meridian_model::design::LinkKindTag;

/// A colour as red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The colour for plotters.
    pub const fn plotters(self) -> plotters::style::RGBColor {
        plotters::style::RGBColor(self.0, self.1, self.2)
    }

    /// The colour as CSS hex, `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Chart series, in order (the first is the colour of a chart with one series).
pub const SERIES: [Rgb; 6] = [
    Rgb(31, 119, 180),
    Rgb(214, 39, 40),
    Rgb(44, 160, 44),
    Rgb(255, 127, 14),
    Rgb(148, 103, 189),
    Rgb(140, 86, 75),
];

/// The Pareto frontier's step line.
pub const FRONTIER: Rgb = Rgb(230, 110, 20);

/// Points beaten on cost and downtime, leader lines and chart borders.
pub const MUTED: Rgb = Rgb(120, 120, 120);

/// Light grid lines of a chart.
pub const GRID: Rgb = Rgb(246, 246, 246);

/// The accent colour of a service category (icons, card edges).
pub fn category(c: Category) -> Rgb {
    match c {
        Category::Edge => Rgb(140, 80, 220),
        Category::Networking => Rgb(120, 90, 200),
        Category::Compute => Rgb(230, 120, 20),
        Category::Serverless => Rgb(226, 90, 40),
        Category::Integration => Rgb(210, 40, 110),
        Category::Database => Rgb(40, 90, 220),
        Category::Storage => Rgb(60, 150, 60),
        Category::Cache => Rgb(200, 50, 50),
        Category::Management => Rgb(200, 40, 120),
        Category::MachineLearning => Rgb(0, 150, 140),
        Category::Hybrid => Rgb(110, 110, 130),
    }
}

/// The colour of a link kind on a light background.
pub fn link(kind: LinkKindTag) -> Rgb {
    match kind {
        LinkKindTag::Routing => Rgb(130, 60, 200),
        LinkKindTag::Dependency => Rgb(90, 100, 115),
        LinkKindTag::Replication => Rgb(30, 110, 210),
        LinkKindTag::Backup => Rgb(40, 140, 80),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_css() {
        assert_eq!(category(Category::Hybrid).hex(), "#6e6e82");
        assert_eq!(link(LinkKindTag::Replication).hex(), "#1e6ed2");
        assert_eq!(Rgb(0, 150, 140).hex(), "#00968c");
    }
}
