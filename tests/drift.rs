//! Drift detection over typed values (`acquire_api::drift`): what a decoded
//! response holds that the spec does not declare, located by a JSON pointer
//! with `*` for array elements and map entries, without member values.

use acquire_api::{
    drift::{findings, DriftKind, Finding},
    types,
};
use acquire_tests::spec;
use serde_json::{json, Value};

/// The documented join example (`join_case`, 200).
fn join_example() -> Value {
    match spec().example_value("join_case.response.200.join") {
        Ok(value) => value,
        Err(e) => panic!("{e}"),
    }
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(typed) => typed,
        Err(e) => panic!("{e}"),
    }
}

fn undeclared(pointer: &str) -> Finding {
    Finding {
        pointer: pointer.to_owned(),
        kind: DriftKind::UndeclaredMember,
    }
}

#[test]
fn the_documented_example_has_no_drift() {
    let case: types::CaseEnvelope = decode(join_example());
    assert_eq!(findings(&case), []);
}

#[test]
fn added_members_and_unknown_values_are_found_where_they_are() {
    let mut value = join_example();
    value["data"]["users"][0]["priority"] = json!(3);
    value["data"]["users"][1]["priority"] = json!(5);
    value["data"]["users"][0]["user"]["loyalty"] = json!({"tier": "gold"});
    value["data"]["status"] = json!("snoozed");
    value["data"]["a/b~c"] = json!(1);
    value["requestId"] = json!("r-1");
    let case: types::CaseEnvelope = decode(value);
    let mut found = findings(&case);
    found.sort();
    let mut expected = vec![
        undeclared("/data/users/*/priority"),
        undeclared("/data/users/*/priority"),
        undeclared("/data/users/*/user/loyalty"),
        undeclared("/data/a~1b~0c"),
        undeclared("/requestId"),
        Finding {
            pointer: "/data/status".into(),
            kind: DriftKind::UnknownEnumValue {
                schema: "CaseStatus",
                value: "snoozed".into(),
            },
        },
    ];
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_finding_carries_no_member_value() {
    let secret = "4111 1111 1111 1111";
    let mut value = join_example();
    value["data"]["users"][2]["user"]["card"] = json!(secret);
    value["data"]["users"][0]["note"] = json!({ "text": secret });
    let case: types::CaseEnvelope = decode(value);
    let found = findings(&case);
    assert_eq!(found.len(), 2);
    for finding in &found {
        for text in [format!("{finding}"), format!("{finding:?}")] {
            assert!(!text.contains("4111"), "{text}");
        }
    }
}

#[test]
fn typed_maps_are_visited_entry_by_entry() {
    let result: types::CloseCaseResult = decode(json!({
        "userId": 25,
        "userType": "user",
        "0": { "foreverClosed": true, "reason": "spam" },
        "1": { "foreverClosed": false },
    }));
    assert_eq!(findings(&result), [undeclared("/*/reason")]);
}
