//! The rules on request bodies and responses: each media type has an
//! example, an inline `example` validates, and what a response reaches has
//! no closed enum and no `additionalProperties: false`.

use std::collections::BTreeSet;

use acquire_spec::{Spec, Strictness};
use serde_json::Value;

use crate::{
    findings::{push_pointer, Finding},
    util::SPEC_YAML,
};

/// Checks every request body and response of `spec`.
pub(super) fn check(spec: &Spec, findings: &mut Vec<Finding>) {
    let mut visited = BTreeSet::new();
    for body in bodies(spec, findings) {
        body.check(spec, &mut visited, findings);
    }
}

/// A request body or a response, where it is defined.
struct Body {
    /// JSON pointer of its definition (a component when referenced).
    at: String,
    /// `None` for a request body, else the response's status or name.
    response: Option<String>,
    value: Value,
}

/// Every request body and response, once each (a `$ref` counts where it
/// points): those of the operations, then the shared ones in `components`.
fn bodies(spec: &Spec, findings: &mut Vec<Finding>) -> Vec<Body> {
    let document = spec.document();
    let mut places: Vec<(String, Option<String>, &Value)> = Vec::new();
    let operations = spec.operations();
    for op in &operations {
        if let Some(body) = op.value.get("requestBody") {
            places.push((push_pointer(&op.pointer, "requestBody"), None, body));
        }
        let responses = op.value.get("responses").and_then(Value::as_object);
        for (status, response) in responses.into_iter().flatten() {
            let at = push_pointer(&push_pointer(&op.pointer, "responses"), status);
            places.push((at, Some(status.clone()), response));
        }
    }
    for (section, is_response) in [("requestBodies", false), ("responses", true)] {
        let section = format!("/components/{section}");
        let items = document.pointer(&section).and_then(Value::as_object);
        for (name, item) in items.into_iter().flatten() {
            let response = is_response.then(|| name.clone());
            places.push((push_pointer(&section, name), response, item));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (at, response, value) in places {
        let (at, value) = match value.get("$ref").and_then(Value::as_str) {
            None => (at, value),
            Some(reference) => match reference
                .strip_prefix('#')
                .and_then(|p| Some((p, document.pointer(p)?)))
            {
                Some((target, value)) => (target.to_owned(), value),
                None => {
                    findings.push(Finding::new(
                        SPEC_YAML,
                        push_pointer(&at, "$ref"),
                        "ref-resolves",
                        format!("`{reference}` points at nothing"),
                    ));
                    continue;
                }
            },
        };
        if seen.insert(at.clone()) {
            out.push(Body {
                at,
                response,
                value: value.clone(),
            });
        }
    }
    out
}

impl Body {
    /// Each media type has an example, and an inline `example` validates;
    /// in a response, the schema rules of [`walk_schema`].
    fn check(&self, spec: &Spec, visited: &mut BTreeSet<String>, findings: &mut Vec<Finding>) {
        let content = self.value.get("content").and_then(Value::as_object);
        for (media, media_object) in content.into_iter().flatten() {
            let at = push_pointer(&push_pointer(&self.at, "content"), media);
            let schema = media_object.get("schema");
            let (rule, what) = match &self.response {
                None => ("request-example", "request body".to_owned()),
                Some(status) => ("response-example", format!("response {status}")),
            };
            if media_object.get("example").is_none() && media_object.get("examples").is_none() {
                findings.push(Finding::new(
                    SPEC_YAML,
                    &at,
                    rule,
                    format!("{what} has content but no example"),
                ));
            }
            if let Some(example) = media_object.get("example") {
                single_example(
                    spec,
                    schema,
                    example,
                    &push_pointer(&at, "example"),
                    findings,
                );
            }
            if let (Some(schema), Some(_)) = (schema, &self.response) {
                let pointer = push_pointer(&at, "schema");
                walk_schema(
                    spec.document(),
                    schema,
                    &pointer,
                    &self.at,
                    visited,
                    findings,
                );
            }
        }
    }
}

/// An inline `example` (acquire-spec, and so the tests, list only `examples`
/// maps) validates against its schema.
fn single_example(
    spec: &Spec,
    schema: Option<&Value>,
    example: &Value,
    pointer: &str,
    findings: &mut Vec<Finding>,
) {
    match spec.validator(schema.unwrap_or(&Value::Null), Strictness::AsDeclared) {
        Ok(validator) => {
            for failure in validator.failures(example) {
                findings.push(Finding::new(
                    SPEC_YAML,
                    format!("{pointer}{}", failure.instance_path),
                    "example-valid",
                    format!(
                        "{} (schema keyword {})",
                        failure.message, failure.schema_path
                    ),
                ));
            }
        }
        Err(e) => findings.push(Finding::new(
            SPEC_YAML,
            pointer,
            "schema-compiles",
            e.to_string(),
        )),
    }
}

/// Schema rules on everything reachable from a response: no closed `enum`
/// (open enums are `type: string` + `x-extensible-enum`) and no
/// `additionalProperties: false`.
fn walk_schema(
    document: &Value,
    schema: &Value,
    pointer: &str,
    response: &str,
    visited: &mut BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    if !visited.insert(pointer.to_owned()) {
        return;
    }
    let Some(map) = schema.as_object() else {
        return;
    };
    let mut add = |at: String, rule: &str, message: String| {
        findings.push(Finding::new(SPEC_YAML, at, rule, message));
    };
    let at = |key: &str| push_pointer(pointer, key);
    if map.contains_key("enum") {
        add(
            at("enum"),
            "open-enum",
            format!(
                "closed `enum` on a server-controlled value (reachable from response {response}); \
                 declare `type: string` with the known values in `x-extensible-enum`"
            ),
        );
    }
    if let Some(values) = map.get("x-extensible-enum") {
        if map.get("type").and_then(Value::as_str) != Some("string") {
            let message = "`x-extensible-enum` needs `type: string`";
            add(pointer.to_owned(), "open-enum", message.into());
        }
        if !values
            .as_array()
            .is_some_and(|v| v.iter().all(Value::is_string))
        {
            let message = "`x-extensible-enum` must be a list of strings";
            add(at("x-extensible-enum"), "open-enum", message.into());
        }
    }
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        add(
            at("additionalProperties"),
            "no-additional-properties-false",
            format!(
                "`additionalProperties: false` in a response schema (reachable from response \
                 {response}) makes every new Acquire field an error; omit it or use `{{}}`"
            ),
        );
    }
    // What the schema leads to: a `$ref`'s target, or its subschemas.
    let mut next: Vec<(String, &Value)> = Vec::new();
    for (key, child) in map {
        match (key.as_str(), child) {
            ("$ref", Value::String(reference)) => {
                match reference
                    .strip_prefix('#')
                    .map(|p| (p, document.pointer(p)))
                {
                    Some((target, Some(value))) => next.push((target.to_owned(), value)),
                    Some((_, None)) => add(
                        at("$ref"),
                        "ref-resolves",
                        format!("`{reference}` points at nothing"),
                    ),
                    None => {}
                }
            }
            ("properties" | "patternProperties", Value::Object(children)) => {
                next.extend(
                    children
                        .iter()
                        .map(|(name, c)| (push_pointer(&at(key), name), c)),
                );
            }
            ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                next.push((at(key), child));
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(children)) => {
                next.extend(
                    children
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (format!("{}/{i}", at(key)), c)),
                );
            }
            _ => {}
        }
    }
    for (at, child) in next {
        walk_schema(document, child, &at, response, visited, findings);
    }
}
