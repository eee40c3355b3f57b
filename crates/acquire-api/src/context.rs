//! The client's own state, carried by the generated `Client` as its inner
//! value, and the hooks that apply it to every request.
//!
//! Tracing is added here once, in `exec`: every HTTP attempt (retries
//! included) runs inside its own span; see [`REQUEST_SPAN`].

use std::{
    cell::RefCell,
    fmt,
    future::Future,
    time::{Duration, Instant},
};

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderValue, InvalidHeaderValue, AUTHORIZATION};
use tracing::{field, Instrument};

use crate::{
    limit::{self, DEFAULT_MAX_RESPONSE_BYTES},
    GeneratedClient as Client, RetryPolicy,
};

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
#[derive(Clone, Debug)]
pub struct ClientContext {
    api_key: Option<ApiKey>,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl Default for ClientContext {
    /// No key, the default retry policy, a 16 MiB response limit.
    fn default() -> Self {
        Self {
            api_key: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientContext {
    /// A context that authenticates every request with `api_key`.
    pub fn with_api_key(api_key: ApiKey) -> Self {
        Self {
            api_key: Some(api_key),
            ..Self::default()
        }
    }

    /// The key every request is authenticated with, if any.
    pub fn api_key(&self) -> Option<&ApiKey> {
        self.api_key.as_ref()
    }

    /// Replaces the retry policy (the default retries idempotent requests).
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the limit on a response body's size (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]): a larger body fails with
    /// [`ResponseTooLarge`](crate::ResponseTooLarge) as soon as the limit is
    /// passed, never buffered
    /// beyond it.
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The limit on a response body's size, in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
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
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let _ = CAPTURE.try_with(|slot| slot.borrow_mut().operation_id = Some(info.operation_id));
        if let Some(key) = &self.inner().api_key {
            request
                .headers_mut()
                .insert(AUTHORIZATION, key.authorization().clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let (outcome, attempts) = self
            .inner()
            .retry
            .run(request, |r, attempt| self.send_attempt(r, info, attempt))
            .await;
        let _ = EXCHANGE.try_with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(Exchange::default)
                .attempts = attempts;
        });
        outcome
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(response) = result {
            let _ = EXCHANGE.try_with(|slot| {
                let mut slot = slot.borrow_mut();
                let attempts = slot.as_ref().map_or(1, |e| e.attempts);
                *slot = Some(Exchange {
                    attempts,
                    operation_id: info.operation_id,
                    ..Exchange::from_response(response)
                });
            });
        }
        Ok(())
    }
}

/// The name of the span that covers one HTTP attempt (target `acquire_api`,
/// level INFO). A retried request gives one span per attempt.
///
/// Fields:
/// - `operation_id`: the spec's operationId (`get_case`, `create_case`, ...);
/// - `http.method`: `GET`, `POST`, ...;
/// - `url`: scheme, host, port, path and query; never user info (the API
///   key travels in the `Authorization` header, which is never recorded);
/// - `attempt`: 1 for the first send, 2 for the first retry, ...;
/// - `status`: the HTTP status, once response headers arrived;
/// - `duration_ms`: from sending to the response headers (for GET, HEAD,
///   OPTIONS, PUT and DELETE: to the end of the body, which is read inside
///   the attempt so a cut-off body can be retried), or to the failure;
/// - `error`: the kind of transport failure, when no response arrived.
///
/// Each span ends with one DEBUG event, `response` or `no response`, so
/// a plain `fmt` subscriber shows the attempt with its fields; the retry
/// loop logs a DEBUG `retrying` event (fields `attempt`, `wait_ms`)
/// between attempts.
pub const REQUEST_SPAN: &str = "acquire_api.request";

impl Client {
    /// Sends one attempt of a request inside its [`REQUEST_SPAN`] span.
    async fn send_attempt(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
        attempt: u32,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            target: "acquire_api",
            REQUEST_SPAN,
            operation_id = info.operation_id,
            http.method = %request.method(),
            url = %UrlWithoutSecrets(request.url()),
            attempt,
            status = field::Empty,
            duration_ms = field::Empty,
            error = field::Empty,
        );
        let started = Instant::now();
        let idempotent = crate::retry::is_idempotent(request.method());
        let outcome = async {
            let response = self.client().execute(request).await?;
            let response = limit::limited(response, self.inner().max_response_bytes);
            if !idempotent {
                return Ok(response);
            }
            // The status is known even if the body then fails.
            let exchange = Exchange::from_response(&response);
            let _ = EXCHANGE.try_with(|slot| *slot.borrow_mut() = Some(exchange));
            let (response, body) = limit::buffered(response).await?;
            if let Some(body) = body {
                let _ = CAPTURE.try_with(|slot| slot.borrow_mut().body = Some(body));
            }
            Ok(response)
        }
        .instrument(span.clone())
        .await;
        let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("duration_ms", elapsed);
        match &outcome {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                tracing::debug!(target: "acquire_api", parent: &span, "response");
            }
            Err(e) => {
                span.record("error", transport_error_kind(e));
                tracing::debug!(target: "acquire_api", parent: &span, "no response");
            }
        }
        outcome
    }
}

/// A URL as recorded in traces: without user name, password or fragment.
struct UrlWithoutSecrets<'a>(&'a reqwest::Url);

impl fmt::Display for UrlWithoutSecrets<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        if url.username().is_empty() && url.password().is_none() && url.fragment().is_none() {
            return f.write_str(url.as_str());
        }
        let mut clean = url.clone();
        // Both fail only for URLs that cannot carry user info (`data:`...),
        // which then have none to remove.
        let _ = clean.set_username("");
        let _ = clean.set_password(None);
        clean.set_fragment(None);
        f.write_str(clean.as_str())
    }
}

/// What kind of transport failure `e` is, without its URL (reqwest's own
/// message repeats the URL, user info included).
fn transport_error_kind(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_redirect() {
        "redirect"
    } else if e.is_body() {
        "body"
    } else if e.is_decode() {
        "decode"
    } else if e.is_builder() {
        "builder"
    } else if e.is_request() {
        "request"
    } else {
        "other"
    }
}

tokio::task_local! {
    static EXCHANGE: RefCell<Option<Exchange>>;
    static CAPTURE: RefCell<Capture>;
}

/// What [`capture`] kept of a call.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Capture {
    /// The operation called (`get_case`...), once the request was built.
    pub operation_id: Option<&'static str>,
    /// The body of the response exactly as received, when the request is
    /// one whose body is read inside the attempt (GET, HEAD, OPTIONS, PUT,
    /// DELETE) and it is within the size limit; kept even when it then
    /// fails to decode. Shared with the response, not copied.
    pub body: Option<bytes::Bytes>,
}

/// Runs one call of the generated client and returns, beside its result,
/// which operation it was and the body it received ([`Capture`]). Calls
/// outside `capture` keep nothing.
pub async fn capture<F: Future>(call: F) -> (F::Output, Capture) {
    CAPTURE
        .scope(RefCell::new(Capture::default()), async {
            let output = call.await;
            let captured = CAPTURE.with(|slot| std::mem::take(&mut *slot.borrow_mut()));
            (output, captured)
        })
        .await
}

/// What the server answered to a call, before its body was decoded: the
/// status and the headers a caller needs when the body turns out to be
/// unusable (an HTML error page, a truncated document).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exchange {
    /// The HTTP status.
    pub status: u16,
    /// `x-request-id` (or `x-amzn-requestid`), when present.
    pub request_id: Option<String>,
    /// `Retry-After` in seconds, when present and numeric.
    pub retry_after: Option<Duration>,
    /// How many times the request was sent (retries included).
    pub attempts: u32,
    /// The spec's operationId of the call (`get_case`...).
    pub operation_id: &'static str,
}

impl Exchange {
    fn from_response(response: &reqwest::Response) -> Self {
        Self::from_headers(response.status().as_u16(), response.headers())
    }

    /// What a response with `status` and `headers` says, before its body:
    /// the one place response headers are read (the retries, the hooks and
    /// the `acquire` crate's errors use it).
    pub fn from_headers(status: u16, headers: &reqwest::header::HeaderMap) -> Self {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Self {
            status,
            request_id: header("x-request-id")
                .or_else(|| header("x-amzn-requestid"))
                .map(str::to_owned),
            // Seconds; Acquire does not use the HTTP-date form.
            retry_after: header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
            attempts: 1,
            operation_id: "",
        }
    }
}

/// Runs one call of the generated client and returns, beside its result, the
/// [`Exchange`] the hooks recorded (`None` when no response arrived).
pub async fn observe<F: Future>(call: F) -> (F::Output, Option<Exchange>) {
    EXCHANGE
        .scope(RefCell::new(None), async {
            let output = call.await;
            let exchange = EXCHANGE.with(|slot| slot.borrow_mut().take());
            (output, exchange)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::UrlWithoutSecrets;

    fn shown(url: &str) -> String {
        let url = reqwest::Url::parse(url).expect("test URL");
        UrlWithoutSecrets(&url).to_string()
    }

    #[test]
    fn user_info_and_fragment_are_dropped() {
        assert_eq!(
            shown("https://me:s3cret@acme.acquire.io/api/v1/crm/objects/case/7?select=id#frag"),
            "https://acme.acquire.io/api/v1/crm/objects/case/7?select=id"
        );
        assert_eq!(
            shown("https://me@acme.acquire.io/api/v1"),
            "https://acme.acquire.io/api/v1"
        );
    }

    #[test]
    fn plain_urls_are_kept_as_they_are() {
        assert_eq!(
            shown("http://127.0.0.1:8080/api/v1/crm/cases?page=2&limit=10"),
            "http://127.0.0.1:8080/api/v1/crm/cases?page=2&limit=10"
        );
    }
}
