//! The lifecycle behaves like Acquire's: create -> pending, join -> active,
//! reject -> the agent rejected, reopen -> a new case in the thread; state
//! persists across requests and ids are allocated; messages are appended,
//! listed, edited and deleted; notes and snoozes live and die; lists filter,
//! select, embed and page.

mod common;

use acquire_mock::{MockConfig, RunningServer};
use common::{op, send, start, start_with};
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

    let created = send(
        &server,
        &op("create_case").query("contactId=597752"),
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

    let second = send(&server, &op("create_case").query("contactId=597752"), None).await;
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
        &op("create_case").query("contactId=597752"),
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
    let missing = send(&server, &op("reject_case"), Some(r#"{"caseId": 1681}"#)).await;
    assert_eq!(missing.json["type"], "ERROR_RECORD_NOT_FOUND");
    let created = send(&server, &op("create_case").query("contactId=597752"), None).await;
    let id = created.json["data"]["id"].as_i64().expect("id");
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
    let checker = common::Checker::new();
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
    // Pages count from 0: page 0 is the first, page 1 the second.
    for (page, want) in [(0, 20), (1, 20), (2, 5), (3, 0), (1000, 0)] {
        let reply = send(
            &server,
            &op("list_cases").query(&format!("page={page}&limit=20")),
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let data = &reply.json["data"];
        assert_eq!(data["count"], 45, "count is the total of matches");
        assert_eq!(data["page"], page);
        assert_eq!(data["limit"], 20);
        assert_eq!(data["offset"], page * 20);
        let got = ids(data);
        assert_eq!(got.len(), want, "page {page}: {got:?}");
        seen.extend(got);
    }
    let expected: Vec<i64> = (2072..2072 + 45).collect();
    assert_eq!(seen, expected, "every case once, in id order");
    // No page: the first, echoed as page 0.
    let first = send(&server, &op("list_cases").query("limit=20"), None).await;
    assert_eq!(first.json["data"]["page"], 0);
    assert_eq!(first.json["data"]["offset"], 0);
    assert_eq!(ids(&first.json["data"]), expected[..20]);

    // Conditions: all must hold.
    let closed = send(
        &server,
        &op("list_cases").query("where=status%7Ceq%7Cclosed&limit=100"),
        None,
    )
    .await;
    assert_eq!(closed.json["data"]["count"], 15);
    assert!(closed.json["data"]["data"]
        .as_array()
        .expect("cases")
        .iter()
        .all(|c| c["status"] == "closed" && c["dateClosed"].is_string()));
    let both = send(
        &server,
        &op("list_cases")
            .query("where=status%7Ceq%7Cclosed&where=channel%7Ceq%7Cemail&where=id%7Clt%7C2100"),
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
    let selected = send(
        &server,
        &op("list_cases").query("select=status&relations=contact%7Cusers%7Cmessages&limit=1"),
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

    let bad = send(
        &server,
        &op("list_cases").query("where=status%7Clike"),
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
        let reply = send(&server, &op("list_cases").query("page=1&limit=25"), None).await;
        assert_eq!(reply.status, 200);
        pages.push(reply.json);
    }
    assert_eq!(pages[0], pages[1]);
    // The seed is kept: 5 documented cases + 3 authored ones + 30 generated.
    assert_eq!(pages[0]["data"]["count"], 38);
    assert_eq!(pages[0]["data"]["offset"], 25);
    assert_eq!(pages[0]["data"]["data"].as_array().map(Vec::len), Some(13));
}

#[tokio::test]
async fn messages_are_appended_listed_edited_and_deleted() {
    let server = start().await;
    let created = send(
        &server,
        &op("create_case").query("contactId=597752"),
        Some(r#"{"message": {"message": "first"}}"#),
    )
    .await;
    let case = created.json["data"]["id"].as_i64().expect("id");
    let mut sent = Vec::new();
    // `x-user-type` (and the contact's `contactId`) travel in the query.
    for (text, query) in [
        ("second", "x-user-type=user"),
        ("third", "x-user-type=contact&contactId=597752"),
    ] {
        let as_contact = query.contains("contact&");
        let reply = send(
            &server,
            &op("send_chat_message").query(query),
            Some(&format!(
                r#"{{"caseId": {case}, "message": {{"type": "message", "message": "{text}"}}}}"#
            )),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let message = &reply.json["data"];
        assert_eq!(message["caseId"], case);
        assert_eq!(message["threadId"], case);
        assert_eq!(message["contactId"], 597752);
        assert_eq!(message["case"]["id"], case);
        assert_eq!(message["message"], text);
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

    let got = get_with(&server, case, "messages").await;
    let texts: Vec<&str> = got["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["message"].as_str())
        .collect();
    assert_eq!(texts, ["first", "second", "third"]);
    let thread = send(
        &server,
        &op("list_messages").query(&format!("threadId={case}&contactId=597752")),
        None,
    )
    .await;
    assert_eq!(thread.json["data"][0]["lastMessage"]["message"], "third");

    let edited = send(
        &server,
        &op("update_message").at(sent[0]),
        Some(r#"{"message": {"message": "second, edited"}}"#),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.json);
    assert_eq!(edited.json["data"]["message"], "second, edited");
    assert!(edited.json["data"]["dateUpdated"].is_string());
    let read = send(&server, &op("get_message").at(sent[0]), None).await;
    assert_eq!(read.json["data"]["message"], "second, edited");
    // Without its text, an update keeps it and changes the kind.
    let retyped = send(
        &server,
        &op("update_message").at(sent[0]),
        Some(r#"{"message": {"type": "event"}}"#),
    )
    .await;
    assert_eq!(retyped.status, 200, "{}", retyped.json);
    assert_eq!(retyped.json["data"]["message"], "second, edited");
    assert_eq!(retyped.json["data"]["type"], "event");

    let deleted = send(&server, &op("delete_message").at(sent[1]), None).await;
    assert_eq!(deleted.json["data"]["deleted"], 1);
    let thread = send(
        &server,
        &op("list_messages").query(&format!("threadId={case}&contactId=597752")),
        None,
    )
    .await;
    assert_eq!(
        thread.json["data"][0]["lastMessage"]["message"],
        "second, edited"
    );
    let gone = send(&server, &op("get_message").at(sent[1]), None).await;
    assert_eq!(gone.json["type"], "ERROR_RECORD_NOT_FOUND");

    // Closed cases take no more messages.
    let closed = send(
        &server,
        &op("close_case"),
        Some(&format!(r#"{{"caseId": {case}}}"#)),
    )
    .await;
    assert_eq!(closed.status, 200);
    let refused = send(
        &server,
        &op("send_chat_message").query("x-user-type=user"),
        Some(&format!(
            r#"{{"caseId": {case}, "message": {{"type": "message", "message": "late"}}}}"#
        )),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json["type"], "ERROR_INVALID_INPUT");
}

#[tokio::test]
async fn reopen_lists_the_thread_and_invites_reach_the_case() {
    let server = start().await;
    let reopened = send(
        &server,
        &op("create_case").query("contactId=597752"),
        Some(r#"{"threadId": 1683}"#),
    )
    .await;
    let id = reopened.json["data"]["id"].as_i64().expect("id");
    let thread = send(
        &server,
        &op("list_messages").query("threadId=1683&contactId=597752"),
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
async fn notes_and_snoozes() {
    let server = start().await;
    let seeded = send(&server, &op("list_notes").query("contact_id=597752"), None).await;
    assert_eq!(seeded.json["data"]["count"], 1);
    assert_eq!(seeded.json["data"]["rows"][0]["id"], 310);

    let created = send(&server, &op("create_note").query("contactId=597752"), Some(r#"{"type": "note", "title": "Refund", "message": "Please check", "mentionUsers": [12, "12"]}"#))
    .await;
    assert_eq!(created.status, 200, "{}", created.json);
    let note = created.json["data"]["id"].as_i64().expect("note id");
    assert_eq!(
        created.json["data"]["contactId"], "597752",
        "echoed as the query string"
    );
    assert_eq!(
        created.json["data"]["users"].as_array().map(Vec::len),
        Some(1),
        "12 and \"12\" are one agent"
    );
    assert_eq!(created.json["data"]["users"][0]["userId"], 12);
    assert_eq!(created.json["data"]["type"], "note");
    let first = created.json["data"]["lastMessage"]["id"]
        .as_i64()
        .expect("first message");

    let reply = send(&server, &op("add_note_message"), Some(&format!(
            r#"{{"type": "message", "note_id": {note}, "contact_id": 597752, "message": "Done", "parent_id": {first}, "mentionUsers": ["1"]}}"#
        )))
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.json["data"]["parentId"], first);
    assert_eq!(reply.json["data"]["note"]["id"], note);
    assert_eq!(reply.json["data"]["user"]["id"], 25);

    let messages = send(
        &server,
        &op("list_note_messages").query(&format!("noteId={note}")),
        None,
    )
    .await;
    assert_eq!(messages.json["data"]["count"], 2);
    let got = send(&server, &op("get_note").at(note), None).await;
    assert_eq!(got.json["data"]["lastMessage"]["message"], "Done");
    assert_eq!(got.json["data"]["contactId"], 597752);
    assert_eq!(got.json["data"]["users"].as_array().map(Vec::len), Some(2));

    let paged = send(
        &server,
        &op("list_notes").query("contact_id=597752&page=1&limit=1"),
        None,
    )
    .await;
    assert_eq!(paged.json["data"]["count"], 2);
    assert_eq!(
        paged.json["data"]["rows"][0]["id"], note,
        "page 1 is the second"
    );
    let first_page = send(
        &server,
        &op("list_notes").query("contact_id=597752&page=0&limit=1"),
        None,
    )
    .await;
    assert_eq!(
        first_page.json["data"]["rows"][0]["id"], 310,
        "page 0 is the first"
    );
    let past = send(
        &server,
        &op("list_notes").query("contact_id=597752&page=2&limit=1"),
        None,
    )
    .await;
    assert_eq!(past.json["data"]["rows"], serde_json::json!([]));

    let deleted = send(&server, &op("delete_note").at(note), None).await;
    assert_eq!(deleted.json["data"]["success"], true);
    let gone = send(
        &server,
        &op("list_note_messages").query(&format!("noteId={note}")),
        None,
    )
    .await;
    assert_eq!(gone.json["type"], "ERROR_RECORD_NOT_FOUND");

    let snoozed = send(&server, &op("create_snooze"), Some(r#"{"objectType": "case", "caseId": 1684, "objectId": 1684, "scheduleDate": "2021-03-25T09:00:00Z", "users": [12, "1"]}"#))
    .await;
    assert_eq!(snoozed.status, 200, "{}", snoozed.json);
    let snooze = &snoozed.json["data"]["data"];
    assert_eq!(snooze["scheduleDate"], "2021-03-25 09:00:00");
    assert_eq!(snooze["contactId"], 597752);
    assert_eq!(snooze["userId"], 25);
    assert_eq!(snooze["users"][0]["12"]["name"], "Jane Doe");
    assert_eq!(snooze["users"][1]["1"]["id"], 1);
    let id = snooze["id"].as_i64().expect("snooze id");
    let deleted = send(&server, &op("delete_snooze").at(id), None).await;
    assert_eq!(deleted.json["data"]["success"], true);
    let again = send(&server, &op("delete_snooze").at(id), None).await;
    assert_eq!(again.json["type"], "ERROR_RECORD_NOT_FOUND");
}

#[tokio::test]
async fn notes_keep_what_was_sent() {
    let server = start().await;
    // `type` alone: no title is invented, no first message stored.
    let bare = send(
        &server,
        &op("create_note").query("contactId=597760"),
        Some(r#"{"type": "note"}"#),
    )
    .await;
    assert_eq!(bare.status, 200, "{}", bare.json);
    let note = bare.json["data"]["id"].as_i64().expect("note id");
    assert!(bare.json["data"].get("title").is_none(), "{}", bare.json);
    assert!(bare.json["data"].get("lastMessage").is_none());
    let reply = send(&server, &op("add_note_message"), Some(&format!(
            r#"{{"type": "message", "note_id": {note}, "contact_id": 597760, "mentionUsers": [12]}}"#
        )))
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert!(reply.json["data"].get("message").is_none(), "no text sent");
    assert_eq!(reply.json["data"]["type"], "message");
    let got = send(&server, &op("get_note").at(note), None).await;
    assert_eq!(got.json["data"]["users"][0]["userId"], 12);
    // The mentions of the documented example, as integers.
    let integers = send(
        &server,
        &op("create_note").query("contactId=597752"),
        Some(include_str!(
            "../../../openapi/examples/authored/create-note-integer-mentions.request.json"
        )),
    )
    .await;
    assert_eq!(integers.status, 200, "{}", integers.json);
    assert_eq!(integers.json["data"]["title"], "Refund request");
    assert_eq!(integers.json["data"]["users"][0]["userId"], 12);
}

#[tokio::test]
async fn snoozes_take_either_id_and_either_time_form() {
    let server = start().await;
    // The reference's example form: a null caseId, a contactId, RFC 3339.
    let contact = send(
        &server,
        &op("create_snooze"),
        Some(include_str!(
            "../../../openapi/examples/authored/create-snooze-contact.request.json"
        )),
    )
    .await;
    assert_eq!(contact.status, 200, "{}", contact.json);
    let snooze = &contact.json["data"]["data"];
    assert_eq!(snooze["objectType"], "contact");
    assert_eq!(snooze["objectId"], 597752);
    assert_eq!(snooze["contactId"], 597752);
    assert_eq!(snooze["scheduleDate"], "2021-03-25 09:00:00");
    assert_eq!(snooze["message"], "Call back about the refund");
    assert_eq!(
        snooze["users"][0]["25"]["id"], 25,
        "nobody listed: the agent"
    );

    // A contact through its case (contactId null), a zone converted to UTC.
    let through_case = send(&server, &op("create_snooze"), Some(r#"{"objectType": "contact", "caseId": 1684, "contactId": null, "scheduleDate": "2021-03-25T10:30:00.250+01:00", "users": ["12"]}"#))
    .await;
    assert_eq!(through_case.status, 200, "{}", through_case.json);
    let snooze = &through_case.json["data"]["data"];
    assert_eq!(snooze["objectId"], 597752);
    assert_eq!(snooze["scheduleDate"], "2021-03-25 09:30:00");
    assert_eq!(snooze["users"][0]["12"]["name"], "Jane Doe");

    for (body, field) in [
        (
            r#"{"objectType": "contact", "objectId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#,
            "caseId",
        ),
        (
            r#"{"objectType": "contact", "caseId": null, "contactId": null, "scheduleDate": "2021-03-25 09:00:00"}"#,
            "contactId",
        ),
        (
            r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": ["12", "someone"]}"#,
            "users",
        ),
    ] {
        let refused = send(&server, &op("create_snooze"), Some(body)).await;
        assert_eq!(refused.status, 400, "{body}: {}", refused.json);
        assert_eq!(refused.json["type"], "ERROR_INVALID_INPUT");
        assert!(
            refused.json["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "{body}: {}",
            refused.json
        );
    }
}

/// Case `id` with `relations` embedded: the reply's `data`.
async fn get_with(server: &RunningServer, id: i64, relations: &str) -> Value {
    let target = op("get_case")
        .at(id)
        .query(&format!("relations={relations}"));
    let reply = send(server, &target, None).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    reply.json["data"].clone()
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
            include_str!("../../../openapi/examples/authored/close-case.request.json"),
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
    assert_eq!(nobody.status, 400);
    let message = nobody.json["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("agentIds") && message.contains("department"),
        "{message}"
    );
}

#[tokio::test]
async fn chat_messages_keep_their_kind_and_absent_text() {
    let server = start().await;
    let reply = send(
        &server,
        &op("send_chat_message").query("x-user-type=user"),
        Some(r#"{"caseId": 1684, "message": {"type": "note"}}"#),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let id = reply.json["data"]["id"].as_i64().expect("id");
    let read = send(&server, &op("get_message").at(id), None).await;
    assert_eq!(read.json["data"]["type"], "note");
    assert!(read.json["data"].get("message").is_none(), "{}", read.json);
    // As the contact without the query contactId: the case's contact.
    let contact = send(
        &server,
        &op("send_chat_message").query("x-user-type=contact"),
        Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hello"}}"#),
    )
    .await;
    assert_eq!(contact.json["data"]["senderType"], "contact");
    assert_eq!(contact.json["data"]["senderId"], 597752);
    // A header is not where x-user-type goes.
    let header = common::send_with(
        &server,
        &op("send_chat_message"),
        Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
        Some(common::KEY),
        &[("x-user-type", "contact")],
    )
    .await;
    assert_eq!(header.status, 400);
    assert_eq!(header.json["message"], "x-user-type is required");
}

#[tokio::test]
async fn emails_store_only_what_was_sent() {
    let server = start().await;
    let reply = send(&server, &op("send_email_message"), Some(r#"{"data": {"caseId": 1702, "contactId": 597752, "to": ["a@example.com"], "from": "me@example.com", "type": "message"}}"#))
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let email = &reply.json["data"];
    assert_eq!(email["from"]["Email"], "me@example.com");
    assert_eq!(email["to"][0]["Email"], "a@example.com");
    for absent in ["subject", "htmlBody", "textBody"] {
        assert!(email.get(absent).is_none(), "{absent}: {email}");
    }
    let documented = send(
        &server,
        &op("send_email_message"),
        Some(include_str!(
            "../../../openapi/examples/authored/send-email-message.request.json"
        )),
    )
    .await;
    assert_eq!(documented.json["data"]["subject"], "Re: Your order");
    assert_eq!(
        documented.json["data"]["textBody"],
        "Your order has shipped."
    );
}

#[tokio::test]
async fn sms_takes_the_key_in_the_query_and_the_example_members() {
    let server = start().await;
    let body =
        include_str!("../../../openapi/examples/authored/send-sms-example-members.request.json");
    let sms = op("send_sms");
    let send_sms = |query: Vec<(&'static str, String)>| {
        sms.request(&server)
            .query(&query)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let bearer = format!("Bearer {}", common::KEY);
    let ok = send_sms(vec![
        ("x-user-type", "user".into()),
        ("Authorization", bearer.clone()),
    ])
    .await
    .expect("response");
    assert_eq!(ok.status(), 200);
    let sent: Value = ok.json().await.expect("json");
    let data = &sent["data"];
    assert_eq!(data["threadId"], 1710);
    assert_eq!(data["data"]["from"], "+15005550006");
    assert_eq!(data["data"]["to"], "+14155550123");
    assert_eq!(data["data"]["message"], "Your order has shipped.");
    assert_eq!(data["data"]["contactId"], 597760);
    assert_eq!(data["data"]["timelineId"], 5120);
    assert_eq!(data["data"]["type"], "message", "msgType is the kind");
    assert_eq!(data["data"]["senderId"], 25);
    assert_eq!(server.executed_count("send_sms"), 1);

    // Without x-user-type, with a wrong key, or with the key under another
    // name: refused, and nothing is stored.
    for (query, status) in [
        (vec![("Authorization", bearer.clone())], 400),
        (
            vec![
                ("x-user-type", "user".into()),
                ("Authorization", "Bearer nope".into()),
            ],
            401,
        ),
        (
            vec![
                ("x-user-type", "user".into()),
                ("authorization", bearer.clone()),
            ],
            401,
        ),
        (
            vec![
                ("x-user-type", "user".into()),
                ("Authorization", "Bearer nope".into()),
                ("Authorization", bearer.clone()),
            ],
            401,
        ),
    ] {
        let reply = send_sms(query.clone()).await.expect("response");
        assert_eq!(reply.status().as_u16(), status, "{query:?}");
    }
    assert_eq!(server.executed_count("send_sms"), 1);

    // Once the thread's case is closed, an SMS opens a new case in the
    // thread, titled as sent.
    let case = data["cas"]["id"].as_i64().expect("case");
    let closed = send(
        &server,
        &op("close_case"),
        Some(&format!(r#"{{"caseId": {case}}}"#)),
    )
    .await;
    assert_eq!(closed.status, 200, "{}", closed.json);
    let reopened = send(&server, &op("send_sms").query("x-user-type=user"), Some(&format!(
            r#"{{"From": "+15005550006", "To": "+14155550123", "Body": "Back", "contactId": 597760, "threadId": 1710, "timelineId": 5120, "id": {case}, "title": "Follow-up", "msgType": "event"}}"#
        )))
    .await;
    assert_eq!(reopened.status, 200, "{}", reopened.json);
    let cas = &reopened.json["data"]["cas"];
    assert_ne!(cas["id"], case);
    assert_eq!(cas["title"], "Follow-up");
    assert_eq!(cas["threadId"], 1710);
    assert_eq!(reopened.json["data"]["data"]["is_new_case"], true);
    assert_eq!(reopened.json["data"]["data"]["type"], "event");
}

#[tokio::test]
async fn session_ids_are_kept_as_sent() {
    let server = start().await;
    for (sent, kept) in [("\"0042\"", "0042"), ("3711819272", "3711819272")] {
        let reply = send(
            &server,
            &op("create_case").query("contactId=597752"),
            Some(&format!(
                r#"{{"threadId": 1683, "sessionId": {sent}, "mentionUsers": ["12", 1]}}"#
            )),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        assert_eq!(reply.json["data"]["meta"]["sessionId"], kept);
    }
}
