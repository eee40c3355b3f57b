//! Rows of the case operations: create (and reopen), join, reject, close,
//! get, invite and list.

use crate::row::{row, Auth, Row};
use crate::{INVALID, NOT_FOUND};

/// The rows, in the order they run.
pub(super) fn rows() -> Vec<Row> {
    vec![
        // create_case
        row("create, no body", "create_case", 200).query("contactId=597752"),
        row("create, documented body", "create_case", 200)
            .query("contactId=597752")
            .body(include_str!(
                "../../../../../openapi/examples/seed/create-case.request.json"
            )),
        row("reopen, documented body", "create_case", 200)
            .query("contactId=597752")
            .body(include_str!(
                "../../../../../openapi/examples/seed/reopen-case.request.json"
            )),
        row("create, routed to agent 1", "create_case", 200)
            .query("contactId=597752")
            .body(r#"{"routeAgentId": 1, "message": {"message": "hello"}}"#),
        row("create, contactId missing", "create_case", 400).error(INVALID),
        row("create, contactId not a number", "create_case", 400)
            .query("contactId=abc")
            .error(INVALID),
        row("create, unknown contact", "create_case", 400)
            .query("contactId=1")
            .error(NOT_FOUND),
        row("create, unknown thread", "create_case", 400)
            .query("contactId=597752")
            .body(r#"{"threadId": 42}"#)
            .error(NOT_FOUND),
        row("create, title not a string", "create_case", 400)
            .query("contactId=597752")
            .body(r#"{"title": 5}"#)
            .error(INVALID),
        row(
            "create, message without text (optional)",
            "create_case",
            200,
        )
        .query("contactId=597752")
        .body(r#"{"message": {"type": "message"}}"#),
        row(
            "reopen, sessionId and mentionUsers as strings of digits",
            "create_case",
            200,
        )
        .query("contactId=597752")
        .body(r#"{"threadId": 1683, "sessionId": "3711819272", "mentionUsers": ["12", 1]}"#),
        row("create, sessionId not digits", "create_case", 400)
            .query("contactId=597752")
            .body(r#"{"sessionId": "abc"}"#)
            .error(INVALID),
        row(
            "create, a mention that is not a 64-bit id",
            "create_case",
            400,
        )
        .query("contactId=597752")
        .body(r#"{"mentionUsers": [9223372036854775808]}"#)
        .error(INVALID),
        row(
            "create, sessionId beyond 64 bits names no record",
            "create_case",
            400,
        )
        .query("contactId=597752")
        .body(r#"{"sessionId": "99999999999999999999"}"#)
        .error(NOT_FOUND),
        row("create, body not JSON", "create_case", 400)
            .query("contactId=597752")
            .body("{nope")
            .error(INVALID),
        row("create, no key", "create_case", 401)
            .query("contactId=597752")
            .auth(Auth::Missing)
            .error("ERROR_UNAUTHORIZED"),
        row("create, wrong key", "create_case", 401)
            .query("contactId=597752")
            .auth(Auth::Wrong)
            .error("ERROR_UNAUTHORIZED"),
        row("create, injected 503", "create_case", 503)
            .query("contactId=597752")
            .fault("status=503;retry-after=1"),
        row("create, injected 500", "create_case", 500)
            .query("contactId=597752")
            .fault("status=500")
            .error("ERROR_SERVER_ERROR"),
        row("create, injected 429", "create_case", 429)
            .query("contactId=597752")
            .fault("status=429;retry-after=2"),
        row("create, unreadable fault header", "create_case", 400)
            .query("contactId=597752")
            .fault("status=teapot")
            .error(INVALID),
        // join_case
        row("join, documented body", "join_case", 200).body(include_str!(
            "../../../../../openapi/examples/seed/join-case.request.json"
        )),
        row("join, pending case 1681", "join_case", 200).body(r#"{"caseId": 1681}"#),
        row("join, no body", "join_case", 400).error(INVALID),
        row("join, caseId missing", "join_case", 400)
            .body(r#"{"askJoin": true}"#)
            .error(INVALID),
        row("join, caseId a string", "join_case", 400)
            .body(r#"{"caseId": "1684"}"#)
            .error(INVALID),
        row("join, unknown case", "join_case", 400)
            .body(r#"{"caseId": 7}"#)
            .error(NOT_FOUND),
        row("join, closed case", "join_case", 400)
            .body(r#"{"caseId": 1683}"#)
            .error(INVALID),
        row("join, wrong key", "join_case", 401)
            .body(r#"{"caseId": 1684}"#)
            .auth(Auth::Wrong)
            .error("ERROR_UNAUTHORIZED"),
        // reject_case
        row("reject, documented body", "reject_case", 200).body(include_str!(
            "../../../../../openapi/examples/seed/reject-case.request.json"
        )),
        row("reject, new case", "reject_case", 200).body(r#"{"caseId": 2072}"#),
        row("reject, caseId missing", "reject_case", 400)
            .body("{}")
            .error(INVALID),
        row("reject, caseId null", "reject_case", 400)
            .body(r#"{"caseId": null}"#)
            .error(INVALID),
        row("reject, body an array", "reject_case", 400)
            .body("[1681]")
            .error(INVALID),
        row("reject, huge id", "reject_case", 400)
            .body(r#"{"caseId": 123456789012345678901234567890}"#)
            .error(INVALID),
        row("reject, unknown case", "reject_case", 400)
            .body(r#"{"caseId": 9223372036854775807}"#)
            .error(NOT_FOUND),
        row("reject, no key", "reject_case", 401)
            .body(r#"{"caseId": 1681}"#)
            .auth(Auth::Missing)
            .error("ERROR_UNAUTHORIZED"),
        // close_case
        row("close, archive a boolean", "close_case", 400)
            .body(r#"{"caseId": 2072, "archive": true}"#)
            .error(INVALID),
        row("close, case 2072, archive no", "close_case", 200)
            .body(r#"{"caseId": 2072, "archive": "no"}"#),
        row("close, again", "close_case", 400)
            .body(r#"{"caseId": 2072}"#)
            .error(INVALID),
        row("close, unknown case", "close_case", 400)
            .body(r#"{"caseId": 8}"#)
            .error(NOT_FOUND),
        // get_case
        row("get, case 1684 with relations", "get_case", 200)
            .at(1684)
            .query("relations=contact%7Cusers%7Cmessages"),
        row("get, select", "get_case", 200)
            .at(1684)
            .query("select=status%7Ctitle"),
        row("get, id not a number", "get_case", 400)
            .at("abc")
            .error(INVALID),
        row("get, unknown case", "get_case", 400)
            .at(5)
            .error(NOT_FOUND),
        // invite_agent
        row("invite, agent 12 to case 1681", "invite_agent", 200)
            .body(r#"{"caseId": 1681, "agentIds": [12]}"#),
        row("invite, again (already offered)", "invite_agent", 200)
            .body(r#"{"caseId": 1681, "agentIds": [12, 1], "department": [3]}"#),
        row("invite, documented body", "invite_agent", 200).body(include_str!(
            "../../../../../openapi/examples/authored/invite-agent.request.json"
        )),
        row(
            "invite, caseId as a string (documented)",
            "invite_agent",
            200,
        )
        .body(include_str!(
            "../../../../../openapi/examples/authored/invite-agent-string-case-id.request.json"
        )),
        row("invite, caseId not digits", "invite_agent", 400)
            .body(r#"{"caseId": "16a", "agentIds": [12]}"#)
            .error(INVALID),
        row(
            "invite, caseId as a string beyond 64 bits names no case",
            "invite_agent",
            400,
        )
        .body(r#"{"caseId": "99999999999999999999", "agentIds": [12]}"#)
        .error(NOT_FOUND),
        row("invite, empty lists", "invite_agent", 400)
            .body(r#"{"caseId": 1681, "agentIds": [], "department": []}"#)
            .error(INVALID),
        row("invite, an unknown agent", "invite_agent", 400)
            .body(r#"{"caseId": 1684, "agentIds": [12, 15]}"#)
            .error(NOT_FOUND),
        row("invite, nobody", "invite_agent", 400)
            .body(r#"{"caseId": 1681}"#)
            .error(INVALID),
        row("invite, closed case", "invite_agent", 400)
            .body(r#"{"caseId": 1683, "agentIds": [12]}"#)
            .error(INVALID),
        row("invite, unknown case", "invite_agent", 400)
            .body(r#"{"caseId": 3, "agentIds": [12]}"#)
            .error(NOT_FOUND),
        row("invite, agentIds not integers", "invite_agent", 400)
            .body(r#"{"caseId": 1681, "agentIds": ["12"]}"#)
            .error(INVALID),
        row("invite, no key", "invite_agent", 401)
            .body(r#"{"caseId": 1681, "agentIds": [12]}"#)
            .auth(Auth::Missing)
            .error("ERROR_UNAUTHORIZED"),
        // list_cases
        row("list, first page", "list_cases", 200),
        row(
            "list, active chats with every declared relation",
            "list_cases",
            200,
        )
        .query(
            "where=status%7Ceq%7Cactive&where=channel%7Ceq%7Cchat\
             &relations=contact%7Cusers%7Cmessages%7Ccases%7Cfields%7Cfeedbacks%7Ctimeline\
             &page=1&limit=2",
        ),
        row("list, select and operators", "list_cases", 200).query(
            "select=status%7Ctitle&where=id%7Cgte%7C1684\
             &where=title%7Clike%7C%25chat%25&where=status%7Cne%7Cclosed",
        ),
        row("list, page 0 (the first)", "list_cases", 200).query("page=0&limit=3"),
        row("list, past the end", "list_cases", 200).query("page=1000&limit=50"),
        row("list, negative page", "list_cases", 400)
            .query("page=-1")
            .error(INVALID),
        row("list, limit 0", "list_cases", 400)
            .query("limit=0")
            .error(INVALID),
        row("list, unknown column", "list_cases", 400)
            .query("where=colour%7Ceq%7Cred")
            .error(INVALID),
        row(
            "list, `in` is not an operator of the spec",
            "list_cases",
            400,
        )
        .query("where=id%7Cin%7C1681,1684")
        .error(INVALID),
        row(
            "list, `nin` is not an operator of the spec",
            "list_cases",
            400,
        )
        .query("where=id%7Cnin%7C1681,1684")
        .error(INVALID),
        row("list, unknown select column", "list_cases", 400)
            .query("select=status%7Ccolour")
            .error(INVALID),
        row("get, unknown relation", "get_case", 400)
            .at(1684)
            .query("relations=contact%7Cowner")
            .error(INVALID),
        row("list, unknown operator", "list_cases", 400)
            .query("where=status%7Cis%7Cactive")
            .error(INVALID),
        row("list, malformed condition", "list_cases", 400)
            .query("where=status")
            .error(INVALID),
        row("list, page not a number", "list_cases", 400)
            .query("page=first")
            .error(INVALID),
        row("list, wrong key", "list_cases", 401)
            .auth(Auth::Wrong)
            .error("ERROR_UNAUTHORIZED"),
    ]
}
