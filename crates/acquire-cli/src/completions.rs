//! `acquire completions SHELL`: a completion script generated from the
//! command's clap definition, so it always matches the command.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::{cli::Cli, failure::Failure, output::emit};

/// The completion script of `acquire` for `shell`.
pub fn script(shell: Shell) -> String {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// Prints the completion script for `shell` on stdout.
pub fn print(shell: Shell) -> Result<(), Failure> {
    emit(&script(shell))
}
