//! [`Flexible`]: a typed id that the reference writes in two forms.

use std::{borrow::Cow, fmt};

use schemars::{
    gen::SchemaGenerator,
    schema::{InstanceType, Schema, SchemaObject, SubschemaValidation},
    JsonSchema,
};
use serde::{Deserialize, Serialize};

/// An id that Acquire's reference writes either as an integer (`12`) or as a
/// string (`"12"`, `"00"`) for the same member (the spec's `Flexible...Id`
/// schemas: mentioned agents, invite's `caseId`, a session, a note's
/// contact). It is kept exactly as written, and [`id`](Self::id) reads the
/// typed id `T` from either form.
///
/// A string is kept even when it is not the digits of an id (the spec's
/// validators check the pattern where it gives one), so a response never
/// fails for it; [`id`](Self::id) is then `None`.
///
/// ```
/// use acquire_api::{ids::UserId, Flexible};
///
/// let mention: Flexible<UserId> = serde_json::from_str("\"0012\"").unwrap();
/// assert_eq!(mention.id(), Some(UserId(12)));
/// assert_eq!(serde_json::to_string(&mention).unwrap(), "\"0012\"");
/// assert_eq!(serde_json::to_string(&Flexible::Integer(UserId(12))).unwrap(), "12");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Flexible<T> {
    /// Written as a JSON integer.
    Integer(T),
    /// Written as a JSON string, as it was written.
    String(String),
}

impl<T: Copy + From<i64>> Flexible<T> {
    /// The id, from either form: `None` for a string that is not the digits
    /// of an int64.
    pub fn id(&self) -> Option<T> {
        match self {
            Self::Integer(id) => Some(*id),
            Self::String(text) if text.bytes().all(|b| b.is_ascii_digit()) => {
                text.parse::<i64>().ok().map(T::from)
            }
            Self::String(_) => None,
        }
    }
}

impl<T: Copy + Into<i64>> Flexible<T> {
    /// `id`, written as a JSON string of its digits; `None` for a negative
    /// id, which has no such form.
    pub fn digits(id: T) -> Option<Self> {
        let value: i64 = id.into();
        (value >= 0).then(|| Self::String(value.to_string()))
    }
}

impl<T: Copy + Into<i64>> fmt::Display for Flexible<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Integer(id) => write!(f, "{}", (*id).into()),
            Self::String(text) => f.write_str(text),
        }
    }
}

impl<T: JsonSchema> JsonSchema for Flexible<T> {
    fn schema_name() -> String {
        format!("Flexible{}", T::schema_name())
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Owned(format!("acquire_api::Flexible<{}>", T::schema_id()))
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Any string: what the type keeps (the spec's pattern is the
        // validators' to check).
        let text = SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            ..Default::default()
        };
        SchemaObject {
            subschemas: Some(Box::new(SubschemaValidation {
                one_of: Some(vec![generator.subschema_for::<T>(), text.into()]),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

impl<T> crate::drift::Visit for Flexible<T> {
    fn visit(&self, _: &mut crate::drift::Pointer, _: &mut Vec<crate::drift::Finding>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_each_form_as_written() {
        for text in ["12", "\"12\"", "0", "\"00\"", "-3", "\"x\"", "\"\""] {
            let id: Flexible<i64> = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&id).unwrap(), text);
        }
    }

    #[test]
    fn reads_the_id_from_either_form() {
        let read = |text: &str| serde_json::from_str::<Flexible<i64>>(text).unwrap().id();
        assert_eq!(read("12"), Some(12));
        assert_eq!(read("\"007\""), Some(7));
        assert_eq!(read("\"9223372036854775807\""), Some(i64::MAX));
        for not_an_id in [
            "\"\"",
            "\"+7\"",
            "\"-7\"",
            "\" 7\"",
            "\"x\"",
            "\"9223372036854775808\"",
        ] {
            assert_eq!(read(not_an_id), None, "{not_an_id}");
        }
    }

    #[test]
    fn refuses_what_is_neither_form() {
        for text in ["1.5", "null", "true", "[]", "18446744073709551615"] {
            let read = serde_json::from_str::<Flexible<i64>>(text);
            assert!(read.is_err(), "{text} was read as {read:?}");
        }
    }

    #[test]
    fn the_digits_form_exists_for_ids_from_zero() {
        assert_eq!(
            Flexible::digits(0_i64),
            Some(Flexible::String("0".to_owned()))
        );
        assert_eq!(Flexible::digits(-1_i64), None);
    }
}
