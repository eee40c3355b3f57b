//! The query language of the list operations: `where` conditions,
//! `select`, `relations` and paging.
//!
//! The names are the spec's ([`Vocabulary`]): a condition is
//! `column|op|value` with a `CaseColumn`, a `FilterOperator` and a value;
//! `select` is `|`-separated `CaseColumn`s, `relations` `|`-separated
//! `CaseRelation`s. The reference documents `eq` (its example is
//! `status|eq|active`); the other operators are compared as their names say
//! ([`Operator`]); `like` takes `%` for any run and `_` for one character,
//! without case. The value `null` compares with a null column (`eq`, `ne`
//! only). An unknown column, operator or relation, a malformed condition or
//! a number column compared with a non-number is a 400
//! `ERROR_INVALID_INPUT` naming `where`, `select` or `relations`.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::{
    error::ApiError,
    input::Input,
    store::Row,
    vocabulary::{ColumnType, Vocabulary},
};

/// What an operator of the spec's `FilterOperator` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operator {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// SQL `LIKE`, without case.
    Like,
}

impl Operator {
    /// The comparison an operator named by the spec stands for; `None` when
    /// the fake has none for it (the request is then answered 501).
    pub fn meaning(name: &str) -> Option<Self> {
        Some(match name {
            "eq" => Self::Eq,
            "ne" => Self::Ne,
            "gt" => Self::Gt,
            "gte" => Self::Gte,
            "lt" => Self::Lt,
            "lte" => Self::Lte,
            "like" => Self::Like,
            _ => return None,
        })
    }
}

/// One parsed `where` condition.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    column: String,
    kind: ColumnType,
    op: Operator,
    value: Value,
}

fn invalid(raw: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::invalid(format!("where: `{raw}`: {why}"))
}

/// The 400 for a name `param` does not know, listing those it does.
fn unknown<'a>(
    param: &str,
    what: &str,
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> ApiError {
    let known: Vec<&str> = known.into_iter().collect();
    ApiError::invalid(format!(
        "{param}: unknown {what} `{name}` (known: {})",
        known.join(", ")
    ))
}

/// The 501 for a name the spec knows and the fake cannot serve.
pub(crate) fn unserved(param: &str, what: &str, name: &str) -> ApiError {
    ApiError::status(
        StatusCode::NOT_IMPLEMENTED,
        format!("{param}: the {what} `{name}` is not implemented by acquire-mock"),
    )
}

impl Condition {
    /// Parses `column|op|value` against the spec's vocabulary.
    pub fn parse(raw: &str, vocabulary: &Vocabulary) -> Result<Self, ApiError> {
        let mut parts = raw.splitn(3, '|');
        let (Some(column), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid(raw, "a condition is `column|op|value`"));
        };
        let column = column.trim();
        let kind = vocabulary
            .column(column)
            .ok_or_else(|| invalid(raw, format!("unknown column `{column}`")))?;
        let op_name = vocabulary.operator(op.trim()).ok_or_else(|| {
            invalid(
                raw,
                format!(
                    "unknown operator `{}` (known: {})",
                    op.trim(),
                    vocabulary.operators().join(", ")
                ),
            )
        })?;
        let op =
            Operator::meaning(op_name).ok_or_else(|| unserved("where", "operator", op_name))?;
        let value = if value == "null" {
            if !matches!(op, Operator::Eq | Operator::Ne) {
                return Err(invalid(
                    raw,
                    format!("`null` cannot be used with `{op_name}`"),
                ));
            }
            Value::Null
        } else if kind == ColumnType::Int && op != Operator::Like {
            let n: i64 = value
                .trim()
                .parse()
                .map_err(|_| invalid(raw, format!("`{value}` is not an integer ({column})")))?;
            json!(n)
        } else {
            json!(value)
        };
        Ok(Condition {
            column: column.to_owned(),
            kind,
            op,
            value,
        })
    }

    /// Whether `row` satisfies the condition.
    pub fn holds(&self, row: &Row) -> bool {
        let cell = row.get(&self.column).unwrap_or(&Value::Null);
        let value = &self.value;
        let ordered =
            |test: fn(std::cmp::Ordering) -> bool| order(cell, value, self.kind).is_some_and(test);
        match self.op {
            Operator::Eq => equal(cell, value),
            Operator::Ne => !equal(cell, value),
            Operator::Like => {
                text_of(cell).is_some_and(|text| like(&text, &text_of(value).unwrap_or_default()))
            }
            Operator::Gt => ordered(std::cmp::Ordering::is_gt),
            Operator::Gte => ordered(std::cmp::Ordering::is_ge),
            Operator::Lt => ordered(std::cmp::Ordering::is_lt),
            Operator::Lte => ordered(std::cmp::Ordering::is_le),
        }
    }
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn equal(cell: &Value, value: &Value) -> bool {
    match (cell, value) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => text_of(a) == text_of(b),
    }
}

fn order(cell: &Value, value: &Value, kind: ColumnType) -> Option<std::cmp::Ordering> {
    match kind {
        ColumnType::Int => cell.as_f64()?.partial_cmp(&value.as_f64()?),
        ColumnType::Text | ColumnType::Date => Some(text_of(cell)?.cmp(&text_of(value)?)),
    }
}

/// SQL `LIKE`, case-insensitive: `%` any run, `_` one character.
fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    // Iterative matching with backtracking to the last `%`: linear memory,
    // no recursion whatever the input.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) {
            t += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

/// The `where` conditions of a request.
pub(crate) fn conditions(
    input: &Input,
    vocabulary: &Vocabulary,
) -> Result<Vec<Condition>, ApiError> {
    let raw: Vec<&str> = match input.params.get("where") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(one)) => vec![one.as_str()],
        _ => Vec::new(),
    };
    raw.into_iter()
        .map(|r| Condition::parse(r, vocabulary))
        .collect()
}

/// The `|`-separated names of a query parameter (`select`, `relations`).
fn names<'a>(input: &'a Input, param: &str) -> Option<Vec<&'a str>> {
    input.params.get(param).and_then(Value::as_str).map(|raw| {
        raw.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// The names of `param` (`None` without it), each one of `known`: another
/// is 400 naming `param`.
fn known_names<'a, 'k>(
    input: &'a Input,
    param: &str,
    what: &str,
    known: impl Iterator<Item = &'k str> + Clone,
) -> Result<Option<Vec<&'a str>>, ApiError> {
    let Some(names) = names(input, param) else {
        return Ok(None);
    };
    if let Some(bad) = names.iter().find(|n| !known.clone().any(|k| k == **n)) {
        return Err(unknown(param, what, bad, known));
    }
    Ok(Some(names))
}

/// The columns of `select` (`None` without it: every column).
pub(crate) fn selected<'a>(
    input: &'a Input,
    vocabulary: &Vocabulary,
) -> Result<Option<Vec<&'a str>>, ApiError> {
    known_names(input, "select", "column", vocabulary.columns())
}

/// The relations of `relations` (none without it).
pub(crate) fn relations<'a>(
    input: &'a Input,
    vocabulary: &Vocabulary,
) -> Result<Vec<&'a str>, ApiError> {
    let known = vocabulary.relations().iter().map(String::as_str);
    Ok(known_names(input, "relations", "relation", known)?.unwrap_or_default())
}

/// Keeps only the columns of `select` (and `id`); all without `select`.
pub(crate) fn select(row: &mut Row, select: Option<&[&str]>) {
    if let Some(keep) = select {
        row.retain(|k, _| k == "id" || keep.contains(&k.as_str()));
    }
}

/// The page size when `limit` is absent.
pub(crate) const DEFAULT_LIMIT: i64 = 20;
/// The largest page served; a larger `limit` is lowered to it.
pub(crate) const MAX_LIMIT: i64 = 1000;

/// A page request. Pages count from 0, as the spec's `page` says: page 0
/// (the default) is the first, `offset = page * limit`. `limit` runs from 1
/// to [`MAX_LIMIT`] (absent: [`DEFAULT_LIMIT`]). The spec's `minimum`s
/// refuse a negative `page` and a `limit` under 1 before a handler runs;
/// should one get here anyway, it reads as the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paging {
    pub page: i64,
    pub limit: i64,
    pub offset: i64,
}

impl Paging {
    /// The paging of a request's `page` and `limit`.
    pub fn of(input: &Input) -> Self {
        let page = input.int("page").filter(|p| *p >= 0).unwrap_or(0);
        let limit = match input.int("limit") {
            Some(n) if n >= 1 => n.min(MAX_LIMIT),
            _ => DEFAULT_LIMIT,
        };
        Paging {
            page,
            limit,
            offset: page.saturating_mul(limit),
        }
    }

    /// This page's items of `all`.
    pub fn slice<T>(&self, all: impl IntoIterator<Item = T>) -> Vec<T> {
        let skip = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let take = usize::try_from(self.limit).unwrap_or(0);
        all.into_iter().skip(skip).take(take).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: Value) -> Row {
        value.as_object().cloned().unwrap_or_default()
    }

    fn vocabulary() -> &'static Vocabulary {
        static VOCABULARY: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
        VOCABULARY.get_or_init(|| {
            let spec = acquire_spec::Spec::embedded();
            Vocabulary::from_spec(spec).expect("vocabulary")
        })
    }

    fn holds(raw: &str, value: Value) -> bool {
        Condition::parse(raw, vocabulary())
            .unwrap_or_else(|e| panic!("{raw}: {}", e.message))
            .holds(&row(value))
    }

    #[test]
    fn compares_as_documented() {
        let case = json!({"id": 1684, "status": "active", "title": "Printer jams",
                          "parentId": null, "dateCreated": "2021-03-24T10:44:35.000Z"});
        assert!(holds("status|eq|active", case.clone()));
        assert!(!holds("status|eq|pending", case.clone()));
        assert!(holds("status|ne|pending", case.clone()));
        assert!(holds("id|gt|1683", case.clone()));
        assert!(!holds("id|gt|1684", case.clone()));
        assert!(holds("id|gte|1684", case.clone()));
        assert!(holds("id|lt|1685", case.clone()));
        assert!(holds("id|lte|1684", case.clone()));
        assert!(!holds("id|lt|1684", case.clone()));
        assert!(holds("title|like|%JAM%", case.clone()));
        assert!(holds("title|like|Printer_jams", case.clone()));
        assert!(!holds("title|like|jam", case.clone()));
        assert!(holds("parentId|eq|null", case.clone()));
        assert!(!holds("parentId|ne|null", case.clone()));
        assert!(holds("dateCreated|gte|2021-03-24", case.clone()));
        assert!(holds("status|EQ|active", case));
    }

    #[test]
    fn every_operator_of_the_spec_has_a_meaning() {
        for name in vocabulary().operators() {
            assert!(Operator::meaning(name).is_some(), "{name}");
        }
    }

    #[test]
    fn rejects_bad_conditions_naming_where() {
        for raw in [
            "status",
            "status|eq",
            "nope|eq|1",
            "status|is|active",
            "id|in|1,1684",
            "id|nin|1,3",
            "id|eq|abc",
            "id|gt|null",
            "",
        ] {
            let error = Condition::parse(raw, vocabulary()).expect_err(raw);
            assert_eq!(error.kind, Some("ERROR_INVALID_INPUT"), "{raw}");
            assert!(
                error.message.starts_with("where:"),
                "{raw}: {}",
                error.message
            );
        }
    }

    #[test]
    fn like_backtracks_without_blowing_up() {
        assert!(like("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "%a%a%a%a%a%a%b"));
        assert!(!like(&"a".repeat(2000), &format!("{}b", "%a".repeat(50))));
        assert!(like("", "%"));
        assert!(!like("", "_"));
    }

    #[test]
    fn pages_count_from_zero() {
        let mut input = Input::default();
        assert_eq!(
            Paging::of(&input),
            Paging {
                page: 0,
                limit: DEFAULT_LIMIT,
                offset: 0
            }
        );
        input.params.insert("limit".into(), json!(2));
        input.params.insert("page".into(), json!(0));
        assert_eq!(
            Paging::of(&input).slice(0..5),
            vec![0, 1],
            "page 0 is the first"
        );
        input.params.insert("page".into(), json!(1));
        assert_eq!(
            Paging::of(&input).slice(0..5),
            vec![2, 3],
            "page 1 the second"
        );
        input.params.insert("page".into(), json!(2));
        let paging = Paging::of(&input);
        assert_eq!(paging.offset, 4);
        assert_eq!(paging.slice(0..5), vec![4]);
        input.params.insert("page".into(), json!(i64::MAX));
        input.params.insert("limit".into(), json!(i64::MAX));
        let paging = Paging::of(&input);
        assert_eq!(paging.limit, MAX_LIMIT);
        assert!(paging.slice(0..5).is_empty());
        input.params.insert("page".into(), json!(-4));
        input.params.insert("limit".into(), json!(0));
        assert_eq!(Paging::of(&input).page, 0);
        assert_eq!(Paging::of(&input).limit, DEFAULT_LIMIT);
    }
}
