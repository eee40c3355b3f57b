//! Corrections to the JSON Schemas the generated types derive (schemars),
//! where the derive describes a type other than the one serde reads.
//!
//! schemars 0.8 merges a `#[serde(flatten)]`ed map into its struct by
//! keeping the more permissive `additionalProperties` of the two, and a
//! struct's own is "absent" (anything). So a struct whose undeclared
//! members are typed (`CloseCaseResult`: each positional entry a
//! `ClosedCase`) derived a schema that accepts any member, while serde
//! refuses one that is not a `ClosedCase`. `#[schemars(deny_unknown_fields)]`
//! (schemars only: serde is unchanged) makes the struct's own side `false`,
//! and the merge then keeps the map's value schema: the derived schema says
//! `additionalProperties: ClosedCase`, as the spec does.

use syn::visit_mut::{self, VisitMut};

struct TypedMaps;

/// Whether `ty` is a map whose values are not free-form JSON.
fn is_typed_map(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident != "BTreeMap" && last.ident != "HashMap" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    let Some(syn::GenericArgument::Type(syn::Type::Path(value))) = args.args.iter().nth(1) else {
        return false;
    };
    value
        .path
        .segments
        .last()
        .is_some_and(|segment| segment.ident != "Value")
}

fn is_flattened(field: &syn::Field) -> bool {
    field.attrs.iter().any(|attr| {
        attr.path().is_ident("serde")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "flatten")
    })
}

impl VisitMut for TypedMaps {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        let derives_schema = item.attrs.iter().any(|attr| {
            attr.path().is_ident("derive")
                && quote::quote!(#attr).to_string().contains("JsonSchema")
        });
        if derives_schema
            && item
                .fields
                .iter()
                .any(|field| is_flattened(field) && is_typed_map(&field.ty))
        {
            item.attrs
                .push(syn::parse_quote!(#[schemars(deny_unknown_fields)]));
        }
        visit_mut::visit_item_struct_mut(self, item);
    }
}

/// Applies the corrections to progenitor's output.
pub fn apply(file: &mut syn::File) {
    TypedMaps.visit_file_mut(file);
}
