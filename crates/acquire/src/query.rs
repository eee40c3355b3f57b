//! Typed pieces of the case queries: `where` conditions, `select` columns and
//! `relations`, encoded the way Acquire reads them (`column|op|value`,
//! `a|b|c`).
//!
//! ```
//! use acquire::query::{CaseColumn, Condition, Operator, Relation};
//! use acquire::CaseStatus;
//!
//! let active = Condition::new(CaseColumn::Status, Operator::Eq, CaseStatus::Active);
//! assert_eq!(active.to_query()?, "status|eq|active");
//!
//! // `|` separates the parts, so a value holding one cannot be sent.
//! let bad = Condition::new(CaseColumn::Title, Operator::Eq, "a|b");
//! assert!(matches!(bad.to_query(), Err(acquire::Error::InvalidRequest(_))));
//! # Ok::<(), acquire::Error>(())
//! ```

use std::fmt;

use crate::Error;

/// The separator Acquire uses between the parts of a condition and between
/// the items of `select` and `relations`.
const SEPARATOR: char = '|';

macro_rules! open_names {
    (
        $(#[$doc:meta])*
        $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// Any other name, sent as written (it must not be empty nor
            /// contain `|`, checked when the request is sent).
            Other(String),
        }

        impl $name {
            /// Every named variant, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)*];

            /// The name as Acquire spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            /// The named variant spelled `name`, or [`Other`](Self::Other).
            fn from(name: &str) -> Self {
                match name {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_names! {
    /// A column of a case, for `where` conditions and `select`. The named
    /// variants are the case attributes Acquire documents;
    /// [`CaseColumn::Other`] reaches any other.
    CaseColumn {
        /// `id` (always returned, whatever `select` says).
        Id => "id",
        /// `contactId`.
        ContactId => "contactId",
        /// `title`.
        Title => "title",
        /// `description`.
        Description => "description",
        /// `channel` (see [`Channel`](crate::Channel)).
        Channel => "channel",
        /// `status` (see [`CaseStatus`](crate::CaseStatus)).
        Status => "status",
        /// `closingState` (see [`ClosingState`](crate::ClosingState)).
        ClosingState => "closingState",
        /// `threadId`.
        ThreadId => "threadId",
        /// `parentId`: the case a reopened case reopens.
        ParentId => "parentId",
        /// `userId`: the third-party app that started the case.
        UserId => "userId",
        /// `visitId`.
        VisitId => "visitId",
        /// `queueId`.
        QueueId => "queueId",
        /// `queueOrder`.
        QueueOrder => "queueOrder",
        /// `closedBy`.
        ClosedBy => "closedBy",
        /// `waitTime` (seconds).
        WaitTime => "waitTime",
        /// `dateCreated`.
        DateCreated => "dateCreated",
        /// `dateUpdated`.
        DateUpdated => "dateUpdated",
        /// `dateQueue`.
        DateQueue => "dateQueue",
        /// `datePending`.
        DatePending => "datePending",
        /// `dateActive`.
        DateActive => "dateActive",
        /// `dateClosed`.
        DateClosed => "dateClosed",
    }
}

open_names! {
    /// A relation to embed in the cases returned (`relations`). The named
    /// variants are the ones Acquire documents.
    Relation {
        /// `contact`: the case's contact.
        Contact => "contact",
        /// `messages`: the case's messages.
        Messages => "messages",
        /// `cases`: the other cases of the thread.
        Cases => "cases",
        /// `users`: the participants.
        Users => "users",
        /// `fields`: the case field values.
        Fields => "fields",
        /// `tags`.
        Tags => "tags",
        /// `feedbacks`.
        Feedbacks => "feedbacks",
        /// `timeline`: the contact's timeline details.
        Timeline => "timeline",
        /// `parent`: the case this one reopens.
        Parent => "parent",
    }
}

open_names! {
    /// The comparison of a [`Condition`]. Acquire's reference shows `eq`
    /// (`status|eq|active`); the other named operators follow the same
    /// convention and are sent as written: a server that does not support
    /// one answers with an error.
    Operator {
        /// `eq`: equal to.
        Eq => "eq",
        /// `ne`: not equal to.
        Ne => "ne",
        /// `gt`: greater than.
        Gt => "gt",
        /// `gte`: greater than or equal to.
        Gte => "gte",
        /// `lt`: less than.
        Lt => "lt",
        /// `lte`: less than or equal to.
        Lte => "lte",
        /// `like`: matches a pattern.
        Like => "like",
    }
}

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
/// use acquire::query::{CaseColumn, Condition, Operator};
/// use acquire::ContactId;
///
/// let mine = Condition::new(CaseColumn::ContactId, Operator::Eq, ContactId(597752));
/// assert_eq!(mine.to_query()?, "contactId|eq|597752");
/// # Ok::<(), acquire::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    column: CaseColumn,
    operator: Operator,
    value: String,
}

impl Condition {
    /// `column` compared with `value` by `operator`.
    pub fn new(column: CaseColumn, operator: Operator, value: impl fmt::Display) -> Self {
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
    pub fn operator(&self) -> &Operator {
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
pub(crate) fn encode_relations(relations: &[Relation]) -> Result<Option<String>, Error> {
    join("relation", relations.iter().map(Relation::as_str))
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
            assert_eq!(&CaseColumn::from(column.as_str()), column);
        }
        for relation in Relation::KNOWN {
            assert_eq!(&Relation::from(relation.as_str()), relation);
        }
        for operator in Operator::KNOWN {
            assert_eq!(&Operator::from(operator.as_str()), operator);
        }
        assert_eq!(
            CaseColumn::from("priority"),
            CaseColumn::Other("priority".into())
        );
    }

    #[test]
    fn conditions_encode_and_refuse_separators() {
        let ok = Condition::new(CaseColumn::WaitTime, Operator::Gt, 30);
        assert_eq!(ok.to_query().ok().as_deref(), Some("waitTime|gt|30"));
        let refused = [
            Condition::new(CaseColumn::Title, Operator::Like, "50|50"),
            Condition::new(CaseColumn::Other("a|b".into()), Operator::Eq, 1),
            Condition::new(CaseColumn::Other(String::new()), Operator::Eq, 1),
            Condition::new(CaseColumn::Other(" id".into()), Operator::Eq, 1),
            Condition::new(CaseColumn::Id, Operator::Other("e|q".into()), 1),
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
        let relations = encode_relations(&[Relation::Contact, Relation::Other("x|y".into())]);
        assert!(matches!(relations, Err(Error::InvalidRequest(_))));
    }
}
