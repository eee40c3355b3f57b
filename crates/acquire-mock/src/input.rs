//! A request's validated input (its parameters and JSON body) and how
//! handlers read ids and integers from it.

use serde_json::{Map, Value};

use crate::{error::ApiError, routes::is_integer};

/// A request's validated input.
#[derive(Debug, Default)]
pub(crate) struct Input {
    /// Path, query and header parameters by name, converted to their types.
    pub params: Map<String, Value>,
    /// The JSON body, if one was sent.
    pub body: Option<Value>,
}

impl Input {
    /// An integer parameter.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.params.get(name).and_then(Value::as_i64)
    }

    /// A field of the body.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.body.as_ref().and_then(|b| b.get(name))
    }

    /// An integer field of the body: `Ok(None)` when absent or `null`, an
    /// error when it is not a 64-bit integer (a huge id passes the schema's
    /// `integer`).
    pub fn int_field(&self, name: &str) -> Result<Option<i64>, ApiError> {
        int_member(self.field(name), name)
    }

    /// An id field of the body written as a spec `Flexible...Id` (an integer or a
    /// string of digits): `Ok(None)` when absent or `null`, an error naming
    /// the field when it is neither form. A string of digits too long for
    /// 64 bits is a well-formed id that names no record (400
    /// `ERROR_RECORD_NOT_FOUND`).
    pub fn id_field(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.field(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => flexible_id(value).map(Some).ok_or_else(|| match value {
                Value::String(digits) if is_integer(digits) => {
                    ApiError::not_found_record(format!("{name}: no record with id {digits}"))
                }
                _ => ApiError::invalid(format!(
                    "{name} must be an id: a 64-bit integer or a string of digits"
                )),
            }),
        }
    }
}

/// An id written as an integer (`12`) or as a string of digits (`"12"`),
/// if it fits 64 bits.
pub(crate) fn flexible_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// An integer member (`value`, named `label` in errors): `Ok(None)` when
/// absent or `null`, an error when it is not a 64-bit integer.
pub(crate) fn int_member(value: Option<&Value>, label: &str) -> Result<Option<i64>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::invalid(format!("{label} must be a 64-bit integer"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flexible_ids() {
        assert_eq!(flexible_id(&Value::from(12)), Some(12));
        assert_eq!(flexible_id(&Value::from("12")), Some(12));
        assert_eq!(flexible_id(&Value::from("007")), Some(7));
        for bad in [
            Value::from(""),
            Value::from("-1"),
            Value::from("1.5"),
            Value::from("99999999999999999999"),
            Value::from(1.5),
            Value::Null,
            Value::Bool(true),
        ] {
            assert_eq!(flexible_id(&bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_integer_members() {
        assert_eq!(int_member(None, "x").map_err(|e| e.message), Ok(None));
        assert_eq!(
            int_member(Some(&Value::Null), "x").map_err(|e| e.message),
            Ok(None)
        );
        assert_eq!(
            int_member(Some(&Value::from(7)), "x").map_err(|e| e.message),
            Ok(Some(7))
        );
        let error = int_member(Some(&Value::from("7")), "data.caseId").expect_err("a string");
        assert_eq!(error.message, "data.caseId must be a 64-bit integer");
    }
}
