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

/// The exit code for an error: [`BAD_INPUT`] for bad input, [`INTERNAL`] otherwise. Bad input is
/// a [`BadInput`], a file that does not load, an assessment's error that its one
/// classification ([`AssessError::is_bad_input`](meridian_assess::assessment::AssessError::is_bad_input))
/// calls bad input, or a file system error the user's path caused ([`is_users_path`]: an
/// unwritable or missing output folder, a folder where a file goes), anywhere in the error's
/// chain: commands pass their errors on with `?`, so every subcommand follows this one table.
pub fn code_for(err: &anyhow::Error) -> u8 {
    let assess_input = |e: &(dyn std::error::Error + 'static)| {
        e.downcast_ref::<meridian_assess::assessment::AssessError>()
            .is_some_and(meridian_assess::assessment::AssessError::is_bad_input)
    };
    let users_path =
        |e: &(dyn std::error::Error + 'static)| e.downcast_ref::<std::io::Error>().is_some_and(is_users_path);
    if err.chain().any(|e| {
        e.is::<BadInput>() || e.is::<meridian_model::format::LoadError>() || assess_input(e) || users_path(e)
    }) {
        BAD_INPUT
    } else {
        INTERNAL
    }
}

/// The error and its causes on one line, `error: cause: cause`, leaving out a cause whose text
/// the message already holds (errors that print their source themselves).
pub fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.is_empty() {
            text = part;
        } else if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
    }
    text
}

/// Whether a file system error comes from the path the user gave (exit 2) rather than the
/// machine (a full disk, an I/O error: exit 3): no permission, no such folder, a folder where a
/// file goes or the reverse, a read-only file system, a name the file system refuses.
pub fn is_users_path(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::PermissionDenied
            | K::NotFound
            | K::IsADirectory
            | K::NotADirectory
            | K::ReadOnlyFilesystem
            | K::InvalidFilename
            | K::InvalidInput
            | K::DirectoryNotEmpty
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;
    use meridian_assess::assessment::AssessError;

    #[test]
    fn an_assessments_bad_input_exits_2_and_its_other_errors_3_wherever_they_are_in_the_chain() {
        let unknown = || AssessError::UnknownScenario("no-such".into());
        assert_eq!(code_for(&anyhow::Error::new(unknown())), BAD_INPUT);
        let wrapped: anyhow::Result<()> = Err(unknown()).context("comparing designs");
        assert_eq!(code_for(&wrapped.unwrap_err()), BAD_INPUT);
        let cancelled = AssessError::Run(meridian_sim::SimError::Cancelled.into());
        assert_eq!(code_for(&anyhow::Error::new(cancelled)), INTERNAL);
        assert_eq!(code_for(&anyhow::Error::new(AssessError::Embedded("prices".into()))), INTERNAL);
        assert_eq!(code_for(&BadInput("--horizon: bad".into()).into()), BAD_INPUT);
    }

    #[test]
    fn a_message_names_each_cause_once() {
        let io = std::io::Error::from(std::io::ErrorKind::NotADirectory);
        let save = meridian_model::format::SaveError::Io {
            file: "a/b".into(),
            step: "replace the file",
            source: io,
        };
        let wrapped: anyhow::Result<()> = Err(save).context("cannot write a/b");
        let text = message(&wrapped.unwrap_err());
        assert_eq!(text.matches("not a directory").count(), 1, "{text}");
        assert!(text.starts_with("cannot write a/b: a/b: error: could not save"), "{text}");
    }

    #[test]
    fn a_users_unwritable_path_exits_2_and_a_full_disk_3() {
        let save = |kind| meridian_model::format::SaveError::Io {
            file: "out.json".into(),
            step: "write temporary file",
            source: std::io::Error::from(kind),
        };
        let wrapped: anyhow::Result<()> =
            Err(save(std::io::ErrorKind::PermissionDenied)).context("cannot write");
        assert_eq!(code_for(&wrapped.unwrap_err()), BAD_INPUT);
        assert_eq!(code_for(&save(std::io::ErrorKind::IsADirectory).into()), BAD_INPUT);
        assert_eq!(code_for(&save(std::io::ErrorKind::StorageFull).into()), INTERNAL);
    }
}
