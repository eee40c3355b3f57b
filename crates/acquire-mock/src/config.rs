//! Settings of a fake server.

use std::{net::SocketAddr, path::PathBuf};

/// The agent the API key acts as, unless configured otherwise: user 25, the
/// agent the documented join example shows joining through the API.
pub const API_USER_ID: i64 = 25;

/// The default limit on a request body: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

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
}

impl Default for MockConfig {
    /// `127.0.0.1:0` (a free port), API key `test-key`, seed data on,
    /// header-driven faults off, a 1 MiB body limit, acting as agent 25,
    /// the spec compiled into `acquire-spec`, no generated cases.
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
}
