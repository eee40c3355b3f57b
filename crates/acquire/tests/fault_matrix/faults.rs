//! Faults, what each one looks like from the client, and the documented
//! rules that say how each cell must end ([`expected`]).

use std::time::Duration;

use acquire_mock::Fault;

use crate::STALL;

/// What the client meets on the faulted attempt.
#[derive(Clone, Copy, Debug)]
pub enum Seen {
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
pub enum Effect {
    /// Refused before the handler: nothing happened.
    None,
    /// Handled: the work was done.
    Done,
    /// Handled after the client gave up, or not at all (the server may be
    /// stopped first).
    Late,
}

/// One fault of the matrix.
pub struct FaultCase {
    /// How the matrix names it.
    pub name: &'static str,
    /// What the fake does on the faulted attempt.
    pub fault: Fault,
    /// What the client meets.
    pub seen: Seen,
    /// Whether the faulted attempt reached the handler.
    pub effect: Effect,
    /// `Retry-After` the answer carries.
    pub retry_after: Option<Duration>,
    /// The body is an HTML page, not Acquire's JSON.
    pub html: bool,
}

/// The faults a client meets in production, each injected once.
pub fn faults() -> Vec<FaultCase> {
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

/// The typed error a call ends with.
#[derive(Clone, Debug, PartialEq)]
pub enum WantError {
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
/// How a cell must end.
pub enum Expected {
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
pub fn expected(method: &str, fault: &FaultCase) -> Expected {
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
