//! The lifecycle behaves like Acquire's: create -> pending, join -> active,
//! reject -> the agent rejected, reopen -> a new case in the thread; state
//! persists across requests and ids are allocated.

mod common;

use acquire_mock::MockConfig;
use common::{call, start, start_with};
use serde_json::Value;

fn status_of(users: &Value, kind: &str, user_id: i64) -> Option<String> {
    users
        .as_array()?
        .iter()
        .find(|u| u["type"] == kind && u["userId"] == user_id)
        .and_then(|u| u["status"].as_str())
        .map(str::to_owned)
}

#[tokio::test]
async fn create_join_reject_reopen() {
    let server = start().await;

    let created = call(
        &server,
        "POST",
        "/crm/messenger/chat/create?contactId=597752",
        Some(r#"{"title": "Printer", "routeAgentId": 1, "message": {"message": "It jams"}}"#),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.json);
    let case = &created.json["data"];
    let id = case["id"].as_i64().expect("id");
    assert_eq!(id, 2072, "ids continue after the seeded ones");
    assert_eq!(case["status"], "pending");
    assert_eq!(case["title"], "Printer");
    assert_eq!(case["description"], "It jams");
    assert_eq!(case["threadId"], id);
    assert_eq!(case["parentId"], Value::Null);
    assert_eq!(case["contact"]["id"], 597752);
    assert!(case["datePending"].is_string() && case["dateActive"].is_null());
    assert_eq!(
        status_of(&case["users"], "contact", 597752).as_deref(),
        Some("active")
    );
    assert_eq!(
        status_of(&case["users"], "user", 1).as_deref(),
        Some("active")
    );

    let second = call(
        &server,
        "POST",
        "/crm/messenger/chat/create?contactId=597752",
        None,
    )
    .await;
    assert_eq!(second.json["data"]["id"], id + 1);

    let joined = call(
        &server,
        "GET",
        "/crm/messenger/chat/join",
        Some(&format!(r#"{{"caseId": {id}, "askJoin": true}}"#)),
    )
    .await;
    assert_eq!(joined.status, 200, "{}", joined.json);
    let case = &joined.json["data"];
    assert_eq!(case["status"], "active");
    assert!(case["dateActive"].is_string());
    assert_eq!(
        status_of(&case["users"], "user", 25).as_deref(),
        Some("joined")
    );
    assert_eq!(
        status_of(&case["users"], "user", 1).as_deref(),
        Some("ignored")
    );
    assert_eq!(case["lastMessage"]["message"], "It jams");
    let me = case["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["userId"] == 25))
        .expect("joined user");
    assert_eq!(me["case"]["id"], id);
    assert_eq!(me["user"]["id"], 25);

    // Joining twice changes nothing.
    let again = call(
        &server,
        "GET",
        "/crm/messenger/chat/join",
        Some(&format!(r#"{{"caseId": {id}}}"#)),
    )
    .await;
    assert_eq!(again.json["data"]["dateActive"], case["dateActive"]);

    let rejected = call(
        &server,
        "POST",
        "/crm/messenger/chat/reject",
        Some(&format!(r#"{{"caseId": {}}}"#, id + 1)),
    )
    .await;
    assert_eq!(rejected.status, 200, "{}", rejected.json);
    let case = &rejected.json["data"];
    assert_eq!(case["status"], "pending");
    assert_eq!(
        status_of(&case["users"], "user", 25).as_deref(),
        Some("rejected")
    );
    assert_eq!(
        status_of(&case["users"], "contact", 597752).as_deref(),
        Some("active")
    );

    // Reopen the seeded closed thread 1683.
    let reopened = call(
        &server,
        "POST",
        "/crm/messenger/chat/create?contactId=597752",
        Some(r#"{"threadId": 1683, "sessionId": 3711819272, "message": {"message": "back"}}"#),
    )
    .await;
    assert_eq!(reopened.status, 200, "{}", reopened.json);
    let case = &reopened.json["data"];
    assert_eq!(case["id"], id + 2);
    assert_eq!(case["threadId"], 1683);
    assert_eq!(case["parentId"], 1683);
    assert_eq!(case["meta"]["sessionId"], "3711819272");

    assert_eq!(server.request_count("create_case"), 3);
    assert_eq!(server.executed_count("create_case"), 3);
    assert_eq!(server.request_count("join_case"), 2);
    assert_eq!(server.request_count("reject_case"), 1);
}

#[tokio::test]
async fn the_documented_join_replays() {
    // Case 1684 is seeded as documented: joining it as agent 25 again gives
    // back the documented response.
    let server = start().await;
    let reply = call(
        &server,
        "GET",
        "/crm/messenger/chat/join",
        Some(include_str!(
            "../../../openapi/examples/seed/join-case.request.json"
        )),
    )
    .await;
    let documented: Value = serde_json::from_str(include_str!(
        "../../../openapi/examples/seed/join-case.response.json"
    ))
    .expect("example");
    assert_eq!(reply.json, documented);
}

#[tokio::test]
async fn a_configured_agent_and_no_seed() {
    let server = start_with(MockConfig::default().with_seed_data(false).with_agent_id(1)).await;
    let missing = call(
        &server,
        "POST",
        "/crm/messenger/chat/reject",
        Some(r#"{"caseId": 1681}"#),
    )
    .await;
    assert_eq!(missing.json["type"], "ERROR_RECORD_NOT_FOUND");
    let created = call(
        &server,
        "POST",
        "/crm/messenger/chat/create?contactId=597752",
        None,
    )
    .await;
    let id = created.json["data"]["id"].as_i64().expect("id");
    let joined = call(
        &server,
        "GET",
        "/crm/messenger/chat/join",
        Some(&format!(r#"{{"caseId": {id}}}"#)),
    )
    .await;
    assert_eq!(
        status_of(&joined.json["data"]["users"], "user", 1).as_deref(),
        Some("joined")
    );
}

#[tokio::test]
async fn close_and_get_when_the_spec_has_them() {
    let checker = common::Checker::new();
    let server = start().await;
    if checker.has("close_case") {
        let closed = call(
            &server,
            "POST",
            "/crm/messenger/chat/close",
            Some(r#"{"caseId": 1684}"#),
        )
        .await;
        assert_eq!(closed.status, 200, "{}", closed.json);
        let join = call(
            &server,
            "GET",
            "/crm/messenger/chat/join",
            Some(r#"{"caseId": 1684}"#),
        )
        .await;
        assert_eq!(join.status, 400, "a closed case cannot be joined");
    }
    if checker.has("get_case") {
        let got = call(&server, "GET", "/crm/objects/case/1684", None).await;
        assert_eq!(got.status, 200, "{}", got.json);
        if checker.has("close_case") {
            assert_eq!(got.json["data"]["status"], "closed");
            assert!(got.json["data"]["dateClosed"].is_string());
        }
    }
}
