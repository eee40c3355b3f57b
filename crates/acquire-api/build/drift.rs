//! Emits `drift::Visit` for every type of the generated client, read from
//! the generated types themselves (after renaming), so what counts as
//! declared is what the spec declares:
//!
//! - a struct visits each member under its wire name (its
//!   `#[serde(rename)]`, else its Rust name); its flattened map of free-form
//!   values (`unknown`) is the members its schema does not declare, each
//!   one a finding; a flattened map of typed values (`CloseCaseResult`'s
//!   closed cases) is visited entry by entry under `*`;
//! - a newtype visits its value; an untagged enum the variant it holds;
//! - an open enum reports its `Unknown` value.
//!
//! Only the types that deserialize are visited (not the builders).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::OpenEnum;

/// The serde attribute arguments of `attrs`, as text (`rename = "userId"`, `flatten`).
fn serde_args(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if let Ok(value) = meta.value() {
                let lit: syn::Lit = value.parse()?;
                if let syn::Lit::Str(text) = lit {
                    out.push(format!("{name}={}", text.value()));
                }
            } else {
                out.push(name);
            }
            Ok(())
        });
    }
    out
}

fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive") && quote!(#attr).to_string().contains("Deserialize")
    })
}

/// Whether `ty` is a map of free-form JSON values.
fn is_free_form_map(ty: &syn::Type) -> bool {
    let text = quote!(#ty).to_string().replace(' ', "");
    text.ends_with("Map<::std::string::String,::serde_json::Value>")
}

fn struct_body(item: &syn::ItemStruct) -> Result<TokenStream, String> {
    let mut steps = Vec::new();
    match &item.fields {
        syn::Fields::Named(fields) => {
            for field in &fields.named {
                let Some(ident) = &field.ident else {
                    continue;
                };
                let args = serde_args(&field.attrs);
                if args.iter().any(|a| a == "flatten") {
                    if is_free_form_map(&field.ty) {
                        steps.push(quote! { crate::drift::undeclared(&self.#ident, &*at, out); });
                    } else {
                        steps.push(quote! { crate::drift::Visit::visit(&self.#ident, at, out); });
                    }
                    continue;
                }
                if args.iter().any(|a| a == "skip") {
                    continue;
                }
                let wire = args
                    .iter()
                    .find_map(|a| a.strip_prefix("rename="))
                    .map(str::to_owned)
                    .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
                steps.push(quote! {
                    let mark = at.push(#wire);
                    crate::drift::Visit::visit(&self.#ident, at, out);
                    at.truncate(mark);
                });
            }
        }
        syn::Fields::Unnamed(fields) => {
            if fields.unnamed.len() != 1 {
                return Err(format!(
                    "{}: a tuple struct of {} fields",
                    item.ident,
                    fields.unnamed.len()
                ));
            }
            steps.push(quote! { crate::drift::Visit::visit(&self.0, at, out); });
        }
        syn::Fields::Unit => {}
    }
    Ok(quote! { #(#steps)* })
}

fn enum_body(item: &syn::ItemEnum) -> Result<TokenStream, String> {
    let mut arms = Vec::new();
    for variant in &item.variants {
        let name = &variant.ident;
        match &variant.fields {
            syn::Fields::Unit => arms.push(quote! { Self::#name => {} }),
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => arms.push(quote! {
                Self::#name(value) => crate::drift::Visit::visit(value, at, out),
            }),
            _ => {
                return Err(format!(
                    "{}::{name}: a variant with named or several fields",
                    item.ident
                ))
            }
        }
    }
    Ok(quote! { match self { #(#arms)* } })
}

fn visit_impl(name: &syn::Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl crate::drift::Visit for crate::types::#name {
            #[allow(unused_variables)]
            fn visit(&self, at: &mut crate::drift::Pointer, out: &mut ::std::vec::Vec<crate::drift::Finding>) {
                #body
            }
        }
    }
}

/// `Visit` for every deserializable type of the generated `types` module
/// and for the open enums.
pub fn tokens(client: &syn::File, open_enums: &[OpenEnum]) -> Result<TokenStream, String> {
    let types = client
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .ok_or("the generated client has no `types` module")?;
    let mut impls = Vec::new();
    for item in &types.1 {
        match item {
            syn::Item::Struct(s) if derives_deserialize(&s.attrs) => {
                impls.push(visit_impl(&s.ident, struct_body(s)?));
            }
            syn::Item::Enum(e) if derives_deserialize(&e.attrs) => {
                impls.push(visit_impl(&e.ident, enum_body(e)?));
            }
            _ => {}
        }
    }
    for open in open_enums {
        let name = format_ident!("{}", open.name);
        let schema = &open.name;
        impls.push(quote! {
            impl crate::drift::Visit for crate::open_enums::#name {
                fn visit(&self, at: &mut crate::drift::Pointer, out: &mut ::std::vec::Vec<crate::drift::Finding>) {
                    if let Self::Unknown(value) = self {
                        crate::drift::unknown_value(#schema, value, at, out);
                    }
                }
            }
        });
    }
    Ok(quote! { #(#impls)* })
}
