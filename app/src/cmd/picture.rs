//! `meridian export-picture`: the design picture of the report (schematic, AWS icons) as SVG or
//! PNG, written with the one atomic write.

use anyhow::Context;
use meridian_assess::picture::{self, PictureFormat};
use meridian_model::format::{self, write_atomic};

use crate::cli::ExportPictureArgs;
use crate::exit::{self, BadInput};

/// Runs `meridian export-picture`.
pub fn run(args: &ExportPictureArgs) -> anyhow::Result<u8> {
    let Some(format) = PictureFormat::of_path(&args.out) else {
        return Err(BadInput(format!(
            "{}: error: --out must end in .svg or .png (the picture's format follows the extension)",
            args.out.display()
        ))
        .into());
    };
    if args.out.is_dir() {
        return Err(BadInput(format!("{}: error: --out is a folder, not a file", args.out.display())).into());
    }
    if args.out.exists() && !args.force {
        return Err(BadInput(format!(
            "{}: error: the file exists; choose another --out or pass --force to overwrite",
            args.out.display()
        ))
        .into());
    }
    let catalog = super::catalog()?;
    let loaded = format::load_file(&args.file, catalog)?;
    let (bytes, pixels) = picture::design_picture(&loaded.design, catalog, None, format, args.scale)
        .with_context(|| format!("cannot draw the picture of {}", args.file.display()))?;
    write_atomic(&args.out, &bytes, false).with_context(|| format!("cannot write {}", args.out.display()))?;
    let size = pixels.map_or(String::new(), |(w, h)| format!(", {w}x{h} pixels"));
    crate::outln!("wrote {} ({} KB{size})", args.out.display(), bytes.len().div_ceil(1024));
    Ok(exit::SUCCESS)
}
