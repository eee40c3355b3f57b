//! The query language of the list operations: `where` conditions,
//! `select`, `relations` and paging.
//!
//! A condition is `column|op|value`. The reference documents `eq` (its
//! example is `status|eq|active`); the comparisons a SQL-backed filter offers
//! are served too: `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `like` (`%` any run,
//! `_` one character, case-insensitive), `in` and `nin` (comma-separated
//! values). The value `null` compares with a null column (`eq`, `ne` only).
//! An unknown column or operator, a malformed condition or a number column
//! compared with a non-number is a 400 `ERROR_INVALID_INPUT` naming `where`.

use serde_json::{json, Map, Value};

use crate::{error::ApiError, routes::Input};

type Row = Map<String, Value>;

/// What a column holds, for comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// Integers (ids, counts); compared as numbers.
    Int,
    /// Text; compared as text.
    Text,
    /// RFC 3339 timestamps; compared as text (they sort as they read).
    Date,
}

/// The filterable columns of a case.
pub(crate) const CASE_COLUMNS: &[(&str, ColumnType)] = &[
    ("id", ColumnType::Int),
    ("contactId", ColumnType::Int),
    ("title", ColumnType::Text),
    ("description", ColumnType::Text),
    ("channel", ColumnType::Text),
    ("status", ColumnType::Text),
    ("closingState", ColumnType::Text),
    ("threadId", ColumnType::Int),
    ("parentId", ColumnType::Int),
    ("userId", ColumnType::Int),
    ("visitId", ColumnType::Int),
    ("queueId", ColumnType::Int),
    ("queueOrder", ColumnType::Int),
    ("closedBy", ColumnType::Int),
    ("waitTime", ColumnType::Int),
    ("dateCreated", ColumnType::Date),
    ("dateUpdated", ColumnType::Date),
    ("dateQueue", ColumnType::Date),
    ("datePending", ColumnType::Date),
    ("dateActive", ColumnType::Date),
    ("dateClosed", ColumnType::Date),
];

/// The operators of a condition.
pub(crate) const OPERATORS: &[&str] = &["eq", "ne", "gt", "gte", "lt", "lte", "like", "in", "nin"];

/// One parsed `where` condition.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    column: String,
    kind: ColumnType,
    op: &'static str,
    values: Vec<Value>,
}

fn invalid(raw: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::invalid(format!("where: `{raw}`: {why}"))
}

impl Condition {
    /// Parses `column|op|value` against `columns`.
    pub fn parse(raw: &str, columns: &[(&str, ColumnType)]) -> Result<Self, ApiError> {
        let mut parts = raw.splitn(3, '|');
        let (Some(column), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid(raw, "a condition is `column|op|value`"));
        };
        let column = column.trim();
        let kind = columns
            .iter()
            .find(|(name, _)| *name == column)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| invalid(raw, format!("unknown column `{column}`")))?;
        let op = OPERATORS
            .iter()
            .copied()
            .find(|known| known.eq_ignore_ascii_case(op.trim()))
            .ok_or_else(|| {
                invalid(
                    raw,
                    format!(
                        "unknown operator `{}` (known: {})",
                        op.trim(),
                        OPERATORS.join(", ")
                    ),
                )
            })?;
        let raw_values: Vec<&str> = if op == "in" || op == "nin" {
            value.split(',').map(str::trim).collect()
        } else {
            vec![value]
        };
        let mut values = Vec::with_capacity(raw_values.len());
        for v in raw_values {
            let parsed = if v == "null" {
                if !matches!(op, "eq" | "ne") {
                    return Err(invalid(raw, format!("`null` cannot be used with `{op}`")));
                }
                Value::Null
            } else if kind == ColumnType::Int && op != "like" {
                let n: i64 = v
                    .trim()
                    .parse()
                    .map_err(|_| invalid(raw, format!("`{v}` is not an integer ({column})")))?;
                json!(n)
            } else {
                json!(v)
            };
            values.push(parsed);
        }
        Ok(Condition {
            column: column.to_owned(),
            kind,
            op,
            values,
        })
    }

    /// Whether `row` satisfies the condition.
    pub fn holds(&self, row: &Row) -> bool {
        let cell = row.get(&self.column).unwrap_or(&Value::Null);
        let first = self.values.first().unwrap_or(&Value::Null);
        match self.op {
            "eq" => equal(cell, first),
            "ne" => !equal(cell, first),
            "in" => self.values.iter().any(|v| equal(cell, v)),
            "nin" => !self.values.iter().any(|v| equal(cell, v)),
            "like" => {
                text_of(cell).is_some_and(|text| like(&text, &text_of(first).unwrap_or_default()))
            }
            op => match order(cell, first, self.kind) {
                Some(ordering) => match op {
                    "gt" => ordering.is_gt(),
                    "gte" => ordering.is_ge(),
                    "lt" => ordering.is_lt(),
                    _ => ordering.is_le(),
                },
                None => false,
            },
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
    columns: &[(&str, ColumnType)],
) -> Result<Vec<Condition>, ApiError> {
    let raw: Vec<&str> = match input.params.get("where") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(one)) => vec![one.as_str()],
        _ => Vec::new(),
    };
    raw.into_iter()
        .map(|r| Condition::parse(r, columns))
        .collect()
}

/// The `|`-separated names of a query parameter (`select`, `relations`).
pub(crate) fn names<'a>(input: &'a Input, param: &str) -> Option<Vec<&'a str>> {
    input.params.get(param).and_then(Value::as_str).map(|raw| {
        raw.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
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

    fn holds(raw: &str, value: Value) -> bool {
        Condition::parse(raw, CASE_COLUMNS)
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
        assert!(holds("id|in|1,1684,3", case.clone()));
        assert!(holds("id|nin|1,3", case.clone()));
        assert!(holds("title|like|%JAM%", case.clone()));
        assert!(holds("title|like|Printer_jams", case.clone()));
        assert!(!holds("title|like|jam", case.clone()));
        assert!(holds("parentId|eq|null", case.clone()));
        assert!(!holds("parentId|ne|null", case.clone()));
        assert!(holds("dateCreated|gte|2021-03-24", case.clone()));
        assert!(holds("status|EQ|active", case));
    }

    #[test]
    fn rejects_bad_conditions_naming_where() {
        for raw in [
            "status",
            "status|eq",
            "nope|eq|1",
            "status|is|active",
            "id|eq|abc",
            "id|gt|null",
            "",
        ] {
            let error = Condition::parse(raw, CASE_COLUMNS).expect_err(raw);
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
