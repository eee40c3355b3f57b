//! Every route, success and error paths: the status is the one expected and
//! the body validates against the spec's schema for that operation and
//! status (declared properties only). One row per case; a new route is a
//! few rows. A row names its operation: the method and path template are
//! the spec's, the row gives only the path parameters, the query and the
//! body (rows that send what the spec does not declare say so with
//! `literal`).

mod common;

use common::{op, send, send_with, start, Checker, Op, KEY};
use serde_json::Value;

/// How a row authenticates.
#[derive(Clone, Copy)]
enum Auth {
    /// `Authorization: Bearer <key>`.
    Key,
    /// The header with another key.
    Wrong,
    /// No key at all.
    Missing,
    /// No header; `Authorization=Bearer <key>` in the query (send SMS's
    /// `bearerQuery` alternative).
    Query,
}

struct Row {
    name: &'static str,
    operation_id: &'static str,
    /// The request: the operation's method and path from the spec, unless
    /// the row deliberately sends another ([`Row::literal`]).
    target: Op,
    body: Option<&'static str>,
    auth: Auth,
    /// An `x-mock-fault` header value.
    fault: Option<&'static str>,
    /// An extra request header.
    header: Option<(&'static str, &'static str)>,
    status: u16,
    /// `type` of an error body.
    error_type: Option<&'static str>,
}

/// A row for `operation_id`, sent as the spec declares it, answered with
/// `status`.
fn row(name: &'static str, operation_id: &'static str, status: u16) -> Row {
    Row {
        name,
        operation_id,
        target: op(operation_id),
        body: None,
        auth: Auth::Key,
        fault: None,
        header: None,
        status,
        error_type: None,
    }
}

impl Row {
    /// Fills the next path parameter.
    fn at(mut self, value: impl std::fmt::Display) -> Self {
        self.target = self.target.at(value);
        self
    }
    fn query(mut self, query: &str) -> Self {
        self.target = self.target.query(query);
        self
    }
    fn body(mut self, body: &'static str) -> Self {
        self.body = Some(body);
        self
    }
    /// A method and path the spec does not declare for the operation.
    fn literal(mut self, method: &str, path: &str) -> Self {
        self.target = Op::literal(method, path);
        self
    }
    fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }
    fn fault(mut self, fault: &'static str) -> Self {
        self.fault = Some(fault);
        self
    }
    fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.header = Some((name, value));
        self
    }
    fn error(mut self, error_type: &'static str) -> Self {
        self.error_type = Some(error_type);
        self
    }
}

/// `x-user-type=user`: the agent writes (send chat, SMS).
const AS_USER: &str = "x-user-type=user";
const INVALID: &str = "ERROR_INVALID_INPUT";
const NOT_FOUND: &str = "ERROR_RECORD_NOT_FOUND";

/// A complete SMS to contact 597760's thread 1710.
const SMS_BODY: &str = r#"{"From": "+15005550006", "To": "+14155550123", "Body": "Hi", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#;

/// Rows run in order against one seeded server.
fn rows() -> Vec<Row> {
    vec![
        // create_case
        row("create, no body", "create_case", 200).query("contactId=597752"),
        row("create, documented body", "create_case", 200).query("contactId=597752").body(include_str!(
                "../../../openapi/examples/seed/create-case.request.json"
            )),
        row("reopen, documented body", "create_case", 200).query("contactId=597752").body(include_str!(
                "../../../openapi/examples/seed/reopen-case.request.json"
            )),
        row("create, routed to agent 1", "create_case", 200).query("contactId=597752").body(r#"{"routeAgentId": 1, "message": {"message": "hello"}}"#),
        row("create, contactId missing", "create_case", 400)
        .error(INVALID),
        row("create, contactId not a number", "create_case", 400).query("contactId=abc")
        .error(INVALID),
        row("create, unknown contact", "create_case", 400).query("contactId=1")
        .error(NOT_FOUND),
        row("create, unknown thread", "create_case", 400).query("contactId=597752").body(r#"{"threadId": 42}"#)
        .error(NOT_FOUND),
        row("create, title not a string", "create_case", 400).query("contactId=597752").body(r#"{"title": 5}"#)
        .error(INVALID),
        row("create, message without text (optional)", "create_case", 200).query("contactId=597752").body(r#"{"message": {"type": "message"}}"#),
        row("reopen, sessionId and mentionUsers as strings of digits", "create_case", 200).query("contactId=597752").body(r#"{"threadId": 1683, "sessionId": "3711819272", "mentionUsers": ["12", 1]}"#),
        row("create, sessionId not digits", "create_case", 400).query("contactId=597752").body(r#"{"sessionId": "abc"}"#)
        .error(INVALID),
        row("create, a mention that is not a 64-bit id", "create_case", 400).query("contactId=597752").body(r#"{"mentionUsers": [9223372036854775808]}"#)
        .error(INVALID),
        row("create, sessionId beyond 64 bits names no record", "create_case", 400).query("contactId=597752").body(r#"{"sessionId": "99999999999999999999"}"#)
        .error(NOT_FOUND),
        row("create, body not JSON", "create_case", 400).query("contactId=597752").body("{nope")
        .error(INVALID),
        row("create, no key", "create_case", 401).query("contactId=597752")
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        row("create, wrong key", "create_case", 401).query("contactId=597752")
        .auth(Auth::Wrong)
        .error("ERROR_UNAUTHORIZED"),
        row("create, injected 503", "create_case", 503).query("contactId=597752")
        .fault("status=503;retry-after=1"),
        row("create, injected 500", "create_case", 500).query("contactId=597752")
        .fault("status=500")
        .error("ERROR_SERVER_ERROR"),
        row("create, injected 429", "create_case", 429).query("contactId=597752")
        .fault("status=429;retry-after=2"),
        row("create, unreadable fault header", "create_case", 400).query("contactId=597752")
        .fault("status=teapot")
        .error(INVALID),
        // join_case
        row("join, documented body", "join_case", 200).body(include_str!(
                "../../../openapi/examples/seed/join-case.request.json"
            )),
        row("join, pending case 1681", "join_case", 200).body(r#"{"caseId": 1681}"#),
        row("join, no body", "join_case", 400).error(INVALID),
        row("join, caseId missing", "join_case", 400).body(r#"{"askJoin": true}"#)
        .error(INVALID),
        row("join, caseId a string", "join_case", 400).body(r#"{"caseId": "1684"}"#)
        .error(INVALID),
        row("join, unknown case", "join_case", 400).body(r#"{"caseId": 7}"#)
        .error(NOT_FOUND),
        row("join, closed case", "join_case", 400).body(r#"{"caseId": 1683}"#)
        .error(INVALID),
        row("join, wrong key", "join_case", 401).body(r#"{"caseId": 1684}"#)
        .auth(Auth::Wrong)
        .error("ERROR_UNAUTHORIZED"),
        // reject_case
        row("reject, documented body", "reject_case", 200).body(include_str!(
                "../../../openapi/examples/seed/reject-case.request.json"
            )),
        row("reject, new case", "reject_case", 200).body(r#"{"caseId": 2072}"#),
        row("reject, caseId missing", "reject_case", 400).body("{}")
        .error(INVALID),
        row("reject, caseId null", "reject_case", 400).body(r#"{"caseId": null}"#)
        .error(INVALID),
        row("reject, body an array", "reject_case", 400).body("[1681]")
        .error(INVALID),
        row("reject, huge id", "reject_case", 400).body(r#"{"caseId": 123456789012345678901234567890}"#)
        .error(INVALID),
        row("reject, unknown case", "reject_case", 400).body(r#"{"caseId": 9223372036854775807}"#)
        .error(NOT_FOUND),
        row("reject, no key", "reject_case", 401).body(r#"{"caseId": 1681}"#)
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        // close_case
        row("close, archive a boolean", "close_case", 400).body(r#"{"caseId": 2072, "archive": true}"#)
        .error(INVALID),
        row("close, case 2072, archive no", "close_case", 200).body(r#"{"caseId": 2072, "archive": "no"}"#),
        row("close, again", "close_case", 400).body(r#"{"caseId": 2072}"#)
        .error(INVALID),
        row("close, unknown case", "close_case", 400).body(r#"{"caseId": 8}"#)
        .error(NOT_FOUND),
        // get_case
        row("get, case 1684 with relations", "get_case", 200).at(1684).query("relations=contact%7Cusers%7Cmessages"),
        row("get, select", "get_case", 200).at(1684).query("select=status%7Ctitle"),
        row("get, id not a number", "get_case", 400).at("abc")
        .error(INVALID),
        row("get, unknown case", "get_case", 400).at(5)
        .error(NOT_FOUND),
        // invite_agent
        row("invite, agent 12 to case 1681", "invite_agent", 200).body(r#"{"caseId": 1681, "agentIds": [12]}"#),
        row("invite, again (already offered)", "invite_agent", 200).body(r#"{"caseId": 1681, "agentIds": [12, 1], "department": [3]}"#),
        row("invite, documented body", "invite_agent", 200).body(include_str!(
                "../../../openapi/examples/authored/invite-agent.request.json"
            )),
        row("invite, caseId as a string (documented)", "invite_agent", 200).body(include_str!(
                "../../../openapi/examples/authored/invite-agent-string-case-id.request.json"
            )),
        row("invite, caseId not digits", "invite_agent", 400).body(r#"{"caseId": "16a", "agentIds": [12]}"#)
        .error(INVALID),
        row("invite, caseId as a string beyond 64 bits names no case", "invite_agent", 400).body(r#"{"caseId": "99999999999999999999", "agentIds": [12]}"#)
        .error(NOT_FOUND),
        row("invite, empty lists", "invite_agent", 400).body(r#"{"caseId": 1681, "agentIds": [], "department": []}"#)
        .error(INVALID),
        row("invite, an unknown agent", "invite_agent", 400).body(r#"{"caseId": 1684, "agentIds": [12, 15]}"#)
        .error(NOT_FOUND),
        row("invite, nobody", "invite_agent", 400).body(r#"{"caseId": 1681}"#)
        .error(INVALID),
        row("invite, closed case", "invite_agent", 400).body(r#"{"caseId": 1683, "agentIds": [12]}"#)
        .error(INVALID),
        row("invite, unknown case", "invite_agent", 400).body(r#"{"caseId": 3, "agentIds": [12]}"#)
        .error(NOT_FOUND),
        row("invite, agentIds not integers", "invite_agent", 400).body(r#"{"caseId": 1681, "agentIds": ["12"]}"#)
        .error(INVALID),
        row("invite, no key", "invite_agent", 401).body(r#"{"caseId": 1681, "agentIds": [12]}"#)
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        // list_cases
        row("list, first page", "list_cases", 200),
        row("list, active chats with every declared relation", "list_cases", 200).query("where=status%7Ceq%7Cactive&where=channel%7Ceq%7Cchat\
             &relations=contact%7Cusers%7Cmessages%7Ccases%7Cfields%7Cfeedbacks%7Ctimeline\
             &page=1&limit=2"),
        row("list, select and operators", "list_cases", 200).query("select=status%7Ctitle&where=id%7Cgte%7C1684\
             &where=title%7Clike%7C%25chat%25&where=status%7Cne%7Cclosed"),
        row("list, page 0 (the first)", "list_cases", 200).query("page=0&limit=3"),
        row("list, past the end", "list_cases", 200).query("page=1000&limit=50"),
        row("list, negative page", "list_cases", 400).query("page=-1")
        .error(INVALID),
        row("list, limit 0", "list_cases", 400).query("limit=0")
        .error(INVALID),
        row("list, unknown column", "list_cases", 400).query("where=colour%7Ceq%7Cred")
        .error(INVALID),
        row("list, `in` is not an operator of the spec", "list_cases", 400)
            .query("where=id%7Cin%7C1681,1684")
            .error(INVALID),
        row("list, `nin` is not an operator of the spec", "list_cases", 400)
            .query("where=id%7Cnin%7C1681,1684")
            .error(INVALID),
        row("list, unknown select column", "list_cases", 400)
            .query("select=status%7Ccolour")
            .error(INVALID),
        row("get, unknown relation", "get_case", 400)
            .at(1684)
            .query("relations=contact%7Cowner")
            .error(INVALID),
        row("list, unknown operator", "list_cases", 400).query("where=status%7Cis%7Cactive")
        .error(INVALID),
        row("list, malformed condition", "list_cases", 400).query("where=status")
        .error(INVALID),
        row("list, page not a number", "list_cases", 400).query("page=first")
        .error(INVALID),
        row("list, wrong key", "list_cases", 401)
        .auth(Auth::Wrong)
        .error("ERROR_UNAUTHORIZED"),
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
                "../../../openapi/examples/authored/send-chat-message.request.json"
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
                "../../../openapi/examples/authored/update-message.request.json"
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
                "../../../openapi/examples/authored/send-email-message.request.json"
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
                "../../../openapi/examples/authored/send-sms.request.json"
            )),
        row("sms, every member of the reference's example", "send_sms", 200).query(AS_USER).body(include_str!(
                "../../../openapi/examples/authored/send-sms-example-members.request.json"
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
        // notes
        row("notes of 597752", "list_notes", 200).query("contact_id=597752"),
        row("notes, page past the end", "list_notes", 200).query("contact_id=597752&page=9&limit=5"),
        row("notes, contact_id missing", "list_notes", 400).error(INVALID),
        row("notes, unknown contact", "list_notes", 400).query("contact_id=3")
        .error(NOT_FOUND),
        row("get note 310", "get_note", 200).at(310),
        row("get note, unknown", "get_note", 400).at(3).error(NOT_FOUND),
        row("get note, not a number", "get_note", 400).at("x")
            .error(INVALID),
        row("create note, documented body", "create_note", 200).query("contactId=597752").body(include_str!(
                "../../../openapi/examples/authored/create-note.request.json"
            )),
        row("create note, integer mentions (documented)", "create_note", 200).query("contactId=597760").body(include_str!(
                "../../../openapi/examples/authored/create-note-integer-mentions.request.json"
            )),
        row("create note, type only", "create_note", 200).query("contactId=597760").body(r#"{"type": "note"}"#),
        row("create note, type missing", "create_note", 400).query("contactId=597752").body(r#"{"title": "x", "message": "x"}"#)
        .error(INVALID),
        row("create note, unknown contact", "create_note", 400).query("contactId=2").body(r#"{"type": "note", "title": "x"}"#)
        .error(NOT_FOUND),
        row("create note, unknown mention", "create_note", 400).query("contactId=597752").body(r#"{"type": "note", "title": "x", "mentionUsers": ["999"]}"#)
        .error(NOT_FOUND),
        row("create note, a mention not an id", "create_note", 400).query("contactId=597752").body(r#"{"type": "note", "mentionUsers": ["Jane"]}"#)
        .error(INVALID),
        row("note message, documented body", "add_note_message", 200).body(include_str!(
                "../../../openapi/examples/authored/add-note-message.request.json"
            )),
        row("note message, no text (optional)", "add_note_message", 200).body(r#"{"type": "message", "note_id": 310, "contact_id": 597752, "mentionUsers": [12, "1"]}"#),
        row("note message, unknown note", "add_note_message", 400).body(r#"{"type": "message", "note_id": 4, "contact_id": 597752, "message": "x"}"#)
        .error(NOT_FOUND),
        row("note message, parent of another note", "add_note_message", 400).body(r#"{"type": "message", "note_id": 310, "contact_id": 597752, "message": "x", "parent_id": 7}"#)
        .error(NOT_FOUND),
        row("note message, another contact", "add_note_message", 400).body(r#"{"type": "message", "note_id": 310, "contact_id": 597760, "message": "x"}"#)
        .error(INVALID),
        row("note message, camelCase noteId", "add_note_message", 400).body(r#"{"type": "message", "noteId": 310, "contact_id": 597752, "message": "x"}"#)
        .error(INVALID),
        row("messages of note 310", "list_note_messages", 200).query("noteId=310"),
        row("note messages, unknown note", "list_note_messages", 400).query("noteId=4")
        .error(NOT_FOUND),
        row("note messages, noteId missing", "list_note_messages", 400)
        .error(INVALID),
        row("delete note 311", "delete_note", 200).at(311),
        row("delete note 311 again", "delete_note", 400).at(311)
            .error(NOT_FOUND),
        row("create is not a note id", "delete_note", 405).literal("DELETE", "/crm/note/create"),
        // snoozes
        row("snooze, documented body", "create_snooze", 200).body(include_str!(
                "../../../openapi/examples/authored/create-snooze.request.json"
            )),
        row("snooze a contact, null caseId and RFC 3339 time (documented)", "create_snooze", 200).body(include_str!(
                "../../../openapi/examples/authored/create-snooze-contact.request.json"
            )),
        row("snooze a contact through its case", "create_snooze", 200).body(r#"{"objectType": "contact", "caseId": 1684, "contactId": null, "scheduleDate": "2021-03-25T10:00:00+01:00"}"#),
        row("snooze, users as strings of digits", "create_snooze", 200).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": ["12", 1]}"#),
        row("snooze, a user not an id", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": [{"id": 12}]}"#)
        .error(INVALID),
        row("snooze, neither caseId nor contactId", "create_snooze", 400).body(r#"{"objectType": "contact", "objectId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, both null", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": null, "contactId": null, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze a case with only its contact", "create_snooze", 400).body(r#"{"objectType": "case", "contactId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, case of another contact", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "contactId": 597760, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, bad time", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "tomorrow"}"#)
        .error(INVALID),
        row("snooze, impossible date", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-02-30 09:00:00"}"#)
        .error(INVALID),
        row("snooze, unknown object type", "create_snooze", 400).body(r#"{"objectType": "note", "caseId": 1684, "objectId": 310, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, unknown case", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 3, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(NOT_FOUND),
        row("snooze, scheduleDate missing", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684}"#)
        .error(INVALID),
        row("delete snooze 77", "delete_snooze", 200).at(77),
        row("delete snooze 77 again", "delete_snooze", 400).at(77)
            .error(NOT_FOUND),
        row("delete snooze, not a number", "delete_snooze", 400).at("soon")
        .error(INVALID),
        row("delete snooze, no key", "delete_snooze", 401).at(78)
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        // The key in the query is send SMS's alone.
        row("get case, the key in the query", "get_case", 401).at(1684)
        .auth(Auth::Query)
        .error("ERROR_UNAUTHORIZED"),
        row("send chat, the key in the query", "send_chat_message", 401).query(AS_USER).body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#)
        .auth(Auth::Query)
        .error("ERROR_UNAUTHORIZED"),
        // Last: closes case 1684, which the rows above write to.
        row("close 1684, documented body (archive yes)", "close_case", 200).body(include_str!(
                "../../../openapi/examples/authored/close-case.request.json"
            )),
    ]
}

#[tokio::test]
async fn every_route_answers_as_the_spec_says() {
    let server = start().await;
    let mut checker = Checker::new();
    let mut ran = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for row in rows() {
        let key = match row.auth {
            Auth::Key => Some(KEY),
            Auth::Wrong => Some("not-the-key"),
            Auth::Missing | Auth::Query => None,
        };
        let target = match row.auth {
            Auth::Query => row
                .target
                .clone()
                .query(&format!("Authorization=Bearer%20{KEY}")),
            _ => row.target.clone(),
        };
        let headers: Vec<(&str, &str)> = row
            .fault
            .map(|f| ("x-mock-fault", f))
            .into_iter()
            .chain(row.header)
            .collect();
        let reply = send_with(&server, &target, row.body, key, &headers).await;
        if reply.status != row.status {
            problems.push(format!(
                "{}: status {} (want {}): {}",
                row.name, reply.status, row.status, reply.json
            ));
            continue;
        }
        for failure in checker.failures(row.operation_id, reply.status, &reply.json) {
            problems.push(format!("{}: {failure}", row.name));
        }
        if reply.status >= 400 {
            let body = &reply.json;
            if body.get("status").and_then(Value::as_u64) != Some(u64::from(row.status)) {
                problems.push(format!(
                    "{}: error body without its status: {body}",
                    row.name
                ));
            }
            if body
                .get("message")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                problems.push(format!(
                    "{}: error body without a message: {body}",
                    row.name
                ));
            }
            if let Some(want) = row.error_type {
                if body.get("type").and_then(Value::as_str) != Some(want) {
                    problems.push(format!("{}: type is not {want}: {body}", row.name));
                }
            }
            if row.fault.is_some_and(|f| f.contains("retry-after"))
                && reply.headers.get("retry-after").is_none()
            {
                problems.push(format!("{}: no Retry-After", row.name));
            }
        } else {
            ran.insert(row.operation_id);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every operation the fake serves has at least one successful row.
    let served: Vec<String> = checker
        .spec
        .operations()
        .into_iter()
        .filter_map(|op| op.operation_id)
        .filter(|id| !acquire_mock::unserved_operations(&checker.spec).contains(id))
        .collect();
    for id in &served {
        assert!(ran.contains(id.as_str()), "no successful row for {id}");
    }
    assert!(
        acquire_mock::unserved_operations(&checker.spec).is_empty(),
        "operations without a handler: {:?}",
        acquire_mock::unserved_operations(&checker.spec)
    );
    assert_eq!(
        served.len(),
        checker.spec.operations().len(),
        "every operation of the spec (each with an id) is served"
    );
}

/// Whether `message` names `field` as a word of its own (`to` in
/// `data: "to" is a required property`, not in `another`).
fn names(message: &str, field: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    message.match_indices(field).any(|(at, _)| {
        let before = message[..at].chars().next_back();
        let after = message[at + field.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

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
        assert_eq!(reply.status, 400, "{path} {body:?}: {}", reply.json);
        assert_eq!(reply.json["type"], "ERROR_INVALID_INPUT", "{path} {body:?}");
        let message = reply.json["message"].as_str().unwrap_or_default();
        for field in *fields {
            assert!(
                names(message, field),
                "{path} {body:?}: `{message}` does not name {field}"
            );
        }
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
            include_str!("../../../openapi/examples/authored/send-email-message.request.json"),
            &["caseId", "contactId", "to", "from", "type"],
        ),
        (
            op("send_sms").query(AS_USER),
            "",
            include_str!("../../../openapi/examples/authored/send-sms.request.json"),
            &["From", "To", "Body", "contactId", "threadId", "timelineId"],
        ),
        (
            op("create_note").query("contactId=597752"),
            "",
            include_str!("../../../openapi/examples/authored/create-note.request.json"),
            &["type"],
        ),
        (
            op("add_note_message"),
            "",
            include_str!("../../../openapi/examples/authored/add-note-message.request.json"),
            &["type", "note_id", "contact_id"],
        ),
        (
            op("send_chat_message").query(AS_USER),
            "/message",
            include_str!("../../../openapi/examples/authored/send-chat-message.request.json"),
            &["type"],
        ),
        (
            op("send_chat_message").query(AS_USER),
            "",
            include_str!("../../../openapi/examples/authored/send-chat-message.request.json"),
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
            assert_eq!(reply.status, 400, "{path} without {member}: {}", reply.json);
            assert_eq!(reply.json["type"], "ERROR_INVALID_INPUT");
            let message = reply.json["message"].as_str().unwrap_or_default();
            assert!(
                names(message, member),
                "{path} without {member}: `{message}` does not name it"
            );
        }
    }
}

#[tokio::test]
async fn unknown_routes_are_json_404s() {
    let server = start().await;
    let mut checker = Checker::new();
    for path in [
        "/nope",
        "/crm/messenger/chat",
        "/crm/messenger/chat/create/extra",
        "",
    ] {
        let reply = common::call(&server, "GET", path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.json["status"], 404);
        assert!(checker.failures("create_case", 404, &reply.json).is_empty());
    }
    let outside = common::client()
        .get(format!("http://{}/other", server.addr()))
        .send()
        .await
        .expect("response");
    assert_eq!(outside.status(), 404);
    // The create path with a method the spec does not declare on it.
    let wrong_method = send(
        &server,
        &Op::literal("DELETE", common::create().path()),
        None,
    )
    .await;
    assert_eq!(wrong_method.status, 405);
    assert!(checker
        .failures("create_case", 405, &wrong_method.json)
        .is_empty());
}
