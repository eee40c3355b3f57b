//! `extra_member` on every request builder (finding (a)): a member the spec
//! does not declare is sent as given beside the others, the request still
//! validates against the spec, and a member the spec declares is refused
//! before anything is sent.

mod support;

use std::collections::BTreeSet;

use acquire::{chrono::NaiveDate, CaseId, Client, ContactId, Error, MessageId, NoteId, UserId};
use acquire_spec::Spec;
use futures::future::BoxFuture;
use serde_json::{json, Value};
use wiremock::{MockServer, ResponseTemplate};

/// The member every call adds, and its value, sent as given.
const NAME: &str = "undeclaredMember";

fn value() -> Value {
    json!({ "kept": [1, "two", null] })
}

/// One call per request builder, each with the extra member `name`.
type Call = for<'a> fn(&'a Client, &'static str) -> BoxFuture<'a, Result<(), Error>>;

/// Each call, with a member its request type declares.
fn calls() -> Vec<(&'static str, Call)> {
    vec![
        ("title", |c, n| {
            let b = c.cases().create(ContactId(597752)).extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let b = c.cases().reject(CaseId(1681)).extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let b = c.cases().join(CaseId(1684)).extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let b = c.cases().close(CaseId(1684)).extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let b = c.cases().invite(CaseId(1684)).agents([UserId(12)]);
            let b = b.extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let b = c
                .messages()
                .send_chat(CaseId(1684), "Hi")
                .extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("message", |c, n| {
            let b = c
                .messages()
                .update(MessageId(5113), "Hi")
                .extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let to = ["ann@example.com"];
            let b = c
                .messages()
                .send_email(CaseId(1694), ContactId(597752), "us@example.com", to)
                .extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("Body", |c, n| {
            let route = support::sms_route();
            let b = c.messages().send_sms(route, "Hi").extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("title", |c, n| {
            let b = c.notes().create(ContactId(597752)).extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("note_id", |c, n| {
            let b = c
                .notes()
                .add_message(NoteId(310), ContactId(597752), "Hi")
                .extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
        ("caseId", |c, n| {
            let at = NaiveDate::from_ymd_opt(2021, 3, 25)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default();
            let b = c
                .snoozes()
                .snooze_case(CaseId(1684), at)
                .extra_member(n, value());
            Box::pin(async move { b.send().await.map(drop) })
        }),
    ]
}

/// A server answering every request with Acquire's 400, so each call ends
/// after one request.
async fn refusing() -> MockServer {
    let error = json!({ "status": 400, "type": "ERROR_INVALID_INPUT", "message": "no" });
    support::answering(ResponseTemplate::new(400).set_body_json(error)).await
}

/// The operations of the spec that take a request body.
fn operations_with_bodies() -> BTreeSet<String> {
    Spec::embedded()
        .operations()
        .into_iter()
        .filter(|op| op.value.get("requestBody").is_some())
        .filter_map(|op| op.operation_id)
        .collect()
}

#[tokio::test]
async fn every_builder_sends_its_extra_member_and_the_request_validates() {
    let server = refusing().await;
    let client = support::client(&server);
    for (_, call) in calls() {
        let _ = call(&client, NAME).await;
    }
    let checker = acquire_mock::RequestChecker::embedded().unwrap_or_else(|e| panic!("{e}"));
    let requests = server.received_requests().await.unwrap_or_default();
    let mut covered = BTreeSet::new();
    for request in &requests {
        let (method, path) = (&request.method, request.url.path());
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        // Email's members sit in `data`, and so does its extra member.
        let members = body.get("data").filter(|d| d.is_object()).unwrap_or(&body);
        assert_eq!(members.get(NAME), Some(&value()), "{method} {path}: {body}");
        match support::check_received(&checker, request) {
            Ok(operation_id) => {
                covered.insert(operation_id);
            }
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }
    assert_eq!(requests.len(), calls().len(), "one request per call");
    assert_eq!(
        covered,
        operations_with_bodies(),
        "a builder per request body"
    );
}

#[tokio::test]
async fn a_member_the_spec_declares_is_refused_before_sending() {
    let server = refusing().await;
    let client = support::client(&server);
    for (declared, call) in calls() {
        match call(&client, declared).await {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains(declared), "{message}");
                assert!(!message.contains("kept"), "the value leaked: {message}");
            }
            other => panic!("extra member {declared}: {other:?}"),
        }
    }
    assert_eq!(support::sent(&server).await, 0, "nothing was sent");
}
