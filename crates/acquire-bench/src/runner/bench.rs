//! `acquire-bench bench` (what `cargo xtask bench` runs): measures what
//! users care about and writes `BENCHMARKS.md` (with the chart
//! `benchmarks.svg`) at the workspace root.
//!
//! Items (numbers as in BENCHMARKS.md):
//! 1. `overhead`: the ergonomic client vs raw reqwest + serde_json.
//! 2. `decode`: documented examples into the generated types vs `Value`.
//! 3. `prism`: the fake server vs Prism mocking the same spec, with wrk.
//! 4. `stream`: the pagination stream at 1,000 and 10,000 cases, peak RSS.
//! 5. `build`: cold build of `acquire-api` vs the same dependencies without
//!    a build script.
//!
//! Options come from the environment (the subcommand takes no flags):
//! - `BENCH_QUICK=1`: one run per figure and shorter measurements, to try
//!   the machinery; the report says so.
//! - `BENCH_ONLY=decode,prism` (names or numbers): run only those items; the
//!   other sections are kept from the existing BENCHMARKS.md, which embeds
//!   its data for that purpose.
//! - `BENCH_ONLY=report`: measure nothing; rewrite the report and the chart
//!   from the data embedded in BENCHMARKS.md.
//! - `BENCH_RUNS=N`: runs per figure (default 3, quick 1).
//!
//! The machine is shared and noisy: every figure is the median of several
//! runs, and the two sides of every ratio run alternately in the same
//! invocation.

mod build;
mod chart;
mod decode;
mod overhead;
mod prism;
mod proc;
mod report;
mod stream;

use std::{process::Command, time::Duration};

use anyhow::{bail, Context, Result};

use crate::util::{self, run_inherit};

pub use report::{Ratio, Section};

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Fewer runs and shorter measurements.
    pub quick: bool,
    /// Runs per figure.
    pub runs: usize,
    /// The items to run, by key.
    pub only: Vec<&'static str>,
}

/// Every item: key, number, how to run it.
const ITEMS: &[(&str, u8)] = &[
    ("overhead", 1),
    ("decode", 2),
    ("prism", 3),
    ("stream", 4),
    ("build", 5),
];

impl Options {
    /// Reads `BENCH_QUICK`, `BENCH_ONLY` and `BENCH_RUNS`.
    pub fn from_env() -> Result<Self> {
        let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
        let runs = match std::env::var("BENCH_RUNS") {
            Ok(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .with_context(|| format!("BENCH_RUNS must be a whole number >= 1, not {v:?}"))?,
            Err(_) => {
                if quick {
                    1
                } else {
                    3
                }
            }
        };
        let only = match std::env::var("BENCH_ONLY") {
            Ok(list) if !list.trim().is_empty() => {
                let mut keys = Vec::new();
                for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                    if word == "report" {
                        continue;
                    }
                    let Some((key, _)) = ITEMS
                        .iter()
                        .find(|(key, number)| *key == word || number.to_string() == word)
                    else {
                        bail!(
                            "BENCH_ONLY: unknown item {word:?}; known: {}",
                            ITEMS
                                .iter()
                                .map(|(k, n)| format!("{n}={k}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    };
                    keys.push(*key);
                }
                keys
            }
            _ => ITEMS.iter().map(|(key, _)| *key).collect(),
        };
        Ok(Self { quick, runs, only })
    }

    /// How the figures were taken, for the report.
    pub fn mode(&self) -> String {
        format!(
            "{}{} run{} per figure",
            if self.quick { "quick, " } else { "" },
            self.runs,
            if self.runs == 1 { "" } else { "s" }
        )
    }
}

/// Runs the task.
pub fn run() -> Result<()> {
    let options = Options::from_env()?;
    eprintln!("bench: {} ({})", options.only.join(", "), options.mode());
    let root = util::root();
    let report_path = root.join("BENCHMARKS.md");
    let mut sections = report::read_sections(&report_path)?;
    let machine = report::Machine::probe()?;
    if !options.only.is_empty() {
        build_binaries()?;
    }

    let mut failures = Vec::new();
    for key in &options.only {
        eprintln!("\n== bench {key} ==");
        let result = match *key {
            "overhead" => overhead::run(&options),
            "decode" => decode::run(&options),
            "prism" => prism::run(&options),
            "stream" => stream::run(&options),
            "build" => build::run(&options),
            other => bail!("no item {other}"),
        };
        match result {
            Ok(mut section) => {
                section.mode = format!(
                    "{}; load average (1, 5, 15 min) when it ended: {}",
                    if section.mode.is_empty() {
                        options.mode()
                    } else {
                        section.mode.clone()
                    },
                    report::load_average()
                );
                section.date = machine.date.clone();
                for ratio in &section.ratios {
                    eprintln!("bench {key}: {}", ratio.describe());
                }
                sections.retain(|s| s.key != section.key);
                sections.push(section);
                sections.sort_by_key(|s| s.number);
                // Written after every item, so a later failure loses nothing.
                report::write(&report_path, &machine, &sections)?;
            }
            Err(e) => {
                eprintln!("bench {key}: FAILED: {e:#}");
                failures.push(format!("{key}: {e:#}"));
            }
        }
    }
    report::write(&report_path, &machine, &sections)?;
    eprintln!("\nwrote {} and benchmarks.svg", util::rel(&report_path));
    if !failures.is_empty() {
        bail!(
            "{} item(s) could not be measured:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    Ok(())
}

/// The release binaries every item runs: the benchmark programs and the fake.
pub fn build_binaries() -> Result<()> {
    run_inherit(
        util::cargo().current_dir(util::root()).args([
            "build",
            "--release",
            "--locked",
            "-p",
            "acquire-bench",
            "-p",
            "acquire-mock",
        ]),
        Duration::from_secs(3600),
    )
    .context("building the benchmark programs")
}

/// A release binary of the workspace.
pub fn release_bin(name: &str) -> std::path::PathBuf {
    util::target_dir().join("release").join(name)
}

/// The runner's scratch folder for `item` (under the target directory).
pub fn scratch(item: &str) -> std::path::PathBuf {
    util::target_dir().join("acquire-bench").join(item)
}

/// What `program args` prints (trimmed), or `unknown`.
pub fn report_version(program: &str, args: &[&str]) -> String {
    util::capture(Command::new(program).args(args), Duration::from_secs(60))
        .ok()
        .filter(|out| out.status.success())
        .map(|out| out.stdout.trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

/// The median of `values` (mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// `a[i] / b[i]` for each pair (figures taken at the same time, so at the
/// same load).
pub fn ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| a / b).collect()
}

/// The median of [`ratios`]: how a ratio of this report is taken.
pub fn paired_median(a: &[f64], b: &[f64]) -> f64 {
    median(&ratios(a, b))
}

/// The 25th and 75th percentiles of `values` (linear interpolation).
pub fn quartiles(values: &[f64]) -> (f64, f64) {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let pos = q * (sorted.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
    };
    (at(0.25), at(0.75))
}

/// A duration in nanoseconds, readable (`812 ns`, `12.3 µs`, `4.56 ms`, `2.1 s`).
pub fn fmt_ns(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} s", ns / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::{fmt_ns, median, paired_median, quartiles};

    #[test]
    fn medians_and_durations() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(quartiles(&[1.0, 2.0, 3.0, 4.0, 5.0]), (2.0, 4.0));
        assert_eq!(paired_median(&[2.0, 9.0, 4.0], &[1.0, 3.0, 1.0]), 3.0);
        assert_eq!(fmt_ns(812.0), "812 ns");
        assert_eq!(fmt_ns(12_300.0), "12.30 µs");
        assert_eq!(fmt_ns(4_560_000.0), "4.56 ms");
        assert_eq!(fmt_ns(2.1e9), "2.1 s");
    }
}
