#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod cases;
mod client;
mod config;
pub mod drift;
mod error;
mod extra;
mod ids;
mod messages;
mod notes;
mod page;
pub mod query;
mod snoozes;
#[cfg(feature = "testing")]
pub mod testing;
pub mod webhook;

pub use acquire_api::{
    types::{
        AgentInvite, Case, CaseMeta, CaseUser, ClosedCase, Contact, DeletedCount, EmailMessage,
        MailAddress, Message, Note, NoteMessage, NoteUser, Outcome, SmsMessage, SmsSent, Snooze,
        SnoozeUser, SnoozeUsers, TimelineEntry, User,
    },
    ApiKey, CaseStatus, CaseUserRole, CaseUserStatus, Channel, ClosingState, ErrorType,
    MessageType, NoteType, ParticipantType, RetryPolicy, SnoozeObjectType, YesNo,
    DEFAULT_MAX_RESPONSE_BYTES,
};
pub use cases::{
    CaseClosure, Cases, CloseCase, CreateCase, GetCase, InviteAgents, JoinCase, ListCases,
    RejectCase,
};
pub use client::Client;
pub use config::{ClientConfig, DEFAULT_USER_AGENT, ENV_ACCOUNT_ID, ENV_API_KEY, ENV_BASE_URL};
pub use error::{ApiError, BodySnippet, ConfigError, Error, SNIPPET_LIMIT};
pub use ids::*;
pub use messages::{ListMessages, Messages, SendChat, SendEmail, SendSms, SmsRoute, UpdateMessage};
pub use notes::{AddNoteMessage, CreateNote, ListNotes, Notes};
pub use page::Page;
pub use snoozes::{CreateSnooze, Snoozes};

/// Every generated type of the API, for fields this crate does not wrap.
pub use acquire_api::types;

/// The date and time crate of the generated types' timestamps and of
/// [`Snoozes::snooze_case`]'s schedule.
pub use chrono;
