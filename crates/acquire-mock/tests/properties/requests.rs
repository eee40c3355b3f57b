//! Random valid requests for an operation: its parameters in their places
//! and a body from its schema, with ids taken, most of the time, from one
//! consistent set of the seed data.

use std::collections::BTreeMap;

use acquire_spec::{openapi_to_json_schema, Strictness};
use acquire_tests::strategies::{is_id_name, known_ids, SchemaGen};
use proptest::{prelude::*, strategy::BoxedStrategy};
use serde_json::Value;

use crate::operations::BodyOperation;

/// A request: parameters by location and name, and the body.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: BTreeMap<String, String>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    /// Picks which member a mutation touches.
    pub pick: usize,
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

pub fn request_strategy(
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
