//! Helpers shared by the workspace's tests (this crate's, the `acquire`
//! crate's and the command's): the spec and its examples, an operation's
//! path and examples from the operation table by its id, the normalisation
//! used by round-trips, the decoder registry, and the wiremock harness
//! ([`wire`]) that asserts exact requests.

use std::{collections::BTreeMap, path::PathBuf, sync::OnceLock};

use acquire_spec::{Example, Spec};
use serde_json::Value;

pub mod registry;
pub mod strategies;
pub mod wire;

/// The API key the tests send; the mocks require exactly this one.
pub const TEST_KEY: &str = "test-key-7f3a";

/// The project's spec as written (`openapi/acquire-cases.yaml`, examples
/// in their files), parsed once.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        match Spec::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../openapi/acquire-cases.yaml"
        )) {
            Ok(spec) => spec,
            Err(e) => panic!("the spec must load: {e}"),
        }
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

/// The operation of the spec's table (`acquire_api::OPERATIONS`) with this
/// `operationId`; panics naming it when the spec has none.
pub fn operation(id: &str) -> &'static acquire_api::Operation {
    acquire_api::Operation::find(id)
        .unwrap_or_else(|| panic!("{id} is not an operation of the spec"))
}

/// The path of `operation`: its template from the table, each `{name}`
/// filled with the value of `name` in `path_params`.
pub fn operation_path(operation: &str, path_params: &[(&str, &str)]) -> String {
    let params: Vec<(&str, &dyn std::fmt::Display)> = path_params
        .iter()
        .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
        .collect();
    self::operation(operation)
        .path_with(&params)
        .unwrap_or_else(|| panic!("{operation}: a path parameter has no value"))
}

/// A request of `operation` by plain reqwest to the server at `base_url`
/// (e.g. the fake's), its method and path from the operation table, the
/// path filled with `path_params` and followed by `query` as written (`""`
/// or `"?name=value..."`): for requests the client would not send.
pub fn raw_request(
    base_url: &str,
    operation: &str,
    path_params: &[(&str, &str)],
    query: &str,
) -> reqwest::RequestBuilder {
    let method = self::operation(operation).method;
    let method = reqwest::Method::from_bytes(method.as_bytes())
        .unwrap_or_else(|e| panic!("{operation}: {method}: {e}"));
    let path = operation_path(operation, path_params);
    reqwest::Client::new().request(method, format!("{base_url}{path}{query}"))
}

/// The request body example `name` of `operation`, as the table lists it,
/// parsed.
pub fn request_example(operation: &str, name: &str) -> Value {
    match self::operation(operation).request_example(name) {
        Some(example) => example_file(example.file),
        None => panic!("{operation} has no request example {name}"),
    }
}

/// The answer example `name` of `operation` with `status` (`"200"`), as
/// the table lists it, parsed.
pub fn response_example(operation: &str, status: &str, name: &str) -> Value {
    match self::operation(operation).response_example(status, name) {
        Some(example) => example_file(example.file),
        None => panic!("{operation} has no {status} example {name}"),
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

/// A generated client for a mock server (see [`wire`]), authenticating
/// with [`TEST_KEY`].
pub fn generated_client(server: &wiremock::MockServer) -> acquire_api::GeneratedClient {
    let key = match acquire_api::ApiKey::new(TEST_KEY) {
        Ok(key) => key,
        Err(e) => panic!("{e}"),
    };
    acquire_api::GeneratedClient::with_api_key(&server.uri(), key, reqwest::Client::new())
}
