//! A case's own lifecycle: create, join, reject and reopen; close (and
//! archive), leave and invite; what a configured agent and no seed change.

use acquire_mock::MockConfig;
use serde_json::Value;

use super::{create_case, get_with, ids, status_of};
use crate::common::{create, op, send, start, start_with, Checker};

#[tokio::test]
async fn create_join_reject_reopen() {
    let server = start().await;

    let created = send(
        &server,
        &create(),
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

    let second = send(&server, &create(), None).await;
    assert_eq!(second.json["data"]["id"], id + 1);

    let joined = send(
        &server,
        &op("join_case"),
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
    let again = send(
        &server,
        &op("join_case"),
        Some(&format!(r#"{{"caseId": {id}}}"#)),
    )
    .await;
    assert_eq!(again.json["data"]["dateActive"], case["dateActive"]);

    let rejected = send(
        &server,
        &op("reject_case"),
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
    let reopened = send(
        &server,
        &create(),
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
    let reply = send(
        &server,
        &op("join_case"),
        Some(include_str!(
            "../../../../openapi/examples/seed/join-case.request.json"
        )),
    )
    .await;
    let documented: Value = serde_json::from_str(include_str!(
        "../../../../openapi/examples/seed/join-case.response.json"
    ))
    .expect("example");
    assert_eq!(reply.json, documented);
}

#[tokio::test]
async fn a_configured_agent_and_no_seed() {
    let server = start_with(MockConfig::default().with_seed_data(false).with_agent_id(1)).await;
    let missing = send(&server, &op("reject_case"), Some(r#"{"caseId": 1681}"#)).await;
    assert_eq!(missing.json["type"], "ERROR_RECORD_NOT_FOUND");
    let id = create_case(&server, None).await;
    let joined = send(
        &server,
        &op("join_case"),
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
    let checker = Checker::new();
    let server = start().await;
    if checker.has("close_case") {
        let closed = send(&server, &op("close_case"), Some(r#"{"caseId": 1684}"#)).await;
        assert_eq!(closed.status, 200, "{}", closed.json);
        let join = send(&server, &op("join_case"), Some(r#"{"caseId": 1684}"#)).await;
        assert_eq!(join.status, 400, "a closed case cannot be joined");
    }
    if checker.has("get_case") {
        let got = send(&server, &op("get_case").at(1684), None).await;
        assert_eq!(got.status, 200, "{}", got.json);
        if checker.has("close_case") {
            assert_eq!(got.json["data"]["status"], "closed");
            assert!(got.json["data"]["dateClosed"].is_string());
        }
    }
}

#[tokio::test]
async fn reopen_lists_the_thread_and_invites_reach_the_case() {
    let server = start().await;
    let id = create_case(&server, Some(r#"{"threadId": 1683}"#)).await;
    let thread = send(
        &server,
        &op("list_messages").query("threadId=1683&contactId=597752"),
        None,
    )
    .await;
    assert_eq!(ids(&thread.json["data"]), [1683, 1694, 2071, id]);
    assert_eq!(ids(&thread.json["data"][0]["cases"]), [1694, 2071, id]);

    let invited = send(
        &server,
        &op("invite_agent"),
        Some(&format!(r#"{{"caseId": {id}, "agentIds": [12, 1]}}"#)),
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.json);
    assert_eq!(invited.json["data"]["12"]["sent"], true);
    assert_eq!(invited.json["data"]["1"]["userId"], 1);
    let case = get_with(&server, id, "users").await;
    assert_eq!(
        status_of(&case["users"], "user", 12).as_deref(),
        Some("active")
    );
    let again = send(
        &server,
        &op("invite_agent"),
        Some(&format!(r#"{{"caseId": {id}, "agentIds": [12]}}"#)),
    )
    .await;
    assert_eq!(again.json["data"]["12"]["sent"], false, "already offered");
}

#[tokio::test]
async fn close_with_archive_yes_archives_the_contact() {
    let server = start().await;
    assert_eq!(
        get_with(&server, 1681, "contact").await["contact"]["archive"],
        "no"
    );
    for (why, body, case, archive) in [
        (
            "\"no\" closes without archiving",
            r#"{"caseId": 1681, "archive": "no"}"#,
            1681,
            "no",
        ),
        (
            "another value of the open flag closes without archiving",
            r#"{"caseId": 1690, "archive": "someday"}"#,
            1690,
            "no",
        ),
        (
            "the documented close: \"yes\" archives",
            include_str!("../../../../openapi/examples/authored/close-case.request.json"),
            1684,
            "yes",
        ),
    ] {
        let closed = send(&server, &op("close_case"), Some(body)).await;
        assert_eq!(closed.status, 200, "{why}: {}", closed.json);
        assert_eq!(closed.json["data"]["0"]["foreverClosed"], true, "{why}");
        let after = get_with(&server, case, "contact").await;
        assert_eq!(after["status"], "closed", "{why}");
        assert_eq!(after["contact"]["archive"], archive, "{why}");
    }
}

#[tokio::test]
async fn leaving_with_archive_yes_archives_nothing() {
    let server = start().await;
    let left = send(
        &server,
        &op("close_case"),
        Some(r#"{"caseId": 1684, "archive": "yes", "leaveOnly": true}"#),
    )
    .await;
    assert_eq!(left.status, 200, "{}", left.json);
    let case = get_with(&server, 1684, "contact").await;
    assert_eq!(case["status"], "active");
    assert_eq!(case["contact"]["archive"], "no");
}

#[tokio::test]
async fn invite_takes_a_case_id_as_a_string() {
    let server = start().await;
    let invited = send(
        &server,
        &op("invite_agent"),
        Some(r#"{"caseId": "1681", "agentIds": [12]}"#),
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.json);
    assert_eq!(invited.json["data"]["12"]["sent"], true);
    let case = get_with(&server, 1681, "users").await;
    assert_eq!(
        status_of(&case["users"], "user", 12).as_deref(),
        Some("active")
    );
    let nobody = send(&server, &op("invite_agent"), Some(r#"{"caseId": "1681"}"#)).await;
    nobody.assert_refused_naming("invite nobody", &["agentIds", "department"]);
}

#[tokio::test]
async fn session_ids_are_kept_as_sent() {
    let server = start().await;
    for (sent, kept) in [("\"0042\"", "0042"), ("3711819272", "3711819272")] {
        let reply = send(
            &server,
            &create(),
            Some(&format!(
                r#"{{"threadId": 1683, "sessionId": {sent}, "mentionUsers": ["12", 1]}}"#
            )),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        assert_eq!(reply.json["data"]["meta"]["sessionId"], kept);
    }
}
