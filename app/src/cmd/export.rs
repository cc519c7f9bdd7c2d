//! `meridian export`: write a design as CloudFormation templates or a Terraform module, and DEPLOY.md,
//! each file streamed into the output's staging folder as it is rendered.

use meridian_iac::{self as iac, ExportOptions, Format, TemplateSyntax};
use std::path::Path;

use meridian_model::format::{self, LoadError};
use serde_json::json;

use crate::cli::{ExportArgs, ExportFormat};
use crate::exit::{self, BadInput};
use meridian_assess::outdir::OutDirError;

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
    let existed = args.out.exists();
    meridian_assess::outdir::prepare(&args.out, args.force).map_err(|e| match e {
        OutDirError::NotAFolder(_) | OutDirError::NotEmpty(_) => anyhow::Error::from(BadInput(format!(
            "{e}{}",
            if matches!(e, OutDirError::NotEmpty(_)) { " (--out DIR, --force)" } else { "" }
        ))),
        other => other.into(),
    })?;
    // Each file goes into the staging folder as soon as it is rendered; the commit moves them
    // all in at once, and an error or interruption before it leaves the folder as it was.
    let written = (|| -> anyhow::Result<iac::ExportSummary> {
        let mut staging = format::Staging::begin(&args.out)?;
        let options = ExportOptions { syntax, policies };
        let summary = iac::export_to(&loaded.design, catalog, format, &options, &mut staging)
            .map_err(|e| located(e, &args.file))?;
        staging.commit()?;
        Ok(summary)
    })();
    if written.is_err() && !existed {
        // The folder this run created, empty again: a failed export leaves no trace.
        let _ = std::fs::remove_dir(&args.out);
    }
    let bundle = written?;
    if args.json {
        let doc = json!({
            "file": args.file.display().to_string(), "out": args.out.display().to_string(),
            "files": bundle.files,
            "warnings": bundle.warnings, "skipped_checks": bundle.skipped_checks,
        });
        crate::outln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for f in &bundle.files {
            crate::outln!("wrote {}", args.out.join(f).display());
        }
        for w in &bundle.warnings {
            crate::errln!("{}: warning: {w}", args.file.display());
        }
        crate::outln!(
            "{} files, {} warnings; see {}",
            bundle.files.len(),
            bundle.warnings.len(),
            args.out.join("DEPLOY.md").display()
        );
    }
    Ok(exit::SUCCESS)
}

/// A name clash as a located error of the design file (exit code 2), pointing at the id of the
/// entity that has the name second (or first, when the second is a resource of the export's own).
fn located(e: iac::ExportError, file: &Path) -> anyhow::Error {
    let iac::ExportError::NameClash { first, second, .. } = &e else { return e.into() };
    let Some(entity) = second.as_ref().or(first.as_ref()) else { return e.into() };
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let map = format::SourceMap::new(&text);
    let (line, col, field) = map.as_ref().map_or((0, 0, None), |m| {
        let at = m.position(entity, Some("id"));
        (at.line, at.col, Some(m.path_of(entity, Some("id"))))
    });
    LoadError { file: file.to_owned(), line, col, message: e.to_string(), field }.into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use meridian_model::design::EntityRef;

    use super::*;

    #[test]
    fn a_name_clash_is_bad_input_located_at_the_id() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../iac/tests/iac/designs/name-clashes.ron");
        let e = iac::ExportError::NameClash {
            file: "region-us-east-1.yaml".into(),
            name: "Key".into(),
            first: None,
            second: Some(EntityRef::Service("key".into())),
        };
        let err = located(e, &file);
        assert_eq!(crate::exit::code_for(&err), crate::exit::BAD_INPUT);
        let l = err.downcast_ref::<LoadError>().unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let line = text.lines().position(|l| l.trim() == "id: \"key\",").unwrap() + 1;
        assert_eq!((l.line, l.field.as_deref()), (line, Some("services[3].id")));
        assert!(l.message.contains("service key") && l.message.contains("`Key`"), "{}", l.message);
    }
}
