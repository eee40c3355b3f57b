//! `cargo xtask`: the maintainers' tasks around the OpenAPI spec.
//!
//! Every external tool is pinned in `xtask/tools/` and installed by the
//! xtask itself into `.cache/tools/` (ignored by git).

#![forbid(unsafe_code)]

mod bundle;
mod docs;
mod findings;
mod fuzz;
mod generate;
mod interop;
mod lint;
mod man;
mod rules;
mod schemathesis;

use std::{ffi::OsStr, process::ExitCode, time::Instant};

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use xtask::{tools, util};

/// Maintainer tasks for the Acquire Cases spec (openapi/acquire-cases.yaml).
#[derive(Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Write every committed generated file (openapi/acquire-cases.json and
    /// the copies of the spec under crates/acquire-api/spec and
    /// crates/acquire-spec/spec).
    Generate {
        /// Write nothing; fail with a diff when a generated file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Check the spec: our rules, then Spectral, Redocly and openapi-spec-validator.
    Check {
        /// Only our own rules (no Node or Python tools).
        #[arg(long)]
        rules_only: bool,
    },
    /// Prove other-language use: TypeScript types compile; a generated Python
    /// client runs a case lifecycle against the fake server.
    Interop(interop::Options),
    /// Build the HTML API reference (target/api-reference.html) and check it
    /// in headless Chromium (screenshot: target/api-reference.png).
    Docs,
    /// Write the man pages of the `acquire` command (acquire.1, and one per
    /// subcommand: acquire-cases-list.1...) from its clap definition.
    Man {
        /// Where to write them (default: target/man).
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
    /// Install (or verify) every pinned tool, without running anything.
    Tools,
    /// Run schemathesis (pinned) against the fake server: zero failures allowed.
    Schemathesis(schemathesis::Options),
    /// Measure what users care about and write BENCHMARKS.md (run by
    /// crates/acquire-bench: `acquire-bench bench`; options in BENCH_ONLY,
    /// BENCH_RUNS, BENCH_QUICK).
    Bench,
    /// The fake server under wrk and the client under concurrent gets:
    /// zero errors, flat memory, no leak (by hand; not in CI). Run by
    /// crates/acquire-bench: `acquire-bench load`, whose flags it takes
    /// (`cargo xtask load --help` lists them).
    #[command(disable_help_flag = true)]
    Load {
        /// Passed on to `acquire-bench load`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the fuzz targets (cargo-fuzz, pinned) and run each for a while;
    /// any crash fails.
    Fuzz(fuzz::Options),
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let start = Instant::now();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result = match cli.task {
        Task::Generate { check } => generate::run(check),
        Task::Check { rules_only } => check(rules_only),
        Task::Interop(options) => interop::run(options),
        Task::Docs => docs::run(),
        Task::Man { out } => man::run(out),
        Task::Tools => install_tools(),
        Task::Schemathesis(options) => schemathesis::run(options),
        Task::Bench => acquire_bench("bench", &[]),
        Task::Load { args } => acquire_bench("load", &args),
        Task::Fuzz(options) => fuzz::run(options),
    };
    let task = matches.subcommand_name().unwrap_or_default();
    util::finish("xtask", task, start, result)
}

fn check(rules_only: bool) -> Result<()> {
    let findings = rules::check()?;
    let ours = findings::report("our rules", &findings);
    if rules_only {
        return ours;
    }
    // The linters run even when our rules fail, so one run shows everything.
    util::both(ours, lint::run())
}

/// The benchmarks live in crates/acquire-bench: its runner (built in the
/// dev profile; it builds what it measures in release) does the work.
fn acquire_bench(task: &str, args: &[String]) -> Result<()> {
    cargo_run(
        &["-p", "acquire-bench", "--bin", "acquire-bench", "--", task],
        args,
    )
}

/// Runs `cargo run --locked -q ARGS MORE` at the root, its output to the
/// terminal.
pub(crate) fn cargo_run(args: &[&str], more: impl IntoIterator<Item: AsRef<OsStr>>) -> Result<()> {
    let mut cmd = util::cargo();
    cmd.current_dir(util::root())
        .args(["run", "--locked", "-q"])
        .args(args)
        .args(more);
    let shown = util::show(&cmd);
    eprintln!("  $ {shown}");
    let status = cmd.status().context("starting cargo")?;
    anyhow::ensure!(status.success(), "`{shown}` failed ({status})");
    Ok(())
}

fn install_tools() -> Result<()> {
    tools::node()?;
    tools::python()?;
    tools::chromium()?;
    Ok(())
}
