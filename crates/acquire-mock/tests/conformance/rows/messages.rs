//! Rows of the message operations: a thread's messages, one message, chat
//! (send, update, delete), email and SMS.

use crate::row::{row, Auth, Row};
use crate::{AS_USER, INVALID, NOT_FOUND, SMS_BODY};

/// The rows, in the order they run.
pub(super) fn rows() -> Vec<Row> {
    vec![
        // list_messages
        row("thread 1683 (reopened twice)", "list_messages", 200).query("threadId=1683&contactId=597752"),
        row("thread 1684 as the contact", "list_messages", 200).query("threadId=1684&contactId=597752&x-user-type=contact"),
        row("thread, threadId missing", "list_messages", 400).query("contactId=597752")
        .error(INVALID),
        row("thread, unknown thread", "list_messages", 400).query("threadId=9&contactId=597752")
        .error(NOT_FOUND),
        row("thread of another contact", "list_messages", 400).query("threadId=1690&contactId=597752")
        .error(INVALID),
        row("thread, unknown contact", "list_messages", 400).query("threadId=1684&contactId=4")
        .error(NOT_FOUND),
        // get_message
        row("get message 7783", "get_message", 200).at(7783),
        row("get message, id not a number", "get_message", 400).at("seven")
        .error(INVALID),
        row("get message, unknown", "get_message", 400).at(1)
        .error(NOT_FOUND),
        // send_chat_message
        row("send, documented body", "send_chat_message", 200).query(AS_USER).body(include_str!(
                "../../../../../openapi/examples/authored/send-chat-message.request.json"
            )),
        row("send, as the contact with the query contactId", "send_chat_message", 200).query("x-user-type=contact&contactId=597752").body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Thanks"}}"#),
        row("send, a note without text", "send_chat_message", 200).query(AS_USER).body(r#"{"caseId": 1684, "message": {"type": "note"}}"#),
        row("send, x-user-type missing", "send_chat_message", 400).body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#)
        .error(INVALID),
        row("send, x-user-type only as a header", "send_chat_message", 400).body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#)
        .header("x-user-type", "user")
        .error(INVALID),
        row("send, message type missing", "send_chat_message", 400).query(AS_USER).body(r#"{"caseId": 1684, "message": {"message": "Hi"}}"#)
        .error(INVALID),
        row("send, closed case", "send_chat_message", 400).query(AS_USER).body(r#"{"caseId": 1683, "message": {"type": "message", "message": "Hi"}}"#)
        .error(INVALID),
        row("send, unknown case", "send_chat_message", 400).query(AS_USER).body(r#"{"caseId": 6, "message": {"type": "message", "message": "Hi"}}"#)
        .error(NOT_FOUND),
        row("send, another contact in the query", "send_chat_message", 400).query("x-user-type=contact&contactId=597760").body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#)
        .error(INVALID),
        row("send, contactId not a number", "send_chat_message", 400).query("x-user-type=contact&contactId=me").body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#)
        .error(INVALID),
        row("send, message missing", "send_chat_message", 400).query(AS_USER).body(r#"{"caseId": 1684}"#)
        .error(INVALID),
        // update_message
        row("update 7783, documented body", "update_message", 200).at(7783).body(include_str!(
                "../../../../../openapi/examples/authored/update-message.request.json"
            )),
        row("update 7783, type only (the text is kept)", "update_message", 200).at(7783).body(r#"{"message": {"type": "message"}}"#),
        row("update, text not a string", "update_message", 400).at(7783).body(r#"{"message": {"message": false}}"#)
        .error(INVALID),
        row("update, unknown message", "update_message", 400).at(2).body(r#"{"message": {"message": "x"}}"#)
        .error(NOT_FOUND),
        // delete_message
        row("delete message 7783", "delete_message", 200).at(7783),
        row("delete message 7783 again", "delete_message", 400).at(7783)
        .error(NOT_FOUND),
        row("get the deleted message", "get_message", 400).at(7783)
        .error(NOT_FOUND),
        // send_email_message
        row("email, documented body", "send_email_message", 200).body(include_str!(
                "../../../../../openapi/examples/authored/send-email-message.request.json"
            )),
        row("email, data missing", "send_email_message", 400).body(r#"{"caseId": 1702}"#)
        .error(INVALID),
        row("email, no subject nor htmlBody (optional)", "send_email_message", 200).body(
                r#"{"data": {"caseId": 1702, "contactId": 597752, "to": ["a@example.com"], "from": "support@example.acquire.io", "type": "message"}}"#,
            ),
        row("email, to not a list", "send_email_message", 400).body(
                r#"{"data": {"caseId": 1702, "contactId": 597752, "to": "a@example.com", "from": "support@example.acquire.io", "type": "message"}}"#,
            )
        .error(INVALID),
        row("email, unknown case", "send_email_message", 400).body(
                r#"{"data": {"caseId": 5, "contactId": 597752, "to": [], "from": "support@example.acquire.io", "type": "message"}}"#,
            )
        .error(NOT_FOUND),
        row("email, another contact", "send_email_message", 400).body(
                r#"{"data": {"caseId": 1702, "contactId": 597760, "to": [], "from": "support@example.acquire.io", "type": "message"}}"#,
            )
        .error(INVALID),
        // send_sms
        row("sms, documented body", "send_sms", 200).query(AS_USER).body(include_str!(
                "../../../../../openapi/examples/authored/send-sms.request.json"
            )),
        row("sms, every member of the reference's example", "send_sms", 200).query(AS_USER).body(include_str!(
                "../../../../../openapi/examples/authored/send-sms-example-members.request.json"
            )),
        row("sms, the key in the query", "send_sms", 200).query(AS_USER).body(SMS_BODY)
        .auth(Auth::Query),
        row("sms, another key in the query", "send_sms", 401).query("x-user-type=user&Authorization=Bearer%20not-the-key").body(SMS_BODY)
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        row("sms, the key in the query without Bearer", "send_sms", 401).query("x-user-type=user&Authorization=test-key-0123").body(SMS_BODY)
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        row("sms, as the contact", "send_sms", 200).query("x-user-type=contact").body(SMS_BODY),
        row("sms, x-user-type missing", "send_sms", 400).body(SMS_BODY)
        .error(INVALID),
        row("sms, unknown contact", "send_sms", 400).query(AS_USER).body(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 8, "threadId": 1710, "timelineId": 5120}"#)
        .error(NOT_FOUND),
        row("sms, unknown thread", "send_sms", 400).query(AS_USER).body(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 8, "timelineId": 5120}"#)
        .error(NOT_FOUND),
        row("sms, thread of another contact", "send_sms", 400).query(AS_USER).body(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597752, "threadId": 1710, "timelineId": 5120}"#)
        .error(INVALID),
        row("sms, unknown timeline entry", "send_sms", 400).query(AS_USER).body(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 8}"#)
        .error(NOT_FOUND),
        row("sms, id of a case outside the thread", "send_sms", 400).query(AS_USER).body(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120, "id": 1684}"#)
        .error(INVALID),
        row("sms, To missing", "send_sms", 400).query(AS_USER).body(r#"{"From": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#)
        .error(INVALID),
    ]
}
