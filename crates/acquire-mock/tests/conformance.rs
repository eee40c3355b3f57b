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
    Key,
    Wrong,
    Missing,
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
    const fn error(mut self, error_type: &'static str) -> Self {
        self.error_type = Some(error_type);
        self
    }
}

const CREATE: &str = "/crm/messenger/chat/create";
const REJECT: &str = "/crm/messenger/chat/reject";
const JOIN: &str = "/crm/messenger/chat/join";
const CLOSE: &str = "/crm/messenger/chat/close";
const INVALID: &str = "ERROR_INVALID_INPUT";
const NOT_FOUND: &str = "ERROR_RECORD_NOT_FOUND";

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
            "create, message without text",
            "create_case",
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"message": {"type": "message"}}"#),
            400,
        )
        .error(INVALID),
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
        // close_case (rows run once the spec declares the operation)
        row(
            "close, case 2072",
            "close_case",
            "POST",
            CLOSE,
            Some(r#"{"caseId": 2072}"#),
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
            Auth::Missing => None,
        };
        let headers: Vec<(&str, &str)> =
            row.fault.map(|f| ("x-mock-fault", f)).into_iter().collect();
        let reply = call_with(&server, row.method, row.path, row.body, key, &headers).await;
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
    assert!(served.len() >= 3, "create, reject and join must be served");
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let server = start().await;
    for (method, path, body, field) in [
        ("POST", "/crm/messenger/chat/create", None, "contactId"),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=x",
            None,
            "contactId",
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"isFromCobrowse": "yes"}"#),
            "isFromCobrowse",
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"message": {"message": 1}}"#),
            "message.message",
        ),
        (
            "POST",
            "/crm/messenger/chat/create?contactId=597752",
            Some(r#"{"threadId": 1e30}"#),
            "threadId",
        ),
        ("POST", REJECT, Some("{}"), "caseId"),
        (
            "GET",
            JOIN,
            Some(r#"{"caseId": 1684, "askJoin": "yes"}"#),
            "askJoin",
        ),
    ] {
        let reply = common::call(&server, method, path, body).await;
        assert_eq!(reply.status, 400, "{path} {body:?}: {}", reply.json);
        let message = reply.json["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(field),
            "{path} {body:?}: `{message}` does not name {field}"
        );
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
