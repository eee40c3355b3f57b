//! Findings of the property tests: schema-valid values the generated types
//! lose or refuse. Each test states the behaviour the types should have.

use std::collections::BTreeSet;

use acquire_spec::{ExampleKind, SchemaValidator, Strictness};
use acquire_tests::{
    differences, normalise, registry, spec,
    strategies::{draft7_validator, first_failure},
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Findings: schema-valid values the generated types once lost or refused.
// Each test states the behaviour the types have now that it is decided.
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

/// Fixed: every request body schema says `additionalProperties: {}`, so
/// each generated request type keeps the members the spec does not declare
/// (`unknown`) and sends them (the `acquire` builders' `extra_member`). A
/// member Acquire adds before the spec knows it survives a decode and
/// re-encode of every request example.
#[test]
fn request_types_keep_members_the_spec_does_not_declare() {
    let examples = match spec().examples() {
        Ok(examples) => examples,
        Err(e) => panic!("{e}"),
    };
    let mut lost = Vec::new();
    let mut checked = BTreeSet::new();
    for example in examples.iter().filter(|e| e.kind == ExampleKind::Request) {
        let Some(name) = example.schema_name() else {
            continue;
        };
        let mut value = match example.load() {
            Ok(value) => value,
            Err(e) => panic!("{}: {e}", example.id()),
        };
        let Some(members) = value.as_object_mut() else {
            panic!("{}: not an object", example.id())
        };
        members.insert("undeclaredMember".into(), json!({ "kept": [1, "two"] }));
        assert!(
            spec_validator(name).is_valid(&value),
            "{}: {value} must be valid",
            example.id()
        );
        match decode_and_reencode(name, &value) {
            Ok(again) => {
                let diffs = differences(&normalise(&value), &normalise(&again));
                if !diffs.is_empty() {
                    lost.push(format!("{}: {}", example.id(), diffs.join("; ")));
                }
            }
            Err(e) => lost.push(e),
        }
        checked.insert(name.to_owned());
    }
    assert!(lost.is_empty(), "{}", lost.join("\n"));
    // Every request body schema of the spec was checked.
    let bodies: BTreeSet<String> = spec()
        .operations()
        .iter()
        .filter_map(|op| {
            op.value
                .pointer("/requestBody/content/application~1json/schema/$ref")
        })
        .filter_map(Value::as_str)
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect();
    assert_eq!(checked, bodies);
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
