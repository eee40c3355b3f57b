//! Records to seed a [`Fake`](super::Fake) with: the API's own types, and
//! functions that build the smallest valid one from ids. Every other
//! member is public: set what your test is about, e.g.
//! `case.status = Some(CaseStatus::Active)`. Members left out take the
//! values a record created through the API starts with (a case is
//! `pending`, in its own thread, created now; a message is the contact's).

use acquire_mock::Records;

use super::FakeError;
use crate::{
    types::{self, MentionId, NoteMessageId, ObjectId, ParticipantId, ParticipationId},
    Case, CaseId, CaseUser, CaseUserStatus, Contact, ContactId, Message, MessageId, Note, NoteId,
    NoteMessage, NoteUser, ParticipantType, Snooze, SnoozeId, SnoozeObjectType, User, UserId,
};

/// One record to insert into a fake.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Record {
    /// An agent, shown as the `user` of participations, mentions, snoozes.
    Agent(User),
    /// A contact.
    Contact(Contact),
    /// A case with its participants (`users`); its `contactId` must be a
    /// contact of the fake.
    Case(Box<Case>),
    /// A message of a case (`caseId`).
    Message(Message),
    /// A note of a contact (`contactId`) with its mentions (`users`).
    Note(Note),
    /// A message of a note (`noteId`).
    NoteMessage(NoteMessage),
    /// A snooze.
    Snooze(Snooze),
}

macro_rules! record_from {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Record {
            fn from(record: $ty) -> Self {
                Record::$variant(record)
            }
        }
    )*};
}

impl From<Case> for Record {
    fn from(case: Case) -> Self {
        Record::Case(Box::new(case))
    }
}

record_from!(
    Agent(User),
    Contact(Contact),
    Message(Message),
    Note(Note),
    NoteMessage(NoteMessage),
    Snooze(Snooze),
);

impl Record {
    /// What it is, in errors.
    fn what(&self) -> &'static str {
        match self {
            Record::Agent(_) => "agent",
            Record::Contact(_) => "contact",
            Record::Case(_) => "case",
            Record::Message(_) => "message",
            Record::Note(_) => "note",
            Record::NoteMessage(_) => "note message",
            Record::Snooze(_) => "snooze",
        }
    }

    /// Writes the record as the API would and inserts it.
    pub(super) fn insert_into(&self, records: &Records<'_>) -> Result<(), FakeError> {
        let what = self.what();
        let encode = |value: Result<serde_json::Value, serde_json::Error>| {
            value.map_err(|source| FakeError::Encode { what, source })
        };
        match self {
            Record::Agent(r) => records.insert_agent(&encode(serde_json::to_value(r))?),
            Record::Contact(r) => records.insert_contact(&encode(serde_json::to_value(r))?),
            Record::Case(r) => records.insert_case(&encode(serde_json::to_value(r))?),
            Record::Message(r) => records.insert_message(&encode(serde_json::to_value(r))?),
            Record::Note(r) => records.insert_note(&encode(serde_json::to_value(r))?),
            Record::NoteMessage(r) => {
                records.insert_note_message(&encode(serde_json::to_value(r))?)
            }
            Record::Snooze(r) => records.insert_snooze(&encode(serde_json::to_value(r))?),
        }
        .map_err(FakeError::from)
    }
}

/// Builds a generated type from its builder; only ids (always given here)
/// are required, so it cannot fail.
fn built<T, B: TryInto<T>>(builder: B) -> T
where
    B::Error: std::fmt::Debug,
{
    builder
        .try_into()
        .unwrap_or_else(|e| unreachable!("every required member is set: {e:?}"))
}

/// An agent with a name.
pub fn agent(id: UserId, name: &str) -> User {
    built(
        types::User::builder()
            .id(ParticipantId(id.0))
            .name(Some(name.to_owned()))
            .kind(Some(ParticipantType::User)),
    )
}

/// A contact.
pub fn contact(id: ContactId) -> Contact {
    built(types::Contact::builder().id(id))
}

/// A case of `contact`. Without participants the contact participates
/// (`active`); add some with [`agent_in_case`] and [`contact_in_case`].
pub fn case(id: CaseId, contact: ContactId) -> Case {
    built(types::Case::builder().id(id).contact_id(Some(contact)))
}

/// Agent `agent` in a case, with `status` (`joined`, `invited`...).
pub fn agent_in_case(id: ParticipationId, agent: UserId, status: CaseUserStatus) -> CaseUser {
    built(
        types::CaseUser::builder()
            .id(id)
            .kind(Some(ParticipantType::User))
            .user_id(Some(ParticipantId(agent.0)))
            .status(Some(status)),
    )
}

/// The contact `contact` in a case, `active`.
pub fn contact_in_case(id: ParticipationId, contact: ContactId) -> CaseUser {
    built(
        types::CaseUser::builder()
            .id(id)
            .kind(Some(ParticipantType::Contact))
            .user_id(Some(ParticipantId(contact.0)))
            .status(Some(CaseUserStatus::Active)),
    )
}

/// A chat message of a case, from its contact.
pub fn message(id: MessageId, case: CaseId, text: &str) -> Message {
    built(
        types::Message::builder()
            .id(id)
            .case_id(Some(case))
            .message(Some(text.to_owned())),
    )
}

/// A note about `contact`, by the API's agent.
pub fn note(id: NoteId, contact: ContactId, title: &str) -> Note {
    built(
        types::Note::builder()
            .id(id)
            .contact_id(Some(crate::Flexible::Integer(contact)))
            .title(Some(title.to_owned())),
    )
}

/// A mention of `agent` by a note.
pub fn mention(id: MentionId, agent: UserId) -> NoteUser {
    built(types::NoteUser::builder().id(Some(id)).user_id(Some(agent)))
}

/// A message of a note, by the API's agent.
pub fn note_message(id: NoteMessageId, note: NoteId, text: &str) -> NoteMessage {
    built(
        types::NoteMessage::builder()
            .id(id)
            .note_id(Some(note))
            .message(Some(text.to_owned())),
    )
}

/// A snooze of a case until `schedule` (`YYYY-MM-DD HH:MM:SS`, UTC).
pub fn snooze_case(id: SnoozeId, case: CaseId, schedule: &str) -> Snooze {
    built(
        types::Snooze::builder()
            .id(id)
            .object_type(Some(SnoozeObjectType::Case))
            .object_id(Some(ObjectId(case.0)))
            .schedule_date(Some(schedule.to_owned())),
    )
}
