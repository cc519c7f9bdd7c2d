//! Exit codes, as documented in `--help` and the README.

/// Success, and nothing was found.
pub const SUCCESS: u8 = 0;
/// The run worked and found something: violations, failed thresholds, warnings denied.
pub const FINDINGS: u8 = 1;
/// Bad input or usage: a file that does not load, an unknown option.
pub const BAD_INPUT: u8 = 2;
/// An internal error: a bug or an environment failure.
pub const INTERNAL: u8 = 3;

/// An error caused by the user's input, already formatted for them; exits with [`BAD_INPUT`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// The exit code for an error: [`BAD_INPUT`] for bad input, [`INTERNAL`] otherwise.
pub fn code_for(err: &anyhow::Error) -> u8 {
    let assess_input = |e: &(dyn std::error::Error + 'static)| {
        e.downcast_ref::<meridian_assess::assessment::AssessError>()
            .is_some_and(meridian_assess::assessment::AssessError::is_bad_input)
    };
    if err
        .chain()
        .any(|e| e.is::<BadInput>() || e.is::<meridian_model::format::LoadError>() || assess_input(e))
    {
        BAD_INPUT
    } else {
        INTERNAL
    }
}
