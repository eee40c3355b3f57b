//! The fault matrix: every operation of the spec, called once through this
//! crate against `acquire-mock`, under each fault a client meets in
//! production, injected for the first attempt only.
//!
//! The expected outcome of every cell is derived from the documented rules
//! (see [`faults::expected`]), never from observed results:
//!
//! - `RetryPolicy`: `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are retried
//!   on 429, 502, 503 and 504 and on a transport failure; a `POST` only when
//!   the connection could not be opened.
//! - `Error`: an error status is [`Error::Api`] with that status (an HTML
//!   page included); a body that does not decode is [`Error::Decode`]; a
//!   connection reset or a body cut off mid-way is [`Error::Transport`]; a
//!   request that does not complete in time is [`Error::Timeout`]; a body
//!   past the client's limit (here [`MAX_RESPONSE_BYTES`]) is
//!   [`Error::ResponseTooLarge`], not retryable.
//!
//! Attempts and executions are counted by the fake server, so "a POST is
//! never executed twice" is checked where it happens. Every cell runs in its
//! own task against its own server: a panic is a failed cell, not an abort.
//!
//! The same run checks secrets: every log line (tracing and `log`, at
//! TRACE), every error's `Display` and `Debug` and every panic message is
//! captured, and the API key must appear in none of them.
//!
//! The modules: [`calls`] holds one call per operation, [`faults`] the
//! faults and the rules, [`cells`] runs and judges one cell, [`capture`]
//! collects logs and panics.

#[path = "../support/mod.rs"]
mod support;

mod calls;
mod capture;
mod cells;
mod faults;

use std::{collections::BTreeSet, fmt::Write as _, time::Duration};

use acquire::{Client, ClientConfig, ConfigError, Error};
use futures::StreamExt;

use calls::operations;
use capture::capture;
use cells::{label, mismatch, run_cell};
use faults::{expected, faults};

/// Long and distinctive, so any leak of it is found by a plain search.
const KEY: &str = "fm-key-5c0b1e7d2a9f4e36b8d0c1a7";

/// Each attempt's bound; a read-timeout fault waits [`STALL`] > this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// How long the read-timeout fault stalls before answering.
const STALL: Duration = Duration::from_secs(10);
/// Bounds one cell, so a hang is reported as that cell's failure.
const CELL_LIMIT: Duration = Duration::from_secs(60);
/// The clients' response size limit: small, so the endless body fails fast.
const MAX_RESPONSE_BYTES: u64 = 64 * 1024;
/// Cells run at the same time (each has its own server and client).
const PARALLEL: usize = 32;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault() {
    let (logs, panics) = capture();

    // The panic capture works: a panicking task is seen and its message kept.
    let probe = tokio::spawn(async { panic!("fault-matrix panic probe") }).await;
    assert!(probe.is_err_and(|e| e.is_panic()));
    assert!(panics.text().contains("fault-matrix panic probe"));

    let ops = operations();
    let in_spec: BTreeSet<&str> = acquire_api::OPERATIONS.iter().map(|op| op.id).collect();
    let in_table: BTreeSet<&str> = ops.iter().map(|op| op.id).collect();
    assert_eq!(in_table, in_spec, "one row per spec operation");
    assert_eq!(ops.len(), in_spec.len(), "one row each");

    let mut failures = Vec::new();
    let mut errors_text = String::new();

    // Every call works without a fault, so a failing cell is the fault's doing.
    let baseline: Vec<_> = futures::stream::iter(
        ops.iter()
            .map(|op| async move { (op.id, run_cell(op.id, op.call, None).await) }),
    )
    .buffer_unordered(PARALLEL)
    .collect()
    .await;
    for (id, observed) in &baseline {
        match &observed.result {
            Ok(Ok(())) if observed.received == 1 => {}
            Ok(Ok(())) => failures.push(format!(
                "{id} × no fault: {} requests for one call",
                observed.received
            )),
            Ok(Err(e)) => failures.push(format!("{id} × no fault: {e} [{e:?}]")),
            Err(harness) => failures.push(format!("{id} × no fault: {harness}")),
        }
    }

    let cases = faults();
    let mut cells = Vec::new();
    for op in &ops {
        // The method, as the operation table has it.
        let method = support::operation(op.id).method;
        for (f, fault) in cases.iter().enumerate() {
            cells.push((op, method, f, expected(method, fault)));
        }
    }
    let results: Vec<_> = futures::stream::iter(cells.into_iter().map(|(op, method, f, want)| {
        let fault = cases[f].fault.clone();
        async move {
            let observed = run_cell(op.id, op.call, Some(fault)).await;
            (op.id, method, f, want, observed)
        }
    }))
    .buffer_unordered(PARALLEL)
    .collect()
    .await;
    let cell_count = ops.len() * cases.len();
    assert_eq!(results.len(), cell_count, "every cell ran");

    let mut table = String::new();
    let mut sorted: Vec<_> = results.iter().collect();
    sorted.sort_by_key(|(id, _, f, _, _)| (*id, *f));
    for (id, method, f, want, observed) in sorted {
        if let Ok(Err(e)) = &observed.result {
            let _ = write!(errors_text, "{e}\n{e:?}\n");
        }
        let fault = &cases[*f];
        let verdict = match mismatch(want, observed) {
            None => "ok",
            Some(why) => {
                failures.push(format!(
                    "{id} ({}) × {}: {why}",
                    method.to_ascii_uppercase(),
                    fault.name
                ));
                "FAIL"
            }
        };
        let _ = writeln!(
            table,
            "{id:<20} {:<6} {:<18} {:<12} {verdict}",
            method.to_ascii_uppercase(),
            fault.name,
            label(want)
        );
    }
    println!("{table}");

    // Plain http to a host that is not loopback is refused, with a typed error.
    let insecure = ClientConfig::default()
        .with_api_key(KEY)
        .and_then(|c| c.with_base_url("http://example.com/api/v1"));
    match &insecure {
        Err(e @ Error::Config(ConfigError::InsecureBaseUrl(host))) if host == "example.com" => {
            let _ = write!(errors_text, "{e}\n{e:?}\n");
        }
        other => failures.push(format!("http://example.com was not refused: {other:?}")),
    }
    let config = ClientConfig::default()
        .with_base_url("https://acme.acquire.io/api/v1")
        .and_then(|c| c.with_api_key(KEY));
    match config {
        Ok(config) => {
            let _ = writeln!(errors_text, "{config:?}");
            match Client::with_config(config) {
                Ok(client) => {
                    let _ = writeln!(errors_text, "{client:?}");
                }
                Err(e) => failures.push(format!("https config refused: {e}")),
            }
        }
        Err(e) => failures.push(format!("https config refused: {e}")),
    }

    // Secrets: the key is in no log line, error text or panic message.
    let logs = logs.text();
    assert!(
        logs.contains("acquire_api.request") && logs.contains("operation_id"),
        "the log capture saw no request span"
    );
    for op in &ops {
        assert!(logs.contains(op.id), "no log line names {}", op.id);
    }
    for (what, text) in [
        ("captured logs", &logs),
        ("error texts", &errors_text),
        ("panic messages", &panics.text()),
    ] {
        if text.contains(KEY) {
            let line = text.lines().find(|l| l.contains(KEY)).unwrap_or_default();
            failures.push(format!("the API key appears in {what}: {line}"));
        }
    }
    // The probe is the only panic.
    let panicked = panics.text().matches("panicked at").count() != 1;
    if panicked {
        failures.push(format!("panics:\n{}", panics.text()));
    }

    assert!(
        failures.is_empty(),
        "{} of {cell_count} cells (and checks) failed:\n{}\n\nmatrix:\n{table}",
        failures.len(),
        failures.join("\n")
    );
}
