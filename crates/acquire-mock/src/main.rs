//! `acquire-mock`: serves the fake Acquire API until SIGINT or SIGTERM.
//!
//! Prints the base URL (ending in `/api/v1`) as the first line on stdout.

#![forbid(unsafe_code)]

use std::{
    fmt, io::Write, net::SocketAddr, path::PathBuf, process::ExitCode, str::FromStr, time::Duration,
};

use acquire_mock::{
    MockConfig, MockServer, DEFAULT_BODY_LIMIT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_URL_LENGTH,
};
use clap::Parser;

/// A fake Acquire Cases API server for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "acquire-mock", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// The only bearer key accepted (`Authorization: Bearer KEY`).
    #[arg(long)]
    api_key: String,
    /// Honour the `x-mock-fault` request header (status, retry-after, delay-ms,
    /// drop, drop-after, truncate, invalid-json, html, endless).
    #[arg(long)]
    faults: bool,
    /// Drift: every successful response gets an undeclared member in each
    /// declared object and unknown values in its extensible enums, by the
    /// spec's response schemas (to test clients' drift detection).
    #[arg(long)]
    drift: bool,
    /// Start without the cases of the documented examples.
    #[arg(long)]
    no_seed: bool,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// The agent (user id) the API key acts as.
    #[arg(long, default_value_t = acquire_mock::API_USER_ID)]
    agent_id: i64,
    /// Add N generated cases (deterministic content) after the seed, for
    /// benchmarks that page through many cases.
    #[arg(long, value_name = "N", default_value_t = 0)]
    generate_cases: usize,
    /// The OpenAPI document to serve, YAML or JSON (default: the spec
    /// compiled into this program).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Close a connection that has not sent a request's line and headers
    /// within this many seconds (from its opening, or from the previous
    /// response on a kept-alive connection).
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(DEFAULT_HEADER_READ_TIMEOUT))]
    header_read_timeout: Seconds,
    /// Close a kept-alive connection with no new request within this many
    /// seconds of its last response (no effect above --header-read-timeout).
    #[arg(long, value_name = "SECONDS", default_value_t = Seconds(DEFAULT_IDLE_TIMEOUT))]
    idle_timeout: Seconds,
    /// Largest request line and headers together, in bytes (431 above).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_HEADER_SIZE)]
    max_header_size: usize,
    /// Longest request target (path and query), in bytes (414 above).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_URL_LENGTH)]
    max_url_length: usize,
    /// Most connections open at once; at the cap, new connections wait
    /// until one closes (logged once on stderr).
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_MAX_CONNECTIONS,
        value_parser = at_least_one
    )]
    max_connections: usize,
}

/// A duration given in seconds, fractions allowed (`10`, `0.5`).
#[derive(Clone, Copy, Debug)]
struct Seconds(Duration);

impl FromStr for Seconds {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let seconds: f64 = s
            .parse()
            .map_err(|_| format!("`{s}` is not a number of seconds"))?;
        if seconds <= 0.0 {
            return Err("must be above zero".to_owned());
        }
        Duration::try_from_secs_f64(seconds)
            .map(Seconds)
            .map_err(|_| format!("`{s}` is not a usable number of seconds"))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
}

fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    // The server's log (e.g. reaching the connection cap) goes to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let mut config = MockConfig::default()
        .with_addr(args.addr)
        .with_api_key(args.api_key)
        .with_faults_enabled(args.faults)
        .with_drift(args.drift)
        .with_seed_data(!args.no_seed)
        .with_body_limit(args.body_limit)
        .with_agent_id(args.agent_id)
        .with_generated_cases(args.generate_cases)
        .with_header_read_timeout(args.header_read_timeout.0)
        .with_idle_timeout(args.idle_timeout.0)
        .with_max_header_size(args.max_header_size)
        .with_max_url_length(args.max_url_length)
        .with_max_connections(args.max_connections);
    if let Some(spec) = args.spec {
        config = config.with_spec_path(spec);
    }
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("acquire-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{}", server.base_url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    wait_for_stop().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
