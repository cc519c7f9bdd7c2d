//! Colours, sizes and strokes of the designer, in one place, for the light and the dark theme.

use egui::{Color32, Stroke, Visuals};
use meridian_assess::units::palette::{self, Rgb};
use meridian_model::catalog::Category;
use meridian_model::design::LinkKindTag;

/// A palette colour as egui's.
fn rgb(c: Rgb) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// Sizes of canvas elements, in canvas units (shared with the report's design picture).
pub use meridian_assess::canvas_layout::size;

/// The palette of the current theme.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Whether the dark theme is on.
    pub dark: bool,
    /// Canvas background.
    pub canvas_bg: Color32,
    /// Grid dots on the canvas.
    pub grid: Color32,
    /// Land on the world map.
    pub land: Color32,
    /// Coastlines.
    pub coast: Color32,
    /// Region container fill.
    pub region_fill: Color32,
    /// Region container outline.
    pub region_stroke: Color32,
    /// Global band fill.
    pub global_fill: Color32,
    /// Card fill.
    pub card_fill: Color32,
    /// Card outline.
    pub card_stroke: Color32,
    /// Main text.
    pub text: Color32,
    /// Secondary text.
    pub text_weak: Color32,
    /// Selection highlight.
    pub selection: Color32,
    /// Warnings (problems, violations).
    pub warning: Color32,
    /// Errors.
    pub error: Color32,
    /// Users.
    pub population: Color32,
    /// Text and glyphs drawn on an accent fill (icon tiles, jurisdiction badges, user markers).
    pub on_accent: Color32,
    /// The glyph on a warning dot.
    pub on_warning: Color32,
    /// The tint an image is painted with: none (white multiplies nothing away).
    pub image_tint: Color32,
    /// The tile behind a resource icon (a coloured glyph on a transparent ground).
    pub icon_tile: Color32,
    /// The best value of a comparison row (green: the selection blue reads as a link).
    pub best: Color32,
    /// The Pareto frontier line of the compare view (the chart palette's).
    pub frontier: Color32,
    /// Entities added since the version compared with (outline and badge).
    pub added: Color32,
    /// Entities changed since the version compared with.
    pub changed: Color32,
    /// Entities removed since the version compared with (listed in the Changes window).
    pub removed: Color32,
}

/// No fill, for shapes drawn by their outline alone.
pub const NO_FILL: Color32 = Color32::TRANSPARENT;

impl Palette {
    /// The palette for the given theme.
    pub fn new(dark: bool) -> Self {
        if dark {
            Palette {
                dark,
                canvas_bg: Color32::from_rgb(24, 27, 33),
                grid: Color32::from_rgb(40, 44, 52),
                land: Color32::from_rgb(36, 42, 50),
                coast: Color32::from_rgb(120, 138, 160),
                region_fill: Color32::from_rgba_unmultiplied(46, 54, 66, 235),
                region_stroke: Color32::from_rgb(96, 110, 130),
                global_fill: Color32::from_rgba_unmultiplied(52, 46, 70, 230),
                card_fill: Color32::from_rgb(33, 37, 45),
                card_stroke: Color32::from_rgb(88, 98, 114),
                text: Color32::from_rgb(226, 230, 236),
                text_weak: Color32::from_rgb(150, 160, 174),
                selection: Color32::from_rgb(90, 170, 255),
                warning: Color32::from_rgb(255, 176, 32),
                error: Color32::from_rgb(255, 90, 90),
                population: Color32::from_rgb(230, 110, 200),
                on_accent: Color32::WHITE,
                on_warning: Color32::BLACK,
                image_tint: Color32::WHITE,
                icon_tile: Color32::from_rgb(232, 228, 244),
                best: Color32::from_rgb(110, 210, 130),
                frontier: rgb(palette::FRONTIER),
                added: Color32::from_rgb(90, 200, 120),
                changed: Color32::from_rgb(190, 130, 255),
                removed: Color32::from_rgb(255, 110, 110),
            }
        } else {
            Palette {
                dark,
                canvas_bg: Color32::from_rgb(246, 248, 251),
                grid: Color32::from_rgb(222, 227, 234),
                land: Color32::from_rgb(229, 233, 238),
                coast: Color32::from_rgb(128, 142, 160),
                region_fill: Color32::from_rgba_unmultiplied(234, 240, 248, 240),
                region_stroke: Color32::from_rgb(120, 140, 166),
                global_fill: Color32::from_rgba_unmultiplied(240, 234, 250, 240),
                card_fill: Color32::WHITE,
                card_stroke: Color32::from_rgb(176, 186, 200),
                text: Color32::from_rgb(28, 32, 38),
                text_weak: Color32::from_rgb(96, 106, 120),
                selection: Color32::from_rgb(20, 110, 230),
                warning: Color32::from_rgb(214, 120, 0),
                error: Color32::from_rgb(210, 40, 40),
                population: Color32::from_rgb(190, 40, 150),
                on_accent: Color32::WHITE,
                on_warning: Color32::BLACK,
                image_tint: Color32::WHITE,
                icon_tile: Color32::from_rgb(243, 240, 252),
                best: Color32::from_rgb(20, 130, 60),
                frontier: rgb(palette::FRONTIER),
                added: Color32::from_rgb(20, 140, 60),
                changed: Color32::from_rgb(130, 60, 210),
                removed: Color32::from_rgb(200, 40, 40),
            }
        }
    }

    /// The colour of an entity's change since the version compared with.
    pub fn change(&self, status: meridian_model::diff::Status) -> Color32 {
        match status {
            meridian_model::diff::Status::Added => self.added,
            meridian_model::diff::Status::Changed => self.changed,
            meridian_model::diff::Status::Removed => self.removed,
        }
    }

    /// The palette of the geographic view: region and band fills let the map show through.
    #[must_use]
    pub fn over_map(mut self) -> Self {
        self.region_fill = self.region_fill.gamma_multiply(0.45);
        self.global_fill = self.global_fill.gamma_multiply(0.6);
        self
    }

    /// The palette matching egui's current visuals.
    pub fn of(visuals: &Visuals) -> Self {
        Self::new(visuals.dark_mode)
    }

    /// Accent colour of a service category (icons and card edges): the chart palette's.
    pub fn category(&self, c: Category) -> Color32 {
        rgb(palette::category(c))
    }

    /// Colour of a link kind: the chart palette's in the light theme, lighter in the dark one.
    pub fn link(&self, kind: LinkKindTag) -> Color32 {
        if !self.dark {
            return rgb(palette::link(kind));
        }
        match kind {
            LinkKindTag::Replication => Color32::from_rgb(100, 170, 255),
            LinkKindTag::Routing => Color32::from_rgb(190, 140, 255),
            LinkKindTag::Dependency => Color32::from_rgb(160, 170, 184),
            LinkKindTag::Backup => Color32::from_rgb(100, 200, 130),
        }
    }

    /// Badge colour of a jurisdiction.
    pub fn jurisdiction(&self, code: &str) -> Color32 {
        match code {
            "EU" => Color32::from_rgb(0, 82, 180),
            "US" => Color32::from_rgb(170, 40, 50),
            "UK" => Color32::from_rgb(30, 60, 130),
            _ => Color32::from_rgb(90, 100, 115),
        }
    }

    /// Colour of series `i` of a chart: the chart palette's series, which then repeat.
    pub fn series(&self, i: usize) -> Color32 {
        rgb(palette::SERIES[i % palette::SERIES.len()])
    }

    /// The stroke of a selected element.
    pub fn selected_stroke(&self) -> Stroke {
        Stroke::new(2.5, self.selection)
    }

    /// The colour of an annotation of `kind` (the shared picture palette), lifted in the dark
    /// theme for group boxes so that their titles read on the dark canvas.
    pub fn annotation(&self, kind: meridian_model::design::AnnotationKind) -> Color32 {
        let c = rgb(meridian_assess::canvas_annotations::color(kind));
        if self.dark && kind != meridian_model::design::AnnotationKind::Note {
            c.lerp_to_gamma(Color32::WHITE, 0.35)
        } else {
            c
        }
    }

    /// A sticky note's ink, edge and shadow.
    pub fn note_ink(&self) -> (Color32, Stroke, Color32) {
        (
            Color32::from_rgb(58, 51, 32),
            Stroke::new(1.0, Color32::from_rgb(201, 169, 58)),
            Color32::from_black_alpha(40),
        )
    }

    /// No fill: the even rows of a striped list.
    pub fn no_fill(&self) -> Color32 {
        Color32::TRANSPARENT
    }
}
