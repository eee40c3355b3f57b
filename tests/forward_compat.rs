//! Acquire may add enum values and fields at any time: a payload full of
//! values and fields this version does not know must decode, keep every
//! unknown value, and re-encode unchanged.

use acquire_api::{types::CaseEnvelope, CaseStatus, CaseUserStatus, Channel, MessageType, YesNo};
use acquire_spec::Strictness;
use acquire_tests::{differences, fixture, normalise, spec};
use serde_json::json;

const FILE: &str = "forward-compat/case-with-new-values.json";

#[test]
fn unknown_values_and_fields_decode_and_are_kept() {
    let raw = fixture(FILE);
    let envelope: CaseEnvelope = match serde_json::from_value(raw.clone()) {
        Ok(e) => e,
        Err(e) => panic!("a payload with new values must decode: {e}"),
    };
    let case = &envelope.data;
    assert_eq!(case.status, Some(CaseStatus::Unknown("snoozed".into())));
    assert_eq!(case.channel, Some(Channel::Unknown("whatsapp".into())));
    assert_eq!(case.unknown.get("priority"), Some(&json!("high")));
    assert_eq!(envelope.unknown.get("requestId"), Some(&json!("req-123")));
    let user = &case.users[0];
    assert_eq!(
        user.status,
        Some(CaseUserStatus::Unknown("transferred".into()))
    );
    assert_eq!(
        user.unknown.get("handoffReason"),
        Some(&json!("out of hours"))
    );
    let message = case.last_message.as_ref().map(|m| (&m.kind, &m.seen));
    assert_eq!(
        message,
        Some((
            &Some(MessageType::Unknown("reaction".into())),
            &Some(YesNo::Unknown("delivered".into()))
        ))
    );

    let reencoded = match serde_json::to_value(&envelope) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    let changed = differences(&normalise(&raw), &normalise(&reencoded));
    assert!(changed.is_empty(), "re-encoding changed: {changed:#?}");
}

#[test]
fn the_spec_accepts_new_fields_and_values_but_strict_mode_notices_them() {
    let raw = fixture(FILE);
    let schema = json!({"$ref": "#/components/schemas/CaseEnvelope"});
    let declared = match spec().validator(&schema, Strictness::AsDeclared) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    let failures = declared.failures(&raw);
    assert!(
        failures.is_empty(),
        "the spec must stay open: {failures:#?}"
    );
    let strict = match spec().validator(&schema, Strictness::DeclaredOnly) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    assert!(
        !strict.is_valid(&raw),
        "strict mode must reject undeclared fields, or the example test proves nothing"
    );
}

#[test]
fn known_values_map_to_variants_and_back() {
    assert_eq!(CaseStatus::from("pending"), CaseStatus::Pending);
    assert_eq!(CaseStatus::Pending.to_string(), "pending");
    assert!(CaseStatus::from("snoozed").is_unknown());
    for value in CaseStatus::KNOWN {
        assert_eq!(CaseStatus::from(*value).as_str(), *value);
        assert!(!CaseStatus::from(*value).is_unknown());
    }
}
