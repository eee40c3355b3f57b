//! Rust names a person would choose, put on progenitor's output: a member
//! named `type` is `kind` (not `type_`), and the map of the members a
//! schema does not declare is `unknown` (not `extra`), except where those
//! members are the point of the schema (`CloseCaseResult`'s closed cases
//! keyed by position). Wire names do not change: the generated
//! `#[serde(rename = "...")]` attributes keep them.
//!
//! The renaming walks the parsed syntax tree (no text substitution): an
//! identifier is renamed wherever it appears in the items of the type it
//! belongs to.

use syn::visit_mut::{self, VisitMut};

/// Identifiers renamed in every item.
const EVERYWHERE: &[(&str, &str)] = &[("type_", "kind"), ("extra", "unknown")];

/// Identifiers renamed in the items of one type instead (its struct, its
/// builder, their impls).
const PER_TYPE: &[(&str, &str, &str)] = &[("CloseCaseResult", "extra", "by_position")];

struct Rename<'a> {
    renames: Vec<(&'a str, &'a str)>,
}

impl Rename<'_> {
    fn text(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (from, to) in &self.renames {
            text = text.replace(&format!("for {from}"), &format!("for {to}"));
        }
        text
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        use proc_macro2::{Group, TokenTree};
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Group(group) => {
                    let mut renamed = Group::new(group.delimiter(), self.tokens(group.stream()));
                    renamed.set_span(group.span());
                    TokenTree::Group(renamed)
                }
                TokenTree::Ident(mut ident) => {
                    self.visit_ident_mut(&mut ident);
                    TokenTree::Ident(ident)
                }
                TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    let renamed = self.text(&text);
                    match renamed.parse::<proc_macro2::Literal>() {
                        Ok(new) if renamed != text => TokenTree::Literal(new),
                        _ => TokenTree::Literal(literal),
                    }
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for Rename<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some((_, to)) = self.renames.iter().find(|(from, _)| ident == from) {
            *ident = proc_macro2::Ident::new(to, ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        // The builders' messages name the member: "no value supplied for type_".
        let text = self.text(&lit.value());
        if text != lit.value() {
            *lit = syn::LitStr::new(&text, lit.span());
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // Macro arguments (`format!("... for extra: {e}")`) are plain tokens.
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }

    fn visit_item_mod_mut(&mut self, _: &mut syn::ItemMod) {
        // Modules are walked item by item by `rename_items`.
    }
}

/// The type an item belongs to: a struct or enum's name, an impl's self type.
fn owner(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn rename_items(items: &mut [syn::Item]) {
    for item in items {
        if let syn::Item::Mod(module) = item {
            if let Some((_, content)) = &mut module.content {
                rename_items(content);
            }
            continue;
        }
        let owner = owner(item);
        let mut renames: Vec<(&str, &str)> = PER_TYPE
            .iter()
            .filter(|(ty, _, _)| owner.as_deref() == Some(*ty))
            .map(|(_, from, to)| (*from, *to))
            .collect();
        for (from, to) in EVERYWHERE {
            if !renames.iter().any(|(f, _)| f == from) {
                renames.push((from, to));
            }
        }
        visit_mut::visit_item_mut(&mut Rename { renames }, item);
    }
}

/// Renames the members of the generated types (see the module's docs),
/// and names each operation's builder `<Operation>Builder`, so that it
/// never shares a name with the `acquire` crate's builder of the same
/// operation (`acquire::CreateCase` and `acquire_api::builder::CreateCaseBuilder`:
/// a user of `acquire` reaches the second through `Client::api`).
pub fn apply(file: &mut syn::File) {
    rename_items(&mut file.items);
    let builders: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter())
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let renamed: Vec<(String, String)> = builders
        .iter()
        .map(|name| (name.clone(), format!("{name}Builder")))
        .collect();
    visit_mut::visit_file_mut(&mut RenameAll(&renamed), file);
}

/// Renames identifiers across the whole file (the operation builders'
/// names are used nowhere else).
struct RenameAll<'a>(&'a [(String, String)]);

impl VisitMut for RenameAll<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some((_, to)) = self.0.iter().find(|(from, _)| ident == from) {
            *ident = proc_macro2::Ident::new(to, ident.span());
        }
    }
}
