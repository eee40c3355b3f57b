//! Messages of a case: chat messages appended, listed, edited and deleted;
//! emails and SMS store what was sent, and an SMS reopens a closed thread.

use serde_json::Value;

use super::{create_case, get_with};
use crate::common::{op, send, send_with, start, KEY};

#[tokio::test]
async fn messages_are_appended_listed_edited_and_deleted() {
    let server = start().await;
    let case = create_case(&server, Some(r#"{"message": {"message": "first"}}"#)).await;
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
    let header = send_with(
        &server,
        &op("send_chat_message"),
        Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
        Some(KEY),
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
            "../../../../openapi/examples/authored/send-email-message.request.json"
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
        include_str!("../../../../openapi/examples/authored/send-sms-example-members.request.json");
    let sms = op("send_sms");
    let send_sms = |query: Vec<(&'static str, String)>| {
        sms.request(&server)
            .query(&query)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let bearer = format!("Bearer {}", KEY);
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
