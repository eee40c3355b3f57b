//! Each command against wiremock: the exact request it sends (method,
//! path, every query parameter, the whole JSON body), the JSON it prints
//! (the API's `data`, as the crate decodes it), its table (golden) and its
//! CSV (the JSON's records). Response bodies are the spec's examples.

mod common;

use std::{
    io::{BufRead, BufReader},
    sync::mpsc,
    time::Duration,
};

use acquire::chrono::DateTime;
use acquire_tests::wire::ExactRequest;
use common::{assert_csv_has_json_records, read_csv, shell, Wire};
use serde_json::{json, Value};
use wiremock::{Mock, ResponseTemplate};

/// The 200 answer of `operation` named `name`, from the operation table.
fn example(operation: &str, name: &str) -> Value {
    acquire_tests::response_example(operation, "200", name)
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

/// A mock of one exact request of `operation` (its method and path template
/// from the operation table, filled with `path_params`): the bearer key,
/// the whole query and, when given, the whole JSON body (without one, no
/// body at all); no `x-user-type` header (the spec declares that parameter
/// in the query only). The client sends query parameters by name, so the
/// expected ones are sorted by name (repeated names keep their order).
fn exact(
    operation: &str,
    path_params: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<&Value>,
) -> wiremock::MockBuilder {
    let mut query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    query.sort_by(|a, b| a.0.cmp(&b.0));
    Mock::given(ExactRequest {
        query,
        body: body.cloned(),
        ..ExactRequest::for_operation(operation, path_params, common::BASE_PATH, common::KEY)
    })
}

/// Runs `args` against `wire`; on a failure, shows the requests the server
/// received (the harness answers a request no mock matches with
/// `acquire_tests::wire::UNMATCHED`).
#[track_caller]
fn run(wire: &Wire, args: &[&str]) -> common::Run {
    let run = wire.acquire(args);
    if run.code != Some(0) {
        panic!(
            "acquire {args:?} failed: {}\nreceived:\n{}",
            run.stderr,
            wire.received()
        );
    }
    run
}

/// One command: its arguments, the request it must send, the example the
/// server answers with, and where the printed JSON sits in that example.
struct Row {
    args: Vec<&'static str>,
    /// The operation the command calls (its method, path and examples from
    /// the operation table), the values of its path parameters, its query
    /// and its body.
    operation: &'static str,
    path_params: &'static [(&'static str, &'static str)],
    query: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    /// The operation's 200 example the server answers with, by its name.
    example: &'static str,
    /// Where the printed JSON sits in that example (a JSON pointer).
    printed_at: &'static str,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            args: vec![
                "cases",
                "get",
                "1684",
                "--select",
                "id,status",
                "--relations",
                "contact",
            ],
            operation: "get_case",
            path_params: &[("caseId", "1684")],
            query: &[("select", "id|status"), ("relations", "contact")],
            body: None,
            example: "withContact",
            printed_at: "/data",
        },
        Row {
            args: vec!["cases", "close", "1684", "--archive"],
            operation: "close_case",
            path_params: &[],
            query: &[],
            // `archive` in the close page's form: "yes", not a boolean.
            body: Some(json!({"caseId": 1684, "archive": "yes"})),
            example: "close",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "cases",
                "invite",
                "1684",
                "--agent",
                "12",
                "15",
                "--department",
                "3",
            ],
            operation: "invite_agent",
            path_params: &[],
            query: &[],
            body: Some(json!({"caseId": 1684, "agentIds": [12, 15], "department": [3]})),
            example: "invite",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "messages",
                "list",
                "--thread-id",
                "1683",
                "--contact-id",
                "597752",
            ],
            operation: "list_messages",
            path_params: &[],
            query: &[("threadId", "1683"), ("contactId", "597752")],
            body: None,
            example: "thread",
            printed_at: "/data",
        },
        Row {
            args: vec!["messages", "get", "7791"],
            operation: "get_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: None,
            example: "message",
            printed_at: "/data",
        },
        Row {
            args: vec!["messages", "send", "1684", "Hi! How can I help you today?"],
            operation: "send_chat_message",
            path_params: &[],
            // x-user-type is required, in the query: `user` by default.
            query: &[("x-user-type", "user")],
            body: Some(json!({
                "caseId": 1684,
                "message": {"message": "Hi! How can I help you today?", "type": "message"}
            })),
            example: "chat",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "messages",
                "update",
                "7791",
                "Hi! How may I help you today?",
            ],
            operation: "update_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Some(json!({
                "message": {"message": "Hi! How may I help you today?", "type": "message"}
            })),
            example: "edit",
            printed_at: "/data",
        },
        Row {
            args: vec!["messages", "delete", "7791"],
            operation: "delete_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: None,
            example: "deleted",
            printed_at: "/data",
        },
        Row {
            args: [
                common::EMAIL_FROM_SUPPORT,
                &[
                    "--to",
                    "customer@example.com",
                    "--bcc",
                    "archive@example.com",
                    "--subject",
                    "Re: Your order",
                    "--body",
                    "<p>Your order has shipped.</p>",
                ],
            ]
            .concat(),
            operation: "send_email_message",
            path_params: &[],
            query: &[],
            body: Some(json!({"data": {
                "caseId": 1702, "contactId": 597752, "to": ["customer@example.com"],
                "bcc": ["archive@example.com"], "from": "support@example.acquire.io",
                "subject": "Re: Your order", "htmlBody": "<p>Your order has shipped.</p>",
                "type": "message"
            }})),
            example: "email",
            printed_at: "/data",
        },
        Row {
            args: [
                &["messages", "sms", "Your order has shipped."],
                common::SMS_ROUTE,
            ]
            .concat(),
            operation: "send_sms",
            path_params: &[],
            query: &[("x-user-type", "user")],
            body: Some(json!({
                "From": "+15005550006", "To": "+14155550123", "Body": "Your order has shipped.",
                "contactId": 597760, "threadId": 1710, "timelineId": 5120
            })),
            example: "sms",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "list", "--contact-id", "597752", "--limit", "20"],
            operation: "list_notes",
            path_params: &[],
            query: &[("contact_id", "597752"), ("limit", "20")],
            body: None,
            example: "notes",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "get", "310"],
            operation: "get_note",
            path_params: &[("noteId", "310")],
            query: &[],
            body: None,
            example: "note",
            printed_at: "/data",
        },
        Row {
            args: vec![
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
            operation: "create_note",
            path_params: &[],
            query: &[("contactId", "597752")],
            // Mentions as strings of digits, as the reference's examples.
            body: Some(json!({
                "title": "Refund request", "description": "Order 311", "type": "note",
                "message": "Customer asked for a refund; @Jane please follow up.",
                "mentionUsers": ["12"]
            })),
            example: "note",
            printed_at: "/data",
        },
        Row {
            args: [common::NOTE_REPLY, &["--reply-to", "902", "--mention", "1"]].concat(),
            operation: "add_note_message",
            path_params: &[],
            query: &[],
            body: Some(json!({
                "note_id": 310, "contact_id": 597752, "type": "message",
                "message": "Refund issued.", "parent_id": 902, "mentionUsers": ["1"]
            })),
            example: "reply",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "messages", "310"],
            operation: "list_note_messages",
            path_params: &[],
            query: &[("noteId", "310")],
            body: None,
            example: "messages",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "delete", "310"],
            operation: "delete_note",
            path_params: &[("noteId", "310")],
            query: &[],
            body: None,
            example: "deleted",
            printed_at: "/data",
        },
        Row {
            args: vec![
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
            operation: "create_snooze",
            path_params: &[],
            query: &[],
            body: Some(json!({
                "objectType": "case", "objectId": 1684, "caseId": 1684, "contactId": 597752,
                "scheduleDate": "2021-03-25 09:00:00", "message": "Check the refund went through",
                "users": [12]
            })),
            example: "snooze",
            printed_at: "/data/data",
        },
        Row {
            args: vec!["snooze", "delete", "77"],
            operation: "delete_snooze",
            path_params: &[("snoozeId", "77")],
            query: &[],
            body: None,
            example: "deleted",
            printed_at: "/data",
        },
    ]
}

/// The records in a command's JSON: the items of a page (`data`, `rows`),
/// of an array, or of an object keyed by position or id (a closure, the
/// invitations), or the one record.
fn records_of(printed: &Value) -> Vec<Value> {
    let Value::Object(object) = printed else {
        return printed.as_array().cloned().unwrap_or_default();
    };
    for key in ["data", "rows"] {
        if let Some(items) = object.get(key).and_then(Value::as_array) {
            return items.clone();
        }
    }
    let keyed: Vec<Value> = object
        .iter()
        .filter(|(key, _)| key.parse::<u64>().is_ok())
        .map(|(_, value)| value.clone())
        .collect();
    if keyed.is_empty() {
        vec![printed.clone()]
    } else {
        keyed
    }
}

#[test]
fn every_command_sends_its_request_and_prints_the_api_json_a_table_and_csv() {
    let wire = Wire::start();
    let mut tables = String::new();
    for row in rows() {
        let answer = example(row.operation, row.example);
        let at = format!("{} {}", row.operation, row.example);
        wire.mount(
            exact(row.operation, row.path_params, row.query, row.body.as_ref())
                .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
                .expect(3)
                .named(row.args.join(" ")),
        );

        let mut json_args = row.args.to_vec();
        json_args.extend(["--output", "json"]);
        let printed = run(&wire, &json_args).json();
        let api = answer
            .pointer(row.printed_at)
            .unwrap_or_else(|| panic!("{at}: no {}", row.printed_at));
        assert_within(&printed, api, &at);
        assert!(
            printed.as_object().is_none_or(|o| !o.is_empty()),
            "{at}: printed nothing"
        );

        let mut table_args = vec!["--output", "table"];
        table_args.extend(&row.args);
        let table = run(&wire, &table_args);
        tables.push_str(&format!("$ acquire {}\n{}\n", shell(&row.args), table.ok()));

        // CSV: a header, then the records of the JSON, field by field.
        let mut csv_args = row.args.to_vec();
        csv_args.extend(["--output", "csv"]);
        let csv = run(&wire, &csv_args);
        let compared = assert_csv_has_json_records(csv.ok(), &records_of(&printed));
        assert!(!compared.is_empty(), "{at}: {}", csv.stdout);
    }
    wire.verify();
    insta::assert_snapshot!("tables", tables);
}

#[test]
fn list_sends_typed_conditions_columns_relations_and_paging() {
    let wire = Wire::start();
    // The example is the first page (page 0); this answers page 2.
    let mut answer = example("list_cases", "active");
    answer["data"]["page"] = json!(2);
    answer["data"]["offset"] = json!(4);
    wire.mount(
        exact(
            "list_cases",
            &[],
            &[
                ("where", "status|eq|active"),
                ("where", "contactId|eq|597752"),
                ("select", "id|status|title"),
                ("relations", "contact|users"),
                ("page", "2"),
                ("limit", "2"),
            ],
            None,
        )
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
    let printed = run(&wire, &json_args).json();
    assert_within(&printed, &answer["data"], "list-cases");
    assert_eq!(printed["page"], 2);
    assert_eq!(printed["count"], 37);
    assert_eq!(printed["data"].as_array().map(Vec::len), Some(2));

    let mut table_args = vec!["--output", "table"];
    table_args.extend(args);
    insta::assert_snapshot!("list_table", run(&wire, &table_args).ok());
    wire.verify();
}

#[test]
fn page_0_is_the_first_page_and_is_sent_when_asked_for() {
    let wire = Wire::start();
    wire.mount(
        exact("list_cases", &[], &[("page", "0"), ("limit", "2")], None)
            .respond_with(ResponseTemplate::new(200).set_body_json(example("list_cases", "active")))
            .expect(1),
    );
    wire.mount(
        exact(
            "list_notes",
            &[],
            &[("contact_id", "597752"), ("page", "0")],
            None,
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(example("list_notes", "notes")))
        .expect(1),
    );
    let cases = run(
        &wire,
        &[
            "cases", "list", "--page", "0", "--limit", "2", "--output", "table",
        ],
    );
    assert!(
        cases.ok().ends_with("page 0, 2 of 37 cases\n"),
        "{}",
        cases.stdout
    );
    let notes = run(
        &wire,
        &[
            "notes",
            "list",
            "--contact-id",
            "597752",
            "--page",
            "0",
            "--output",
            "json",
        ],
    );
    assert_within(
        &notes.json(),
        &example("list_notes", "notes")["data"],
        "list-notes",
    );
    wire.verify();
}

/// Page `page` (from 0) of `ids`, `count` in all, 2 a page.
fn page_of(page: u64, ids: &[i64], count: u64) -> Value {
    let cases: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "status": "closed", "channel": "chat", "contactId": 597752, "threadId": id, "title": format!("case {id}")}))
        .collect();
    json!({"data": {"page": page, "offset": page * 2, "limit": 2, "count": count, "data": cases}})
}

#[test]
fn list_all_streams_every_page() {
    let wire = Wire::start();
    // The first request names no page (the server answers its first,
    // page 0); the next asks for the page after the one the server named.
    for (page, ids) in [(None, &[11, 12][..]), (Some("1"), &[13][..])] {
        let mut query = vec![("limit", "2"), ("where", "status|eq|closed")];
        query.extend(page.map(|page| ("page", page)));
        let number = page.map_or(0, |p| p.parse().unwrap_or(0));
        wire.mount(
            exact("list_cases", &[], &query, None)
                .respond_with(ResponseTemplate::new(200).set_body_json(page_of(number, ids, 3)))
                .expect(3),
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
    let json = run(&wire, &json_args);
    let cases = json.json_lines();
    let ids: Vec<Value> = cases.iter().map(|case| case["id"].clone()).collect();
    assert_eq!(ids, [json!(11), json!(12), json!(13)]);

    let mut table_args = args.to_vec();
    table_args.extend(["--output", "table"]);
    let table = run(&wire, &table_args);
    insta::assert_snapshot!("list_all_table", table.ok());

    let mut csv_args = args.to_vec();
    csv_args.extend(["--output", "csv"]);
    let csv = run(&wire, &csv_args);
    let (header, _) = read_csv(csv.ok());
    assert_eq!(assert_csv_has_json_records(csv.ok(), &cases), header);
    // Into a pipe: no progress, whatever the format.
    for walk in [&json, &table, &csv] {
        assert_eq!(walk.stderr, "");
    }
    wire.verify();
}

#[test]
fn list_all_prints_each_page_as_it_arrives() {
    let wire = Wire::start();
    wire.mount(
        exact("list_cases", &[], &[("limit", "2")], None)
            .respond_with(ResponseTemplate::new(200).set_body_json(page_of(0, &[11, 12], 3)))
            .expect(1),
    );
    // The second page takes its time: the first one's rows are out before.
    wire.mount(
        exact("list_cases", &[], &[("limit", "2"), ("page", "1")], None)
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page_of(1, &[13], 3))
                    .set_delay(Duration::from_secs(4)),
            )
            .expect(1),
    );
    let mut child = wire.spawn(&["cases", "list", "--all", "--limit", "2", "--output", "csv"]);
    // Lines without their CRLF ends.
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut first = Vec::new();
    for _ in 0..3 {
        match received.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => first.push(line),
            Err(e) => panic!("{e} after {first:?}"),
        }
    }
    assert_eq!(
        first,
        [
            "id,status,channel,contactId,threadId,parentId,title",
            "11,closed,chat,597752,11,,case 11",
            "12,closed,chat,597752,12,,case 12"
        ]
    );
    assert!(
        matches!(child.try_wait(), Ok(None)),
        "the first page was printed while the second was on its way"
    );
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "{output:?}");
    let rest: Vec<String> = received.iter().collect();
    assert_eq!(rest, ["13,closed,chat,597752,13,,case 13"]);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "no progress");
    wire.verify();
}

#[test]
fn as_contact_sets_the_user_type_query_parameter() {
    let wire = Wire::start();
    // The contact goes in the query, beside x-user-type; not in the body.
    wire.mount(
        exact(
            "send_chat_message",
            &[],
            &[("x-user-type", "contact"), ("contactId", "597752")],
            Some(&json!({"caseId": 1684, "message": {"message": "Hello", "type": "message"}})),
        )
        .respond_with(
            ResponseTemplate::new(200).set_body_json(example("send_chat_message", "chat")),
        )
        .expect(1),
    );
    let printed = run(
        &wire,
        &[
            "messages",
            "send",
            "1684",
            "Hello",
            "--as-contact",
            "--contact-id",
            "597752",
            "--output",
            "json",
        ],
    )
    .json();
    assert_eq!(printed["senderType"], "user", "printed as answered");
    wire.mount(
        exact(
            "list_messages",
            &[],
            &[
                ("threadId", "1683"),
                ("contactId", "597752"),
                ("x-user-type", "contact"),
            ],
            None,
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(example("list_messages", "thread")))
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
    run(&wire, &args);
    wire.mount(
        exact(
            "send_sms",
            &[],
            &[("x-user-type", "contact")],
            Some(&json!({
                "From": "+15005550006", "To": "+14155550123", "Body": "Hi",
                "contactId": 597760, "threadId": 1710, "timelineId": 5120
            })),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(example("send_sms", "sms")))
        .expect(1),
    );
    let sms = [
        &["messages", "sms", "Hi"],
        common::SMS_ROUTE,
        &["--as-contact"],
    ]
    .concat();
    run(&wire, &sms);
    wire.verify();
}

#[test]
fn optional_members_are_left_out() {
    let wire = Wire::start();
    // An email without subject or body: only what the reference requires.
    wire.mount(
        exact(
            "send_email_message",
            &[],
            &[],
            Some(&json!({"data": {
                "caseId": 1702, "contactId": 597752, "from": "support@example.acquire.io",
                "to": ["customer@example.com", "billing@example.com"], "type": "message"
            }})),
        )
        .respond_with(
            ResponseTemplate::new(200).set_body_json(example("send_email_message", "email")),
        )
        .expect(1),
    );
    let to = ["--to", "customer@example.com,billing@example.com"];
    run(&wire, &[common::EMAIL_FROM_SUPPORT, &to].concat());
    // A note without a title: the contact and the type only.
    wire.mount(
        exact(
            "create_note",
            &[],
            &[("contactId", "597752")],
            Some(&json!({"type": "note"})),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(example("create_note", "note")))
        .expect(1),
    );
    run(&wire, &["notes", "create", "--contact-id", "597752"]);
    // A note message with only what the reference requires.
    wire.mount(
        exact(
            "add_note_message",
            &[],
            &[],
            Some(&json!({
                "note_id": 310, "contact_id": 597752, "type": "message", "message": "Done."
            })),
        )
        .respond_with(
            ResponseTemplate::new(200).set_body_json(example("add_note_message", "reply")),
        )
        .expect(1),
    );
    run(
        &wire,
        &[
            "notes",
            "add-message",
            "310",
            "Done.",
            "--contact-id",
            "597752",
        ],
    );
    wire.verify();
}

#[test]
fn an_error_without_a_type_still_prints_status_and_body() {
    let wire = Wire::start();
    wire.mount(
        exact("delete_snooze", &[("snoozeId", "77")], &[], None)
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
    let body = acquire_tests::response_example("get_note", "404", "notFound");
    wire.mount(
        exact("get_note", &[("noteId", "999")], &[], None)
            .respond_with(ResponseTemplate::new(404).set_body_json(body)),
    );
    let run = wire.acquire(&["notes", "get", "999"]);
    assert_eq!(run.failed(1), "error: 404: Not found");
}
