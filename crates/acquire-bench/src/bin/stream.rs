//! Item 4: streams every case of the fake through `client.cases().list()
//! .stream()` and prints how many came and how fast (one JSON object on
//! stdout). Run it under `/usr/bin/time -v` for its peak RSS; the fake runs
//! in its own process, so its memory is not counted.

#![forbid(unsafe_code)]

use std::time::Instant;

use acquire::{Client, ClientConfig};
use anyhow::{bail, Result};
use clap::Parser;
use futures::TryStreamExt;
use serde_json::json;

/// Stream every case of a fake seeded with N cases.
#[derive(Parser)]
struct Args {
    /// The fake's base URL (ending in /api/v1).
    #[arg(long)]
    base_url: String,
    /// The fake's API key.
    #[arg(long)]
    api_key: String,
    /// How many cases the fake holds (the stream must yield exactly these).
    #[arg(long)]
    expect: u64,
    /// Page size.
    #[arg(long, default_value_t = 100)]
    limit: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> Result<()> {
    let config = ClientConfig::default()
        .with_base_url(&args.base_url)?
        .with_api_key(&args.api_key)?;
    let client = Client::with_config(config)?;
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
