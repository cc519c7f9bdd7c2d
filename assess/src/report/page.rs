//! The page frame of the report: the inline style sheet (screen, phone width and print) and small
//! writers for tables, figures and key figures. Every piece of text is escaped here.

use std::fmt::Write as _;

use super::escape::escape;

/// The style sheet, inline in the page. Figures and tables never break across printed pages;
/// tables scroll sideways and SVGs scale to the width of the screen.
pub const CSS: &str = r"
:root{--ink:#1c2026;--weak:#5a6474;--line:#d6dce4;--bg:#f6f8fb;--accent:#1e6ed2;--bad:#c62828;--warn:#b26a00;--good:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Ubuntu,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px 20px 48px}
header h1{margin:0 0 4px;font-size:1.9rem;line-height:1.2;overflow-wrap:anywhere}
header p{margin:4px 0;color:var(--weak)}
nav{margin:12px 0 8px;display:flex;flex-wrap:wrap;gap:6px 14px;font-size:.95rem}
nav a{color:var(--accent);text-decoration:none}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:18px 0}
h2{margin:0 0 12px;font-size:1.4rem}
h3{margin:18px 0 8px;font-size:1.1rem}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.figure{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:var(--bg)}
.figure .label{font-size:.85rem;color:var(--weak)}
.figure .value{font-size:1.35rem;font-weight:650;overflow-wrap:anywhere}
.figure .range{font-size:.85rem;color:var(--weak)}
figure{margin:14px 0;break-inside:avoid;page-break-inside:avoid}
figcaption{font-size:.9rem;color:var(--weak);margin-top:4px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
figure svg{display:block;width:100%;height:auto}
.design svg{min-width:760px}
.chart svg{min-width:520px}
table{border-collapse:collapse;width:100%;font-size:.92rem;break-inside:avoid;page-break-inside:avoid}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.key{white-space:nowrap}
td.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem;overflow-wrap:anywhere;min-width:260px}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:.8rem;font-weight:600}
.violation{background:#fde7e7;color:var(--bad)}
.notice{background:#e8f0fc;color:var(--accent)}
.waived{background:#eef3ea;color:var(--good)}
.stale{background:#fff1d6;color:var(--warn)}
.ok{color:var(--good)}
.bad{color:var(--bad)}
dl{display:grid;grid-template-columns:minmax(140px,220px) 1fr;gap:6px 16px;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
.note{color:var(--weak);font-size:.9rem}
footer{color:var(--weak);font-size:.85rem;text-align:center}
@media (max-width:600px){
 main{padding:12px 10px 32px}
 section{padding:14px 12px;border-radius:8px}
 header h1{font-size:1.45rem}
 .figures{grid-template-columns:1fr 1fr;gap:8px}
 .figure .value{font-size:1.1rem}
 dl{grid-template-columns:1fr}
 .design svg{min-width:1000px}
 dt{margin-top:6px}
}
@media print{
 body{background:#fff;font-size:11pt}
 main{max-width:none;padding:0}
 nav{display:none}
 section{border:none;padding:0;margin:0 0 14pt}
 h2{break-after:avoid;page-break-after:avoid}
 h3{break-after:avoid;page-break-after:avoid}
 .scroll{overflow:visible}
 .design svg,.chart svg{min-width:0}
 figure,table,.figure,tr{break-inside:avoid;page-break-inside:avoid}
 a{color:inherit;text-decoration:none}
}
";

/// A table being written: header cells, then rows of already-escaped cells.
#[derive(Debug, Default)]
pub struct Table {
    html: String,
}

/// One cell: text (escaped when written) and whether it is a number (right-aligned).
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text, escaped when written.
    Text(String),
    /// A number, already formatted, right-aligned.
    Num(String),
    /// Markup the caller built from escaped parts (a tag, a `<data>` element).
    Html(String),
    /// A data path in monospace.
    Path(String),
    /// A short identifier (service, region, rule) that should not wrap.
    Key(String),
}

impl Table {
    /// A table with these column headings (a heading starting with `#` is a numeric column).
    pub fn new(headings: &[&str]) -> Self {
        let mut html = String::from(r#"<div class="scroll"><table><thead><tr>"#);
        for h in headings {
            match h.strip_prefix('#') {
                Some(h) => {
                    let _ = write!(html, r#"<th class="num">{}</th>"#, escape(h));
                }
                None => {
                    let _ = write!(html, "<th>{}</th>", escape(h));
                }
            }
        }
        html.push_str("</tr></thead><tbody>");
        Table { html }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.html.push_str("<tr>");
        for c in cells {
            let _ = match c {
                Cell::Text(t) => write!(self.html, "<td>{}</td>", escape(&t)),
                Cell::Num(t) => write!(self.html, r#"<td class="num">{}</td>"#, escape(&t)),
                Cell::Html(h) => write!(self.html, "<td>{h}</td>"),
                Cell::Path(t) => write!(self.html, r#"<td class="path">{}</td>"#, escape(&t)),
                Cell::Key(t) => write!(self.html, r#"<td class="key">{}</td>"#, escape(&t)),
            };
        }
        self.html.push_str("</tr>");
    }

    /// The finished table, in a horizontally scrolling box.
    pub fn finish(mut self) -> String {
        self.html.push_str("</tbody></table></div>");
        self.html
    }
}

/// A figure holding an inline SVG (`class` is `design` or `chart`) with its caption.
pub fn figure(svg: &str, caption: &str, class: &str) -> String {
    format!(
        r#"<figure class="{}"><div class="scroll">{svg}</div><figcaption>{}</figcaption></figure>"#,
        escape(class),
        escape(caption)
    )
}

/// A machine-readable figure: `<data>` with the exact value (Rust's shortest round-trip form) and
/// `key`, showing `shown`. Tests read these back and compare them with the assessment.
pub fn data(key: &str, value: f64, shown: &str) -> String {
    format!(r#"<data data-key="{}" value="{}">{}</data>"#, escape(key), value, escape(shown))
}

/// A key figure card: label, value (markup from [`data`]) and an optional range line.
pub fn key_figure(label: &str, value_html: &str, range: &str) -> String {
    let range = if range.is_empty() {
        String::new()
    } else {
        format!(r#"<div class="range">{}</div>"#, escape(range))
    };
    format!(
        r#"<div class="figure"><div class="label">{}</div><div class="value">{value_html}</div>{range}</div>"#,
        escape(label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_every_cell() {
        let mut t = Table::new(&["name", "#cost"]);
        t.row(vec![Cell::Text("<x>".into()), Cell::Num("1 & 2".into()), Cell::Path("a -> b".into())]);
        let h = t.finish();
        assert!(h.contains("<td>&lt;x&gt;</td>"));
        assert!(h.contains(r#"<td class="num">1 &amp; 2</td>"#));
        assert!(h.contains(r#"<td class="path">a -&gt; b</td>"#));
        assert!(h.contains(r#"<th class="num">cost</th>"#));
    }

    #[test]
    #[allow(clippy::float_cmp)] // The value must round-trip exactly.
    fn data_keeps_the_exact_value() {
        let v = 0.999_876_543_21_f64;
        let h = data("a", v, "99.99%");
        let raw = h.split("value=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(raw.parse::<f64>().unwrap(), v);
    }
}
