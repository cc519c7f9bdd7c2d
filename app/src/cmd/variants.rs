//! `meridian variants`: derive the disaster-recovery strategies from one design and write one
//! design file per strategy.

use meridian_model::cost::{self, CostOptions};
use meridian_model::format;
use meridian_model::variants::{VariantError, derive_all};

use crate::cli::VariantsArgs;
use crate::exit::{self, BadInput};

/// Runs `meridian variants`.
pub fn run(args: &VariantsArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let loaded = format::load_file(&args.file, catalog)?;
    let variants = derive_all(&loaded.design, catalog).map_err(|e| match e {
        VariantError::NoRegion | VariantError::NoStandby(_) => {
            anyhow::Error::new(BadInput(format!("{}: error: {e}", args.file.display())))
        }
        VariantError::Command { .. } => anyhow::Error::new(e),
    })?;
    if args.out.is_file() {
        return Err(
            BadInput(format!("{}: error: --out must be a folder, not a file", args.out.display())).into()
        );
    }
    let paths: Vec<_> =
        variants.iter().map(|v| args.out.join(format!("{}.ron", v.strategy.slug()))).collect();
    if !args.force
        && let Some(p) = paths.iter().find(|p| p.exists())
    {
        return Err(BadInput(format!(
            "{}: error: already exists; use --force to overwrite the variants in {}",
            p.display(),
            args.out.display()
        ))
        .into());
    }
    // Every variant is written before any is moved in, with no `.bak`: a `NAME.ron.bak` of the
    // user's beside them is left alone.
    let mut files = Vec::with_capacity(variants.len());
    for (v, path) in variants.iter().zip(&paths) {
        let header = format!(
            "// {}: derived from {} by `meridian variants`.\n//\n{}",
            v.strategy.label(),
            args.file.display(),
            comment(v.design.description())
        );
        let text = format::to_string(&v.design, &header)?;
        files.push((path.strip_prefix(&args.out).unwrap_or(path).to_path_buf(), text));
    }
    format::write_files(&args.out, &files)?;
    let prices = super::cost::builtin_prices()?;
    crate::outln!(
        "{}: derived {} strategies (rules: docs/strategies.md)",
        args.file.display(),
        variants.len()
    );
    for (v, path) in variants.iter().zip(&paths) {
        let regions = match &v.standby {
            Some(s) => format!("{} + {s}", v.primary),
            None => v.primary.to_string(),
        };
        let bill = cost::bill_with(&v.design, Some(catalog), prices, &CostOptions::default());
        crate::outln!(
            "  wrote {:<40} {:<24} {:<22} ${:>10.2}/month",
            path.display(),
            v.strategy.label(),
            regions,
            bill.total_usd_per_month
        );
    }
    Ok(exit::SUCCESS)
}

/// `text` as `//` comment lines of at most 100 characters.
fn comment(text: &str) -> String {
    let mut lines = vec![String::from("//")];
    for word in text.split_whitespace() {
        let last = lines.len() - 1;
        if lines[last].len() + 1 + word.len() > 100 && lines[last].len() > 2 {
            lines.push(String::from("//"));
        }
        let last = lines.len() - 1;
        lines[last].push(' ');
        lines[last].push_str(word);
    }
    lines.join("\n")
}
