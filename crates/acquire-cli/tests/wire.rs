//! Each command against wiremock: the request it sends (method, path,
//! query, body), the JSON it prints (the API's `data`, as the crate decodes
//! it) and its table (golden). Response bodies are the spec's examples.

mod common;

use acquire::chrono::DateTime;
use common::{shell, Wire};
use serde_json::{json, Value};
use wiremock::{
    matchers::{body_partial_json, header, method, path, query_param},
    Mock, ResponseTemplate,
};

/// An authored example of the spec.
fn example(name: &str) -> Value {
    let path = format!(
        "{}/../../openapi/examples/authored/{name}.response.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Asserts that everything in `printed` is in `api` with the same value
/// (the API may hold more: nulls the typed decoding drops). Timestamps
/// compare as instants.
#[track_caller]
fn assert_within(printed: &Value, api: &Value, at: &str) {
    match (printed, api) {
        (Value::Object(p), Value::Object(a)) => {
            for (key, value) in p {
                match a.get(key) {
                    Some(expected) => assert_within(value, expected, &format!("{at}/{key}")),
                    None => panic!("{at}/{key} = {value} is not in the API's answer"),
                }
            }
        }
        (Value::Array(p), Value::Array(a)) => {
            assert_eq!(p.len(), a.len(), "{at}: lengths differ");
            for (i, (p, a)) in p.iter().zip(a).enumerate() {
                assert_within(p, a, &format!("{at}/{i}"));
            }
        }
        (Value::String(p), Value::String(a)) if p != a => {
            let instant = |s: &str| DateTime::parse_from_rfc3339(s).ok();
            assert!(
                instant(p).is_some() && instant(p) == instant(a),
                "{at}: {p:?} != {a:?}"
            );
        }
        _ => assert_eq!(printed, api, "{at}"),
    }
}

/// One command: its arguments, the request it must send, the example the
/// server answers with, and where the printed JSON sits in that example.
struct Row {
    args: &'static [&'static str],
    method: &'static str,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    example: &'static str,
    printed_at: &'static str,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            args: &[
                "cases",
                "get",
                "1684",
                "--select",
                "id,status",
                "--relations",
                "contact",
            ],
            method: "GET",
            path: "/api/v1/crm/objects/case/1684",
            query: &[("select", "id|status"), ("relations", "contact")],
            body: None,
            example: "get-case",
            printed_at: "/data",
        },
        Row {
            args: &["cases", "close", "1684", "--archive"],
            method: "POST",
            path: "/api/v1/crm/messenger/chat/close",
            query: &[],
            body: Some(json!({"caseId": 1684, "archive": true})),
            example: "close-case",
            printed_at: "/data",
        },
        Row {
            args: &[
                "cases",
                "invite",
                "1684",
                "--agent",
                "12",
                "15",
                "--department",
                "3",
            ],
            method: "POST",
            path: "/api/v1/crm/messenger/agent/invite-agent",
            query: &[],
            body: Some(json!({"caseId": 1684, "agentIds": [12, 15], "department": [3]})),
            example: "invite-agent",
            printed_at: "/data",
        },
        Row {
            args: &[
                "messages",
                "list",
                "--thread-id",
                "1683",
                "--contact-id",
                "597752",
            ],
            method: "GET",
            path: "/api/v1/crm/messenger/chat/messages",
            query: &[("threadId", "1683"), ("contactId", "597752")],
            body: None,
            example: "list-messages",
            printed_at: "/data",
        },
        Row {
            args: &["messages", "get", "7791"],
            method: "GET",
            path: "/api/v1/crm/objects/case-message/7791",
            query: &[],
            body: None,
            example: "get-message",
            printed_at: "/data",
        },
        Row {
            args: &["messages", "send", "1684", "Hi! How can I help you today?"],
            method: "POST",
            path: "/api/v1/crm/messenger/chat/add-message",
            query: &[],
            body: Some(
                json!({"caseId": 1684, "message": {"message": "Hi! How can I help you today?"}}),
            ),
            example: "send-chat-message",
            printed_at: "/data",
        },
        Row {
            args: &[
                "messages",
                "update",
                "7791",
                "Hi! How may I help you today?",
            ],
            method: "POST",
            path: "/api/v1/crm/messenger/chat/message/7791",
            query: &[],
            body: Some(json!({"message": {"message": "Hi! How may I help you today?"}})),
            example: "update-message",
            printed_at: "/data",
        },
        Row {
            args: &["messages", "delete", "7791"],
            method: "DELETE",
            path: "/api/v1/crm/objects/case-message/7791",
            query: &[],
            body: None,
            example: "delete-message",
            printed_at: "/data",
        },
        Row {
            args: &[
                "messages",
                "email",
                "1702",
                "--subject",
                "Re: Your order",
                "--body",
                "<p>Your order has shipped.</p>",
                "--to",
                "customer@example.com",
                "--bcc",
                "archive@example.com",
                "--from",
                "support@example.acquire.io",
                "--contact-id",
                "597752",
            ],
            method: "POST",
            path: "/api/v1/mail/add-message",
            query: &[],
            body: Some(json!({"data": {
                "caseId": 1702, "contactId": 597752, "to": ["customer@example.com"],
                "bcc": ["archive@example.com"], "from": "support@example.acquire.io",
                "subject": "Re: Your order", "htmlBody": "<p>Your order has shipped.</p>"
            }})),
            example: "send-email-message",
            printed_at: "/data",
        },
        Row {
            args: &[
                "messages",
                "sms",
                "--to",
                "+14155550123",
                "Your order has shipped.",
                "--from",
                "+15005550006",
                "--contact-id",
                "597760",
                "--thread-id",
                "1710",
            ],
            method: "POST",
            path: "/api/v1/voip/send-sms",
            query: &[],
            body: Some(json!({
                "To": "+14155550123", "Body": "Your order has shipped.", "From": "+15005550006",
                "contactId": 597760, "threadId": 1710
            })),
            example: "send-sms",
            printed_at: "/data",
        },
        Row {
            args: &["notes", "list", "--contact-id", "597752", "--limit", "20"],
            method: "GET",
            path: "/api/v1/crm/note",
            query: &[("contact_id", "597752"), ("limit", "20")],
            body: None,
            example: "list-notes",
            printed_at: "/data",
        },
        Row {
            args: &["notes", "get", "310"],
            method: "GET",
            path: "/api/v1/crm/note/get/310",
            query: &[],
            body: None,
            example: "get-note",
            printed_at: "/data",
        },
        Row {
            args: &[
                "notes",
                "create",
                "--contact-id",
                "597752",
                "--title",
                "Refund request",
                "--description",
                "Order 311",
                "--message",
                "Customer asked for a refund; @Jane please follow up.",
                "--mention",
                "12",
            ],
            method: "POST",
            path: "/api/v1/crm/note/create",
            query: &[("contactId", "597752")],
            body: Some(json!({
                "title": "Refund request", "description": "Order 311", "type": "note",
                "message": "Customer asked for a refund; @Jane please follow up.",
                "mentionUsers": [12]
            })),
            example: "create-note",
            printed_at: "/data",
        },
        Row {
            args: &[
                "notes",
                "add-message",
                "310",
                "Refund issued.",
                "--contact-id",
                "597752",
                "--reply-to",
                "902",
                "--mention",
                "1",
            ],
            method: "POST",
            path: "/api/v1/crm/note/add-message",
            query: &[],
            body: Some(json!({
                "note_id": 310, "message": "Refund issued.", "contact_id": 597752,
                "parent_id": 902, "mentionUsers": [1]
            })),
            example: "add-note-message",
            printed_at: "/data",
        },
        Row {
            args: &["notes", "messages", "310"],
            method: "GET",
            path: "/api/v1/crm/note/messages",
            query: &[("noteId", "310")],
            body: None,
            example: "list-note-messages",
            printed_at: "/data",
        },
        Row {
            args: &["notes", "delete", "310"],
            method: "DELETE",
            path: "/api/v1/crm/note/310",
            query: &[],
            body: None,
            example: "delete-note",
            printed_at: "/data",
        },
        Row {
            args: &[
                "snooze",
                "create",
                "--case-id",
                "1684",
                "--contact-id",
                "597752",
                "--at",
                "2021-03-25 09:00",
                "--message",
                "Check the refund went through",
                "--remind",
                "12",
            ],
            method: "POST",
            path: "/api/v1/crm/follow-up/create",
            query: &[],
            body: Some(json!({
                "objectType": "case", "objectId": 1684, "caseId": 1684, "contactId": 597752,
                "scheduleDate": "2021-03-25 09:00:00", "message": "Check the refund went through",
                "users": [12]
            })),
            example: "create-snooze",
            printed_at: "/data/data",
        },
        Row {
            args: &["snooze", "delete", "77"],
            method: "DELETE",
            path: "/api/v1/crm/follow-up/77",
            query: &[],
            body: None,
            example: "delete-snooze",
            printed_at: "/data",
        },
    ]
}

#[test]
fn every_command_sends_its_request_and_prints_the_api_json_and_a_table() {
    let wire = Wire::start();
    let mut tables = String::new();
    for row in rows() {
        let answer = example(row.example);
        let mut mock = Mock::given(method(row.method))
            .and(path(row.path))
            .and(header("authorization", format!("Bearer {}", common::KEY)));
        for (k, v) in row.query {
            mock = mock.and(query_param(*k, *v));
        }
        if let Some(body) = &row.body {
            mock = mock.and(body_partial_json(body.clone()));
        }
        wire.mount(
            mock.respond_with(ResponseTemplate::new(200).set_body_json(&answer))
                .expect(2)
                .named(row.args.join(" ")),
        );

        let mut json_args = row.args.to_vec();
        json_args.extend(["--output", "json"]);
        let printed = wire.acquire(&json_args).json();
        let api = answer
            .pointer(row.printed_at)
            .unwrap_or_else(|| panic!("{}: no {}", row.example, row.printed_at));
        assert_within(&printed, api, row.example);
        assert!(
            printed.as_object().is_none_or(|o| !o.is_empty()),
            "{}: printed nothing",
            row.example
        );

        let mut table_args = vec!["--output", "table"];
        table_args.extend(row.args);
        let table = wire.acquire(&table_args);
        tables.push_str(&format!("$ acquire {}\n{}\n", shell(row.args), table.ok()));
    }
    wire.verify();
    insta::assert_snapshot!("tables", tables);
}

#[test]
fn list_sends_typed_conditions_columns_relations_and_paging() {
    let wire = Wire::start();
    let answer = example("list-cases");
    wire.mount(
        Mock::given(method("GET"))
            .and(path("/api/v1/crm/objects/case"))
            .and(query_param("where", "status|eq|active"))
            .and(query_param("where", "contactId|eq|597752"))
            .and(query_param("select", "id|status|title"))
            .and(query_param("relations", "contact|users"))
            .and(query_param("page", "2"))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
            .expect(2),
    );
    let args = [
        "cases",
        "list",
        "--where",
        "status|eq|active",
        "--where",
        "contactId|eq|597752",
        "--select",
        "id,status",
        "--select",
        "title",
        "--relations",
        "contact,users",
        "--page",
        "2",
        "--limit",
        "2",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--output", "json"]);
    let printed = wire.acquire(&json_args).json();
    assert_within(&printed, &answer["data"], "list-cases");
    assert_eq!(printed["count"], 37);
    assert_eq!(printed["data"].as_array().map(Vec::len), Some(2));

    let mut table_args = vec!["--output", "table"];
    table_args.extend(args);
    insta::assert_snapshot!("list_table", wire.acquire(&table_args).ok());
    wire.verify();
}

/// A page of `ids`, `count` in all, `limit` a page.
fn page_of(page: u64, ids: &[i64], count: u64) -> Value {
    let cases: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "status": "closed", "channel": "chat", "contactId": 597752, "threadId": id, "title": format!("case {id}")}))
        .collect();
    json!({"data": {"page": page, "offset": (page - 1) * 2, "limit": 2, "count": count, "data": cases}})
}

#[test]
fn list_all_streams_every_page() {
    let wire = Wire::start();
    for (page, ids) in [("1", &[11, 12][..]), ("2", &[13][..])] {
        wire.mount(
            Mock::given(method("GET"))
                .and(path("/api/v1/crm/objects/case"))
                .and(query_param("page", page))
                .and(query_param("limit", "2"))
                .and(query_param("where", "status|eq|closed"))
                .respond_with(ResponseTemplate::new(200).set_body_json(page_of(
                    page.parse().unwrap_or(1),
                    ids,
                    3,
                )))
                .expect(2),
        );
    }
    let args = [
        "cases",
        "list",
        "--all",
        "--limit",
        "2",
        "--where",
        "status|eq|closed",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--output", "json"]);
    let ids: Vec<Value> = wire
        .acquire(&json_args)
        .json_lines()
        .iter()
        .map(|case| case["id"].clone())
        .collect();
    assert_eq!(ids, [json!(11), json!(12), json!(13)]);

    let mut table_args = args.to_vec();
    table_args.extend(["--output", "table"]);
    insta::assert_snapshot!("list_all_table", wire.acquire(&table_args).ok());
    wire.verify();
}

#[test]
fn as_contact_sets_the_user_type_header() {
    let wire = Wire::start();
    wire.mount(
        Mock::given(method("POST"))
            .and(path("/api/v1/crm/messenger/chat/add-message"))
            .and(header("x-user-type", "contact"))
            .and(body_partial_json(
                json!({"caseId": 1684, "contactId": 597752}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(example("send-chat-message")))
            .expect(1),
    );
    let printed = wire
        .acquire(&[
            "messages",
            "send",
            "1684",
            "Hello",
            "--as-contact",
            "--contact-id",
            "597752",
            "--output",
            "json",
        ])
        .json();
    assert_eq!(printed["senderType"], "user", "printed as answered");
    wire.mount(
        Mock::given(method("GET"))
            .and(path("/api/v1/crm/messenger/chat/messages"))
            .and(header("x-user-type", "contact"))
            .respond_with(ResponseTemplate::new(200).set_body_json(example("list-messages")))
            .expect(1),
    );
    let args = [
        "messages",
        "list",
        "--thread-id",
        "1683",
        "--contact-id",
        "597752",
        "--as-contact",
    ];
    wire.acquire(&args).ok();
    wire.mount(
        Mock::given(method("POST"))
            .and(path("/api/v1/voip/send-sms"))
            .and(header("x-user-type", "contact"))
            .respond_with(ResponseTemplate::new(200).set_body_json(example("send-sms")))
            .expect(1),
    );
    wire.acquire(&[
        "messages",
        "sms",
        "--to",
        "+14155550123",
        "Hi",
        "--as-contact",
    ])
    .ok();
    wire.verify();
}

#[test]
fn an_error_without_a_type_still_prints_status_and_body() {
    let wire = Wire::start();
    wire.mount(
        Mock::given(method("DELETE"))
            .and(path("/api/v1/crm/follow-up/77"))
            .respond_with(ResponseTemplate::new(500).set_body_string("upstream\nexploded")),
    );
    let run = wire.acquire(&["snooze", "delete", "77"]);
    let line = run.failed(1);
    assert!(line.starts_with("error: 500"), "{line}");
    assert!(line.contains(r#""upstream\nexploded""#), "{line}");
}

#[test]
fn a_404_prints_status_and_message() {
    let wire = Wire::start();
    let body = serde_json::from_str::<Value>(include_str!(
        "../../../openapi/examples/authored/error-not-found.json"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    wire.mount(
        Mock::given(method("GET"))
            .and(path("/api/v1/crm/note/get/999"))
            .respond_with(ResponseTemplate::new(404).set_body_json(body)),
    );
    let run = wire.acquire(&["notes", "get", "999"]);
    assert_eq!(run.failed(1), "error: 404: Not found");
}
