//! Every route, success and error paths: the status is the one expected and
//! the body validates against the spec's schema for that operation and
//! status (declared properties only). One row per case; a new route is a
//! few rows.

mod common;

use common::{call_with, start, Checker, KEY};
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
    method: &'static str,
    path: &'static str,
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

const fn row(
    name: &'static str,
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    status: u16,
) -> Row {
    Row {
        name,
        operation_id,
        method,
        path,
        body,
        auth: Auth::Key,
        fault: None,
        header: None,
        status,
        error_type: None,
    }
}

impl Row {
    const fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }
    const fn fault(mut self, fault: &'static str) -> Self {
        self.fault = Some(fault);
        self
    }
    const fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.header = Some((name, value));
        self
    }
    const fn error(mut self, error_type: &'static str) -> Self {
        self.error_type = Some(error_type);
        self
    }
}

const CREATE: &str = "/crm/messenger/chat/create";
const REJECT: &str = "/crm/messenger/chat/reject";
const JOIN: &str = "/crm/messenger/chat/join";
const CLOSE: &str = "/crm/messenger/chat/close";
const INVITE: &str = "/crm/messenger/agent/invite-agent";
const SEND: &str = "/crm/messenger/chat/add-message";
const SEND_AS_USER: &str = "/crm/messenger/chat/add-message?x-user-type=user";
const EMAIL: &str = "/mail/add-message";
const SMS: &str = "/voip/send-sms?x-user-type=user";
const NOTE_MESSAGE: &str = "/crm/note/add-message";
const SNOOZE: &str = "/crm/follow-up/create";
const INVALID: &str = "ERROR_INVALID_INPUT";
const NOT_FOUND: &str = "ERROR_RECORD_NOT_FOUND";

/// A complete SMS to contact 597760's thread 1710.
const SMS_BODY: &str = r#"{"From": "+15005550006", "To": "+14155550123", "Body": "Hi", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#;

/// Rows run in order against one seeded server.
fn rows() -> Vec<Row> {
    vec![
        // create_case
        row(
            "create, no body",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            200,
        ),
        row(
            "create, documented body",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(include_str!(
                "../../../openapi/examples/seed/create-case.request.json"
            )),
            200,
        ),
        row(
            "reopen, documented body",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(include_str!(
                "../../../openapi/examples/seed/reopen-case.request.json"
            )),
            200,
        ),
        row(
            "create, routed to agent 1",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"routeAgentId": 1, "message": {"message": "hello"}}"#),
            200,
        ),
        row(
            "create, contactId missing",
            "create_case",
            "POST",
            CREATE,
            None,
            400,
        )
        .error(INVALID),
        row(
            "create, contactId not a number",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=abc",
            None,
            400,
        )
        .error(INVALID),
        row(
            "create, unknown contact",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=1",
            None,
            400,
        )
        .error(NOT_FOUND),
        row(
            "create, unknown thread",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"threadId": 42}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "create, title not a string",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"title": 5}"#),
            400,
        )
        .error(INVALID),
        row(
            "create, message without text (optional)",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"message": {"type": "message"}}"#),
            200,
        ),
        row(
            "reopen, sessionId and mentionUsers as strings of digits",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"threadId": 1683, "sessionId": "3711819272", "mentionUsers": ["12", 1]}"#),
            200,
        ),
        row(
            "create, sessionId not digits",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"sessionId": "abc"}"#),
            400,
        )
        .error(INVALID),
        row(
            "create, a mention that is not a 64-bit id",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"mentionUsers": [9223372036854775808]}"#),
            400,
        )
        .error(INVALID),
        row(
            "create, sessionId beyond 64 bits names no record",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"sessionId": "99999999999999999999"}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "create, body not JSON",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some("{nope"),
            400,
        )
        .error(INVALID),
        row(
            "create, no key",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            401,
        )
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        row(
            "create, wrong key",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            401,
        )
        .auth(Auth::Wrong)
        .error("ERROR_UNAUTHORIZED"),
        row(
            "create, injected 503",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            503,
        )
        .fault("status=503;retry-after=1"),
        row(
            "create, injected 500",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            500,
        )
        .fault("status=500")
        .error("ERROR_SERVER_ERROR"),
        row(
            "create, injected 429",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            429,
        )
        .fault("status=429;retry-after=2"),
        row(
            "create, unreadable fault header",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            None,
            400,
        )
        .fault("status=teapot")
        .error(INVALID),
        // join_case
        row(
            "join, documented body",
            "join_case",
            "GET",
            JOIN,
            Some(include_str!(
                "../../../openapi/examples/seed/join-case.request.json"
            )),
            200,
        ),
        row(
            "join, pending case 1681",
            "join_case",
            "GET",
            JOIN,
            Some(r#"{"caseId": 1681}"#),
            200,
        ),
        row("join, no body", "join_case", "GET", JOIN, None, 400).error(INVALID),
        row(
            "join, caseId missing",
            "join_case",
            "GET",
            JOIN,
            Some(r#"{"askJoin": true}"#),
            400,
        )
        .error(INVALID),
        row(
            "join, caseId a string",
            "join_case",
            "GET",
            JOIN,
            Some(r#"{"caseId": "1684"}"#),
            400,
        )
        .error(INVALID),
        row(
            "join, unknown case",
            "join_case",
            "GET",
            JOIN,
            Some(r#"{"caseId": 7}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "join, closed case",
            "join_case",
            "GET",
            JOIN,
            Some(r#"{"caseId": 1683}"#),
            400,
        )
        .error(INVALID),
        row(
            "join, wrong key",
            "join_case",
            "GET",
            JOIN,
            Some(r#"{"caseId": 1684}"#),
            401,
        )
        .auth(Auth::Wrong)
        .error("ERROR_UNAUTHORIZED"),
        // reject_case
        row(
            "reject, documented body",
            "reject_case",
            "POST",
            REJECT,
            Some(include_str!(
                "../../../openapi/examples/seed/reject-case.request.json"
            )),
            200,
        ),
        row(
            "reject, new case",
            "reject_case",
            "POST",
            REJECT,
            Some(r#"{"caseId": 2072}"#),
            200,
        ),
        row(
            "reject, caseId missing",
            "reject_case",
            "POST",
            REJECT,
            Some("{}"),
            400,
        )
        .error(INVALID),
        row(
            "reject, caseId null",
            "reject_case",
            "POST",
            REJECT,
            Some(r#"{"caseId": null}"#),
            400,
        )
        .error(INVALID),
        row(
            "reject, body an array",
            "reject_case",
            "POST",
            REJECT,
            Some("[1681]"),
            400,
        )
        .error(INVALID),
        row(
            "reject, huge id",
            "reject_case",
            "POST",
            REJECT,
            Some(r#"{"caseId": 123456789012345678901234567890}"#),
            400,
        )
        .error(INVALID),
        row(
            "reject, unknown case",
            "reject_case",
            "POST",
            REJECT,
            Some(r#"{"caseId": 9223372036854775807}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "reject, no key",
            "reject_case",
            "POST",
            REJECT,
            Some(r#"{"caseId": 1681}"#),
            401,
        )
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        // close_case
        row(
            "close, archive a boolean",
            "close_case",
            "POST",
            CLOSE,
            Some(r#"{"caseId": 2072, "archive": true}"#),
            400,
        )
        .error(INVALID),
        row(
            "close, case 2072, archive no",
            "close_case",
            "POST",
            CLOSE,
            Some(r#"{"caseId": 2072, "archive": "no"}"#),
            200,
        ),
        row(
            "close, again",
            "close_case",
            "POST",
            CLOSE,
            Some(r#"{"caseId": 2072}"#),
            400,
        )
        .error(INVALID),
        row(
            "close, unknown case",
            "close_case",
            "POST",
            CLOSE,
            Some(r#"{"caseId": 8}"#),
            400,
        )
        .error(NOT_FOUND),
        // get_case
        row(
            "get, case 1684 with relations",
            "get_case",
            "GET",
            "/crm/objects/case/1684?relations=contact%7Cusers%7Cmessages",
            None,
            200,
        ),
        row(
            "get, select",
            "get_case",
            "GET",
            "/crm/objects/case/1684?select=status%7Ctitle",
            None,
            200,
        ),
        row(
            "get, id not a number",
            "get_case",
            "GET",
            "/crm/objects/case/abc",
            None,
            400,
        )
        .error(INVALID),
        row(
            "get, unknown case",
            "get_case",
            "GET",
            "/crm/objects/case/5",
            None,
            400,
        )
        .error(NOT_FOUND),
        // invite_agent
        row(
            "invite, agent 12 to case 1681",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681, "agentIds": [12]}"#),
            200,
        ),
        row(
            "invite, again (already offered)",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681, "agentIds": [12, 1], "department": [3]}"#),
            200,
        ),
        row(
            "invite, documented body",
            "invite_agent",
            "POST",
            INVITE,
            Some(include_str!(
                "../../../openapi/examples/authored/invite-agent.request.json"
            )),
            200,
        ),
        row(
            "invite, caseId as a string (documented)",
            "invite_agent",
            "POST",
            INVITE,
            Some(include_str!(
                "../../../openapi/examples/authored/invite-agent-string-case-id.request.json"
            )),
            200,
        ),
        row(
            "invite, caseId not digits",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": "16a", "agentIds": [12]}"#),
            400,
        )
        .error(INVALID),
        row(
            "invite, caseId as a string beyond 64 bits names no case",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": "99999999999999999999", "agentIds": [12]}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "invite, empty lists",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681, "agentIds": [], "department": []}"#),
            400,
        )
        .error(INVALID),
        row(
            "invite, an unknown agent",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1684, "agentIds": [12, 15]}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "invite, nobody",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681}"#),
            400,
        )
        .error(INVALID),
        row(
            "invite, closed case",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1683, "agentIds": [12]}"#),
            400,
        )
        .error(INVALID),
        row(
            "invite, unknown case",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 3, "agentIds": [12]}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "invite, agentIds not integers",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681, "agentIds": ["12"]}"#),
            400,
        )
        .error(INVALID),
        row(
            "invite, no key",
            "invite_agent",
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681, "agentIds": [12]}"#),
            401,
        )
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        // list_cases
        row(
            "list, first page",
            "list_cases",
            "GET",
            "/crm/objects/case",
            None,
            200,
        ),
        row(
            "list, active chats with every declared relation",
            "list_cases",
            "GET",
            "/crm/objects/case?where=status%7Ceq%7Cactive&where=channel%7Ceq%7Cchat\
             &relations=contact%7Cusers%7Cmessages%7Ccases%7Cfields%7Cfeedbacks%7Ctimeline\
             &page=1&limit=2",
            None,
            200,
        ),
        row(
            "list, select and operators",
            "list_cases",
            "GET",
            "/crm/objects/case?select=status%7Ctitle&where=id%7Cgte%7C1684\
             &where=title%7Clike%7C%25chat%25&where=status%7Cin%7Cactive,pending",
            None,
            200,
        ),
        row(
            "list, page 0 (the first)",
            "list_cases",
            "GET",
            "/crm/objects/case?page=0&limit=3",
            None,
            200,
        ),
        row(
            "list, past the end",
            "list_cases",
            "GET",
            "/crm/objects/case?page=1000&limit=50",
            None,
            200,
        ),
        row(
            "list, negative page",
            "list_cases",
            "GET",
            "/crm/objects/case?page=-1",
            None,
            400,
        )
        .error(INVALID),
        row(
            "list, limit 0",
            "list_cases",
            "GET",
            "/crm/objects/case?limit=0",
            None,
            400,
        )
        .error(INVALID),
        row(
            "list, unknown column",
            "list_cases",
            "GET",
            "/crm/objects/case?where=colour%7Ceq%7Cred",
            None,
            400,
        )
        .error(INVALID),
        row(
            "list, unknown operator",
            "list_cases",
            "GET",
            "/crm/objects/case?where=status%7Cis%7Cactive",
            None,
            400,
        )
        .error(INVALID),
        row(
            "list, malformed condition",
            "list_cases",
            "GET",
            "/crm/objects/case?where=status",
            None,
            400,
        )
        .error(INVALID),
        row(
            "list, page not a number",
            "list_cases",
            "GET",
            "/crm/objects/case?page=first",
            None,
            400,
        )
        .error(INVALID),
        row(
            "list, wrong key",
            "list_cases",
            "GET",
            "/crm/objects/case",
            None,
            401,
        )
        .auth(Auth::Wrong)
        .error("ERROR_UNAUTHORIZED"),
        // list_messages
        row(
            "thread 1683 (reopened twice)",
            "list_messages",
            "GET",
            "/crm/messenger/chat/messages?threadId=1683&contactId=597752",
            None,
            200,
        ),
        row(
            "thread 1684 as the contact",
            "list_messages",
            "GET",
            "/crm/messenger/chat/messages?threadId=1684&contactId=597752&x-user-type=contact",
            None,
            200,
        ),
        row(
            "thread, threadId missing",
            "list_messages",
            "GET",
            "/crm/messenger/chat/messages?contactId=597752",
            None,
            400,
        )
        .error(INVALID),
        row(
            "thread, unknown thread",
            "list_messages",
            "GET",
            "/crm/messenger/chat/messages?threadId=9&contactId=597752",
            None,
            400,
        )
        .error(NOT_FOUND),
        row(
            "thread of another contact",
            "list_messages",
            "GET",
            "/crm/messenger/chat/messages?threadId=1690&contactId=597752",
            None,
            400,
        )
        .error(INVALID),
        row(
            "thread, unknown contact",
            "list_messages",
            "GET",
            "/crm/messenger/chat/messages?threadId=1684&contactId=4",
            None,
            400,
        )
        .error(NOT_FOUND),
        // get_message
        row(
            "get message 7783",
            "get_message",
            "GET",
            "/crm/objects/case-message/7783",
            None,
            200,
        ),
        row(
            "get message, id not a number",
            "get_message",
            "GET",
            "/crm/objects/case-message/seven",
            None,
            400,
        )
        .error(INVALID),
        row(
            "get message, unknown",
            "get_message",
            "GET",
            "/crm/objects/case-message/1",
            None,
            400,
        )
        .error(NOT_FOUND),
        // send_chat_message
        row(
            "send, documented body",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(include_str!(
                "../../../openapi/examples/authored/send-chat-message.request.json"
            )),
            200,
        ),
        row(
            "send, as the contact with the query contactId",
            "send_chat_message",
            "POST",
            "/crm/messenger/chat/add-message?x-user-type=contact&contactId=597752",
            Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Thanks"}}"#),
            200,
        ),
        row(
            "send, a note without text",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 1684, "message": {"type": "note"}}"#),
            200,
        ),
        row(
            "send, x-user-type missing",
            "send_chat_message",
            "POST",
            SEND,
            Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
            400,
        )
        .error(INVALID),
        row(
            "send, x-user-type only as a header",
            "send_chat_message",
            "POST",
            SEND,
            Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
            400,
        )
        .header("x-user-type", "user")
        .error(INVALID),
        row(
            "send, message type missing",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 1684, "message": {"message": "Hi"}}"#),
            400,
        )
        .error(INVALID),
        row(
            "send, closed case",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 1683, "message": {"type": "message", "message": "Hi"}}"#),
            400,
        )
        .error(INVALID),
        row(
            "send, unknown case",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 6, "message": {"type": "message", "message": "Hi"}}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "send, another contact in the query",
            "send_chat_message",
            "POST",
            "/crm/messenger/chat/add-message?x-user-type=contact&contactId=597760",
            Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
            400,
        )
        .error(INVALID),
        row(
            "send, contactId not a number",
            "send_chat_message",
            "POST",
            "/crm/messenger/chat/add-message?x-user-type=contact&contactId=me",
            Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
            400,
        )
        .error(INVALID),
        row(
            "send, message missing",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 1684}"#),
            400,
        )
        .error(INVALID),
        // update_message
        row(
            "update 7783, documented body",
            "update_message",
            "POST",
            "/crm/messenger/chat/message/7783",
            Some(include_str!(
                "../../../openapi/examples/authored/update-message.request.json"
            )),
            200,
        ),
        row(
            "update 7783, type only (the text is kept)",
            "update_message",
            "POST",
            "/crm/messenger/chat/message/7783",
            Some(r#"{"message": {"type": "message"}}"#),
            200,
        ),
        row(
            "update, text not a string",
            "update_message",
            "POST",
            "/crm/messenger/chat/message/7783",
            Some(r#"{"message": {"message": false}}"#),
            400,
        )
        .error(INVALID),
        row(
            "update, unknown message",
            "update_message",
            "POST",
            "/crm/messenger/chat/message/2",
            Some(r#"{"message": {"message": "x"}}"#),
            400,
        )
        .error(NOT_FOUND),
        // delete_message
        row(
            "delete message 7783",
            "delete_message",
            "DELETE",
            "/crm/objects/case-message/7783",
            None,
            200,
        ),
        row(
            "delete message 7783 again",
            "delete_message",
            "DELETE",
            "/crm/objects/case-message/7783",
            None,
            400,
        )
        .error(NOT_FOUND),
        row(
            "get the deleted message",
            "get_message",
            "GET",
            "/crm/objects/case-message/7783",
            None,
            400,
        )
        .error(NOT_FOUND),
        // send_email_message
        row(
            "email, documented body",
            "send_email_message",
            "POST",
            EMAIL,
            Some(include_str!(
                "../../../openapi/examples/authored/send-email-message.request.json"
            )),
            200,
        ),
        row(
            "email, data missing",
            "send_email_message",
            "POST",
            EMAIL,
            Some(r#"{"caseId": 1702}"#),
            400,
        )
        .error(INVALID),
        row(
            "email, no subject nor htmlBody (optional)",
            "send_email_message",
            "POST",
            EMAIL,
            Some(
                r#"{"data": {"caseId": 1702, "contactId": 597752, "to": ["a@example.com"], "from": "support@example.acquire.io", "type": "message"}}"#,
            ),
            200,
        ),
        row(
            "email, to not a list",
            "send_email_message",
            "POST",
            EMAIL,
            Some(
                r#"{"data": {"caseId": 1702, "contactId": 597752, "to": "a@example.com", "from": "support@example.acquire.io", "type": "message"}}"#,
            ),
            400,
        )
        .error(INVALID),
        row(
            "email, unknown case",
            "send_email_message",
            "POST",
            EMAIL,
            Some(
                r#"{"data": {"caseId": 5, "contactId": 597752, "to": [], "from": "support@example.acquire.io", "type": "message"}}"#,
            ),
            400,
        )
        .error(NOT_FOUND),
        row(
            "email, another contact",
            "send_email_message",
            "POST",
            EMAIL,
            Some(
                r#"{"data": {"caseId": 1702, "contactId": 597760, "to": [], "from": "support@example.acquire.io", "type": "message"}}"#,
            ),
            400,
        )
        .error(INVALID),
        // send_sms
        row(
            "sms, documented body",
            "send_sms",
            "POST",
            SMS,
            Some(include_str!(
                "../../../openapi/examples/authored/send-sms.request.json"
            )),
            200,
        ),
        row(
            "sms, every member of the reference's example",
            "send_sms",
            "POST",
            SMS,
            Some(include_str!(
                "../../../openapi/examples/authored/send-sms-example-members.request.json"
            )),
            200,
        ),
        row(
            "sms, the key in the query",
            "send_sms",
            "POST",
            SMS,
            Some(SMS_BODY),
            200,
        )
        .auth(Auth::Query),
        row(
            "sms, another key in the query",
            "send_sms",
            "POST",
            "/voip/send-sms?x-user-type=user&Authorization=Bearer%20not-the-key",
            Some(SMS_BODY),
            401,
        )
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        row(
            "sms, the key in the query without Bearer",
            "send_sms",
            "POST",
            "/voip/send-sms?x-user-type=user&Authorization=test-key-0123",
            Some(SMS_BODY),
            401,
        )
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        row(
            "sms, as the contact",
            "send_sms",
            "POST",
            "/voip/send-sms?x-user-type=contact",
            Some(SMS_BODY),
            200,
        ),
        row(
            "sms, x-user-type missing",
            "send_sms",
            "POST",
            "/voip/send-sms",
            Some(SMS_BODY),
            400,
        )
        .error(INVALID),
        row(
            "sms, unknown contact",
            "send_sms",
            "POST",
            SMS,
            Some(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 8, "threadId": 1710, "timelineId": 5120}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "sms, unknown thread",
            "send_sms",
            "POST",
            SMS,
            Some(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 8, "timelineId": 5120}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "sms, thread of another contact",
            "send_sms",
            "POST",
            SMS,
            Some(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597752, "threadId": 1710, "timelineId": 5120}"#),
            400,
        )
        .error(INVALID),
        row(
            "sms, unknown timeline entry",
            "send_sms",
            "POST",
            SMS,
            Some(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 8}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "sms, id of a case outside the thread",
            "send_sms",
            "POST",
            SMS,
            Some(r#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120, "id": 1684}"#),
            400,
        )
        .error(INVALID),
        row(
            "sms, To missing",
            "send_sms",
            "POST",
            SMS,
            Some(r#"{"From": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#),
            400,
        )
        .error(INVALID),
        // notes
        row(
            "notes of 597752",
            "list_notes",
            "GET",
            "/crm/note?contact_id=597752",
            None,
            200,
        ),
        row(
            "notes, page past the end",
            "list_notes",
            "GET",
            "/crm/note?contact_id=597752&page=9&limit=5",
            None,
            200,
        ),
        row("notes, contact_id missing", "list_notes", "GET", "/crm/note", None, 400).error(INVALID),
        row(
            "notes, unknown contact",
            "list_notes",
            "GET",
            "/crm/note?contact_id=3",
            None,
            400,
        )
        .error(NOT_FOUND),
        row("get note 310", "get_note", "GET", "/crm/note/get/310", None, 200),
        row("get note, unknown", "get_note", "GET", "/crm/note/get/3", None, 400).error(NOT_FOUND),
        row("get note, not a number", "get_note", "GET", "/crm/note/get/x", None, 400)
            .error(INVALID),
        row(
            "create note, documented body",
            "create_note",
            "POST",
            "/crm/note/create?contactId=597752",
            Some(include_str!(
                "../../../openapi/examples/authored/create-note.request.json"
            )),
            200,
        ),
        row(
            "create note, integer mentions (documented)",
            "create_note",
            "POST",
            "/crm/note/create?contactId=597760",
            Some(include_str!(
                "../../../openapi/examples/authored/create-note-integer-mentions.request.json"
            )),
            200,
        ),
        row(
            "create note, type only",
            "create_note",
            "POST",
            "/crm/note/create?contactId=597760",
            Some(r#"{"type": "note"}"#),
            200,
        ),
        row(
            "create note, type missing",
            "create_note",
            "POST",
            "/crm/note/create?contactId=597752",
            Some(r#"{"title": "x", "message": "x"}"#),
            400,
        )
        .error(INVALID),
        row(
            "create note, unknown contact",
            "create_note",
            "POST",
            "/crm/note/create?contactId=2",
            Some(r#"{"type": "note", "title": "x"}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "create note, unknown mention",
            "create_note",
            "POST",
            "/crm/note/create?contactId=597752",
            Some(r#"{"type": "note", "title": "x", "mentionUsers": ["999"]}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "create note, a mention not an id",
            "create_note",
            "POST",
            "/crm/note/create?contactId=597752",
            Some(r#"{"type": "note", "mentionUsers": ["Jane"]}"#),
            400,
        )
        .error(INVALID),
        row(
            "note message, documented body",
            "add_note_message",
            "POST",
            NOTE_MESSAGE,
            Some(include_str!(
                "../../../openapi/examples/authored/add-note-message.request.json"
            )),
            200,
        ),
        row(
            "note message, no text (optional)",
            "add_note_message",
            "POST",
            NOTE_MESSAGE,
            Some(r#"{"type": "message", "note_id": 310, "contact_id": 597752, "mentionUsers": [12, "1"]}"#),
            200,
        ),
        row(
            "note message, unknown note",
            "add_note_message",
            "POST",
            NOTE_MESSAGE,
            Some(r#"{"type": "message", "note_id": 4, "contact_id": 597752, "message": "x"}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "note message, parent of another note",
            "add_note_message",
            "POST",
            NOTE_MESSAGE,
            Some(r#"{"type": "message", "note_id": 310, "contact_id": 597752, "message": "x", "parent_id": 7}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "note message, another contact",
            "add_note_message",
            "POST",
            NOTE_MESSAGE,
            Some(r#"{"type": "message", "note_id": 310, "contact_id": 597760, "message": "x"}"#),
            400,
        )
        .error(INVALID),
        row(
            "note message, camelCase noteId",
            "add_note_message",
            "POST",
            NOTE_MESSAGE,
            Some(r#"{"type": "message", "noteId": 310, "contact_id": 597752, "message": "x"}"#),
            400,
        )
        .error(INVALID),
        row(
            "messages of note 310",
            "list_note_messages",
            "GET",
            "/crm/note/messages?noteId=310",
            None,
            200,
        ),
        row(
            "note messages, unknown note",
            "list_note_messages",
            "GET",
            "/crm/note/messages?noteId=4",
            None,
            400,
        )
        .error(NOT_FOUND),
        row(
            "note messages, noteId missing",
            "list_note_messages",
            "GET",
            "/crm/note/messages",
            None,
            400,
        )
        .error(INVALID),
        row("delete note 311", "delete_note", "DELETE", "/crm/note/311", None, 200),
        row("delete note 311 again", "delete_note", "DELETE", "/crm/note/311", None, 400)
            .error(NOT_FOUND),
        row(
            "create is not a note id",
            "delete_note",
            "DELETE",
            "/crm/note/create",
            None,
            405,
        ),
        // snoozes
        row(
            "snooze, documented body",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(include_str!(
                "../../../openapi/examples/authored/create-snooze.request.json"
            )),
            200,
        ),
        row(
            "snooze a contact, null caseId and RFC 3339 time (documented)",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(include_str!(
                "../../../openapi/examples/authored/create-snooze-contact.request.json"
            )),
            200,
        ),
        row(
            "snooze a contact through its case",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "contact", "caseId": 1684, "contactId": null, "scheduleDate": "2021-03-25T10:00:00+01:00"}"#),
            200,
        ),
        row(
            "snooze, users as strings of digits",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": ["12", 1]}"#),
            200,
        ),
        row(
            "snooze, a user not an id",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": [{"id": 12}]}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, neither caseId nor contactId",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "contact", "objectId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, both null",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": null, "contactId": null, "scheduleDate": "2021-03-25 09:00:00"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze a case with only its contact",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "contactId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, case of another contact",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684, "contactId": 597760, "scheduleDate": "2021-03-25 09:00:00"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, bad time",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "tomorrow"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, impossible date",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-02-30 09:00:00"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, unknown object type",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "note", "caseId": 1684, "objectId": 310, "scheduleDate": "2021-03-25 09:00:00"}"#),
            400,
        )
        .error(INVALID),
        row(
            "snooze, unknown case",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 3, "scheduleDate": "2021-03-25 09:00:00"}"#),
            400,
        )
        .error(NOT_FOUND),
        row(
            "snooze, scheduleDate missing",
            "create_snooze",
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684}"#),
            400,
        )
        .error(INVALID),
        row("delete snooze 77", "delete_snooze", "DELETE", "/crm/follow-up/77", None, 200),
        row("delete snooze 77 again", "delete_snooze", "DELETE", "/crm/follow-up/77", None, 400)
            .error(NOT_FOUND),
        row(
            "delete snooze, not a number",
            "delete_snooze",
            "DELETE",
            "/crm/follow-up/soon",
            None,
            400,
        )
        .error(INVALID),
        row(
            "delete snooze, no key",
            "delete_snooze",
            "DELETE",
            "/crm/follow-up/78",
            None,
            401,
        )
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
        // The key in the query is send SMS's alone.
        row(
            "get case, the key in the query",
            "get_case",
            "GET",
            "/crm/objects/case/1684",
            None,
            401,
        )
        .auth(Auth::Query)
        .error("ERROR_UNAUTHORIZED"),
        row(
            "send chat, the key in the query",
            "send_chat_message",
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#),
            401,
        )
        .auth(Auth::Query)
        .error("ERROR_UNAUTHORIZED"),
        // Last: closes case 1684, which the rows above write to.
        row(
            "close 1684, documented body (archive yes)",
            "close_case",
            "POST",
            CLOSE,
            Some(include_str!(
                "../../../openapi/examples/authored/close-case.request.json"
            )),
            200,
        ),
    ]
}

#[tokio::test]
async fn every_route_answers_as_the_spec_says() {
    let server = start().await;
    let mut checker = Checker::new();
    let mut ran = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for row in rows() {
        if !checker.has(row.operation_id) {
            eprintln!("skipped (not in the spec yet): {}", row.name);
            continue;
        }
        let key = match row.auth {
            Auth::Key => Some(KEY),
            Auth::Wrong => Some("not-the-key"),
            Auth::Missing | Auth::Query => None,
        };
        let path = match row.auth {
            Auth::Query => {
                let separator = if row.path.contains('?') { '&' } else { '?' };
                format!("{}{separator}Authorization=Bearer%20{KEY}", row.path)
            }
            _ => row.path.to_owned(),
        };
        let headers: Vec<(&str, &str)> = row
            .fault
            .map(|f| ("x-mock-fault", f))
            .into_iter()
            .chain(row.header)
            .collect();
        let reply = call_with(&server, row.method, &path, row.body, key, &headers).await;
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
    assert_eq!(served.len(), 22, "every operation of the spec is served");
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
    let rows: &[(&str, &str, Option<&str>, &[&str])] = &[
        ("POST", "/crm/messenger/chat/create", None, &["contactId"]),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=x",
            None,
            &["contactId"],
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"isFromCobrowse": "yes"}"#),
            &["isFromCobrowse"],
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"message": {"message": 1}}"#),
            &["message.message"],
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"threadId": 1e30}"#),
            &["threadId"],
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"sessionId": "abc"}"#),
            &["sessionId"],
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"mentionUsers": ["Jane"]}"#),
            &["mentionUsers"],
        ),
        ("POST", REJECT, Some("{}"), &["caseId"]),
        ("POST", REJECT, Some(r#"{"caseId": null}"#), &["caseId"]),
        (
            "GET",
            JOIN,
            Some(r#"{"caseId": 1684, "askJoin": "yes"}"#),
            &["askJoin"],
        ),
        (
            "POST",
            CLOSE,
            Some(r#"{"caseId": 1684, "archive": true}"#),
            &["archive"],
        ),
        (
            "POST",
            CLOSE,
            Some(r#"{"caseId": 1684, "archive": true}"#),
            &["archive"],
        ),
        (
            "GET",
            "/crm/objects/case?where=nope%7Ceq%7C1",
            None,
            &["where"],
        ),
        (
            "GET",
            "/crm/objects/case?where=status%7Cis%7Cx",
            None,
            &["where"],
        ),
        (
            "GET",
            "/crm/objects/case?where=id%7Ceq%7Cone",
            None,
            &["where"],
        ),
        ("GET", "/crm/objects/case?limit=ten", None, &["limit"]),
        ("GET", "/crm/objects/case?limit=0", None, &["limit"]),
        ("GET", "/crm/objects/case?page=-1", None, &["page"]),
        (
            "GET",
            "/crm/note?contact_id=597752&page=-1",
            None,
            &["page"],
        ),
        (
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681}"#),
            &["agentIds", "department"],
        ),
        (
            "POST",
            INVITE,
            Some(r#"{"caseId": 1681, "agentIds": [], "department": []}"#),
            &["agentIds", "department"],
        ),
        (
            "POST",
            INVITE,
            Some(r#"{"caseId": "16a", "agentIds": [12]}"#),
            &["caseId"],
        ),
        (
            "POST",
            SNOOZE,
            Some(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "later"}"#),
            &["scheduleDate"],
        ),
        (
            "POST",
            SNOOZE,
            Some(
                r#"{"objectType": "case", "caseId": null, "scheduleDate": "2021-03-25 09:00:00"}"#,
            ),
            &["caseId", "contactId"],
        ),
        (
            "POST",
            SNOOZE,
            Some(
                r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": ["Jane"]}"#,
            ),
            &["users"],
        ),
        (
            "POST",
            SNOOZE,
            Some(
                r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": [true]}"#,
            ),
            &["users"],
        ),
        (
            "POST",
            SEND,
            Some(r#"{"caseId": 1684, "message": {"type": "message"}}"#),
            &["x-user-type"],
        ),
        (
            "POST",
            SEND_AS_USER,
            Some(r#"{"caseId": 1684, "message": {"message": "Hi"}}"#),
            &["type"],
        ),
        ("POST", "/voip/send-sms", Some(SMS_BODY), &["x-user-type"]),
        (
            "POST",
            SMS,
            Some(
                r#"{"From": "+1", "To": 5, "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#,
            ),
            &["To"],
        ),
        (
            "POST",
            NOTE_MESSAGE,
            Some(
                r#"{"type": "message", "note_id": 310, "contact_id": 597752, "mentionUsers": ["twelve"]}"#,
            ),
            &["mentionUsers"],
        ),
        (
            "GET",
            "/crm/messenger/chat/messages?threadId=1684",
            None,
            &["contactId"],
        ),
        (
            "GET",
            "/crm/messenger/chat/messages?threadId=1684&contactId=597752&x-user-type=7",
            None,
            &[],
        ),
    ];
    for (method, path, body, fields) in rows {
        let reply = common::call(&server, method, path, *body).await;
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
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            EMAIL,
            "/data",
            include_str!("../../../openapi/examples/authored/send-email-message.request.json"),
            &["caseId", "contactId", "to", "from", "type"],
        ),
        (
            SMS,
            "",
            include_str!("../../../openapi/examples/authored/send-sms.request.json"),
            &["From", "To", "Body", "contactId", "threadId", "timelineId"],
        ),
        (
            "/crm/note/create?contactId=597752",
            "",
            include_str!("../../../openapi/examples/authored/create-note.request.json"),
            &["type"],
        ),
        (
            NOTE_MESSAGE,
            "",
            include_str!("../../../openapi/examples/authored/add-note-message.request.json"),
            &["type", "note_id", "contact_id"],
        ),
        (
            SEND_AS_USER,
            "/message",
            include_str!("../../../openapi/examples/authored/send-chat-message.request.json"),
            &["type"],
        ),
        (
            SEND_AS_USER,
            "",
            include_str!("../../../openapi/examples/authored/send-chat-message.request.json"),
            &["caseId", "message"],
        ),
    ];
    for (path, pointer, full, members) in cases {
        let complete = common::call(&server, "POST", path, Some(full)).await;
        assert_eq!(complete.status, 200, "{path}: {}", complete.json);
        for member in *members {
            let mut body: Value = serde_json::from_str(full).expect("example");
            let removed = body
                .pointer_mut(pointer)
                .and_then(Value::as_object_mut)
                .and_then(|object| object.remove(*member));
            assert!(removed.is_some(), "{path}: the example has no {member}");
            let reply = common::call(&server, "POST", path, Some(&body.to_string())).await;
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
    let wrong_method = common::call(&server, "DELETE", CREATE, None).await;
    assert_eq!(wrong_method.status, 405);
    assert!(checker
        .failures("create_case", 405, &wrong_method.json)
        .is_empty());
}
