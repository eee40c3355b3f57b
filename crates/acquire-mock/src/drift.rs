//! Drift mode ([`MockConfig::with_drift`](crate::MockConfig::with_drift),
//! `--drift`): every successful JSON response is changed the way a newer
//! Acquire would change it, so clients can prove they notice.
//!
//! What changes is read from the response schema of the operation (the
//! spec the server serves), never from a list of members kept here:
//!
//! - each object whose schema declares `properties` (and admits other
//!   members) gets one more member, [`DRIFT_MEMBER`], holding
//!   [`DRIFT_PROBE_VALUE`];
//! - each string whose schema carries `x-extensible-enum` becomes a value
//!   outside that list, [`DRIFT_ENUM_VALUE`] (with `_` appended while the
//!   list holds it).
//!
//! Both stay valid against the spec as declared (responses keep unknown
//! members, and an extensible enum is a plain string), so a drifted
//! response still validates; only a check that refuses undeclared members
//! or unlisted values sees the drift.

use std::path::Path;

use acquire_spec::{Spec, SpecError};
use serde_json::{Map, Value};

/// The member drift mode adds to every declared object of a response.
pub const DRIFT_MEMBER: &str = "driftProbe";

/// The value of [`DRIFT_MEMBER`]: distinctive, so a test can search any
/// output (logs, reports, error texts) for it and prove member values
/// never leak.
pub const DRIFT_PROBE_VALUE: &str = "drift-probe-value-3f9c@example.com";

/// The value drift mode gives every string of an `x-extensible-enum`
/// schema (with `_` appended while the schema's list holds it).
pub const DRIFT_ENUM_VALUE: &str = "snoozed";

/// How deep a response is followed; deeper values are left as they are.
const MAX_DEPTH: usize = 64;

/// The spec a drifting server reads its response schemas from.
enum Source {
    Embedded(&'static Spec),
    Loaded(Box<Spec>),
}

/// Drifts responses by the response schemas of one spec.
pub(crate) struct Drift {
    spec: Source,
}

impl std::fmt::Debug for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drift").finish_non_exhaustive()
    }
}

impl Drift {
    /// Reads the spec at `path` (the one compiled into `acquire-spec` when
    /// `None`), as the server's routes do.
    pub fn load(path: Option<&Path>) -> Result<Self, SpecError> {
        Ok(Self {
            spec: match path {
                Some(path) => Source::Loaded(Box::new(Spec::load(path)?)),
                None => Source::Embedded(Spec::embedded()),
            },
        })
    }

    fn spec(&self) -> &Spec {
        match &self.spec {
            Source::Embedded(spec) => spec,
            Source::Loaded(spec) => spec,
        }
    }

    /// Drifts `body`, a 200 response of `operation_id`, by that response's
    /// JSON schema. An operation without one is left as it is.
    pub fn apply(&self, operation_id: &str, body: &mut Value) {
        let spec = self.spec();
        let schema = spec.operation(operation_id).and_then(|op| {
            let response = spec.resolve(op.value.pointer("/responses/200")?).ok()?;
            response
                .pointer("/content/application~1json/schema")
                .cloned()
        });
        if let Some(schema) = schema {
            Walk { spec }.value(&schema, body, 0);
        }
    }
}

/// One walk of a value alongside its schema.
struct Walk<'a> {
    spec: &'a Spec,
}

impl<'a> Walk<'a> {
    /// `schema` resolved, with its `allOf` parts (and the `oneOf`/`anyOf`
    /// branch `value` matches) flattened into one list.
    fn parts(&self, schema: &'a Value, value: &Value, out: &mut Vec<&'a Value>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ok(schema) = self.spec.resolve(schema) else {
            return;
        };
        out.push(schema);
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.parts(part, value, out, depth + 1);
        }
        for key in ["oneOf", "anyOf"] {
            let branch = schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|branch| self.admits_type(branch, value));
            if let Some(branch) = branch {
                self.parts(branch, value, out, depth + 1);
            }
        }
    }

    /// Whether `schema`'s `type` (if any) is `value`'s JSON type.
    fn admits_type(&self, schema: &Value, value: &Value) -> bool {
        let schema = self.spec.resolve(schema).unwrap_or(schema);
        match schema.get("type").and_then(Value::as_str) {
            None => true,
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some(_) => false,
        }
    }

    fn value(&self, schema: &'a Value, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut parts = Vec::new();
        self.parts(schema, value, &mut parts, depth);
        match value {
            Value::String(text) => {
                let known = parts
                    .iter()
                    .find_map(|p| p.get("x-extensible-enum").and_then(Value::as_array));
                if let Some(known) = known {
                    *text = unknown_value(known);
                }
            }
            Value::Array(items) => {
                if let Some(item) = parts.iter().find_map(|p| p.get("items")) {
                    for element in items {
                        self.value(item, element, depth + 1);
                    }
                }
            }
            Value::Object(members) => self.object(&parts, members, depth),
            _ => {}
        }
    }

    fn object(&self, parts: &[&'a Value], members: &mut Map<String, Value>, depth: usize) {
        let declared = |name: &str| {
            parts
                .iter()
                .find_map(|p| p.get("properties").and_then(|props| props.get(name)))
        };
        // A schema for members not in `properties` that says something
        // (a typed map, e.g. close's positional entries): its entries are
        // followed, and no probe is added (it would not be of that type).
        let typed_rest = parts.iter().find_map(|p| {
            p.get("additionalProperties")
                .filter(|rest| rest.as_object().is_some_and(|o| !o.is_empty()))
        });
        for (name, member) in members.iter_mut() {
            if let Some(schema) = declared(name).or(typed_rest) {
                self.value(schema, member, depth + 1);
            }
        }
        let closed = parts
            .iter()
            .any(|p| p.get("additionalProperties") == Some(&Value::Bool(false)));
        let has_properties = parts
            .iter()
            .any(|p| p.get("properties").is_some_and(|props| props.is_object()));
        if has_properties && typed_rest.is_none() && !closed && declared(DRIFT_MEMBER).is_none() {
            members.insert(DRIFT_MEMBER.to_owned(), Value::from(DRIFT_PROBE_VALUE));
        }
    }
}

/// [`DRIFT_ENUM_VALUE`], with `_` appended until `known` does not list it.
fn unknown_value(known: &[Value]) -> String {
    let mut value = DRIFT_ENUM_VALUE.to_owned();
    while known.iter().any(|k| k.as_str() == Some(value.as_str())) {
        value.push('_');
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        let text = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/thing": {"get": {
                "operationId": "get_thing",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Envelope"}
                }}}}
            }}},
            "components": {"schemas": {
                "Envelope": {"type": "object", "properties": {
                    "data": {"allOf": [{"$ref": "#/components/schemas/Thing"}]}
                }},
                "Thing": {"type": "object", "properties": {
                    "status": {"$ref": "#/components/schemas/Status"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Status"}},
                    "byUser": {"type": "object", "additionalProperties": {
                        "$ref": "#/components/schemas/Entry"
                    }},
                    "free": {"type": "object", "additionalProperties": {}},
                    "id": {"oneOf": [{"type": "integer"}, {"type": "string"}]}
                }},
                "Entry": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
                "Status": {"type": "string", "x-extensible-enum": ["snoozed", "active"]}
            }}
        });
        Spec::parse("drift-test.json", &text.to_string()).unwrap()
    }

    #[test]
    fn adds_a_member_to_declared_objects_and_unknown_enum_values() {
        let spec = spec();
        let mut body = json!({"data": {
            "status": "active",
            "tags": ["active", "snoozed"],
            "byUser": {"12": {"ok": true}},
            "free": {"a": 1},
            "id": "7"
        }});
        let schema = json!({"$ref": "#/components/schemas/Envelope"});
        Walk { spec: &spec }.value(&schema, &mut body, 0);
        let probe = || json!(DRIFT_PROBE_VALUE);
        assert_eq!(
            body,
            json!({
                "driftProbe": probe(),
                "data": {
                    "driftProbe": probe(),
                    "status": "snoozed_",
                    "tags": ["snoozed_", "snoozed_"],
                    "byUser": {"12": {"ok": true, "driftProbe": probe()}},
                    "free": {"a": 1},
                    "id": "7"
                }
            })
        );
    }

    #[test]
    fn every_operation_of_the_embedded_spec_can_be_drifted() {
        let drift = Drift::load(None).unwrap();
        let mut body = json!({"data": {"id": 1, "status": "active"}});
        drift.apply("get_case", &mut body);
        assert_eq!(body["driftProbe"], json!(DRIFT_PROBE_VALUE));
        assert_eq!(body["data"]["driftProbe"], json!(DRIFT_PROBE_VALUE));
        assert_eq!(body["data"]["status"], json!(DRIFT_ENUM_VALUE));
        let mut untouched = json!({"a": 1});
        drift.apply("no_such_operation", &mut untouched);
        assert_eq!(untouched, json!({"a": 1}));
    }
}
