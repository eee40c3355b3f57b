//! Typed ids: a `CaseId` cannot be passed where a `ContactId` is expected.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw id, as the API sends it.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }
    )*};
}

ids! {
    /// A case (one conversation with a contact).
    CaseId;
    /// A contact (a visitor or customer).
    ContactId;
    /// A thread: the first case of a conversation, which reopened cases point at.
    ThreadId;
    /// A contact's session.
    SessionId;
    /// A message of a case.
    MessageId;
    /// A note on a contact or case.
    NoteId;
    /// A snooze (follow-up) of a case or contact.
    SnoozeId;
    /// An agent (a user of the Acquire account).
    UserId;
    /// A department (a group of agents), for invitations.
    DepartmentId;
    /// An entry of a contact's timeline (an SMS can be attached to one).
    TimelineId;
    /// A message in a note's conversation.
    NoteMessageId;
}

/// An id as an integer in a member the spec declares as `FlexibleId`
/// (integer or string of digits): invite's `caseId`, reopen's `sessionId`.
pub(crate) fn integer_form(id: i64) -> acquire_api::types::FlexibleId {
    acquire_api::types::FlexibleId::Int64(id)
}

/// An id as a string of digits, the form the reference's examples send for
/// `mentionUsers`; a negative id has no such form and is refused before
/// anything is sent.
pub(crate) fn digits_form(
    id: i64,
    member: &str,
) -> Result<acquire_api::types::FlexibleId, crate::Error> {
    if id < 0 {
        return Err(crate::Error::InvalidRequest(format!(
            "{member}: {id} is not an id (ids are written as digits)"
        )));
    }
    Ok(acquire_api::types::FlexibleId::String(id.to_string()))
}
