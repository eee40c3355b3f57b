//! `acquire-bench load` (what `cargo xtask load` runs): the fake server
//! under wrk, then the client under thousands of concurrent calls, both
//! watched for errors and memory.
//!
//! 1. Builds `acquire-mock` and the `concurrent_gets` example of `acquire`
//!    in release mode, and starts the server on `127.0.0.1:0` with seed data
//!    and a random key.
//! 2. Runs `wrk -t2 -c<connections> -d<seconds>s` on the get-case endpoint
//!    of seeded case 1684, with the bearer key (passed to wrk's Lua script
//!    through the environment, never on a command line). The script counts
//!    every non-2xx answer. Meanwhile the server's resident set size
//!    (`VmRSS` of `/proc/<pid>/status`) is sampled every second.
//!    Fails on any non-2xx answer or socket error, or when the RSS over the
//!    last two thirds of the run rises more than [`SERVER_GROWTH_BOUND_KIB`]
//!    above its first sample there (flat memory: the first third is
//!    warm-up, when buffers and the allocator reach their working size).
//! 3. Runs the example against the same server: `--gets` concurrent
//!    `cases().get(..)` calls on one client, twice; it fails on any failed
//!    call or a leak (see `crates/acquire/examples/concurrent_gets.rs`).
//!
//! Prints requests/s, the error counts, the RSS samples' min and max, and
//! the client's RSS before and after. Linux only (`/proc`); needs `wrk`
//! (installed with apt-get when missing and running as root). Too long for
//! CI: run it by hand.

use std::{
    fs::File,
    io::Read,
    path::Path,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use crate::{
    tools,
    util::{self, Fake},
};

/// How far the server's RSS may rise over the last two thirds of the wrk
/// run, above the first sample of that window, in KiB (8 MiB). Serving
/// `get_case` stores nothing, so a flat server stays within a few hundred
/// KiB; at tens of thousands of requests per second, a leak of a few bytes
/// per request crosses this within the window.
pub const SERVER_GROWTH_BOUND_KIB: u64 = 8 * 1024;

/// The seeded case every request reads.
const CASE_ID: u64 = 1684;

/// Options of `cargo xtask load` (`acquire-bench load`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How long wrk runs, in seconds.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// wrk's open connections.
    #[arg(long, default_value_t = 64)]
    connections: u32,
    /// Concurrent gets per batch of the client run (two batches).
    #[arg(long, default_value_t = 10_000)]
    gets: u32,
}

/// Runs the task.
pub fn run(args: &Args) -> Result<()> {
    ensure!(args.seconds >= 3, "--seconds must be at least 3");
    ensure!(args.connections >= 2, "--connections must be at least 2");
    ensure!(args.gets >= 1, "--gets must be at least 1");
    let wrk = tools::debian("wrk", "wrk")?;
    let built = util::cargo_build(
        &[
            "--release",
            "-p",
            "acquire-mock",
            "--bin",
            "acquire-mock",
            "-p",
            "acquire",
            "--example",
            "concurrent_gets",
        ],
        &["acquire-mock", "concurrent_gets"],
    )?;
    let (mock, example) = (&built[0], &built[1]);
    let dir = crate::bench::scratch("load");
    util::create_dir(&dir)?;
    let key = random_key()?;
    let log = dir.join("acquire-mock.log");
    let mut server = Fake::start(mock, &key, &[], Some(&log))?;

    let load = run_wrk(&wrk, &server, &key, &dir, args)?;
    let client = run_client(example, &server, &key, args.gets);
    let server_alive = server.alive();
    let server_rss_end = rss_kib(server.pid()).ok();
    drop(server);

    // Report everything, then judge.
    let rss = &load.rss;
    let (min, max) = (
        rss.iter().min().copied().unwrap_or_default(),
        rss.iter().max().copied().unwrap_or_default(),
    );
    let window = &rss[rss.len() / 3..];
    let first = window.first().copied().unwrap_or_default();
    let growth = window
        .iter()
        .max()
        .copied()
        .unwrap_or_default()
        .saturating_sub(first);
    eprintln!(
        "load: wrk {} s, {} connections: {} requests, {:.0} req/s, {} non-2xx, {} socket errors",
        args.seconds,
        args.connections,
        load.requests,
        load.requests_per_sec,
        load.non_2xx,
        load.socket_errors
    );
    eprintln!(
        "load: server RSS over {} samples: min {min} KiB, max {max} KiB; over the last 2/3: \
         +{growth} KiB from {first} KiB (bound {SERVER_GROWTH_BOUND_KIB} KiB){}",
        rss.len(),
        server_rss_end
            .map(|kib| format!("; after the client run {kib} KiB"))
            .unwrap_or_default()
    );
    let mut failures = Vec::new();
    match &client {
        Ok(report) => eprintln!("load: client: {report}"),
        Err(e) => failures.push(format!("client run: {e:#}")),
    }
    if load.requests == 0 {
        failures.push("wrk completed no request".to_owned());
    }
    if load.non_2xx > 0 {
        failures.push(format!("{} answers were not 2xx", load.non_2xx));
    }
    if load.socket_errors > 0 {
        failures.push(format!("{} socket errors", load.socket_errors));
    }
    if window.len() < 2 {
        failures.push(format!("only {} RSS samples in the window", window.len()));
    }
    if growth > SERVER_GROWTH_BOUND_KIB {
        failures.push(format!(
            "server memory is not flat: +{growth} KiB over the last 2/3 (samples {rss:?})"
        ));
    }
    if !server_alive {
        failures.push("the server exited during the run".to_owned());
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("; "));
    }
    Ok(())
}

/// What wrk and the sampler saw.
struct Load {
    requests: u64,
    requests_per_sec: f64,
    non_2xx: u64,
    socket_errors: u64,
    /// The server's RSS in KiB, one sample a second.
    rss: Vec<u64>,
}

/// wrk's Lua script: the bearer key from the environment, and a count of
/// every answer that is not 2xx (wrk's own count ignores 3xx).
const WRK_SCRIPT: &str = r#"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LOAD_API_KEY")
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  responses = 0
  non2xx = 0
end
function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end
function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("responses")
    bad = bad + t:get("non2xx")
  end
  io.write(string.format("load-responses: %d\nload-non-2xx: %d\n", total, bad))
end
"#;

fn run_wrk(wrk: &Path, server: &Fake, key: &str, dir: &Path, args: &Args) -> Result<Load> {
    let script = dir.join("wrk.lua");
    std::fs::write(&script, WRK_SCRIPT).with_context(|| format!("writing {}", script.display()))?;
    let path = acquire_api::Operation::find("get_case")
        .and_then(|op| op.path_with(&[("caseId", &CASE_ID)]))
        .context("no get_case operation with a caseId")?;
    let url = format!("{}{path}", server.base_url);
    let threads = args.connections.min(2);
    let mut cmd = Command::new(wrk);
    cmd.arg(format!("-t{threads}"))
        .arg(format!("-c{}", args.connections))
        .arg(format!("-d{}s", args.seconds))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&script)
        .arg(&url)
        .env("LOAD_API_KEY", key)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    eprintln!("  $ LOAD_API_KEY=*** {}", util::show(&cmd));
    let mut child = cmd.spawn().context("starting wrk")?;
    let out = util::drain(child.stdout.take());
    let err = util::drain(child.stderr.take());

    let started = Instant::now();
    let limit = Duration::from_secs(args.seconds + 60);
    let mut rss = Vec::new();
    let mut next = started + Duration::from_secs(1);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!("wrk ran past {} s", limit.as_secs());
        }
        let now = Instant::now();
        if now >= next {
            // Samples while wrk runs only: the run's own length.
            if rss.len() < usize::try_from(args.seconds).unwrap_or(usize::MAX) {
                rss.push(rss_kib(server.pid())?);
            }
            next += Duration::from_secs(1);
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    eprintln!("{}", stdout.trim_end());
    if !status.success() {
        bail!("wrk failed ({status}):\n{stdout}{stderr}");
    }
    parse_wrk(&stdout, rss)
}

fn parse_wrk(stdout: &str, rss: Vec<u64>) -> Result<Load> {
    let field = |prefix: &str| {
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    let requests_per_sec: f64 = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .context("wrk printed no Requests/sec")?;
    let requests: u64 = stdout
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .context("wrk printed no request count")?;
    let counted: u64 = field("load-non-2xx:")
        .and_then(|v| v.parse().ok())
        .context("the wrk script printed no non-2xx count")?;
    // wrk's own line, present only when some answers were >= 400.
    let wrk_non_2xx: u64 = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // "Socket errors: connect 0, read 1, write 0, timeout 0", only when any.
    let socket_errors = field("Socket errors:")
        .map(|v| {
            v.split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    Ok(Load {
        requests,
        requests_per_sec,
        non_2xx: counted.max(wrk_non_2xx),
        socket_errors,
        rss,
    })
}

/// Runs the example; returns its summary, or why it failed.
fn run_client(example: &Path, server: &Fake, key: &str, gets: u32) -> Result<String> {
    let mut cmd = Command::new(example);
    cmd.args(["--gets", &gets.to_string(), "--case", &CASE_ID.to_string()])
        .env("ACQUIRE_BASE_URL", &server.base_url)
        .env("ACQUIRE_API_KEY", key)
        .env_remove("ACQUIRE_ACCOUNT_ID");
    let out = util::capture(&mut cmd, Duration::from_secs(600))?;
    eprintln!("{}", out.both().trim_end());
    let result: Option<Value> = out
        .stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok());
    let summary = match &result {
        Some(r) => format!(
            "{} gets x 2, {} failed; RSS before {} KiB, after batch 1 {} KiB, after batch 2 {} KiB \
             (growth {} KiB, bound {} KiB); descriptors {}",
            r["gets"], r["failed"], r["rss_kib"]["before"], r["rss_kib"]["after_first"],
            r["rss_kib"]["after_second"], r["growth_kib"], r["bound_kib"], r["fds"]
        ),
        None => "no result line".to_owned(),
    };
    if !out.status.success() {
        bail!("the client failed ({}): {summary}", out.status);
    }
    ensure!(result.is_some(), "the client printed no result line");
    Ok(summary)
}

/// `VmRSS` of a process, in KiB.
fn rss_kib(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no VmRSS in {path}"))
}

/// 32 hex digits from the kernel's random source.
fn random_key() -> Result<String> {
    let mut bytes = [0u8; 16];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
