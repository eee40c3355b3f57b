//! Layers 1 and 3 of the test plan, table-driven over every example the spec
//! references: each validates against its schema, decodes into its generated
//! type with no drift found in it, survives a normalised round-trip with no
//! field lost, and its typed value is snapshotted.

use acquire_spec::{ExampleKind, Strictness};
use acquire_tests::{differences, examples, normalise, registry, spec};

#[test]
fn every_example_file_is_referenced_by_the_spec() {
    let referenced: std::collections::BTreeSet<_> =
        examples().into_iter().filter_map(|e| e.file).collect();
    let on_disk = match spec().example_files_on_disk() {
        Ok(files) => files,
        Err(e) => panic!("{e}"),
    };
    let missing: Vec<_> = referenced.difference(&on_disk).collect();
    let orphans: Vec<_> = on_disk.difference(&referenced).collect();
    assert!(missing.is_empty(), "referenced but missing: {missing:#?}");
    assert!(
        orphans.is_empty(),
        "example files no operation references: {orphans:#?}"
    );
}

#[test]
fn every_operation_has_request_and_success_examples() {
    let all = examples();
    let mut problems = Vec::new();
    for op in spec().operations() {
        let id = op.operation_id.clone().unwrap_or_default();
        let has = |kind: &ExampleKind| {
            all.iter()
                .any(|e| e.operation_id.as_deref() == Some(id.as_str()) && &e.kind == kind)
        };
        if op.value.get("requestBody").is_some() && !has(&ExampleKind::Request) {
            problems.push(format!("{id}: request body without example"));
        }
        let success = ExampleKind::Response {
            status: "200".into(),
        };
        if !has(&success) {
            problems.push(format!("{id}: no 200 example"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_example_validates_against_its_schema() {
    let all = examples();
    assert!(
        all.len() >= 14,
        "expected the seed and error examples, found {}",
        all.len()
    );
    let mut failures = Vec::new();
    for example in &all {
        let value = match example.load() {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: {e}", example.id()));
                continue;
            }
        };
        // As declared, and with only declared fields: a documented example
        // must not rely on a field the spec forgot.
        for strictness in [Strictness::AsDeclared, Strictness::DeclaredOnly] {
            let validator = match spec().validator(&example.schema, strictness) {
                Ok(v) => v,
                Err(e) => panic!("{}: {e}", example.id()),
            };
            for failure in validator.failures(&value) {
                failures.push(format!("{} ({strictness:?}) {failure}", example.id()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_decodes_round_trips_and_is_snapshotted() {
    let mut failures = Vec::new();
    for example in examples() {
        let id = example.id();
        let Some(name) = example.schema_name() else {
            failures.push(format!("{id}: schema is not a $ref to a component"));
            continue;
        };
        let value = match example.load() {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        let decoded = match registry::decode(name, &value) {
            None => {
                failures.push(format!("{id}: no decoder registered for {name}"));
                continue;
            }
            Some(Err(e)) => {
                failures.push(format!("{id}: does not decode as {name}: {e}"));
                continue;
            }
            Some(Ok(decoded)) => decoded,
        };
        // The drift visitor agrees with the spec: a documented example
        // holds nothing undeclared.
        for finding in &decoded.drift {
            failures.push(format!(
                "{id}: drift found in a documented example: {finding}"
            ));
        }
        let lost = differences(&normalise(&value), &normalise(&decoded.reencoded));
        if !lost.is_empty() {
            failures.push(format!(
                "{id}: round-trip changed:\n  {}",
                lost.join("\n  ")
            ));
        }
        insta::assert_snapshot!(format!("typed__{id}"), decoded.debug);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn normalisation_only_forgives_what_it_documents() {
    use serde_json::json;
    let original =
        json!({"a": null, "b": [], "f": {}, "c": "2021-03-24T10:31:24.000Z", "d": 1, "e": ""});
    let reencoded = json!({"c": "2021-03-24T10:31:24Z", "d": 1, "e": ""});
    assert!(differences(&normalise(&original), &normalise(&reencoded)).is_empty());
    // A lost value, a changed number or an emptied string is still caught.
    for broken in [
        json!({"c": "2021-03-24T10:31:24Z", "e": ""}),
        json!({"c": "2021-03-24T10:31:24Z", "d": 2, "e": ""}),
        json!({"c": "2021-03-24T10:31:25Z", "d": 1, "e": ""}),
        json!({"c": "2021-03-24T10:31:24Z", "d": 1}),
    ] {
        assert!(
            !differences(&normalise(&original), &normalise(&broken)).is_empty(),
            "{broken} should differ"
        );
    }
}

#[test]
fn normalising_twice_changes_nothing() {
    use serde_json::json;
    // A member holding only absent members is itself absent, in one pass.
    let nested = json!({"a": {"b": null, "c": []}, "d": [{"e": {}}], "f": 1});
    let once = normalise(&nested);
    assert_eq!(once, json!({"d": [{}], "f": 1}));
    assert_eq!(normalise(&once), once);
    assert_eq!(
        normalise(&json!({"a": {}})),
        normalise(&json!({"a": {"b": null}}))
    );
}
