//! The README never drifts: every command output and every chart it shows comes from the current
//! binary, and it names no path outside the repository.
//!
//! **Output blocks.** A fenced block whose first line starts with `$ meridian` is an output block:
//! each `$ ` line is a command (a trailing `\` continues it on the next line; `{a,b}` in a word is
//! expanded as the shell would), and the lines up to the next `$ ` line are what it prints on
//! standard output. The test runs the block's commands in order with the binary Cargo built from the
//! current source, in a fresh temporary folder holding a copy of `examples/` (so the README's
//! relative paths work), and compares standard output with the block exactly. A line that is only
//! `...` (indentation allowed) stands for any number of lines left out. Nothing is normalised:
//! the blocks shown print no wall-clock times, rates or temporary paths (a block that did would
//! fail, and would need a normalisation added here). Standard error (progress bars) and exit codes
//! 0 and 1 (findings) are not compared; exit codes 2 and 3 fail the test.
//!
//! A fenced block without a `$` prompt is a usage example and is left alone. A block that shows
//! output but cannot be run is preceded by `<!-- readme-test: skip (why) -->`.
//!
//! **Figures.** `<!-- readme-test: figure SRC -> docs/img/NAME.png -->` right after an output block
//! says that the file SRC its commands wrote is the committed picture; with `after: COMMAND` at the
//! end of the marker the test runs COMMAND for it instead. Charts are drawn by plotters into a
//! bitmap with fonts embedded in the binary (ab_glyph) and encoded by the `png` crate, so they are
//! deterministic and compared byte for byte.
//!
//! **Update mode.** `UPDATE_README=1 cargo test -p meridian --test readme` rewrites every output
//! block (keeping its `...` lines, each shown line replaced by the output line it stands for) and
//! every figure from the binary; then read the prose around a changed block, which may quote its
//! numbers.
//!
//! **Prose.** `<!-- readme-test: the prose next to the block above quotes it; read at HASH -->`
//! records a fingerprint of the block's lines when its prose was last reread. The update leaves it
//! alone, so when a block's figures move the test keeps failing, naming the prose, until someone
//! rereads it, fixes what no longer holds and runs `UPDATE_README=prose cargo test -p meridian
//! --test readme` to record the new fingerprint. Prose numbers are not parsed: a sentence such as
//! "$160 a month more" is a difference of two cells, which only a reader can check.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use similar::TextDiff;
use support::{meridian_bin, workspace_root};

const SKIP: &str = "<!-- readme-test: skip";
const FIGURE: &str = "<!-- readme-test: figure ";
const PROSE: &str = "<!-- readme-test: the prose next to the block above quotes it; read at ";

/// One command of an output block and the lines the README shows for it.
#[derive(Debug, Clone)]
struct Step {
    args: Vec<String>,
    /// Index in the README of the first shown output line.
    first: usize,
    /// Shown output lines (may contain `...`); `None` for a figure's command, whose output the
    /// README does not show.
    shown: Option<Vec<String>>,
}

/// A figure the README shows, made by the binary.
#[derive(Debug, Clone)]
struct Figure {
    src: String,
    dst: String,
}

/// An output block: its commands, and the figures its commands write.
#[derive(Debug, Clone)]
struct Block {
    /// 1-based line of the opening fence, for messages.
    line: usize,
    steps: Vec<Step>,
    figures: Vec<Figure>,
    /// The fingerprint a prose marker after the block records.
    prose: Option<String>,
}

fn is_ellipsis(line: &str) -> bool {
    line.trim() == "..."
}

/// Expands one brace group `pre{a,b}post` in a word, as the shell does.
fn expand_braces(word: &str) -> Vec<String> {
    match (word.find('{'), word.find('}')) {
        (Some(open), Some(close)) if open < close && word[open..close].contains(',') => word[open + 1..close]
            .split(',')
            .map(|alt| format!("{}{alt}{}", &word[..open], &word[close + 1..]))
            .collect(),
        _ => vec![word.to_owned()],
    }
}

/// Splits a command line into arguments after `meridian`.
fn parse_command(text: &str, line: usize) -> Vec<String> {
    assert!(
        !text.contains(['|', '>', '<', ';', '&', '"', '\'', '`']),
        "README.md:{line}: the test runs commands without a shell; `{text}` needs one"
    );
    let mut words = text.split_whitespace();
    assert_eq!(words.next(), Some("meridian"), "README.md:{line}: an output block runs only `meridian`");
    words.flat_map(expand_braces).collect()
}

/// The output blocks and figures of `readme`.
fn parse(readme: &str) -> Vec<Block> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    let mut skip_next = false;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with(SKIP) {
            skip_next = true;
        } else if let Some(rest) = line.strip_prefix(PROSE) {
            let print = rest.trim_end_matches("-->").trim().to_owned();
            blocks.last_mut().expect("a prose marker follows an output block").prose = Some(print);
        } else if let Some(rest) = line.strip_prefix(FIGURE) {
            let rest = rest.trim_end_matches("-->").trim();
            let (pair, after) = match rest.split_once(" after: ") {
                Some((pair, cmd)) => (pair, Some(parse_command(cmd.trim(), i + 1))),
                None => (rest, None),
            };
            let (src, dst) = pair.split_once(" -> ").expect("figure marker: SRC -> DST");
            let figure = Figure { src: src.trim().to_owned(), dst: dst.trim().to_owned() };
            match after {
                Some(args) => blocks.push(Block {
                    line: i + 1,
                    steps: vec![Step { args, first: i, shown: None }],
                    figures: vec![figure],
                    prose: None,
                }),
                None => {
                    blocks.last_mut().expect("a figure marker follows an output block").figures.push(figure);
                }
            }
        } else if line.starts_with("```") {
            let open = i;
            let mut close = open + 1;
            while close < lines.len() && !lines[close].starts_with("```") {
                close += 1;
            }
            let body = &lines[open + 1..close];
            let prompted = body.first().is_some_and(|l| l.starts_with("$ "));
            if prompted && !std::mem::take(&mut skip_next) {
                blocks.push(Block {
                    line: open + 1,
                    steps: parse_steps(body, open + 1),
                    figures: Vec::new(),
                    prose: None,
                });
            } else {
                assert!(
                    !body.iter().skip(1).any(|l| l.starts_with("$ ")),
                    "README.md:{}: a block with `$ ` prompts must start with one",
                    open + 1
                );
                skip_next = false;
            }
            i = close;
        }
        i += 1;
    }
    blocks
}

/// The steps of a block whose lines start at README index `start`.
fn parse_steps(body: &[&str], start: usize) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut k = 0;
    while k < body.len() {
        let mut command = body[k].strip_prefix("$ ").expect("a step starts with `$ `").to_owned();
        while command.ends_with('\\') {
            command.pop();
            k += 1;
            command.push(' ');
            command.push_str(body[k].trim());
        }
        let line = start + k + 1;
        k += 1;
        let first = start + k;
        let mut shown = Vec::new();
        while k < body.len() && !body[k].starts_with("$ ") {
            shown.push(body[k].to_owned());
            k += 1;
        }
        steps.push(Step { args: parse_command(&command, line), first, shown: Some(shown) });
    }
    steps
}

/// Copies the folder `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What running a block gave: each step's standard output lines, and each figure's bytes.
struct Ran {
    outputs: Vec<Vec<String>>,
    figures: Vec<Vec<u8>>,
}

fn run(block: &Block) -> Ran {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace_root().join("examples"), &dir.path().join("examples"));
    let outputs = block
        .steps
        .iter()
        .map(|step| {
            let out = Command::new(meridian_bin()).args(&step.args).current_dir(dir.path()).output().unwrap();
            let code = out.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "README.md:{}: `meridian {}` exited with {code:?}: {}",
                block.line,
                step.args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
        })
        .collect();
    let figures = block
        .figures
        .iter()
        .map(|f| {
            std::fs::read(dir.path().join(&f.src))
                .unwrap_or_else(|e| panic!("README.md:{}: the commands wrote no {}: {e}", block.line, f.src))
        })
        .collect();
    Ran { outputs, figures }
}

/// Whether `actual` matches `shown`, where a `...` line stands for any number of lines.
fn matches(shown: &[String], actual: &[String]) -> bool {
    // reach[j]: shown[..i] can match actual[..j].
    let mut reach = vec![false; actual.len() + 1];
    reach[0] = true;
    for line in shown {
        let mut next = vec![false; actual.len() + 1];
        if is_ellipsis(line) {
            let mut any = false;
            for j in 0..=actual.len() {
                any |= reach[j];
                next[j] = any;
            }
        } else {
            for j in 0..actual.len() {
                next[j + 1] = reach[j] && actual[j] == *line;
            }
        }
        reach = next;
    }
    reach[actual.len()]
}

/// The shown lines rewritten from `actual`: `...` lines kept, each run of shown lines between them
/// replaced by the run of output lines most like it (in order, the first run at the start and the
/// last at the end unless a `...` is there).
fn rewrite(shown: &[String], actual: &[String]) -> Result<Vec<String>, String> {
    if !shown.iter().any(|l| is_ellipsis(l)) {
        return Ok(actual.to_vec());
    }
    // Runs of shown lines between `...` lines: (index in shown, length).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < shown.len() {
        if is_ellipsis(&shown[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < shown.len() && !is_ellipsis(&shown[k]) {
            k += 1;
        }
        runs.push((start, k - start));
    }
    let starts_open = is_ellipsis(&shown[0]);
    let ends_open = shown.last().is_some_and(|l| is_ellipsis(l));
    let similarity = |a: &str, b: &str| f64::from(TextDiff::from_chars(a, b).ratio());
    let n = actual.len();
    // best[r][p]: best total similarity with run r placed at output line p.
    let mut best: Vec<Vec<Option<(f64, usize)>>> = vec![vec![None; n + 1]; runs.len()];
    for (r, &(from, len)) in runs.iter().enumerate() {
        for p in 0..=n.saturating_sub(len) {
            if p + len > n || (r == 0 && !starts_open && p != 0) {
                continue;
            }
            if r + 1 == runs.len() && !ends_open && p + len != n {
                continue;
            }
            let here: f64 = (0..len).map(|t| similarity(&shown[from + t], &actual[p + t])).sum();
            let before = if r == 0 {
                Some((0.0, 0))
            } else {
                let prev_len = runs[r - 1].1;
                (0..=p)
                    .filter(|&q| q + prev_len <= p)
                    .filter_map(|q| best[r - 1][q].map(|(s, _)| (s, q)))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
            };
            if let Some((score, q)) = before {
                best[r][p] = Some((score + here, q));
            }
        }
    }
    let last = runs.len() - 1;
    let mut p = (0..=n)
        .filter_map(|p| best[last][p].map(|(s, _)| (s, p)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .ok_or("the output has fewer lines than the block shows")?
        .1;
    let mut placed = vec![0; runs.len()];
    for r in (0..runs.len()).rev() {
        placed[r] = p;
        p = best[r][p].map_or(0, |(_, q)| q);
    }
    let mut out = shown.to_vec();
    for (r, &(from, len)) in runs.iter().enumerate() {
        for t in 0..len {
            let new = &actual[placed[r] + t];
            if similarity(&shown[from + t], new) < 0.5 {
                return Err(format!("no output line looks like `{}` (best: `{new}`)", shown[from + t]));
            }
            out[from + t].clone_from(new);
        }
    }
    Ok(out)
}

/// `UPDATE_README=1` rewrites blocks and figures; `UPDATE_README=prose` records that the prose
/// next to each changed block was reread.
fn updating() -> bool {
    std::env::var_os("UPDATE_README").is_some_and(|v| !v.is_empty() && v != "0" && v != "prose")
}

fn prose_reread() -> bool {
    std::env::var_os("UPDATE_README").is_some_and(|v| v == "prose")
}

/// The fingerprint of a block's shown lines (FNV-1a, 64 bits): the prose marker records it, so a
/// changed block flags the prose that quotes it until someone rereads that prose.
fn fingerprint(lines: &[String]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in lines.join("\n").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[test]
fn readme_outputs_and_figures_come_from_the_binary() {
    let path = workspace_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let blocks = parse(&readme);
    assert!(blocks.len() >= 5, "the README's output blocks were not found: {blocks:?}");
    // Blocks are independent; run them side by side (the compare block dominates).
    let ran: Vec<Ran> = std::thread::scope(|s| {
        let handles: Vec<_> = blocks.iter().map(|b| s.spawn(move || run(b))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let mut lines: Vec<String> = readme.lines().map(str::to_owned).collect();
    let mut failures = Vec::new();
    // Rewrite from the end, so earlier line indices stay valid.
    for (block, ran) in blocks.iter().zip(&ran).rev() {
        for (step, actual) in block.steps.iter().zip(&ran.outputs).rev() {
            if let Some(shown) = &step.shown {
                if matches(shown, actual) {
                    continue;
                }
                if updating() {
                    match rewrite(shown, actual) {
                        Ok(new) => {
                            lines.splice(step.first..step.first + shown.len(), new);
                        }
                        Err(e) => failures.push(format!(
                            "README.md:{}: `meridian {}`: cannot update this block: {e}; edit it by hand",
                            block.line,
                            step.args.join(" ")
                        )),
                    }
                } else {
                    let diff = TextDiff::from_lines(&shown.join("\n"), &actual.join("\n"))
                        .unified_diff()
                        .header("README.md", "meridian")
                        .to_string();
                    failures.push(format!(
                        "README.md:{}: `meridian {}` prints something else:\n{diff}",
                        block.line,
                        step.args.join(" ")
                    ));
                }
            }
        }
        for (figure, bytes) in block.figures.iter().zip(&ran.figures) {
            let committed = workspace_root().join(&figure.dst);
            if std::fs::read(&committed).ok().as_ref() == Some(bytes) {
                continue;
            }
            if updating() {
                std::fs::write(&committed, bytes).unwrap();
            } else {
                failures.push(format!(
                    "README.md:{}: {} is not what the binary draws now ({} as {})",
                    block.line, figure.dst, figure.src, figure.dst
                ));
            }
        }
        if let Some(recorded) = &block.prose {
            // The block as it now stands in `lines` (rewritten if updating, so found again).
            let open = block.line - 1;
            let close = (open + 1..lines.len()).find(|&k| lines[k].starts_with("```")).unwrap();
            let at = (close..lines.len()).find(|&k| lines[k].starts_with(PROSE)).unwrap();
            let now = fingerprint(&lines[open + 1..close]);
            if prose_reread() {
                lines[at] = format!("{PROSE}{now} -->");
            } else if *recorded != now {
                failures.push(format!(
                    "README.md:{}: the block at line {} changed since the prose next to it was last read; reread that \
                     prose (it quotes the block's figures), fix what no longer holds, then run \
                     `UPDATE_README=prose cargo test -p meridian --test readme` to record it",
                    at + 1,
                    block.line
                ));
            }
        }
    }
    if updating() || prose_reread() {
        let mut text = lines.join("\n");
        text.push('\n');
        if text != readme {
            std::fs::write(&path, text).unwrap();
            eprintln!("README.md updated from the binary: read the prose around each changed block");
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nRun `UPDATE_README=1 cargo test -p meridian --test readme` to rewrite the README from the binary, \
         then check the prose around each changed block.",
        failures.join("\n\n")
    );
}

/// Markdown files that document the project to its users.
fn documents() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut files = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// Absolute paths of a machine, not of the repository: what a reader cannot follow.
fn machine_paths(text: &str) -> Vec<(usize, String)> {
    const PREFIXES: [&str; 6] = ["/work/", "/tmp/", "/root/", "/home/", "/Users/", "C:\\"];
    text.lines()
        .enumerate()
        .filter(|(_, line)| PREFIXES.iter().any(|p| line.contains(p)) || line.contains("/root`"))
        .map(|(i, line)| (i + 1, line.to_owned()))
        .collect()
}

#[test]
fn the_documents_name_no_path_outside_the_repository() {
    let mut found = Vec::new();
    for file in documents() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, content) in machine_paths(&text) {
            found.push(format!("{}:{line}: {content}", file.display()));
        }
    }
    assert!(found.is_empty(), "paths outside the repository:\n{}", found.join("\n"));
}

#[test]
fn the_path_scan_finds_machine_paths_and_passes_repository_paths() {
    assert_eq!(machine_paths("see `/work/shared/x.py`\nrun `scripts/x.py`\n--out /tmp/batch").len(), 2);
    assert!(machine_paths("mounted at `/work` (the image's working folder)").is_empty());
}

#[test]
fn the_matcher_reads_ellipses_as_left_out_lines() {
    let v = |s: &[&str]| s.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(matches(&v(&["a", "...", "d"]), &v(&["a", "b", "c", "d"])));
    assert!(matches(&v(&["a", "  ...", "d"]), &v(&["a", "d"])));
    assert!(!matches(&v(&["a", "d"]), &v(&["a", "b", "d"])));
    assert!(!matches(&v(&["a", "...", "d"]), &v(&["a", "b", "d", "e"])));
    assert!(matches(&v(&["a", "..."]), &v(&["a", "b", "d", "e"])));
}

#[test]
fn the_update_keeps_ellipses_and_follows_changed_numbers() {
    let v = |s: &[&str]| s.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    let shown = v(&["Total: $10.00", "...", "  1  10.00", "  2  10.20", "  ...", " 12  12.40"]);
    let actual =
        v(&["Total: $11.00", "line", "  1  11.00", "  2  11.22", "  3  11.44", " 11  13.40", " 12  13.68"]);
    let new = rewrite(&shown, &actual).unwrap();
    assert_eq!(new, v(&["Total: $11.00", "...", "  1  11.00", "  2  11.22", "  ...", " 12  13.68"]));
    assert!(matches(&new, &actual));
}

#[test]
fn the_parser_finds_prompts_continuations_braces_and_skips() {
    let readme = "```\n$ meridian variants x.ron --out v/\n$ meridian compare v/{a,b}.ron \\\n    --chart f.png\nout 1\n```\n\
                  <!-- readme-test: figure f.png -> docs/img/f.png -->\n\
                  <!-- readme-test: skip (illustrative) -->\n```\n$ meridian nope\nx\n```\n```sh\nmeridian usage\n```\n";
    let blocks = parse(readme);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].steps.len(), 2);
    assert_eq!(blocks[0].steps[1].args, ["compare", "v/a.ron", "v/b.ron", "--chart", "f.png"]);
    assert_eq!(blocks[0].steps[1].shown.as_deref(), Some(&["out 1".to_owned()][..]));
    assert_eq!(blocks[0].figures[0].dst, "docs/img/f.png");
}
