//! Helpers shared by the wrapper's tests: clients of the workspace's mock
//! harness (`acquire_tests::wire`), checking a request against the spec,
//! and capturing what the client logs.

#![allow(dead_code)] // Each test file uses its own subset.

use std::{
    io,
    sync::{Arc, Mutex},
};

use acquire::{
    CaseId, Client, ClientConfig, ContactId, RetryPolicy, SendEmail, SmsRoute, ThreadId, TimelineId,
};
use serde_json::Value;
use wiremock::{MockServer, Request};

/// The key every test client sends; long enough to be scrubbed from errors.
pub const KEY: &str = "sk-live-0123456789abcdef";

#[allow(unused_imports)] // Each test file uses its own subset.
pub use acquire_tests::{
    operation, operation_path, raw_request, request_example, response_example,
    wire::{
        answer_operation, answering, describe_requests, expect, explain, only_request, sent,
        server, ExactRequest, UNMATCHED,
    },
};

/// A client of `server` sending [`KEY`], without retries.
pub fn client(server: &MockServer) -> Client {
    fake_client(&server.uri())
}

/// A client of the server at `base_url` (e.g. the fake's) sending [`KEY`],
/// without retries.
pub fn fake_client(base_url: &str) -> Client {
    configured(base_url, |c| c.with_retry_policy(RetryPolicy::none()))
}

/// A client of the server at `base_url` sending [`KEY`], its configuration
/// otherwise the default changed by `configure`.
pub fn configured(base_url: &str, configure: impl FnOnce(ClientConfig) -> ClientConfig) -> Client {
    ClientConfig::default()
        .with_base_url(base_url)
        .and_then(|c| c.with_api_key(KEY))
        .map(configure)
        .and_then(Client::with_config)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A base URL on a loopback port where nothing listens.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    drop(listener);
    format!("http://{addr}/api/v1")
}

/// The documented answer of `join_case`: a case, as `get_case` and the
/// other operations answering a case send it too.
pub fn documented_case() -> Value {
    response_example("join_case", "200", "join")
}

/// The route of the documented SMS (`send_sms`'s request example): from
/// `+15005550006` to `+14155550123`, contact 597760, thread 1710,
/// timeline 5120.
pub fn sms_route() -> SmsRoute {
    SmsRoute {
        from: "+15005550006".into(),
        to: "+14155550123".into(),
        contact: ContactId(597760),
        thread: ThreadId(1710),
        timeline: TimelineId(5120),
    }
}

/// The documented email (`send_email_message`'s request example but its
/// `bcc`): case 1702, contact 597752, from `support@example.acquire.io` to
/// `customer@example.com`, with its subject and HTML body.
pub fn documented_email(client: &Client) -> SendEmail<'_> {
    client
        .messages()
        .send_email(
            CaseId(1702),
            ContactId(597752),
            "support@example.acquire.io",
            ["customer@example.com"],
        )
        .subject("Re: Your order")
        .html_body("<p>Your order has shipped.</p>")
}

/// `value["data"]` decoded as `T`: what a wrapper method must return.
pub fn data<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value["data"].clone()).unwrap_or_else(|e| panic!("{e}"))
}

/// `request` with this query, these headers and this body.
pub fn exact(
    request: ExactRequest,
    query: &[(&str, &str)],
    headers: &[(&'static str, &'static str)],
    body: Option<Value>,
) -> ExactRequest {
    ExactRequest {
        query: query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        headers: headers.to_vec(),
        body,
        ..request
    }
}

/// Checks `request` against the spec as the fake server would (its
/// `Authorization` being the bearer key); the operation's id when it holds.
pub fn check_against_spec(
    checker: &acquire_mock::RequestChecker,
    request: &ExactRequest,
) -> Result<String, String> {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&request.query)
        .finish();
    let bearer = format!("Bearer {KEY}");
    let mut headers: Vec<(&str, &str)> = vec![("authorization", bearer.as_str())];
    headers.extend(request.headers.iter().copied());
    let body = request
        .body
        .as_ref()
        .map(|b| serde_json::to_vec(b).unwrap_or_default())
        .unwrap_or_default();
    if request.body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    checker.check(
        &request.method,
        &request.path,
        (!query.is_empty()).then_some(query.as_str()),
        &headers,
        &body,
    )
}

/// Checks a request a mock received (from a client of [`client`], whose
/// paths have no base path) against the spec as the fake server would,
/// with every header it carried; the operation's id when it holds.
pub fn check_received(
    checker: &acquire_mock::RequestChecker,
    request: &Request,
) -> Result<String, String> {
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_owned())))
        .collect();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    checker.check(
        request.method.as_str(),
        request.url.path(),
        request.url.query(),
        &headers,
        &request.body,
    )
}

/// Collects what a `tracing` subscriber or a logger writes, shared by its
/// clones.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Appends `text`.
    pub fn push(&self, text: &str) {
        self.append(text.as_bytes());
    }

    fn append(&self, bytes: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
