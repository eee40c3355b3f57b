//! The `acquire` command: Acquire's Cases API from a shell, and the case
//! lifecycle demo against an embedded fake server.

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod demo;
mod failure;
mod output;
mod parse;
mod table;

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;

use crate::{
    cli::Cli,
    failure::Failure,
    output::{Output, Printer},
};

fn main() -> ExitCode {
    // Parse errors and --help exit here (code 2 for a usage error).
    let cli = Cli::parse();
    let output = cli.output.unwrap_or(if std::io::stdout().is_terminal() {
        Output::Table
    } else {
        Output::Json
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return Failure::Other(format!("cannot start the runtime: {e}")).report(),
    };
    match runtime.block_on(commands::run(cli.command, Printer { output })) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
