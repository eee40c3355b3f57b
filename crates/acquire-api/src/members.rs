//! The members a generated type declares, read from its derived schema.

/// Whether the schema of `T` (derived from the generated type, so from the
/// spec) declares a member named `name`. Members it does not declare are
/// those a type keeps in its `unknown` map.
///
/// ```
/// use acquire_api::{declares_member, types::RejectCaseRequest};
/// assert!(declares_member::<RejectCaseRequest>("caseId"));
/// assert!(!declares_member::<RejectCaseRequest>("reason"));
/// ```
pub fn declares_member<T: schemars::JsonSchema>(name: &str) -> bool {
    let root = schemars::schema_for!(T);
    root.schema
        .object
        .as_ref()
        .is_some_and(|object| object.properties.contains_key(name))
}

#[cfg(test)]
mod tests {
    use crate::types::{builder, CreateCaseRequest};

    /// A struct builder starts with no undeclared members, as with every
    /// optional one: `body_map` needs none of them.
    #[test]
    fn a_builder_needs_no_undeclared_members() {
        let built = CreateCaseRequest::try_from(
            builder::CreateCaseRequest::default().title(Some("x".to_owned())),
        );
        match built {
            Ok(request) => {
                assert_eq!(request.title.as_deref(), Some("x"));
                assert!(request.unknown.is_empty());
            }
            Err(e) => panic!("{e}"),
        }
    }
}
