#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod cases;
mod client;
mod config;
mod error;
mod ids;
pub mod webhook;

pub use acquire_api::{
    types::{Case, CaseUser, Contact, Message, User},
    ApiKey, CaseStatus, CaseUserRole, CaseUserStatus, Channel, ClosingState, ErrorType,
    MessageType, ParticipantType, RetryPolicy, YesNo,
};
pub use cases::{Cases, CreateCase, JoinCase};
pub use client::Client;
pub use config::{ClientConfig, DEFAULT_USER_AGENT, ENV_ACCOUNT_ID, ENV_API_KEY, ENV_BASE_URL};
pub use error::{ApiError, BodySnippet, ConfigError, Error, SNIPPET_LIMIT};
pub use ids::{CaseId, ContactId, MessageId, NoteId, SessionId, SnoozeId, ThreadId, UserId};

/// Every generated type of the API, for fields this crate does not wrap.
pub use acquire_api::types;
