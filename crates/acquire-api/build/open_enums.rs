//! Open enums: one Rust enum per component schema with `x-extensible-enum`,
//! its known values as variants plus `Unknown(String)`, so a value Acquire
//! adds later never fails a response.

use quote::{format_ident, quote};

use crate::OpenEnum;

/// The prefix up to and including an `_` that every value shares
/// (`ERROR_` in `ERROR_INVALID_INPUT`, `ERROR_SERVER_ERROR`), left out of
/// variant names; empty when there is none or only one value.
fn common_prefix(values: &[String]) -> String {
    let Some(first) = values.first() else {
        return String::new();
    };
    if values.len() < 2 {
        return String::new();
    }
    let mut end = 0;
    for (i, c) in first.char_indices() {
        if c == '_'
            && values
                .iter()
                .all(|v| v.len() > i + 1 && v[..=i] == first[..=i])
        {
            end = i + 1;
        }
    }
    first[..end].to_owned()
}

/// `pending` -> `Pending`, `closingState` -> `ClosingState`,
/// `ERROR_INVALID_INPUT` -> `ErrorInvalidInput`.
fn variant_name(value: &str) -> String {
    // Words end at a non-alphanumeric character and before an upper-case
    // letter that follows a lower-case one (`closingState`).
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in value.chars() {
        if !c.is_ascii_alphanumeric() {
            words.push(String::new());
            previous_lower = false;
            continue;
        }
        if (c.is_ascii_uppercase() && previous_lower) || words.is_empty() {
            words.push(String::new());
        }
        if let Some(word) = words.last_mut() {
            word.push(c);
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    words
        .iter()
        .filter(|word| !word.is_empty())
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

pub fn tokens(enums: &[OpenEnum]) -> proc_macro2::TokenStream {
    let items = enums.iter().map(|open| {
        let name = format_ident!("{}", open.name);
        let doc = format!(
            "{}\n\nAn open enum: a value this version does not know decodes as \
             [`{}::Unknown`] and encodes back unchanged.",
            open.description, open.name
        );
        let prefix = common_prefix(&open.values);
        let variants: Vec<_> = open
            .values
            .iter()
            .map(|v| format_ident!("{}", variant_name(&v[prefix.len()..])))
            .collect();
        let values = &open.values;
        let variant_docs = open.values.iter().map(|v| format!("`{v}`"));
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #variant_docs] #variants, )*
                /// A value this version of the client does not know, kept as sent.
                Unknown(String),
            }

            impl #name {
                /// The values this version knows, as Acquire sends them.
                pub const KNOWN: &'static [&'static str] = &[ #( #values ),* ];

                /// The value as Acquire sends it.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(other) => other.as_str(),
                    }
                }

                /// Whether this is a value this version does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown(_))
                }
            }

            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #( #values => Self::#variants, )*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }

            impl From<String> for #name {
                fn from(value: String) -> Self {
                    match Self::from(value.as_str()) {
                        Self::Unknown(_) => Self::Unknown(value),
                        known => known,
                    }
                }
            }

            impl std::str::FromStr for #name {
                type Err = std::convert::Infallible;
                fn from_str(value: &str) -> Result<Self, Self::Err> {
                    Ok(Self::from(value))
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    String::deserialize(deserializer).map(Self::from)
                }
            }

            impl schemars::JsonSchema for #name {
                fn schema_name() -> String {
                    stringify!(#name).to_owned()
                }

                fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
                    schemars::schema::SchemaObject {
                        instance_type: Some(schemars::schema::InstanceType::String.into()),
                        metadata: Some(Box::new(schemars::schema::Metadata {
                            description: Some(#doc.to_owned()),
                            examples: Self::KNOWN.iter().map(|v| serde_json::Value::from(*v)).collect(),
                            ..Default::default()
                        })),
                        ..Default::default()
                    }
                    .into()
                }
            }
        }
    });
    quote! { #( #items )* }
}
