//! How results are printed: readable tables, the API's JSON, or CSV.

use std::io::Write;

use clap::ValueEnum;
use indicatif::ProgressDrawTarget;
use serde_json::Value;

use crate::{failure::Failure, progress, sheet::Sheet};

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns for people.
    Table,
    /// The API's JSON for the result, one document per line.
    Json,
    /// CSV (RFC 4180) for spreadsheets and pipes: a header row naming the
    /// columns, then one row per record.
    Csv,
}

/// A result the command can print.
pub trait Render {
    /// The API's JSON for this result (the `data` of the response).
    fn json(&self) -> Result<Value, serde_json::Error>;

    /// The records of this result under their columns: the rows of its
    /// table and of its CSV.
    fn sheet(&self) -> Sheet;

    /// What a table adds under its rows for people (the page, the
    /// participants), ending with a newline; nothing by default.
    fn footer(&self) -> String {
        String::new()
    }

    /// Lines for people, ending with a newline.
    fn table(&self) -> String {
        self.sheet().table().render() + &self.footer()
    }
}

/// Prints results in one format.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    /// The format.
    pub output: Output,
    /// Whether long walks may draw progress on stderr (see
    /// [`progress::allowed`]).
    pub progress: bool,
}

impl Printer {
    /// The text of one result in this format.
    pub fn format(&self, value: &impl Render) -> Result<String, Failure> {
        Ok(match self.output {
            Output::Json => format!("{}\n", value.json()?),
            Output::Table => value.table(),
            Output::Csv => value.sheet().csv(true)?,
        })
    }

    /// Prints one result.
    pub fn show(&self, value: &impl Render) -> Result<(), Failure> {
        emit(&self.format(value)?)
    }

    /// Prints a step of the demo: a heading then the table, or one JSON line
    /// `{"step": key, "result": ..}` (the demo refuses CSV before its first
    /// step).
    pub fn step(&self, key: &str, title: &str, value: &impl Render) -> Result<(), Failure> {
        match self.output {
            // `step` first, for people reading the lines.
            Output::Json => emit(&format!(
                "{{\"step\":{},\"result\":{}}}\n",
                Value::from(key),
                value.json()?
            )),
            Output::Table => emit(&format!("\n== {title}\n{}", value.table())),
            Output::Csv => self.show(value),
        }
    }

    /// Prints a line for people (nothing in JSON or CSV).
    pub fn note(&self, text: &str) -> Result<(), Failure> {
        match self.output {
            Output::Json | Output::Csv => Ok(()),
            Output::Table => emit(&format!("{text}\n")),
        }
    }

    /// Where a long walk draws its progress: stderr when progress is
    /// allowed, nowhere otherwise.
    pub fn progress_target(&self) -> ProgressDrawTarget {
        progress::target(self.progress, ProgressDrawTarget::stderr)
    }
}

/// Writes to standard output at once.
pub fn emit(text: &str) -> Result<(), Failure> {
    write(&mut std::io::stdout().lock(), text)
}

/// Writes to `out` at once.
pub fn write(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Failure::Output)
}
