//! The client users hold.

use std::{future::Future, sync::Arc};

use acquire_api::{drift::Visit, types, ClientContext, ClientInfo, ResponseValue};

use crate::{
    cases::Cases,
    drift::{DriftLog, DriftReport},
    messages::Messages,
    notes::Notes,
    snoozes::Snoozes,
    ClientConfig, Error,
};

/// A client for Acquire's Cases API. Cheap to clone; share one per process.
///
/// ```no_run
/// # async fn demo() -> Result<(), acquire::Error> {
/// use acquire::{Client, ContactId};
/// let client = Client::from_env()?;
/// let case = client.cases().create(ContactId(597752)).title("Billing").send().await?;
/// println!("case {} is {:?}", case.id, case.status);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    /// The generated client; its context holds the key (used once more to
    /// scrub it from error texts) and the retry policy.
    api: acquire_api::GeneratedClient,
    /// The drift findings so far, shared by clones; `None` when detection is off.
    drift: Option<Arc<DriftLog>>,
}

impl Client {
    /// A client for `https://<account_id>.acquire.io/api/v1` with default settings.
    pub fn new(account_id: &str, api_key: &str) -> Result<Self, Error> {
        Self::with_config(ClientConfig::for_account(account_id, api_key)?)
    }

    /// A client configured from `ACQUIRE_ACCOUNT_ID`, `ACQUIRE_API_KEY` and
    /// the optional `ACQUIRE_BASE_URL`; errors name the variable at fault.
    pub fn from_env() -> Result<Self, Error> {
        Self::with_config(ClientConfig::from_env()?)
    }

    /// A client with explicit settings.
    pub fn with_config(config: ClientConfig) -> Result<Self, Error> {
        if config.base_url.is_empty() {
            return Err(
                crate::ConfigError::InvalidBaseUrl("no base URL or account set".into()).into(),
            );
        }
        let http = config.http_client()?;
        let context = match &config.api_key {
            Some(key) => ClientContext::with_api_key(key.clone()),
            None => ClientContext::anonymous(),
        }
        .with_retry_policy(config.retry.clone())
        .with_max_response_bytes(config.max_response_bytes);
        Ok(Self {
            api: acquire_api::GeneratedClient::new_with_client(&config.base_url, http, context),
            drift: config.drift_detection.then(Arc::default),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.api.baseurl()
    }

    /// Case operations: create, reopen, join, reject, close, invite agents,
    /// list (with filters and pagination) and get.
    pub fn cases(&self) -> Cases<'_> {
        Cases::new(self)
    }

    /// Message operations: the messages of a thread, get, delete, send a
    /// chat message, an email or an SMS, update.
    pub fn messages(&self) -> Messages<'_> {
        Messages::new(self)
    }

    /// Note operations: list (with pagination), get, create, add a message,
    /// list a note's messages, delete.
    pub fn notes(&self) -> Notes<'_> {
        Notes::new(self)
    }

    /// Snooze operations: snooze a case or a contact, delete a snooze.
    pub fn snoozes(&self) -> Snoozes<'_> {
        Snoozes::new(self)
    }

    /// The generated low-level client, with every operation of the spec as
    /// a builder; use it for a body field this crate does not expose.
    pub fn api(&self) -> &acquire_api::GeneratedClient {
        &self.api
    }

    /// What the responses of this client (and its clones) held that the
    /// spec does not know: each distinct finding with how many responses
    /// showed it and the first operation that did. Empty when detection is
    /// off ([`ClientConfig::with_drift_detection`]). Calls made through
    /// [`Client::api`] are not checked.
    pub fn drift(&self) -> DriftReport {
        self.drift
            .as_ref()
            .map(|log| log.report())
            .unwrap_or_default()
    }

    /// Runs one generated call and maps its outcome into this crate's types;
    /// the API key never survives in an error's text. A decoded response is
    /// checked for drift.
    pub(crate) async fn run<T: Visit>(
        &self,
        call: impl Future<
            Output = Result<ResponseValue<T>, acquire_api::GeneratedError<types::ErrorBody>>,
        >,
    ) -> Result<T, Error> {
        let (result, exchange) = acquire_api::observe(call).await;
        match result {
            Ok(response) => {
                let observing = crate::drift::observing();
                if self.drift.is_some() || observing {
                    let findings = acquire_api::drift::findings(response.as_ref());
                    if observing {
                        crate::drift::hand_over(&findings);
                    }
                    if let Some(log) = &self.drift {
                        let operation = exchange.as_ref().map_or("", |e| e.operation_id);
                        log.record(operation, findings);
                    }
                }
                Ok(response.into_inner())
            }
            Err(error) => Err(self.scrub(Error::from_generated(error, exchange).await)),
        }
    }

    /// `error` without the API key in its texts.
    pub(crate) fn scrub(&self, error: Error) -> Error {
        match self.secret() {
            Some(secret) => error.redact(secret),
            None => error,
        }
    }

    /// The key's text, when it is long enough to be told apart from
    /// ordinary words (a very short key would scrub unrelated text).
    fn secret(&self) -> Option<&str> {
        let header = self.api.inner().api_key()?.authorization().to_str().ok()?;
        let key = header.strip_prefix("Bearer ")?;
        (key.len() >= MIN_REDACTED_LEN).then_some(key)
    }
}

/// Keys shorter than this are not scrubbed from error texts.
const MIN_REDACTED_LEN: usize = 8;
