//! Round-trips over random valid payloads: for every generated type, random
//! values are drawn from its JSON Schema (the one `schemars` derives, and
//! the spec's component schema of the same name). Each must validate
//! against that schema, decode into the type, and re-encode equal to the
//! original under [`acquire_tests::normalise`].
//!
//! `ACQUIRE_PROP_SEED` picks the seed, `ACQUIRE_PROP_CASES` the number of
//! cases per type (default 128). A failure prints the seed, the type and
//! the (shrunk) offending value.

use std::time::Instant;

use acquire_spec::{openapi_to_json_schema, Strictness};
use acquire_tests::{
    differences, normalise, registry, spec,
    strategies::{count, draft7_validator, first_failure, runner, seed, GenOptions, SchemaGen},
};
use proptest::test_runner::{TestCaseError, TestError};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Round-trips.
// ---------------------------------------------------------------------------

/// Where a type's schema came from.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// `schemars::schema_for!` of the generated type (draft-07).
    Schemars,
    /// The spec's `components/schemas/<name>` (OpenAPI 3.0, converted).
    Spec,
}

/// One property failure, ready to print.
fn describe_failure(seed: u64, what: &str, error: TestError<Value>) -> String {
    match error {
        TestError::Fail(reason, value) => format!(
            "{what}, seed {seed:#x}: {reason}\n  minimal value: {value}\n  \
             reproduce: ACQUIRE_PROP_SEED={seed:#x} cargo test -p acquire-tests --test round_trips"
        ),
        TestError::Abort(reason) => format!("{what}, seed {seed:#x}: aborted: {reason}"),
    }
}

/// Checks one value of `name`: valid, decodes, re-encodes equal (normalised)
/// and the re-encoded value is valid too.
fn round_trip(
    name: &str,
    value: &Value,
    is_valid: &dyn Fn(&Value) -> Result<(), String>,
) -> Result<(), TestCaseError> {
    is_valid(value).map_err(|why| {
        TestCaseError::fail(format!("the generator made an invalid value: {why}"))
    })?;
    let decoded = match registry::decode(name, value) {
        Some(Ok(decoded)) => decoded,
        Some(Err(e)) => {
            return Err(TestCaseError::fail(format!(
                "a schema-valid value does not decode: {e}"
            )))
        }
        None => return Err(TestCaseError::fail("no decoder registered")),
    };
    let diffs = differences(&normalise(value), &normalise(&decoded.reencoded));
    if !diffs.is_empty() {
        return Err(TestCaseError::fail(format!(
            "the round-trip loses or changes data: {}\n  re-encoded: {}",
            diffs.join("; "),
            decoded.reencoded
        )));
    }
    is_valid(&decoded.reencoded).map_err(|why| {
        TestCaseError::fail(format!(
            "the re-encoded value is not valid: {why}\n  re-encoded: {}",
            decoded.reencoded
        ))
    })
}

/// Says whether a value is valid, or why not.
type Check = Box<dyn Fn(&Value) -> Result<(), String>>;

/// Runs the round-trip property for every registered type from `source`'s
/// schema; returns the failures and the number of values checked.
fn round_trips(source: Source) -> (Vec<String>, u64) {
    let seed = seed();
    let cases = count("ACQUIRE_PROP_CASES", 128);
    let mut failures = Vec::new();
    let mut checked = 0u64;
    let started = Instant::now();
    let spec_root = json!({
        "components": openapi_to_json_schema(
            spec().document().get("components").unwrap_or(&Value::Null),
            Strictness::AsDeclared,
        )
    });
    for name in registry::NAMES {
        let label = format!("{source:?} schema of {name}");
        let (schema, root, validator): (Value, Value, Check) = match source {
            Source::Schemars => {
                let Some(schema) = registry::schema(name) else {
                    failures.push(format!("{label}: not registered"));
                    continue;
                };
                let validator = match draft7_validator(&schema) {
                    Ok(v) => v,
                    Err(e) => {
                        failures.push(format!("{label}: {e}"));
                        continue;
                    }
                };
                let check = move |v: &Value| match validator.iter_errors(v).next() {
                    None => Ok(()),
                    Some(e) => Err(format!("at `{}`: {e}", e.instance_path())),
                };
                (schema.clone(), schema, Box::new(check))
            }
            Source::Spec => {
                let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
                let validator = match spec().validator(&reference, Strictness::AsDeclared) {
                    Ok(v) => v,
                    Err(e) => {
                        failures.push(format!("{label}: {e}"));
                        continue;
                    }
                };
                let check = move |v: &Value| first_failure(&validator, v);
                (reference, spec_root.clone(), Box::new(check))
            }
        };
        let generator = SchemaGen {
            root: &root,
            options: GenOptions {
                // The request types leave `additionalProperties` unsaid; their
                // generated structs drop undeclared members on decode. See
                // `finding_request_types_drop_undeclared_members`.
                undeclared_when_absent: false,
                known_ids: false,
            },
        };
        let strategy = match generator.strategy(&schema, 0) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{label}: {e}"));
                continue;
            }
        };
        let mut runner = runner(seed, &label, cases);
        let result = runner.run(&strategy, |value| round_trip(name, &value, &*validator));
        checked += u64::from(cases);
        if let Err(e) = result {
            failures.push(describe_failure(seed, &label, e));
        }
    }
    eprintln!(
        "{source:?} schemas: {} types x {cases} cases, seed {seed:#x}, {:.1} s",
        registry::NAMES.len(),
        started.elapsed().as_secs_f64()
    );
    (failures, checked)
}

#[test]
fn random_values_of_each_derived_schema_round_trip() {
    let (failures, checked) = round_trips(Source::Schemars);
    assert!(checked > 0, "no value was checked");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn random_values_of_each_spec_schema_round_trip() {
    let (failures, checked) = round_trips(Source::Spec);
    assert!(checked > 0, "no value was checked");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
