//! `meridian bench export`: the time and peak memory of exporting a generated design of N
//! services (the realistic two-region shape) to CloudFormation or Terraform, streamed as
//! `meridian export` streams it: each file is rendered and handed to a sink, which here counts
//! its bytes and drops it (so the figure is the export's memory, not the disk's speed).

use std::time::Instant;

use meridian_iac::{ExportError, ExportFile, ExportOptions, ExportSink, Format};
use meridian_model::synth::{Shape, generate_shaped};

use crate::cli::ExportFormat;
use crate::exit;

/// Runs `meridian bench export`.
pub fn run(services: usize, format: ExportFormat) -> anyhow::Result<u8> {
    let catalog = crate::cmd::catalog()?;
    let design = generate_shaped(catalog, services, Shape::TwoRegions)?;
    let before_mib = peak_rss_mib();
    let format = match format {
        ExportFormat::Cloudformation => Format::CloudFormation,
        ExportFormat::Terraform => Format::Terraform,
    };
    let start = Instant::now();
    let mut sink = Counting::default();
    let bundle = meridian_iac::export_to(&design, catalog, format, &ExportOptions::default(), &mut sink)?;
    let seconds = start.elapsed().as_secs_f64();
    let bytes = sink.bytes;
    crate::outln!(
        "format={} files={} bytes={bytes} warnings={} peak_rss_before_mib={}",
        match format {
            Format::CloudFormation => "cloudformation",
            Format::Terraform => "terraform",
        },
        bundle.files.len(),
        bundle.warnings.len(),
        before_mib.map_or_else(|| "unknown".to_owned(), |m| m.to_string())
    );
    crate::outln!(
        "services={} seconds={seconds:.2} peak_rss_mib={}",
        design.services().len(),
        peak_rss_mib().map_or_else(|| "unknown".to_owned(), |m| m.to_string())
    );
    Ok(exit::SUCCESS)
}

/// A sink that counts the bytes of the files it is given and drops them.
#[derive(Default)]
struct Counting {
    bytes: usize,
}

impl ExportSink for Counting {
    fn file(&mut self, file: ExportFile) -> Result<(), ExportError> {
        self.bytes += file.bytes().len();
        Ok(())
    }

    fn restart(&mut self) -> Result<(), ExportError> {
        self.bytes = 0;
        Ok(())
    }
}

/// The process's peak resident set so far, in MiB (`VmHWM` of `/proc/self/status`; `None` where
/// there is no such file).
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
