//! The one wiremock harness of the workspace's tests (the generated
//! client's, the `acquire` crate's and the command's): a mock server whose
//! catch-all names every request no expectation matched, an exact-request
//! matcher, and a matcher of all the requests of one operation, both taking
//! method and path from the operation table.

use serde_json::Value;
use wiremock::{matchers::any, Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::normalise;

/// Status the catch-all answers with, so an unmatched request is obvious.
pub const UNMATCHED: u16 = 599;

/// A running mock with a catch-all mounted last: any request that no
/// expectation matched gets [`UNMATCHED`] and is named by
/// [`describe_requests`].
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

/// A [`server`] answering every request with `response` (a template, or a
/// function of the request): for tests of what the client makes of an
/// answer, whatever it sent.
pub async fn answering(response: impl Respond + 'static) -> MockServer {
    let server = server().await;
    Mock::given(any())
        .respond_with(response)
        .named("any request")
        .mount(&server)
        .await;
    server
}

/// How an expected JSON body is compared with the one sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyMatch {
    /// Equal as JSON values.
    Exact,
    /// Equal under [`normalise`]: the generated types
    /// leave out empty optional members of a documented example.
    Normalised,
}

/// Exactly one request: method, path, query pairs in order, `Authorization:
/// Bearer <key>`, the listed extra headers (and no `x-user-type` header
/// unless listed: it is a query parameter), and the JSON body (or none).
#[derive(Clone, Debug)]
pub struct ExactRequest {
    /// The HTTP method, upper case.
    pub method: String,
    /// The whole path, base path included.
    pub path: String,
    /// Every query pair, in the order sent.
    pub query: Vec<(String, String)>,
    /// Headers the request must carry besides `Authorization`.
    pub headers: Vec<(&'static str, &'static str)>,
    /// The JSON body, or `None` for a request without one.
    pub body: Option<Value>,
    /// The API key the request must carry.
    pub key: String,
    /// How [`body`](Self::body) is compared with the one sent.
    pub body_match: BodyMatch,
}

impl ExactRequest {
    /// An exact request of `method` and `path` with no query, header or
    /// body, authenticated with `key`; fill in the rest.
    pub fn new(method: &str, path: impl Into<String>, key: &str) -> Self {
        Self {
            method: method.to_owned(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            key: key.to_owned(),
            body_match: BodyMatch::Exact,
        }
    }

    /// The exact request of `operation` (its method and path template from
    /// the operation table, the template filled with `path_params`, below
    /// `prefix` such as `/api/v1`), authenticated with `key`.
    pub fn for_operation(
        operation: &str,
        path_params: &[(&str, &str)],
        prefix: &str,
        key: &str,
    ) -> Self {
        let path = crate::operation_path(operation, path_params);
        Self::new(
            crate::operation(operation).method,
            format!("{prefix}{path}"),
            key,
        )
    }

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
        let bearer = format!("Bearer {}", self.key);
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
                "unexpected x-user-type header {:?}",
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
                    Ok(got) => {
                        let same = match self.body_match {
                            BodyMatch::Exact => &got == expected,
                            BodyMatch::Normalised => normalise(&got) == normalise(expected),
                        };
                        if !same {
                            wrong.push(format!("body {got} instead of {expected}"));
                        }
                    }
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

/// Matches every request of one operation: its method and its path
/// template from the operation table (below a prefix such as `/api/v1`),
/// any value standing in a path parameter, whatever the query, headers and
/// body.
#[derive(Clone, Debug)]
pub struct OperationRequest {
    method: &'static str,
    path: String,
}

impl OperationRequest {
    /// The requests of `operation` below `prefix`.
    pub fn new(operation: &str, prefix: &str) -> Self {
        let op = crate::operation(operation);
        Self {
            method: op.method,
            path: format!("{prefix}{}", op.path),
        }
    }
}

impl Match for OperationRequest {
    fn matches(&self, request: &Request) -> bool {
        let template: Vec<&str> = self.path.split('/').collect();
        let path: Vec<&str> = request.url.path().split('/').collect();
        request.method.as_str() == self.method
            && template.len() == path.len()
            && template.iter().zip(&path).all(|(t, p)| {
                let parameter = t.starts_with('{') && t.ends_with('}');
                if parameter {
                    !p.is_empty()
                } else {
                    t == p
                }
            })
    }
}

/// Mounts `response` (a template, or a function of the request) for every
/// request of `operation` below `prefix` (see [`OperationRequest`]);
/// anything else gets the catch-all's [`UNMATCHED`].
pub async fn answer_operation(
    server: &MockServer,
    operation: &str,
    prefix: &str,
    response: impl Respond + 'static,
) {
    Mock::given(OperationRequest::new(operation, prefix))
        .respond_with(response)
        .named(operation)
        .mount(server)
        .await;
}

/// Every request `server` received, one line each, for failure messages.
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

/// Every request `server` received and how each differs from `expected`,
/// for the message of a call that did not get its answer.
pub async fn explain(server: &MockServer, expected: &ExactRequest) -> String {
    let received = server.received_requests().await.unwrap_or_default();
    let why: Vec<String> = received
        .iter()
        .flat_map(|r| expected.differences(r))
        .collect();
    format!(
        "requests received:\n{}\ndifferences: {why:?}",
        describe_requests(server).await
    )
}

/// How many requests `server` received.
pub async fn sent(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The only request `server` received; panics listing them when it
/// received none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    if requests.len() != 1 {
        panic!(
            "expected exactly one request, got {}:\n{}",
            requests.len(),
            describe_requests(server).await
        );
    }
    requests.remove(0)
}

/// The body of the only request `server` received, as text.
pub async fn only_request_body(server: &MockServer) -> String {
    String::from_utf8_lossy(&only_request(server).await.body).into_owned()
}
