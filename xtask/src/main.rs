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

use std::{process::ExitCode, time::Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
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
    Interop {
        /// Use a server already running at this base URL (ending in /api/v1)
        /// instead of starting acquire-mock.
        #[arg(long, value_name = "URL")]
        server_url: Option<String>,
        /// API key for --server-url.
        #[arg(long, value_name = "KEY", default_value = "interop-key")]
        api_key: String,
        /// Only the TypeScript half.
        #[arg(long)]
        ts_only: bool,
    },
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
    Schemathesis {
        /// Seed of the generated requests (the same seed sends the same requests).
        #[arg(long, value_name = "N", default_value_t = schemathesis::SEED)]
        seed: u64,
        /// Test cases per operation and phase (150 for a deep run by hand).
        #[arg(
            long,
            value_name = "N",
            default_value_t = schemathesis::MAX_EXAMPLES,
            value_parser = clap::value_parser!(u32).range(1..)
        )]
        examples: u32,
    },
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
    Fuzz {
        /// Seconds per target (20 in CI; 600 or more for a long run).
        #[arg(long, default_value_t = fuzz::DEFAULT_SECONDS)]
        seconds: u64,
        /// Only this target.
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
        /// Build without optimisations: about half the build time, fewer
        /// executions per second (CI's short run).
        #[arg(long)]
        dev: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let start = Instant::now();
    let (name, result) = match cli.task {
        Task::Generate { check } => ("generate", generate::run(check)),
        Task::Check { rules_only } => ("check", check(rules_only)),
        Task::Interop {
            server_url,
            api_key,
            ts_only,
        } => ("interop", interop::run(server_url, &api_key, ts_only)),
        Task::Docs => ("docs", docs::run()),
        Task::Man { out } => ("man", man::run(out)),
        Task::Tools => ("tools", install_tools()),
        Task::Schemathesis { seed, examples } => (
            "schemathesis",
            schemathesis::run(schemathesis::Options { seed, examples }),
        ),
        Task::Bench => ("bench", acquire_bench(&["bench"])),
        Task::Load { args } => {
            let mut all = vec!["load"];
            all.extend(args.iter().map(String::as_str));
            ("load", acquire_bench(&all))
        }
        Task::Fuzz {
            seconds,
            target,
            dev,
        } => ("fuzz", fuzz::run(seconds, target, dev)),
    };
    util::finish("xtask", name, start, result)
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
fn acquire_bench(args: &[&str]) -> Result<()> {
    let mut cmd = util::cargo();
    cmd.current_dir(util::root())
        .args(["run", "--locked", "-q", "-p", "acquire-bench", "--bin"])
        .args(["acquire-bench", "--"])
        .args(args);
    eprintln!("  $ {}", util::show(&cmd));
    let status = cmd.status().context("starting cargo")?;
    anyhow::ensure!(
        status.success(),
        "acquire-bench {} failed ({status})",
        args[0]
    );
    Ok(())
}

fn install_tools() -> Result<()> {
    tools::node()?;
    tools::python()?;
    tools::chromium()?;
    Ok(())
}
