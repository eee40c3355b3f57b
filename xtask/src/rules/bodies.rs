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

/// Checks every request body and response of `spec`, once each (a `$ref`
/// counts where it points): those of the operations, then the shared ones
/// in `components`.
pub(super) fn check(spec: &Spec, findings: &mut Vec<Finding>) {
    let mut places: Vec<(String, Option<String>, Value)> = Vec::new();
    for op in spec.operations() {
        if let Some(body) = op.value.get("requestBody") {
            places.push((push_pointer(&op.pointer, "requestBody"), None, body.clone()));
        }
        for (status, response) in op.value["responses"].as_object().into_iter().flatten() {
            let at = push_pointer(&push_pointer(&op.pointer, "responses"), status);
            places.push((at, Some(status.clone()), response.clone()));
        }
    }
    for (section, is_response) in [("requestBodies", false), ("responses", true)] {
        let section = format!("/components/{section}");
        let items = spec.document().pointer(&section).and_then(Value::as_object);
        for (name, item) in items.into_iter().flatten() {
            let response = is_response.then(|| name.clone());
            places.push((push_pointer(&section, name), response, item.clone()));
        }
    }
    let mut checker = Checker {
        spec,
        visited: BTreeSet::new(),
        findings,
    };
    let mut seen = BTreeSet::new();
    for (at, response, value) in &places {
        let body = match value["$ref"].as_str() {
            None => Some((at.clone(), value)),
            Some(reference) => checker.resolve(reference, at),
        };
        // Each definition once.
        if let Some((at, value)) = body.filter(|(at, _)| seen.insert(at.clone())) {
            checker.body(&at, response.as_deref(), value);
        }
    }
}

/// The body rules' state: the spec, the schemas already walked (by
/// pointer), and what they found.
struct Checker<'a> {
    spec: &'a Spec,
    visited: BTreeSet<String>,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Checker<'a> {
    fn add(&mut self, at: impl Into<String>, rule: &str, message: impl Into<String>) {
        self.findings
            .push(Finding::new(SPEC_YAML, at, rule, message));
    }

    /// The target of the `$ref` at `at` and its pointer, when it is local
    /// and points at something (else a `ref-resolves` finding).
    fn resolve(&mut self, reference: &str, at: &str) -> Option<(String, &'a Value)> {
        let target = reference.strip_prefix('#');
        let found = target.and_then(|p| Some((p.to_owned(), self.spec.document().pointer(p)?)));
        if found.is_none() {
            let message = format!("`{reference}` points at nothing");
            self.add(push_pointer(at, "$ref"), "ref-resolves", message);
        }
        found
    }

    /// A request body (`response` is `None`) or a response (its status or
    /// name) defined at `at`: each media type has an example, and an inline
    /// `example` validates; in a response, the schema rules of
    /// [`Checker::walk_schema`].
    fn body(&mut self, at: &str, response: Option<&str>, value: &Value) {
        for (media, media_object) in value["content"].as_object().into_iter().flatten() {
            let content = push_pointer(&push_pointer(at, "content"), media);
            let schema = media_object.get("schema");
            let (rule, what) = match response {
                None => ("request-example", "request body".to_owned()),
                Some(status) => ("response-example", format!("response {status}")),
            };
            let example = media_object.get("example");
            if example.is_none() && media_object.get("examples").is_none() {
                self.add(&content, rule, format!("{what} has content but no example"));
            }
            if let Some(example) = example {
                self.single_example(schema, example, &push_pointer(&content, "example"));
            }
            if let (Some(schema), Some(_)) = (schema, response) {
                self.walk_schema(schema, &push_pointer(&content, "schema"), at);
            }
        }
    }

    /// An inline `example` (acquire-spec, and so the tests, list only
    /// `examples` maps) validates against its schema.
    fn single_example(&mut self, schema: Option<&Value>, example: &Value, pointer: &str) {
        let schema = schema.unwrap_or(&Value::Null);
        match self.spec.validator(schema, Strictness::AsDeclared) {
            Ok(validator) => {
                for failure in validator.failures(example) {
                    let at = format!("{pointer}{}", failure.instance_path);
                    let keyword = failure.schema_path;
                    let message = format!("{} (schema keyword {keyword})", failure.message);
                    self.add(at, "example-valid", message);
                }
            }
            Err(e) => self.add(pointer, "schema-compiles", e.to_string()),
        }
    }

    /// Schema rules on everything reachable from a response: no closed
    /// `enum` (open enums are `type: string` + `x-extensible-enum`) and no
    /// `additionalProperties: false`.
    fn walk_schema<'s>(&mut self, schema: &'s Value, pointer: &str, response: &str)
    where
        'a: 's,
    {
        if !self.visited.insert(pointer.to_owned()) {
            return;
        }
        let Some(map) = schema.as_object() else {
            return;
        };
        let at = |key: &str| push_pointer(pointer, key);
        if map.contains_key("enum") {
            let message = format!(
                "closed `enum` on a server-controlled value (reachable from response \
                 {response}); declare `type: string` with the known values in \
                 `x-extensible-enum`"
            );
            self.add(at("enum"), "open-enum", message);
        }
        if let Some(values) = map.get("x-extensible-enum") {
            if schema["type"] != "string" {
                let message = "`x-extensible-enum` needs `type: string`";
                self.add(pointer, "open-enum", message);
            }
            if !values
                .as_array()
                .is_some_and(|v| v.iter().all(Value::is_string))
            {
                let message = "`x-extensible-enum` must be a list of strings";
                self.add(at("x-extensible-enum"), "open-enum", message);
            }
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            let message = format!(
                "`additionalProperties: false` in a response schema (reachable from response \
                 {response}) makes every new Acquire field an error; omit it or use `{{}}`"
            );
            self.add(
                at("additionalProperties"),
                "no-additional-properties-false",
                message,
            );
        }
        // What the schema leads to: a `$ref`'s target, or its subschemas.
        let mut next: Vec<(String, &'s Value)> = Vec::new();
        for (key, child) in map {
            match (key.as_str(), child) {
                ("$ref", Value::String(reference)) if reference.starts_with('#') => {
                    next.extend(self.resolve(reference, pointer));
                }
                ("properties" | "patternProperties", Value::Object(children)) => {
                    let named = children.iter();
                    next.extend(named.map(|(name, c)| (push_pointer(&at(key), name), c)));
                }
                ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                    next.push((at(key), child));
                }
                ("allOf" | "anyOf" | "oneOf", Value::Array(children)) => {
                    let numbered = children.iter().enumerate();
                    next.extend(numbered.map(|(i, c)| (format!("{}/{i}", at(key)), c)));
                }
                _ => {}
            }
        }
        for (at, child) in next {
            self.walk_schema(child, &at, response);
        }
    }
}
