//! Lays out a module file as `terraform fmt` does, then proves it parses.
//!
//! hcl-rs's formatter indents by two spaces and writes one space either side of `=`; it does not
//! align. `terraform fmt` (hclwrite's `formatCells`) aligns the `=` of consecutive lines that each
//! hold a whole `key = value` assignment (a line whose value opens a bracket it does not close,
//! a comment, a block header or a blank line ends the run). [`align`] applies that rule to the
//! formatter's output. Checkov skip comments go on the first line inside the resource's block,
//! where checkov reads them. The result is parsed back with hcl-edit, so a file that would not
//! parse is an error here rather than in the user's `terraform init`.

use std::collections::BTreeMap;

use hcl::format::{Format, Formatter};
use hcl::{Block, Body};

/// Formats `body`, adding `#checkov:skip=` comments (`CHECK:reason`) to the blocks in `skips`
/// (by resource address `kind.name`).
pub(crate) fn render(body: &Body, skips: &BTreeMap<String, Vec<String>>) -> Result<String, String> {
    render_with(body, skips, None)
}

/// Rewrites a file's parsed blocks before they are printed again (`child`: references across a
/// child module's edge).
pub(super) type Rewrite<'a> = &'a mut dyn FnMut(&mut hcl_edit::structure::Body);

/// [`render`], then `rewrite` applied to the parsed text, which is printed again (hcl-edit keeps
/// the layout of everything it does not change).
fn render_with(
    body: &Body,
    skips: &BTreeMap<String, Vec<String>>,
    rewrite: Option<Rewrite>,
) -> Result<String, String> {
    let mut f = Formatter::builder().compact_arrays(true).build_vec();
    let text = body.format_string(&mut f).map_err(|e| e.to_string())?;
    let mut lines = Vec::new();
    for line in text.lines() {
        // hcl-rs writes an empty block as `name {    }`; terraform fmt writes `name {}`.
        match line.split_once('{') {
            Some((head, tail)) if tail.trim() == "}" => lines.push(format!("{head}{{}}")),
            _ => lines.push(line.to_owned()),
        }
        if let Some(address) = resource_address(line)
            && let Some(list) = skips.get(&address)
        {
            lines.extend(list.iter().map(|s| format!("  #checkov:skip={s}")));
        }
    }
    let mut out = align(&lines).join("\n");
    out.push('\n');
    let mut parsed = out
        .parse::<hcl_edit::structure::Body>()
        .map_err(|e| format!("the generated HCL does not parse: {e}"))?;
    if let Some(rewrite) = rewrite {
        rewrite(&mut parsed);
        out = parsed.to_string();
    }
    Ok(out)
}

/// [`render`] for a file of top-level `blocks`, one block at a time (so a large file is never
/// held as one body, one text and one parse tree at once): the same text, as the formatter
/// separates top-level blocks by a blank line and a run of aligned assignments never crosses
/// one.
pub(crate) fn render_blocks(
    blocks: Vec<Block>,
    skips: &BTreeMap<String, Vec<String>>,
    mut rewrite: Option<Rewrite>,
) -> Result<String, String> {
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        let body = Body::builder().add_block(block).build();
        let again: Option<Rewrite> = match rewrite.as_mut() {
            Some(r) => Some(&mut **r),
            None => None,
        };
        out.push_str(&render_with(&body, skips, again)?);
    }
    if out.is_empty() {
        return render(&Body::default(), skips);
    }
    Ok(out)
}

/// `aws_s3_bucket.logs` from `resource "aws_s3_bucket" "logs" {`, `data.k.n` from `data "k" "n" {`.
fn resource_address(line: &str) -> Option<String> {
    let (data, rest) = match line.strip_prefix("resource \"") {
        Some(rest) => ("", rest),
        None => ("data.", line.strip_prefix("data \"")?),
    };
    let (kind, name) = rest.strip_suffix("\" {")?.split_once("\" \"")?;
    Some(format!("{data}{kind}.{name}"))
}

/// Aligns the `=` of runs of consecutive single-line assignments.
pub(super) fn align(lines: &[String]) -> Vec<String> {
    let parsed: Vec<Option<(usize, &str)>> = lines.iter().map(|l| assignment(l)).collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if parsed[i].is_none() {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && parsed[i].is_some() {
            i += 1;
        }
        let width = parsed[start..i].iter().flatten().map(|(w, _)| *w).max().unwrap_or(0);
        for (line, p) in lines[start..i].iter().zip(&parsed[start..i]) {
            let Some((w, value)) = p else { continue };
            out.push(format!("{}{}= {value}", &line[..*w], " ".repeat(width - w + 1)));
        }
    }
    out
}

/// For a line `  key = value` whose value is complete on the line: the width of `  key` and
/// the value.
fn assignment(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let key_len = if let Some(quoted) = rest.strip_prefix('"') {
        string_end(quoted)? + 1
    } else {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?
    };
    if key_len == 0 {
        return None;
    }
    let after = &rest[key_len..];
    let eq = after.len() - after.trim_start().len();
    let value = after[eq..].strip_prefix('=')?;
    if value.starts_with('=') {
        return None;
    }
    let value = value.trim_start();
    (net_brackets(value) == 0).then_some((indent + key_len, value))
}

/// The byte offset just past the closing quote of a string whose opening quote was stripped.
fn string_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Opening minus closing brackets outside strings.
fn net_brackets(text: &str) -> i32 {
    let mut net = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            let Some(end) = string_end(&rest[1..]) else { return net };
            rest = &rest[1 + end..];
            continue;
        }
        match c {
            '{' | '[' | '(' => net += 1,
            '}' | ']' | ')' => net -= 1,
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    net
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn aligns_runs_and_breaks_them_at_multi_line_values() {
        let lines: Vec<String> = [
            "resource \"a\" \"b\" {",
            "  bucket = \"x\"",
            "  kms_key_id = aws_kms_key.k.arn",
            "  tags = {",
            "    \"meridian:design\" = \"x\"",
            "    Name = \"${var.a}\"",
            "  }",
            "  a = [1, 2]",
            "}",
        ]
        .map(str::to_owned)
        .to_vec();
        let out = align(&lines);
        assert_eq!(out[1], "  bucket     = \"x\"");
        assert_eq!(out[2], "  kms_key_id = aws_kms_key.k.arn");
        assert_eq!(out[3], "  tags = {");
        assert_eq!(out[4], "    \"meridian:design\" = \"x\"");
        assert_eq!(out[5], "    Name              = \"${var.a}\"");
        assert_eq!(out[7], "  a = [1, 2]");
    }
}
