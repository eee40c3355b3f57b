//! The columns of a case record, read from the spec when its routes are
//! compiled: which members of a case are columns, what each holds when a
//! case is created, and which members of a case response are not columns
//! (so are never stored with a case).
//!
//! - The columns are the `CaseColumn` schema's `x-extensible-enum`, the
//!   list `where` and `select` take: the spec cannot tell a column from a
//!   relation by its schema (`meta` is a nullable object like the relation
//!   `contact`; `timelineId` and `isCaseJoined` are scalars only create
//!   returns), so that list is where it says which members are columns.
//!   Each must be a property of the `Case` schema, which types it.
//! - The other properties of `Case` are relations (`contact`, `users`...)
//!   and the extras some operations add (`isCaseJoined`, `timelineId`,
//!   `msgUnread`...): computed for a response, never stored.
//! - A new case holds what the fake knows of it ([`CaseColumns::new_case`]:
//!   id, contact, title, channel, pending since it was created, first in
//!   its own thread...), and every other column the initial value its
//!   schema gives: its `default`, else `null` when it is nullable, else an
//!   enum's first value, else the zero of its type (`0`, `""`, `false`,
//!   `[]`, `{}`), else `null`.
//!
//! A spec that lists no columns, lists one `Case` does not describe, or
//! lacks one the fake writes into every new case is refused when it is
//! loaded, so the server never meets it while answering.

use std::collections::BTreeSet;

use acquire_spec::{escape, Spec, SpecError};
use serde_json::{json, Value};

use crate::{
    store::{self, Row},
    vocabulary::{self, CASE_SCHEMA, COLUMN_SCHEMA},
};

/// How deep `allOf` chains are followed.
const MAX_DEPTH: u8 = 8;

/// The columns of a case and the members of `Case` that are not columns.
#[derive(Clone, Debug)]
pub(crate) struct CaseColumns {
    /// Each column, in the spec's order, with its initial value.
    initial: Vec<(String, Value)>,
    /// The properties of `Case` that are not columns.
    not_columns: BTreeSet<String>,
}

impl CaseColumns {
    /// Reads the columns of `spec` (see the module's documentation for
    /// what is refused).
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let pointer = format!("/components/schemas/{CASE_SCHEMA}/properties");
        let properties = spec
            .document()
            .pointer(&pointer)
            .and_then(Value::as_object)
            .ok_or_else(|| SpecError::Shape {
                pointer: pointer.clone(),
                message: format!("a case's columns need the `{CASE_SCHEMA}` schema's properties"),
            })?;
        let mut initial = Vec::new();
        for name in vocabulary::known_values(spec, COLUMN_SCHEMA)? {
            let schema = properties.get(&name).ok_or_else(|| SpecError::Shape {
                pointer: format!("{pointer}/{}", escape(&name)),
                message: format!(
                    "`{COLUMN_SCHEMA}` lists the column `{name}`, which `{CASE_SCHEMA}` does not describe"
                ),
            })?;
            let value = initial_value(spec, schema, 0);
            initial.push((name, value));
        }
        let not_columns = properties
            .keys()
            .filter(|member| !initial.iter().any(|(name, _)| name == *member))
            .cloned()
            .collect();
        let columns = Self {
            initial,
            not_columns,
        };
        let written = known(0, 0, "", "", &Value::Null);
        if let Some(missing) = written.keys().find(|name| !columns.is_column(name)) {
            return Err(SpecError::Shape {
                pointer: format!(
                    "/components/schemas/{COLUMN_SCHEMA}/{}",
                    vocabulary::KNOWN_VALUES
                ),
                message: format!(
                    "the fake writes the column `{missing}` into every new case; `{COLUMN_SCHEMA}` must list it"
                ),
            });
        }
        Ok(columns)
    }

    /// Whether `name` is a column (names are case-sensitive).
    pub fn is_column(&self, name: &str) -> bool {
        self.initial.iter().any(|(known, _)| known == name)
    }

    /// Whether `name` is a property of `Case` that is not a column: a
    /// relation or an extra of some operation's response.
    pub fn is_not_column(&self, name: &str) -> bool {
        self.not_columns.contains(name)
    }

    /// The columns, in the spec's order.
    #[cfg(test)]
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.initial.iter().map(|(name, _)| name.as_str())
    }

    /// What is stored of a case record (an example's, say): its members
    /// without the properties of `Case` that are not columns. A member
    /// `Case` does not declare is kept as the record has it.
    pub fn stored(&self, record: Row) -> Row {
        record
            .into_iter()
            .filter(|(name, _)| !self.is_not_column(name))
            .collect()
    }

    /// Every column of a new case `id` of `contact` titled `title` on
    /// `channel`, created at `at`: queued and pending since then, first in
    /// its own thread, with no wait and an empty `meta`; the other columns
    /// hold their initial values. Callers set what differs (status,
    /// dates...).
    pub fn new_case(&self, id: i64, contact: i64, title: &str, channel: &str, at: &Value) -> Row {
        let mut row: Row = self.initial.iter().cloned().collect();
        // Every name `known` writes is a column: `from_spec` checked it.
        row.extend(known(id, contact, title, channel, at));
        row
    }
}

/// The columns the fake sets in every new case (see
/// [`CaseColumns::new_case`]).
fn known(id: i64, contact: i64, title: &str, channel: &str, at: &Value) -> Row {
    store::row([
        ("id", json!(id)),
        ("contactId", json!(contact)),
        ("title", json!(title)),
        ("channel", json!(channel)),
        ("status", json!("pending")),
        ("dateCreated", at.clone()),
        ("dateQueue", at.clone()),
        ("datePending", at.clone()),
        ("queueOrder", json!(0)),
        ("meta", json!({})),
        ("threadId", json!(id)),
        ("waitTime", json!(0)),
    ])
}

/// Whether a schema admits `null`: it says `nullable`, or every member of
/// its `allOf` does (`allOf: [$ref: NullableCaseId]`).
fn is_nullable(spec: &Spec, schema: &Value, depth: u8) -> bool {
    let Ok(schema) = spec.resolve(schema) else {
        return false;
    };
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    depth < MAX_DEPTH
        && schema
            .get("allOf")
            .and_then(Value::as_array)
            .filter(|members| !members.is_empty())
            .is_some_and(|members| members.iter().all(|m| is_nullable(spec, m, depth + 1)))
}

/// A column's value in a new case the fake says nothing of (see the
/// module's documentation).
fn initial_value(spec: &Spec, schema: &Value, depth: u8) -> Value {
    let Ok(schema) = spec.resolve(schema) else {
        return Value::Null;
    };
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    if is_nullable(spec, schema, depth) {
        return Value::Null;
    }
    let first_known = ["enum", vocabulary::KNOWN_VALUES]
        .iter()
        .find_map(|list| schema.get(*list)?.as_array()?.first());
    if let Some(first) = first_known {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number") => json!(0),
        Some("string") => json!(""),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        Some("object") => json!({}),
        _ if depth < MAX_DEPTH => schema
            .get("allOf")
            .and_then(Value::as_array)
            .and_then(|members| members.first())
            .map_or(Value::Null, |member| initial_value(spec, member, depth + 1)),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The columns every spec needs (those the fake writes).
    const WRITTEN: [&str; 12] = [
        "id",
        "contactId",
        "title",
        "channel",
        "status",
        "dateCreated",
        "dateQueue",
        "datePending",
        "queueOrder",
        "meta",
        "threadId",
        "waitTime",
    ];

    /// A small spec: `Case` with the columns the fake writes (as plain
    /// schemas) and `extra`, `CaseColumn` listing `columns`.
    fn spec_with(extra: Value, columns: &[&str]) -> Result<CaseColumns, SpecError> {
        let mut properties: Row = WRITTEN
            .iter()
            .map(|name| ((*name).to_owned(), json!({"type": "string"})))
            .collect();
        properties.extend(extra.as_object().cloned().unwrap_or_default());
        let document = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "CaseId": {"type": "integer", "format": "int64"},
                "NullableQueueId": {"type": "integer", "nullable": true},
                "Tier": {"type": "string", "x-extensible-enum": ["gold", "silver"]},
                "Contact": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "Case": {"type": "object", "properties": properties},
                "CaseColumn": {"type": "string", "x-extensible-enum": columns},
            }},
        });
        let spec = Spec::parse("small.json", &document.to_string())?;
        CaseColumns::from_spec(&spec)
    }

    #[test]
    fn a_new_case_carries_exactly_the_spec_columns() {
        let spec = Spec::embedded();
        let columns = CaseColumns::from_spec(spec).expect("the spec's columns");
        let listed: BTreeSet<String> = serde_json::from_value(
            spec.document()["components"]["schemas"][COLUMN_SCHEMA][vocabulary::KNOWN_VALUES]
                .clone(),
        )
        .expect("a list of names");
        let at = json!("2021-03-24T10:43:03.000Z");
        let case = columns.new_case(3000, 597752, "Printer", "chat", &at);
        assert_eq!(case.keys().cloned().collect::<BTreeSet<_>>(), listed);
        // Nullable as written, through a `$ref` and through an `allOf`.
        for nullable in [
            "description",
            "closingState",
            "queueId",
            "parentId",
            "closedBy",
        ] {
            assert_eq!(case[nullable], Value::Null, "{nullable}");
        }
        assert_eq!(case["threadId"], 3000, "its own thread");
        assert_eq!(case["status"], "pending");
        assert_eq!(case["datePending"], at);
        // Every other property of `Case` is a relation or an extra.
        let properties = spec.document()["components"]["schemas"][CASE_SCHEMA]["properties"]
            .as_object()
            .expect("properties");
        for name in properties.keys() {
            assert_ne!(
                columns.is_column(name),
                columns.is_not_column(name),
                "{name}"
            );
        }
        // An object column; relations and extras, objects and scalars.
        assert!(columns.is_column("meta"));
        for other in [
            "contact",
            "users",
            "lastMessage",
            "isCaseJoined",
            "timelineId",
        ] {
            assert!(columns.is_not_column(other), "{other}");
        }
    }

    #[test]
    fn a_column_the_spec_adds_appears_with_its_initial_value() {
        let extra = json!({
            "priority": {"type": "integer"},
            "note": {"type": "string", "nullable": true},
            "level": {"type": "string", "default": "low"},
            "tier": {"$ref": "#/components/schemas/Tier"},
            "ref": {"allOf": [{"$ref": "#/components/schemas/CaseId"}]},
            "queue": {"allOf": [{"$ref": "#/components/schemas/NullableQueueId"}]},
            "contact": {"type": "object", "nullable": true,
                        "allOf": [{"$ref": "#/components/schemas/Contact"}]},
            "msgUnread": {"type": "integer"},
        });
        let added = ["priority", "note", "level", "tier", "ref", "queue"];
        let listed: Vec<&str> = WRITTEN.iter().chain(&added).copied().collect();
        let columns = spec_with(extra.clone(), &listed).expect("columns");
        let case = columns.new_case(1, 2, "t", "chat", &Value::Null);
        assert_eq!(case.len(), listed.len());
        for (name, value) in [
            ("priority", json!(0)),
            ("note", Value::Null),
            ("level", json!("low")),
            ("tier", json!("gold")),
            ("ref", json!(0)),
            ("queue", Value::Null),
        ] {
            assert_eq!(case.get(name), Some(&value), "{name}");
        }
        assert!(columns.is_not_column("contact") && columns.is_not_column("msgUnread"));
        let stored = columns.stored(store::row([
            ("priority", json!(3)),
            ("contact", json!({"id": 2})),
            ("undeclared", json!(true)),
        ]));
        assert_eq!(
            stored.keys().collect::<Vec<_>>(),
            ["priority", "undeclared"]
        );
        // A member of `Case` that `CaseColumn` does not list is no column.
        let columns = spec_with(extra, &WRITTEN).expect("columns");
        assert!(columns.is_not_column("priority"));
        assert!(!columns
            .new_case(1, 2, "t", "chat", &Value::Null)
            .contains_key("priority"));
    }

    #[test]
    fn a_spec_the_columns_cannot_be_read_from_is_refused() {
        let undescribed: Vec<&str> = WRITTEN.iter().copied().chain(["ghost"]).collect();
        let error = spec_with(json!({}), &undescribed).expect_err("ghost is no property");
        assert!(error.to_string().contains("`ghost`"), "{error}");
        let without_thread: Vec<&str> = WRITTEN
            .iter()
            .copied()
            .filter(|name| *name != "threadId")
            .collect();
        let error = spec_with(json!({}), &without_thread).expect_err("threadId is written");
        assert!(error.to_string().contains("`threadId`"), "{error}");
        let error = spec_with(json!({}), &[]).expect_err("no columns");
        assert!(error.to_string().contains(COLUMN_SCHEMA), "{error}");
    }
}
