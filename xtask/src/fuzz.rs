//! `cargo xtask fuzz`: builds the libFuzzer targets of `fuzz/` and runs each
//! for a bounded time; any crash fails the task.
//!
//! - cargo-fuzz is pinned ([`tools::CARGO_FUZZ_VERSION`]) and installed
//!   with `cargo install --locked` into `.cache/tools/cargo-fuzz/` (ignored
//!   by git, like the other pinned tools, and out of the user's own
//!   `~/.cargo/bin`).
//! - cargo-fuzz needs nightly-only compiler flags; on a stable toolchain
//!   they are unlocked with `RUSTC_BOOTSTRAP=1` for these builds only.
//! - Each target's corpus lives in `fuzz/corpus/<target>/` (ignored by git,
//!   kept between runs so long runs build on each other); it is seeded at
//!   every run from the spec's example files, so the seeds follow the spec.
//! - A crash leaves its input in `fuzz/artifacts/<target>/`; the task
//!   prints it and the command that replays it.

use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use acquire_spec::Spec;
use anyhow::{bail, Context, Result};

use crate::{
    tools,
    util::{self, capture, run_inherit, run_ok},
};

/// What to fuzz, and for how long.
#[derive(clap::Args)]
pub struct Options {
    /// Seconds per target (15 in CI; 600 or more for a long run).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Only this target.
    #[arg(long, value_name = "NAME")]
    target: Option<String>,
    /// Build without optimisations: about half the build time, fewer
    /// executions per second (CI's short run).
    #[arg(long)]
    dev: bool,
}

const BUILD_TIMEOUT: Duration = Duration::from_secs(3600);

/// `cargo fuzz ARGS`, run from the workspace root.
fn cargo_fuzz(program: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    // Run as `cargo-fuzz fuzz ...`, the way cargo calls a subcommand.
    cmd.arg("fuzz").args(args).current_dir(util::root());
    cmd.env("RUSTC_BOOTSTRAP", "1");
    cmd
}

/// The targets declared in `fuzz/Cargo.toml`.
fn targets(program: &Path) -> Result<Vec<String>> {
    let out = run_ok(
        &mut cargo_fuzz(program, &["list"]),
        Duration::from_secs(120),
    )?;
    let names: Vec<String> = out.stdout.split_whitespace().map(str::to_owned).collect();
    if names.is_empty() {
        bail!("`cargo fuzz list` lists no target");
    }
    Ok(names)
}

/// Copies the seeds of `target` into its corpus; returns how many.
fn seed_corpus(target: &str, corpus: &Path) -> Result<usize> {
    util::create_dir(corpus)?;
    let files = Spec::load(util::root().join(util::SPEC_YAML))?.example_files_on_disk()?;
    if files.is_empty() {
        bail!("no seed for {target}: no example file under openapi/examples");
    }
    for file in &files {
        let name = util::rel(file).replace(['/', '\\'], "_");
        // Every target reads JSON first; the webhook target's input is a
        // body, so every example is a seed for each.
        std::fs::copy(file, corpus.join(format!("seed-{name}")))
            .with_context(|| format!("copying {}", file.display()))?;
    }
    Ok(files.len())
}

/// What one run of a target printed that matters.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Inputs executed (`stat::number_of_executed_units`, else `#N DONE`).
    pub executions: Option<u64>,
    /// Executions per second (`stat::average_exec_per_sec`).
    pub per_second: Option<u64>,
    /// Corpus size at the end (`#N DONE ... corp: X/`).
    pub corpus: Option<u64>,
    /// Crash artifacts libFuzzer wrote (`Test unit written to ...`).
    pub artifacts: Vec<String>,
}

/// Reads libFuzzer's output.
pub fn parse_stats(output: &str) -> Stats {
    let mut stats = Stats::default();
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("stat::number_of_executed_units:") {
            stats.executions = rest.trim().parse().ok();
        } else if let Some(rest) = line.strip_prefix("stat::average_exec_per_sec:") {
            stats.per_second = rest.trim().parse().ok();
        } else if let Some(rest) = line.strip_prefix('#') {
            let mut words = rest.split_whitespace();
            let count = words.next().and_then(|n| n.parse::<u64>().ok());
            if words.next() == Some("DONE") {
                if stats.executions.is_none() {
                    stats.executions = count;
                }
                let corp = rest.split_whitespace().skip_while(|w| *w != "corp:").nth(1);
                stats.corpus = corp.and_then(|c| c.split('/').next()?.parse().ok());
            }
        } else if let Some(rest) = line.split("Test unit written to ").nth(1) {
            stats.artifacts.push(rest.trim().to_owned());
        }
    }
    stats
}

/// Builds every target (unoptimised with `--dev`), then runs the chosen
/// one (or each target) for `--seconds`.
pub fn run(options: Options) -> Result<()> {
    let Options {
        seconds,
        target,
        dev,
    } = options;
    let program = tools::cargo_fuzz()?;
    let all = targets(&program)?;
    let chosen: Vec<String> = match target {
        Some(name) if all.contains(&name) => vec![name],
        Some(name) => bail!(
            "no fuzz target `{name}`; the targets are {}",
            all.join(", ")
        ),
        None => all,
    };
    // `cargo fuzz build|run --sanitizer none [--dev]`
    let dev: &[&str] = if dev { &["--dev"] } else { &[] };
    let cargo_fuzz = |task| cargo_fuzz(&program, &[&[task, "--sanitizer", "none"], dev].concat());

    let start = Instant::now();
    let mut build = cargo_fuzz("build");
    if let [one] = chosen.as_slice() {
        // One target, or none for all of them.
        build.arg(one);
    }
    run_inherit(&mut build, BUILD_TIMEOUT).context("building the fuzz targets")?;
    let elapsed = start.elapsed().as_secs_f64();
    eprintln!("fuzz targets built in {elapsed:.1} s");

    let mut summary = Vec::new();
    let mut crashed = Vec::new();
    let fuzz_dir = util::root().join("fuzz");
    for target in &chosen {
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeded = seed_corpus(target, &corpus)?;
        let artifacts = fuzz_dir.join("artifacts").join(target);
        util::create_dir(&artifacts)?;
        eprintln!("fuzzing {target} for {seconds} s ({seeded} seed files) ...");
        let mut cmd = cargo_fuzz("run");
        cmd.arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-timeout=10")
            .arg("-rss_limit_mb=2048")
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", artifacts.display()));
        // Generous: libFuzzer stops itself; the margin covers a rebuild check.
        let out = capture(&mut cmd, Duration::from_secs(seconds * 2 + 600))?;
        let output = out.both();
        let stats = parse_stats(&output);
        let shown = |n: Option<u64>, none: &str| n.map_or(none.to_owned(), |n| n.to_string());
        let line = format!(
            "{target}: {} executions in {seconds} s ({} /s), corpus {}",
            shown(stats.executions, "unknown"),
            shown(stats.per_second, "?"),
            shown(stats.corpus, "?"),
        );
        if out.status.success() && stats.artifacts.is_empty() && stats.executions.is_some() {
            summary.push(line);
            continue;
        }
        // Show the end of the output: the panic, the stack, the input.
        let tail: Vec<&str> = output.lines().rev().take(60).collect();
        for l in tail.into_iter().rev() {
            eprintln!("    {l}");
        }
        for artifact in &stats.artifacts {
            eprintln!(
                "  replay: RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none {target} {artifact}"
            );
        }
        summary.push(format!("{line}: FAILED ({})", out.status));
        crashed.push(target.clone());
    }
    for line in &summary {
        println!("{line}");
    }
    if !crashed.is_empty() {
        bail!("fuzzing failed: {}", crashed.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_final_stats() {
        let output = "INFO: Seed: 1\n\
            #2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb\n\
            #123456\tDONE   cov: 2233 ft: 9000 corp: 812/90Kb lim: 4096 exec/s: 6172 rss: 400Mb\n\
            Done 123456 runs in 21 second(s)\n\
            stat::number_of_executed_units: 123457\n\
            stat::average_exec_per_sec:     5878\n\
            stat::new_units_added:          700\n";
        let stats = parse_stats(output);
        assert_eq!(stats.executions, Some(123_457));
        assert_eq!(stats.per_second, Some(5878));
        assert_eq!(stats.corpus, Some(812));
        assert!(stats.artifacts.is_empty());
    }

    #[test]
    fn reads_a_crash() {
        let output = "thread '<unnamed>' panicked at x.rs:1:1:\nboom\n\
            ==1== ERROR: libFuzzer: deadly signal\n\
            artifact_prefix='fuzz/artifacts/t/'; Test unit written to fuzz/artifacts/t/crash-abc\n\
            #99\tDONE cov: 1 ft: 1 corp: 3/10b\n";
        let stats = parse_stats(output);
        assert_eq!(stats.artifacts, vec!["fuzz/artifacts/t/crash-abc"]);
        assert_eq!(stats.executions, Some(99));
        assert_eq!(stats.corpus, Some(3));
    }
}
