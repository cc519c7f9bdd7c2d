//! A [`Review`] as text for a terminal and as Markdown for a pull-request comment.
//!
//! The Markdown is GitHub-flavoured: a heading with the verdict, a summary line, the table of
//! figures with a marker per row, and collapsed `<details>` for the design changes, the cost
//! breakdown and how each figure is tested. Text from the designs (names, ids, field values) is
//! escaped so that it cannot break a table or inject HTML.

use std::fmt::Write as _;

use meridian_model::diff::Status;

use super::{Figure, Group, Review, Test, Verdict};

impl Verdict {
    /// A word for the text table.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "WORSE",
            Verdict::NotSignificant => "not significant",
            Verdict::Unchanged => "",
            Verdict::OneSide => "one side only",
        }
    }

    /// A marker for the Markdown table.
    fn marker(self) -> &'static str {
        match self {
            Verdict::Better => "🟢 better",
            Verdict::Worse => "🔴 worse",
            Verdict::NotSignificant => "⚪ not significant",
            Verdict::Unchanged => "",
            Verdict::OneSide => "⚪ one side only",
        }
    }
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Added => "+",
        Status::Removed => "-",
        Status::Changed => "~",
    }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

fn or_absent(v: Option<&String>) -> &str {
    v.map_or("(absent)", String::as_str)
}

/// Escapes text for a Markdown table cell: no HTML, no pipes, no line breaks, no code spans.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl Review {
    /// One line: what got worse and better, or that nothing changed significantly.
    pub fn summary(&self) -> String {
        let list = |figs: Vec<&Figure>| {
            figs.iter()
                .map(|f| format!("{} {}", f.label, f.change_text.split(" (95%").next().unwrap_or("")))
                .collect::<Vec<_>>()
        };
        let worse = list(self.worse().collect());
        let better = list(self.better().collect());
        let new = self.new_findings().count();
        let resolved = self.findings.len() - new;
        let mut parts = Vec::new();
        if !worse.is_empty() {
            parts.push(format!("worse: {}", worse.join(", ")));
        }
        if new > 0 {
            parts.push(format!("{new} new data-law finding(s)"));
        }
        let missed: Vec<&str> = self.newly_missed().map(|t| t.target.as_str()).collect();
        if !missed.is_empty() {
            parts.push(format!("target(s) newly missed: {}", missed.join(", ")));
        }
        let met: Vec<&str> =
            self.targets.iter().filter(|t| t.status == "newly met").map(|t| t.target.as_str()).collect();
        if !met.is_empty() {
            parts.push(format!("target(s) newly met: {}", met.join(", ")));
        }
        if !better.is_empty() {
            parts.push(format!("better: {}", better.join(", ")));
        }
        if resolved > 0 {
            parts.push(format!("{resolved} data-law finding(s) resolved"));
        }
        if parts.is_empty() {
            parts.push("no figure changed significantly".to_owned());
        }
        parts.join("; ")
    }

    fn runs_line(&self) -> String {
        format!(
            "scenario {}, {} run(s) per design, seed {} (both designs run the same random streams)",
            self.scenario, self.runs, self.seed
        )
    }

    /// The review as text: design changes, the table of figures, data-law changes, the verdict.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} -> {}", self.before, self.after);
        let _ = writeln!(out, "{}", self.runs_line());
        let _ = writeln!(out, "\nDesign changes: {}", self.structure.summary());
        for c in &self.structure.changes {
            let _ = writeln!(out, "  {} {} {}: {}", mark(c.status), c.section.singular(), c.id, c.label);
            if c.status == Status::Changed {
                for f in &c.fields {
                    let _ = writeln!(
                        out,
                        "      {}: {} -> {}",
                        f.field,
                        or_absent(f.before.as_ref()),
                        or_absent(f.after.as_ref())
                    );
                }
            }
        }
        let rows: Vec<&Figure> = self.figures.iter().collect();
        let w =
            |f: &dyn Fn(&Figure) -> usize, min: usize| rows.iter().map(|r| f(r)).max().unwrap_or(0).max(min);
        let (wl, wb, wa, wc) = (
            w(&|r| r.label.chars().count(), 6),
            w(&|r| r.before_text.chars().count(), 6),
            w(&|r| r.after_text.chars().count(), 5),
            w(&|r| r.change_text.chars().count(), 6),
        );
        let _ = writeln!(
            out,
            "\nFigures\n  {:<wl$}  {:>wb$}  {:>wa$}  {:<wc$}  verdict",
            "figure", "before", "after", "change"
        );
        for r in rows {
            let line = format!(
                "  {:<wl$}  {:>wb$}  {:>wa$}  {:<wc$}  {}",
                r.label,
                r.before_text,
                r.after_text,
                r.change_text,
                r.verdict.word()
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if self.findings.is_empty() {
            let _ = writeln!(out, "\nData law: no violation added or resolved");
        } else {
            let _ = writeln!(out, "\nData law (violations not waived; scenario ones from run 0)");
        }
        for f in &self.findings {
            let _ = writeln!(
                out,
                "  {} {} ({}) {}: {}",
                if f.status == "added" { "+" } else { "-" },
                f.rule,
                f.check,
                f.subject,
                f.message
            );
        }
        if !self.targets.is_empty() {
            let _ = writeln!(out, "\nTargets");
            for t in &self.targets {
                let arrow = format!("{} -> {}", or_dash(&t.before), or_dash(&t.after));
                let _ = writeln!(out, "  {}: {arrow} ({}), {}", t.target, t.status, t.detail);
            }
        }
        let _ = writeln!(out, "\n{}: {}", if self.fails() { "WORSE" } else { "OK" }, self.summary());
        out
    }

    /// The targets in Markdown: a count line, the targets whose verdict changed or that stay
    /// missed as a table, and every target collapsed.
    fn targets_markdown(&self, out: &mut String) {
        let count = |status: &str| self.targets.iter().filter(|t| t.status == status).count();
        let _ = writeln!(
            out,
            "\n**Resilience targets**: {} newly missed, {} newly met, {} still missed, {} met, {} not evaluated by this scenario.",
            count("newly missed"),
            count("newly met"),
            count("still missed"),
            count("met"),
            count("not evaluated")
        );
        let row = |out: &mut String, t: &super::TargetChange| {
            let m = match t.status {
                "newly missed" => "🔴 newly missed",
                "newly met" => "🟢 newly met",
                "still missed" => "⚪ still missed",
                "met" => "met",
                _ => "not evaluated",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {m} | {} |",
                md(&t.target),
                or_dash(&t.before),
                or_dash(&t.after),
                md(&t.detail)
            );
        };
        let head = "| Target | Before | After | | Target and measured after |\n|---|---|---|---|---|";
        let notable: Vec<_> =
            self.targets.iter().filter(|t| !matches!(t.status, "met" | "not evaluated")).collect();
        if !notable.is_empty() {
            let _ = writeln!(out, "\n{head}");
            for t in notable {
                row(out, t);
            }
        }
        let _ = writeln!(out, "\n<details><summary>Every target</summary>\n\n{head}");
        for t in &self.targets {
            row(out, t);
        }
        let _ = writeln!(out, "\n</details>");
    }

    /// The review as a GitHub pull-request comment.
    #[allow(clippy::too_many_lines, reason = "one section of the comment after another, in reading order")]
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let head = if self.fails() {
            "🔴 Meridian: this change makes the design worse"
        } else {
            "🟢 Meridian: nothing got worse"
        };
        let _ = writeln!(out, "### {head}\n");
        let _ = writeln!(out, "**{}**\n", md(&self.summary()));
        let _ = writeln!(out, "`{}` → `{}`, {}.\n", md(&self.before), md(&self.after), md(&self.runs_line()));
        let _ = writeln!(out, "Design changes: {}.\n", md(&self.structure.summary()));
        let _ = writeln!(out, "| Figure | Before | After | Change | |\n|---|---:|---:|---|---|");
        for r in self.figures.iter().filter(|f| f.group != Group::CostBreakdown) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&r.label),
                md(&r.before_text),
                md(&r.after_text),
                md(&r.change_text),
                r.verdict.marker()
            );
        }
        if !self.targets.is_empty() {
            self.targets_markdown(&mut out);
        }
        if !self.findings.is_empty() {
            let _ = writeln!(
                out,
                "\n**Data law**\n\n| | Rule | Where | Check | Finding |\n|---|---|---|---|---|"
            );
            for f in &self.findings {
                let m = if f.status == "added" { "🔴 added" } else { "🟢 resolved" };
                let _ = writeln!(
                    out,
                    "| {m} | {} | {} | {} | {} |",
                    md(&f.rule),
                    md(&f.subject),
                    f.check,
                    md(&f.message)
                );
            }
        }
        if !self.structure.is_empty() {
            let _ = writeln!(
                out,
                "\n<details><summary>Design changes ({})</summary>\n",
                md(&self.structure.summary())
            );
            let _ = writeln!(out, "| | Entity | Field | Before | After |\n|---|---|---|---|---|");
            for c in &self.structure.changes {
                let entity = format!("{} **{}** {}", c.section.singular(), md(&c.id), md(&c.label));
                if c.status == Status::Changed {
                    for (i, f) in c.fields.iter().enumerate() {
                        let who = if i == 0 { entity.as_str() } else { "" };
                        let _ = writeln!(
                            out,
                            "| {} | {who} | {} | {} | {} |",
                            if i == 0 { mark(c.status) } else { "" },
                            md(&f.field),
                            md(or_absent(f.before.as_ref())),
                            md(or_absent(f.after.as_ref()))
                        );
                    }
                } else {
                    let _ = writeln!(
                        out,
                        "| {} | {entity} | {} | | |",
                        if c.status == Status::Added { "➕ added" } else { "➖ removed" },
                        c.fields.len()
                    );
                }
            }
            let _ = writeln!(out, "\n</details>");
        }
        let breakdown: Vec<&Figure> =
            self.figures.iter().filter(|f| f.group == Group::CostBreakdown).collect();
        if !breakdown.is_empty() {
            let _ = writeln!(out, "\n<details><summary>Monthly cost by region and service</summary>\n");
            let _ = writeln!(out, "| Line | Before | After | Change |\n|---|---:|---:|---|");
            for r in breakdown {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    md(&r.label),
                    md(&r.before_text),
                    md(&r.after_text),
                    md(&r.change_text)
                );
            }
            let _ = writeln!(out, "\n</details>");
        }
        let _ = writeln!(out, "\n<details><summary>How changes are judged</summary>\n");
        for (test, text) in TESTS {
            if self.figures.iter().any(|f| f.test == test) {
                let _ = writeln!(out, "- {text}");
            }
        }
        if !self.targets.is_empty() {
            let _ = writeln!(
                out,
                "- Targets: each design's own verdict (met when the measured figure is within the target); a target missed after the change and not before fails the review."
            );
        }
        let _ = writeln!(
            out,
            "- Data law: violations that are not waived, matched by rule and place, added or resolved; the scenario's come from run 0, the same run for both designs."
        );
        let _ = writeln!(out, "\n</details>");
        out
    }
}

const TESTS: [(Test, &str); 4] = [
    (
        Test::PairedRuns,
        "Availability and downtime: paired t-test over runs. Both designs run the same random streams, so run i of one is compared with run i of the other; the change is significant when its 95% interval excludes zero and at least 10 runs differ.",
    ),
    (
        Test::IntervalOverlap,
        "RTO and RPO: the two designs' distribution-free 95% intervals of the percentile do not overlap (outages do not pair across designs).",
    ),
    (
        Test::Tolerance,
        "Latency: a change of more than 1 ms and 2% of the earlier value (the latency model is a fixed network part plus seeded samples).",
    ),
    (
        Test::Exact,
        "Cost: the bill has no randomness; the total counts as worse when it rises by more than the tolerance given (`--cost-tolerance`).",
    ),
];

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markdown_cells_cannot_break_out() {
        assert_eq!(md("a|b<script>`x`\nc"), "a\\|b&lt;script&gt;\\`x\\` c");
    }
}
