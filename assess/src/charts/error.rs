//! Why a chart could not be drawn or written: one error for every chart of the crate (the
//! simulation charts, the frontier, the report's cost bars).

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Plotters failed.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The file name ends in neither `.svg` nor `.png`.
    #[error("{0}: the chart file must end in .svg or .png")]
    Extension(String),
    /// The file could not be written.
    #[error("cannot write {file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The folder for the charts could not be created.
    #[error("cannot create {dir}: {source}")]
    CreateDir {
        /// The folder.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
}

impl ChartError {
    /// A plotters failure, as text.
    pub(crate) fn draw(e: impl std::fmt::Display) -> Self {
        ChartError::Draw(e.to_string())
    }
}
