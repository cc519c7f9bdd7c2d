//! [`AssessError`]: why an assessment (or the report drawn from it) failed, and the one place
//! that decides whether the user's input is at fault.

use meridian_model::format::LoadError;
use meridian_sim::BUILTIN_NAMES;

use super::Want;
use crate::charts::ChartError;

/// Why a design could not be assessed or its report drawn.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The design or scenario file does not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The scenario is neither built in nor a file.
    #[error("error: `{0}` is neither a built-in scenario ({names}) nor a scenario file (--scenario)", names = BUILTIN_NAMES.join(", "))]
    UnknownScenario(String),
    /// The simulation failed or was cancelled.
    #[error(transparent)]
    Run(#[from] meridian_sim::RunError),
    /// The incident could not be priced.
    #[error(transparent)]
    Incident(#[from] meridian_model::cost::incident::IncidentError),
    /// The served record of run 0 does not fit the design (an internal error).
    #[error(transparent)]
    Record(#[from] meridian_model::compliance::RecordError),
    /// The embedded price snapshot or a shipped policy pack is broken (an internal error).
    #[error("embedded data is broken: {0}")]
    Embedded(String),
    /// A chart or section of the report could not be drawn (an internal error).
    #[error("the report could not be drawn: {0}")]
    Render(#[from] ChartError),
    /// An assessment lacks parts its reader shows (an internal error).
    #[error("the assessment lacks {0:?}, which its reader shows")]
    Missing(Want),
}

impl AssessError {
    /// Whether the error lies in the user's input (a file or a scenario name) rather than in
    /// Meridian: the one classification every command that assesses (compare, report, simulate,
    /// check, batch) and the exit code (`meridian::exit::code_for`) rely on.
    pub fn is_bad_input(&self) -> bool {
        match self {
            AssessError::Load(_) | AssessError::UnknownScenario(_) => true,
            // A design AWS refuses to build (issue 14: an MRSC table of two regions) is the user's.
            AssessError::Run(e) => e.is_bad_input(),
            AssessError::Incident(_)
            | AssessError::Record(_)
            | AssessError::Embedded(_)
            | AssessError::Render(_)
            | AssessError::Missing(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_model::compliance::RecordError;

    fn load_error() -> LoadError {
        LoadError { file: "d.ron".into(), line: 3, col: 5, message: "expected a region".into(), field: None }
    }

    #[test]
    fn files_and_scenario_names_are_bad_input_and_the_rest_is_internal() {
        assert!(AssessError::Load(load_error()).is_bad_input());
        assert!(AssessError::UnknownScenario("no-such".into()).is_bad_input());
        let cancelled = AssessError::Run(meridian_sim::SimError::Cancelled.into());
        assert!(!cancelled.is_bad_input());
        let refused =
            meridian_sim::compile::CompileError::Refused { entity: "link l".into(), why: "x".into() };
        assert!(AssessError::Run(refused.into()).is_bad_input());
        assert!(!AssessError::Embedded("price snapshot".into()).is_bad_input());
        let record = RecordError { scenario: "s".into(), index: 0, message: "no such population".into() };
        assert!(!AssessError::Record(record).is_bad_input());
        assert!(!AssessError::Render(ChartError::Extension("x.gif".into())).is_bad_input());
        assert!(!AssessError::Missing(Want::BILL).is_bad_input());
    }

    #[test]
    fn a_bad_scenario_names_the_built_in_ones() {
        let e = AssessError::UnknownScenario("no-such".into()).to_string();
        assert!(e.contains("no-such") && e.contains("region-outage"), "{e}");
    }
}
