//! `docs/file-format.md` and the loader agree on what an id may contain: the marks the document
//! lists are exactly the ASCII punctuation `check_id` accepts (issue 18: the document once allowed
//! `;`, which the loader refused).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use meridian_model::ids::check_id;

#[test]
fn the_documented_id_marks_are_the_accepted_ones() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/file-format.md")).unwrap();
    let start = doc.find("- Ids are unique within their list").expect("the id rule in docs/file-format.md");
    let rule = &doc[start..start + doc[start..].find("\n- ").unwrap_or(doc.len() - start)];
    let listed_from = rule.find("one of").expect("the rule lists the marks after `one of`");
    let listed_to = rule.find("(`model/src/ids.rs`)").expect("the rule names ids.rs after the marks");
    let mut documented: Vec<char> = rule[listed_from..listed_to]
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|m| m.chars().count() == 1)
        .map(|m| m.chars().next().unwrap())
        .collect();
    documented.sort_unstable();
    let accepted: Vec<char> = (0u8..128)
        .map(char::from)
        .filter(|c| c.is_ascii_punctuation() && check_id(&format!("a{c}b")).is_ok())
        .collect();
    assert_eq!(
        documented, accepted,
        "docs/file-format.md lists {documented:?}; check_id accepts {accepted:?}"
    );
    assert!(
        check_id(&"x".repeat(64)).is_ok() && check_id(&"x".repeat(65)).is_err(),
        "the document says at most 64"
    );
}
