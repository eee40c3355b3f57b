//! Webhook verification (`acquire::webhook`) on any body, secret and header.
//!
//! Input: `secret 0xFF header 0xFF body`, or the body alone when the input
//! has fewer than two `0xFF` bytes (so the spec's JSON examples are seeds as
//! they are: `0xFF` never occurs in UTF-8). Nothing may panic, and:
//!
//! - the right signature is accepted (lower case, upper case, padded with
//!   whitespace), and `parse_event` then succeeds exactly when the body is a
//!   `WebhookEvent`;
//! - a missing, malformed, one-digit-off or other-body signature is refused
//!   with the matching error, and nothing of the body is parsed;
//! - the fuzzed header is accepted only when it is the right signature;
//! - neither the secret nor the signature shows in `Debug` or in an error.

#![no_main]

use acquire::webhook::{self, SignatureFormatError, WebhookError, WebhookSecret};
use acquire_api::types::WebhookEvent;
use libfuzzer_sys::fuzz_target;

const DEFAULT_SECRET: &[u8] = b"fuzz-webhook-secret";

fn split(data: &[u8]) -> (&[u8], Option<&[u8]>, &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0xFF);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(secret), Some(header), Some(body)) => (secret, Some(header), body),
        _ => (DEFAULT_SECRET, None, data),
    }
}

/// The refusal of `header` for `body`: its error, whose text must not
/// depend on the secret (the same text under another secret) nor show the
/// header.
fn refused(secret: &WebhookSecret, header: Option<&str>, body: &[u8], what: &str) -> WebhookError {
    let text = |e: &WebhookError| format!("{e} | {e:?}");
    let e = match webhook::verify(secret, header, body) {
        Ok(()) => panic!("{what} was accepted"),
        Err(e) => e,
    };
    let other = WebhookSecret::new(OTHER_SECRET);
    if let Err(again) = webhook::verify(&other, header, body) {
        assert_eq!(
            text(&e),
            text(&again),
            "{what}: the error depends on the secret"
        );
    }
    if let Some(header) = header.map(str::trim).filter(|h| h.len() >= 8) {
        assert!(
            !text(&e).contains(header),
            "{what}: the error shows the header: {}",
            text(&e)
        );
    }
    e
}

const OTHER_SECRET: &[u8] = b"another secret";

fuzz_target!(|data: &[u8]| {
    let (secret_bytes, header, body) = split(data);
    let secret = WebhookSecret::new(secret_bytes);
    let good = secret.sign(body);
    assert_eq!(good.len(), webhook::SIGNATURE_HEX_DIGITS);
    assert_eq!(
        format!("{secret:?}"),
        format!("{:?}", WebhookSecret::new(OTHER_SECRET)),
        "the secret shows in Debug"
    );

    // The right signature, as Acquire sends it and in lenient spellings.
    for spelling in [
        good.clone(),
        good.to_ascii_uppercase(),
        format!(" \t{good}\n"),
    ] {
        if let Err(e) = webhook::verify(&secret, Some(&spelling), body) {
            panic!("the right signature ({spelling:?}) was refused: {e}");
        }
    }
    let typed = serde_json::from_slice::<WebhookEvent>(body);
    match webhook::parse_event(&secret, Some(&good), body) {
        Ok(event) => {
            match &typed {
                Ok(envelope) => assert_eq!(
                    event.envelope(),
                    envelope,
                    "parse_event and the type disagree"
                ),
                Err(e) => panic!("parse_event accepted a body the type refuses: {e}"),
            }
            // Whatever the data, reading it never panics.
            let _ = event.chat_data();
            let _ = event.data_as::<serde_json::Value>();
        }
        Err(WebhookError::InvalidPayload { source }) => {
            assert!(
                typed.is_err(),
                "parse_event refused a valid event: {source}"
            );
        }
        Err(e) => panic!("a correctly signed body was refused: {e}"),
    }

    // No header, or only whitespace.
    for missing in [None, Some(""), Some(" \t ")] {
        let e = refused(&secret, missing, body, "a missing signature");
        assert!(
            matches!(e, WebhookError::MissingSignature),
            "{missing:?}: {e:?}"
        );
    }
    // One hex digit off, anywhere.
    let at = body.len() % good.len();
    let mut off = good.clone().into_bytes();
    off[at] = if off[at] == b'0' { b'1' } else { b'0' };
    let off = String::from_utf8(off).unwrap_or_default();
    let e = refused(&secret, Some(&off), body, "a signature one digit off");
    assert!(matches!(e, WebhookError::SignatureMismatch), "{e:?}");
    // Too short, too long, not hex.
    let short = &good[..good.len() - 1];
    let e = refused(&secret, Some(short), body, "a short signature");
    assert!(
        matches!(
            e,
            WebhookError::MalformedSignature {
                reason: SignatureFormatError::WrongLength { digits: 63 }
            }
        ),
        "{e:?}"
    );
    let long = format!("{good}0");
    let e = refused(&secret, Some(&long), body, "a long signature");
    assert!(
        matches!(e, WebhookError::MalformedSignature { .. }),
        "{e:?}"
    );
    let not_hex = format!("{}g", &good[1..]);
    let e = refused(&secret, Some(&not_hex), body, "a non-hex signature");
    assert!(
        matches!(
            e,
            WebhookError::MalformedSignature {
                reason: SignatureFormatError::NotHex
            }
        ),
        "{e:?}"
    );
    // The signature of another body (one bit flipped, or one byte more).
    let mut other = body.to_vec();
    match other.get_mut(at % body.len().max(1)) {
        Some(byte) => *byte ^= 1,
        None => other.push(b' '),
    }
    let e = refused(&secret, Some(&good), &other, "another body's signature");
    assert!(matches!(e, WebhookError::SignatureMismatch), "{e:?}");
    assert!(
        webhook::parse_event(&secret, Some(&good), &other).is_err(),
        "parse_event accepted another body"
    );
    // The fuzzed header: accepted exactly when it spells the right signature.
    if let Some(header) = header {
        let header = String::from_utf8_lossy(header);
        let right = header.trim().eq_ignore_ascii_case(&good);
        match webhook::verify(&secret, Some(&header), body) {
            Ok(()) => assert!(right, "a wrong header was accepted: {header:?}"),
            Err(e) => assert!(!right, "the right signature was refused: {e}"),
        }
    }
});
