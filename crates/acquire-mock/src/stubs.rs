//! Stubs: answers a test sets for one operation, optionally only for the
//! requests whose validated input matches. A stub is consulted after the
//! request is authenticated and validated against the spec (a stubbed
//! operation still refuses invalid requests) and before the operation's
//! handler; a request no stub matches is handled as usual. Each stub
//! counts the requests it answered.

use std::{
    collections::HashMap,
    fmt,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard,
    },
};

use axum::{
    http::{Extensions, StatusCode},
    response::Response,
};
use serde_json::{Map, Value};

use crate::{
    connection::Cut,
    error::{error_body, json_response},
    faults::Fault,
    inject,
    input::Input,
};

/// What a matcher sees of a request: its validated input.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct StubRequest {
    /// Path, query and header parameters by their names in the spec,
    /// converted to their declared types (`caseId` is a number).
    pub params: Map<String, Value>,
    /// The JSON body, if one was sent.
    pub body: Option<Value>,
}

impl StubRequest {
    /// A request with these parameters and body (to test a matcher).
    pub fn new(params: Map<String, Value>, body: Option<Value>) -> Self {
        Self { params, body }
    }

    /// A parameter by its name in the spec (`caseId`, `threadId`...).
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    /// A member of the body (`contactId`, `caseId`...).
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.body.as_ref().and_then(|b| b.get(name))
    }

    /// An integer parameter, or else an integer member of the body, named
    /// `name`: the id a request is about, wherever the spec puts it.
    pub fn id(&self, name: &str) -> Option<i64> {
        self.param(name)
            .or_else(|| self.field(name))
            .and_then(Value::as_i64)
    }
}

/// Decides whether a stub answers a request.
pub type Matcher = Arc<dyn Fn(&StubRequest) -> bool + Send + Sync>;

/// What a stub answers.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// This status with this JSON body, as is (a success is
    /// `{"data": ...}`, as the spec's envelopes declare).
    Json {
        /// The HTTP status.
        status: u16,
        /// The whole body.
        body: Value,
    },
    /// Acquire's error body (`{"status", "type", "message"}`), as the fake
    /// sends its own errors.
    Error {
        /// The HTTP status.
        status: u16,
        /// Acquire's error type (`ERROR_RECORD_NOT_FOUND`...), if any.
        error_type: Option<String>,
        /// The message.
        message: String,
    },
    /// This fault, as [`Faults::inject`](crate::Faults::inject) would apply
    /// it: [`Fault::Status`], [`Fault::Html`] and [`Fault::Drop`] answer
    /// instead of the handler, [`Fault::Delay`] waits and then the request
    /// is handled, and the faults that act on an answer
    /// ([`Fault::DropAfter`], [`Fault::Truncate`], [`Fault::InvalidJson`])
    /// act on the handler's.
    Fault(Fault),
}

struct Entry {
    matcher: Option<Matcher>,
    reply: Reply,
    calls: AtomicU64,
}

/// A stub that was added: how many requests it answered.
#[derive(Clone)]
pub struct StubHandle {
    operation_id: String,
    entry: Arc<Entry>,
}

impl StubHandle {
    /// How many requests this stub answered so far.
    pub fn calls(&self) -> u64 {
        self.entry.calls.load(Ordering::SeqCst)
    }

    /// The operation it answers for.
    pub fn operation_id(&self) -> &str {
        &self.operation_id
    }
}

impl fmt::Debug for StubHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StubHandle")
            .field("operation_id", &self.operation_id)
            .field("reply", &self.entry.reply)
            .field("calls", &self.calls())
            .finish()
    }
}

/// The stubs of a running server, per `operationId`. Cheap to clone;
/// clones share the same stubs.
#[derive(Clone, Default)]
pub struct Stubs {
    by_operation: Arc<Mutex<HashMap<String, Vec<Arc<Entry>>>>>,
}

impl fmt::Debug for Stubs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stubs = self.lock();
        let mut ids: Vec<&String> = stubs.keys().collect();
        ids.sort();
        f.debug_struct("Stubs").field("operations", &ids).finish()
    }
}

impl Stubs {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Vec<Arc<Entry>>>> {
        self.by_operation
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Answers the requests of `operation_id` that `matcher` accepts (all
    /// of them without one) with `reply`. The stub added last is consulted
    /// first, so a narrower stub can be added over a broader one.
    pub fn add(&self, operation_id: &str, matcher: Option<Matcher>, reply: Reply) -> StubHandle {
        let entry = Arc::new(Entry {
            matcher,
            reply,
            calls: AtomicU64::new(0),
        });
        self.lock()
            .entry(operation_id.to_owned())
            .or_default()
            .push(entry.clone());
        StubHandle {
            operation_id: operation_id.to_owned(),
            entry,
        }
    }

    /// Removes one stub; whether it was there.
    pub fn remove(&self, stub: &StubHandle) -> bool {
        let mut stubs = self.lock();
        let Some(entries) = stubs.get_mut(&stub.operation_id) else {
            return false;
        };
        let before = entries.len();
        entries.retain(|e| !Arc::ptr_eq(e, &stub.entry));
        before != entries.len()
    }

    /// Removes every stub.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The reply of the stub that answers this request, counted, if any.
    fn answer(&self, operation_id: &str, input: &Input) -> Option<Reply> {
        let entries = self.lock().get(operation_id)?.clone();
        let request = StubRequest::new(input.params.clone(), input.body.clone());
        let entry = entries
            .iter()
            .rev()
            .find(|e| e.matcher.as_ref().is_none_or(|m| m(&request)))?;
        entry.calls.fetch_add(1, Ordering::SeqCst);
        Some(entry.reply.clone())
    }
}

/// The stub's answer to a validated request, or `None` to handle it (no
/// stub matched, or a fault that acts on the handler's answer, left in
/// `action` for the caller to apply after it).
pub(crate) async fn intercept(
    stubs: &Stubs,
    operation_id: &str,
    input: &Input,
    extensions: &Extensions,
    action: &mut Option<Fault>,
) -> Option<Response> {
    let status = |code: u16, otherwise: StatusCode| {
        StatusCode::from_u16(code)
            .ok()
            .filter(|s| (100..=599).contains(&s.as_u16()))
            .unwrap_or(otherwise)
    };
    match stubs.answer(operation_id, input)? {
        Reply::Json { status: code, body } => {
            Some(json_response(status(code, StatusCode::OK), &body))
        }
        Reply::Error {
            status: code,
            error_type,
            message,
        } => {
            let code = status(code, StatusCode::INTERNAL_SERVER_ERROR);
            let body = error_body(code, error_type.as_deref(), &message);
            Some(json_response(code, &body))
        }
        Reply::Fault(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            None
        }
        Reply::Fault(fault) => {
            let answer = inject::before(Some(&fault), extensions.get::<Cut>()).await;
            if answer.is_none() {
                *action = Some(fault);
            }
            answer
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(case_id: i64) -> Input {
        let mut params = Map::new();
        params.insert("caseId".into(), Value::from(case_id));
        Input { params, body: None }
    }

    #[test]
    fn the_last_matching_stub_answers_and_counts() {
        let stubs = Stubs::default();
        let any = stubs.add(
            "get_case",
            None,
            Reply::Json {
                status: 200,
                body: Value::from(1),
            },
        );
        let only_7 = stubs.add(
            "get_case",
            Some(Arc::new(|r: &StubRequest| r.id("caseId") == Some(7))),
            Reply::Json {
                status: 200,
                body: Value::from(7),
            },
        );
        let body = |r: Option<Reply>| match r {
            Some(Reply::Json { body, .. }) => body,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(body(stubs.answer("get_case", &input(7))), 7);
        assert_eq!(body(stubs.answer("get_case", &input(8))), 1);
        assert!(stubs.answer("list_cases", &input(7)).is_none());
        assert_eq!((any.calls(), only_7.calls()), (1, 1));
        assert!(stubs.remove(&any));
        assert!(!stubs.remove(&any));
        assert!(stubs.answer("get_case", &input(8)).is_none());
        stubs.clear();
        assert!(stubs.answer("get_case", &input(7)).is_none());
    }
}
