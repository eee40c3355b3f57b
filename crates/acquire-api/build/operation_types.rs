//! Emits `operations`' marker types: one per operation of the spec, named
//! after its `operationId` in upper camel case with `Operation` after it
//! (`get_case` → `GetCaseOperation`, apart from the `acquire` builder
//! `GetCase`),
//! implementing `operations::TypedOperation` with the operation's id and
//! its success response type (the `2xx` JSON schema), and the type of
//! that response's `data` member as the generated client declares it (read
//! from the generated struct, after renaming). A test stubs an operation
//! through its marker, so a new operation gets a stub by being in the spec.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::tables::{media, resolve, schema_name, spec_operations, SpecOperation};

/// `get_case` → `GetCase`; `closeCase` → `CloseCase`.
fn marker_name(operation_id: &str) -> String {
    operation_id
        .split(['_', '-'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The generated struct `name` in `mod types`.
fn generated_struct<'a>(client: &'a syn::File, name: &str) -> Option<&'a syn::ItemStruct> {
    client.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module
            .content
            .as_ref()?
            .1
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == name => Some(s),
                _ => None,
            }),
        _ => None,
    })
}

/// The wire name and type of the `data` member of the generated `envelope`.
fn data_member(client: &syn::File, envelope: &str) -> Option<(String, syn::Type)> {
    let item = generated_struct(client, envelope)?;
    let syn::Fields::Named(fields) = &item.fields else {
        return None;
    };
    fields.named.iter().find_map(|field| {
        let ident = field.ident.as_ref()?.to_string();
        let renamed = field.attrs.iter().find_map(|attr| {
            let mut wire = None;
            if attr.path().is_ident("serde") {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        let lit: syn::LitStr = meta.value()?.parse()?;
                        wire = Some(lit.value());
                    } else if let Ok(value) = meta.value() {
                        let _: syn::Lit = value.parse()?;
                    }
                    Ok(())
                });
            }
            wire
        });
        let wire = renamed.unwrap_or(ident);
        (wire == "data").then(|| (wire, field.ty.clone()))
    })
}

/// The marker types, `TypedOperation` impls and `with_operation_types!`.
pub fn tokens(document: &Value, client: &syn::File) -> Result<TokenStream, String> {
    let mut markers = Vec::new();
    let mut names = Vec::new();
    let mut data_types = Vec::new();
    for SpecOperation {
        path,
        method,
        operation,
        id,
    } in spec_operations(document)?
    {
        let envelope = operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .flat_map(|(_, response)| media(document, resolve(document, response)))
            .find_map(|media| media.get("schema").and_then(schema_name))
            .ok_or_else(|| format!("{id}: no 2xx JSON response with a component schema"))?;
        let name = format_ident!("{}Operation", marker_name(id));
        let response = format_ident!("{envelope}");
        let method = method.to_ascii_uppercase();
        let summary = operation
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned();
        let doc = format!("`{id}` ({method} `{path}`): {summary}");
        let (data_member, data) = match data_member(client, &envelope) {
            Some((wire, ty)) => {
                data_types.push(quote! { pub type #name = #ty; });
                (quote! { Some(#wire) }, quote! { data::#name })
            }
            None => (quote! { None }, quote! { crate::types::#response }),
        };
        markers.push(quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct #name;

            impl TypedOperation for #name {
                const ID: &'static str = #id;
                const DATA_MEMBER: Option<&'static str> = #data_member;
                type Response = crate::types::#response;
                type Data = #data;
            }
        });
        names.push(name);
    }
    let doc_all = "Calls `$callback!(Name, ...)` with the marker type (in \
                   `acquire_api::operations`) of every operation of the spec.";
    Ok(quote! {
        /// The type of each operation's `data`, as the generated envelope
        /// declares it.
        mod data {
            #[allow(unused_imports)]
            use crate::types::*;
            #(#data_types)*
        }

        #(#markers)*

        /// The `operationId` of every marker type, ordered by path.
        pub const MARKER_IDS: &[&str] = &[#(<#names as TypedOperation>::ID,)*];

        #[doc = #doc_all]
        #[macro_export]
        macro_rules! with_operation_types {
            ($callback:ident) => { $callback!(#(#names),*); };
        }
    })
}
