//! Decoders keyed by component schema name: how the table-driven tests turn
//! an example into its generated Rust type without a copy per operation.
//! A test fails when an example's schema is missing here.

use acquire_api::types;
use serde_json::Value;

/// An example decoded into its generated type.
pub struct Decoded {
    /// `{:#?}` of the typed value (what the snapshots show).
    pub debug: String,
    /// The typed value encoded back to JSON.
    pub reencoded: Value,
    /// What the typed value holds that the spec does not declare.
    pub drift: Vec<acquire_api::drift::Finding>,
}

macro_rules! registry {
    ($($name:ident),* $(,)?) => {
        /// Every schema name with a decoder.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Decodes `value` as the generated type named `name`; `None` when no
        /// decoder is registered for that name.
        pub fn decode(name: &str, value: &Value) -> Option<Result<Decoded, serde_json::Error>> {
            match name {
                $(stringify!($name) => Some(decode_as::<types::$name>(value)),)*
                _ => None,
            }
        }

        /// The JSON Schema (draft-07, as `schemars` 0.8 derives it) of the
        /// generated type named `name`; `None` when it is not registered.
        pub fn schema(name: &str) -> Option<Value> {
            match name {
                $(stringify!($name) => Some(schema_of::<types::$name>()),)*
                _ => None,
            }
        }
    };
}

fn schema_of<T: schemars::JsonSchema>() -> Value {
    let root = schemars::schema_for!(T);
    match serde_json::to_value(root) {
        Ok(value) => value,
        // A derived schema is plain data: encoding it cannot fail.
        Err(e) => panic!("encoding the JSON Schema of {}: {e}", T::schema_name()),
    }
}

fn decode_as<T>(value: &Value) -> Result<Decoded, serde_json::Error>
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug + acquire_api::drift::Visit,
{
    let typed: T = serde_json::from_value(value.clone())?;
    Ok(Decoded {
        debug: format!("{typed:#?}"),
        reencoded: serde_json::to_value(&typed)?,
        drift: acquire_api::drift::findings(&typed),
    })
}

// Every component schema's generated type, from the build's list.
acquire_api::with_schema_types!(registry);
