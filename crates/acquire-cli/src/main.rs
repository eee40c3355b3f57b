//! The `acquire` command: Acquire's Cases API from a shell, and the case
//! lifecycle demo against an embedded fake server.

#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    acquire_cli::run()
}
