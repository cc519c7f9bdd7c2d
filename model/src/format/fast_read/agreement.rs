//! The fast reader and `ron` agree: wherever [`super::read`] accepts a text, `ron` accepts it
//! with the same value, and the outline it makes of a design places every entity where the
//! source map's own reading of the text places it. Checked on every design file of the repository (examples, export test
//! designs, the adversarial corpus), generated designs of both shapes, and seeded mutations of
//! all of them that insert the tokens where the two could part (escapes, raw strings, comments,
//! suffixed and hexadecimal numbers, `Some(`, attributes, Unicode white space, brackets).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use super::super::source_map::outline_agrees;
use super::super::{DesignFile, check_nesting, ron_options, to_string};
use super::read_outlined;
use crate::catalog::Catalog;
use crate::synth::{Shape, generate_shaped};

/// Tokens a mutation inserts: the grammar's edges, where a lenient reader would part from ron.
const TOKENS: &[&str] = &[
    "Some(",
    "None",
    "r#",
    "r\"x\"",
    "br\"x\"",
    "b\"x\"",
    "'c'",
    "\\",
    "\\\"",
    "\\u{41}",
    "0x1F",
    "0b1",
    "1_0",
    "1.0f64",
    "1f32",
    "+1",
    "-1",
    "1e5",
    "1E-3",
    ".5",
    "5.",
    "-0",
    "inf",
    "NaN",
    "4294967296",
    "-",
    ".",
    "+",
    "/* c */",
    "/*",
    "*/",
    "// c\n",
    "//",
    "#![enable(implicit_some)]",
    "#",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\u{0b}",
    "\t",
    "\r\n",
    "é",
    "true",
    "false",
    "()",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "\"",
    "\"x\"",
    "Design",
    "Global",
    "Region(\"eu-west-1\")",
    "Sync",
    "Async",
    "Dependency",
    "x: 1,",
    "count: 2,",
    "name: \"n\",",
    "\"0s\"",
    "\"1h\"",
    "Fixed(value: \"1h\")",
    "Exponential(mean: \"1h\")",
];

/// A small seeded generator (SplitMix64), so a failure names a seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every design file of the repository, by name.
fn design_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["examples", "examples/review", "iac/tests/iac/designs", "app/tests/corpus/bad"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect(dir)
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        paths.sort();
        for p in paths {
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

/// Generated designs of both shapes, as the file format writes them.
fn generated() -> Vec<(String, String)> {
    let catalog = Catalog::builtin().expect("catalog");
    let mut out = Vec::new();
    for (shape, services) in [(Shape::TwoRegions, 40), (Shape::Spread { max_regions: 12 }, 60)] {
        let design = generate_shaped(catalog, services, shape).expect("generates");
        let text = to_string(&design, "// generated\n").expect("writes");
        out.push((format!("{} x{services}", shape.name()), text));
    }
    out
}

/// Checks one text: when the fast reader accepts it, ron accepts it with the same value.
/// Returns whether the fast reader accepted it.
fn agrees(name: &str, text: &str) -> bool {
    if check_nesting(text, Path::new("x.ron")).is_err() {
        return false;
    }
    let Some((fast, outline)) = read_outlined::<DesignFile>(text) else { return false };
    // The map made from the outline places every entity where reading the text places it.
    assert!(outline_agrees(text, &outline), "{name}: the outline and the text's map differ on\n{text}");
    match ron_options().from_str::<DesignFile>(text) {
        Ok(slow) => assert_eq!(fast, slow, "{name}: the readers differ on\n{text}"),
        Err(e) => panic!("{name}: the fast reader accepted what ron refuses ({e}):\n{text}"),
    }
    true
}

#[test]
fn every_design_file_and_generated_design_reads_the_same_and_most_take_the_fast_path() {
    let files = design_files();
    assert!(files.len() > 40, "{}", files.len());
    let mut fast = 0;
    for (name, text) in &files {
        let took_fast = agrees(name, text);
        fast += usize::from(took_fast);
        // Every file ron reads takes the fast path, unless it uses escapes, block comments,
        // `Some(..)`, infinite and NaN numbers, or numbers with a `+` sign.
        if !took_fast && ron_options().from_str::<DesignFile>(text).is_ok() {
            let outside = ["\\", "/*", "Some(", "inf", "NaN", ": +"].iter().any(|s| text.contains(s));
            assert!(outside, "{name} is in the fast reader's subset but did not take the fast path");
        }
    }
    assert!(fast > 30, "{fast} files took the fast path");
    for (name, text) in generated() {
        assert!(agrees(&name, &text), "{name}: a written design takes the fast path");
    }
}

#[test]
fn mutated_design_files_read_the_same_whenever_the_fast_reader_accepts_them() {
    let seed = std::env::var("MERIDIAN_FAST_READ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(18);
    let mut rng = Rng(seed);
    let mut bases = design_files();
    bases.retain(|(_, t)| ron_options().from_str::<DesignFile>(t).is_ok());
    bases.extend(generated());
    let (mut accepted, mut tried) = (0usize, 0usize);
    for round in 0..4000 {
        let (name, base) = &bases[rng.below(bases.len())];
        let mut text = base.clone().into_bytes();
        for _ in 0..=rng.below(3) {
            let at = rng.below(text.len() + 1);
            match rng.below(4) {
                0 => {
                    let end = (at + 1 + rng.below(8)).min(text.len());
                    text.drain(at.min(end)..end);
                }
                1 => {
                    // Into a place where a token starts, so most mutations stay near the grammar.
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    text.splice(at..at, token.iter().copied());
                }
                2 => {
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    let end = (at + 1 + rng.below(6)).min(text.len());
                    text.splice(at.min(end)..end, token.iter().copied());
                }
                _ => {
                    const BYTES: &[u8] = b" ,:()[]{}\"0123456789.-_aeEfrx#/\\";
                    if let Some(b) = text.get_mut(at) {
                        *b = BYTES[rng.below(BYTES.len())];
                    }
                }
            }
        }
        let Ok(text) = String::from_utf8(text) else { continue };
        tried += 1;
        accepted += usize::from(agrees(&format!("{name} (seed {seed}, round {round})"), &text));
    }
    // The mutations must exercise both sides: many still read, many do not.
    assert!(accepted > tried / 10 && accepted < tried * 9 / 10, "{accepted} of {tried} accepted");
}
