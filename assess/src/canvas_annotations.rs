//! Where notes and group boxes go on the schematic canvas and how they look, shared by the
//! designer's canvas and the design picture (report and picture export): their rectangles, the
//! group boxes' title strip, the colour of each kind, and the lines a note's text wraps to.
//!
//! Annotations are drawings placed in canvas units of the schematic view
//! ([`meridian_model::design::Annotation`]); the geographic view shows none.

use std::collections::BTreeMap;

use emath::{Pos2, Rect, pos2, vec2};
use meridian_model::design::{Annotation, AnnotationKind, GroupKind};
use meridian_model::{AnnotationId, Design};

use crate::units::palette::Rgb;

/// Height of a group box's title strip, in canvas units: where a box is picked and dragged (its
/// body is left to the regions and cards it surrounds).
pub const TITLE_H: f32 = 30.0;
/// Inner margin of a note and of a box's title, in canvas units.
pub const PAD: f32 = 10.0;
/// Font size of a note's text and a box's title, in canvas units.
pub const FONT: f32 = 15.0;
/// Line height of a note's text, in canvas units.
pub const LINE_H: f32 = 19.0;
/// Opacity of a group box's fill (the regions behind it show through).
pub const GROUP_FILL_ALPHA: f32 = 0.10;

/// An annotation's rectangle on the canvas.
pub fn rect_of(a: &Annotation) -> Rect {
    Rect::from_min_size(pos2(a.x as f32, a.y as f32), vec2(a.width as f32, a.height as f32))
}

/// Every annotation's rectangle, by id.
pub fn rects(design: &Design) -> BTreeMap<AnnotationId, Rect> {
    design.annotations().map(|a| (a.id.clone(), rect_of(a))).collect()
}

/// The title strip of a group box (or the whole of a note): where a press picks it.
pub fn grab_area(kind: AnnotationKind, rect: Rect) -> Rect {
    match kind {
        AnnotationKind::Note => rect,
        AnnotationKind::Group(_) => {
            Rect::from_min_size(rect.min, vec2(rect.width(), TITLE_H.min(rect.height())))
        }
    }
}

/// The annotation a press at `at` picks: notes first (drawn above the cards), then the title
/// strips of group boxes; among several, the last in id order (drawn on top).
pub fn annotation_at(design: &Design, at: Pos2) -> Option<&Annotation> {
    let picks = |notes: bool| {
        design
            .annotations()
            .filter(move |a| (a.kind == AnnotationKind::Note) == notes)
            .filter(|a| grab_area(a.kind, rect_of(a)).contains(at))
            .last()
    };
    picks(true).or_else(|| picks(false))
}

/// The accent colour of an annotation kind: a box's outline and title, a note's paper.
pub fn color(kind: AnnotationKind) -> Rgb {
    match kind {
        AnnotationKind::Note => Rgb(255, 236, 150),
        AnnotationKind::Group(g) => match g {
            GroupKind::Vpc => Rgb(46, 140, 70),
            GroupKind::Subnet => Rgb(30, 130, 170),
            GroupKind::Account => Rgb(200, 60, 90),
            GroupKind::Team => Rgb(150, 90, 200),
            GroupKind::Other => Rgb(110, 120, 135),
        },
    }
}

/// The text shown in a group box's title strip: its kind, then its title (`VPC · Production`).
pub fn group_title(a: &Annotation) -> String {
    if a.text.trim().is_empty() {
        a.kind.label().to_owned()
    } else {
        format!("{} · {}", a.kind.label(), a.text)
    }
}

/// How many characters of the annotation font fit in `width` canvas units (an average glyph is
/// about half the font size wide).
pub fn chars_in(width: f32) -> usize {
    ((width - 2.0 * PAD) / (FONT * 0.52)).floor().max(1.0) as usize
}

/// A note's text broken into the lines the note shows: its own line breaks, then words wrapped at
/// `width` characters (a word longer than a line is cut), at most `max_lines`, the last one
/// ending in `…` when text is left over.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word: String = word.to_owned();
            loop {
                let need = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
                if need <= width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if line.is_empty() {
                    // A word longer than the line: cut it.
                    let head: String = word.chars().take(width).collect();
                    word = word.chars().skip(width).collect();
                    lines.push(head);
                    if word.is_empty() {
                        break;
                    }
                } else {
                    lines.push(std::mem::take(&mut line));
                }
            }
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) && lines.len() > 1 {
        lines.pop();
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{keep}…");
        }
    }
    lines
}

/// How many lines of note text fit in a note `height` canvas units tall.
pub fn lines_in(height: f32) -> usize {
    ((height - 2.0 * PAD) / LINE_H).floor().max(1.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_keeps_line_breaks_cuts_long_words_and_marks_what_is_left_over() {
        assert_eq!(wrap("failover is manual", 10, 5), ["failover", "is manual"]);
        assert_eq!(wrap("a\nb c", 10, 5), ["a", "b c"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one two three four", 5, 2), ["one", "two…"]);
        assert_eq!(wrap("", 5, 2), [""]);
    }

    #[test]
    fn a_box_is_picked_by_its_title_strip_a_note_anywhere_notes_first() {
        let mut d = Design::new("x");
        let catalog = meridian_model::Catalog::builtin().expect("catalog");
        let group = Annotation {
            id: AnnotationId::new("vpc"),
            kind: AnnotationKind::Group(GroupKind::Vpc),
            text: String::new(),
            x: 0,
            y: 0,
            width: 400,
            height: 300,
        };
        let note = Annotation {
            id: AnnotationId::new("note"),
            kind: AnnotationKind::Note,
            text: "n".into(),
            x: 0,
            y: 0,
            width: 100,
            height: 100,
        };
        for a in [group, note] {
            meridian_model::apply(&mut d, catalog, meridian_model::Command::AddAnnotation(a)).expect("adds");
        }
        let id = |p: Pos2| annotation_at(&d, p).map(|a| a.id.as_str().to_owned());
        assert_eq!(id(pos2(50.0, 10.0)).as_deref(), Some("note"));
        assert_eq!(id(pos2(300.0, 10.0)).as_deref(), Some("vpc"));
        assert_eq!(id(pos2(300.0, 200.0)), None, "a box's body picks nothing");
        assert_eq!(group_title(d.annotation(&AnnotationId::new("vpc")).expect("in")), "VPC");
    }
}
