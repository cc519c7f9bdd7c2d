//! What the model's integration tests share: the built-in catalog and the reference design.

#![allow(clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::format::load_file;
use meridian_model::{Catalog, Design};

/// The built-in catalog.
pub fn catalog() -> &'static Catalog {
    Catalog::builtin().expect("catalog")
}

/// `examples/active-active-2region.ron`, loaded.
pub fn reference() -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    load_file(&path, catalog()).expect("loads").design
}
