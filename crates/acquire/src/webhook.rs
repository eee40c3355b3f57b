//! Webhooks: verifying `x-acquire-signature` and parsing the event.
//!
//! Acquire POSTs case events to a URL of yours, as
//! `{"event": "<NAME>", "data": {...}}`, with the header
//! [`x-acquire-signature`](SIGNATURE_HEADER): the hex HMAC-SHA256 of the raw
//! body under the webhook's secret key. Check it over the exact bytes
//! received, before parsing: [`parse_event`] does both, [`verify`] only the
//! signature. The comparison runs in constant time.
//!
//! ```
//! use acquire::webhook::{self, WebhookError, WebhookEventName, WebhookSecret};
//! use hmac::{Hmac, Mac};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = WebhookSecret::new("my-webhook-secret");
//! let body = br#"{"event":"CHAT_ON_START","data":{"id":"1684","status":"queue"}}"#;
//!
//! // What Acquire puts in `x-acquire-signature` for this body.
//! let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"my-webhook-secret")?;
//! mac.update(body);
//! let signature = hex::encode(mac.finalize().into_bytes());
//!
//! // In your handler: the header value (if any) and the raw body.
//! let event = webhook::parse_event(&secret, Some(&signature), body)?;
//! assert_eq!(event.name(), &WebhookEventName::Start);
//! let chat = event.chat_data()?.expect("CHAT_ON_START carries chat data");
//! assert_eq!(chat.id.as_deref(), Some("1684"));
//!
//! // A body altered on the way, or a request without the header, is refused.
//! let forged = br#"{"event":"CHAT_ON_START","data":{"id":"1685","status":"queue"}}"#;
//! assert!(matches!(
//!     webhook::verify(&secret, Some(&signature), forged),
//!     Err(WebhookError::SignatureMismatch)
//! ));
//! assert!(matches!(
//!     webhook::verify(&secret, None, body),
//!     Err(WebhookError::MissingSignature)
//! ));
//! # Ok(()) }
//! ```
//!
//! The header is read leniently where that costs nothing: surrounding
//! whitespace is ignored and hex digits may be upper or lower case. Acquire
//! documents no `sha256=` prefix, so none is accepted.

use std::fmt;

use acquire_api::types;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

pub use acquire_api::{
    types::{WebhookChatData, WebhookContactDetails},
    WebhookEventName,
};

/// The header that carries the signature of a webhook request.
pub const SIGNATURE_HEADER: &str = "x-acquire-signature";

/// The length of a signature in hex digits (HMAC-SHA256 is 32 bytes).
pub const SIGNATURE_HEX_DIGITS: usize = 64;

type HmacSha256 = Hmac<Sha256>;

/// The webhook's secret key, as configured in Acquire. It never appears in
/// `Debug` output or in any error; there is no `Display`.
#[derive(Clone)]
pub struct WebhookSecret(Box<[u8]>);

impl WebhookSecret {
    /// Wraps the secret (a `&str`, `String`, `&[u8]` or `Vec<u8>`), used
    /// as the HMAC key exactly as given.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into().into_boxed_slice())
    }

    /// The signature Acquire sends for `body` under this secret: 64
    /// lowercase hex digits. For testing your own webhook endpoint.
    pub fn sign(&self, body: &[u8]) -> String {
        hex::encode(self.mac(body).finalize().into_bytes())
    }

    fn mac(&self, body: &[u8]) -> HmacSha256 {
        // HMAC takes keys of any length (long ones are hashed first), so
        // this constructor has no failing case.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(body);
        mac
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Why a webhook request was refused. No variant carries the secret or the
/// received signature.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `x-acquire-signature` header, or an empty one (only whitespace):
    /// the request is unsigned.
    #[error("the webhook request has no x-acquire-signature header")]
    MissingSignature,
    /// The header is not a hex HMAC-SHA256, so it cannot be checked.
    #[error("the x-acquire-signature header is malformed: {reason}")]
    MalformedSignature {
        /// What is wrong with it.
        reason: SignatureFormatError,
    },
    /// A well-formed signature that does not match the body: a different
    /// secret, or a body altered on the way (or re-encoded before checking:
    /// the signature covers the exact bytes received).
    #[error(
        "the x-acquire-signature header does not match the body \
         (wrong webhook secret, or the body was altered)"
    )]
    SignatureMismatch,
    /// The signature matches but the body is not an event envelope
    /// (`{"event": "<NAME>", "data": {...}}`), or its data does not have the
    /// shape asked for.
    #[error("the webhook payload is not a valid event: {source}")]
    InvalidPayload {
        /// The JSON error, with its line and column.
        #[source]
        source: serde_json::Error,
    },
}

/// What makes an `x-acquire-signature` value malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureFormatError {
    /// A character other than a hex digit (`0-9`, `a-f`, `A-F`).
    NotHex,
    /// Hex digits, but not [`SIGNATURE_HEX_DIGITS`] of them.
    WrongLength {
        /// How many hex digits the header has.
        digits: usize,
    },
}

impl fmt::Display for SignatureFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotHex => f.write_str("it contains characters other than hex digits"),
            Self::WrongLength { digits } => write!(
                f,
                "it has {digits} hex digits where an HMAC-SHA256 has {SIGNATURE_HEX_DIGITS}"
            ),
        }
    }
}

/// Checks that `signature` (the `x-acquire-signature` header, `None` when
/// absent) is the HMAC-SHA256 of `body` under `secret`, in constant time.
///
/// `body` must be the raw bytes received, before any JSON parsing.
pub fn verify(
    secret: &WebhookSecret,
    signature: Option<&str>,
    body: &[u8],
) -> Result<(), WebhookError> {
    let expected = decode_signature(signature)?;
    secret
        .mac(body)
        .verify_slice(&expected)
        .map_err(|_| WebhookError::SignatureMismatch)
}

/// Verifies the signature (see [`verify`]), then parses the body as an
/// [`Event`]. Nothing of an unverified body is parsed.
pub fn parse_event(
    secret: &WebhookSecret,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Event, WebhookError> {
    verify(secret, signature, body)?;
    serde_json::from_slice::<types::WebhookEvent>(body)
        .map(Event)
        .map_err(|source| WebhookError::InvalidPayload { source })
}

/// The 32 bytes a header value stands for, or why it stands for none.
fn decode_signature(signature: Option<&str>) -> Result<[u8; 32], WebhookError> {
    let hex_digits = signature.map(str::trim).unwrap_or_default();
    if hex_digits.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    let malformed = |reason| WebhookError::MalformedSignature { reason };
    if !hex_digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed(SignatureFormatError::NotHex));
    }
    if hex_digits.len() != SIGNATURE_HEX_DIGITS {
        return Err(malformed(SignatureFormatError::WrongLength {
            digits: hex_digits.len(),
        }));
    }
    let mut bytes = [0u8; SIGNATURE_HEX_DIGITS / 2];
    hex::decode_to_slice(hex_digits, &mut bytes)
        .map_err(|_| malformed(SignatureFormatError::NotHex))?;
    Ok(bytes)
}

/// A verified webhook event: its name and its data, both open. An event
/// this version does not know keeps its name (as
/// [`WebhookEventName::Unknown`]) and its data.
#[derive(Clone, Debug, PartialEq)]
pub struct Event(types::WebhookEvent);

impl Event {
    /// The event's name, e.g. [`WebhookEventName::Start`] for `CHAT_ON_START`.
    pub fn name(&self) -> &WebhookEventName {
        &self.0.event
    }

    /// The event's data, as sent.
    pub fn data(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0.data
    }

    /// The data of a chat event (`CHAT_ON_*`) as [`WebhookChatData`];
    /// `Ok(None)` for any other event. Fields not in the schema are kept in
    /// its `extra`.
    pub fn chat_data(&self) -> Result<Option<WebhookChatData>, WebhookError> {
        match self.name() {
            WebhookEventName::Start
            | WebhookEventName::Accept
            | WebhookEventName::Close
            | WebhookEventName::Message => self.data_as().map(Some),
            _ => Ok(None),
        }
    }

    /// The data decoded as `T`, for events whose shape you know.
    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, WebhookError> {
        serde_json::from_value(serde_json::Value::Object(self.0.data.clone()))
            .map_err(|source| WebhookError::InvalidPayload { source })
    }

    /// The envelope as the spec declares it (`WebhookEvent`), including
    /// top-level fields beside `event` and `data`.
    pub fn envelope(&self) -> &types::WebhookEvent {
        &self.0
    }

    /// Gives up the wrapper for the generated envelope.
    pub fn into_envelope(self) -> types::WebhookEvent {
        self.0
    }
}

impl From<Event> for types::WebhookEvent {
    fn from(event: Event) -> Self {
        event.0
    }
}
