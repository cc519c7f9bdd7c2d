//! `meridian export`: write a design as CloudFormation templates or a Terraform module, and DEPLOY.md.

use std::path::Path;

use anyhow::Context;
use meridian_model::format::{self, write_atomic};
use meridian_model::iac::{self, ExportOptions, Format, TemplateSyntax};
use serde_json::json;

use crate::cli::{ExportArgs, ExportFormat};
use crate::exit::{self, BadInput};

/// Runs `meridian export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let policies =
        if args.policies.is_empty() { Vec::new() } else { super::check::policies(&args.policies)? };
    let loaded = format::load_file(&args.file, catalog)?;
    let format = match args.format {
        ExportFormat::Cloudformation => Format::CloudFormation,
        ExportFormat::Terraform => Format::Terraform,
    };
    if args.template_json && format == Format::Terraform {
        return Err(BadInput("error: --template-json applies to --format cloudformation only".into()).into());
    }
    let syntax = if args.template_json { TemplateSyntax::Json } else { TemplateSyntax::Yaml };
    let bundle = iac::export(&loaded.design, catalog, format, &ExportOptions { syntax, policies })?;
    prepare(&args.out, args.force)?;
    for f in &bundle.files {
        let path = args.out.join(&f.path);
        write_atomic(&path, &f.contents, false)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if args.json {
        let doc = json!({
            "file": args.file.display().to_string(), "out": args.out.display().to_string(),
            "files": bundle.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
            "warnings": bundle.warnings, "skipped_checks": bundle.skipped_checks,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for f in &bundle.files {
            println!("wrote {}", args.out.join(&f.path).display());
        }
        for w in &bundle.warnings {
            eprintln!("{}: warning: {w}", args.file.display());
        }
        println!(
            "{} files, {} warnings; see {}",
            bundle.files.len(),
            bundle.warnings.len(),
            args.out.join("DEPLOY.md").display()
        );
    }
    Ok(exit::SUCCESS)
}

/// Creates `out`, refusing a folder that has files unless `force`.
fn prepare(out: &Path, force: bool) -> anyhow::Result<()> {
    if out.exists() {
        if !out.is_dir() {
            return Err(BadInput(format!("{}: error: --out is not a folder", out.display())).into());
        }
        let busy = std::fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_some();
        if busy && !force {
            return Err(BadInput(format!(
                "{}: error: the folder is not empty; choose another --out or pass --force to overwrite",
                out.display()
            ))
            .into());
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))
}
