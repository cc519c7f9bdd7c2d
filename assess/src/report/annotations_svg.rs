//! Notes and group boxes in the design picture (report and picture export), drawn as the
//! designer's canvas draws them ([`crate::canvas_annotations`]): group boxes as translucent, titled
//! boxes behind the regions' cards, notes as sticky notes above them.

use meridian_model::Design;
use meridian_model::design::AnnotationKind;

use super::escape::escape;
use super::svg::{Svg, clip, num};
use crate::canvas_annotations::{
    FONT, GROUP_FILL_ALPHA, LINE_H, PAD, TITLE_H, chars_in, color, group_title, lines_in, rect_of, wrap,
};

/// The style sheet of annotations.
pub(super) const CSS: &str = concat!(
    ".annt{font-size:15px;font-weight:600}",
    ".note{stroke:#c9a93a;stroke-width:1.2}",
    ".notet{font-size:15px;fill:#3a3320}",
);

/// The group boxes, to draw before (under) the cards.
pub(super) fn groups(svg: &mut Svg, design: &Design) {
    for a in design.annotations().filter(|a| a.kind != AnnotationKind::Note) {
        let r = rect_of(a);
        let c = color(a.kind).hex();
        svg.begin_group(&format!("{}: {}", a.kind.label(), a.text));
        svg.rect(
            (r.min.x, r.min.y, r.width(), r.height()),
            10.0,
            "ann",
            Some(&format!(
                "fill:{c};fill-opacity:{GROUP_FILL_ALPHA};stroke:{c};stroke-width:1.8;stroke-dasharray:10 5"
            )),
        );
        let title = clip(&group_title(a), chars_in(r.width()));
        svg.raw(&format!(
            r#"<text x="{}" y="{}" class="annt" style="fill:{c}">{}</text>"#,
            num(r.min.x + PAD),
            num(r.min.y + TITLE_H / 2.0 + FONT * 0.35),
            escape(&title)
        ));
        svg.end_group();
    }
}

/// The notes, to draw after (above) the cards.
pub(super) fn notes(svg: &mut Svg, design: &Design) {
    for a in design.annotations().filter(|a| a.kind == AnnotationKind::Note) {
        let r = rect_of(a);
        svg.begin_group(&format!("Note: {}", a.text));
        svg.rect(
            (r.min.x, r.min.y, r.width(), r.height()),
            4.0,
            "note",
            Some(&format!("fill:{}", color(a.kind).hex())),
        );
        for (i, line) in wrap(&a.text, chars_in(r.width()), lines_in(r.height())).iter().enumerate() {
            svg.text(r.min.x + PAD, r.min.y + PAD + FONT + i as f32 * LINE_H, line, "notet", "start");
        }
        svg.end_group();
    }
}
