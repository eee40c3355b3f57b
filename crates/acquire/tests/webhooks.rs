//! Webhook signatures and events.
//!
//! The fixed vectors were computed outside this crate, with Python's
//! standard library:
//!
//! ```text
//! python3 -c 'import hmac,hashlib; print(hmac.new(SECRET, BODY, hashlib.sha256).hexdigest())'
//! ```
//!
//! and the first one is also RFC 4231's test case 2.

use acquire::webhook::{
    self, Event, SignatureFormatError, WebhookError, WebhookEventName, WebhookSecret,
    SIGNATURE_HEADER,
};

/// RFC 4231, test case 2: key "Jefe".
const RFC_KEY: &str = "Jefe";
const RFC_DATA: &[u8] = b"what do ya want for nothing?";
const RFC_SIGNATURE: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

/// A chat event as the older reference describes it.
const SECRET: &str = "acq-webhook-secret-7f3e91";
const BODY: &[u8] = br#"{"event":"CHAT_ON_START","data":{"id":"1684","status":"queue","date_created":"2021-03-24 10:44:30","department_id":"3","details":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+44 20 7946 0000"}}}"#;
const SIGNATURE: &str = "44bba4c9779a769d5ee7f5cc7d83c95d4d30b82f9069dd0d595aa7b9fe60ce07";

fn secret() -> WebhookSecret {
    WebhookSecret::new(SECRET)
}

fn verify(signature: Option<&str>, body: &[u8]) -> Result<(), WebhookError> {
    webhook::verify(&secret(), signature, body)
}

// ----- Signatures -----

#[test]
fn fixed_vectors_verify() {
    assert!(webhook::verify(&WebhookSecret::new(RFC_KEY), Some(RFC_SIGNATURE), RFC_DATA).is_ok());
    assert!(verify(Some(SIGNATURE), BODY).is_ok());
}

#[test]
fn signing_matches_the_fixed_vectors() {
    assert_eq!(WebhookSecret::new(RFC_KEY).sign(RFC_DATA), RFC_SIGNATURE);
    assert_eq!(secret().sign(BODY), SIGNATURE);
}

#[test]
fn the_secret_may_be_given_as_bytes() {
    let secret = WebhookSecret::new(SECRET.as_bytes().to_vec());
    assert!(webhook::verify(&secret, Some(SIGNATURE), BODY).is_ok());
}

#[test]
fn upper_case_hex_and_surrounding_whitespace_are_accepted() {
    let upper = SIGNATURE.to_ascii_uppercase();
    assert!(verify(Some(&upper), BODY).is_ok());
    assert!(verify(Some(&format!("  {SIGNATURE}\t\r\n")), BODY).is_ok());
    let mixed: String = SIGNATURE
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    assert!(verify(Some(&mixed), BODY).is_ok());
}

#[test]
fn a_tampered_body_is_a_mismatch() {
    let tampered = String::from_utf8_lossy(BODY).replace("1684", "1685");
    assert!(matches!(
        verify(Some(SIGNATURE), tampered.as_bytes()),
        Err(WebhookError::SignatureMismatch)
    ));
    // One byte more (a trailing newline) is already a different body.
    let mut longer = BODY.to_vec();
    longer.push(b'\n');
    assert!(matches!(
        verify(Some(SIGNATURE), &longer),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn a_wrong_secret_is_a_mismatch() {
    let other = WebhookSecret::new("acq-webhook-secret-7f3e92");
    assert!(matches!(
        webhook::verify(&other, Some(SIGNATURE), BODY),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn a_signature_off_by_one_digit_is_a_mismatch() {
    let mut flipped = SIGNATURE.to_owned();
    flipped.replace_range(63..64, "8"); // ...07 -> ...08
    assert!(matches!(
        verify(Some(&flipped), BODY),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn bad_hex_is_malformed() {
    let mut bad = SIGNATURE.to_owned();
    bad.replace_range(10..11, "g");
    for signature in [
        bad.as_str(),
        "not a signature at all",
        // Acquire documents no prefix: it is not stripped.
        &format!("sha256={SIGNATURE}"),
        // Whitespace inside is not whitespace around.
        &format!("{} {}", &SIGNATURE[..32], &SIGNATURE[32..]),
        // Non-ASCII.
        &format!("{}é", &SIGNATURE[..62]),
    ] {
        assert!(
            matches!(
                verify(Some(signature), BODY),
                Err(WebhookError::MalformedSignature {
                    reason: SignatureFormatError::NotHex
                })
            ),
            "{signature:?}: {:?}",
            verify(Some(signature), BODY)
        );
    }
}

#[test]
fn odd_length_hex_is_malformed() {
    assert!(matches!(
        verify(Some(&SIGNATURE[..63]), BODY),
        Err(WebhookError::MalformedSignature {
            reason: SignatureFormatError::WrongLength { digits: 63 }
        })
    ));
}

#[test]
fn hex_of_the_wrong_length_is_malformed() {
    // A SHA-1 sized signature, a truncated one, a doubled one.
    for (signature, digits) in [
        ("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3".to_owned(), 40),
        (SIGNATURE[..62].to_owned(), 62),
        (SIGNATURE.repeat(2), 128),
    ] {
        let outcome = verify(Some(&signature), BODY);
        assert!(
            matches!(
                outcome,
                Err(WebhookError::MalformedSignature {
                    reason: SignatureFormatError::WrongLength { digits: d }
                }) if d == digits
            ),
            "{signature}: {outcome:?}"
        );
    }
}

#[test]
fn an_empty_header_is_a_missing_signature() {
    for signature in ["", "   ", "\t\r\n"] {
        assert!(
            matches!(
                verify(Some(signature), BODY),
                Err(WebhookError::MissingSignature)
            ),
            "{signature:?}"
        );
    }
}

#[test]
fn a_missing_header_is_a_missing_signature() {
    assert!(matches!(
        verify(None, BODY),
        Err(WebhookError::MissingSignature)
    ));
    assert!(matches!(
        webhook::parse_event(&secret(), None, BODY),
        Err(WebhookError::MissingSignature)
    ));
}

#[test]
fn the_header_name_is_the_documented_one() {
    assert_eq!(SIGNATURE_HEADER, "x-acquire-signature");
}

// ----- Events -----

fn signed_event(body: &[u8]) -> Result<Event, WebhookError> {
    let signature = secret().sign(body);
    webhook::parse_event(&secret(), Some(&signature), body)
}

#[test]
fn the_fixed_chat_event_parses_with_its_chat_data() {
    let event = webhook::parse_event(&secret(), Some(SIGNATURE), BODY).expect("a valid event");
    assert_eq!(event.name(), &WebhookEventName::Start);
    assert_eq!(event.name().as_str(), "CHAT_ON_START");
    let chat = event
        .chat_data()
        .expect("chat data decodes")
        .expect("a chat event");
    assert_eq!(chat.id.as_deref(), Some("1684"));
    assert_eq!(chat.status.as_deref(), Some("queue"));
    assert_eq!(chat.date_created.as_deref(), Some("2021-03-24 10:44:30"));
    let details = chat.details.expect("contact details");
    assert_eq!(details.email.as_deref(), Some("ada@example.com"));
}

#[test]
fn a_tampered_event_is_not_parsed() {
    let tampered = String::from_utf8_lossy(BODY).replace("queue", "closed");
    assert!(matches!(
        webhook::parse_event(&secret(), Some(SIGNATURE), tampered.as_bytes()),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn an_unknown_event_parses_and_keeps_its_name_and_data() {
    let body = br#"{"event":"CASE_STATUS_ACTIVE","data":{"caseId":1684,"agent":{"id":7}},"sentAt":"2025-01-02T03:04:05Z"}"#;
    let event = signed_event(body).expect("unknown events parse");
    assert_eq!(
        event.name(),
        &WebhookEventName::Unknown("CASE_STATUS_ACTIVE".into())
    );
    assert!(event.name().is_unknown());
    assert_eq!(event.name().to_string(), "CASE_STATUS_ACTIVE");
    assert_eq!(event.data()["caseId"], serde_json::json!(1684));
    assert_eq!(event.data()["agent"]["id"], serde_json::json!(7));
    assert_eq!(
        event.envelope().unknown.get("sentAt"),
        Some(&serde_json::json!("2025-01-02T03:04:05Z"))
    );
    assert!(
        event.chat_data().expect("not decoded").is_none(),
        "an unknown event is not taken for a chat event"
    );

    #[derive(serde::Deserialize)]
    struct StatusChange {
        #[serde(rename = "caseId")]
        case_id: u64,
    }
    let typed: StatusChange = event.data_as().expect("the caller's own shape");
    assert_eq!(typed.case_id, 1684);
}

#[test]
fn every_known_chat_event_name_is_recognised() {
    for (name, expected) in [
        ("CHAT_ON_START", WebhookEventName::Start),
        ("CHAT_ON_ACCEPT", WebhookEventName::Accept),
        ("CHAT_ON_CLOSE", WebhookEventName::Close),
        ("CHAT_ON_MESSAGE", WebhookEventName::Message),
    ] {
        let body = format!(r#"{{"event":"{name}","data":{{"id":"9","message":{{"text":"hi"}}}}}}"#);
        let event = signed_event(body.as_bytes()).expect(name);
        assert_eq!(event.name(), &expected);
        assert!(event.chat_data().expect(name).is_some(), "{name}");
    }
}

#[test]
fn invalid_json_with_a_valid_signature_is_an_invalid_payload() {
    for body in [
        &b"{\"event\":\"CHAT_ON_START\",\"data\":"[..],
        b"not json",
        b"",
        // JSON, but not an envelope.
        b"[]",
        br#"{"data":{}}"#,
        br#"{"event":"CHAT_ON_START"}"#,
        br#"{"event":"CHAT_ON_START","data":[1,2]}"#,
        br#"{"event":42,"data":{}}"#,
    ] {
        let outcome = signed_event(body);
        assert!(
            matches!(outcome, Err(WebhookError::InvalidPayload { .. })),
            "{:?}: {outcome:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn chat_data_of_the_wrong_shape_is_an_invalid_payload() {
    // The chat schema says `id` is a string.
    let event = signed_event(br#"{"event":"CHAT_ON_CLOSE","data":{"id":1684}}"#)
        .expect("the envelope itself is fine");
    assert!(matches!(
        event.chat_data(),
        Err(WebhookError::InvalidPayload { .. })
    ));
}

// ----- The secret stays secret -----

#[test]
fn the_secret_never_shows_in_debug_or_errors() {
    let secret = secret();
    let shown = format!("{secret:?} {secret:#?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");

    let tampered = String::from_utf8_lossy(BODY).replace("1684", "1685");
    let errors = [
        webhook::verify(&secret, None, BODY),
        webhook::verify(&secret, Some("zz"), BODY),
        webhook::verify(&secret, Some(&SIGNATURE[..40]), BODY),
        webhook::verify(&secret, Some(SIGNATURE), tampered.as_bytes()),
        signed_event(b"{").map(|_| ()),
    ];
    for error in errors {
        let error = error.expect_err("each of these fails");
        let shown = format!("{error:?} {error:#?} {error}");
        assert!(!shown.contains(SECRET), "{shown}");
        // Nor any hint of the expected signature.
        assert!(!shown.contains(SIGNATURE), "{shown}");
    }
}

#[test]
fn errors_say_what_is_wrong() {
    let message = |r: Result<(), WebhookError>| r.map_err(|e| e.to_string()).err();
    assert_eq!(
        message(verify(None, BODY)).as_deref(),
        Some("the webhook request has no x-acquire-signature header")
    );
    assert_eq!(
        message(verify(Some(&SIGNATURE[..63]), BODY)).as_deref(),
        Some(
            "the x-acquire-signature header is malformed: \
             it has 63 hex digits where an HMAC-SHA256 has 64"
        )
    );
    assert_eq!(
        message(verify(Some("xyz"), BODY)).as_deref(),
        Some(
            "the x-acquire-signature header is malformed: \
             it contains characters other than hex digits"
        )
    );
}
