//! The client users hold.

use std::future::Future;

use acquire_api::{types, ClientContext, ResponseValue};

use crate::{cases::Cases, ClientConfig, Error};

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
    api: acquire_api::Client,
    base_url: String,
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
        .with_retry_policy(config.retry.clone());
        Ok(Self {
            api: acquire_api::Client::new_with_client(&config.base_url, http, context),
            base_url: config.base_url,
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Case operations: create, reopen, join, reject.
    pub fn cases(&self) -> Cases<'_> {
        Cases::new(self)
    }

    /// The generated low-level client, for operations this crate does not wrap yet.
    pub fn api(&self) -> &acquire_api::Client {
        &self.api
    }
}

/// Runs one generated call and maps its outcome into this crate's types.
pub(crate) async fn run<T>(
    call: impl Future<Output = Result<ResponseValue<T>, acquire_api::Error<types::ApiError>>>,
) -> Result<T, Error> {
    let (result, exchange) = acquire_api::observe(call).await;
    match result {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(Error::from_generated(error, exchange).await),
    }
}
