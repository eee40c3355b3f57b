//! Layer 4 for the generated client: each operation is called against a mock
//! that accepts only the exact request (method, path, query, `Authorization`,
//! body) and answers with the doc example. The decoded result must equal the
//! example decoded directly, and the exchange is snapshotted.
//!
//! One row per call; adding an operation adds a row. Methods, paths and
//! examples come from the build's operation table
//! ([`acquire_api::Operation`], read through `acquire_tests`), by operation
//! id.

use std::{future::Future, pin::Pin};

use acquire_api::{
    types::{self, CaseId, ContactId, MessageId, NoteId, SnoozeId, ThreadId},
    GeneratedClient as Client, GeneratedError as Error, ParticipantType, ResponseValue,
};
use acquire_tests::{
    generated_client, request_example, response_example,
    wire::{self, BodyMatch, ExactRequest},
    TEST_KEY,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::ResponseTemplate;

type CallResult = Result<String, String>;
type Call =
    for<'a> fn(&'a Client, Option<Value>, Value) -> Pin<Box<dyn Future<Output = CallResult> + 'a>>;

/// One operation call: what must go over the wire and how to make the call.
struct Row {
    /// The snapshot's name.
    name: &'static str,
    /// The operation called (its method, path and examples come from the
    /// operation table).
    operation: &'static str,
    /// The values of the path template's parameters.
    path_params: &'static [(&'static str, &'static str)],
    query: &'static [(&'static str, &'static str)],
    /// Headers the request must carry besides `Authorization`.
    headers: &'static [(&'static str, &'static str)],
    /// The request example's name.
    request: Option<&'static str>,
    /// The 200 response example's name.
    response: &'static str,
    call: Call,
}

/// The typed body from `request` (the example file's JSON).
fn body<T: DeserializeOwned>(request: Option<Value>) -> Result<T, String> {
    let value = request.ok_or("this row needs a request example")?;
    serde_json::from_value(value).map_err(|e| format!("request example does not decode: {e}"))
}

/// Checks the response against the example decoded directly, and renders it.
fn settle<T>(
    result: Result<ResponseValue<T>, Error<types::ErrorBody>>,
    example: Value,
) -> CallResult
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

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "create_case",
            operation: "create_case",
            path_params: &[],
            query: &[("contactId", "597752")],
            headers: &[],
            request: Some("create"),
            response: "create",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateCaseRequest = body(request)?;
                    let result = client
                        .create_case()
                        .contact_id(ContactId(597752))
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "reopen_case",
            operation: "create_case",
            path_params: &[],
            query: &[("contactId", "597752")],
            headers: &[],
            request: Some("reopen"),
            response: "reopen",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateCaseRequest = body(request)?;
                    let result = client
                        .create_case()
                        .contact_id(ContactId(597752))
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "reject_case",
            operation: "reject_case",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("reject"),
            response: "reject",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::RejectCaseRequest = body(request)?;
                    settle(client.reject_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "join_case",
            operation: "join_case",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("join"),
            response: "join",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::JoinCaseRequest = body(request)?;
                    settle(client.join_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "close_case",
            operation: "close_case",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("close"),
            response: "close",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CloseCaseRequest = body(request)?;
                    settle(client.close_case().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "invite_agent",
            operation: "invite_agent",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("invite"),
            response: "invite",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::InviteAgentRequest = body(request)?;
                    settle(client.invite_agent().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "list_cases",
            operation: "list_cases",
            path_params: &[],
            query: &[
                ("limit", "2"),
                ("page", "0"),
                ("relations", "contact"),
                ("select", "id|channel|status|threadId"),
                ("where", "status|eq|active"),
                ("where", "channel|eq|chat"),
            ],
            headers: &[],
            request: None,
            response: "active",
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
            operation: "get_case",
            path_params: &[("caseId", "1684")],
            query: &[
                ("relations", "contact"),
                ("select", "id|channel|status|threadId"),
            ],
            headers: &[],
            request: None,
            response: "withContact",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .get_case()
                        .case_id(CaseId(1684))
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
            operation: "list_messages",
            path_params: &[],
            query: &[
                ("contactId", "597752"),
                ("threadId", "1684"),
                ("x-user-type", "user"),
            ],
            headers: &[],
            request: None,
            response: "thread",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .list_messages()
                        .thread_id(ThreadId(1684))
                        .contact_id(ContactId(597752))
                        .x_user_type(ParticipantType::User)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "get_message",
            operation: "get_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            headers: &[],
            request: None,
            response: "message",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client
                            .get_message()
                            .message_id(MessageId(7791))
                            .send()
                            .await,
                        example,
                    )
                })
            },
        },
        Row {
            name: "send_chat_message",
            operation: "send_chat_message",
            path_params: &[],
            query: &[("x-user-type", "user")],
            headers: &[],
            request: Some("chat"),
            response: "chat",
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
            operation: "send_chat_message",
            path_params: &[],
            query: &[("contactId", "597752"), ("x-user-type", "contact")],
            headers: &[],
            request: Some("chat"),
            response: "chat",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::SendChatMessageRequest = body(request)?;
                    let result = client
                        .send_chat_message()
                        .contact_id(ContactId(597752))
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
            operation: "send_email_message",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("email"),
            response: "email",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::SendEmailRequest = body(request)?;
                    settle(client.send_email_message().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "send_sms",
            operation: "send_sms",
            path_params: &[],
            query: &[("x-user-type", "user")],
            headers: &[],
            request: Some("sms"),
            response: "sms",
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
            operation: "update_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            headers: &[],
            request: Some("edit"),
            response: "edit",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::UpdateMessageRequest = body(request)?;
                    let result = client
                        .update_message()
                        .message_id(MessageId(7791))
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "delete_message",
            operation: "delete_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            headers: &[],
            request: None,
            response: "deleted",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client
                            .delete_message()
                            .message_id(MessageId(7791))
                            .send()
                            .await,
                        example,
                    )
                })
            },
        },
        Row {
            name: "list_notes",
            operation: "list_notes",
            path_params: &[],
            query: &[("contact_id", "597752"), ("limit", "20"), ("page", "0")],
            headers: &[],
            request: None,
            response: "notes",
            call: |client, _, example| {
                Box::pin(async move {
                    let result = client
                        .list_notes()
                        .contact_id(ContactId(597752))
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
            operation: "get_note",
            path_params: &[("noteId", "310")],
            query: &[],
            headers: &[],
            request: None,
            response: "note",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(client.get_note().note_id(NoteId(310)).send().await, example)
                })
            },
        },
        Row {
            name: "create_note",
            operation: "create_note",
            path_params: &[],
            query: &[("contactId", "597752")],
            headers: &[],
            request: Some("note"),
            response: "note",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateNoteRequest = body(request)?;
                    let result = client
                        .create_note()
                        .contact_id(ContactId(597752))
                        .body(body)
                        .send()
                        .await;
                    settle(result, example)
                })
            },
        },
        Row {
            name: "add_note_message",
            operation: "add_note_message",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("reply"),
            response: "reply",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::AddNoteMessageRequest = body(request)?;
                    settle(client.add_note_message().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "list_note_messages",
            operation: "list_note_messages",
            path_params: &[],
            query: &[("noteId", "310")],
            headers: &[],
            request: None,
            response: "messages",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client
                            .list_note_messages()
                            .note_id(NoteId(310))
                            .send()
                            .await,
                        example,
                    )
                })
            },
        },
        Row {
            name: "delete_note",
            operation: "delete_note",
            path_params: &[("noteId", "310")],
            query: &[],
            headers: &[],
            request: None,
            response: "deleted",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client.delete_note().note_id(NoteId(310)).send().await,
                        example,
                    )
                })
            },
        },
        Row {
            name: "create_snooze",
            operation: "create_snooze",
            path_params: &[],
            query: &[],
            headers: &[],
            request: Some("snooze"),
            response: "snooze",
            call: |client, request, example| {
                Box::pin(async move {
                    let body: types::CreateSnoozeRequest = body(request)?;
                    settle(client.create_snooze().body(body).send().await, example)
                })
            },
        },
        Row {
            name: "delete_snooze",
            operation: "delete_snooze",
            path_params: &[("snoozeId", "77")],
            query: &[],
            headers: &[],
            request: None,
            response: "deleted",
            call: |client, _, example| {
                Box::pin(async move {
                    settle(
                        client.delete_snooze().snooze_id(SnoozeId(77)).send().await,
                        example,
                    )
                })
            },
        },
    ]
}

#[tokio::test]
async fn every_operation_sends_the_exact_request_and_decodes_the_example() {
    let mut failures = Vec::new();
    for row in rows() {
        let server = wire::server().await;
        let request = row.request.map(|name| request_example(row.operation, name));
        let response = response_example(row.operation, "200", row.response);
        let expected = ExactRequest {
            query: row
                .query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            headers: row.headers.to_vec(),
            body: request.clone(),
            body_match: BodyMatch::Normalised,
            ..ExactRequest::for_operation(row.operation, row.path_params, "", TEST_KEY)
        };
        wire::expect(
            &server,
            expected.clone(),
            ResponseTemplate::new(200).set_body_json(&response),
        )
        .await;
        let client = generated_client(&server);
        match (row.call)(&client, request.clone(), response).await {
            Ok(decoded) if wire::sent(&server).await == 1 => {
                let sent = wire::only_request_body(&server).await;
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
                        expected.method,
                        expected.path,
                        query.join("&")
                    )
                );
            }
            outcome => failures.push(format!(
                "{}: {:?}\n{}",
                row.name,
                outcome.err(),
                wire::explain(&server, &expected).await
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test]
async fn every_spec_operation_has_a_row() {
    let covered: std::collections::BTreeSet<_> = rows().iter().map(|r| r.operation).collect();
    for op in acquire_api::OPERATIONS {
        assert!(covered.contains(op.id), "{} has no row", op.id);
    }
}
