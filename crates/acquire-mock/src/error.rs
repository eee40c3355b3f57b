//! Errors: those of starting a server, and the API error bodies it sends.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Map, Value};

/// Why a fake server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The spec could not be read or compiled.
    #[error("loading the spec: {0}")]
    Spec(#[from] acquire_spec::SpecError),
    /// The address could not be bound.
    #[error("binding {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Another I/O error.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// An error answered to a client: status, Acquire's error type (when the
/// status has one) and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub kind: Option<&'static str>,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, kind: Option<&'static str>, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 `ERROR_INVALID_INPUT`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            Some("ERROR_INVALID_INPUT"),
            message,
        )
    }

    /// 400 `ERROR_RECORD_NOT_FOUND`.
    pub fn not_found_record(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            Some("ERROR_RECORD_NOT_FOUND"),
            message,
        )
    }

    /// 401 `ERROR_UNAUTHORIZED`.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            Some("ERROR_UNAUTHORIZED"),
            "Missing or invalid API key",
        )
    }

    /// 404 without an error type (Acquire documents none).
    pub fn no_route(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, message)
    }

    /// Any status, with the type Acquire documents for it.
    pub fn status(status: StatusCode, message: impl Into<String>) -> Self {
        let kind = match status.as_u16() {
            400 => Some("ERROR_INVALID_INPUT"),
            401 => Some("ERROR_UNAUTHORIZED"),
            403 => Some("ERROR_UNAUTHORIZED_ACCESS"),
            500 => Some("ERROR_SERVER_ERROR"),
            _ => None,
        };
        Self::new(status, kind, message)
    }

    /// The JSON body: `{"status", "type"?, "message"}`.
    pub fn body(&self) -> Value {
        error_body(self.status, self.kind, &self.message)
    }
}

/// Acquire's error body: `{"status", "type"?, "message"}`.
pub(crate) fn error_body(status: StatusCode, kind: Option<&str>, message: &str) -> Value {
    let mut map = Map::new();
    map.insert("status".into(), json!(status.as_u16()));
    if let Some(kind) = kind {
        map.insert("type".into(), json!(kind));
    }
    map.insert("message".into(), json!(message));
    Value::Object(map)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, &self.body());
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A JSON response.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
