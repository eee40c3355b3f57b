//! Item 2: every documented example decoded from its wire bytes into its
//! generated type, and into `serde_json::Value`, side by side with criterion.
//!
//! `CRITERION_HOME` must name an empty directory: criterion writes its
//! estimates there and this program reads them back into the summary
//! (`--summary FILE`, JSON lines: example, schema, bytes, typed_ns, value_ns,
//! the medians of criterion's samples, in nanoseconds per decode).

#![forbid(unsafe_code)]

use std::{
    collections::BTreeMap,
    hint::black_box,
    path::{Path, PathBuf},
    time::Duration,
};

use acquire_bench::decode::samples;
use anyhow::{bail, Context, Result};
use clap::Parser;
use criterion::Criterion;
use serde_json::{json, Value};

/// Decode every documented example into its generated type and into Value.
#[derive(Parser)]
struct Args {
    /// Where to write the JSON-lines summary.
    #[arg(long)]
    summary: PathBuf,
    /// Criterion's warm-up time per benchmark, in milliseconds.
    #[arg(long, default_value_t = 300)]
    warm_up_ms: u64,
    /// Criterion's measurement time per benchmark, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    measure_ms: u64,
    /// Criterion's sample count per benchmark (at least 10).
    #[arg(long, default_value_t = 20)]
    samples: usize,
    /// Only the examples whose id contains this text (for profiling one).
    #[arg(long)]
    filter: Option<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let home = PathBuf::from(
        std::env::var_os("CRITERION_HOME")
            .context("set CRITERION_HOME to an empty directory for criterion's output")?,
    );
    let mut samples = samples()?;
    if let Some(filter) = &args.filter {
        samples.retain(|s| s.id.contains(filter.as_str()));
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(args.warm_up_ms))
        .measurement_time(Duration::from_millis(args.measure_ms))
        .sample_size(args.samples.max(10))
        .without_plots();
    for sample in &samples {
        let mut group = criterion.benchmark_group(&sample.id);
        let bytes = sample.bytes.as_slice();
        let decode = sample.decode;
        group.bench_function("typed", |b| {
            b.iter(|| decode(black_box(bytes)).is_ok());
        });
        group.bench_function("value", |b| {
            b.iter(|| {
                serde_json::from_slice::<Value>(black_box(bytes))
                    .map(black_box)
                    .is_ok()
            });
        });
        group.finish();
    }
    criterion.final_summary();

    let medians = read_medians(&home)?;
    let mut lines = String::new();
    for sample in &samples {
        let get = |function: &str| {
            medians
                .get(&(sample.id.clone(), function.to_owned()))
                .copied()
                .with_context(|| {
                    format!("criterion wrote no estimate for {}/{function}", sample.id)
                })
        };
        let line = json!({
            "example": sample.id,
            "schema": sample.schema,
            "bytes": sample.bytes.len(),
            "typed_ns": get("typed")?,
            "value_ns": get("value")?,
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&args.summary, lines)
        .with_context(|| format!("writing {}", args.summary.display()))?;
    Ok(())
}

/// (group, function) -> median estimate in ns, from every
/// `new/benchmark.json` + `new/estimates.json` pair under `home`.
fn read_medians(home: &Path) -> Result<BTreeMap<(String, String), f64>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_none_or(|n| n != "benchmark.json")
                || path
                    .parent()
                    .and_then(Path::file_name)
                    .is_none_or(|n| n != "new")
            {
                continue;
            }
            let benchmark = read_json(&path)?;
            let estimates = read_json(&path.with_file_name("estimates.json"))?;
            let (Some(group), Some(function), Some(median)) = (
                benchmark["group_id"].as_str(),
                benchmark["function_id"].as_str(),
                estimates["median"]["point_estimate"].as_f64(),
            ) else {
                bail!("unexpected criterion output in {}", path.display());
            };
            out.insert((group.to_owned(), function.to_owned()), median);
        }
    }
    Ok(out)
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}
