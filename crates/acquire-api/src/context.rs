//! The client's own state, carried by the generated `Client` as its inner
//! value, and the hooks that apply it to every request.

use std::fmt;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderValue, InvalidHeaderValue, AUTHORIZATION};

use crate::Client;

/// An Acquire API key. Its value never appears in `Debug` or `Display`.
#[derive(Clone)]
pub struct ApiKey(HeaderValue);

impl ApiKey {
    /// Wraps a key, rejecting characters that cannot travel in an HTTP header.
    /// The error does not repeat the key.
    pub fn new(key: &str) -> Result<Self, InvalidApiKey> {
        let mut value = HeaderValue::from_str(&format!("Bearer {key}"))
            .map_err(|_: InvalidHeaderValue| InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(Self(value))
    }

    /// The `Authorization` header value (`Bearer <key>`), marked sensitive.
    pub fn authorization(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// An API key that cannot be sent in a header (control characters or
/// non-visible bytes). Carries no part of the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidApiKey;

impl fmt::Display for InvalidApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the API key contains characters that cannot be sent in an HTTP header")
    }
}

impl std::error::Error for InvalidApiKey {}

/// State shared by every request of a [`Client`]: the API key, sent once
/// here as `Authorization: Bearer <key>` (progenitor ignores
/// `securitySchemes`, so the client adds it).
#[derive(Clone, Debug, Default)]
pub struct ClientContext {
    api_key: Option<ApiKey>,
}

impl ClientContext {
    /// A context that authenticates every request with `api_key`.
    pub fn with_api_key(api_key: ApiKey) -> Self {
        Self {
            api_key: Some(api_key),
        }
    }

    /// A context that sends no `Authorization` header.
    pub fn anonymous() -> Self {
        Self::default()
    }
}

impl Client {
    /// A client for `base_url` (e.g. `https://acme.acquire.io/api/v1`) that
    /// authenticates with `api_key`, using the given reqwest client for
    /// connection settings (timeouts, TLS, proxies).
    pub fn with_api_key(base_url: &str, api_key: ApiKey, http: reqwest::Client) -> Self {
        Self::new_with_client(base_url, http, ClientContext::with_api_key(api_key))
    }
}

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Some(key) = &self.inner().api_key {
            request
                .headers_mut()
                .insert(AUTHORIZATION, key.authorization().clone());
        }
        Ok(())
    }
}
