//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::{collections::HashMap, fmt::Display, time::Duration};

use acquire_mock::{MockConfig, MockServer, RunningServer};
use acquire_spec::{Spec, Strictness};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

pub const KEY: &str = "test-key-0123";

/// Where the API lives on a fake server (its base URL's path).
pub const PREFIX: &str = "/api/v1";

/// The spec the fake serves (compiled into `acquire-spec`).
pub fn spec() -> &'static Spec {
    Spec::embedded()
}

/// A request to one operation: its method and path as the spec declares
/// them (by `operationId`, see [`op`]), the path parameters and the query
/// filled in by the test. A row therefore names the operation and never
/// restates its method or path.
#[derive(Clone, Debug)]
pub struct Op {
    /// The HTTP method, uppercase.
    pub method: String,
    /// The path below the base URL, with its query when one was added.
    pub path: String,
}

/// The operation `operation_id` of the spec, its path parameters still to
/// fill ([`Op::at`]).
pub fn op(operation_id: &str) -> Op {
    let operation = spec()
        .operation(operation_id)
        .unwrap_or_else(|| panic!("the spec has no operation {operation_id}"));
    Op {
        method: operation.method.to_ascii_uppercase(),
        path: operation.path,
    }
}

impl Op {
    /// A method and path written out: only for requests the spec does not
    /// declare (wrong methods, unknown paths).
    pub fn literal(method: &str, path: &str) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
        }
    }

    /// Fills the first path parameter (`{name}`) still in the template.
    pub fn at(mut self, value: impl Display) -> Self {
        let start = self
            .path
            .find('{')
            .unwrap_or_else(|| panic!("{}: no path parameter left to fill", self.path));
        let end = start + self.path[start..].find('}').expect("a closed parameter");
        self.path.replace_range(start..=end, &value.to_string());
        self
    }

    /// Adds a query string (already encoded: `a=1&b=x%7Cy`).
    pub fn query(mut self, query: &str) -> Self {
        let separator = if self.path.contains('?') { '&' } else { '?' };
        self.path = format!("{}{separator}{query}", self.path);
        self
    }

    /// The path, once every parameter is filled.
    pub fn path(&self) -> &str {
        assert!(
            !self
                .path
                .split('?')
                .next()
                .unwrap_or_default()
                .contains('{'),
            "{}: a path parameter is not filled in",
            self.path
        );
        &self.path
    }

    /// The request target on the server: the prefix and the path.
    pub fn target(&self) -> String {
        format!("{PREFIX}{}", self.path())
    }

    /// The full URL below `base` (a server's base URL, ending in the
    /// prefix).
    pub fn url(&self, base: &str) -> String {
        format!("{base}{}", self.path())
    }

    /// A reqwest request for it below `base`, without a key.
    pub fn request_to(&self, base: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("method");
        client().request(method, self.url(base))
    }

    /// A reqwest request for it on `server`, without a key.
    pub fn request(&self, server: &RunningServer) -> reqwest::RequestBuilder {
        self.request_to(server.base_url())
    }

    /// The same, with the test key.
    pub fn authorized(&self, server: &RunningServer) -> reqwest::RequestBuilder {
        self.request(server).bearer_auth(KEY)
    }

    /// A raw HTTP/1.1 request for it, as [`http`] builds them.
    pub fn raw(&self, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        http(&self.method, &self.target(), headers, body)
    }
}

/// Creating a case for the seeded contact 597752, the request most tests
/// repeat.
pub fn create() -> Op {
    op("create_case").query("contactId=597752")
}

/// Sends `op` with the test key and an optional raw body.
pub async fn send(server: &RunningServer, op: &Op, body: Option<&str>) -> Reply {
    send_with(server, op, body, Some(KEY), &[]).await
}

/// Like [`send`], with a chosen key (None: no header) and extra headers.
pub async fn send_with(
    server: &RunningServer,
    op: &Op,
    body: Option<&str>,
    key: Option<&str>,
    headers: &[(&str, &str)],
) -> Reply {
    call_with(server, &op.method, op.path(), body, key, headers).await
}

/// A server with the test key, seed data and header faults on.
pub async fn start() -> RunningServer {
    start_with(MockConfig::default()).await
}

/// A server from `config`, with the test key.
pub async fn start_with(config: MockConfig) -> RunningServer {
    MockServer::start(config.with_api_key(KEY).with_faults_enabled(true))
        .await
        .expect("server starts")
}

/// A plain reqwest client.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// One response: status, headers, body parsed as JSON (Null if not JSON).
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

impl Reply {
    /// Asserts that the request `what` was refused with 400
    /// `ERROR_INVALID_INPUT` and a message that names each of `fields` as a
    /// word of its own ([`names`]).
    pub fn assert_refused_naming(&self, what: &str, fields: &[&str]) {
        assert_eq!(self.status, 400, "{what}: {}", self.json);
        assert_eq!(
            self.json["type"], "ERROR_INVALID_INPUT",
            "{what}: {}",
            self.json
        );
        let message = self.json["message"].as_str().unwrap_or_default();
        for field in fields {
            assert!(
                names(message, field),
                "{what}: `{message}` does not name {field}"
            );
        }
    }
}

/// Whether `message` names `field` as a word of its own (`to` in
/// `data: "to" is a required property`, not in `another`).
pub fn names(message: &str, field: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    message.match_indices(field).any(|(at, _)| {
        let before = message[..at].chars().next_back();
        let after = message[at + field.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// Sends `method path` (relative to the base URL) with the test key and an
/// optional raw body.
pub async fn call(server: &RunningServer, method: &str, path: &str, body: Option<&str>) -> Reply {
    call_with(server, method, path, body, Some(KEY), &[]).await
}

/// Like [`call`], with a chosen key (None: no header) and extra headers.
pub async fn call_with(
    server: &RunningServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    key: Option<&str>,
    headers: &[(&str, &str)],
) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client().request(method, format!("{}{path}", server.base_url()));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body");
    Reply {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// Writes raw bytes on a fresh connection and reads until the server closes
/// it (or 10 s pass, which fails the test).
pub async fn raw(server: &RunningServer, bytes: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    // A write may fail if the server already answered and closed.
    let _ = stream.write_all(bytes).await;
    until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server kept the connection open")
}

/// Reads until the server closes the connection (EOF or reset) and returns
/// what it sent; `None` when it was still open after `patience`.
pub async fn until_closed(stream: &mut TcpStream, patience: Duration) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let read = tokio::time::timeout(patience, async {
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| out)
}

/// The JSON body of a raw response (`Null` when it has none).
pub fn body_of(response: &[u8]) -> serde_json::Value {
    let text = String::from_utf8_lossy(response);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

/// A raw HTTP/1.1 request with `Connection: close`.
pub fn http(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "{method} {target} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\nauthorization: Bearer {KEY}\r\ncontent-length: {}\r\n",
        body.len()
    )
    .into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// The status code of a raw response (0 when there is none).
pub fn raw_status(response: &[u8]) -> u16 {
    std::str::from_utf8(response.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Validates response bodies against the spec, compiling each schema once.
pub struct Checker {
    pub spec: Spec,
    cache: HashMap<String, acquire_spec::SchemaValidator>,
}

impl Checker {
    pub fn new() -> Self {
        Self {
            spec: spec().clone(),
            cache: HashMap::new(),
        }
    }

    /// Whether the spec declares `operation_id`.
    pub fn has(&self, operation_id: &str) -> bool {
        self.spec.operation(operation_id).is_some()
    }

    /// The failures of `body` against the response schema of
    /// `operation_id` for `status`; undeclared statuses are checked against
    /// `ErrorBody`. Only declared properties are allowed: the body must pass
    /// both as declared and with `Strictness::DeclaredOnly`, except that a
    /// schema whose `additionalProperties` is itself a schema (a map, e.g.
    /// the positional entries of close) keeps its extra keys.
    pub fn failures(&mut self, operation_id: &str, status: u16, body: &Value) -> Vec<String> {
        let mut out = self.failures_as(operation_id, status, body, Strictness::AsDeclared);
        for failure in self.failures_as(operation_id, status, body, Strictness::DeclaredOnly) {
            let map_typed = failure
                .split("(rule ")
                .nth(1)
                .and_then(|rule| rule.strip_suffix(')'))
                .and_then(|rule| self.spec.document().pointer(rule))
                .is_some_and(|extra| extra.as_object().is_some_and(|o| !o.is_empty()));
            if !map_typed && !out.contains(&failure) {
                out.push(failure);
            }
        }
        out
    }

    fn failures_as(
        &mut self,
        operation_id: &str,
        status: u16,
        body: &Value,
        strictness: Strictness,
    ) -> Vec<String> {
        let key = format!("{operation_id} {status} {strictness:?}");
        if !self.cache.contains_key(&key) {
            let op = self
                .spec
                .operation(operation_id)
                .expect("operation in spec");
            let declared = op
                .value
                .pointer(&format!("/responses/{status}"))
                .or_else(|| op.value.pointer("/responses/default"))
                .cloned();
            let schema = match declared {
                Some(response) => self
                    .spec
                    .resolve(&response)
                    .expect("response resolves")
                    .pointer("/content/application~1json/schema")
                    .cloned()
                    .expect("response has a JSON schema"),
                None => serde_json::json!({"$ref": "#/components/schemas/ErrorBody"}),
            };
            let validator = self
                .spec
                .validator(&schema, strictness)
                .expect("schema compiles");
            self.cache.insert(key.clone(), validator);
        }
        self.cache[&key]
            .failures(body)
            .into_iter()
            .map(|f| f.to_string())
            .collect()
    }
}
