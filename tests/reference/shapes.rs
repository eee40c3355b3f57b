//! Responses: the shape sheet is a test. At every path it lists, the spec's
//! response schema accepts every type it lists (`a|b`: both) and declares
//! the member (unless it sits in a free-form object, or the schema names it
//! in `x-kept-undeclared`); a document built from the sheet validates and
//! decodes into the generated type with nothing lost.

use std::collections::BTreeMap;

use acquire_spec::{Spec, Strictness};
use acquire_tests::{differences, normalise, registry, spec};
use serde_json::{json, Map, Value};

use crate::sheet::{self, Kind, Shape, Step};

/// The sheet names each response by page; the spec names operations.
const SECTIONS: &[(&str, &str)] = &[
    ("case_close", "close_case"),
    ("case_get", "get_case"),
    ("case_list", "list_cases"),
    ("message_delete", "delete_message"),
    ("message_get", "get_message"),
    ("message_list", "list_messages"),
    ("message_send_chat", "send_chat_message"),
    ("message_send_mail", "send_email_message"),
    ("message_send_sms", "send_sms"),
    ("message_update", "update_message"),
    ("note_add_message", "add_note_message"),
    ("note_create", "create_note"),
    ("note_delete", "delete_note"),
    ("note_get", "get_note"),
    ("note_list", "list_notes"),
    ("note_messages", "list_note_messages"),
    ("snooze_create", "create_snooze"),
    ("snooze_delete", "delete_snooze"),
];

/// The sections of the sheet, each with its operation's 200 schema.
fn sections() -> Vec<(String, &'static str, Vec<Shape>, Value)> {
    let shapes = sheet::shapes().unwrap_or_else(|e| panic!("{e}"));
    let mapped: Vec<&str> = SECTIONS.iter().map(|(s, _)| *s).collect();
    let unmapped: Vec<&String> = shapes
        .keys()
        .filter(|s| !mapped.contains(&s.as_str()))
        .collect();
    assert!(
        unmapped.is_empty(),
        "sections without an operation: {unmapped:?}"
    );
    SECTIONS
        .iter()
        .map(|(section, operation)| {
            let op = spec()
                .operation(operation)
                .unwrap_or_else(|| panic!("{operation} is not in the spec"));
            let schema = op
                .value
                .pointer("/responses/200/content/application~1json/schema")
                .cloned()
                .unwrap_or_else(|| panic!("{operation} has no 200 JSON schema"));
            let lines = shapes
                .get(*section)
                .cloned()
                .unwrap_or_else(|| panic!("the sheet has no section {section}"));
            ((*section).to_owned(), *operation, lines, schema)
        })
        .collect()
}

/// A schema reached by a path, and whether `nullable` was met on the way
/// into it (the OpenAPI 3.0 spelling of "or null").
#[derive(Clone, Debug)]
struct Reached<'a> {
    schema: &'a Value,
    nullable: bool,
}

/// What is at one step below a set of schemas.
enum Below<'a> {
    Schemas(Vec<Reached<'a>>),
    /// A free-form object or an untyped schema: anything is accepted below.
    FreeForm,
    /// The member is not declared (and the object is not free-form).
    Undeclared,
    /// Deliberately undeclared (`x-kept-undeclared`).
    KeptUndeclared,
}

/// The leaf schemas of `schema`: `$ref`s followed, `allOf`/`oneOf`/`anyOf`
/// flattened into their branches.
fn leaves<'a>(spec: &'a Spec, schema: &'a Value, nullable: bool, out: &mut Vec<Reached<'a>>) {
    let schema = spec.resolve(schema).unwrap_or_else(|e| panic!("{e}"));
    let nullable = nullable || schema.get("nullable") == Some(&Value::Bool(true));
    let mut composite = false;
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
            composite = true;
            for branch in branches {
                leaves(spec, branch, nullable, out);
            }
        }
    }
    if !composite {
        out.push(Reached { schema, nullable });
    }
}

fn is_free_form(schema: &Value) -> bool {
    let open_extra = match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => true,
        Some(Value::Object(extra)) => extra.is_empty(),
        Some(_) => false,
    };
    let typed = schema.get("type").and_then(Value::as_str);
    (typed.is_none() && schema.get("properties").is_none() && schema.get("items").is_none())
        || (typed == Some("object") && schema.get("properties").is_none() && open_extra)
}

fn below<'a>(spec: &'a Spec, at: &[Reached<'a>], step: &Step) -> Below<'a> {
    let mut found = Vec::new();
    let mut undeclared = false;
    let mut kept = false;
    for reached in at {
        let mut flat = Vec::new();
        leaves(spec, reached.schema, false, &mut flat);
        for leaf in flat {
            if is_free_form(leaf.schema) {
                return Below::FreeForm;
            }
            match step {
                Step::Item => {
                    if let Some(items) = leaf.schema.get("items") {
                        found.push(Reached {
                            schema: items,
                            nullable: false,
                        });
                    }
                }
                Step::Member(name) => {
                    if let Some(member) = leaf
                        .schema
                        .pointer(&format!("/properties/{}", acquire_spec::escape(name)))
                    {
                        found.push(Reached {
                            schema: member,
                            nullable: false,
                        });
                    } else if let Some(extra) = leaf
                        .schema
                        .get("additionalProperties")
                        .filter(|e| e.as_object().is_some_and(|e| !e.is_empty()))
                    {
                        // A typed map (`"0"` of close, `"12"` of a snooze's users).
                        found.push(Reached {
                            schema: extra,
                            nullable: false,
                        });
                    } else if leaf
                        .schema
                        .get("x-kept-undeclared")
                        .and_then(Value::as_array)
                        .is_some_and(|kept| kept.iter().any(|k| k.as_str() == Some(name)))
                    {
                        kept = true;
                    } else if leaf.schema.get("type").and_then(Value::as_str) == Some("object") {
                        undeclared = true;
                    }
                }
            }
        }
    }
    if !found.is_empty() {
        Below::Schemas(found)
    } else if kept {
        Below::KeptUndeclared
    } else if undeclared {
        Below::Undeclared
    } else {
        Below::Schemas(Vec::new())
    }
}

/// Whether one of `at` accepts a value of `kind`.
fn accepts(spec: &Spec, at: &[Reached<'_>], kind: Kind) -> bool {
    at.iter().any(|reached| {
        let mut flat = Vec::new();
        leaves(spec, reached.schema, reached.nullable, &mut flat);
        flat.iter().any(|leaf| {
            let typed = leaf.schema.get("type").and_then(Value::as_str);
            match (kind, typed) {
                (Kind::Null, _) => leaf.nullable || typed.is_none(),
                (_, None) => true,
                (Kind::Integer, Some(t)) => t == "integer" || t == "number",
                (Kind::String | Kind::DateTime, Some(t)) => t == "string",
                (Kind::Object, Some(t)) => t == "object",
                (Kind::Array, Some(t)) => t == "array",
                (Kind::Boolean, Some(t)) => t == "boolean",
            }
        })
    })
}

#[test]
fn every_listed_path_accepts_every_listed_type() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (section, operation, lines, schema) in sections() {
        for shape in &lines {
            let mut at = vec![Reached {
                schema: &schema,
                nullable: false,
            }];
            let mut outcome = None;
            for step in &shape.steps {
                match below(spec, &at, step) {
                    Below::Schemas(next) if next.is_empty() => {
                        outcome = Some(Err("no schema declares this path".to_owned()));
                        break;
                    }
                    Below::Schemas(next) => at = next,
                    Below::FreeForm | Below::KeptUndeclared => {
                        outcome = Some(Ok(()));
                        break;
                    }
                    Below::Undeclared => {
                        outcome = Some(Err(format!(
                            "`{}` is not declared (declare it, or list it in \
                             `x-kept-undeclared` with the reason)",
                            match step {
                                Step::Member(m) => m.as_str(),
                                Step::Item => "[]",
                            }
                        )));
                        break;
                    }
                }
            }
            let outcome = outcome.unwrap_or_else(|| {
                let refused: Vec<String> = shape
                    .kinds
                    .iter()
                    .filter(|k| !accepts(spec, &at, **k))
                    .map(|k| format!("{k:?}"))
                    .collect();
                if refused.is_empty() {
                    Ok(())
                } else {
                    Err(format!("the schema refuses {}", refused.join(", ")))
                }
            });
            checked += 1;
            if let Err(why) = outcome {
                failures.push(format!("{section} ({operation}) {}: {why}", shape.text));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} paths:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1000, "only {checked} paths were read");
}

/// A value of `kind` (members and elements are added by later lines).
fn sample(kind: Kind) -> Value {
    match kind {
        Kind::Object => json!({}),
        Kind::Array => json!([]),
        Kind::Integer => json!(1),
        Kind::String => json!("x"),
        Kind::DateTime => json!("2021-03-24T10:31:24.000Z"),
        Kind::Boolean => json!(true),
        Kind::Null => Value::Null,
    }
}

/// Puts `value` at `steps` under `root`, making objects and one-element
/// arrays on the way; a value already there is kept (an object's members
/// arrive on their own lines).
fn insert(root: &mut Value, steps: &[Step], value: Value) {
    let Some((first, rest)) = steps.split_first() else {
        if root.is_null() || (!root.is_object() && !root.is_array()) {
            *root = value;
        }
        return;
    };
    let child = match first {
        Step::Member(name) => {
            if !root.is_object() {
                *root = Value::Object(Map::new());
            }
            match root {
                Value::Object(map) => map.entry(name.clone()).or_insert(Value::Null),
                _ => unreachable!("made an object above"),
            }
        }
        Step::Item => {
            if !root.is_array() {
                *root = Value::Array(Vec::new());
            }
            match root {
                Value::Array(items) => {
                    if items.is_empty() {
                        items.push(Value::Null);
                    }
                    &mut items[0]
                }
                _ => unreachable!("made an array above"),
            }
        }
    };
    insert(child, rest, value);
}

/// The documents a section describes: one with the first type of every
/// path, one with the last (they differ where the sheet lists `a|b`).
fn documents(lines: &[Shape]) -> Vec<Value> {
    let mut out = Vec::new();
    for pick_last in [false, true] {
        let mut root = Value::Null;
        for shape in lines {
            let kind = if pick_last {
                shape.kinds.last()
            } else {
                shape.kinds.first()
            };
            if let Some(kind) = kind {
                insert(&mut root, &shape.steps, sample(*kind));
            }
        }
        if !out.contains(&root) {
            out.push(root);
        }
    }
    out
}

#[test]
fn every_documented_response_validates_and_decodes_with_nothing_lost() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut decoded = 0;
    for (section, operation, lines, schema) in sections() {
        let name = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| panic!("{operation}: the 200 schema is not a named $ref"));
        let validator = spec
            .validator(&schema, Strictness::AsDeclared)
            .unwrap_or_else(|e| panic!("{e}"));
        for (i, document) in documents(&lines).iter().enumerate() {
            let label = format!("{section} ({operation}, document {i})");
            for failure in validator.failures(document) {
                failures.push(format!("{label}: does not validate: {failure}"));
            }
            match registry::decode(name, document) {
                None => failures.push(format!("{label}: no decoder for {name}")),
                Some(Err(e)) => failures.push(format!("{label}: does not decode: {e}")),
                Some(Ok(typed)) => {
                    decoded += 1;
                    let lost = differences(&normalise(document), &normalise(&typed.reencoded));
                    if !lost.is_empty() {
                        failures.push(format!("{label}: round trip lost {lost:?}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        decoded >= SECTIONS.len(),
        "only {decoded} documents decoded"
    );
}

/// The member documented both as an array (create's `fields: []`) and as an
/// object (the case of send SMS's timeline entry, `fields: {}`) keeps
/// whichever it was, exactly, even empty.
#[test]
fn case_fields_as_an_array_or_an_object_survive_a_round_trip_exactly() {
    let forms = [
        json!([]),
        json!({}),
        json!([{"id": 4, "value": "gold"}]),
        json!({"orderId": 311, "tier": "gold"}),
    ];
    for fields in forms {
        let case = json!({"id": 1684, "fields": fields});
        let typed: acquire_api::types::Case =
            serde_json::from_value(case.clone()).unwrap_or_else(|e| panic!("{fields}: {e}"));
        let back = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back["fields"], fields, "{typed:?}");
    }
    let by_shape: BTreeMap<&str, bool> = [
        (
            "array",
            matches!(
                serde_json::from_value::<acquire_api::types::CaseFields>(json!([])),
                Ok(acquire_api::types::CaseFields::Array(_))
            ),
        ),
        (
            "object",
            matches!(
                serde_json::from_value::<acquire_api::types::CaseFields>(json!({})),
                Ok(acquire_api::types::CaseFields::Object(_))
            ),
        ),
    ]
    .into_iter()
    .collect();
    assert!(by_shape.values().all(|ok| *ok), "{by_shape:?}");
}
