//! Item 4: streams every case of the fake through `client.cases().list()
//! .stream()` and prints how many came and how fast (one JSON object on
//! stdout). Run it under `/usr/bin/time -v` for its peak RSS; the fake runs
//! in its own process, so its memory is not counted.

#![forbid(unsafe_code)]

use std::time::Instant;

use acquire_bench::Fake;
use anyhow::{bail, Result};
use clap::Parser;
use futures::TryStreamExt;
use serde_json::json;

/// Stream every case of a fake seeded with N cases.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    fake: Fake,
    /// How many cases the fake holds (the stream must yield exactly these).
    #[arg(long)]
    expect: u64,
    /// Page size.
    #[arg(long, default_value_t = 100)]
    limit: u64,
}

fn main() -> Result<()> {
    acquire_bench::block_on(run(Args::parse()))
}

async fn run(args: Args) -> Result<()> {
    let client = args.fake.client()?;
    let start = Instant::now();
    let mut stream = client.cases().list().limit(args.limit).stream();
    let mut count = 0u64;
    let mut id_sum = 0i64;
    while let Some(case) = stream.try_next().await? {
        count += 1;
        id_sum = id_sum.wrapping_add(case.id.0);
    }
    let seconds = start.elapsed().as_secs_f64();
    if count != args.expect {
        bail!("the stream yielded {count} cases, not {}", args.expect);
    }
    println!(
        "{}",
        json!({
            "cases": count,
            "seconds": seconds,
            "cases_per_second": count as f64 / seconds,
            "id_sum": id_sum,
            "limit": args.limit,
        })
    );
    Ok(())
}
