//! A refused request says what was wrong: each validation error names the
//! field (as a word of its own), and each required member of a documented
//! body is named when it is missing.

use serde_json::Value;

use crate::common::{names, op, send, start, Op};
use crate::{AS_USER, SMS_BODY};

#[test]
fn names_matches_whole_words_only() {
    assert!(names(r#"data: "to" is a required property"#, "to"));
    assert!(names("x-user-type is required", "x-user-type"));
    assert!(!names("thread 1 belongs to another contact", "contactId"));
    assert!(!names("user-type is required", "x-user-type"));
    assert!(!names("caseIds", "caseId"));
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let server = start().await;
    let rows: Vec<(Op, Option<&str>, &[&str])> = vec![
        (op("create_case"), None, &["contactId"]),
        (op("create_case").query("contactId=x"), None, &["contactId"]),
        (
            op("create_case").query("contactId=597752"),
            Some(r#"{"isFromCobrowse": "yes"}"#),
            &["isFromCobrowse"],
        ),
        (
            op("create_case").query("contactId=597752"),
            Some(r#"{"message": {"message": 1}}"#),
            &["message.message"],
        ),
        (
            op("create_case").query("contactId=597752"),
            Some(r#"{"threadId": 1e30}"#),
            &["threadId"],
        ),
        (
            op("create_case").query("contactId=597752"),
            Some(r#"{"sessionId": "abc"}"#),
            &["sessionId"],
        ),
        (
            op("create_case").query("contactId=597752"),
            Some(r#"{"mentionUsers": ["Jane"]}"#),
            &["mentionUsers"],
        ),
        (op("reject_case"), Some("{}"), &["caseId"]),
        (op("reject_case"), Some(r#"{"caseId": null}"#), &["caseId"]),
        (
            op("join_case"),
            Some(r#"{"caseId": 1684, "askJoin": "yes"}"#),
            &["askJoin"],
        ),
        (
            op("close_case"),
            Some(r#"{"caseId": 1684, "archive": true}"#),
            &["archive"],
        ),
        (
            op("list_cases").query("where=nope%7Ceq%7C1"),
            None,
            &["where"],
        ),
        (
            op("list_cases").query("where=status%7Cis%7Cx"),
            None,
            &["where"],
        ),
        (
            op("list_cases").query("where=id%7Ceq%7Cone"),
            None,
            &["where"],
        ),
        // The vocabulary is the spec's: `in` and `nin` are not operators,
        // and select and relations take only its columns and relations.
        (
            op("list_cases").query("where=id%7Cin%7C1,1684"),
            None,
            &["where"],
        ),
        (
            op("list_cases").query("where=status%7Cnin%7Cclosed"),
            None,
            &["where"],
        ),
        (
            op("list_cases").query("where=colour%7Ceq%7Cred"),
            None,
            &["where"],
        ),
        (
            op("list_cases").query("select=status%7Ccolour"),
            None,
            &["select"],
        ),
        (
            op("list_cases").query("relations=contact%7Cowner"),
            None,
            &["relations"],
        ),
        (
            op("get_case").at(1684).query("select=Status"),
            None,
            &["select"],
        ),
        (
            op("get_case").at(1684).query("relations=Contact"),
            None,
            &["relations"],
        ),
        (op("list_cases").query("limit=ten"), None, &["limit"]),
        (op("list_cases").query("limit=0"), None, &["limit"]),
        (op("list_cases").query("page=-1"), None, &["page"]),
        (
            op("list_notes").query("contact_id=597752&page=-1"),
            None,
            &["page"],
        ),
        (
            op("invite_agent"),
            Some(r#"{"caseId": 1681}"#),
            &["agentIds", "department"],
        ),
        (
            op("invite_agent"),
            Some(r#"{"caseId": 1681, "agentIds": [], "department": []}"#),
            &["agentIds", "department"],
        ),
        (
            op("invite_agent"),
            Some(r#"{"caseId": "16a", "agentIds": [12]}"#),
            &["caseId"],
        ),
        (
            op("create_snooze"),
            Some(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "later"}"#),
            &["scheduleDate"],
        ),
        (
            op("create_snooze"),
            Some(
                r#"{"objectType": "case", "caseId": null, "scheduleDate": "2021-03-25 09:00:00"}"#,
            ),
            &["caseId", "contactId"],
        ),
        (
            op("create_snooze"),
            Some(
                r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": ["Jane"]}"#,
            ),
            &["users"],
        ),
        (
            op("create_snooze"),
            Some(
                r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": [true]}"#,
            ),
            &["users"],
        ),
        (
            op("send_chat_message"),
            Some(r#"{"caseId": 1684, "message": {"type": "message"}}"#),
            &["x-user-type"],
        ),
        (
            op("send_chat_message").query(AS_USER),
            Some(r#"{"caseId": 1684, "message": {"message": "Hi"}}"#),
            &["type"],
        ),
        (op("send_sms"), Some(SMS_BODY), &["x-user-type"]),
        (
            op("send_sms").query(AS_USER),
            Some(
                r#"{"From": "+1", "To": 5, "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#,
            ),
            &["To"],
        ),
        (
            op("add_note_message"),
            Some(
                r#"{"type": "message", "note_id": 310, "contact_id": 597752, "mentionUsers": ["twelve"]}"#,
            ),
            &["mentionUsers"],
        ),
        (
            op("list_messages").query("threadId=1684"),
            None,
            &["contactId"],
        ),
        (
            op("list_messages").query("threadId=1684&contactId=597752&x-user-type=7"),
            None,
            &[],
        ),
    ];
    for (target, body, fields) in &rows {
        let path = &target.path;
        let reply = send(&server, target, *body).await;
        if fields.is_empty() {
            // An open enumeration: any string is accepted.
            assert_eq!(reply.status, 200, "{path} {body:?}: {}", reply.json);
            continue;
        }
        reply.assert_refused_naming(&format!("{path} {body:?}"), fields);
    }
}

/// Each operation whose reference table marks members required: the
/// complete body succeeds, and without any one of them it is a 400 naming
/// that member.
#[tokio::test]
async fn each_required_member_is_named_when_missing() {
    let server = start().await;
    let cases: Vec<(Op, &str, &str, &[&str])> = vec![
        (
            op("send_email_message"),
            "/data",
            include_str!("../../../../openapi/examples/authored/send-email-message.request.json"),
            &["caseId", "contactId", "to", "from", "type"],
        ),
        (
            op("send_sms").query(AS_USER),
            "",
            include_str!("../../../../openapi/examples/authored/send-sms.request.json"),
            &["From", "To", "Body", "contactId", "threadId", "timelineId"],
        ),
        (
            op("create_note").query("contactId=597752"),
            "",
            include_str!("../../../../openapi/examples/authored/create-note.request.json"),
            &["type"],
        ),
        (
            op("add_note_message"),
            "",
            include_str!("../../../../openapi/examples/authored/add-note-message.request.json"),
            &["type", "note_id", "contact_id"],
        ),
        (
            op("send_chat_message").query(AS_USER),
            "/message",
            include_str!("../../../../openapi/examples/authored/send-chat-message.request.json"),
            &["type"],
        ),
        (
            op("send_chat_message").query(AS_USER),
            "",
            include_str!("../../../../openapi/examples/authored/send-chat-message.request.json"),
            &["caseId", "message"],
        ),
    ];
    for (target, pointer, full, members) in &cases {
        let path = &target.path;
        let complete = send(&server, target, Some(full)).await;
        assert_eq!(complete.status, 200, "{path}: {}", complete.json);
        for member in *members {
            let mut body: Value = serde_json::from_str(full).expect("example");
            let removed = body
                .pointer_mut(pointer)
                .and_then(Value::as_object_mut)
                .and_then(|object| object.remove(*member));
            assert!(removed.is_some(), "{path}: the example has no {member}");
            let reply = send(&server, target, Some(&body.to_string())).await;
            reply.assert_refused_naming(&format!("{path} without {member}"), &[member]);
        }
    }
}
