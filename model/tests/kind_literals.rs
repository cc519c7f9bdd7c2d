//! Kind names are written as string literals only where a kind is named in text: the catalog
//! files (`assets/catalog/`), the serde mapping (`model/src/kind.rs`), and test data. Everywhere
//! else code names a kind as a [`ServiceKind`] variant, so the compiler finds every place a new
//! kind must be decided (see "Adding a kind" in `ARCHITECTURE.md`).
//!
//! This test scans every Rust source file of the workspace, whatever crate it belongs to, and
//! fails naming each `"<kind key>"` literal outside tests (folders named `tests`, `tests.rs`,
//! modules declared under `#[cfg(test)]`), comments, and the mapping itself.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use meridian_model::ServiceKind;

/// The file whose job is to spell the kinds: the serde mapping.
const MAPPING: &str = "model/src/kind.rs";

/// AWS API values that happen to equal a kind's key, with where they are used: the line may hold
/// them, the literal inside them is not a kind.
const AWS_VALUES: [&str; 4] = [
    // VPC Flow Logs delivered to an S3 bucket (CloudFormation and Terraform).
    r#""LogDestinationType": "s3""#,
    r#"log_destination_type = "s3""#,
    // CloudFront origin access control for an S3 origin (CloudFormation and Terraform).
    r#""OriginAccessControlOriginType": "s3""#,
    r#"origin_access_control_origin_type = "s3""#,
];

/// Folders never scanned: build output, installed tools, version control.
const SKIPPED_DIRS: [&str; 5] = ["target", ".tools", ".git", "node_modules", "tests"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, except in skipped folders and `tests.rs` files.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// What a scan of one file's text found: kind literals (line number, line) and the names of
/// modules it declares in other files under `#[cfg(test)]`.
#[derive(Debug, Default, PartialEq)]
struct Scan {
    literals: Vec<(usize, String)>,
    test_modules: Vec<String>,
}

/// Scans `text` for `"<key>"` literals of `keys`, up to an inline `#[cfg(test)] mod` (the test
/// module is the last item of a file), skipping comment lines and [`AWS_VALUES`].
fn scan(text: &str, keys: &[&str]) -> Scan {
    let mut out = Scan::default();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("#[cfg(test)]") {
            let next = lines.peek().map_or("", |(_, l)| l.trim());
            let declared = next.strip_prefix("mod ").or_else(|| next.strip_prefix("pub(crate) mod "));
            match declared.and_then(|m| m.strip_suffix(';')) {
                Some(module) => out.test_modules.push(module.to_owned()),
                None => break,
            }
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let mut code = line.to_owned();
        for v in AWS_VALUES {
            code = code.replace(v, "");
        }
        if keys.iter().any(|k| code.contains(&format!("\"{k}\""))) {
            out.literals.push((n + 1, trimmed.to_owned()));
        }
    }
    out
}

#[test]
fn kind_names_are_literals_only_in_the_catalog_the_mapping_and_tests() {
    let root = workspace_root();
    let keys: Vec<&str> = ServiceKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut scans = Vec::new();
    let mut test_files = BTreeSet::new();
    for f in &files {
        let s = scan(&std::fs::read_to_string(f).unwrap(), &keys);
        let dir = f.parent().unwrap();
        let own = if f.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs") {
            dir.to_owned()
        } else {
            dir.join(f.file_stem().unwrap())
        };
        for m in &s.test_modules {
            test_files.insert(own.join(format!("{m}.rs")));
            test_files.insert(own.join(m).join("mod.rs"));
        }
        scans.push((f, s));
    }
    let mut found = Vec::new();
    for (f, s) in &scans {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if rel == MAPPING || test_files.contains(*f) {
            continue;
        }
        found.extend(s.literals.iter().map(|(n, line)| format!("{rel}:{n}: {line}")));
    }
    assert!(files.len() > 100, "scanned only {} files under {}", files.len(), root.display());
    assert!(
        found.is_empty(),
        "kind names written as string literals outside the catalog, {MAPPING} and tests; name the kind \
         as a ServiceKind variant (or, for text, use its as_str()):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_literals_in_code_and_skips_comments_aws_values_and_test_modules() {
    let text = r#"
fn f(kind: &str) -> bool {
    // A comment may say "dynamodb".
    let _ = json!({"LogDestinationType": "s3"});
    kind == "dynamodb"
}
#[cfg(test)]
mod golden;
fn g() -> &'static str { "sqs" }
#[cfg(test)]
mod tests {
    const K: &str = "alb";
}
"#;
    let s = scan(text, &["dynamodb", "s3", "sqs", "alb"]);
    assert_eq!(
        s,
        Scan {
            literals: vec![
                (5, r#"kind == "dynamodb""#.to_owned()),
                (9, r#"fn g() -> &'static str { "sqs" }"#.to_owned())
            ],
            test_modules: vec!["golden".to_owned()],
        }
    );
}
