//! What the spec declares for an operation: its parameters, the members of
//! its body (through `allOf`/`oneOf`/`anyOf`), what is required, and where
//! the key may go.

use acquire_spec::{Operation, Spec};
use serde_json::Value;

use super::values::form_type;
use crate::sheet::{Form, Param, Place, Required};

/// A parameter of the spec's operation, resolved.
pub(super) struct SpecParam<'a> {
    pub(super) value: &'a Value,
    pub(super) name: String,
    pub(super) place: Place,
}

impl SpecParam<'_> {
    /// Whether the spec requires it (a path parameter always is).
    pub(super) fn required(&self) -> bool {
        self.place == Place::Path || self.value.get("required") == Some(&Value::Bool(true))
    }
}

pub(super) fn spec_params<'a>(spec: &'a Spec, op: &Operation) -> Vec<SpecParam<'a>> {
    spec.parameters(op)
        .iter()
        .map(|raw| {
            // `parameters` clones; resolve against the document instead.
            let pointer = raw
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'));
            let value: &Value = match pointer {
                Some(p) => spec.document().pointer(p).unwrap_or_else(|| panic!("{p}")),
                None => {
                    let name = raw.get("name").and_then(Value::as_str).unwrap_or_default();
                    let own = op.value.get("parameters").and_then(Value::as_array);
                    let found = own
                        .into_iter()
                        .flatten()
                        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
                        .unwrap_or_else(|| panic!("{name}"));
                    let at = spec
                        .document()
                        .pointer(&format!("{}/parameters", op.pointer))
                        .and_then(Value::as_array)
                        .and_then(|ps| ps.iter().find(|p| *p == found));
                    at.unwrap_or_else(|| panic!("{name}"))
                }
            };
            let place = match value.get("in").and_then(Value::as_str) {
                Some("path") => Place::Path,
                Some("query") => Place::Query,
                Some("header") => Place::Header,
                other => panic!("unexpected parameter location {other:?}"),
            };
            SpecParam {
                name: value["name"].as_str().unwrap_or_default().to_owned(),
                value,
                place,
            }
        })
        .collect()
}

/// The resolved leaf schemas of `schema` (`allOf`/`oneOf`/`anyOf` flattened).
pub(super) fn leaves<'a>(spec: &'a Spec, schema: &'a Value, out: &mut Vec<&'a Value>) {
    let schema = spec.resolve(schema).unwrap_or_else(|e| panic!("{e}"));
    let mut composite = false;
    for keyword in ["allOf", "oneOf", "anyOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            composite = true;
            leaves(spec, branch, out);
        }
    }
    if !composite {
        out.push(schema);
    }
}

/// Whether `schema` can hold a value of `form`'s JSON type.
pub(super) fn holds(spec: &Spec, schema: &Value, form: Form) -> bool {
    let Some(wanted) = form_type(form) else {
        return true;
    };
    let mut flat = Vec::new();
    leaves(spec, schema, &mut flat);
    flat.iter()
        .any(|leaf| match leaf.get("type").and_then(Value::as_str) {
            None => true,
            Some(t) => t == wanted,
        })
}

/// A body member found in the request schema: where it is, its schema, and
/// the object schema that declares it.
pub(super) struct Member<'a> {
    pub(super) path: Vec<String>,
    pub(super) schema: &'a Value,
    pub(super) parent: &'a Value,
}

/// The shallowest member named `name` in `body` able to hold `form`.
pub(super) fn find_member<'a>(
    spec: &'a Spec,
    body: &'a Value,
    name: &str,
    form: Form,
) -> Option<Member<'a>> {
    let mut level: Vec<(Vec<String>, &Value)> = vec![(Vec::new(), body)];
    while !level.is_empty() {
        let mut next = Vec::new();
        for (path, schema) in level {
            let mut flat = Vec::new();
            leaves(spec, schema, &mut flat);
            for object in flat {
                let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                    continue;
                };
                if let Some(member) = properties.get(name).filter(|m| holds(spec, m, form)) {
                    let mut at = path.clone();
                    at.push(name.to_owned());
                    return Some(Member {
                        path: at,
                        schema: member,
                        parent: object,
                    });
                }
                for (key, member) in properties {
                    let mut at = path.clone();
                    at.push(key.clone());
                    next.push((at, member));
                }
            }
        }
        level = next;
    }
    None
}

pub(super) fn listed(schema: &Value, keyword: &str, name: &str) -> bool {
    schema
        .get(keyword)
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)))
}

/// Whether `op` accepts the key as an apiKey in the query named `Authorization`.
pub(super) fn query_security(spec: &Spec, op: &Operation) -> bool {
    let requirements = op
        .value
        .get("security")
        .or_else(|| spec.document().get("security"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    requirements
        .iter()
        .filter_map(Value::as_object)
        .any(|requirement| {
            requirement.keys().any(|scheme| {
                spec.document()
                    .pointer(&format!("/components/securitySchemes/{scheme}"))
                    .is_some_and(|s| {
                        s["type"] == "apiKey" && s["in"] == "query" && s["name"] == "Authorization"
                    })
            })
        })
}

/// The spec's required parameters and required body members (through
/// required objects) that the sheet does not document as required.
pub(super) fn required_but_undocumented(
    spec: &Spec,
    op: &Operation,
    documented: &[Param],
) -> Vec<String> {
    let yes = |name: &str| {
        documented.iter().any(|p| {
            p.required == Required::Yes && (p.name == name || p.aliases.iter().any(|a| a == name))
        })
    };
    let mut out = Vec::new();
    for param in spec_params(spec, op) {
        if param.required() && !yes(&param.name) {
            out.push(format!("parameter `{}`", param.name));
        }
    }
    let mut stack: Vec<&Value> = op
        .value
        .pointer("/requestBody/content/application~1json/schema")
        .into_iter()
        .collect();
    while let Some(schema) = stack.pop() {
        let mut flat = Vec::new();
        leaves(spec, schema, &mut flat);
        for object in flat {
            for name in object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !yes(name) {
                    out.push(format!("body member `{name}`"));
                }
                if let Some(member) = object.pointer(&format!("/properties/{name}")) {
                    stack.push(member);
                }
            }
        }
    }
    out
}
