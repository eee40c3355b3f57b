//! Typed pieces of the case queries: `where` conditions, `select` columns and
//! `relations`, encoded the way Acquire reads them (`column|op|value`,
//! `a|b|c`).
//!
//! ```
//! use acquire::query::{CaseColumn, Condition, FilterOperator};
//! use acquire::CaseStatus;
//!
//! let active = Condition::new(CaseColumn::Status, FilterOperator::Eq, CaseStatus::Active);
//! assert_eq!(active.to_query()?, "status|eq|active");
//!
//! // `|` separates the parts, so a value holding one cannot be sent.
//! let bad = Condition::new(CaseColumn::Title, FilterOperator::Eq, "a|b");
//! assert!(matches!(bad.to_query(), Err(acquire::Error::InvalidRequest(_))));
//! # Ok::<(), acquire::Error>(())
//! ```

use std::fmt;

use crate::Error;

/// The separator Acquire uses between the parts of a condition and between
/// the items of `select` and `relations`.
const SEPARATOR: char = '|';

/// A column of a case, for `where` conditions and `select`; an operator of
/// a condition; a relation to embed. Their known values are the spec's
/// (`CaseColumn`, `FilterOperator` and `CaseRelation` schemas); each is an
/// open enum, so any other name is sent as written
/// ([`CaseColumn::Unknown`]...), checked when the request is sent.
pub use acquire_api::{CaseColumn, CaseRelation, FilterOperator};

/// One `where` condition: `column|op|value`. All the conditions of a list
/// must hold.
///
/// The value is kept as text (anything that implements `Display`: a
/// string, a number, an id, an open enum such as [`CaseStatus`](crate::CaseStatus)).
/// A value containing `|` cannot be expressed in Acquire's syntax: the
/// request carrying it fails with [`Error::InvalidRequest`] when it is
/// sent, before anything goes over the network.
///
/// ```
/// use acquire::query::{CaseColumn, Condition, FilterOperator};
/// use acquire::ContactId;
///
/// let mine = Condition::new(CaseColumn::ContactId, FilterOperator::Eq, ContactId(597752));
/// assert_eq!(mine.to_query()?, "contactId|eq|597752");
/// # Ok::<(), acquire::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    column: CaseColumn,
    operator: FilterOperator,
    value: String,
}

impl Condition {
    /// `column` compared with `value` by `operator`.
    pub fn new(column: CaseColumn, operator: FilterOperator, value: impl fmt::Display) -> Self {
        Self {
            column,
            operator,
            value: value.to_string(),
        }
    }

    /// The column.
    pub fn column(&self) -> &CaseColumn {
        &self.column
    }

    /// The operator.
    pub fn operator(&self) -> &FilterOperator {
        &self.operator
    }

    /// The value, as it will be sent.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The `where` parameter value, `column|op|value`; an
    /// [`Error::InvalidRequest`] when a part cannot be expressed.
    pub fn to_query(&self) -> Result<String, Error> {
        let column = name("column", self.column.as_str())?;
        let operator = name("operator", self.operator.as_str())?;
        if self.value.contains(SEPARATOR) {
            return Err(Error::InvalidRequest(format!(
                "the value {:?} of the condition on {column} contains '|', \
                 which Acquire reads as a separator",
                self.value
            )));
        }
        Ok(format!("{column}|{operator}|{}", self.value))
    }
}

/// Checks a column, operator or relation name: not empty, no separator, no
/// surrounding blanks.
fn name<'a>(what: &str, text: &'a str) -> Result<&'a str, Error> {
    if text.is_empty() || text.trim() != text {
        return Err(Error::InvalidRequest(format!(
            "the {what} name {text:?} is empty or has surrounding blanks"
        )));
    }
    if text.contains(SEPARATOR) {
        return Err(Error::InvalidRequest(format!(
            "the {what} name {text:?} contains '|', which Acquire reads as a separator"
        )));
    }
    Ok(text)
}

/// The `where` parameter values of `conditions`.
pub(crate) fn encode_conditions(conditions: &[Condition]) -> Result<Vec<String>, Error> {
    conditions.iter().map(Condition::to_query).collect()
}

/// `a|b|c` from `columns` (`None` for none).
pub(crate) fn encode_select(columns: &[CaseColumn]) -> Result<Option<String>, Error> {
    join("column", columns.iter().map(CaseColumn::as_str))
}

/// `a|b|c` from `relations` (`None` for none).
pub(crate) fn encode_relations(relations: &[CaseRelation]) -> Result<Option<String>, Error> {
    join("relation", relations.iter().map(CaseRelation::as_str))
}

fn join<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> Result<Option<String>, Error> {
    let mut joined = String::new();
    for text in names {
        let text = name(what, text)?;
        if !joined.is_empty() {
            joined.push(SEPARATOR);
        }
        joined.push_str(text);
    }
    Ok((!joined.is_empty()).then_some(joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_from_str() {
        for column in CaseColumn::KNOWN {
            assert_eq!(CaseColumn::from(*column).as_str(), *column);
        }
        for relation in CaseRelation::KNOWN {
            assert_eq!(CaseRelation::from(*relation).as_str(), *relation);
        }
        for operator in FilterOperator::KNOWN {
            assert_eq!(FilterOperator::from(*operator).as_str(), *operator);
        }
        assert_eq!(
            CaseColumn::from("priority"),
            CaseColumn::Unknown("priority".into())
        );
    }

    #[test]
    fn conditions_encode_and_refuse_separators() {
        let ok = Condition::new(CaseColumn::WaitTime, FilterOperator::Gt, 30);
        assert_eq!(ok.to_query().ok().as_deref(), Some("waitTime|gt|30"));
        let refused = [
            Condition::new(CaseColumn::Title, FilterOperator::Like, "50|50"),
            Condition::new(CaseColumn::Unknown("a|b".into()), FilterOperator::Eq, 1),
            Condition::new(CaseColumn::Unknown(String::new()), FilterOperator::Eq, 1),
            Condition::new(CaseColumn::Unknown(" id".into()), FilterOperator::Eq, 1),
            Condition::new(CaseColumn::Id, FilterOperator::Unknown("e|q".into()), 1),
        ];
        for condition in refused {
            assert!(
                matches!(condition.to_query(), Err(Error::InvalidRequest(_))),
                "{condition:?}"
            );
        }
    }

    #[test]
    fn lists_join_with_the_separator() {
        let select = encode_select(&[CaseColumn::Id, CaseColumn::Status, CaseColumn::Title]);
        assert_eq!(select.ok().flatten().as_deref(), Some("id|status|title"));
        assert!(matches!(encode_select(&[]), Ok(None)));
        let relations =
            encode_relations(&[CaseRelation::Contact, CaseRelation::Unknown("x|y".into())]);
        assert!(matches!(relations, Err(Error::InvalidRequest(_))));
    }
}
