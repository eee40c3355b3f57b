//! Helpers shared by the workspace tests: the spec and its examples, the
//! normalisation used by round-trips, the decoder registry, and a mock server
//! that asserts exact requests.

use std::{collections::BTreeMap, path::PathBuf, sync::OnceLock};

use acquire_spec::{Example, Spec};
use serde_json::Value;

pub mod registry;

/// The API key the tests send; the mocks require exactly this one.
pub const TEST_KEY: &str = "test-key-7f3a";

/// The project's spec, parsed once.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| match Spec::load_default() {
        Ok(spec) => spec,
        Err(e) => panic!("the spec must load: {e}"),
    })
}

/// Every example of the spec, in document order.
pub fn examples() -> Vec<Example> {
    match spec().examples() {
        Ok(examples) => examples,
        Err(e) => panic!("the spec's examples must be listed: {e}"),
    }
}

/// The example behind `file` (relative to `openapi/`, e.g.
/// `examples/seed/join-case.response.json`), parsed.
pub fn example_file(relative: &str) -> Value {
    let path = spec().dir().join(relative);
    match acquire_spec::read_json(&path) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// A file under `tests/fixtures/`, parsed.
pub fn fixture(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative);
    match acquire_spec::read_json(&path) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// The normalisation under which a decode/encode round-trip must be the
/// identity. Each rule is one documented way the generated types re-encode:
///
/// 1. `null` ≡ absent: an optional field holding `null` decodes to `None`,
///    which is not re-encoded (`skip_serializing_if`).
/// 2. `[]` and `{}` ≡ absent for object members: an empty optional array or
///    free-form map decodes to an empty `Vec` or `Map`, which is not
///    re-encoded.
/// 3. Timestamps are compared as instants: `2021-03-24T10:31:24.000Z`
///    re-encodes as `2021-03-24T10:31:24Z`.
///
/// Nothing else is dropped or rewritten: every other field must survive.
pub fn normalise(value: &Value) -> Value {
    match value {
        // Members are normalised before the empty ones are dropped, so a
        // member that only holds absent members is absent too, and
        // normalising twice changes nothing.
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalise(v)))
                .filter(|(_, v)| !is_empty_member(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(instant) => Value::String(
                instant
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            ),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

fn is_empty_member(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Lists, by JSON pointer, where two values differ (empty when equal).
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_into("", expected, actual, &mut out);
    out
}

fn diff_into(at: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let keys: BTreeMap<&String, ()> = e.keys().chain(a.keys()).map(|k| (k, ())).collect();
            for key in keys.keys() {
                let here = format!("{at}/{}", acquire_spec::escape(key));
                match (e.get(*key), a.get(*key)) {
                    (Some(ev), Some(av)) => diff_into(&here, ev, av, out),
                    (Some(ev), None) => out.push(format!("{here}: lost (was {ev})")),
                    (None, Some(av)) => out.push(format!("{here}: added ({av})")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff_into(&format!("{at}/{i}"), ev, av, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{at}: {expected} became {actual}")),
    }
}

/// A mock Acquire server and a generated client pointed at it.
pub mod mock {
    use acquire_api::{ApiKey, Client};
    use wiremock::{
        matchers::{any, header, method, path},
        Match, Mock, MockServer, Request, ResponseTemplate,
    };

    use super::{normalise, TEST_KEY};

    /// Status the catch-all answers with, so an unmatched request is obvious.
    pub const UNMATCHED: u16 = 599;

    /// A running mock with a catch-all mounted last: any request that no
    /// expectation matched gets [`UNMATCHED`] and is named by
    /// [`describe_requests`].
    pub async fn server() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(UNMATCHED).set_body_string("no expectation matched"),
            )
            .with_priority(u8::MAX)
            .named("catch-all")
            .mount(&server)
            .await;
        server
    }

    /// A generated client for `server`, authenticating with [`TEST_KEY`].
    pub fn client(server: &MockServer) -> Client {
        let key = match ApiKey::new(TEST_KEY) {
            Ok(key) => key,
            Err(e) => panic!("{e}"),
        };
        Client::with_api_key(&server.uri(), key, reqwest::Client::new())
    }

    /// The body of the only request `server` received, as text.
    pub async fn only_request_body(server: &MockServer) -> String {
        let requests = server.received_requests().await.unwrap_or_default();
        match requests.as_slice() {
            [only] => String::from_utf8_lossy(&only.body).into_owned(),
            other => panic!("expected exactly one request, got {}", other.len()),
        }
    }

    /// Every request the server received, one line each, for failure messages.
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

    /// The query string must hold exactly these pairs, in any order.
    pub struct ExactQuery(pub Vec<(String, String)>);

    impl Match for ExactQuery {
        fn matches(&self, request: &Request) -> bool {
            let mut got: Vec<(String, String)> = request
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let mut want = self.0.clone();
            got.sort();
            want.sort();
            got == want
        }
    }

    /// A JSON body equal to the expected one under [`normalise`](super::normalise)
    /// (the generated types leave out empty optional members).
    pub struct NormalisedJsonBody(pub serde_json::Value);

    impl Match for NormalisedJsonBody {
        fn matches(&self, request: &Request) -> bool {
            serde_json::from_slice::<serde_json::Value>(&request.body)
                .is_ok_and(|got| normalise(&got) == normalise(&self.0))
        }
    }

    /// No body at all (or an empty one).
    pub struct NoBody;

    impl Match for NoBody {
        fn matches(&self, request: &Request) -> bool {
            request.body.is_empty()
        }
    }

    /// What one operation must send.
    pub struct Expected<'a> {
        /// HTTP method, upper case.
        pub method: &'a str,
        /// Path below the base URL.
        pub path: &'a str,
        /// Every query pair.
        pub query: &'a [(&'a str, &'a str)],
        /// The JSON body, or `None` for no body.
        pub body: Option<serde_json::Value>,
    }

    /// Mounts an expectation that matches exactly `expected` (method, path,
    /// query, `Authorization: Bearer <TEST_KEY>`, body), must be hit once,
    /// and answers with `response`.
    pub async fn expect(server: &MockServer, expected: Expected<'_>, response: ResponseTemplate) {
        let query = ExactQuery(
            expected
                .query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        let builder = Mock::given(method(expected.method))
            .and(path(expected.path))
            .and(query)
            .and(header(
                "authorization",
                format!("Bearer {TEST_KEY}").as_str(),
            ));
        let builder = match expected.body {
            Some(body) => builder.and(NormalisedJsonBody(body)),
            None => builder.and(NoBody),
        };
        builder
            .respond_with(response)
            .expect(1)
            .named(format!("{} {}", expected.method, expected.path))
            .mount(server)
            .await;
    }
}
