//! One documented parameter checked against the spec, and put where it
//! goes in the request being built.

use acquire_spec::{Operation, Spec, Strictness};
use serde_json::{json, Map, Value};

use super::declared::{find_member, holds, listed, query_security, spec_params};
use super::values::in_form;
use crate::sheet::{Form, Param, Place, Required};

/// Puts `value` at `path` in `body`, keeping what is already there.
pub(super) fn put(body: &mut Value, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if !body.is_object() {
        *body = Value::Object(Map::new());
    }
    let Value::Object(map) = body else {
        return;
    };
    if rest.is_empty() {
        let slot = map.entry(first.clone()).or_insert(Value::Null);
        // An object row (`message`, `data`) must not erase members put before.
        if !(slot.is_object() && value.as_object().is_some_and(Map::is_empty)) {
            *slot = value;
        }
    } else {
        put(map.entry(first.clone()).or_insert(Value::Null), rest, value);
    }
}

/// One request built from the sheet.
#[derive(Debug, Default)]
pub(super) struct Built {
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Option<Value>,
}

/// Checks one documented parameter against the spec and adds it to `built`.
pub(super) fn check_param(
    spec: &Spec,
    op: &Operation,
    param: &Param,
    value: &Value,
    built: &mut Built,
    failures: &mut Vec<String>,
) {
    let mut fail = |why: String| failures.push(format!("`{}` ({}): {why}", param.name, param.row));
    let forms: Vec<Form> = std::iter::once(param.form)
        .chain(param.also.iter().copied())
        .collect();
    let sent = in_form(value, param.form);
    let params = spec_params(spec, op);
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match param.place {
        Place::Body => {
            let Some(schema) = op
                .value
                .pointer("/requestBody/content/application~1json/schema")
            else {
                return fail("the operation declares no JSON body".into());
            };
            let Some(member) = find_member(spec, schema, &param.name, param.form) else {
                return fail("the body schema declares no such member of this type".into());
            };
            for form in &forms {
                // An object's members are checked as rows of their own and
                // by the whole request; here, that it is an object.
                if *form == Form::Object {
                    continue;
                }
                let validator = spec
                    .validator(member.schema, Strictness::AsDeclared)
                    .unwrap_or_else(|e| panic!("{e}"));
                if let Some(failure) = validator.failures(&in_form(value, *form)).first() {
                    fail(format!("the {form:?} form is refused: {failure}"));
                }
            }
            let required = listed(member.parent, "required", &param.name);
            let one_of = listed(member.parent, acquire_spec::REQUIRED_ONE_OF, &param.name);
            match (param.required, required, one_of) {
                (Required::Yes, true, _) | (Required::No, false, _) => {}
                (Required::Conditionally, false, true) => {}
                (documented, required, one_of) => fail(format!(
                    "documented {documented:?}; the spec: required {required}, \
                     in x-required-one-of {one_of}"
                )),
            }
            put(built.body.get_or_insert(json!({})), &member.path, sent);
        }
        place => {
            let security_query = param.name == "Authorization" && place == Place::Query;
            let declared = params.iter().find(|p| {
                p.place == place
                    && (p.name == param.name
                        || param.aliases.contains(&p.name)
                        || p.value.get("x-reference-name").and_then(Value::as_str)
                            == Some(param.name.as_str()))
            });
            if security_query {
                if !query_security(spec, op) {
                    fail(
                        "the operation's security has no apiKey in the query named Authorization"
                            .into(),
                    );
                }
                built.query.push((param.name.clone(), text(&sent)));
                return;
            }
            let Some(declared) = declared else {
                return fail(format!("no {place:?} parameter of this name"));
            };
            let schema = declared.value.get("schema").cloned().unwrap_or(json!({}));
            for form in &forms {
                let validator = spec
                    .validator(&schema, Strictness::AsDeclared)
                    .unwrap_or_else(|e| panic!("{e}"));
                let candidate = match (form, in_form(value, *form)) {
                    (Form::Array, v @ Value::Array(_)) => v,
                    (_, v) => v,
                };
                if !holds(spec, &schema, *form) {
                    fail(format!("the {form:?} form is refused by {schema}"));
                } else if let Some(failure) = validator.failures(&candidate).first() {
                    fail(format!("the {form:?} form is refused: {failure}"));
                }
            }
            let required = declared.required();
            if (param.required == Required::Yes) != required {
                fail(format!(
                    "documented {:?}; the spec says required: {required}",
                    param.required
                ));
            }
            match place {
                Place::Path => {
                    built.path = built
                        .path
                        .replace(&format!("{{{}}}", declared.name), &text(&sent));
                }
                Place::Query => match &sent {
                    Value::Array(items) => built
                        .query
                        .extend(items.iter().map(|i| (declared.name.clone(), text(i)))),
                    one => built.query.push((declared.name.clone(), text(one))),
                },
                Place::Header => built.headers.push((declared.name.clone(), text(&sent))),
                Place::Body => unreachable!("handled above"),
            }
        }
    }
}
