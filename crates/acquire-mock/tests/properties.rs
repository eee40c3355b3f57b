//! Property tests of the fake server: for every operation with a request
//! body, random valid bodies (with valid path, query and header parameters)
//! must pass its validation, and every mutation of them (a required member
//! dropped, a member of the wrong type, garbage after the JSON, a truncated
//! body) must be refused with 400 `ERROR_INVALID_INPUT`.
//!
//! Values come from the workspace's schema strategies
//! (`acquire_tests::strategies`). `ACQUIRE_PROP_SEED` picks the seed and
//! `ACQUIRE_PROP_SERVER_CASES` the number of cases per operation (default
//! 24).

use std::{collections::BTreeMap, fmt::Write as _, time::Instant};

use acquire_mock::{MockConfig, MockServer};
use acquire_spec::{openapi_to_json_schema, SchemaValidator, Strictness};
use acquire_tests::{
    spec,
    strategies::{
        count, first_failure, is_id_name, known_ids, runner, seed, GenOptions, SchemaGen,
    },
};
use proptest::{
    prelude::*,
    strategy::BoxedStrategy,
    test_runner::{TestCaseError, TestError},
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// The fake server.
// ---------------------------------------------------------------------------

/// One operation with a request body, ready to generate requests for.
struct BodyOperation {
    id: String,
    method: reqwest::Method,
    path: String,
    params: Vec<(String, String, bool, Value)>,
    body_schema: Value,
}

fn body_operations() -> Vec<BodyOperation> {
    let spec = spec();
    let mut out = Vec::new();
    for op in spec.operations() {
        let Some(body) = op.value.get("requestBody") else {
            continue;
        };
        let body = match spec.resolve(body) {
            Ok(b) => b,
            Err(e) => panic!("{}: {e}", op.pointer),
        };
        let Some(schema) = body.pointer("/content/application~1json/schema") else {
            continue;
        };
        let mut params = Vec::new();
        for raw in &spec.parameters(&op) {
            let param = match spec.resolve(raw) {
                Ok(p) => p,
                Err(e) => panic!("{}: {e}", op.pointer),
            };
            let text = |k: &str| {
                param
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let location = text("in");
            let required =
                location == "path" || param.get("required").and_then(Value::as_bool) == Some(true);
            let schema = param.get("schema").cloned().unwrap_or(Value::Bool(true));
            params.push((text("name"), location, required, schema));
        }
        let method = match reqwest::Method::from_bytes(op.method.to_ascii_uppercase().as_bytes()) {
            Ok(m) => m,
            Err(e) => panic!("{}: {e}", op.pointer),
        };
        out.push(BodyOperation {
            id: op
                .operation_id
                .clone()
                .unwrap_or_else(|| op.pointer.clone()),
            method,
            path: op.path.clone(),
            params,
            body_schema: schema.clone(),
        });
    }
    out
}

/// A request: parameters by location and name, and the body.
#[derive(Clone, Debug)]
struct Request {
    path: BTreeMap<String, String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Value,
    /// Picks which member a mutation touches.
    pick: usize,
}

/// A parameter value as it goes on the wire.
fn param_strategy(
    generator: &SchemaGen<'_>,
    name: &str,
    location: &str,
    schema: &Value,
) -> Result<BoxedStrategy<String>, String> {
    let resolved = match schema.get("$ref") {
        Some(r) => generator.resolve(r)?,
        None => schema,
    };
    match resolved.get("type").and_then(Value::as_str) {
        Some("integer") if is_id_name(name) => Ok(prop_oneof![
            3 => proptest::sample::select(known_ids(name)),
            1 => any::<i64>(),
        ]
        .prop_map(|i| i.to_string())
        .boxed()),
        Some("integer") => Ok(any::<i64>().prop_map(|i| i.to_string()).boxed()),
        // Headers carry visible ASCII; `x-user-type` is a participant type.
        Some("string") if location == "header" => {
            Ok(proptest::sample::select(vec!["user".to_owned(), "contact".to_owned()]).boxed())
        }
        Some("string") => Ok("[a-zA-Z0-9|_]{0,12}".boxed()),
        other => Err(format!(
            "parameter {name} in {location}: unsupported schema type {other:?}"
        )),
    }
}

fn request_strategy(
    operation: &BodyOperation,
    generator: &SchemaGen<'_>,
) -> Result<BoxedStrategy<Request>, String> {
    let body = generator.strategy(
        &openapi_to_json_schema(&operation.body_schema, Strictness::AsDeclared),
        0,
    )?;
    let mut params: Vec<BoxedStrategy<Option<(String, String, String)>>> = Vec::new();
    for (name, location, required, schema) in &operation.params {
        let value = param_strategy(generator, name, location, schema)?;
        let (name, location) = (name.clone(), location.clone());
        let pair = value.prop_map(move |v| (location.clone(), name.clone(), v));
        params.push(if *required {
            pair.prop_map(Some).boxed()
        } else {
            proptest::option::weighted(0.5, pair).boxed()
        });
    }
    // Most requests take every id from one consistent set of the seed data.
    let world = proptest::option::weighted(0.75, 0..WORLDS.len());
    Ok((params, body, any::<usize>(), world)
        .prop_map(|(params, body, pick, world)| {
            let mut request = Request {
                path: BTreeMap::new(),
                query: Vec::new(),
                headers: Vec::new(),
                body,
                pick,
            };
            for (location, name, value) in params.into_iter().flatten() {
                match location.as_str() {
                    "path" => {
                        request.path.insert(name, value);
                    }
                    "query" => request.query.push((name, value)),
                    _ => request.headers.push((name, value)),
                }
            }
            if let Some(world) = world {
                in_world(&mut request, WORLDS[world]);
            }
            request
        })
        .boxed())
}

/// Consistent sets of the fake server's seed ids, by what an id names: a
/// contact with one of its threads, an open case of that thread, a
/// timeline entry, a note and one of the note's messages. A request whose
/// ids all come from one set can pass the fake's rules across records (an
/// SMS names the contact, thread and timeline entry of one conversation).
const WORLDS: [&[(&str, i64)]; 2] = [
    &[
        ("contact", 597_752),
        ("thread", 1683),
        ("case", 1684),
        ("note", 310),
        ("note message", 902),
    ],
    &[
        ("contact", 597_760),
        ("thread", 1710),
        ("case", 1710),
        ("timeline", 5120),
    ],
];

/// What an id member or parameter names, for [`WORLDS`].
fn id_kind(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if !is_id_name(name) {
        return None;
    }
    Some(if lower == "parent_id" {
        "note message"
    } else if lower.contains("contact") {
        "contact"
    } else if lower.contains("note") {
        "note"
    } else if lower.contains("timeline") {
        "timeline"
    } else if lower.contains("thread") {
        "thread"
    } else if lower.contains("case") || lower == "id" || lower == "objectid" {
        "case"
    } else {
        return None;
    })
}

/// Replaces the integer ids of `request` (its parameters and its body's
/// top-level and nested members) with those `world` has for their kind.
fn in_world(request: &mut Request, world: &[(&str, i64)]) {
    let id_of = |name: &str| {
        let kind = id_kind(name)?;
        world.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id)
    };
    for (name, value) in request.path.iter_mut() {
        if let Some(id) = id_of(name) {
            *value = id.to_string();
        }
    }
    for (name, value) in &mut request.query {
        if let Some(id) = id_of(name) {
            *value = id.to_string();
        }
    }
    fn walk(value: &mut Value, id_of: &dyn Fn(&str) -> Option<i64>) {
        if let Value::Object(map) = value {
            for (name, member) in map.iter_mut() {
                match id_of(name) {
                    Some(id) if member.is_i64() => *member = Value::from(id),
                    _ => walk(member, id_of),
                }
            }
        }
    }
    walk(&mut request.body, &id_of);
}

/// What the fake server made of a valid request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// 2xx: validated and executed.
    Executed,
    /// 501: validated; the operation has no handler yet.
    NotImplemented,
    /// 400 `ERROR_RECORD_NOT_FOUND` or 404: validated, but an id in the
    /// request names nothing in the store.
    UnknownId,
    /// 400 `ERROR_INVALID_INPUT` for a rule of the handler that no schema can
    /// say (see [`SEMANTIC_REFUSALS`]).
    RefusedByHandler,
}

/// Messages of the fake server's handlers that refuse schema-valid input for
/// a reason of state or of a rule across members. Anything else answered
/// with `ERROR_INVALID_INPUT` to a schema-valid request is a failure.
const SEMANTIC_REFUSALS: &[&str] = &[
    // Join, reject, close... on a closed case.
    " is closed",
    // Create with a `threadId` of another contact.
    " belongs to another contact",
    // Create needs `contactId` in the query or the body (either is optional).
    "contactId is required",
    // A contact that is not the case's or the note's, an SMS case outside
    // its thread (rules across records).
    " is not the contact of ",
    " is not in thread ",
    // A snooze's object must match its case or contact member.
    " is not caseId ",
    " is not contactId ",
    // A snooze names its object by `caseId`/`contactId` or by `objectId`.
    "objectId is required",
    // Rules the spec states in prose only: the snooze's object type and
    // its `users` being user ids, and reject needing the case it rejects
    // (a member the reference shows only in its example).
    "is neither `case` nor `contact`",
    "is not a user id",
    "caseId is required",
    "is not a time as `YYYY-MM-DD HH:MM:SS`",
];

struct Answer {
    status: u16,
    kind: Option<String>,
    message: String,
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {:?}",
            self.status,
            self.kind.as_deref().unwrap_or("-"),
            self.message
        )
    }
}

async fn send(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    operation: &BodyOperation,
    request: &Request,
    body: Vec<u8>,
) -> Result<Answer, String> {
    let mut path = operation.path.clone();
    for (name, value) in &request.path {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let mut builder = http
        .request(operation.method.clone(), format!("{base}{path}"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .query(&request.query)
        .body(body);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let response = builder.send().await.map_err(|e| format!("sending: {e}"))?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| format!("reading: {e}"))?;
    let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        kind: parsed
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned),
        message: parsed
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or(text),
    })
}

fn classify(answer: &Answer) -> Option<Outcome> {
    match (answer.status, answer.kind.as_deref()) {
        (200..=299, _) => Some(Outcome::Executed),
        (501, _) => Some(Outcome::NotImplemented),
        (404, _) | (400, Some("ERROR_RECORD_NOT_FOUND")) => Some(Outcome::UnknownId),
        (400, Some("ERROR_INVALID_INPUT"))
            if SEMANTIC_REFUSALS.iter().any(|m| answer.message.contains(m)) =>
        {
            Some(Outcome::RefusedByHandler)
        }
        _ => None,
    }
}

/// Every JSON pointer to a member or item of `value` (not the root).
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{at}/{}", acquire_spec::escape(key));
                out.push(here.clone());
                pointers(v, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(v, &here, out);
            }
        }
        _ => {}
    }
}

fn split_pointer(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

fn remove_at(value: &Value, pointer: &str) -> Option<Value> {
    let (parent, last) = split_pointer(pointer);
    let mut out = value.clone();
    match out.pointer_mut(parent)? {
        Value::Object(map) => {
            map.remove(&last)?;
        }
        _ => return None,
    }
    Some(out)
}

fn replace_at(value: &Value, pointer: &str, with: Value) -> Option<Value> {
    let mut out = value.clone();
    *out.pointer_mut(pointer)? = with;
    Some(out)
}

/// A mutation and the bytes it sends.
struct Mutated {
    what: String,
    body: Vec<u8>,
}

/// The mutations of a valid body that the spec refuses; each one checked
/// invalid locally (by the same validator the server compiles) first.
fn mutations(body: &Value, pick: usize, validator: &SchemaValidator) -> Vec<Mutated> {
    let mut out = Vec::new();
    let text = body.to_string();
    let mut all = Vec::new();
    pointers(body, "", &mut all);
    // A required member dropped: any member whose removal breaks validity.
    let required: Vec<(String, Value)> = all
        .iter()
        .filter_map(|p| remove_at(body, p).map(|v| (p.clone(), v)))
        .filter(|(_, v)| !validator.is_valid(v))
        .collect();
    if !required.is_empty() {
        let (pointer, value) = &required[pick % required.len()];
        out.push(Mutated {
            what: format!("required member {pointer} dropped"),
            body: value.to_string().into_bytes(),
        });
    }
    // A member of the wrong type (the whole body when no member has a type).
    let replacements = [
        json!("text"),
        json!(12),
        json!(true),
        json!([1]),
        json!({"k": 1}),
        json!(1.5),
        Value::Null,
    ];
    let mut retyped: Vec<(String, Value)> = Vec::new();
    for pointer in &all {
        for with in &replacements {
            if let Some(v) = replace_at(body, pointer, with.clone()) {
                if !validator.is_valid(&v) {
                    retyped.push((format!("{pointer} set to {with}"), v));
                }
            }
        }
    }
    if retyped.is_empty() {
        retyped.push(("the body set to [1]".to_owned(), json!([1])));
    }
    let (what, value) = &retyped[pick.wrapping_mul(31) % retyped.len()];
    out.push(Mutated {
        what: what.clone(),
        body: value.to_string().into_bytes(),
    });
    // Garbage after the JSON.
    let garbage: &[&[u8]] = &[b"x", b"}", b",", b"{}", b"\xff\xfe", b"\0", b" true"];
    let tail = garbage[pick % garbage.len()];
    let mut bytes = text.clone().into_bytes();
    bytes.extend_from_slice(tail);
    out.push(Mutated {
        what: format!("garbage {:?} appended", String::from_utf8_lossy(tail)),
        body: bytes,
    });
    // Truncated: a proper, non-empty prefix of an object is never JSON.
    let cut = 1 + pick % (text.len() - 1).max(1);
    out.push(Mutated {
        what: format!("truncated to {cut} of {} bytes", text.len()),
        body: text.as_bytes()[..cut.min(text.len() - 1).max(1)].to_vec(),
    });
    out
}

#[test]
fn fake_server_accepts_valid_bodies_and_refuses_mutated_ones() {
    let seed = seed();
    let cases = count("ACQUIRE_PROP_SERVER_CASES", 24);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("a tokio runtime: {e}"),
    };
    let http = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("an HTTP client: {e}"),
    };
    let root = json!({
        "components": openapi_to_json_schema(
            spec().document().get("components").unwrap_or(&Value::Null),
            Strictness::AsDeclared,
        )
    });
    let generator = SchemaGen {
        root: &root,
        options: GenOptions {
            undeclared_when_absent: true,
            known_ids: true,
        },
    };
    let operations = body_operations();
    assert!(
        operations.len() >= 10,
        "expected the operations with a request body, found {}",
        operations.len()
    );
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut summary = String::new();
    for operation in &operations {
        let validator = match spec().validator(&operation.body_schema, Strictness::AsDeclared) {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", operation.id),
        };
        let strategy = match request_strategy(operation, &generator) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: {e}", operation.id));
                continue;
            }
        };
        let outcomes = std::cell::RefCell::new(BTreeMap::<Outcome, u32>::new());
        let refused = std::cell::Cell::new(0u32);
        let mut runner = runner(seed, &operation.id, cases);
        let result = runner.run(&strategy, |request| {
            first_failure(&validator, &request.body).map_err(|why| {
                TestCaseError::fail(format!("the generator made an invalid body: {why}"))
            })?;
            let mutated = mutations(&request.body, request.pick, &validator);
            runtime.block_on(async {
                let server = MockServer::start(MockConfig::default())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("starting the fake server: {e}")))?;
                let (base, key) = (server.base_url().to_owned(), server.api_key().to_owned());
                let answer = send(&http, &base, &key, operation, &request, request.body.to_string().into_bytes())
                    .await
                    .map_err(TestCaseError::fail)?;
                let Some(outcome) = classify(&answer) else {
                    return Err(TestCaseError::fail(format!(
                        "a valid request was refused: {answer}\n  request: {request:?}"
                    )));
                };
                *outcomes.borrow_mut().entry(outcome).or_default() += 1;
                for mutation in mutated {
                    let answer = send(&http, &base, &key, operation, &request, mutation.body.clone())
                        .await
                        .map_err(TestCaseError::fail)?;
                    if answer.status != 400 || answer.kind.as_deref() != Some("ERROR_INVALID_INPUT") {
                        return Err(TestCaseError::fail(format!(
                            "a mutated request ({}) was not refused with 400 ERROR_INVALID_INPUT: {answer}\n  sent: {}",
                            mutation.what,
                            String::from_utf8_lossy(&mutation.body)
                        )));
                    }
                    refused.set(refused.get() + 1);
                }
                server.shutdown().await;
                Ok(())
            })
        });
        if let Err(e) = result {
            failures.push(match e {
                TestError::Fail(reason, request) => format!(
                    "{}, seed {seed:#x}: {reason}\n  minimal request: {} {} query={:?} headers={:?} path={:?} body={}\n  \
                     reproduce: ACQUIRE_PROP_SEED={seed:#x} cargo test -p acquire-mock --test properties",
                    operation.id, operation.method, operation.path, request.query, request.headers, request.path, request.body
                ),
                TestError::Abort(reason) => format!("{}, seed {seed:#x}: aborted: {reason}", operation.id),
            });
            continue;
        }
        let outcomes = outcomes.into_inner();
        let accepted = outcomes.get(&Outcome::Executed).copied().unwrap_or(0)
            + outcomes.get(&Outcome::NotImplemented).copied().unwrap_or(0);
        if accepted == 0 {
            failures.push(format!(
                "{}, seed {seed:#x}: no valid request got through ({outcomes:?})",
                operation.id
            ));
        }
        let _ = writeln!(
            summary,
            "  {}: {outcomes:?}, {} mutations refused",
            operation.id,
            refused.get()
        );
    }
    eprintln!(
        "fake server: {} operations x {cases} cases, seed {seed:#x}, {:.1} s\n{summary}",
        operations.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
