//! `meridian report` end to end: the report of the reference design rendered by headless Chromium
//! (Debian's `chromium` package, installed by scripts/install-tools.sh) at desktop and at phone width.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{meridian, stderr, stdout, workspace_root};

const SECTIONS: [&str; 7] = [
    "Summary",
    "Targets",
    "Design",
    "Simulation results",
    "Cost breakdown",
    "Compliance findings",
    "Assumptions",
];

fn chromium() -> PathBuf {
    let path = PathBuf::from("/usr/bin/chromium");
    assert!(
        path.exists(),
        "headless Chromium is missing: run scripts/install-tools.sh (scripts/test.sh does)"
    );
    path
}

/// Runs headless Chromium on `page` with `extra` arguments; returns its stdout and stderr.
fn run_chromium(page: &Path, profile: &Path, extra: &[String]) -> (String, String) {
    let url = format!("file://{}", page.display());
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-sync",
            "--disable-component-update",
            "--enable-logging=stderr",
            "--v=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .output()
        .expect("cannot start chromium");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Chromium's log says the page loaded nothing but itself and printed nothing to the console.
fn assert_clean_load(log: &str, page: &Path) {
    let own = format!("file://{}", page.display());
    for line in log.lines() {
        assert!(!line.contains(":CONSOLE"), "console message while loading the report: {line}");
        if let Some(at) = line.find("FileURLLoader::Start: ") {
            let url = &line[at + "FileURLLoader::Start: ".len()..];
            assert_eq!(url.trim(), own, "the report loaded another file: {line}");
        }
        // Chromium's own services (sign-in, updates) fail offline; a failed load of the page's is the concern.
        assert!(!(line.contains("net::ERR_") && line.contains("file://")), "a load failed: {line}");
    }
}

/// Width, height and the standard deviation of the grey level of a PNG file.
fn png_stats(path: &Path) -> (u32, u32, f64) {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("screenshot missing"));
    let mut reader = png::Decoder::new(file).read_info().expect("not a valid PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("PNG too large")];
    let info = reader.next_frame(&mut buf).expect("PNG does not decode");
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let pixels = &buf[..info.buffer_size()];
    let grey: Vec<f64> =
        pixels.chunks(channels).map(|p| p.iter().take(3).map(|v| f64::from(*v)).sum::<f64>() / 3.0).collect();
    let mean = grey.iter().sum::<f64>() / grey.len() as f64;
    let var = grey.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / grey.len() as f64;
    (info.width, info.height, var.sqrt())
}

fn write_report(dir: &Path) -> PathBuf {
    let out = dir.join("report.html");
    let o = meridian(&[
        "report",
        "examples/active-active-2region.ron",
        "--scenario",
        "region-outage",
        "--runs",
        "20",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote "), "{}", stdout(&o));
    out
}

#[test]
fn report_renders_in_headless_chromium_at_desktop_and_phone_width() {
    let dir = tempfile::tempdir().unwrap();
    let page = write_report(dir.path());
    let profile = dir.path().join("profile");

    let (dom, log) = run_chromium(&page, &profile, &["--dump-dom".into()]);
    assert_clean_load(&log, &page);
    for heading in SECTIONS {
        assert!(dom.contains(&format!("<h2>{heading}</h2>")), "section {heading} missing from the DOM");
    }
    assert!(dom.contains("<svg"), "no inline SVG in the DOM");

    for (name, width) in [("desktop", 1280u32), ("phone", 390u32)] {
        let shot = dir.path().join(format!("{name}.png"));
        let (_, log) = run_chromium(
            &page,
            &profile,
            &[format!("--screenshot={}", shot.display()), format!("--window-size={width},2400")],
        );
        assert_clean_load(&log, &page);
        let (w, h, spread) = png_stats(&shot);
        assert_eq!((w, h), (width, 2400), "{name} screenshot has the wrong size");
        assert!(spread > 20.0, "{name} screenshot looks blank (grey-level spread {spread:.1})");
        if let Ok(keep) = std::env::var("MERIDIAN_REPORT_SHOTS") {
            std::fs::copy(&shot, Path::new(&keep).join(format!("report-{name}.png"))).unwrap();
        }
    }
}

#[test]
fn report_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    std::fs::write(&out, "keep me").unwrap();
    let args = [
        "report",
        "examples/pilot-light.ron",
        "--scenario",
        "region-outage",
        "--runs",
        "2",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = meridian(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let mut forced = args.to_vec();
    forced.push("--force");
    let o = meridian(&forced);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<!DOCTYPE html>"));
}

#[test]
fn report_bad_input_exits_2_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = meridian(&["report", "examples/missing.ron", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = meridian(&[
        "report",
        "examples/pilot-light.ron",
        "--scenario",
        "no-such-scenario",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("region-outage"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn report_help_has_example_and_exit_codes() {
    let o = meridian(&["report", "--help"]);
    let text = stdout(&o);
    assert!(text.contains("Example:") && text.contains("meridian report"), "{text}");
    assert!(text.contains("Exit codes:") && text.contains("--force"), "{text}");
    assert!(workspace_root().join("examples/active-active-2region.ron").exists());
}
