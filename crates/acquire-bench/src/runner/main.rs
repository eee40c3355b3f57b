//! `acquire-bench`: the benchmark runner. `cargo xtask bench` and
//! `cargo xtask load` run it (`cargo run -p acquire-bench --bin
//! acquire-bench -- bench|load ...`); it builds the benchmark programs of
//! this crate and the fake server in release mode, runs them, and writes
//! `BENCHMARKS.md` and `benchmarks.svg`.

#![forbid(unsafe_code)]

mod bench;
mod load;

use std::{process::ExitCode, time::Instant};

use clap::{Parser, Subcommand};
// Workspace paths, commands, the fake server guard and the pinned tools:
// xtask's shared piece, one copy for both.
use xtask::{tools, util};

/// The benchmarks of the Acquire SDK.
#[derive(Parser)]
#[command(name = "acquire-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Measure what users care about and write BENCHMARKS.md; options come
    /// from the environment: BENCH_ONLY (items, or `report`), BENCH_RUNS,
    /// BENCH_QUICK (see crates/acquire-bench/README.md).
    Bench,
    /// The fake server under wrk and the client under concurrent gets:
    /// zero errors, flat memory, no leak (by hand; not in CI).
    Load(load::Args),
}

fn main() -> ExitCode {
    let start = Instant::now();
    let (name, result) = match Cli::parse().task {
        Task::Bench => ("bench", bench::run()),
        Task::Load(args) => ("load", load::run(&args)),
    };
    util::finish("acquire-bench", name, start, result)
}
