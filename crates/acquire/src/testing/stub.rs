//! Typed stubs: one operation's answer set by a test, named by the
//! operation's marker type and written with its generated types.

use std::{marker::PhantomData, sync::Arc};

use acquire_api::operations::TypedOperation;
use acquire_mock::{Fault, Matcher, Reply, StubHandle, StubRequest, Stubs};
use serde_json::Value;

use crate::ErrorType;

/// Sets a stub of operation `O`: optionally [`when`](Self::when), then
/// [`respond`](Self::respond), [`fail`](Self::fail) or
/// [`fault`](Self::fault). Stubs are checked after the fake authenticated
/// the request and validated it against the spec (a stubbed operation
/// still refuses an invalid request), before its handler; a request no stub
/// matches is handled by the fake as usual. The stub set last is checked
/// first.
#[must_use = "a stub is set by respond, fail or fault"]
pub struct StubBuilder<'a, O> {
    stubs: &'a Stubs,
    matcher: Option<Matcher>,
    operation: PhantomData<O>,
}

impl<O> std::fmt::Debug for StubBuilder<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StubBuilder")
            .field("matcher", &self.matcher.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a, O: TypedOperation> StubBuilder<'a, O> {
    pub(super) fn new(stubs: &'a Stubs) -> Self {
        Self {
            stubs,
            matcher: None,
            operation: PhantomData,
        }
    }

    /// Answers only the requests `matches` accepts; it sees the validated
    /// parameters (by their names in the spec, e.g. `caseId`) and body.
    pub fn when(mut self, matches: impl Fn(&StubRequest) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Arc::new(matches));
        self
    }

    fn set(self, reply: Reply) -> Stub<O> {
        Stub {
            stubs: self.stubs.clone(),
            handle: self.stubs.add(O::ID, self.matcher, reply),
            operation: PhantomData,
        }
    }

    /// Answers 200 with `data` in the operation's success envelope.
    pub fn respond(self, data: O::Data) -> Stub<O> {
        let body = serde_json::to_value(&data).map(|data| match O::DATA_MEMBER {
            Some(member) => Value::Object([(member.to_owned(), data)].into_iter().collect()),
            None => data,
        });
        self.set(encoded(body))
    }

    /// Answers 200 with this whole response body.
    pub fn respond_with(self, response: O::Response) -> Stub<O> {
        self.set(encoded(serde_json::to_value(&response)))
    }

    /// Answers with Acquire's error body: `status`, `error_type` and
    /// `message`, as [`crate::Error::Api`] reads them.
    pub fn fail(self, status: u16, error_type: ErrorType, message: impl Into<String>) -> Stub<O> {
        self.set(Reply::Error {
            status,
            error_type: Some(error_type.to_string()),
            message: message.into(),
        })
    }

    /// Applies `fault` to the matching requests, as
    /// [`Faults::inject`](acquire_mock::Faults::inject) would (a
    /// [`Fault::Status`] answers instead of the handler, a
    /// [`Fault::Delay`] waits then lets it answer...).
    pub fn fault(self, fault: Fault) -> Stub<O> {
        self.set(Reply::Fault(fault))
    }
}

/// A 200 with `body`, or a 500 saying why it could not be written.
fn encoded(body: Result<Value, serde_json::Error>) -> Reply {
    match body {
        Ok(body) => Reply::Json { status: 200, body },
        Err(e) => Reply::Error {
            status: 500,
            error_type: Some("ERROR_SERVER_ERROR".to_owned()),
            message: format!("the stub's value could not be written as JSON: {e}"),
        },
    }
}

/// A stub set on a fake: how many requests it answered. It stays until
/// [`remove`](Self::remove)d or the fake stops.
pub struct Stub<O> {
    stubs: Stubs,
    handle: StubHandle,
    operation: PhantomData<O>,
}

impl<O> std::fmt::Debug for Stub<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.handle.fmt(f)
    }
}

impl<O: TypedOperation> Stub<O> {
    /// How many requests it answered so far.
    pub fn calls(&self) -> u64 {
        self.handle.calls()
    }

    /// Removes it: the operation is handled as before.
    pub fn remove(self) {
        self.stubs.remove(&self.handle);
    }
}
