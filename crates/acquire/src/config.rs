//! Client construction: account, key, base URL, timeouts, user agent.

use std::{fmt, net::IpAddr, time::Duration};

use acquire_api::{ApiKey, RetryPolicy};

use crate::{error::ConfigError, Error};

/// The variable holding the account id (the sub-domain of `<id>.acquire.io`).
pub const ENV_ACCOUNT_ID: &str = "ACQUIRE_ACCOUNT_ID";
/// The variable holding the API key.
pub const ENV_API_KEY: &str = "ACQUIRE_API_KEY";
/// The optional variable overriding the base URL (a fake server, a proxy).
pub const ENV_BASE_URL: &str = "ACQUIRE_BASE_URL";

/// The user agent sent unless configured otherwise: this crate's name and version.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION"));

/// How a [`Client`](crate::Client) talks to Acquire.
///
/// ```
/// use std::time::Duration;
/// let config = acquire::ClientConfig::for_account("acme", "my-key")?
///     .with_request_timeout(Duration::from_secs(10))
///     .with_user_agent("my-app/1.0");
/// let client = acquire::Client::with_config(config)?;
/// # Ok::<(), acquire::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) drift_detection: bool,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl Default for ClientConfig {
    /// No account and no key: set them with [`ClientConfig::with_base_url`]
    /// and [`ClientConfig::with_api_key`].
    fn default() -> Self {
        Self {
            base_url: String::new(),
            api_key: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            max_response_bytes: crate::DEFAULT_MAX_RESPONSE_BYTES,
            drift_detection: true,
            http_client: None,
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("drift_detection", &self.drift_detection)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "<caller-supplied>"),
            )
            .finish()
    }
}

impl ClientConfig {
    /// The configuration for `https://<account_id>.acquire.io/api/v1`.
    pub fn for_account(account_id: &str, api_key: &str) -> Result<Self, Error> {
        let valid = !account_id.is_empty()
            && account_id.len() <= 63
            && account_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !account_id.starts_with('-')
            && !account_id.ends_with('-');
        if !valid {
            return Err(ConfigError::InvalidAccountId(account_id.to_owned()).into());
        }
        Self::default()
            .with_base_url(&format!("https://{account_id}.acquire.io/api/v1"))?
            .with_api_key(api_key)
    }

    /// Reads [`ENV_ACCOUNT_ID`], [`ENV_API_KEY`] and the optional
    /// [`ENV_BASE_URL`] (which replaces the account's URL).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`ClientConfig::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty());
        let api_key = get(ENV_API_KEY).ok_or(ConfigError::MissingVariable(ENV_API_KEY))?;
        if let Some(base_url) = get(ENV_BASE_URL) {
            return Self::default()
                .with_base_url(base_url.trim())
                .map_err(|e| rename(e, ENV_BASE_URL))?
                .with_api_key(&api_key)
                .map_err(|e| rename(e, ENV_API_KEY));
        }
        let account = get(ENV_ACCOUNT_ID).ok_or(ConfigError::MissingVariable(ENV_ACCOUNT_ID))?;
        Self::for_account(account.trim(), &api_key).map_err(|e| match e {
            Error::Config(ConfigError::InvalidApiKey) => rename(e, ENV_API_KEY),
            other => rename(other, ENV_ACCOUNT_ID),
        })
    }

    /// Sets the base URL, e.g. `https://acme.acquire.io/api/v1`. Refused
    /// unless `https`, or plain `http` to a loopback host (a local fake).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, Error> {
        let url =
            url::Url::parse(base_url).map_err(|e| ConfigError::InvalidBaseUrl(format!("{e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ConfigError::InvalidBaseUrl(
                "credentials in the URL are not allowed".into(),
            )
            .into());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(
                ConfigError::InvalidBaseUrl("a query or fragment is not allowed".into()).into(),
            );
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => return Err(ConfigError::InsecureBaseUrl(host).into()),
            other => {
                return Err(
                    ConfigError::InvalidBaseUrl(format!("scheme {other:?} is not http(s)")).into(),
                )
            }
        }
        self.base_url = url.as_str().trim_end_matches('/').to_owned();
        Ok(self)
    }

    /// Sets the API key. Refused (without echoing it) if it cannot travel in a header.
    pub fn with_api_key(mut self, api_key: &str) -> Result<Self, Error> {
        let key = ApiKey::new(api_key.trim()).map_err(|_| ConfigError::InvalidApiKey)?;
        self.api_key = Some(key);
        Ok(self)
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request (default 30 s).
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// When requests are sent again (default: [`RetryPolicy::default`];
    /// [`RetryPolicy::none`] to disable).
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest response body accepted, in bytes (default 16 MiB,
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES)). A larger body fails
    /// with [`Error::ResponseTooLarge`] as soon as the limit is passed
    /// (at once when its `Content-Length` says so): it is never buffered
    /// beyond the limit, and not retried.
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Whether decoded responses are checked for what the spec does not
    /// know (default on): members it does not declare, enum values outside
    /// its lists. Each distinct finding is logged once per client as a
    /// `tracing` WARN event (target `acquire::drift`) and counted in
    /// [`Client::drift`](crate::Client::drift); member values are never
    /// logged.
    pub fn with_drift_detection(mut self, enabled: bool) -> Self {
        self.drift_detection = enabled;
        self
    }

    /// Uses a caller-built reqwest client (proxies, TLS roots...). Its own
    /// timeouts and user agent then apply instead of this config's.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn http_client(&self) -> Result<reqwest::Client, Error> {
        if let Some(client) = &self.http_client {
            return Ok(client.clone());
        }
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent.clone())
            .build()
            .map_err(|e| ConfigError::HttpClient(e.to_string()).into())
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Names the environment variable behind a configuration error.
fn rename(error: Error, name: &'static str) -> Error {
    match error {
        Error::Config(reason) => ConfigError::InvalidVariable {
            name,
            reason: reason.to_string(),
        }
        .into(),
        other => other,
    }
}
