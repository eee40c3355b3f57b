//! The fault matrix: every operation of the spec, called once through this
//! crate against `acquire-mock`, under each fault a client meets in
//! production, injected for the first attempt only.
//!
//! The expected outcome of every cell is derived from the documented rules
//! (see [`expected`]), never from observed results:
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

use std::{
    fmt::Write as _,
    future::Future,
    io,
    pin::Pin,
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

use acquire::{
    chrono::NaiveDate, CaseId, Client, ClientConfig, ConfigError, ContactId, Error, MessageId,
    NoteId, RetryPolicy, SmsRoute, SnoozeId, ThreadId, TimelineId, UserId,
};
use acquire_mock::{Fault, MockConfig, MockServer, RunningServer};
use futures::StreamExt;

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

// ---------------------------------------------------------------------------
// Operations: one call each through the public API.

type Call = fn(Client) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

struct Op {
    id: &'static str,
    call: Call,
}

fn at(y: i32, m: u32, d: u32) -> acquire::chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default()
}

fn operations() -> Vec<Op> {
    vec![
        Op {
            id: "create_case",
            call: |c| {
                Box::pin(async move {
                    c.cases()
                        .create(ContactId(597752))
                        .title("Billing question")
                        .message("My invoice is wrong")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "reject_case",
            call: |c| {
                Box::pin(async move { c.cases().reject(CaseId(1681)).send().await.map(drop) })
            },
        },
        Op {
            id: "join_case",
            call: |c| Box::pin(async move { c.cases().join(CaseId(1684)).send().await.map(drop) }),
        },
        Op {
            id: "close_case",
            call: |c| Box::pin(async move { c.cases().close(CaseId(1684)).send().await.map(drop) }),
        },
        Op {
            id: "invite_agent",
            call: |c| {
                Box::pin(async move {
                    c.cases()
                        .invite(CaseId(1684))
                        .agents([UserId(12)])
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "list_cases",
            call: |c| Box::pin(async move { c.cases().list().limit(5).send().await.map(drop) }),
        },
        Op {
            id: "get_case",
            call: |c| Box::pin(async move { c.cases().get(CaseId(1684)).send().await.map(drop) }),
        },
        Op {
            id: "list_messages",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .list(ThreadId(1683), ContactId(597752))
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "get_message",
            call: |c| Box::pin(async move { c.messages().get(MessageId(7783)).await.map(drop) }),
        },
        Op {
            id: "delete_message",
            call: |c| Box::pin(async move { c.messages().delete(MessageId(7783)).await.map(drop) }),
        },
        Op {
            id: "send_chat_message",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .send_chat(CaseId(1684), "How can I help?")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "update_message",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .update(MessageId(7783), "How may I help?")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "send_email_message",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .send_email(
                            CaseId(1702),
                            ContactId(597752),
                            "support@example.acquire.io",
                            ["customer@example.com"],
                        )
                        .subject("Re: Your order")
                        .html_body("<p>Shipped.</p>")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "send_sms",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .send_sms(
                            SmsRoute {
                                from: "+15005550006".into(),
                                to: "+14155550123".into(),
                                contact: ContactId(597760),
                                thread: ThreadId(1710),
                                timeline: TimelineId(5120),
                            },
                            "Your order has shipped.",
                        )
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "list_notes",
            call: |c| {
                Box::pin(async move { c.notes().list(ContactId(597752)).send().await.map(drop) })
            },
        },
        Op {
            id: "get_note",
            call: |c| Box::pin(async move { c.notes().get(NoteId(310)).await.map(drop) }),
        },
        Op {
            id: "create_note",
            call: |c| {
                Box::pin(async move {
                    c.notes()
                        .create(ContactId(597752))
                        .title("Refund request")
                        .message("Customer asked for a refund.")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "add_note_message",
            call: |c| {
                Box::pin(async move {
                    c.notes()
                        .add_message(NoteId(310), ContactId(597752), "Refund issued.")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "list_note_messages",
            call: |c| Box::pin(async move { c.notes().messages(NoteId(310)).await.map(drop) }),
        },
        Op {
            id: "delete_note",
            call: |c| Box::pin(async move { c.notes().delete(NoteId(310)).await.map(drop) }),
        },
        Op {
            id: "create_snooze",
            call: |c| {
                Box::pin(async move {
                    c.snoozes()
                        .snooze_case(CaseId(1684), at(2030, 1, 2))
                        .contact(ContactId(597752))
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "delete_snooze",
            call: |c| Box::pin(async move { c.snoozes().delete(SnoozeId(77)).await.map(drop) }),
        },
    ]
}

// ---------------------------------------------------------------------------
// Faults, and what each one looks like from the client.

/// What the client meets on the faulted attempt.
#[derive(Clone, Copy, Debug)]
enum Seen {
    /// An answer with this status and an error body (JSON or HTML).
    Status(u16),
    /// The connection closes before any answer (a reset).
    Reset,
    /// No answer within the request timeout.
    Timeout,
    /// A 200 whose body is cut off mid-way (the connection closes).
    BodyCut,
    /// A complete 200 whose body is not JSON.
    BadBody,
    /// A 200 whose body never ends.
    Endless,
}

/// Whether the faulted attempt reached the operation's handler.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Effect {
    /// Refused before the handler: nothing happened.
    None,
    /// Handled: the work was done.
    Done,
    /// Handled after the client gave up, or not at all (the server may be
    /// stopped first).
    Late,
}

struct FaultCase {
    name: &'static str,
    fault: Fault,
    seen: Seen,
    effect: Effect,
    /// `Retry-After` the answer carries.
    retry_after: Option<Duration>,
    /// The body is an HTML page, not Acquire's JSON.
    html: bool,
}

fn faults() -> Vec<FaultCase> {
    let status = |name, status, retry_after: Option<u64>| FaultCase {
        name,
        fault: Fault::Status {
            status,
            retry_after,
        },
        seen: Seen::Status(status),
        effect: Effect::None,
        retry_after: retry_after.map(Duration::from_secs),
        html: false,
    };
    vec![
        status("429 + Retry-After", 429, Some(1)),
        status("500", 500, None),
        status("502", 502, None),
        status("503", 503, None),
        status("504", 504, None),
        FaultCase {
            name: "connection reset",
            fault: Fault::Drop,
            seen: Seen::Reset,
            effect: Effect::None,
            retry_after: None,
            html: false,
        },
        FaultCase {
            name: "read timeout",
            fault: Fault::Delay(STALL),
            seen: Seen::Timeout,
            effect: Effect::Late,
            retry_after: None,
            html: false,
        },
        FaultCase {
            name: "truncated body",
            fault: Fault::Truncate,
            seen: Seen::BodyCut,
            effect: Effect::Done,
            retry_after: None,
            html: false,
        },
        FaultCase {
            name: "invalid JSON",
            fault: Fault::InvalidJson,
            seen: Seen::BadBody,
            effect: Effect::Done,
            retry_after: None,
            html: false,
        },
        FaultCase {
            name: "endless body",
            fault: Fault::Endless,
            seen: Seen::Endless,
            effect: Effect::None,
            retry_after: None,
            html: false,
        },
        FaultCase {
            name: "HTML 502 page",
            fault: Fault::Html { status: 502 },
            seen: Seen::Status(502),
            effect: Effect::None,
            retry_after: None,
            html: true,
        },
    ]
}

// ---------------------------------------------------------------------------
// The rules.

/// The typed error a call ends with.
#[derive(Clone, Debug, PartialEq)]
enum WantError {
    Api {
        status: u16,
        retry_after: Option<Duration>,
        html: bool,
    },
    Transport {
        status: Option<u16>,
    },
    Timeout,
    Decode {
        status: Option<u16>,
    },
    TooLarge {
        status: Option<u16>,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Expected {
    /// Sent twice (the fault, then a normal answer) and succeeded.
    RetriedAndSucceeded,
    /// A DELETE whose first answer was lost after it took effect: sent
    /// twice, executed once, and the retry reports the record gone (Acquire
    /// answers an unknown id with 400 `ERROR_RECORD_NOT_FOUND`), a typed
    /// error rather than a second deletion.
    RetriedAndGone,
    /// Sent once, failed with this error; the handler ran `executed` times
    /// (`None`: at most once).
    Failed {
        error: WantError,
        executed: Option<u64>,
    },
}

/// The documented outcome of one cell.
fn expected(method: &str, fault: &FaultCase) -> Expected {
    // RetryPolicy: "Only requests that are safe to repeat are retried after
    // an answer: GET, HEAD, OPTIONS, PUT and DELETE, on 429, 502, 503 and 504
    // or on a transport failure. A POST is retried only when the connection
    // could not be opened." No fault here prevents the connection.
    let idempotent = matches!(
        method.to_ascii_uppercase().as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
    );
    let retried = match fault.seen {
        Seen::Status(status) => idempotent && matches!(status, 429 | 502 | 503 | 504),
        // Error::Transport: "connection refused or reset, DNS, TLS, a body
        // cut off mid-way"; Error::is_retryable: "transport failures,
        // time-outs". Both are transport failures.
        Seen::Reset | Seen::Timeout | Seen::BodyCut => idempotent,
        // Error::Decode: "a response arrived but its body is not what the
        // API describes"; not retryable.
        Seen::BadBody => false,
        // Error::ResponseTooLarge: "Not retryable: the same request would
        // fetch the same body."
        Seen::Endless => false,
    };
    if retried {
        let deleted_already =
            method.eq_ignore_ascii_case("DELETE") && matches!(fault.effect, Effect::Done);
        return if deleted_already {
            Expected::RetriedAndGone
        } else {
            Expected::RetriedAndSucceeded
        };
    }
    let error = match fault.seen {
        Seen::Status(status) => WantError::Api {
            status,
            retry_after: fault.retry_after,
            html: fault.html,
        },
        Seen::Reset => WantError::Transport { status: None },
        Seen::Timeout => WantError::Timeout,
        Seen::BodyCut => WantError::Transport { status: Some(200) },
        Seen::BadBody => WantError::Decode { status: Some(200) },
        Seen::Endless => WantError::TooLarge { status: Some(200) },
    };
    let executed = match fault.effect {
        Effect::None => Some(0),
        Effect::Done => Some(1),
        Effect::Late => None,
    };
    Expected::Failed { error, executed }
}

// ---------------------------------------------------------------------------
// Capturing logs and panics.

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn push(&self, text: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(text.as_bytes());
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Forwards `log` records (reqwest, rustls) into the same capture.
struct LogCapture(Captured);

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        self.0.push(&format!(
            "{} {} {}\n",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

static LOGS: OnceLock<Captured> = OnceLock::new();
static PANICS: OnceLock<Captured> = OnceLock::new();

/// Installs the subscriber, the logger and the panic hook (once).
fn capture() -> (Captured, Captured) {
    let logs = LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        let installed = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        assert!(installed.is_ok(), "a tracing subscriber was already set");
        let logger: &'static LogCapture = Box::leak(Box::new(LogCapture(logs.clone())));
        assert!(log::set_logger(logger).is_ok(), "a logger was already set");
        log::set_max_level(log::LevelFilter::Trace);
        logs
    });
    let panics = PANICS.get_or_init(|| {
        let panics = Captured::default();
        let sink = panics.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            sink.push(&format!("{info}\n"));
            previous(info);
        }));
        panics
    });
    (logs.clone(), panics.clone())
}

// ---------------------------------------------------------------------------
// Running cells.

/// What a cell observed.
struct Observed {
    result: Result<Result<(), Error>, String>,
    received: u64,
    executed: u64,
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
async fn run_cell(op_id: &'static str, call: Call, fault: Option<Fault>) -> Observed {
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
fn mismatch(want: &Expected, observed: &Observed) -> Option<String> {
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

fn label(expected: &Expected) -> String {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault() {
    let (logs, panics) = capture();

    // The panic capture works: a panicking task is seen and its message kept.
    let probe = tokio::spawn(async { panic!("fault-matrix panic probe") }).await;
    assert!(probe.is_err_and(|e| e.is_panic()));
    assert!(panics.text().contains("fault-matrix panic probe"));

    let spec = acquire_spec::Spec::embedded();
    let ops = operations();
    let in_spec: std::collections::BTreeSet<String> = spec
        .operations()
        .into_iter()
        .filter_map(|op| op.operation_id)
        .collect();
    let in_table: std::collections::BTreeSet<String> =
        ops.iter().map(|op| op.id.to_owned()).collect();
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
        let method = spec
            .operation(op.id)
            .map(|o| o.method)
            .unwrap_or_else(|| panic!("{} is not in the spec", op.id));
        for (f, fault) in cases.iter().enumerate() {
            cells.push((op, method.clone(), f, expected(&method, fault)));
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
