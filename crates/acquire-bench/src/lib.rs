//! Shared parts of the benchmark programs (`bench-decode`, `bench-overhead`,
//! `bench-stream`) that the runner (`acquire-bench bench`, behind
//! `cargo xtask bench`) builds and runs.
//!
//! Each program prints a one-line JSON summary (or writes it to the file
//! given by `--summary`) that the runner reads; the runner, not these
//! programs, computes medians and ratios and writes `BENCHMARKS.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod decode;

use acquire::{Client, ClientConfig};
use anyhow::Result;

/// What item 1 (client overhead) requests: the operations of one triple, by
/// `operationId` (their methods and paths come from
/// [`acquire_api::OPERATIONS`]), and the list page.
pub mod overhead {
    /// Create a case, get it, list a page.
    pub const OPERATIONS: [&str; 3] = ["create_case", "get_case", "list_cases"];
    /// The contact cases are created for (in the fake's seed data).
    pub const CONTACT: i64 = 597752;
    /// The page listed.
    pub const PAGE: u64 = 0;
    /// Its size.
    pub const LIMIT: u64 = 20;
}

/// The fake server a program talks to.
#[derive(Debug, clap::Args)]
pub struct Fake {
    /// The fake's base URL (ending in /api/v1).
    #[arg(long)]
    pub base_url: String,
    /// The fake's API key.
    #[arg(long)]
    pub api_key: String,
}

impl Fake {
    /// The `acquire` client for it, default configuration: retries, and
    /// drift detection on (its default, stated so the figures say what
    /// they measure).
    pub fn client(&self) -> Result<Client> {
        let config = ClientConfig::default()
            .with_base_url(&self.base_url)?
            .with_api_key(&self.api_key)?
            .with_drift_detection(true);
        Ok(Client::with_config(config)?)
    }

    /// The same client with drift detection off: what detection costs is
    /// the difference.
    pub fn client_without_drift_detection(&self) -> Result<Client> {
        let config = ClientConfig::default()
            .with_base_url(&self.base_url)?
            .with_api_key(&self.api_key)?
            .with_drift_detection(false);
        Ok(Client::with_config(config)?)
    }
}

/// Runs `future` to completion on a multi-threaded tokio runtime.
pub fn block_on<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(future)
}
