//! Drift mode: successful responses get an undeclared member in every
//! declared object and unknown values in every extensible enum, by the
//! operation's response schema; the drifted body still validates against
//! the spec as declared (and fails only the declared-members-only check),
//! and what is stored is unchanged.

mod common;

use acquire_mock::{MockConfig, DRIFT_ENUM_VALUE, DRIFT_MEMBER, DRIFT_PROBE_VALUE};
use acquire_spec::Strictness;
use common::{create, op, send, spec, start_with, Op};
use serde_json::Value;

/// Every pointer of `value` holding the probe member.
fn probes(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let here = format!("{at}/{name}");
                if name == DRIFT_MEMBER {
                    assert_eq!(member, DRIFT_PROBE_VALUE, "{here}");
                    out.push(here.clone());
                }
                probes(member, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                probes(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The failures of `body` against `operation_id`'s 200 schema.
fn failures(operation_id: &str, body: &Value, strictness: Strictness) -> Vec<String> {
    let spec = spec();
    let operation = spec.operation(operation_id).expect("in the spec");
    let response = spec
        .resolve(operation.value.pointer("/responses/200").expect("a 200"))
        .expect("resolves");
    let schema = response
        .pointer("/content/application~1json/schema")
        .expect("a JSON schema");
    spec.validator(schema, strictness)
        .expect("compiles")
        .failures(body)
        .into_iter()
        .map(|f| f.to_string())
        .collect()
}

#[tokio::test]
async fn reads_and_writes_drift_by_their_schema_and_still_validate_as_declared() {
    let server = start_with(MockConfig::default().with_drift(true)).await;
    let calls: [(&str, Op, Option<&str>); 6] = [
        ("create_case", create(), Some(r#"{"title": "Drift"}"#)),
        ("get_case", op("get_case").at(1684), None),
        (
            "list_cases",
            op("list_cases").query("relations=contact%7Cusers%7Cmessages"),
            None,
        ),
        (
            "list_messages",
            op("list_messages").query("threadId=1683&contactId=597752"),
            None,
        ),
        (
            "list_notes",
            op("list_notes").query("contact_id=597752"),
            None,
        ),
        ("get_note", op("get_note").at(310), None),
    ];
    for (operation_id, target, body) in calls {
        let reply = send(&server, &target, body).await;
        assert_eq!(reply.status, 200, "{operation_id}: {}", reply.json);
        let mut found = Vec::new();
        probes(&reply.json, "", &mut found);
        assert!(
            found.contains(&format!("/{DRIFT_MEMBER}")) && found.len() > 1,
            "{operation_id}: probes at {found:?}"
        );
        assert_eq!(
            failures(operation_id, &reply.json, Strictness::AsDeclared),
            Vec::<String>::new(),
            "{operation_id}: a drifted body is still what the spec allows"
        );
        let strict = failures(operation_id, &reply.json, Strictness::DeclaredOnly);
        assert!(
            strict.iter().any(|f| f.contains(DRIFT_MEMBER)),
            "{operation_id}: {strict:?}"
        );
    }

    // The extensible enums (case status, channel, user status...) hold a
    // value outside their lists.
    let case = send(&server, &op("get_case").at(1684), None).await.json;
    assert_eq!(case["data"]["status"], DRIFT_ENUM_VALUE, "{case}");
    assert_eq!(case["data"]["channel"], DRIFT_ENUM_VALUE, "{case}");

    // The store is unchanged: filtering by the stored status still works.
    let active = send(
        &server,
        &op("list_cases").query("where=status%7Ceq%7Cactive"),
        None,
    )
    .await
    .json;
    let listed = active["data"]["data"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    assert!(listed > 0, "{active}");
    server.shutdown().await;
}

#[tokio::test]
async fn without_drift_nothing_is_added() {
    let server = start_with(MockConfig::default()).await;
    let case = send(&server, &op("get_case").at(1684), None).await.json;
    let mut found = Vec::new();
    probes(&case, "", &mut found);
    assert_eq!(found, Vec::<String>::new());
    assert_ne!(case["data"]["status"], DRIFT_ENUM_VALUE);
    assert_eq!(
        failures("get_case", &case, Strictness::DeclaredOnly),
        Vec::<String>::new()
    );
    server.shutdown().await;
}
