//! A small SVG writer: elements appended to a string, every text and attribute value escaped,
//! numbers written with at most two decimals so that output is stable and compact.

use std::fmt::Write as _;

use super::escape::escape;

/// An SVG document being written. Coordinates are user units inside the `viewBox`.
#[derive(Debug, Clone)]
pub struct Svg {
    body: String,
    view_box: (f32, f32, f32, f32),
    title: String,
}

/// A number for an attribute: at most two decimals, no trailing zeros.
pub fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_owned() }
}

impl Svg {
    /// An empty picture showing the rectangle `(x, y, width, height)`, with an accessible title.
    pub fn new(view_box: (f32, f32, f32, f32), title: &str) -> Self {
        Svg { body: String::new(), view_box, title: title.to_owned() }
    }

    /// Appends raw markup that the caller built from escaped parts (e.g. `<defs>`).
    pub fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
    }

    /// A rectangle `(x, y, width, height)` with rounded corners; `class` selects the style.
    pub fn rect(&mut self, (x, y, w, h): (f32, f32, f32, f32), rx: f32, class: &str, style: Option<&str>) {
        let _ = write!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" class="{}""#,
            num(x),
            num(y),
            num(w),
            num(h),
            num(rx),
            escape(class)
        );
        if let Some(s) = style {
            let _ = write!(self.body, r#" style="{}""#, escape(s));
        }
        self.body.push_str("/>");
    }

    /// A circle.
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, class: &str) {
        let _ = write!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" class="{}"/>"#,
            num(cx),
            num(cy),
            num(r),
            escape(class)
        );
    }

    /// A path through `points` (a polyline, or a cubic Bézier when given 4 points and `curve`).
    pub fn path(&mut self, points: &[(f32, f32)], curve: bool, class: &str, marker_end: Option<&str>) {
        let Some((first, rest)) = points.split_first() else { return };
        let mut d = format!("M{} {}", num(first.0), num(first.1));
        if curve && rest.len() == 3 {
            let _ = write!(
                d,
                " C{} {} {} {} {} {}",
                num(rest[0].0),
                num(rest[0].1),
                num(rest[1].0),
                num(rest[1].1),
                num(rest[2].0),
                num(rest[2].1)
            );
        } else {
            for p in rest {
                let _ = write!(d, " L{} {}", num(p.0), num(p.1));
            }
        }
        let _ = write!(self.body, r#"<path d="{d}" class="{}""#, escape(class));
        if let Some(m) = marker_end {
            let _ = write!(self.body, r#" marker-end="url(#{})""#, escape(m));
        }
        self.body.push_str("/>");
    }

    /// Text anchored at `(x, y)` (`anchor` is `start`, `middle` or `end`).
    pub fn text(&mut self, x: f32, y: f32, text: &str, class: &str, anchor: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{}" y="{}" class="{}" text-anchor="{}">{}</text>"#,
            num(x),
            num(y),
            escape(class),
            escape(anchor),
            escape(text)
        );
    }

    /// Opens a group with a tooltip (`<title>`); close it with [`Svg::end_group`].
    pub fn begin_group(&mut self, tooltip: &str) {
        let _ = write!(self.body, "<g><title>{}</title>", escape(tooltip));
    }

    /// Closes the group opened last.
    pub fn end_group(&mut self) {
        self.body.push_str("</g>");
    }

    /// The finished document: an `<svg>` element that scales to its container (viewBox, no fixed
    /// size), with `css` in a `<style>` element.
    pub fn finish(self, css: &str) -> String {
        let (x, y, w, h) = self.view_box;
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" role="img" aria-label="{t}" preserveAspectRatio="xMidYMin meet"><title>{t}</title><style>{css}</style>{}</svg>"#,
            num(x),
            num(y),
            num(w),
            num(h),
            self.body,
            t = escape(&self.title)
        )
    }
}

/// `text` cut to at most `max_chars` characters, with an ellipsis when cut.
pub fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f32::NAN), "0");
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut s = Svg::new((0.0, 0.0, 10.0, 10.0), "a <b> & \"c\"");
        s.text(1.0, 2.0, "x<y & \"z\"", "t\"", "middle");
        s.begin_group("<tip>");
        s.end_group();
        let out = s.finish("");
        assert!(out.contains(">x&lt;y &amp; &quot;z&quot;</text>"), "{out}");
        assert!(out.contains(r#"class="t&quot;""#), "{out}");
        assert!(out.contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"), "{out}");
        assert!(out.contains("<title>&lt;tip&gt;</title>"), "{out}");
        assert!(out.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10""#));
    }

    #[test]
    fn paths_are_lines_or_curves() {
        let mut s = Svg::new((0.0, 0.0, 10.0, 10.0), "t");
        s.path(&[(0.0, 0.0), (1.0, 1.0)], false, "l", Some("arrow"));
        s.path(&[(0.0, 0.0), (1.0, 0.0), (2.0, 1.0), (3.0, 1.0)], true, "c", None);
        s.path(&[], false, "empty", None);
        let out = s.finish("");
        assert!(out.contains(r#"<path d="M0 0 L1 1" class="l" marker-end="url(#arrow)"/>"#), "{out}");
        assert!(out.contains(r#"<path d="M0 0 C1 0 2 1 3 1" class="c"/>"#), "{out}");
        assert!(!out.contains("empty"));
    }

    #[test]
    fn clip_keeps_short_text_and_cuts_long_text() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("äöüß", 3), "äö…");
    }
}
