//! Faults set from the library and from the `x-mock-fault` header.

mod common;

use acquire_mock::{Fault, MockConfig, MockServer, INVALID_JSON_BODY};
use common::{create, op, raw, raw_status, send, send_with, start, KEY};
use std::time::Duration;

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
        let reply = send(&server, &create(), None).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.headers["retry-after"], "7");
        assert_eq!(reply.json["status"], 503);
    }
    let reply = send(&server, &create(), None).await;
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
    assert_eq!(send(&server, &create(), None).await.status, 200);
    server.faults().clear();
    let join = send(&server, &op("join_case"), Some(r#"{"caseId": 1684}"#)).await;
    assert_eq!(join.status, 200);
}

#[tokio::test]
async fn drop_closes_without_a_response_and_without_effect() {
    let server = start().await;
    server.faults().inject("create_case", Fault::Drop, 1);
    let reply = raw(&server, &create().raw(&[], b"")).await;
    assert!(
        reply.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(server.request_count("create_case"), 1);
    assert_eq!(server.executed_count("create_case"), 0);
    // A client sees an error, not a response.
    server.faults().inject("create_case", Fault::Drop, 1);
    let err = create().authorized(&server).send().await;
    assert!(err.is_err());
    assert_eq!(server.executed_count("create_case"), 0);
}

#[tokio::test]
async fn drop_after_loses_the_response_of_an_executed_request() {
    let server = start().await;
    server.faults().inject("create_case", Fault::DropAfter, 1);
    let reply = raw(&server, &create().raw(&[], b"")).await;
    assert!(reply.is_empty());
    assert_eq!(server.executed_count("create_case"), 1);
    // The case exists: the next one gets the following id.
    let next = send(&server, &create(), None).await;
    assert_eq!(next.json["data"]["id"], 2073);
}

#[tokio::test]
async fn truncate_sends_half_the_body() {
    let server = start().await;
    server.faults().inject("create_case", Fault::Truncate, 1);
    let reply = raw(&server, &create().raw(&[], b"")).await;
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
    let response = create()
        .authorized(&server)
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
    assert_eq!(send(&server, &create(), None).await.status, 200);
    assert_eq!(server.faults().pending("create_case"), Some(0));
    let header = [("x-mock-fault", "delay-ms=20")];
    let reply = send_with(&server, &create(), None, Some(KEY), &header).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn the_header_works_only_when_enabled() {
    let plain = MockServer::start(MockConfig::default().with_api_key(KEY))
        .await
        .expect("starts");
    let header = [("x-mock-fault", "status=503")];
    let reply = send_with(&plain, &create(), None, Some(KEY), &header).await;
    assert_eq!(reply.status, 200, "faults are off: the header is ignored");
    let bad = [("x-mock-fault", "explode")];
    assert_eq!(
        send_with(&plain, &create(), None, Some(KEY), &bad)
            .await
            .status,
        200
    );

    let faulty = start().await;
    let reply = send_with(&faulty, &create(), None, Some(KEY), &header).await;
    assert_eq!(reply.status, 503);
    let reply = send_with(&faulty, &create(), None, Some(KEY), &bad).await;
    assert_eq!(reply.status, 400);
    assert!(reply.json["message"]
        .as_str()
        .unwrap_or_default()
        .contains("x-mock-fault"));
    let drop = [("x-mock-fault", "drop")];
    let err = create()
        .authorized(&faulty)
        .header(drop[0].0, drop[0].1)
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(faulty.executed_count("create_case"), 0);
}

#[tokio::test]
async fn invalid_json_takes_effect_and_sends_a_body_that_does_not_parse() {
    let server = start().await;
    server.faults().inject("create_case", Fault::InvalidJson, 1);
    let response = create().authorized(&server).send().await.expect("response");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.bytes().await.expect("whole body");
    assert_eq!(&body[..], INVALID_JSON_BODY.as_bytes());
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    assert_eq!(server.request_count("create_case"), 1);
    assert_eq!(server.executed_count("create_case"), 1, "the case exists");
    // Armed once: the next create is answered normally, with the next id.
    let next = send(&server, &create(), None).await;
    assert_eq!(next.status, 200);
    assert_eq!(next.json["data"]["id"], 2073);
}

#[tokio::test]
async fn html_answers_a_proxy_page_without_effect() {
    let server = start().await;
    server
        .faults()
        .inject("create_case", Fault::Html { status: 502 }, 1);
    let response = create().authorized(&server).send().await.expect("response");
    assert_eq!(response.status(), 502);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/html"));
    let page = response.text().await.expect("body");
    assert!(page.contains("<title>502 Bad Gateway</title>"), "{page}");
    assert_eq!(server.request_count("create_case"), 1);
    assert_eq!(server.executed_count("create_case"), 0);
    let next = send(&server, &create(), None).await;
    assert_eq!(next.status, 200, "armed once");
    assert_eq!(next.json["data"]["id"], 2072, "the page created nothing");
}

#[tokio::test]
async fn each_fault_armed_once_fails_the_first_request_only() {
    let join = op("join_case");
    let body = r#"{"caseId": 1684}"#;
    let faults = [
        Fault::Status {
            status: 429,
            retry_after: Some(1),
        },
        Fault::Drop,
        Fault::DropAfter,
        Fault::Truncate,
        Fault::InvalidJson,
        Fault::Html { status: 503 },
        Fault::Delay(Duration::from_millis(1)),
    ];
    for fault in faults {
        let server = start().await;
        server.faults().inject("join_case", fault.clone(), 1);
        let first = join
            .authorized(&server)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        let first_ok = match first {
            Ok(response) => {
                let status = response.status().as_u16();
                let parsed = response
                    .bytes()
                    .await
                    .ok()
                    .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
                status == 200 && parsed.is_some()
            }
            Err(_) => false,
        };
        let delay_only = matches!(fault, Fault::Delay(_));
        assert_eq!(first_ok, delay_only, "{fault:?}: first request");
        assert_eq!(server.faults().pending("join_case"), Some(0), "{fault:?}");
        let second = send(&server, &join, Some(body)).await;
        assert_eq!(second.status, 200, "{fault:?}: second request");
        assert_eq!(second.json["data"]["id"], 1684, "{fault:?}");
        assert_eq!(server.request_count("join_case"), 2, "{fault:?}");
    }
}

#[tokio::test]
async fn the_header_asks_for_invalid_json_and_html() {
    let server = start().await;
    let header = [("x-mock-fault", "html=504")];
    let reply = send_with(&server, &create(), None, Some(KEY), &header).await;
    assert_eq!(reply.status, 504);
    assert_eq!(reply.json, serde_json::Value::Null, "not JSON");
    assert_eq!(server.executed_count("create_case"), 0);
    let header = [("x-mock-fault", "invalid-json")];
    let reply = send_with(&server, &create(), None, Some(KEY), &header).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json, serde_json::Value::Null, "not JSON");
    assert_eq!(server.executed_count("create_case"), 1);
    let bad = [("x-mock-fault", "html=abc")];
    let reply = send_with(&server, &create(), None, Some(KEY), &bad).await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn endless_streams_a_json_start_until_the_client_hangs_up() {
    let server = start().await;
    let get = op("get_case").at(1684);
    let mut response = get
        .authorized(&server)
        .header(acquire_mock::FAULT_HEADER, "endless")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(response.headers().get("content-length").is_none());
    let mut read = Vec::new();
    let mut total = 0usize;
    while total < 8 * 1024 * 1024 {
        let chunk = response.chunk().await.expect("reads").expect("never ends");
        if read.len() < 64 {
            read.extend_from_slice(&chunk);
        }
        total += chunk.len();
    }
    assert!(
        read.starts_with(acquire_mock::ENDLESS_BODY_START.as_bytes()),
        "{:?}",
        String::from_utf8_lossy(&read)
    );
    drop(response);
    assert_eq!(server.request_count("get_case"), 1);
    assert_eq!(server.executed_count("get_case"), 0, "no effect");
    // Armed from the library too; and the server still answers afterwards.
    server.faults().inject("get_case", Fault::Endless, 1);
    let endless = get.authorized(&server).send().await.expect("an answer");
    assert_eq!(endless.status(), 200);
    drop(endless);
    assert_eq!(send(&server, &get, None).await.status, 200);
    server.shutdown().await;
}
