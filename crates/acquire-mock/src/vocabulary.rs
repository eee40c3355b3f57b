//! The case list's query vocabulary, read from the spec when its routes are
//! compiled: the columns of `where` and `select` (the `CaseColumn` schema),
//! the operators of `where` (`FilterOperator`) and the relations of
//! `relations` (`CaseRelation`), each its schema's `x-extensible-enum`.
//!
//! No name of the vocabulary is written in this crate: a name the spec
//! adds is accepted at once, one it drops is refused (400 naming the
//! parameter). What the spec cannot say is kept in code: how a column is
//! compared follows its type in the `Case` schema (an integer as a number,
//! text and `date-time` strings as text), and what each operator and
//! relation does is [`query::Operator`](crate::query::Operator) and the
//! case handlers' embedding; a name the spec lists that has no meaning
//! there answers 501.

use acquire_spec::{Spec, SpecError};
use serde_json::Value;

/// The schema listing the columns of `where` and `select`.
pub(crate) const COLUMN_SCHEMA: &str = "CaseColumn";
/// The schema listing the operators of `where`.
const OPERATOR_SCHEMA: &str = "FilterOperator";
/// The schema listing the relations of `relations`.
const RELATION_SCHEMA: &str = "CaseRelation";
/// The schema whose properties give each column's type.
pub(crate) const CASE_SCHEMA: &str = "Case";
/// The extension holding an open enum's known values.
pub(crate) const KNOWN_VALUES: &str = "x-extensible-enum";

/// What a column holds, for comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// Integers (ids, counts); compared as numbers.
    Int,
    /// Text; compared as text.
    Text,
    /// RFC 3339 timestamps (`format: date-time`); compared as text (they
    /// sort as they read).
    Date,
}

/// The known columns (with their types), operators and relations.
#[derive(Clone, Debug)]
pub(crate) struct Vocabulary {
    columns: Vec<(String, ColumnType)>,
    operators: Vec<String>,
    relations: Vec<String>,
}

impl Vocabulary {
    /// Reads the vocabulary of `spec`; a missing list is an error, so a
    /// spec without one cannot be served by mistake.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let case = format!("/components/schemas/{CASE_SCHEMA}/properties");
        let properties = spec.document().pointer(&case);
        let columns = known_values(spec, COLUMN_SCHEMA)?
            .into_iter()
            .map(|name| {
                let kind = properties
                    .and_then(|p| p.get(&name))
                    .and_then(|schema| column_type(spec, schema, 0))
                    .unwrap_or(ColumnType::Text);
                (name, kind)
            })
            .collect();
        Ok(Self {
            columns,
            operators: known_values(spec, OPERATOR_SCHEMA)?,
            relations: known_values(spec, RELATION_SCHEMA)?,
        })
    }

    /// The type of a known column (names are case-sensitive).
    pub fn column(&self, name: &str) -> Option<ColumnType> {
        self.columns
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, kind)| *kind)
    }

    /// A known operator as the spec spells it (compared without case).
    pub fn operator(&self, name: &str) -> Option<&str> {
        self.operators
            .iter()
            .find(|known| known.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// The known columns, in the spec's order.
    pub fn columns(&self) -> impl Iterator<Item = &str> + Clone {
        self.columns.iter().map(|(name, _)| name.as_str())
    }

    /// The known operators, in the spec's order.
    pub fn operators(&self) -> &[String] {
        &self.operators
    }

    /// The known relations, in the spec's order.
    pub fn relations(&self) -> &[String] {
        &self.relations
    }
}

/// The `x-extensible-enum` of the component schema `name`.
pub(crate) fn known_values(spec: &Spec, name: &str) -> Result<Vec<String>, SpecError> {
    let pointer = format!("/components/schemas/{name}/{KNOWN_VALUES}");
    spec.document()
        .pointer(&pointer)
        .and_then(Value::as_array)
        .and_then(|values| {
            values
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .filter(|values| !values.is_empty())
        .ok_or_else(|| SpecError::Shape {
            pointer,
            message: format!("the case list's vocabulary needs `{name}` to list its names"),
        })
}

/// The comparison type of a property schema: its `type` (an integer, or a
/// string, `date-time` or not), or that of the first `allOf` member that
/// has one (a named id, a nullable object).
fn column_type(spec: &Spec, schema: &Value, depth: u8) -> Option<ColumnType> {
    let schema = spec.resolve(schema).ok()?;
    match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number") => Some(ColumnType::Int),
        Some(_) if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
            Some(ColumnType::Date)
        }
        Some(_) => Some(ColumnType::Text),
        None if depth < 8 => schema
            .get("allOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|member| column_type(spec, member, depth + 1)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lists_and_the_column_types_from_the_spec() {
        let spec = Spec::embedded();
        let vocabulary = Vocabulary::from_spec(spec).expect("vocabulary");
        let listed = |schema: &str| -> Vec<String> {
            serde_json::from_value(
                spec.document()["components"]["schemas"][schema][KNOWN_VALUES].clone(),
            )
            .expect("a list of names")
        };
        assert_eq!(
            vocabulary.columns().collect::<Vec<_>>(),
            listed(COLUMN_SCHEMA)
        );
        assert_eq!(vocabulary.operators(), listed(OPERATOR_SCHEMA));
        assert_eq!(vocabulary.relations(), listed(RELATION_SCHEMA));
        // Types as the `Case` schema declares them: a named id, a nullable
        // named id, a plain integer, text, nullable text, a date.
        for (column, kind) in [
            ("id", ColumnType::Int),
            ("parentId", ColumnType::Int),
            ("queueOrder", ColumnType::Int),
            ("status", ColumnType::Text),
            ("closingState", ColumnType::Text),
            ("dateClosed", ColumnType::Date),
        ] {
            assert_eq!(vocabulary.column(column), Some(kind), "{column}");
        }
        assert_eq!(vocabulary.column("Status"), None, "columns keep their case");
        assert_eq!(vocabulary.operator("EQ"), Some("eq"), "operators do not");
        for gone in ["in", "nin"] {
            assert_eq!(vocabulary.operator(gone), None, "{gone}");
        }
    }

    #[test]
    fn a_spec_without_the_vocabulary_is_refused() {
        let mut document = Spec::embedded().document().clone();
        if let Some(schemas) = document
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.remove(RELATION_SCHEMA);
        }
        let trimmed = std::env::temp_dir().join(format!(
            "acquire-mock-vocabulary-{}.yaml",
            std::process::id()
        ));
        std::fs::write(&trimmed, document.to_string()).expect("write");
        let spec = Spec::load(&trimmed).expect("JSON is YAML");
        let _ = std::fs::remove_file(&trimmed);
        let error = Vocabulary::from_spec(&spec).expect_err("no relations");
        assert!(error.to_string().contains(RELATION_SCHEMA), "{error}");
    }
}
