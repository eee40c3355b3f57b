//! Helpers shared by the wrapper's tests: a mock with a catch-all, a client
//! for it, an exact-request matcher and the spec's examples.

#![allow(dead_code)] // Each test file uses its own subset.

use std::path::PathBuf;

use acquire::{Client, ClientConfig, RetryPolicy};
use serde_json::Value;
use wiremock::{matchers::any, Match, Mock, MockServer, Request, ResponseTemplate};

/// The key every test client sends; long enough to be scrubbed from errors.
pub const KEY: &str = "sk-live-0123456789abcdef";

/// What the catch-all answers, so a request no expectation matched fails.
pub const UNMATCHED: u16 = 599;

/// A mock server whose catch-all (mounted last) answers [`UNMATCHED`].
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(UNMATCHED).set_body_string("no expectation matched"))
        .with_priority(u8::MAX)
        .named("catch-all")
        .mount(&server)
        .await;
    server
}

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

/// Exactly one request: method, path, query pairs in order, `Authorization`,
/// the listed extra headers (and no `x-user-type` unless listed), and the
/// JSON body (or none).
#[derive(Clone, Debug)]
pub struct ExactRequest {
    pub method: &'static str,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: Option<Value>,
}

impl ExactRequest {
    /// What `request` does differently; empty when it is exactly this one.
    pub fn differences(&self, request: &Request) -> Vec<String> {
        let mut wrong = Vec::new();
        if request.method.as_str() != self.method {
            wrong.push(format!(
                "method {} instead of {}",
                request.method, self.method
            ));
        }
        if request.url.path() != self.path {
            wrong.push(format!(
                "path {} instead of {}",
                request.url.path(),
                self.path
            ));
        }
        let query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if query != self.query {
            wrong.push(format!("query {query:?} instead of {:?}", self.query));
        }
        let header = |name: &str| -> Vec<String> {
            request
                .headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect()
        };
        let bearer = format!("Bearer {KEY}");
        if header("authorization") != [bearer.as_str()] {
            wrong.push("Authorization is not the bearer key".into());
        }
        for (name, value) in &self.headers {
            if header(name) != [*value] {
                wrong.push(format!(
                    "header {name}: {:?} instead of {value:?}",
                    header(name)
                ));
            }
        }
        if !self.headers.iter().any(|(n, _)| *n == "x-user-type")
            && !header("x-user-type").is_empty()
        {
            wrong.push(format!(
                "unexpected x-user-type {:?}",
                header("x-user-type")
            ));
        }
        match &self.body {
            None if !request.body.is_empty() => wrong.push(format!(
                "a body {:?} where none is expected",
                String::from_utf8_lossy(&request.body)
            )),
            None => {}
            Some(expected) => {
                match serde_json::from_slice::<Value>(&request.body) {
                    Ok(got) if &got == expected => {}
                    Ok(got) => wrong.push(format!("body {got} instead of {expected}")),
                    Err(e) => wrong.push(format!("body is not JSON: {e}")),
                }
                let content_type = header("content-type");
                if content_type != ["application/json"] {
                    wrong.push(format!("content-type {content_type:?}"));
                }
            }
        }
        wrong
    }
}

impl Match for ExactRequest {
    fn matches(&self, request: &Request) -> bool {
        self.differences(request).is_empty()
    }
}

/// Mounts `expected`, answering `response`; anything else gets the
/// catch-all's [`UNMATCHED`]. Callers count the requests themselves (a
/// failed `expect(1)` would panic on drop, before the failures are listed).
pub async fn expect(server: &MockServer, expected: ExactRequest, response: ResponseTemplate) {
    let name = format!("{} {}", expected.method, expected.path);
    Mock::given(expected)
        .respond_with(response)
        .named(name)
        .mount(server)
        .await;
}

/// Every request `server` received, one line each.
pub async fn describe_requests(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| {
            format!(
                "{} {} body={}",
                r.method,
                r.url,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
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
        request.method,
        &request.path,
        (!query.is_empty()).then_some(query.as_str()),
        &headers,
        &body,
    )
}

/// How many requests `server` received.
pub async fn sent(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}
