//! Streaming exports (issue 18): `export_to` hands each file to a sink as it is rendered. Written
//! into the safe-write module's staging folder and committed, every example's export holds
//! exactly the files of the in-memory `export`, byte for byte, and the summary lists their paths;
//! a sink is given every file once, the region files before `DEPLOY.md` (which needs the others'
//! steps), and never two files under one path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;
use std::path::Path;

use meridian_iac::{
    ExportError, ExportFile, ExportOptions, ExportSink, Format, TemplateSyntax, export, export_to,
};
use meridian_model::catalog::Catalog;
use meridian_model::format::{Staging, load_file};
use meridian_model::synth::{Shape, generate_shaped};

fn examples() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    assert!(v.len() >= 5, "{v:?}");
    v
}

const FORMATS: [(Format, TemplateSyntax); 3] = [
    (Format::CloudFormation, TemplateSyntax::Yaml),
    (Format::CloudFormation, TemplateSyntax::Json),
    (Format::Terraform, TemplateSyntax::Yaml),
];

#[test]
fn every_example_streamed_into_a_staging_folder_equals_the_in_memory_export() {
    let catalog = Catalog::builtin().unwrap();
    for path in examples() {
        let design = load_file(&path, catalog).unwrap().design;
        for (format, syntax) in FORMATS {
            let options = ExportOptions { syntax, policies: Vec::new() };
            let bundle = export(&design, catalog, format, &options).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let mut staging = Staging::begin(&out).unwrap();
            let summary = export_to(&design, catalog, format, &options, &mut staging).unwrap();
            staging.commit().unwrap();
            let paths: Vec<&String> = bundle.files.iter().map(|f| &f.path).collect();
            assert_eq!(summary.files.iter().collect::<Vec<_>>(), paths, "{}", path.display());
            assert_eq!(summary.warnings, bundle.warnings);
            assert_eq!(summary.skipped_checks, bundle.skipped_checks);
            for f in &bundle.files {
                let written = std::fs::read(out.join(&f.path)).unwrap();
                assert!(written == f.bytes(), "{} {:?}: {} differs", path.display(), format, f.path);
            }
            let on_disk = walk(&out);
            assert_eq!(on_disk.len(), bundle.files.len(), "nothing else in the folder: {on_disk:?}");
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { v.extend(walk(&p)) } else { v.push(p) }
    }
    v
}

/// Records the order files arrive in and the largest file.
#[derive(Default)]
struct Order {
    paths: Vec<String>,
    largest: usize,
    total: usize,
}

impl ExportSink for Order {
    fn file(&mut self, file: ExportFile) -> Result<(), ExportError> {
        self.largest = self.largest.max(file.bytes().len());
        self.total += file.bytes().len();
        self.paths.push(file.path);
        Ok(())
    }

    fn restart(&mut self) -> Result<(), ExportError> {
        *self = Order::default();
        Ok(())
    }
}

#[test]
fn a_sink_gets_each_file_once_as_it_is_rendered_and_deploy_md_last() {
    let catalog = Catalog::builtin().unwrap();
    let design = generate_shaped(catalog, 1000, Shape::Spread { max_regions: 1 }).unwrap();
    for (format, syntax) in FORMATS {
        let options = ExportOptions { syntax, policies: Vec::new() };
        let mut sink = Order::default();
        let summary = export_to(&design, catalog, format, &options, &mut sink).unwrap();
        let unique: BTreeSet<&String> = sink.paths.iter().collect();
        assert_eq!(unique.len(), sink.paths.len(), "{format:?}: a path given twice: {:?}", sink.paths);
        assert_eq!(sink.paths.last().map(String::as_str), Some("DEPLOY.md"));
        let mut sorted = sink.paths.clone();
        sorted.sort();
        assert_eq!(sorted, summary.files);
        // Split CloudFormation comes as a parent and parts, no file near the whole.
        if format == Format::CloudFormation {
            assert!(sink.paths.iter().any(|p| p.contains(".part-")), "{:?}", sink.paths);
            assert!(sink.largest * 3 < sink.total, "largest {} of {}", sink.largest, sink.total);
        }
    }
}
