//! The lifecycle behaves like Acquire's: create -> pending, join -> active,
//! reject -> the agent rejected, reopen -> a new case in the thread; state
//! persists across requests and ids are allocated; messages are appended,
//! listed, edited and deleted; notes and snoozes live and die; lists filter,
//! select, embed and page.

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

fn ids(page: &Value) -> Vec<i64> {
    page["data"]
        .as_array()
        .map(|cases| cases.iter().filter_map(|c| c["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn list_pages_filters_selects_and_embeds() {
    let server = start_with(
        MockConfig::default()
            .with_seed_data(false)
            .with_generated_cases(45),
    )
    .await;
    let mut seen = Vec::new();
    for (page, want) in [(1, 20), (2, 20), (3, 5), (4, 0), (1000, 0)] {
        let reply = call(
            &server,
            "GET",
            &format!("/crm/objects/case?page={page}&limit=20"),
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let data = &reply.json["data"];
        assert_eq!(data["count"], 45, "count is the total of matches");
        assert_eq!(data["page"], page);
        assert_eq!(data["limit"], 20);
        assert_eq!(data["offset"], (page - 1) * 20);
        let got = ids(data);
        assert_eq!(got.len(), want, "page {page}: {got:?}");
        seen.extend(got);
    }
    let expected: Vec<i64> = (2072..2072 + 45).collect();
    assert_eq!(seen, expected, "every case once, in id order");

    // Conditions: all must hold.
    let closed = call(
        &server,
        "GET",
        "/crm/objects/case?where=status%7Ceq%7Cclosed&limit=100",
        None,
    )
    .await;
    assert_eq!(closed.json["data"]["count"], 15);
    assert!(closed.json["data"]["data"]
        .as_array()
        .expect("cases")
        .iter()
        .all(|c| c["status"] == "closed" && c["dateClosed"].is_string()));
    let both = call(
        &server,
        "GET",
        "/crm/objects/case?where=status%7Ceq%7Cclosed&where=channel%7Ceq%7Cemail&where=id%7Clt%7C2100",
        None,
    )
    .await;
    let both_ids = ids(&both.json["data"]);
    assert!(!both_ids.is_empty());
    assert_eq!(both.json["data"]["count"], both_ids.len());
    assert!(both.json["data"]["data"]
        .as_array()
        .expect("cases")
        .iter()
        .all(|c| c["status"] == "closed"
            && c["channel"] == "email"
            && c["id"].as_i64() < Some(2100)));

    // select keeps the named columns and id; relations embed.
    let selected = call(
        &server,
        "GET",
        "/crm/objects/case?select=status&relations=contact%7Cusers%7Cmessages&limit=1",
        None,
    )
    .await;
    let case = &selected.json["data"]["data"][0];
    let keys: Vec<&str> = case
        .as_object()
        .expect("case")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
    assert_eq!(case["id"], 2072);
    assert_eq!(case["status"], "pending");
    assert_eq!(case["contact"]["id"], 597752);
    assert_eq!(case["users"][0]["user"]["type"], "contact");
    assert_eq!(case["messages"][0]["message"], "Question number 1");

    let bad = call(
        &server,
        "GET",
        "/crm/objects/case?where=status%7Clike",
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json["type"], "ERROR_INVALID_INPUT");
    assert!(bad.json["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("where")));
}

#[tokio::test]
async fn generated_cases_are_deterministic() {
    let mut pages = Vec::new();
    for _ in 0..2 {
        let server = start_with(MockConfig::default().with_generated_cases(30)).await;
        let reply = call(&server, "GET", "/crm/objects/case?page=2&limit=25", None).await;
        assert_eq!(reply.status, 200);
        pages.push(reply.json);
    }
    assert_eq!(pages[0], pages[1]);
    // The seed is kept: 5 documented cases + 3 authored ones + 30 generated.
    assert_eq!(pages[0]["data"]["count"], 38);
}

#[tokio::test]
async fn messages_are_appended_listed_edited_and_deleted() {
    let server = start().await;
    let created = call(
        &server,
        "POST",
        "/crm/messenger/chat/create?contactId=597752",
        Some(r#"{"message": {"message": "first"}}"#),
    )
    .await;
    let case = created.json["data"]["id"].as_i64().expect("id");
    let mut sent = Vec::new();
    for (text, as_contact) in [("second", false), ("third", true)] {
        let headers: &[(&str, &str)] = if as_contact {
            &[("x-user-type", "contact")]
        } else {
            &[]
        };
        let reply = common::call_with(
            &server,
            "POST",
            "/crm/messenger/chat/add-message",
            Some(&format!(
                r#"{{"caseId": {case}, "message": {{"message": "{text}"}}}}"#
            )),
            Some(common::KEY),
            headers,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let message = &reply.json["data"];
        assert_eq!(message["caseId"], case);
        assert_eq!(message["threadId"], case);
        assert_eq!(message["contactId"], 597752);
        assert_eq!(message["case"]["id"], case);
        if as_contact {
            assert_eq!(message["senderType"], "contact");
            assert_eq!(message["sender"]["id"], 597752);
        } else {
            assert_eq!(message["senderType"], "user");
            assert_eq!(message["sender"]["id"], 25);
        }
        sent.push(message["id"].as_i64().expect("message id"));
    }
    assert!(sent[1] > sent[0], "ids are allocated in order");

    let got = call(
        &server,
        "GET",
        &format!("/crm/objects/case/{case}?relations=messages"),
        None,
    )
    .await;
    let texts: Vec<&str> = got.json["data"]["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["message"].as_str())
        .collect();
    assert_eq!(texts, ["first", "second", "third"]);
    let thread = call(
        &server,
        "GET",
        &format!("/crm/messenger/chat/messages?threadId={case}&contactId=597752"),
        None,
    )
    .await;
    assert_eq!(thread.json["data"][0]["lastMessage"]["message"], "third");

    let edited = call(
        &server,
        "POST",
        &format!("/crm/messenger/chat/message/{}", sent[0]),
        Some(r#"{"message": {"message": "second, edited"}}"#),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.json);
    assert_eq!(edited.json["data"]["message"], "second, edited");
    assert!(edited.json["data"]["dateUpdated"].is_string());
    let read = call(
        &server,
        "GET",
        &format!("/crm/objects/case-message/{}", sent[0]),
        None,
    )
    .await;
    assert_eq!(read.json["data"]["message"], "second, edited");

    let deleted = call(
        &server,
        "DELETE",
        &format!("/crm/objects/case-message/{}", sent[1]),
        None,
    )
    .await;
    assert_eq!(deleted.json["data"]["deleted"], 1);
    let thread = call(
        &server,
        "GET",
        &format!("/crm/messenger/chat/messages?threadId={case}&contactId=597752"),
        None,
    )
    .await;
    assert_eq!(
        thread.json["data"][0]["lastMessage"]["message"],
        "second, edited"
    );
    let gone = call(
        &server,
        "GET",
        &format!("/crm/objects/case-message/{}", sent[1]),
        None,
    )
    .await;
    assert_eq!(gone.json["type"], "ERROR_RECORD_NOT_FOUND");

    // Closed cases take no more messages.
    let closed = call(
        &server,
        "POST",
        "/crm/messenger/chat/close",
        Some(&format!(r#"{{"caseId": {case}}}"#)),
    )
    .await;
    assert_eq!(closed.status, 200);
    let refused = call(
        &server,
        "POST",
        "/crm/messenger/chat/add-message",
        Some(&format!(
            r#"{{"caseId": {case}, "message": {{"message": "late"}}}}"#
        )),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json["type"], "ERROR_INVALID_INPUT");
}

#[tokio::test]
async fn reopen_lists_the_thread_and_invites_reach_the_case() {
    let server = start().await;
    let reopened = call(
        &server,
        "POST",
        "/crm/messenger/chat/create?contactId=597752",
        Some(r#"{"threadId": 1683}"#),
    )
    .await;
    let id = reopened.json["data"]["id"].as_i64().expect("id");
    let thread = call(
        &server,
        "GET",
        "/crm/messenger/chat/messages?threadId=1683&contactId=597752",
        None,
    )
    .await;
    let members: Vec<i64> = thread.json["data"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect();
    assert_eq!(members, [1683, 1694, 2071, id]);
    let root_children: Vec<i64> = thread.json["data"][0]["cases"]
        .as_array()
        .expect("sub-cases")
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect();
    assert_eq!(root_children, [1694, 2071, id]);

    let invited = call(
        &server,
        "POST",
        "/crm/messenger/agent/invite-agent",
        Some(&format!(r#"{{"caseId": {id}, "agentIds": [12, 1]}}"#)),
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.json);
    assert_eq!(invited.json["data"]["12"]["sent"], true);
    assert_eq!(invited.json["data"]["1"]["userId"], 1);
    let case = call(
        &server,
        "GET",
        &format!("/crm/objects/case/{id}?relations=users"),
        None,
    )
    .await;
    assert_eq!(
        status_of(&case.json["data"]["users"], "user", 12).as_deref(),
        Some("active")
    );
    let again = call(
        &server,
        "POST",
        "/crm/messenger/agent/invite-agent",
        Some(&format!(r#"{{"caseId": {id}, "agentIds": [12]}}"#)),
    )
    .await;
    assert_eq!(again.json["data"]["12"]["sent"], false, "already offered");
}

#[tokio::test]
async fn notes_and_snoozes() {
    let server = start().await;
    let seeded = call(&server, "GET", "/crm/note?contact_id=597752", None).await;
    assert_eq!(seeded.json["data"]["count"], 1);
    assert_eq!(seeded.json["data"]["rows"][0]["id"], 310);

    let created = call(
        &server,
        "POST",
        "/crm/note/create?contactId=597752",
        Some(r#"{"title": "Refund", "message": "Please check", "mentionUsers": [12, 12]}"#),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.json);
    let note = created.json["data"]["id"].as_i64().expect("note id");
    assert_eq!(
        created.json["data"]["contactId"], "597752",
        "echoed as the query string"
    );
    assert_eq!(
        created.json["data"]["users"].as_array().map(Vec::len),
        Some(1)
    );
    let first = created.json["data"]["lastMessage"]["id"]
        .as_i64()
        .expect("first message");

    let reply = call(
        &server,
        "POST",
        "/crm/note/add-message",
        Some(&format!(
            r#"{{"note_id": {note}, "contact_id": 597752, "message": "Done", "parent_id": {first}, "mentionUsers": [1]}}"#
        )),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.json["data"]["parentId"], first);
    assert_eq!(reply.json["data"]["note"]["id"], note);
    assert_eq!(reply.json["data"]["user"]["id"], 25);

    let messages = call(
        &server,
        "GET",
        &format!("/crm/note/messages?noteId={note}"),
        None,
    )
    .await;
    assert_eq!(messages.json["data"]["count"], 2);
    let got = call(&server, "GET", &format!("/crm/note/get/{note}"), None).await;
    assert_eq!(got.json["data"]["lastMessage"]["message"], "Done");
    assert_eq!(got.json["data"]["contactId"], 597752);
    assert_eq!(got.json["data"]["users"].as_array().map(Vec::len), Some(2));

    let paged = call(
        &server,
        "GET",
        "/crm/note?contact_id=597752&page=2&limit=1",
        None,
    )
    .await;
    assert_eq!(paged.json["data"]["count"], 2);
    assert_eq!(paged.json["data"]["rows"][0]["id"], note);
    let past = call(
        &server,
        "GET",
        "/crm/note?contact_id=597752&page=3&limit=1",
        None,
    )
    .await;
    assert_eq!(past.json["data"]["rows"], serde_json::json!([]));

    let deleted = call(&server, "DELETE", &format!("/crm/note/{note}"), None).await;
    assert_eq!(deleted.json["data"]["success"], true);
    let gone = call(
        &server,
        "GET",
        &format!("/crm/note/messages?noteId={note}"),
        None,
    )
    .await;
    assert_eq!(gone.json["type"], "ERROR_RECORD_NOT_FOUND");

    let snoozed = call(
        &server,
        "POST",
        "/crm/follow-up/create",
        Some(r#"{"objectType": "case", "objectId": 1684, "scheduleDate": "2021-03-25T09:00:00Z", "users": [12, 1]}"#),
    )
    .await;
    assert_eq!(snoozed.status, 200, "{}", snoozed.json);
    let snooze = &snoozed.json["data"]["data"];
    assert_eq!(snooze["scheduleDate"], "2021-03-25 09:00:00");
    assert_eq!(snooze["contactId"], 597752);
    assert_eq!(snooze["userId"], 25);
    assert_eq!(snooze["users"][0]["12"]["name"], "Jane Doe");
    assert_eq!(snooze["users"][1]["1"]["id"], 1);
    let id = snooze["id"].as_i64().expect("snooze id");
    let deleted = call(&server, "DELETE", &format!("/crm/follow-up/{id}"), None).await;
    assert_eq!(deleted.json["data"]["success"], true);
    let again = call(&server, "DELETE", &format!("/crm/follow-up/{id}"), None).await;
    assert_eq!(again.json["type"], "ERROR_RECORD_NOT_FOUND");
}
