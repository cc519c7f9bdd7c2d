//! `meridian fmt`: rewrite design files in canonical form (entities in id order, one field per line).

use meridian_model::format;

use crate::cli::FmtArgs;
use crate::exit;

/// Runs `meridian fmt`.
pub fn run(args: &FmtArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let mut differ = 0usize;
    let mut failed = 0usize;
    for path in &args.files {
        let loaded = match format::load_file(path, catalog) {
            Ok(l) => l,
            Err(e) => {
                crate::errln!("{e}");
                failed += 1;
                continue;
            }
        };
        let canonical = format::to_string(&loaded.design, &loaded.header)?;
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if canonical == current {
            continue;
        }
        differ += 1;
        if args.check {
            crate::outln!("{}: not in canonical form", path.display());
        } else {
            format::write_atomic(path, &canonical, false)?;
            crate::outln!("{}: formatted", path.display());
        }
    }
    Ok(if failed > 0 {
        exit::BAD_INPUT
    } else if args.check && differ > 0 {
        exit::FINDINGS
    } else {
        exit::SUCCESS
    })
}
