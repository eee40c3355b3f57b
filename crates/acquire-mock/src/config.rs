//! Settings of a fake server.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// The agent the API key acts as, unless configured otherwise: user 25, the
/// agent the documented join example shows joining through the API.
pub const API_USER_ID: i64 = 25;

/// The default limit on a request body: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// The default header-read timeout: 10 s to send a request's line and
/// headers (see [`MockConfig::with_header_read_timeout`]).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The default idle timeout of a kept-alive connection: 5 s (see
/// [`MockConfig::with_idle_timeout`]).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// The default limit on a request's line and headers together: 16 KiB
/// (see [`MockConfig::with_max_header_size`]).
pub const DEFAULT_MAX_HEADER_SIZE: usize = 16 * 1024;

/// The default limit on a request's target (path and query): 8 KiB (see
/// [`MockConfig::with_max_url_length`]).
pub const DEFAULT_MAX_URL_LENGTH: usize = 8 * 1024;

/// The default cap on open connections: 16,384 (see
/// [`MockConfig::with_max_connections`]). Above the 10,000 connections at
/// once of the workspace's load test (`cargo xtask load`, `--gets`).
pub const DEFAULT_MAX_CONNECTIONS: usize = 16 * 1024;

/// The longest timeout kept: a year. Longer ones are taken as this, so that
/// adding them to the current time cannot overflow.
const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// How a fake server is started. Build it with [`Default`] and the `with_*`
/// setters.
#[derive(Clone, Debug)]
pub struct MockConfig {
    pub(crate) addr: SocketAddr,
    pub(crate) api_key: String,
    pub(crate) seed: bool,
    pub(crate) faults_enabled: bool,
    pub(crate) body_limit: usize,
    pub(crate) agent_id: i64,
    pub(crate) spec_path: Option<PathBuf>,
    pub(crate) generated_cases: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_header_size: usize,
    pub(crate) max_url_length: usize,
    pub(crate) max_connections: usize,
    pub(crate) drift: bool,
}

impl Default for MockConfig {
    /// `127.0.0.1:0` (a free port), API key `test-key`, seed data on,
    /// header-driven faults off, a 1 MiB body limit, acting as agent 25,
    /// the spec compiled into `acquire-spec`, no generated cases; and the
    /// limits that protect the server: a 10 s header-read timeout, a 5 s
    /// idle timeout, 16 KiB of request line and headers, an 8 KiB request
    /// target and 16,384 connections at once; no drift.
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: "test-key".to_owned(),
            seed: true,
            faults_enabled: false,
            body_limit: DEFAULT_BODY_LIMIT,
            agent_id: API_USER_ID,
            spec_path: None,
            generated_cases: 0,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_header_size: DEFAULT_MAX_HEADER_SIZE,
            max_url_length: DEFAULT_MAX_URL_LENGTH,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            drift: false,
        }
    }
}

impl MockConfig {
    /// The address to listen on; port 0 picks a free port.
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The only bearer key accepted (`Authorization: Bearer <key>`).
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Whether to start with the cases of the documented examples.
    pub fn with_seed_data(mut self, seed: bool) -> Self {
        self.seed = seed;
        self
    }

    /// Whether requests may ask for faults with the
    /// [`x-mock-fault`](crate::FAULT_HEADER) header. Faults set through
    /// [`RunningServer::faults`](crate::RunningServer::faults) work either way.
    pub fn with_faults_enabled(mut self, enabled: bool) -> Self {
        self.faults_enabled = enabled;
        self
    }

    /// The largest request body accepted, in bytes; larger ones get 413.
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The agent (user id) the API key acts as when joining or rejecting.
    pub fn with_agent_id(mut self, agent_id: i64) -> Self {
        self.agent_id = agent_id;
        self
    }

    /// The OpenAPI document to serve and validate against, read from
    /// `path` (YAML or JSON) instead of the spec compiled into
    /// `acquire-spec`.
    pub fn with_spec_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec_path = Some(path.into());
        self
    }

    /// Adds `n` generated cases after the seed (with or without it), for
    /// benchmarks that page through many cases. Their content is
    /// deterministic: contact 597752's, ids from 2072 on (or the next free
    /// id), created a minute apart from 2021-04-01, cycling through the
    /// statuses `pending`, `active`, `closed` and the channels `chat`,
    /// `email`, `voip`, each with one message from the contact.
    pub fn with_generated_cases(mut self, n: usize) -> Self {
        self.generated_cases = n;
        self
    }

    /// How long a connection has to send a request's line and headers in
    /// full; one that has not is closed without an answer (a client that
    /// opens connections and never finishes them cannot hold them).
    /// Default 10 s ([`DEFAULT_HEADER_READ_TIMEOUT`]); at most a year.
    ///
    /// This is hyper's header-read timeout. It runs from the moment the
    /// server waits for a request: when the connection is accepted, and
    /// again as soon as the previous response is sent on a kept-alive
    /// connection. It is not restarted by each byte, so trickling the
    /// headers one byte at a time does not extend it; and a kept-alive
    /// connection with no new request is also closed by it, at the latest.
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// How long a kept-alive connection may wait for its next request once
    /// a response is sent: a connection whose next request has not arrived
    /// (line and headers in full) by then is closed. A response still being
    /// prepared or sent (e.g. an injected delay) is never cut by it, and a
    /// new connection is the header-read timeout's alone.
    /// Default 5 s ([`DEFAULT_IDLE_TIMEOUT`]); at most a year.
    ///
    /// The header-read timeout
    /// ([`with_header_read_timeout`](Self::with_header_read_timeout))
    /// also starts when a kept-alive connection goes idle, so an idle
    /// timeout longer than it has no effect.
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The largest request line and headers accepted together, in bytes;
    /// a request with more gets 431 (Request Header Fields Too Large, no
    /// body) and its connection is closed. Default 16 KiB
    /// ([`DEFAULT_MAX_HEADER_SIZE`]).
    ///
    /// The request line counts (hyper's `max_header_size`), so a request
    /// target too long to fit gets 431 rather than 414.
    pub fn with_max_header_size(mut self, bytes: usize) -> Self {
        self.max_header_size = bytes;
        self
    }

    /// The longest request target accepted (path and query, as sent), in
    /// bytes; a longer one gets 414 (URI Too Long, with an error body).
    /// Default 8 KiB ([`DEFAULT_MAX_URL_LENGTH`]). It is checked once the
    /// headers are read, so a target that does not fit the header limit
    /// ([`with_max_header_size`](Self::with_max_header_size)) gets 431.
    pub fn with_max_url_length(mut self, bytes: usize) -> Self {
        self.max_url_length = bytes;
        self
    }

    /// The most connections open at once (0 is taken as 1). When they are
    /// all open, new connections are not accepted until one closes: they
    /// wait in the listening socket's backlog, none is refused. Reaching
    /// the cap is logged once per server (a `tracing` warning, written to
    /// stderr by the `acquire-mock` binary). Default 16,384
    /// ([`DEFAULT_MAX_CONNECTIONS`]).
    pub fn with_max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// Drift mode: every successful JSON response gets, by its operation's
    /// response schema in the spec served, an undeclared member
    /// ([`DRIFT_MEMBER`](crate::DRIFT_MEMBER) =
    /// [`DRIFT_PROBE_VALUE`](crate::DRIFT_PROBE_VALUE)) in each declared
    /// object, and a value outside the list
    /// ([`DRIFT_ENUM_VALUE`](crate::DRIFT_ENUM_VALUE)) in each string of an
    /// `x-extensible-enum` schema; what is stored is unchanged. Clients
    /// (drift detection, `acquire doctor`) are tested against it. Off by
    /// default.
    pub fn with_drift(mut self, enabled: bool) -> Self {
        self.drift = enabled;
        self
    }
}
