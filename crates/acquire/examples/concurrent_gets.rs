//! Many concurrent `cases().get(..)` calls through one shared client, twice,
//! watching the process's resident memory: a client that leaks per request
//! grows between the two batches.
//!
//! ```text
//! ACQUIRE_BASE_URL=http://127.0.0.1:PORT/api/v1 ACQUIRE_API_KEY=... \
//!     cargo run --release -p acquire --example concurrent_gets -- [--gets 10000] [--case 1684]
//! ```
//!
//! Every call of a batch is started at once (`--gets` futures in flight on
//! one client). The resident set size (`VmRSS` of `/proc/self/status`) and
//! the open file descriptors are read before the first batch, after it and
//! after the second. The run fails (exit status 1) when any call fails, when
//! the second batch grows memory by more than [`LEAK_BOUND_PERCENT`] of the
//! RSS after the first, or when it leaves more than [`FD_SLACK`] descriptors
//! open beyond the first's. The first batch pays for the connection pool
//! (one connection per call in flight, kept idle afterwards), buffers and
//! allocator arenas, so the second reuses them. The last line on stdout is
//! the result as JSON.
//!
//! Used by `cargo xtask load`; Linux only (it reads `/proc`).

use std::{process::ExitCode, time::Instant};

use acquire::{CaseId, Client};
use futures::{stream::FuturesUnordered, StreamExt};

/// The most the resident set may grow from the end of the first batch to the
/// end of the second, in percent of the RSS after the first.
///
/// Not zero: with every call in flight at once the first batch peaks at
/// about 37 KiB per call (10,000 calls: ~370 MiB), glibc's allocator keeps
/// most freed memory, and hyper's read buffers adapt as pooled connections
/// are reused, so a second batch that leaks nothing still grows by a few
/// percent (measured on 10,000 calls: 17 to 40 MiB, about 5 to 11%, and
/// shrinking batch after batch towards a plateau). 20% of ~370 MiB is
/// ~74 MiB: a leak of about 7.5 KiB per call (a kept connection state or
/// buffer) crosses it; smaller per-call leaks need a counting allocator.
const LEAK_BOUND_PERCENT: u64 = 20;

/// Descriptors the second batch may leave open beyond the first's: the pool
/// keeps one idle connection per call in flight, and the second batch must
/// reuse them instead of leaking sockets.
const FD_SLACK: usize = 64;

fn open_fds() -> Result<usize, String> {
    std::fs::read_dir("/proc/self/fd")
        .map(Iterator::count)
        .map_err(|e| format!("reading /proc/self/fd: {e}"))
}

/// How many error messages are printed (all are counted).
const SHOWN_ERRORS: usize = 5;

fn rss_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("reading /proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS in /proc/self/status".to_owned())
}

struct Args {
    gets: usize,
    case: i64,
}

fn args() -> Result<Args, String> {
    let mut parsed = Args {
        gets: 10_000,
        case: 1684,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |what: &str| -> Result<u64, String> {
            value
                .parse::<u64>()
                .map_err(|_| format!("{what} needs a whole number, got {value:?}"))
        };
        match flag.as_str() {
            "--gets" => {
                parsed.gets = usize::try_from(number("--gets")?).map_err(|e| e.to_string())?;
            }
            "--case" => {
                parsed.case = i64::try_from(number("--case")?).map_err(|e| e.to_string())?
            }
            other => return Err(format!("unknown argument {other:?} (--gets N, --case ID)")),
        }
    }
    if parsed.gets == 0 {
        return Err("--gets must be at least 1".into());
    }
    Ok(parsed)
}

/// Runs `gets` calls at once; returns the number of failures.
async fn batch(client: &Client, case: CaseId, gets: usize, errors: &mut Vec<String>) -> usize {
    let mut calls: FuturesUnordered<_> = (0..gets)
        .map(|_| async move { client.cases().get(case).send().await })
        .collect();
    let mut failed = 0;
    while let Some(result) = calls.next().await {
        match result {
            Ok(got) if got.id == case => {}
            Ok(got) => {
                failed += 1;
                if errors.len() < SHOWN_ERRORS {
                    errors.push(format!("asked for case {}, got case {}", case.0, got.id));
                }
            }
            Err(e) => {
                failed += 1;
                if errors.len() < SHOWN_ERRORS {
                    errors.push(e.to_string());
                }
            }
        }
    }
    failed
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("concurrent_gets: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<bool, String> {
    let args = args()?;
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let case = CaseId(args.case);
    let mut errors = Vec::new();

    // One call first, so "before" includes the runtime and the TLS and
    // HTTP machinery, not only the program image.
    let warm = batch(&client, case, 1, &mut errors).await;
    if warm > 0 {
        return Err(format!("the first call failed: {}", errors.join("; ")));
    }
    let before = rss_kib()?;

    let started = Instant::now();
    let failed_first = batch(&client, case, args.gets, &mut errors).await;
    let first_ms = started.elapsed().as_millis();
    let after_first = rss_kib()?;
    let fds_first = open_fds()?;

    let started = Instant::now();
    let failed_second = batch(&client, case, args.gets, &mut errors).await;
    let second_ms = started.elapsed().as_millis();
    let after_second = rss_kib()?;
    let fds_second = open_fds()?;

    let growth = after_second.saturating_sub(after_first);
    let bound = after_first * LEAK_BOUND_PERCENT / 100;
    let failed = failed_first + failed_second;
    println!(
        "{} concurrent gets x 2: {failed} failed; batch 1 {first_ms} ms, batch 2 {second_ms} ms",
        args.gets
    );
    println!(
        "client RSS: before {before} KiB, after batch 1 {after_first} KiB, after batch 2 \
         {after_second} KiB (growth {growth} KiB, bound {bound} KiB = {LEAK_BOUND_PERCENT}%)"
    );
    println!("client open descriptors: after batch 1 {fds_first}, after batch 2 {fds_second}");
    for e in &errors {
        println!("error: {e}");
    }
    let leaked = growth > bound;
    if leaked {
        println!("LEAK: batch 2 grew memory by {growth} KiB > {bound} KiB");
    }
    let fds_leaked = fds_second > fds_first + FD_SLACK;
    if fds_leaked {
        println!("LEAK: batch 2 left {fds_second} descriptors open, batch 1 {fds_first}");
    }
    let result = serde_json::json!({
        "gets": args.gets,
        "failed": failed,
        "rss_kib": {
            "before": before,
            "after_first": after_first,
            "after_second": after_second,
        },
        "growth_kib": growth,
        "bound_kib": bound,
        "fds": [fds_first, fds_second],
        "batch_ms": [first_ms, second_ms],
    });
    println!("{result}");
    Ok(failed == 0 && !leaked && !fds_leaked)
}
