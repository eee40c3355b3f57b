//! Helpers shared by the wrapper's tests: a client of the workspace's mock
//! harness (`acquire_tests::wire`), the spec's examples, and checking a
//! request against the spec.

#![allow(dead_code)] // Each test file uses its own subset.

use std::path::PathBuf;

use acquire::{Client, ClientConfig, RetryPolicy};
use serde_json::Value;
use wiremock::MockServer;

/// The key every test client sends; long enough to be scrubbed from errors.
pub const KEY: &str = "sk-live-0123456789abcdef";

#[allow(unused_imports)] // Each test file uses its own subset.
pub use acquire_tests::wire::{describe_requests, expect, sent, server, ExactRequest, UNMATCHED};

/// A client of `server` sending [`KEY`], without retries.
pub fn client(server: &MockServer) -> Client {
    fake_client(&server.uri())
}

/// A client of the server at `base_url` (e.g. the fake's) sending [`KEY`],
/// without retries.
pub fn fake_client(base_url: &str) -> Client {
    let config = ClientConfig::default()
        .with_base_url(base_url)
        .and_then(|c| c.with_api_key(KEY))
        .map(|c| c.with_retry_policy(RetryPolicy::none()));
    match config.and_then(Client::with_config) {
        Ok(client) => client,
        Err(e) => panic!("{e}"),
    }
}

/// An example file of the spec, e.g. `authored/get-note.response.json`.
pub fn example(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../openapi/examples")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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
