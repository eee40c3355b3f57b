#![doc = include_str!("../README.md")]
//!
//! # Using it
//!
//! ```no_run
//! # async fn demo() -> Result<(), acquire_mock::MockError> {
//! use acquire_mock::{Fault, MockConfig, MockServer};
//!
//! let server = MockServer::start(MockConfig::default().with_api_key("secret")).await?;
//! // e.g. "http://127.0.0.1:43117/api/v1": point a client at it.
//! println!("{}", server.base_url());
//! // The next create fails once with 503 and `Retry-After: 1`.
//! server
//!     .faults()
//!     .inject("create_case", Fault::Status { status: 503, retry_after: Some(1) }, 1);
//! // ... run the client ...
//! assert_eq!(server.request_count("create_case"), 0);
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Behaviour
//!
//! - Every request under `/api/v1` is matched to an operation of the spec by
//!   method and path template. Its path, query and header parameters and its
//!   JSON body are validated against the spec (with its `x-required-one-of`
//!   rule); a failure is a 400 `ERROR_INVALID_INPUT` whose message names the
//!   field. The key is checked first (401 `ERROR_UNAUTHORIZED`, constant-time
//!   comparison): `Authorization: Bearer <key>` on every operation, or
//!   `Bearer <key>` in the query parameter of an `apiKey` scheme `in: query`
//!   on the operations whose `security` lists one (send SMS's
//!   `Authorization`), as read from the spec.
//! - `x-user-type` is a query parameter (required to send chat and SMS):
//!   `contact` writes as the case's contact, anything else as the agent.
//! - The API key acts as one agent, [`API_USER_ID`] (25, the user the
//!   documented join example shows joining) unless
//!   [`MockConfig::with_agent_id`] says otherwise: join makes that agent
//!   `joined` and the case `active`, reject marks that agent `rejected`.
//! - Seed data (on by default) holds the cases of the documented examples
//!   (1681, 1684, 1694, 2071 and the closed thread 1683 they reopen). The
//!   account directory (contact 597752, agents 1 and 25) is there even
//!   without seed data, since the API has no route to create them.
//! - The authored examples' note 310 (with its mention and messages),
//!   snooze 77, agent 12 and contact 597760 are seeded too, so every read
//!   works at once. [`MockConfig::with_generated_cases`] adds deterministic
//!   cases for benchmarks.
//! - A case's columns are the spec's, read when it is loaded: those
//!   `CaseColumn` lists, each typed by its property of `Case`. A new case
//!   holds what the fake knows of it and, in every other column, its
//!   schema's initial value (`null` when nullable); the other members of
//!   `Case` (relations, extras of some responses) are never stored. A spec
//!   that lacks a column the fake writes is refused at start.
//! - Lists: `where` is `column|op|value` (repeatable, all must hold),
//!   `select` keeps columns, `relations` embeds related objects. Their
//!   names are the spec's, read when it is loaded: the `x-extensible-enum`
//!   of `CaseColumn`, `FilterOperator` and `CaseRelation`; any other name
//!   is 400 `ERROR_INVALID_INPUT` naming `where`, `select` or `relations`.
//!   A column compares by its type in the `Case` schema (integers as
//!   numbers, text and dates as text). `page` (from 0: page 0, the default,
//!   is the first; `offset = page * limit`) and `limit` (default 20, at
//!   most 1000) page them, `count` is the number of matches.
//! - What the reference leaves open is decided as the README says (close's
//!   `archive`, absent texts, snooze ids and times, id forms).
//! - The server protects itself: a connection that has not sent a request's
//!   line and headers within [`MockConfig::with_header_read_timeout`] (10 s)
//!   is closed, and so is a kept-alive connection with no new request within
//!   [`MockConfig::with_idle_timeout`] (5 s); a request line and headers over
//!   [`MockConfig::with_max_header_size`] (16 KiB) get 431, a request target
//!   over [`MockConfig::with_max_url_length`] (8 KiB) gets 414, and at
//!   [`MockConfig::with_max_connections`] (16,384) open connections new ones
//!   wait until one closes (logged once, with `tracing`).
//! - Drift mode ([`MockConfig::with_drift`], `--drift`) makes every
//!   successful JSON response look like one from a newer Acquire, by the
//!   operation's response schema in the spec served: each declared object
//!   gets the undeclared member [`DRIFT_MEMBER`] (= [`DRIFT_PROBE_VALUE`],
//!   for tests to prove no value leaks), each string of an
//!   `x-extensible-enum` schema becomes [`DRIFT_ENUM_VALUE`]. It is applied
//!   to the response only, after the handler; the drifted body still
//!   validates against the spec as declared.
//! - Tests seed and inspect the state through [`RunningServer::records`]
//!   (records written as the API writes them, read back as it renders
//!   them), and answer some requests of an operation their own way through
//!   [`RunningServer::stubs`]: a JSON body, an API error or a [`Fault`],
//!   for the requests a [`Matcher`] accepts, checked after authentication
//!   and validation and before the handler; each [`StubHandle`] counts its
//!   calls. `acquire::testing` (the `acquire` feature `testing`) types both;
//!   see "Testing your code" above.
//! - Every operation of the spec has a handler; one the spec declares
//!   without a handler would answer 501 (see [`unserved_operations`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod check;
mod columns;
mod config;
mod connection;
mod drift;
mod error;
mod faults;
mod handlers;
mod inject;
mod input;
mod query;
mod records;
mod routes;
mod seed;
mod server;
mod store;
mod stubs;
mod vocabulary;

pub use check::RequestChecker;
pub use config::{
    MockConfig, API_USER_ID, DEFAULT_BODY_LIMIT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_URL_LENGTH,
};
pub use drift::{DRIFT_ENUM_VALUE, DRIFT_MEMBER, DRIFT_PROBE_VALUE};
pub use error::MockError;
pub use faults::{Fault, Faults, ENDLESS_BODY_START, FAULT_HEADER, INVALID_JSON_BODY};
pub use records::{Records, SeedError};
pub use server::{MockServer, RunningServer};
pub use stubs::{Matcher, Reply, StubHandle, StubRequest, Stubs};

/// The `operationId`s of the spec that this server does not implement yet
/// (they answer 501). Empty when the fake covers the whole spec.
pub fn unserved_operations(spec: &acquire_spec::Spec) -> Vec<String> {
    spec.operations()
        .into_iter()
        .filter_map(|op| op.operation_id)
        .filter(|id| handlers::find(id).is_none())
        .collect()
}
