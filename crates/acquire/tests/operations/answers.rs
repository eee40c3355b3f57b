//! Answers the table's examples do not show: a closure of many cases, an
//! invitation keyed by something else than a user id, a snooze answer
//! without the snooze.

use std::fmt::Debug;

use acquire::{CaseId, DepartmentId, Error, ParticipantId, ParticipantType};
use serde_json::{json, Value};
use wiremock::{MockServer, ResponseTemplate};

use crate::{at, request, support};

/// A server answering `answer` to the one request of `operation` with
/// `body` (no path parameter, no query); anything else gets the
/// catch-all's answer.
async fn answering(operation: &str, body: Value, answer: Value) -> MockServer {
    let server = support::server().await;
    support::expect(
        &server,
        request(operation, &[], &[], Some(body)),
        ResponseTemplate::new(200).set_body_json(answer),
    )
    .await;
    server
}

/// `result` is a decode error whose reason names `naming`.
#[track_caller]
fn assert_decode_error<T: Debug>(result: &Result<T, Error>, naming: &str) {
    assert!(
        matches!(result, Err(Error::Decode { reason, .. }) if reason.contains(naming)),
        "{result:?}"
    );
}

#[tokio::test]
async fn closed_cases_come_in_numeric_position_order() {
    let entries: serde_json::Map<String, Value> = (0..12)
        .map(|i| {
            (
                i.to_string(),
                json!({"caseId": 100 + i, "foreverClosed": true}),
            )
        })
        .chain([
            ("userId".to_owned(), json!(3)),
            ("userType".to_owned(), json!("contact")),
        ])
        .collect();
    let server = answering(
        "close_case",
        json!({"caseId": 100, "leaveOnly": true}),
        json!({ "data": entries }),
    )
    .await;
    let closure = support::client(&server)
        .cases()
        .close(CaseId(100))
        .leave_only(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<_> = closure.cases.iter().filter_map(|c| c.case_id).collect();
    assert_eq!(ids, (100..112).map(CaseId).collect::<Vec<_>>());
    assert_eq!(
        (closure.closed_by, closure.closed_by_type),
        (Some(ParticipantId(3)), Some(ParticipantType::Contact))
    );
}

#[tokio::test]
async fn an_invitation_key_that_is_not_a_user_id_is_a_decode_error() {
    let server = answering(
        "invite_agent",
        json!({"caseId": 1, "department": [3]}),
        json!({"data": {"all": {"online": true}}}),
    )
    .await;
    let result = support::client(&server)
        .cases()
        .invite(CaseId(1))
        .departments([DepartmentId(3)])
        .send()
        .await;
    assert_decode_error(&result, "\"all\"");
}

#[tokio::test]
async fn a_snooze_answer_without_the_snooze_is_a_decode_error_keeping_the_message() {
    let server = answering(
        "create_snooze",
        json!({"objectType": "case", "caseId": 5, "objectId": 5, "scheduleDate": "2030-01-02 03:04:05"}),
        json!({"data": {"success": false, "message": "date in the past"}}),
    )
    .await;
    let result = support::client(&server)
        .snoozes()
        .snooze_case(CaseId(5), at((2030, 1, 2), (3, 4, 5)))
        .send()
        .await;
    assert_decode_error(&result, "date in the past");
}
