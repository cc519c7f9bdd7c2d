//! `meridian`: design multi-region AWS architectures and find out how they behave and what they cost.
//!
//! `main` parses arguments into a validated [`cli::Cli`], runs the subcommand, and maps the
//! outcome to a documented exit code. Errors are printed once, here.

use meridian::{cli, cmd, exit};

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::parse_from_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(exit::BAD_INPUT) } else { ExitCode::SUCCESS };
        }
    };
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let code = exit::code_for(&err);
            let message = exit::message(&err);
            if code == exit::BAD_INPUT {
                meridian::errln!("{message}");
            } else {
                meridian::errln!("meridian: internal error: {message}");
            }
            ExitCode::from(code)
        }
    }
}
