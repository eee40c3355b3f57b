//! Every method of the wrapper against a mock that accepts only the exact
//! request (method, path, query in order, `Authorization`, `x-user-type`,
//! JSON body) and answers with the spec's example; the method must return
//! the example's `data` as its domain type.
//!
//! One row per call; `every_spec_operation_has_a_row` fails when the spec
//! gains an operation no row calls.

mod support;

use std::{collections::BTreeSet, fmt::Debug, future::Future, pin::Pin};

use acquire::{
    chrono::NaiveDate,
    query::{CaseColumn, CaseRelation, FilterOperator},
    types, AgentInvite, Case, CaseId, CaseStatus, Channel, Client, ClosedCase, ClosingState,
    ContactId, DeletedCount, DepartmentId, EmailMessage, Error, Message, MessageId, Note, NoteId,
    NoteMessage, NoteMessageId, Outcome, ParticipantId, ParticipantType, SessionId, SmsSent,
    Snooze, SnoozeId, ThreadId, UserId,
};
use serde_json::{json, Value};
use support::ExactRequest;
use wiremock::ResponseTemplate;

type Outcome_ = Result<(), String>;
type Call = for<'a> fn(&'a Client, Value) -> Pin<Box<dyn Future<Output = Outcome_> + 'a>>;

/// One call of the wrapper. Its method, path template and examples come
/// from the operation table, by the operation's id.
struct Row {
    /// The spec's operationId this row calls.
    operation: &'static str,
    /// The operation's example the mock answers with (its 200 answer of
    /// this name), and the body sent when [`body`](Self::body) is
    /// [`Body::Documented`].
    example: &'static str,
    /// What makes this row different from others of the same example.
    variant: &'static str,
    /// The values of the path template's parameters.
    path_params: &'static [(&'static str, &'static str)],
    /// The query, in the order sent.
    query: &'static [(&'static str, &'static str)],
    body: Body,
    call: Call,
}

/// The JSON body a row's request must carry.
enum Body {
    None,
    /// The operation's request example named as the row's example.
    Documented,
    /// This one.
    Json(Value),
}

impl Row {
    /// The exact request the call must send.
    fn request(&self) -> ExactRequest {
        let body = match &self.body {
            Body::None => None,
            Body::Documented => Some(support::request_example(self.operation, self.example)),
            Body::Json(body) => Some(body.clone()),
        };
        request(self.operation, self.path_params, self.query, body)
    }

    /// The row as failures name it: the operation, its example and variant.
    fn label(&self) -> String {
        match self.variant {
            "" => format!("{} ({})", self.operation, self.example),
            variant => format!("{} ({}, {variant})", self.operation, self.example),
        }
    }
}

/// The exact request of `operation` (its method and path template from the
/// operation table, the template filled with `path_params`).
fn request(
    operation: &str,
    path_params: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> ExactRequest {
    support::exact(
        ExactRequest::for_operation(operation, path_params, "", support::KEY),
        query,
        &[],
        body,
    )
}

/// The call returned `want`.
fn same<T: PartialEq + Debug>(got: Result<T, Error>, want: T) -> Outcome_ {
    match got {
        Ok(got) if got == want => Ok(()),
        Ok(got) => Err(format!("returned {got:#?}\nexpected {want:#?}")),
        Err(e) => Err(format!("failed: {e} ({e:?})")),
    }
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            operation: "create_case",
            variant: "",
            example: "create",
            path_params: &[],
            query: &[("contactId", "597752")],
            body: Body::Json(json!({
                "title": "Billing question",
                "source": "firstMessage",
                "mentionUsers": ["12"],
                "message": {"type": "message", "message": "My invoice is wrong"},
                "channel": "chat",
                "routeAgentId": 15,
                "agentId": 12,
                "isFromCobrowse": false,
                "fields": {"orderId": 311}
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .create(ContactId(597752))
                        .title("Billing question")
                        .source("firstMessage")
                        .mention([UserId(12)])
                        .message("My invoice is wrong")
                        .channel(Channel::Chat)
                        .route_to(UserId(15))
                        .agent(UserId(12))
                        .from_cobrowse(false)
                        .field("orderId", 311)
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "create_case",
            variant: "",
            example: "reopen",
            path_params: &[],
            query: &[("contactId", "597752")],
            body: Body::Json(json!({
                "threadId": 1683,
                "sessionId": 3711819272_i64,
                "message": {"type": "message", "message": "I'm reopening the closed case"}
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .reopen(ContactId(597752), ThreadId(1683))
                        .session(SessionId(3711819272))
                        .message("I'm reopening the closed case")
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "reject_case",
            variant: "",
            example: "reject",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.cases().reject(CaseId(1681)).send().await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "join_case",
            variant: "",
            example: "join",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .join(CaseId(1684))
                        .ask_join(true)
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "close_case",
            variant: "",
            example: "close",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .close(CaseId(1684))
                        .archive(true)
                        .closing_state(ClosingState::Handled)
                        .meta("reason", "answered")
                        .force(false)
                        .leave_only(false)
                        .leave_event(true)
                        .ask_feedback(true)
                        .send()
                        .await
                        .map(|c| (c.closed_by, c.closed_by_type, c.cases));
                    let first: ClosedCase = serde_json::from_value(example["data"]["0"].clone())
                        .map_err(|e| e.to_string())?;
                    same(
                        got,
                        (
                            Some(ParticipantId(12)),
                            Some(ParticipantType::User),
                            vec![first],
                        ),
                    )
                })
            },
        },
        Row {
            operation: "invite_agent",
            variant: "",
            example: "invite",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .invite(CaseId(1684))
                        .agents([UserId(12)])
                        .departments([DepartmentId(3)])
                        .send()
                        .await;
                    let invite: AgentInvite = serde_json::from_value(example["data"]["12"].clone())
                        .map_err(|e| e.to_string())?;
                    same(got, [(UserId(12), invite)].into_iter().collect())
                })
            },
        },
        Row {
            operation: "list_cases",
            variant: "",
            example: "active",
            path_params: &[],
            query: &[
                ("limit", "2"),
                ("page", "0"),
                ("relations", "contact|users"),
                ("select", "id|status|title|contactId"),
                ("where", "status|eq|active"),
                ("where", "channel|eq|chat"),
                ("where", "waitTime|gt|30"),
            ],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .list()
                        .filter(CaseColumn::Status, FilterOperator::Eq, CaseStatus::Active)
                        .filter(CaseColumn::Channel, FilterOperator::Eq, Channel::Chat)
                        .filter(CaseColumn::WaitTime, FilterOperator::Gt, 30)
                        .select([CaseColumn::Id, CaseColumn::Status, CaseColumn::Title])
                        .select([CaseColumn::ContactId])
                        .relations([CaseRelation::Contact, CaseRelation::Users])
                        .page(0)
                        .limit(2)
                        .send()
                        .await
                        .map(|p| (p.is_last(), p.page, p.offset, p.limit, p.count, p.items));
                    let page: types::CasePage = support::data(&example);
                    same(got, (false, 0, Some(0), Some(2), Some(37), page.data))
                })
            },
        },
        Row {
            operation: "get_case",
            variant: "",
            example: "withContact",
            path_params: &[("caseId", "1684")],
            query: &[("relations", "contact"), ("select", "id|status|contactId")],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .cases()
                        .get(CaseId(1684))
                        .select([CaseColumn::Id, CaseColumn::Status, CaseColumn::ContactId])
                        .relations([CaseRelation::Contact])
                        .send()
                        .await;
                    same(got, support::data::<Case>(&example))
                })
            },
        },
        Row {
            operation: "list_messages",
            variant: "",
            example: "thread",
            path_params: &[],
            query: &[
                ("contactId", "597752"),
                ("threadId", "1683"),
                ("x-user-type", "user"),
            ],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .list(ThreadId(1683), ContactId(597752))
                        .acting_as(ParticipantType::User)
                        .send()
                        .await;
                    same(got, support::data::<Vec<Case>>(&example))
                })
            },
        },
        Row {
            operation: "get_message",
            variant: "",
            example: "message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.messages().get(MessageId(7791)).await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "delete_message",
            variant: "",
            example: "deleted",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.messages().delete(MessageId(7791)).await;
                    let want: DeletedCount = support::data(&example);
                    if want.deleted != Some(1) {
                        return Err(format!("the example changed: {want:?}"));
                    }
                    same(got, want)
                })
            },
        },
        Row {
            operation: "send_chat_message",
            variant: "as the agent",
            example: "chat",
            path_params: &[],
            query: &[("contactId", "597752"), ("x-user-type", "user")],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .send_chat(CaseId(1684), "Hi! How can I help you today?")
                        .channel(Channel::Chat)
                        .contact(ContactId(597752))
                        .translate_to("")
                        .send()
                        .await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "send_chat_message",
            variant: "as the contact",
            example: "chat",
            path_params: &[],
            query: &[("contactId", "597752"), ("x-user-type", "contact")],
            body: Body::Json(json!({
                "caseId": 1684,
                "message": {"type": "message", "message": "Where is my order?"}
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .send_chat(CaseId(1684), "Where is my order?")
                        .as_contact()
                        .contact(ContactId(597752))
                        .send()
                        .await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "update_message",
            variant: "",
            example: "edit",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .update(MessageId(7791), "Hi! How may I help you today?")
                        .translate_to("")
                        .send()
                        .await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "send_email_message",
            variant: "",
            example: "email",
            path_params: &[],
            query: &[],
            body: Body::Json(json!({"data": {
                "caseId": 1702,
                "contactId": 597752,
                "to": ["customer@example.com"],
                "from": "support@example.acquire.io",
                "bcc": ["archive@example.com"],
                "subject": "Re: Your order",
                "htmlBody": "<p>Your order has shipped.</p>",
                "type": "message"
            }})),
            call: |client, example| {
                Box::pin(async move {
                    let got = support::documented_email(client)
                        .bcc("archive@example.com")
                        .send()
                        .await;
                    same(got, support::data::<EmailMessage>(&example))
                })
            },
        },
        Row {
            operation: "send_sms",
            variant: "",
            example: "sms",
            path_params: &[],
            query: &[("x-user-type", "user")],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .send_sms(support::sms_route(), "Your order has shipped.")
                        .acting_as(ParticipantType::User)
                        .send()
                        .await;
                    same(got, support::data::<SmsSent>(&example))
                })
            },
        },
        Row {
            operation: "list_notes",
            variant: "",
            example: "notes",
            path_params: &[],
            query: &[("contact_id", "597752"), ("limit", "10"), ("page", "0")],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .notes()
                        .list(ContactId(597752))
                        .page(0)
                        .limit(10)
                        .send()
                        .await
                        .map(|p| (p.is_last(), p.page, p.offset, p.limit, p.count, p.items));
                    let page: types::NotePage = support::data(&example);
                    same(got, (true, 0, Some(0), Some(10), Some(1), page.rows))
                })
            },
        },
        Row {
            operation: "get_note",
            variant: "",
            example: "note",
            path_params: &[("noteId", "310")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.notes().get(NoteId(310)).await;
                    same(got, support::data::<Note>(&example))
                })
            },
        },
        Row {
            operation: "create_note",
            variant: "",
            example: "note",
            path_params: &[],
            query: &[("contactId", "597752")],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .notes()
                        .create(ContactId(597752))
                        .title("Refund request")
                        .description("Order 311")
                        .message("Customer asked for a refund; @Jane please follow up.")
                        .mention([UserId(12)])
                        .send()
                        .await;
                    same(got, support::data::<Note>(&example))
                })
            },
        },
        Row {
            operation: "add_note_message",
            variant: "",
            example: "reply",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .notes()
                        .add_message(NoteId(310), ContactId(597752), "Refund issued.")
                        .reply_to(NoteMessageId(902))
                        .mention([UserId(1)])
                        .send()
                        .await;
                    same(got, support::data::<NoteMessage>(&example))
                })
            },
        },
        Row {
            operation: "list_note_messages",
            variant: "",
            example: "messages",
            path_params: &[],
            query: &[("noteId", "310")],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.notes().messages(NoteId(310)).await;
                    let page: types::NoteMessagePage = support::data(&example);
                    same(got, page.rows)
                })
            },
        },
        Row {
            operation: "delete_note",
            variant: "",
            example: "deleted",
            path_params: &[("noteId", "310")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.notes().delete(NoteId(310)).await;
                    same(got, support::data::<Outcome>(&example))
                })
            },
        },
        Row {
            operation: "create_snooze",
            variant: "a case",
            example: "snooze",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let at = NaiveDate::from_ymd_opt(2021, 3, 25)
                        .and_then(|d| d.and_hms_opt(9, 0, 0))
                        .ok_or("bad date")?;
                    let got = client
                        .snoozes()
                        .snooze_case(CaseId(1684), at)
                        .contact(ContactId(597752))
                        .message("Check the refund went through")
                        .remind([UserId(12)])
                        .send()
                        .await;
                    let created: types::SnoozeCreated = support::data(&example);
                    same(got, created.data.ok_or("the example has no snooze")?)
                })
            },
        },
        Row {
            operation: "create_snooze",
            variant: "a contact",
            example: "snooze",
            path_params: &[],
            query: &[],
            body: Body::Json(json!({
                "objectType": "contact",
                "contactId": 597752,
                "objectId": 597752,
                "scheduleDate": "2021-12-31 23:59:59"
            })),
            call: |client, example| {
                Box::pin(async move {
                    let at = NaiveDate::from_ymd_opt(2021, 12, 31)
                        .and_then(|d| d.and_hms_opt(23, 59, 59))
                        .ok_or("bad date")?;
                    let got: Result<Snooze, Error> = client
                        .snoozes()
                        .snooze_contact(ContactId(597752), at)
                        .send()
                        .await;
                    let created: types::SnoozeCreated = support::data(&example);
                    same(got, created.data.ok_or("the example has no snooze")?)
                })
            },
        },
        Row {
            operation: "delete_snooze",
            variant: "",
            example: "deleted",
            path_params: &[("snoozeId", "77")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.snoozes().delete(SnoozeId(77)).await;
                    same(got, support::data::<Outcome>(&example))
                })
            },
        },
    ]
}

#[tokio::test]
async fn every_method_sends_the_exact_request_and_returns_the_domain_value() {
    let checker = acquire_mock::RequestChecker::embedded().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for row in rows() {
        let (label, expected) = (row.label(), row.request());
        // What the method must send is a request the spec declares.
        if let Err(why) = support::check_against_spec(&checker, &expected) {
            failures.push(format!(
                "{label}: the expected request does not validate against the spec: {why}"
            ));
        }
        let server = support::server().await;
        let response = support::response_example(row.operation, "200", row.example);
        support::expect(
            &server,
            expected.clone(),
            ResponseTemplate::new(200).set_body_json(&response),
        )
        .await;
        let client = support::client(&server);
        if let Err(e) = (row.call)(&client, response).await {
            let why = support::explain(&server, &expected).await;
            failures.push(format!("{label}: {e}\n{why}"));
        }
        if support::sent(&server).await != 1 {
            failures.push(format!(
                "{label}: expected one request, got:\n{}",
                support::describe_requests(&server).await
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_spec_operation_has_a_row() {
    let in_spec: BTreeSet<&str> = acquire_api::OPERATIONS.iter().map(|op| op.id).collect();
    let rows: BTreeSet<&str> = rows().iter().map(|r| r.operation).collect();
    let missing: Vec<_> = in_spec.difference(&rows).collect();
    let unknown: Vec<_> = rows.difference(&in_spec).collect();
    assert!(
        missing.is_empty(),
        "spec operations without a row: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "rows naming no spec operation: {unknown:?}"
    );
}

#[tokio::test]
async fn input_that_cannot_be_sent_is_refused_before_sending() {
    let server = support::server().await;
    let client = support::client(&server);
    let results: Vec<(&str, Result<(), Error>)> = vec![
        (
            "a filter value with the separator",
            client
                .cases()
                .list()
                .filter(CaseColumn::Title, FilterOperator::Eq, "50|50")
                .send()
                .await
                .map(drop),
        ),
        (
            "a custom column with the separator",
            client
                .cases()
                .get(CaseId(1))
                .select([CaseColumn::Unknown("a|b".into())])
                .send()
                .await
                .map(drop),
        ),
        (
            "an empty relation name",
            client
                .cases()
                .get(CaseId(1))
                .relations([CaseRelation::Unknown(String::new())])
                .send()
                .await
                .map(drop),
        ),
        (
            "an invitation of nobody",
            client.cases().invite(CaseId(1)).send().await.map(drop),
        ),
        (
            "an email without recipient",
            client
                .messages()
                .send_email(
                    CaseId(1),
                    ContactId(2),
                    "support@example.acquire.io",
                    Vec::<String>::new(),
                )
                .send()
                .await
                .map(drop),
        ),
    ];
    for (what, result) in results {
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{what}: {result:?}"
        );
    }
    let streamed: Vec<_> = futures::StreamExt::collect::<Vec<_>>(
        client
            .cases()
            .list()
            .filter(CaseColumn::Title, FilterOperator::Like, "a|b")
            .stream(),
    )
    .await;
    assert!(
        matches!(streamed.as_slice(), [Err(Error::InvalidRequest(_))]),
        "{streamed:?}"
    );
    assert_eq!(
        support::sent(&server).await,
        0,
        "{}",
        support::describe_requests(&server).await
    );
}

#[tokio::test]
async fn closed_cases_come_in_numeric_position_order() {
    let server = support::server().await;
    let entries: serde_json::Map<String, Value> = (0..12)
        .map(|i| {
            (
                i.to_string(),
                json!({"caseId": 100 + i, "foreverClosed": true}),
            )
        })
        .chain([
            ("userId".to_owned(), json!(3)),
            ("userType".to_owned(), json!("contact")),
        ])
        .collect();
    support::expect(
        &server,
        request(
            "close_case",
            &[],
            &[],
            Some(json!({"caseId": 100, "leaveOnly": true})),
        ),
        ResponseTemplate::new(200).set_body_json(json!({ "data": entries })),
    )
    .await;
    let closure = support::client(&server)
        .cases()
        .close(CaseId(100))
        .leave_only(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<_> = closure.cases.iter().filter_map(|c| c.case_id).collect();
    assert_eq!(ids, (100..112).map(CaseId).collect::<Vec<_>>());
    assert_eq!(
        (closure.closed_by, closure.closed_by_type),
        (Some(ParticipantId(3)), Some(ParticipantType::Contact))
    );
}

#[tokio::test]
async fn an_invitation_key_that_is_not_a_user_id_is_a_decode_error() {
    let server = support::server().await;
    support::expect(
        &server,
        request(
            "invite_agent",
            &[],
            &[],
            Some(json!({"caseId": 1, "department": [3]})),
        ),
        ResponseTemplate::new(200).set_body_json(json!({"data": {"all": {"online": true}}})),
    )
    .await;
    let result = support::client(&server)
        .cases()
        .invite(CaseId(1))
        .departments([DepartmentId(3)])
        .send()
        .await;
    assert!(
        matches!(&result, Err(Error::Decode { reason, .. }) if reason.contains("\"all\"")),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_snooze_answer_without_the_snooze_is_a_decode_error_keeping_the_message() {
    let server = support::server().await;
    support::expect(
        &server,
        request(
            "create_snooze",
            &[],
            &[],
            Some(json!({"objectType": "case", "caseId": 5, "objectId": 5, "scheduleDate": "2030-01-02 03:04:05"})),
        ),
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": {"success": false, "message": "date in the past"}})),
    )
    .await;
    let at = NaiveDate::from_ymd_opt(2030, 1, 2).and_then(|d| d.and_hms_opt(3, 4, 5));
    let at = at.unwrap_or_else(|| panic!("valid date"));
    let result = support::client(&server)
        .snoozes()
        .snooze_case(CaseId(5), at)
        .send()
        .await;
    assert!(
        matches!(&result, Err(Error::Decode { reason, .. }) if reason.contains("date in the past")),
        "{result:?}"
    );
}
