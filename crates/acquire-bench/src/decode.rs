//! The documented examples as wire bytes, each with a decoder into its
//! generated type (item 2 of BENCHMARKS.md).

use acquire_api::types;
use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;

/// Decodes `bytes` as the generated type and drops it; `Err` when the bytes
/// do not fit the type.
pub type Decoder = fn(&[u8]) -> serde_json::Result<()>;

fn decode_as<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<()> {
    let value: T = serde_json::from_slice(bytes)?;
    drop(std::hint::black_box(value));
    Ok(())
}

macro_rules! registry {
    ($($name:ident),* $(,)?) => {
        /// The decoder of the generated type named `schema`, if registered.
        pub fn decoder(schema: &str) -> Option<Decoder> {
            match schema {
                $(stringify!($name) => Some(decode_as::<types::$name>),)*
                _ => None,
            }
        }
    };
}

// Every component schema's generated type, from the build's one list.
acquire_api::with_schema_types!(registry);

/// One documented example ready to decode.
pub struct Sample {
    /// `create_case.response.200.create`.
    pub id: String,
    /// The component schema it is declared with.
    pub schema: String,
    /// The example as compact JSON, as it would come off the wire.
    pub bytes: Vec<u8>,
    /// Its decoder into the generated type.
    pub decode: Decoder,
}

/// Every documented example whose schema is a component. Fails when an
/// example's schema has no decoder here, or when an example does not decode
/// into its generated type (a benchmark of a failing decode measures nothing).
pub fn samples() -> Result<Vec<Sample>> {
    let spec = acquire_spec::Spec::embedded();
    let mut out = Vec::new();
    for example in spec.examples().context("listing the examples")? {
        let Some(schema) = example.schema_name() else {
            continue;
        };
        let id = example.id();
        let Some(decode) = decoder(schema) else {
            bail!("example {id}: no decoder registered for schema {schema} (every component schema has one: is it an open enum?)");
        };
        let value = example
            .load()
            .with_context(|| format!("loading example {id}"))?;
        let bytes = serde_json::to_vec(&value)?;
        decode(&bytes).with_context(|| format!("example {id} does not decode as {schema}"))?;
        out.push(Sample {
            id,
            schema: schema.to_owned(),
            bytes,
            decode,
        });
    }
    if out.is_empty() {
        bail!("the spec has no examples with a component schema");
    }
    Ok(out)
}
