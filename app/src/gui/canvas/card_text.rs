//! The text of a service card at any zoom: where the icon, the title and the detail line go and
//! at which size, so that text stays readable and inside its card.
//!
//! At a close zoom a card shows its title and a detail line (kind and configuration), each on one
//! line, shortened with an ellipsis. Zoomed out, the text would scale below readable sizes: the
//! title then keeps a minimum size and takes up to two lines, the detail line is dropped first
//! (it is secondary), and the full name stays in the card's hover text.

use std::sync::Arc;

use egui::text::{LayoutJob, TextWrapping};
use egui::{Color32, FontId, Galley, Painter, Rect, Vec2, pos2};

/// The smallest title size, in screen points: below it text is not readable.
pub const MIN_TITLE_PT: f32 = 9.0;
/// The title's size at 100% zoom, in points.
const TITLE_PT: f32 = 13.0;
/// The detail line's size at 100% zoom, in points.
const DETAIL_PT: f32 = 11.0;
/// The smallest detail size: smaller, the detail line is not drawn.
const MIN_DETAIL_PT: f32 = 9.0;

/// A card's text, laid out on screen.
pub struct CardText {
    /// Where the icon goes.
    pub icon: Rect,
    /// The title, its top-left corner and the laid-out text.
    pub title: (egui::Pos2, Arc<Galley>),
    /// The detail line, when there is room for it at a readable size.
    pub detail: Option<(egui::Pos2, Arc<Galley>)>,
    /// Where the warning badge goes (centre), when the card has one.
    pub badge: Option<(egui::Pos2, f32)>,
}

/// Lays out the text of a card drawn at `card` (screen points) at `zoom`: the `title` and the
/// `detail` line in `text` and `weak` colours, leaving room for a warning badge when `warning`.
#[allow(clippy::too_many_arguments)] // Each is one plain input of the layout.
pub fn layout(
    painter: &Painter,
    card: Rect,
    zoom: f32,
    title: &str,
    detail: &str,
    warning: bool,
    text: Color32,
    weak: Color32,
) -> CardText {
    let z = zoom;
    // Margins and the icon shrink with the card, never below a few points.
    let margin = (10.0 * z).clamp(3.0, 14.0);
    let icon_side = (38.0 * z).min(card.height() - 2.0 * margin).max(8.0);
    let icon_top = card.top() + ((card.height() - icon_side) / 2.0).min(margin);
    let icon = Rect::from_min_size(pos2(card.left() + margin, icon_top), Vec2::splat(icon_side));
    let badge_r = (6.0 * z).max(4.0);
    let inset = badge_r + 4.0 * z.max(0.5);
    let badge = warning.then(|| (pos2(card.right() - inset, card.top() + inset), badge_r));
    let left = icon.right() + (10.0 * z).clamp(3.0, 14.0);
    let right = card.right() - (8.0 * z).max(3.0) - if warning { 2.0 * badge_r + 2.0 } else { 0.0 };
    let width = (right - left).max(1.0);
    let inner_height = card.height() - 2.0 * (6.0 * z).clamp(1.0, 10.0);

    let title_pt = (TITLE_PT * z).max(MIN_TITLE_PT);
    let detail_pt = DETAIL_PT * z;
    let title_line = title_pt * 1.25;
    let detail_line = detail_pt * 1.25;
    // Room for the detail line below a one-line title, at a readable size: the close-up layout.
    let with_detail = detail_pt >= MIN_DETAIL_PT && title_line + detail_line <= inner_height;
    let font = FontId::proportional(title_pt);
    let title_galley = if with_detail {
        painter.layout_job(elided(title, font, text, width, 1))
    } else {
        // Two lines when they fit in the card, else one.
        let two = painter.layout_job(elided(title, font.clone(), text, width, 2));
        if two.size().y <= inner_height {
            two
        } else {
            painter.layout_job(elided(title, font, text, width, 1))
        }
    };
    let detail_galley = with_detail
        .then(|| painter.layout_job(elided(detail, FontId::proportional(detail_pt), weak, width, 1)));
    let block = title_galley.size().y + detail_galley.as_ref().map_or(0.0, |g| g.size().y + 2.0 * z);
    // Close up the text starts under the top margin (as it always has); zoomed out, it is centred.
    let top = if with_detail {
        card.top() + (10.0 * z).min((card.height() - block) / 2.0).max(1.0)
    } else {
        card.center().y - block / 2.0
    };
    let detail = detail_galley.map(|g| (pos2(left, top + title_galley.size().y + 2.0 * z), g));
    CardText { icon, title: (pos2(left, top), title_galley), detail, badge }
}

/// `text` on at most `rows` lines of `width`, ending in an ellipsis when it does not fit.
fn elided(text: &str, font: FontId, color: Color32, width: f32, rows: usize) -> LayoutJob {
    let mut job = LayoutJob::simple(text.to_owned(), font, color, width);
    job.wrap = TextWrapping {
        max_width: width,
        max_rows: rows,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    job
}
