//! Layer 4 for the generated client: each operation is called against a mock
//! that accepts only the exact request (method, path, query, `Authorization`,
//! body) and answers with the doc example. The decoded result must equal the
//! example decoded directly, and the exchange is snapshotted.
//!
//! One row per call; adding an operation adds a row.

use std::{future::Future, pin::Pin};

use acquire_api::{types, Client, Error, ParticipantType, ResponseValue};
use acquire_tests::{
    example_file,
    mock::{self, Expected},
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::ResponseTemplate;

type CallResult = Result<String, String>;
type Call =
    for<'a> fn(&'a Client, Option<Value>, Value) -> Pin<Box<dyn Future<Output = CallResult> + 'a>>;

/// One operation call: what must go over the wire and how to make the call.
struct Row {
    name: &'static str,
    method: &'static str,
    /// The concrete path requested.
    path: &'static str,
    /// The spec's path template, when it has parameters (`path` otherwise).
    template: Option<&'static str>,
    query: &'static [(&'static str, &'static str)],
    /// Headers the request must carry besides `Authorization`.
    headers: &'static [(&'static str, &'static str)],
    request: Option<&'static str>,
    response: &'static str,
    call: Call,
}

/// The typed body from `request` (the example file's JSON).
fn body<T: DeserializeOwned>(request: Option<Value>) -> Result<T, String> {
    let value = request.ok_or("this row needs a request example")?;
    serde_json::from_value(value).map_err(|e| format!("request example does not decode: {e}"))
}

/// Checks the response against the example decoded directly, and renders it.
fn settle<T>(result: Result<ResponseValue<T>, Error<types::ApiError>>, example: Value) -> CallResult
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let response = result.map_err(|e| format!("call failed: {e}"))?;
    let expected: T =
        serde_json::from_value(example).map_err(|e| format!("example does not decode: {e}"))?;
    if response.status() != 200 {
        return Err(format!("status {}", response.status()));
    }
    let got = response.into_inner();
    if got != expected {
        return Err(format!("decoded {got:#?}\nexpected {expected:#?}"));
    }
    Ok(format!("{got:#?}"))
}

impl Row {
    /// The spec path this row exercises.
    fn spec_path(&self) -> &'static str {
        self.template.unwrap_or(self.path)
    }
}

/// Differences between the headers `server`'s only request carried and
/// `expected` (empty when every expected header has exactly that value).
async fn header_mismatches(
    server: &wiremock::MockServer,
    expected: &[(&str, &str)],
) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    let Some(request) = requests.first() else {
        return vec!["no request received".into()];
    };
    expected
        .iter()
        .filter_map(|(name, value)| {
            let got: Vec<_> = request
                .headers
                .get_all(*name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            (got != [*value]).then(|| format!("header {name}: expected {value:?}, got {got:?}"))
        })
        .collect()
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "create_case",
            method: "POST",
            path: "/crm/messenger/chat/create",
            template: None,
            query: &[("contactId", "597752")],
            headers: &[],
            request: Some("examples/seed/create-case.request.json"),
            response: "examples/seed/create-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateCaseRequest = body(request)?;
                    let result = client
                        .create_case()
                        .contact_id(597752)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "reopen_case",
            method: "POST",
            path: "/crm/messenger/chat/create",
            template: None,
            query: &[("contactId", "597752")],
            headers: &[],
            request: Some("examples/seed/reopen-case.request.json"),
            response: "examples/seed/reopen-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateCaseRequest = body(request)?;
                    let result = client
                        .create_case()
                        .contact_id(597752)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "reject_case",
            method: "POST",
            path: "/crm/messenger/chat/reject",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/seed/reject-case.request.json"),
            response: "examples/seed/reject-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::RejectCaseRequest = body(request)?;
                    settle(client.reject_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "join_case",
            method: "GET",
            path: "/crm/messenger/chat/join",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/seed/join-case.request.json"),
            response: "examples/seed/join-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::JoinCaseRequest = body(request)?;
                    settle(client.join_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "close_case",
            method: "POST",
            path: "/crm/messenger/chat/close",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/authored/close-case.request.json"),
            response: "examples/authored/close-case.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CloseCaseRequest = body(request)?;
                    settle(client.close_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "invite_agent",
            method: "POST",
            path: "/crm/messenger/agent/invite-agent",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/authored/invite-agent.request.json"),
            response: "examples/authored/invite-agent.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::InviteAgentRequest = body(request)?;
                    settle(client.invite_agent().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "list_cases",
            method: "GET",
            path: "/crm/objects/case",
            template: None,
            query: &[
                ("where", "status|eq|active"),
                ("where", "channel|eq|chat"),
                ("select", "id|channel|status|threadId"),
                ("relations", "contact"),
                ("page", "0"),
                ("limit", "2"),
            ],
            headers: &[],
            request: None,
            response: "examples/authored/list-cases.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .list_cases()
                        .where_(vec![
                            "status|eq|active".to_owned(),
                            "channel|eq|chat".to_owned(),
                        ])
                        .select("id|channel|status|threadId")
                        .relations("contact")
                        .page(0u64)
                        .limit(2u64)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "get_case",
            method: "GET",
            path: "/crm/objects/case/1684",
            template: Some("/crm/objects/case/{caseId}"),
            query: &[
                ("select", "id|channel|status|threadId"),
                ("relations", "contact"),
            ],
            headers: &[],
            request: None,
            response: "examples/authored/get-case.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .get_case()
                        .case_id(1684)
                        .select("id|channel|status|threadId")
                        .relations("contact")
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "list_messages",
            method: "GET",
            path: "/crm/messenger/chat/messages",
            template: None,
            query: &[
                ("threadId", "1684"),
                ("contactId", "597752"),
                ("x-user-type", "user"),
            ],
            headers: &[],
            request: None,
            response: "examples/authored/list-messages.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .list_messages()
                        .thread_id(1684)
                        .contact_id(597752)
                        .x_user_type(ParticipantType::User)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "get_message",
            method: "GET",
            path: "/crm/objects/case-message/7791",
            template: Some("/crm/objects/case-message/{messageId}"),
            query: &[],
            headers: &[],
            request: None,
            response: "examples/authored/get-message.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(client.get_message().message_id(7791).send().await, example)
                })
            },
        },
        Row {
            name: "send_chat_message",
            method: "POST",
            path: "/crm/messenger/chat/add-message",
            template: None,
            query: &[("x-user-type", "user")],
            headers: &[],
            request: Some("examples/authored/send-chat-message.request.json"),
            response: "examples/authored/send-chat-message.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::SendChatMessageRequest = body(request)?;
                    let result = client
                        .send_chat_message()
                        .x_user_type(ParticipantType::User)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "send_chat_message_as_contact",
            method: "POST",
            path: "/crm/messenger/chat/add-message",
            template: None,
            query: &[("contactId", "597752"), ("x-user-type", "contact")],
            headers: &[],
            request: Some("examples/authored/send-chat-message.request.json"),
            response: "examples/authored/send-chat-message.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::SendChatMessageRequest = body(request)?;
                    let result = client
                        .send_chat_message()
                        .contact_id(597752)
                        .x_user_type(ParticipantType::Contact)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "send_email_message",
            method: "POST",
            path: "/mail/add-message",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/authored/send-email-message.request.json"),
            response: "examples/authored/send-email-message.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::SendEmailRequest = body(request)?;
                    settle(client.send_email_message().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "send_sms",
            method: "POST",
            path: "/voip/send-sms",
            template: None,
            query: &[("x-user-type", "user")],
            headers: &[],
            request: Some("examples/authored/send-sms.request.json"),
            response: "examples/authored/send-sms.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::SendSmsRequest = body(request)?;
                    let result = client
                        .send_sms()
                        .x_user_type(ParticipantType::User)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "update_message",
            method: "POST",
            path: "/crm/messenger/chat/message/7791",
            template: Some("/crm/messenger/chat/message/{messageId}"),
            query: &[],
            headers: &[],
            request: Some("examples/authored/update-message.request.json"),
            response: "examples/authored/update-message.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::UpdateMessageRequest = body(request)?;
                    let result = client
                        .update_message()
                        .message_id(7791)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "delete_message",
            method: "DELETE",
            path: "/crm/objects/case-message/7791",
            template: Some("/crm/objects/case-message/{messageId}"),
            query: &[],
            headers: &[],
            request: None,
            response: "examples/authored/delete-message.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client.delete_message().message_id(7791).send().await,
                        example,
                    )
                })
            },
        },
        Row {
            name: "list_notes",
            method: "GET",
            path: "/crm/note",
            template: None,
            query: &[("contact_id", "597752"), ("page", "0"), ("limit", "20")],
            headers: &[],
            request: None,
            response: "examples/authored/list-notes.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .list_notes()
                        .contact_id(597752)
                        .page(0u64)
                        .limit(20u64)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "get_note",
            method: "GET",
            path: "/crm/note/get/310",
            template: Some("/crm/note/get/{noteId}"),
            query: &[],
            headers: &[],
            request: None,
            response: "examples/authored/get-note.response.json",
            call: |client, _, example| {
                Box::pin(
                    async move { settle(client.get_note().note_id(310).send().await, example) },
                )
            },
        },
        Row {
            name: "create_note",
            method: "POST",
            path: "/crm/note/create",
            template: None,
            query: &[("contactId", "597752")],
            headers: &[],
            request: Some("examples/authored/create-note.request.json"),
            response: "examples/authored/create-note.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateNoteRequest = body(request)?;
                    let result = client
                        .create_note()
                        .contact_id(597752)
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "add_note_message",
            method: "POST",
            path: "/crm/note/add-message",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/authored/add-note-message.request.json"),
            response: "examples/authored/add-note-message.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::AddNoteMessageRequest = body(request)?;
                    settle(client.add_note_message().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "list_note_messages",
            method: "GET",
            path: "/crm/note/messages",
            template: None,
            query: &[("noteId", "310")],
            headers: &[],
            request: None,
            response: "examples/authored/list-note-messages.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client.list_note_messages().note_id(310).send().await,
                        example,
                    )
                })
            },
        },
        Row {
            name: "delete_note",
            method: "DELETE",
            path: "/crm/note/310",
            template: Some("/crm/note/{noteId}"),
            query: &[],
            headers: &[],
            request: None,
            response: "examples/authored/delete-note.response.json",
            call: |client, _, example| {
                Box::pin(
                    async move { settle(client.delete_note().note_id(310).send().await, example) },
                )
            },
        },
        Row {
            name: "create_snooze",
            method: "POST",
            path: "/crm/follow-up/create",
            template: None,
            query: &[],
            headers: &[],
            request: Some("examples/authored/create-snooze.request.json"),
            response: "examples/authored/create-snooze.response.json",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateSnoozeRequest = body(request)?;
                    settle(client.create_snooze().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "delete_snooze",
            method: "DELETE",
            path: "/crm/follow-up/77",
            template: Some("/crm/follow-up/{snoozeId}"),
            query: &[],
            headers: &[],
            request: None,
            response: "examples/authored/delete-snooze.response.json",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(client.delete_snooze().snooze_id(77).send().await, example)
                })
            },
        },
    ]
}

#[tokio::test]
async fn every_operation_sends_the_exact_request_and_decodes_the_example() {
    let mut failures = Vec::new();
    for row in rows() {
        let server = mock::server().await;
        let request = row.request.map(example_file);
        let response = example_file(row.response);
        mock::expect(
            &server,
            Expected {
                method: row.method,
                path: row.path,
                query: row.query,
                body: request.clone(),
            },
            ResponseTemplate::new(200).set_body_json(&response),
        )
        .await;
        let client = mock::client(&server);
        let outcome = match (row.call)(&client, request.clone(), response).await {
            Ok(decoded) => {
                let wrong = header_mismatches(&server, row.headers).await;
                if wrong.is_empty() {
                    Ok(decoded)
                } else {
                    Err(wrong.join("\n"))
                }
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(decoded) => {
                let sent = mock::only_request_body(&server).await;
                let query: Vec<String> =
                    row.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let headers: String = row
                    .headers
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}\n"))
                    .collect();
                insta::assert_snapshot!(
                    format!("call__{}", row.name),
                    format!(
                        "{} {}?{}\nAuthorization: Bearer <test key>\n{headers}{sent}\n---\n{decoded}",
                        row.method,
                        row.path,
                        query.join("&")
                    )
                );
            }
            Err(e) => failures.push(format!(
                "{}: {e}\nrequests received:\n{}",
                row.name,
                mock::describe_requests(&server).await
            )),
        }
        // Dropping the server verifies each expectation was met exactly once.
        server.verify().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test]
async fn every_spec_operation_has_a_row() {
    let covered: std::collections::BTreeSet<_> = rows()
        .iter()
        .map(|r| (r.method.to_ascii_lowercase(), r.spec_path()))
        .collect();
    for op in acquire_tests::spec().operations() {
        assert!(
            covered.contains(&(op.method.clone(), op.path.as_str())),
            "{} {} has no row",
            op.method,
            op.path
        );
    }
}
