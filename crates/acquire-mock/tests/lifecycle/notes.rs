//! Notes with their messages and mentions, and snoozes of a case or a
//! contact: created, listed, paged and deleted.

use crate::common::{op, send, start};

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
            "../../../../openapi/examples/authored/create-note-integer-mentions.request.json"
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
            "../../../../openapi/examples/authored/create-snooze-contact.request.json"
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
        refused.assert_refused_naming(body, &[field]);
    }
}
