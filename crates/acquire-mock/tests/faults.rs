//! Faults set from the library and from the `x-mock-fault` header.

mod common;

use acquire_mock::{Fault, MockConfig, MockServer};
use common::{call, call_with, http, raw, raw_status, start, KEY};
use std::time::Duration;

const CREATE: &str = "/crm/messenger/chat/create?contactId=597752";

#[tokio::test]
async fn status_faults_run_out_and_skip_the_handler() {
    let server = start().await;
    server.faults().inject(
        "create_case",
        Fault::Status {
            status: 503,
            retry_after: Some(7),
        },
        2,
    );
    assert_eq!(server.faults().pending("create_case"), Some(2));
    for _ in 0..2 {
        let reply = call(&server, "POST", CREATE, None).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.headers["retry-after"], "7");
        assert_eq!(reply.json["status"], 503);
    }
    let reply = call(&server, "POST", CREATE, None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(server.request_count("create_case"), 3);
    assert_eq!(server.executed_count("create_case"), 1);
    // Other operations are untouched.
    server.faults().inject(
        "join_case",
        Fault::Status {
            status: 500,
            retry_after: None,
        },
        1,
    );
    assert_eq!(call(&server, "POST", CREATE, None).await.status, 200);
    server.faults().clear();
    let join = call(
        &server,
        "GET",
        "/crm/messenger/chat/join",
        Some(r#"{"caseId": 1684}"#),
    )
    .await;
    assert_eq!(join.status, 200);
}

#[tokio::test]
async fn drop_closes_without_a_response_and_without_effect() {
    let server = start().await;
    server.faults().inject("create_case", Fault::Drop, 1);
    let reply = raw(
        &server,
        &http("POST", &format!("/api/v1{CREATE}"), &[], b""),
    )
    .await;
    assert!(
        reply.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(server.request_count("create_case"), 1);
    assert_eq!(server.executed_count("create_case"), 0);
    // A client sees an error, not a response.
    server.faults().inject("create_case", Fault::Drop, 1);
    let err = common::client()
        .post(format!("{}{CREATE}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(server.executed_count("create_case"), 0);
}

#[tokio::test]
async fn drop_after_loses_the_response_of_an_executed_request() {
    let server = start().await;
    server.faults().inject("create_case", Fault::DropAfter, 1);
    let reply = raw(
        &server,
        &http("POST", &format!("/api/v1{CREATE}"), &[], b""),
    )
    .await;
    assert!(reply.is_empty());
    assert_eq!(server.executed_count("create_case"), 1);
    // The case exists: the next one gets the following id.
    let next = call(&server, "POST", CREATE, None).await;
    assert_eq!(next.json["data"]["id"], 2073);
}

#[tokio::test]
async fn truncate_sends_half_the_body() {
    let server = start().await;
    server.faults().inject("create_case", Fault::Truncate, 1);
    let reply = raw(
        &server,
        &http("POST", &format!("/api/v1{CREATE}"), &[], b""),
    )
    .await;
    assert_eq!(raw_status(&reply), 200);
    let text = String::from_utf8_lossy(&reply);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length");
    assert!(
        !body.is_empty() && body.len() < length,
        "{} of {length}",
        body.len()
    );
    assert!(serde_json::from_str::<serde_json::Value>(body).is_err());
    // reqwest reports the short body as an error.
    server.faults().inject("create_case", Fault::Truncate, 1);
    let response = common::client()
        .post(format!("{}{CREATE}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("headers arrive");
    assert!(response.bytes().await.is_err());
}

#[tokio::test]
async fn delay_then_normal_handling() {
    let server = start().await;
    server
        .faults()
        .inject("create_case", Fault::Delay(Duration::from_millis(20)), 1);
    assert_eq!(call(&server, "POST", CREATE, None).await.status, 200);
    assert_eq!(server.faults().pending("create_case"), Some(0));
    let header = [("x-mock-fault", "delay-ms=20")];
    let reply = call_with(&server, "POST", CREATE, None, Some(KEY), &header).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn the_header_works_only_when_enabled() {
    let plain = MockServer::start(MockConfig::default().with_api_key(KEY))
        .await
        .expect("starts");
    let header = [("x-mock-fault", "status=503")];
    let reply = call_with(&plain, "POST", CREATE, None, Some(KEY), &header).await;
    assert_eq!(reply.status, 200, "faults are off: the header is ignored");
    let bad = [("x-mock-fault", "explode")];
    assert_eq!(
        call_with(&plain, "POST", CREATE, None, Some(KEY), &bad)
            .await
            .status,
        200
    );

    let faulty = start().await;
    let reply = call_with(&faulty, "POST", CREATE, None, Some(KEY), &header).await;
    assert_eq!(reply.status, 503);
    let reply = call_with(&faulty, "POST", CREATE, None, Some(KEY), &bad).await;
    assert_eq!(reply.status, 400);
    assert!(reply.json["message"]
        .as_str()
        .unwrap_or_default()
        .contains("x-mock-fault"));
    let drop = [("x-mock-fault", "drop")];
    let err = common::client()
        .post(format!("{}{CREATE}", faulty.base_url()))
        .bearer_auth(KEY)
        .header(drop[0].0, drop[0].1)
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(faulty.executed_count("create_case"), 0);
}
