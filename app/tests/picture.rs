//! `meridian export-picture`: the report's design picture, with AWS icons, as PNG or SVG.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian, workspace_root};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn writes_png_and_svg_by_the_extension_and_refuses_others() {
    let dir = tempfile::tempdir().unwrap();
    let design = workspace_root().join("examples/active-active-2region.ron");
    let design = design.to_str().unwrap();
    let png = dir.path().join("d.png");
    let out = meridian(&["export-picture", design, "--out", png.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(text(&out.stdout).contains("pixels"), "{}", text(&out.stdout));

    let svg = dir.path().join("d.svg");
    let out = meridian(&["export-picture", design, "--out", svg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<use href=\"#icon-"));

    // Exists: refused without --force, replaced with it.
    let again = meridian(&["export-picture", design, "--out", png.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("--force"), "{}", text(&again.stderr));
    let forced =
        meridian(&["export-picture", design, "--out", png.to_str().unwrap(), "--force", "--scale", "0.5"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));

    let jpg = dir.path().join("d.jpg");
    let out = meridian(&["export-picture", design, "--out", jpg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(".svg or .png"), "{}", text(&out.stderr));
    assert!(!jpg.exists());
    let out = meridian(&["export-picture", design, "--out", png.to_str().unwrap(), "--scale", "9"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_has_an_example_and_exit_codes() {
    let out = meridian(&["export-picture", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("Example:") && help.contains("Exit codes:"), "{help}");
}
