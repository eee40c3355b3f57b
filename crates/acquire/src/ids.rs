//! Typed ids: a `CaseId` cannot be passed where a `ContactId` is expected.
//! They are the spec's id schemas, generated into `acquire_api` and the same
//! types in what the client sends and what it returns (`Case::id` is a
//! [`CaseId`]).

pub use acquire_api::{ids::*, Flexible};

/// Ids as strings of digits, the form the reference's examples send for
/// `mentionUsers` (the list `member`); a negative id has no such form and
/// is refused before anything is sent.
pub(crate) fn digit_strings<T: Copy + Into<i64>>(
    ids: &[T],
    member: &str,
) -> Result<Vec<Flexible<T>>, crate::Error> {
    ids.iter()
        .map(|id| {
            Flexible::digits(*id).ok_or_else(|| {
                crate::Error::InvalidRequest(format!(
                    "{member}: {} is not an id (ids are written as digits)",
                    (*id).into()
                ))
            })
        })
        .collect()
}
