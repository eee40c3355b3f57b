//! Typed ids: a `CaseId` cannot be passed where a `ContactId` is expected.
//! They are the spec's id schemas, generated into `acquire_api` and the same
//! types in what the client sends and what it returns (`Case::id` is a
//! [`CaseId`]).

pub use acquire_api::ids::*;

/// An id as an integer in a member the spec declares as `FlexibleId`
/// (integer or string of digits): invite's `caseId`, reopen's `sessionId`.
pub(crate) fn integer_form(id: impl Into<i64>) -> acquire_api::types::FlexibleId {
    acquire_api::types::FlexibleId::Int64(id.into())
}

/// Ids as strings of digits (see [`digits_form`]), for the list `member`.
pub(crate) fn digit_strings(
    ids: &[impl Into<i64> + Copy],
    member: &str,
) -> Result<Vec<acquire_api::types::FlexibleId>, crate::Error> {
    ids.iter().map(|id| digits_form(*id, member)).collect()
}

/// An id as a string of digits, the form the reference's examples send for
/// `mentionUsers`; a negative id has no such form and is refused before
/// anything is sent.
pub(crate) fn digits_form(
    id: impl Into<i64>,
    member: &str,
) -> Result<acquire_api::types::FlexibleId, crate::Error> {
    let id = id.into();
    if id < 0 {
        return Err(crate::Error::InvalidRequest(format!(
            "{member}: {id} is not an id (ids are written as digits)"
        )));
    }
    Ok(acquire_api::types::FlexibleId::String(id.to_string()))
}
