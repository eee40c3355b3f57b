//! Parsers of argument values into the crate's typed query pieces. A value
//! they refuse is a usage error (clap prints the reason and exits with 2).

use acquire::{
    chrono::NaiveDateTime,
    query::{CaseColumn, CaseRelation, Condition, FilterOperator},
};

/// The formats `snooze create --at` accepts.
const SCHEDULE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
];

/// `column|op|value` into a [`Condition`]; the column and the operator must
/// be ones Acquire documents, the value must be present and hold no `|`.
pub fn condition(text: &str) -> Result<Condition, String> {
    let mut parts = text.splitn(3, '|');
    let (Some(column), Some(operator), Some(value)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err("expected COLUMN|OP|VALUE, e.g. status|eq|active".to_owned());
    };
    let column = self::column(column)?;
    let operator = known(FilterOperator::KNOWN, operator, "operator")?;
    if value.is_empty() {
        return Err(format!("the condition on {column} has no value"));
    }
    if value.contains('|') {
        return Err(format!(
            "the value {value:?} contains '|', which Acquire reads as a separator"
        ));
    }
    Ok(Condition::new(column, operator, value))
}

/// A case column Acquire documents, by its API name (`contactId`).
pub fn column(text: &str) -> Result<CaseColumn, String> {
    known(CaseColumn::KNOWN, text, "column")
}

/// A relation Acquire documents, by its API name (`contact`).
pub fn relation(text: &str) -> Result<CaseRelation, String> {
    known(CaseRelation::KNOWN, text, "relation")
}

/// A schedule, `YYYY-MM-DD HH:MM[:SS]` (Acquire names no time zone; a `T`
/// may separate the date and the time).
pub fn schedule(text: &str) -> Result<NaiveDateTime, String> {
    SCHEDULE_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text.trim(), format).ok())
        .ok_or_else(|| format!("expected \"YYYY-MM-DD HH:MM[:SS]\", got {text:?}"))
}

/// The known value of an open enum spelled `text` (its `KNOWN` names are
/// the spec's), or an error listing them.
fn known<T: for<'a> From<&'a str>>(names: &[&str], text: &str, what: &str) -> Result<T, String> {
    let text = text.trim();
    if names.contains(&text) {
        Ok(T::from(text))
    } else {
        Err(format!(
            "unknown {what} {text:?}; expected one of: {}",
            names.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse_into_typed_parts() {
        let parsed = condition("contactId|eq|597752").map(|c| c.to_query().ok());
        assert_eq!(parsed, Ok(Some("contactId|eq|597752".to_owned())));
        let parsed = condition("waitTime|gte|30").map(|c| c.operator().clone());
        assert_eq!(parsed, Ok(FilterOperator::Gte));
    }

    #[test]
    fn bad_conditions_say_why() {
        let cases = [
            ("status", "expected COLUMN|OP|VALUE"),
            ("status|eq", "expected COLUMN|OP|VALUE"),
            ("colour|eq|red", "unknown column \"colour\""),
            ("status|is|active", "unknown operator \"is\""),
            ("status|eq|", "has no value"),
            ("title|eq|a|b", "contains '|'"),
        ];
        for (text, reason) in cases {
            match condition(text) {
                Err(message) => assert!(message.contains(reason), "{text}: {message}"),
                Ok(parsed) => panic!("{text} parsed as {parsed:?}"),
            }
        }
    }

    #[test]
    fn columns_and_relations_are_the_documented_ones() {
        assert_eq!(column("dateClosed"), Ok(CaseColumn::DateClosed));
        assert_eq!(relation("contact"), Ok(CaseRelation::Contact));
        assert!(column("priority").is_err_and(|e| e.contains("contactId")));
        assert!(relation("owner").is_err_and(|e| e.contains("timeline")));
    }

    #[test]
    fn the_list_help_names_every_column_and_operator() {
        let help = crate::cli::list_help();
        for column in CaseColumn::KNOWN {
            assert!(
                help.contains(&format!(" {column},")) || help.contains(&format!(" {column}.")),
                "{column}"
            );
        }
        for operator in FilterOperator::KNOWN {
            assert!(help.contains(&format!(" {operator}")), "{operator}");
        }
    }

    #[test]
    fn schedules_accept_seconds_or_not() {
        let with = schedule("2021-03-25 09:00:00");
        let without = schedule("2021-03-25T09:00");
        assert!(with.is_ok());
        assert_eq!(with, without);
        assert!(schedule("tomorrow").is_err());
        assert!(schedule("2021-02-30 09:00").is_err());
    }
}
