//! Layer 4 for the generated client: each operation is called against a mock
//! that accepts only the exact request (method, path, query, `Authorization`,
//! body) and answers with the doc example. The decoded result must equal the
//! example decoded directly, and the exchange is snapshotted.
//!
//! One row per call; adding an operation adds a row.

use std::{future::Future, pin::Pin};

use acquire_api::{types, Client, Error, ResponseValue};
use acquire_tests::{
    example_file,
    mock::{self, Expected},
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::ResponseTemplate;

type CallResult = Result<String, String>;
type Call =
    for<'a> fn(&'a Client, Option<Value>, Value) -> Pin<Box<dyn Future<Output = CallResult> + 'a>>;

/// One operation call: what must go over the wire and how to make the call.
struct Row {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
    request: Option<&'static str>,
    response: &'static str,
    call: Call,
}

/// The typed body from `request` (the example file's JSON).
fn body<T: DeserializeOwned>(request: Option<Value>) -> Result<T, String> {
    let value = request.ok_or("this row needs a request example")?;
    serde_json::from_value(value).map_err(|e| format!("request example does not decode: {e}"))
}

/// Checks the response against the example decoded directly, and renders it.
fn settle<T>(result: Result<ResponseValue<T>, Error<types::ApiError>>, example: Value) -> CallResult
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let response = result.map_err(|e| format!("call failed: {e}"))?;
    let expected: T =
        serde_json::from_value(example).map_err(|e| format!("example does not decode: {e}"))?;
    if response.status() != 200 {
        return Err(format!("status {}", response.status()));
    }
    let got = response.into_inner();
    if got != expected {
        return Err(format!("decoded {got:#?}\nexpected {expected:#?}"));
    }
    Ok(format!("{got:#?}"))
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "create_case",
            method: "POST",
            path: "/crm/messenger/chat/create",
            query: &[("contactId", "597752")],
            request: Some("examples/seed/create-case.request.json"),
            response: "examples/seed/create-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateCaseRequest = body(request)?;
                    let result = client
                        .create_case()
                        .contact_id(597752)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "reopen_case",
            method: "POST",
            path: "/crm/messenger/chat/create",
            query: &[("contactId", "597752")],
            request: Some("examples/seed/reopen-case.request.json"),
            response: "examples/seed/reopen-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateCaseRequest = body(request)?;
                    let result = client
                        .create_case()
                        .contact_id(597752)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "reject_case",
            method: "POST",
            path: "/crm/messenger/chat/reject",
            query: &[],
            request: Some("examples/seed/reject-case.request.json"),
            response: "examples/seed/reject-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::RejectCaseRequest = body(request)?;
                    settle(client.reject_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "join_case",
            method: "GET",
            path: "/crm/messenger/chat/join",
            query: &[],
            request: Some("examples/seed/join-case.request.json"),
            response: "examples/seed/join-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::JoinCaseRequest = body(request)?;
                    settle(client.join_case().body(body).send().await, example)
                })
            },
        },
    ]
}

#[tokio::test]
async fn every_operation_sends_the_exact_request_and_decodes_the_example() {
    let mut failures = Vec::new();
    for row in rows() {
        let server = mock::server().await;
        let request = row.request.map(example_file);
        let response = example_file(row.response);
        mock::expect(
            &server,
            Expected {
                method: row.method,
                path: row.path,
                query: row.query,
                body: request.clone(),
            },
            ResponseTemplate::new(200).set_body_json(&response),
        )
        .await;
        let client = mock::client(&server);
        match (row.call)(&client, request.clone(), response).await {
            Ok(decoded) => {
                let sent = mock::only_request_body(&server).await;
                let query: Vec<String> =
                    row.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                insta::assert_snapshot!(
                    format!("call__{}", row.name),
                    format!(
                        "{} {}?{}\nAuthorization: Bearer <test key>\n{sent}\n---\n{decoded}",
                        row.method,
                        row.path,
                        query.join("&")
                    )
                );
            }
            Err(e) => failures.push(format!(
                "{}: {e}\nrequests received:\n{}",
                row.name,
                mock::describe_requests(&server).await
            )),
        }
        // Dropping the server verifies each expectation was met exactly once.
        server.verify().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test]
async fn every_spec_operation_has_a_row() {
    let covered: std::collections::BTreeSet<_> = rows()
        .iter()
        .map(|r| (r.method.to_ascii_lowercase(), r.path))
        .collect();
    for op in acquire_tests::spec().operations() {
        assert!(
            covered.contains(&(op.method.clone(), op.path.as_str())),
            "{} {} has no row",
            op.method,
            op.path
        );
    }
}
