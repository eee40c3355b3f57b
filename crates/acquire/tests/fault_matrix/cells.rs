//! Running cells: each on a fresh seeded fake with its own client, and
//! judging what it observed against the documented outcome.

use std::time::Duration;

use acquire::{Client, ClientConfig, Error, RetryPolicy};
use acquire_mock::{Fault, MockConfig, MockServer, RunningServer};

use crate::{
    calls::Call,
    faults::{Expected, WantError},
    CELL_LIMIT, KEY, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT,
};

/// What a cell observed.
pub struct Observed {
    /// The call's outcome, or why the harness could not tell it.
    pub result: Result<Result<(), Error>, String>,
    /// Requests of the operation the fake received.
    pub received: u64,
    /// Times the operation's handler ran.
    pub executed: u64,
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_min_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
        .with_max_elapsed(Duration::from_secs(20))
}

fn client_for(server: &RunningServer) -> Result<Client, Error> {
    let config = ClientConfig::default()
        .with_base_url(server.base_url())?
        .with_api_key(KEY)?
        .with_request_timeout(REQUEST_TIMEOUT)
        .with_max_response_bytes(MAX_RESPONSE_BYTES)
        .with_retry_policy(policy());
    Client::with_config(config)
}

/// Starts a fresh seeded server, arms `fault` once on `op`, calls `op` in
/// its own task and reads the server's counters.
pub async fn run_cell(op_id: &'static str, call: Call, fault: Option<Fault>) -> Observed {
    let server = match MockServer::start(MockConfig::default().with_api_key(KEY)).await {
        Ok(server) => server,
        Err(e) => {
            return Observed {
                result: Err(format!("the fake server did not start: {e}")),
                received: 0,
                executed: 0,
            }
        }
    };
    if let Some(fault) = fault {
        server.faults().inject(op_id, fault, 1);
    }
    let result = match client_for(&server) {
        Ok(client) => {
            let task = tokio::spawn(tokio::time::timeout(CELL_LIMIT, call(client)));
            match task.await {
                Ok(Ok(outcome)) => Ok(outcome),
                Ok(Err(_)) => Err(format!("did not finish within {CELL_LIMIT:?}")),
                Err(e) if e.is_panic() => Err("PANICKED (message in the panic log)".to_owned()),
                Err(e) => Err(format!("task failed: {e}")),
            }
        }
        Err(e) => Err(format!("client not built: {e}")),
    };
    let observed = Observed {
        result,
        received: server.request_count(op_id),
        executed: server.executed_count(op_id),
    };
    server.shutdown().await;
    observed
}

/// Why `observed` is not `want` (None when it is).
pub fn mismatch(want: &Expected, observed: &Observed) -> Option<String> {
    let Observed {
        result,
        received,
        executed,
    } = observed;
    let outcome = match result {
        Err(harness) => return Some(harness.clone()),
        Ok(outcome) => outcome,
    };
    let shown = match outcome {
        Ok(()) => "Ok".to_owned(),
        Err(e) => format!("Err({e}) [{e:?}]"),
    };
    let counts = format!("{shown}, received {received}, executed {executed}");
    match want {
        Expected::RetriedAndSucceeded => {
            let ok = outcome.is_ok() && *received == 2 && *executed >= 1;
            (!ok).then(|| format!("expected a retry (2 requests) and success; got {counts}"))
        }
        Expected::RetriedAndGone => {
            let gone = outcome.as_ref().is_err_and(|e| {
                e.api().is_some_and(|api| {
                    api.status == 400 && api.error_type == Some(acquire::ErrorType::RecordNotFound)
                })
            });
            let ok = gone && *received == 2 && *executed == 1;
            (!ok).then(|| {
                format!(
                    "expected a retry (2 requests, executed once) answered 400 \
                     RECORD_NOT_FOUND; got {counts}"
                )
            })
        }
        Expected::Failed {
            error,
            executed: want_executed,
        } => {
            let error_ok = match outcome {
                Ok(()) => false,
                Err(e) => error_matches(error, e),
            };
            let executed_ok = match want_executed {
                Some(n) => executed == n,
                None => *executed <= 1,
            };
            let ok = error_ok && *received == 1 && executed_ok;
            (!ok).then(|| {
                format!(
                    "expected {error:?} after 1 request, executed {}; got {counts}",
                    want_executed.map_or("<= 1".to_owned(), |n| n.to_string())
                )
            })
        }
    }
}

fn error_matches(want: &WantError, got: &Error) -> bool {
    match (want, got) {
        (
            WantError::Api {
                status,
                retry_after,
                html,
            },
            Error::Api(api),
        ) => {
            let body = api.body.as_str();
            api.status == *status
                && api.retry_after == *retry_after
                && got.status() == Some(*status)
                && (!*html || (body.contains("<html") && api.error_type.is_none()))
        }
        (WantError::Transport { status }, Error::Transport { status: got, .. }) => got == status,
        (WantError::Timeout, Error::Timeout) => true,
        (WantError::Decode { status }, Error::Decode { status: got, .. }) => got == status,
        (
            WantError::TooLarge { status },
            Error::ResponseTooLarge {
                status: got, limit, ..
            },
        ) => got == status && *limit == MAX_RESPONSE_BYTES,
        _ => false,
    }
}

/// How the printed matrix names an expected outcome.
pub fn label(expected: &Expected) -> String {
    match expected {
        Expected::RetriedAndSucceeded => "retried, ok".to_owned(),
        Expected::RetriedAndGone => "retried, gone".to_owned(),
        Expected::Failed { error, .. } => match error {
            WantError::Api { status, .. } => format!("Api {status}"),
            WantError::Transport { .. } => "Transport".to_owned(),
            WantError::Timeout => "Timeout".to_owned(),
            WantError::Decode { .. } => "Decode".to_owned(),
            WantError::TooLarge { .. } => "TooLarge".to_owned(),
        },
    }
}
