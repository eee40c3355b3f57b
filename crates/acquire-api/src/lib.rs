#![doc = include_str!("../README.md")]
#![doc = "
## Tracing

Every HTTP attempt runs inside one INFO span named
[`acquire_api.request`](REQUEST_SPAN) (target `acquire_api`), with the
fields `operation_id`, `http.method`, `url` (never user info; the API key
is never recorded), `attempt` (1, 2, ... when retried), `status`,
`duration_ms`, and `error` when no response arrived. The crate installs no
subscriber: enable one (e.g. `tracing-subscriber` with
`RUST_LOG=acquire_api=debug`) to see them.
"]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod context;
pub mod drift;
mod flexible;
mod limit;
mod members;
pub mod operations;
mod retry;

pub use context::{
    capture, observe, ApiKey, Capture, ClientContext, Exchange, InvalidApiKey, REQUEST_SPAN,
};
pub use flexible::Flexible;
pub use limit::{ResponseTooLarge, DEFAULT_MAX_RESPONSE_BYTES};
pub use members::declares_member;
pub use retry::{RetryPolicy, RETRYABLE_STATUSES};

/// The open enums generated from the spec's `x-extensible-enum` schemas.
pub mod open_enums {
    include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
}

/// Progenitor's output. Lint exceptions are scoped to this module only.
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    irrefutable_let_patterns,
    mismatched_lifetime_syntaxes
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

/// The generated client: every operation of the spec as a builder
/// (progenitor's `Client`). Named apart from `acquire::Client`, the
/// ergonomic client built on it, which hands it out through `api()`.
pub use generated::Client as GeneratedClient;
/// The error of a generated call (progenitor's `Error`), with `E` the
/// decoded error body. Named apart from `acquire::Error`, into which the
/// ergonomic client maps it.
pub use generated::Error as GeneratedError;
pub use generated::{builder, types, ByteStream, ClientInfo, ResponseValue};
pub use open_enums::*;
pub use operations::{Example, Operation};

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

// `drift::Visit` for every generated type.
include!(concat!(env!("OUT_DIR"), "/drift.rs"));

/// The generated sources, exactly as compiled, for review snapshots.
pub mod generated_source {
    /// `client.rs`: progenitor's client, builders and types.
    pub const CLIENT: &str = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    /// `open_enums.rs`: the open enums derived from `x-extensible-enum`.
    pub const OPEN_ENUMS: &str = include_str!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
    /// `operation_types.rs`: a marker type per operation (`operations`).
    pub const OPERATION_TYPES: &str = include_str!(concat!(env!("OUT_DIR"), "/operation_types.rs"));
}
