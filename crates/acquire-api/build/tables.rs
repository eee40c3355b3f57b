//! Facts of the spec as Rust constants, so that tests, fuzz targets and
//! benchmarks read them instead of restating them: every operation (id,
//! method, path, examples), and the lists of the schemas that are request
//! and response bodies.

use std::collections::BTreeSet;

use quote::{format_ident, quote};
use serde_json::Value;

/// The HTTP methods an OpenAPI path item may hold, in document order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The component schema a `$ref` names, if it names one.
pub fn schema_name(value: &Value) -> Option<String> {
    value
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
        .map(str::to_owned)
}

/// Follows a `$ref` to `#/components/...` once.
pub fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(value)
}

/// The JSON media objects of a request body or response.
pub fn media(document: &Value, holder: &Value) -> Vec<Value> {
    resolve(document, holder)
        .get("content")
        .and_then(Value::as_object)
        .map(|content| content.values().cloned().collect())
        .unwrap_or_default()
}

/// The examples of a media object: (name, file under `openapi/`).
fn examples(document: &Value, media: &Value) -> Vec<(String, String)> {
    media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, example)| {
            let file = resolve(document, example)
                .get("externalValue")
                .and_then(Value::as_str)?;
            Some((name.clone(), file.to_owned()))
        })
        .collect()
}

/// One operation of the spec: where it is and its object.
pub struct SpecOperation<'a> {
    /// Its path template.
    pub path: &'a str,
    /// Its method, lower case.
    pub method: &'static str,
    /// The operation object.
    pub operation: &'a Value,
    /// Its `operationId`.
    pub id: &'a str,
}

/// Every operation of the spec, by path then method; an operation without
/// an `operationId` is an error.
pub fn spec_operations(document: &Value) -> Result<Vec<SpecOperation<'_>>, String> {
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no paths")?;
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{method} {path} has no operationId"))?;
            out.push(SpecOperation {
                path,
                method,
                operation,
                id,
            });
        }
    }
    Ok(out)
}

/// `OPERATIONS`, the `ids` module and the schema lists, as tokens;
/// `replaced` are the schemas generated as another type (not in `types`:
/// the open enums, the nullable ids), `ids` the id schemas.
pub fn tokens(
    document: &Value,
    replaced: &[String],
    ids: &[String],
) -> Result<proc_macro2::TokenStream, String> {
    let mut operations = Vec::new();
    let mut requests = BTreeSet::new();
    let mut responses = BTreeSet::new();
    for SpecOperation {
        path,
        method,
        operation,
        id,
    } in spec_operations(document)?
    {
        let mut request_examples = Vec::new();
        if let Some(body) = operation.get("requestBody") {
            for media in media(document, body) {
                if let Some(name) = media.get("schema").and_then(schema_name) {
                    requests.insert(name);
                }
                request_examples.extend(examples(document, &media));
            }
        }
        let mut response_examples = Vec::new();
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for media in media(document, response) {
                if let Some(name) = media.get("schema").and_then(schema_name) {
                    responses.insert(name);
                }
                for (name, file) in examples(document, &media) {
                    response_examples.push((status.clone(), name, file));
                }
            }
        }
        let method = method.to_ascii_uppercase();
        let request_examples = request_examples.iter().map(|(name, file)| {
            quote! { crate::Example { name: #name, status: None, file: #file } }
        });
        let response_examples = response_examples.iter().map(|(status, name, file)| {
            quote! { crate::Example { name: #name, status: Some(#status), file: #file } }
        });
        operations.push(quote! {
            crate::Operation {
                id: #id,
                method: #method,
                path: #path,
                examples: &[#(#request_examples,)* #(#response_examples,)*],
            }
        });
    }
    let schemas: Vec<_> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| name)
        .filter(|name| !replaced.contains(name))
        .map(|n| format_ident!("{n}"))
        .collect();
    let requests: Vec<_> = requests.iter().map(|n| format_ident!("{n}")).collect();
    let responses: Vec<_> = responses.iter().map(|n| format_ident!("{n}")).collect();
    let doc_requests = "Calls `$callback!(Name, ...)` with the generated type of every \
                        request body schema of the spec.";
    let doc_schemas = "Calls `$callback!(Name, ...)` with the generated type (in `types`) \
                       of every component schema of the spec that has one of its own.";
    let doc_responses = "Calls `$callback!(Name, ...)` with the generated type of every \
                         response body schema of the spec (successes and errors).";
    let ids: Vec<_> = ids.iter().map(|n| format_ident!("{n}")).collect();
    Ok(quote! {
        /// Every operation of the spec, in document order.
        pub const OPERATIONS: &[crate::Operation] = &[#(#operations,)*];

        /// The typed ids: one per id schema of the spec (an integer schema
        /// named `...Id`), each a `Copy` newtype of `i64` that orders and
        /// hashes, so that a `CaseId` cannot be passed where a `ContactId`
        /// is expected.
        pub mod ids {
            pub use crate::types::{#(#ids),*};
        }

        #[doc = #doc_schemas]
        #[macro_export]
        macro_rules! with_schema_types {
            ($callback:ident) => { $callback!(#(#schemas),*); };
        }

        #[doc = #doc_requests]
        #[macro_export]
        macro_rules! with_request_types {
            ($callback:ident) => { $callback!(#(#requests),*); };
        }

        #[doc = #doc_responses]
        #[macro_export]
        macro_rules! with_response_types {
            ($callback:ident) => { $callback!(#(#responses),*); };
        }
    })
}
