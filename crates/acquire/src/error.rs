//! One error type for every call.

use std::{fmt, time::Duration};

use acquire_api::{types, ErrorType, Exchange};

/// How many bytes of a body an error keeps.
pub const SNIPPET_LIMIT: usize = 512;

/// The start of a response body, kept for diagnosis: at most
/// [`SNIPPET_LIMIT`] bytes, decoded lossily as UTF-8.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct BodySnippet {
    text: String,
    total_len: usize,
}

impl BodySnippet {
    /// Keeps the first [`SNIPPET_LIMIT`] bytes of `body`.
    pub fn new(body: &[u8]) -> Self {
        let kept = &body[..body.len().min(SNIPPET_LIMIT)];
        Self {
            text: String::from_utf8_lossy(kept).into_owned(),
            total_len: body.len(),
        }
    }

    /// The kept text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The whole body's length in bytes.
    pub fn total_len(&self) -> usize {
        self.total_len
    }

    /// Whether bytes were left out.
    pub fn is_truncated(&self) -> bool {
        self.total_len > self.text.len()
    }
}

impl fmt::Debug for BodySnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for BodySnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.total_len == 0 {
            return f.write_str("(empty body)");
        }
        write!(f, "{:?}", self.text)?;
        if self.is_truncated() {
            write!(f, " (first bytes of {})", self.total_len)?;
        }
        Ok(())
    }
}

/// An error answer from Acquire (a 4xx or 5xx status).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// Acquire's error type (`ERROR_INVALID_INPUT`...), when the body has one.
    pub error_type: Option<ErrorType>,
    /// Acquire's message, when the body has one.
    pub message: Option<String>,
    /// The request id header, when present.
    pub request_id: Option<String>,
    /// How long the server asked to wait (`Retry-After`), when present.
    pub retry_after: Option<Duration>,
    /// The start of the body.
    pub body: BodySnippet,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Acquire answered {}", self.status)?;
        if let Some(kind) = &self.error_type {
            write!(f, " {kind}")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None => write!(f, ": {}", self.body)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Why the client configuration was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is not set.
    #[error("environment variable {0} is not set")]
    MissingVariable(&'static str),
    /// An environment variable is set to something unusable.
    #[error("environment variable {name} is invalid: {reason}")]
    InvalidVariable {
        /// The variable.
        name: &'static str,
        /// Why (never the value of a secret).
        reason: String,
    },
    /// The account id is not a sub-domain label.
    #[error("account id {0:?} is not a valid sub-domain (letters, digits and '-')")]
    InvalidAccountId(String),
    /// The base URL does not parse, or carries credentials.
    #[error("base URL is invalid: {0}")]
    InvalidBaseUrl(String),
    /// The base URL is plain `http` to a host that is not loopback.
    #[error("base URL must use https (plain http is allowed only to loopback), got host {0:?}")]
    InsecureBaseUrl(String),
    /// The API key cannot be sent in a header.
    #[error("the API key contains characters that cannot be sent in an HTTP header")]
    InvalidApiKey,
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be built: {0}")]
    HttpClient(String),
}

/// Every way a call can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Acquire answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A response arrived but its body is not what the API describes
    /// (malformed or truncated JSON, a wrong type, an HTML page...).
    #[error("could not decode the response{}: {reason}; body: {body}", status.map(|s| format!(" (status {s})")).unwrap_or_default())]
    Decode {
        /// The HTTP status, when known.
        status: Option<u16>,
        /// What the decoder said.
        reason: String,
        /// The start of the body.
        body: BodySnippet,
    },
    /// The request or the response could not travel (connection refused or
    /// reset, DNS, TLS, a body cut off mid-way).
    #[error("network error: {message}")]
    Transport {
        /// What failed, without URL credentials or headers.
        message: String,
        /// The status, when the failure happened while reading a response.
        status: Option<u16>,
    },
    /// The response body is larger than the client's limit
    /// ([`ClientConfig::with_max_response_bytes`](crate::ClientConfig::with_max_response_bytes),
    /// 16 MiB by default). It was read up to the limit and dropped, never
    /// buffered beyond it. Not retryable: the same request would fetch the
    /// same body.
    #[error("the response{} is larger than the limit of {limit} bytes{}", status.map(|s| format!(" (status {s})")).unwrap_or_default(), declared.map(|n| format!(" (it declares {n})")).unwrap_or_default())]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The size the response declared (`Content-Length`), when it did.
        declared: Option<u64>,
        /// The HTTP status, when known.
        status: Option<u16>,
    },
    /// The request did not complete in time.
    #[error("the request timed out")]
    Timeout,
    /// The client was configured wrongly.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// The request was refused before it was sent (a value that does not fit).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl Error {
    /// Whether the same request may succeed if sent again: transport
    /// failures, time-outs, and 429, 502, 503 and 504 answers.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => acquire_api::RETRYABLE_STATUSES.contains(&api.status),
            Error::Transport { .. } | Error::Timeout => true,
            Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Config(_)
            | Error::InvalidRequest(_) => false,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. }
            | Error::Transport { status, .. }
            | Error::ResponseTooLarge { status, .. } => *status,
            _ => None,
        }
    }

    /// The API error details, when Acquire answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Replaces every occurrence of `secret` in the texts this error keeps
    /// (messages, reasons, body snippets) with `<redacted>`.
    pub(crate) fn redact(self, secret: &str) -> Self {
        const MASK: &str = "<redacted>";
        let scrub = |text: String| {
            if text.contains(secret) {
                text.replace(secret, MASK)
            } else {
                text
            }
        };
        // A snippet may be cut in the middle of the key: its tail is
        // scrubbed when it is the start of the key.
        let scrub_body = |body: BodySnippet| {
            let mut text = scrub(body.text);
            if body.total_len > text.len() {
                let cut = (4..secret.len())
                    .rev()
                    .find(|&n| secret.is_char_boundary(n) && text.ends_with(&secret[..n]));
                if let Some(n) = cut {
                    text.truncate(text.len() - n);
                    text.push_str(MASK);
                }
            }
            BodySnippet {
                text,
                total_len: body.total_len,
            }
        };
        match self {
            Error::Api(mut api) => {
                api.message = api.message.map(scrub);
                api.request_id = api.request_id.map(scrub);
                api.error_type = api.error_type.map(|kind| match kind {
                    ErrorType::Unknown(text) => ErrorType::Unknown(scrub(text)),
                    known => known,
                });
                api.body = scrub_body(api.body);
                Error::Api(api)
            }
            Error::Decode {
                status,
                reason,
                body,
            } => Error::Decode {
                status,
                reason: scrub(reason),
                body: scrub_body(body),
            },
            Error::Transport { message, status } => Error::Transport {
                message: scrub(message),
                status,
            },
            Error::InvalidRequest(message) => Error::InvalidRequest(scrub(message)),
            other @ (Error::Timeout | Error::Config(_) | Error::ResponseTooLarge { .. }) => other,
        }
    }

    /// Turns the generated client's error into this crate's.
    pub(crate) async fn from_generated(
        error: acquire_api::GeneratedError<types::ErrorBody>,
        exchange: Option<Exchange>,
    ) -> Self {
        use acquire_api::GeneratedError as Generated;
        let status = exchange.as_ref().map(|e| e.status);
        match error {
            Generated::InvalidRequest(message) | Generated::Custom(message) => {
                Error::InvalidRequest(message)
            }
            // A body that broke off after the headers (read inside the exec
            // hook for idempotent requests) keeps the status it came with.
            Generated::CommunicationError(e) if e.is_body() || e.is_decode() => {
                body_failure(&e, status)
            }
            Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) => transport(&e, None),
            Generated::ResponseBodyError(e) => body_failure(&e, status),
            // An error status whose body is not Acquire's JSON (a proxy's HTML
            // page, an empty 503): still an API error, with the raw body.
            Generated::InvalidResponsePayload(bytes, _) if status.is_some_and(|s| s >= 400) => {
                let exchange = exchange.unwrap_or_default();
                Error::Api(Box::new(ApiError {
                    status: exchange.status,
                    error_type: None,
                    message: None,
                    request_id: exchange.request_id,
                    retry_after: exchange.retry_after,
                    body: BodySnippet::new(&bytes),
                }))
            }
            Generated::InvalidResponsePayload(bytes, e) => Error::Decode {
                status,
                reason: e.to_string(),
                body: BodySnippet::new(&bytes),
            },
            Generated::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let Exchange {
                    request_id,
                    retry_after,
                    ..
                } = Exchange::from_headers(status, response.headers());
                let body = response.into_inner();
                let encoded = serde_json::to_vec(&body).unwrap_or_default();
                Error::Api(Box::new(ApiError {
                    status,
                    error_type: body.kind,
                    message: body.message,
                    request_id,
                    retry_after,
                    body: BodySnippet::new(&encoded),
                }))
            }
            Generated::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let Exchange {
                    request_id,
                    retry_after,
                    ..
                } = Exchange::from_headers(status, response.headers());
                let bytes = match response.bytes().await {
                    Ok(bytes) => bytes,
                    Err(e) => return body_failure(&e, Some(status)),
                };
                if (200..300).contains(&status) {
                    return Error::Decode {
                        status: Some(status),
                        reason: "a success status the API does not describe".into(),
                        body: BodySnippet::new(&bytes),
                    };
                }
                let parsed: Option<types::ErrorBody> = serde_json::from_slice(&bytes).ok();
                let (error_type, message) = parsed.map_or((None, None), |p| (p.kind, p.message));
                Error::Api(Box::new(ApiError {
                    status,
                    error_type,
                    message,
                    request_id,
                    retry_after,
                    body: BodySnippet::new(&bytes),
                }))
            }
        }
    }
}

/// A failure while reading a response body: the size limit, or transport.
fn body_failure(error: &reqwest::Error, status: Option<u16>) -> Error {
    match acquire_api::ResponseTooLarge::find(error) {
        Some(too_large) => Error::ResponseTooLarge {
            limit: too_large.limit,
            declared: too_large.declared,
            status,
        },
        None => transport(error, status),
    }
}

/// A transport error's message: each cause in turn, without the URL.
fn transport(error: &reqwest::Error, status: Option<u16>) -> Error {
    if error.is_timeout() {
        return Error::Timeout;
    }
    let mut message = String::new();
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
        cause = current.source();
    }
    if let Some(url) = error.url() {
        message = message.replace(url.as_str(), url.path());
    }
    Error::Transport { message, status }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-live-0123456789abcdef";

    /// Every variant's name. No wildcard arm: a new variant does not compile
    /// until it is named here, and `tests/redaction.rs` must then produce it.
    fn variant(error: &Error) -> &'static str {
        match error {
            Error::Api(_) => "Api",
            Error::Decode { .. } => "Decode",
            Error::Transport { .. } => "Transport",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::Timeout => "Timeout",
            Error::Config(_) => "Config",
            Error::InvalidRequest(_) => "InvalidRequest",
        }
    }

    fn leaks(error: &Error) -> bool {
        [format!("{error}"), format!("{error:?}")]
            .iter()
            .any(|text| text.contains(KEY))
    }

    #[test]
    fn redact_scrubs_every_text_of_every_variant() {
        let echoed = format!("Authorization: Bearer {KEY}");
        let errors = vec![
            Error::Api(Box::new(ApiError {
                status: 401,
                error_type: Some(ErrorType::Unknown(echoed.clone())),
                message: Some(echoed.clone()),
                request_id: Some(KEY.into()),
                retry_after: None,
                body: BodySnippet::new(echoed.as_bytes()),
            })),
            Error::Decode {
                status: Some(200),
                reason: echoed.clone(),
                body: BodySnippet::new(echoed.as_bytes()),
            },
            Error::Transport {
                message: echoed.clone(),
                status: None,
            },
            Error::ResponseTooLarge {
                limit: 16,
                declared: None,
                status: Some(200),
            },
            Error::Timeout,
            Error::Config(ConfigError::InvalidApiKey),
            Error::InvalidRequest(echoed.clone()),
        ];
        let names: Vec<_> = errors.iter().map(variant).collect();
        assert_eq!(
            names,
            [
                "Api",
                "Decode",
                "Transport",
                "ResponseTooLarge",
                "Timeout",
                "Config",
                "InvalidRequest"
            ]
        );
        for error in errors {
            let redacted = error.redact(KEY);
            assert!(!leaks(&redacted), "{redacted:?}");
        }
    }

    #[test]
    fn a_snippet_cut_inside_the_key_loses_the_cut_part() {
        let mut body = "x".repeat(SNIPPET_LIMIT - 10).into_bytes();
        body.extend_from_slice(KEY.as_bytes());
        let error = Error::Decode {
            status: Some(200),
            reason: "cut".into(),
            body: BodySnippet::new(&body),
        };
        let text = format!("{:?}", error.redact(KEY));
        assert!(!text.contains(&KEY[..10]), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
