//! A case's columns are the spec's: a created case carries exactly the
//! columns `CaseColumn` lists (beside the other members of `Case` an
//! operation adds), a column the served spec adds appears in new cases,
//! and a spec without a column the fake writes is refused at start.

mod common;

use std::collections::BTreeSet;

use acquire_mock::{MockConfig, MockServer};
use common::{create, op, send, spec, start, start_with};
use serde_json::{json, Value};

/// The names `CaseColumn` lists, and the other properties of `Case`.
fn columns_and_others(document: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let schemas = &document["components"]["schemas"];
    let columns: BTreeSet<String> =
        serde_json::from_value(schemas["CaseColumn"]["x-extensible-enum"].clone())
            .expect("CaseColumn lists names");
    let others = schemas["Case"]["properties"]
        .as_object()
        .expect("Case has properties")
        .keys()
        .filter(|name| !columns.contains(*name))
        .cloned()
        .collect();
    (columns, others)
}

/// The members of `case` that are not among `others`.
fn column_members(case: &Value, others: &BTreeSet<String>) -> BTreeSet<String> {
    case.as_object()
        .expect("a case object")
        .keys()
        .filter(|name| !others.contains(*name))
        .cloned()
        .collect()
}

/// The spec the fake serves, changed by `change` and written to a file.
fn served_spec(dir: &tempfile::TempDir, change: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let mut document = spec().document().clone();
    change(&mut document);
    let path = dir.path().join("acquire-cases.json");
    std::fs::write(&path, document.to_string()).expect("write the spec");
    path
}

#[tokio::test]
async fn created_and_reopened_cases_carry_exactly_the_spec_columns() {
    let server = start().await;
    let (columns, others) = columns_and_others(spec().document());
    let created = send(&server, &create(), None).await;
    assert_eq!(created.status, 200, "{}", created.json);
    let id = created.json["data"]["id"].as_i64().expect("an id");
    let reopened = send(
        &server,
        &create(),
        Some(&format!(r#"{{"threadId": {id}}}"#)),
    )
    .await;
    assert_eq!(reopened.status, 200, "{}", reopened.json);
    let read = send(&server, &op("get_case").at(id), None).await;
    assert_eq!(read.status, 200, "{}", read.json);
    for (what, case) in [
        ("created", &created.json["data"]),
        ("reopened", &reopened.json["data"]),
        ("read", &read.json["data"]),
    ] {
        assert_eq!(column_members(case, &others), columns, "{what}: {case}");
    }
}

#[tokio::test]
async fn a_column_the_served_spec_adds_appears_in_new_cases() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = served_spec(&dir, |document| {
        let schemas = &mut document["components"]["schemas"];
        schemas["Case"]["properties"]["priority"] =
            json!({"type": "integer", "description": "How urgent the case is."});
        if let Some(names) = schemas["CaseColumn"]["x-extensible-enum"].as_array_mut() {
            names.push(json!("priority"));
        }
    });
    let server = start_with(MockConfig::default().with_spec_path(&path)).await;
    let created = send(&server, &create(), None).await;
    assert_eq!(created.status, 200, "{}", created.json);
    assert_eq!(created.json["data"]["priority"], 0, "{}", created.json);
    let listed = send(
        &server,
        &op("list_cases").query("where=priority%7Ceq%7C0&select=priority"),
        None,
    )
    .await;
    assert_eq!(listed.status, 200, "{}", listed.json);
    // The new case, and the seeded ones built as new cases are, match.
    let rows = listed.json["data"]["data"].as_array().expect("rows");
    assert!(
        rows.iter().all(|row| row["priority"] == 0),
        "{}",
        listed.json
    );
    assert!(
        rows.iter()
            .any(|row| row["id"] == created.json["data"]["id"]),
        "{}",
        listed.json
    );
}

#[tokio::test]
async fn a_spec_without_a_column_the_fake_writes_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = served_spec(&dir, |document| {
        if let Some(names) =
            document["components"]["schemas"]["CaseColumn"]["x-extensible-enum"].as_array_mut()
        {
            names.retain(|name| name != "threadId");
        }
    });
    let refused = MockServer::start(MockConfig::default().with_spec_path(&path)).await;
    let error = refused.expect_err("threadId is written into every new case");
    assert!(error.to_string().contains("`threadId`"), "{error}");
}
