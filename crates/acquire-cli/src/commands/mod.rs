//! Each subcommand mapped onto the crate's methods.

mod cases;
mod messages;
mod notes;
mod snooze;

use acquire::Client;

use crate::{cli::Command, completions, demo, failure::Failure, output::Printer};

/// Runs one command, printing its result.
pub async fn run(command: Command, printer: Printer) -> Result<(), Failure> {
    match command {
        Command::Demo(args) => demo::run(args, printer).await,
        Command::Completions { shell } => completions::print(shell),
        Command::Doctor(args) => crate::doctor::run(args, Some(printer.output)).await,
        Command::Cases(command) => cases::run(&Client::from_env()?, command, printer).await,
        Command::Messages(command) => messages::run(&Client::from_env()?, command, printer).await,
        Command::Notes(command) => notes::run(&Client::from_env()?, command, printer).await,
        Command::Snooze(command) => snooze::run(&Client::from_env()?, command, printer).await,
    }
}
