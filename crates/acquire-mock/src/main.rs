//! `acquire-mock`: serves the fake Acquire API until SIGINT or SIGTERM.
//!
//! Prints the base URL (ending in `/api/v1`) as the first line on stdout.

#![forbid(unsafe_code)]

use std::{io::Write, net::SocketAddr, path::PathBuf, process::ExitCode};

use acquire_mock::{MockConfig, MockServer, DEFAULT_BODY_LIMIT};
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
    /// drop, drop-after, truncate, invalid-json, html).
    #[arg(long)]
    faults: bool,
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut config = MockConfig::default()
        .with_addr(args.addr)
        .with_api_key(args.api_key)
        .with_faults_enabled(args.faults)
        .with_seed_data(!args.no_seed)
        .with_body_limit(args.body_limit)
        .with_agent_id(args.agent_id)
        .with_generated_cases(args.generate_cases);
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
