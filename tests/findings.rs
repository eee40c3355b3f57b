//! Findings of the property tests: schema-valid values the generated types
//! lose or refuse. Each test states the behaviour the types should have.

use acquire_spec::{SchemaValidator, Strictness};
use acquire_tests::{
    differences, normalise, registry, spec,
    strategies::{draft7_validator, first_failure},
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Findings: schema-valid values the generated types lose or refuse. Each test
// states the behaviour the types should have and fails today; run them with
// `cargo test -p acquire-tests --test findings -- --ignored`.
// ---------------------------------------------------------------------------

/// Decodes `value` as `name` and re-encodes it, or says why not.
fn decode_and_reencode(name: &str, value: &Value) -> Result<Value, String> {
    match registry::decode(name, value) {
        Some(Ok(decoded)) => Ok(decoded.reencoded),
        Some(Err(e)) => Err(format!("{name} refuses {value}: {e}")),
        None => Err(format!("{name} has no decoder")),
    }
}

fn spec_validator(name: &str) -> SchemaValidator {
    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    match spec().validator(&reference, Strictness::AsDeclared) {
        Ok(v) => v,
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
#[ignore = "finding: the request types silently drop members the spec allows"]
fn finding_request_types_drop_undeclared_members() {
    // The spec leaves `additionalProperties` unsaid on request objects, so
    // JSON Schema allows any other member; the generated structs have no
    // catch-all and serde ignores what they do not declare.
    let mut lost = Vec::new();
    for name in [
        "CloseCaseRequest",
        "JoinCaseRequest",
        "RejectCaseRequest",
        "InviteAgentRequest",
        "CreateCaseRequest",
    ] {
        let value = if name == "CreateCaseRequest" {
            json!({ "undeclaredMember": "kept?" })
        } else {
            json!({ "caseId": 1681, "undeclaredMember": "kept?" })
        };
        assert!(
            spec_validator(name).is_valid(&value),
            "{name}: {value} must be valid"
        );
        match decode_and_reencode(name, &value) {
            Ok(again) => {
                let diffs = differences(&normalise(&value), &normalise(&again));
                if !diffs.is_empty() {
                    lost.push(format!("{name}: {}", diffs.join("; ")));
                }
            }
            Err(e) => lost.push(e),
        }
    }
    assert!(lost.is_empty(), "{}", lost.join("\n"));
}

/// Fixed: the schema `CloseCaseResult` derives (schemars) says, as the
/// spec does, that each positional entry is a `ClosedCase`
/// (`crates/acquire-api/build/schemas.rs`), so it refuses what the type
/// refuses and accepts the documented result.
#[test]
fn the_derived_schema_of_close_case_result_types_its_positional_entries() {
    let schema = registry::schema("CloseCaseResult").unwrap_or(Value::Null);
    let validator = match draft7_validator(&schema) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    let refused = json!({ "userId": 25, "x": 1 });
    assert!(decode_and_reencode("CloseCaseResult", &refused).is_err());
    assert!(!validator.is_valid(&refused), "{schema}");
    let closed = json!({ "userId": 25, "userType": "user", "0": { "foreverClosed": true } });
    assert!(decode_and_reencode("CloseCaseResult", &closed).is_ok());
    assert!(validator.is_valid(&closed), "{schema}");
}

/// Fixed: a timestamp keeps the offset it was written with
/// (`DateTime<FixedOffset>`), so one near year 0000 or 9999 re-encodes as
/// written instead of moving out of RFC 3339's four-digit years in UTC.
#[test]
fn timestamps_at_the_ends_of_the_range_re_encode_as_written() {
    for stamp in [
        "0000-01-01T00:30:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2021-03-24T10:43:03.000Z",
    ] {
        let value = json!({ "id": 1, "dateCreated": stamp });
        assert_eq!(first_failure(&spec_validator("Case"), &value), Ok(()));
        let again = match decode_and_reencode("Case", &value) {
            Ok(again) => again,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            first_failure(&spec_validator("Case"), &again),
            Ok(()),
            "{stamp} re-encodes as {again}"
        );
        assert!(
            differences(&normalise(&value), &normalise(&again)).is_empty(),
            "{again}"
        );
    }
}

/// Decided: OpenAPI 3.0 takes `integer` from JSON Schema Wright-00, where
/// an integer is a number without fraction or exponent (`1.0` is not one),
/// and `format: int64` is signed 64 bits. The spec's validators
/// (`acquire_spec::INTEGER`) and the generated types (`i64`) agree on it:
/// both refuse `1.0`, `1e3` and 2^63, both take the ends of `i64`.
#[test]
fn integers_are_openapi_integers_for_the_validators_and_the_types() {
    for id in ["1.0", "1e3", "9223372036854775808", "-9223372036854775809"] {
        let value: Value =
            serde_json::from_str(&format!(r#"{{"id": {id}}}"#)).unwrap_or_else(|e| panic!("{e}"));
        let why = first_failure(&spec_validator("Case"), &value);
        assert!(
            why.as_ref()
                .is_err_and(|w| w.contains("not an OpenAPI 3.0 integer")),
            "{value}: {why:?}"
        );
        assert!(decode_and_reencode("Case", &value).is_err(), "{value}");
    }
    for id in [i64::MIN, -1, 0, i64::MAX] {
        let value = json!({ "id": id });
        assert_eq!(first_failure(&spec_validator("Case"), &value), Ok(()));
        assert_eq!(decode_and_reencode("Case", &value), Ok(value));
    }
}
