//! The `acquire` command as a library: its clap definition ([`Cli`]) and
//! its man pages ([`man`], written by `cargo xtask man`), and [`run`], all
//! the binary `acquire` does.
//!
//! Everything else (what each subcommand does, how results are printed) is
//! private to the command.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
mod commands;
mod completions;
mod demo;
mod doctor;
mod failure;
pub mod man;
mod output;
mod parse;
mod progress;
mod records;
mod sheet;
mod table;
mod walk;

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;

pub use crate::{cli::Cli, output::Output};
use crate::{failure::Failure, output::Printer};

/// Parses the command line, runs the command and prints its result;
/// returns the exit code (0 success, 1 an API or network error, 2 a usage
/// or configuration error, 3 `acquire doctor` found drift).
pub fn run() -> ExitCode {
    // Parse errors and --help exit here (code 2 for a usage error).
    let cli = Cli::parse();
    let stdout_terminal = std::io::stdout().is_terminal();
    let output = cli.output.unwrap_or(if stdout_terminal {
        Output::Table
    } else {
        Output::Json
    });
    let printer = Printer {
        output,
        progress: progress::allowed(stdout_terminal, std::io::stderr().is_terminal()),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return Failure::Other(format!("cannot start the runtime: {e}")).report(),
    };
    let done = match cli.command {
        // The doctor's report is a table unless --output says otherwise.
        cli::Command::Doctor(args) => runtime.block_on(doctor::run(args, cli.output)),
        command => runtime.block_on(commands::run(command, printer)),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
