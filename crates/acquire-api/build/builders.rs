//! A correction to typify's struct builders (`types::builder::*`).
//!
//! typify starts every member of a builder as "no value supplied", except
//! the optional ones. The map of members a schema does not declare
//! (`unknown`, from `additionalProperties: {}`) is never required, yet it
//! starts missing too, so `create_case().body_map(|b| b.title("x"))` would
//! fail for want of a value nobody has to give. Builders start it empty.

use syn::visit_mut::{self, VisitMut};

struct EmptyUnknown;

impl VisitMut for EmptyUnknown {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        let is_unknown = matches!(&field.member, syn::Member::Named(name) if name == "unknown");
        let starts_missing = quote::quote!(#field)
            .to_string()
            .contains("no value supplied");
        if is_unknown && starts_missing {
            field.expr = syn::parse_quote!(Ok(Default::default()));
        }
        visit_mut::visit_field_value_mut(self, field);
    }
}

/// Applies the correction to progenitor's output (after the renames).
pub fn apply(file: &mut syn::File) {
    EmptyUnknown.visit_file_mut(file);
}
