//! The testing kit (`acquire::testing`, feature `testing`): every operation
//! of the spec has a typed stub that answers through the fake; seeded
//! records read back as inserted; stubs, seeded state and faults work
//! together.

use std::collections::BTreeSet;

use acquire::testing::{
    operations::{self, TypedOperation},
    records, Fake, Fault,
};
use acquire::{
    types::{MentionId, NoteMessageId, ParticipationId},
    CaseId, CaseStatus, CaseUserStatus, ClosingState, ContactId, Error, ErrorType, MessageId,
    NoteId, ParticipantType, RetryPolicy, SnoozeId, ThreadId, UserId,
};
use acquire_spec::{ExampleKind, Spec};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn every_spec_operation_has_a_typed_stub() {
    let spec: BTreeSet<String> = Spec::embedded()
        .operations()
        .into_iter()
        .filter_map(|op| op.operation_id)
        .collect();
    let markers: BTreeSet<String> = operations::MARKER_IDS
        .iter()
        .map(|id| id.to_string())
        .collect();
    assert_eq!(
        spec.difference(&markers).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "operations of the spec without a marker type (rebuild acquire-api from the spec)"
    );
    assert_eq!(
        markers.difference(&spec).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "marker types of operations the spec no longer has"
    );
    assert_eq!(
        markers.len(),
        operations::MARKER_IDS.len(),
        "a marker twice"
    );
}

/// A value for a required parameter: its example, else the first value its
/// schema lists, else one of its type.
fn sample(spec: &Spec, parameter: &Value) -> String {
    let schema = parameter
        .get("schema")
        .and_then(|s| spec.resolve(s).ok())
        .cloned()
        .unwrap_or(Value::Null);
    let listed = ["enum", "x-extensible-enum"]
        .iter()
        .find_map(|k| schema.get(*k).and_then(|v| v.get(0)).cloned());
    let value = parameter
        .get("example")
        .or_else(|| schema.get("example"))
        .cloned()
        .or(listed)
        .unwrap_or_else(|| match schema.get("type").and_then(Value::as_str) {
            Some("string") => Value::from("1"),
            Some("boolean") => Value::from(true),
            _ => Value::from(1),
        });
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Sends `O`'s request with its required parameters and its first request
/// example (if it has a body), straight over HTTP; returns status and body.
async fn call<O: TypedOperation>(fake: &Fake) -> Result<(u16, Value), Box<dyn std::error::Error>> {
    let spec = Spec::embedded();
    let operation = spec.operation(O::ID).ok_or("no such operation")?;
    let mut path = operation.path.clone();
    let mut query = Vec::new();
    let mut headers = reqwest::header::HeaderMap::new();
    for parameter in spec.parameters(&operation) {
        let parameter = spec.resolve(&parameter)?.clone();
        let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
        let name = parameter["name"].as_str().unwrap_or_default().to_owned();
        let value = sample(spec, &parameter);
        match parameter["in"].as_str() {
            Some("path") => path = path.replace(&format!("{{{name}}}"), &value),
            Some("query") if required && name != "Authorization" => query.push((name, value)),
            Some("header") if required => {
                headers.insert(
                    reqwest::header::HeaderName::from_bytes(name.as_bytes())?,
                    value.parse()?,
                );
            }
            _ => {}
        }
    }
    let body = match operation.value.get("requestBody") {
        Some(_) => {
            let id = spec
                .examples()?
                .into_iter()
                .find(|e| {
                    e.operation_id.as_deref() == Some(O::ID) && e.kind == ExampleKind::Request
                })
                .map(|e| e.id())
                .ok_or("a body without an example")?;
            Some(spec.example_value(&id)?)
        }
        None => None,
    };
    let method = reqwest::Method::from_bytes(operation.method.to_uppercase().as_bytes())?;
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", fake.base_url()))
        .bearer_auth(fake.server().api_key())
        .headers(headers)
        .query(&query);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

/// `O`'s documented 200 example, decoded as its typed response and data,
/// answered by a typed stub and received over HTTP as sent.
async fn stub_answers_its_example<O: TypedOperation>(fake: &Fake) -> Result<(), String> {
    let spec = Spec::embedded();
    let failed = |what: &str, e: &dyn std::fmt::Display| format!("{}: {what}: {e}", O::ID);
    let example = spec
        .examples()
        .map_err(|e| failed("examples", &e))?
        .into_iter()
        .find(|e| {
            e.operation_id.as_deref() == Some(O::ID)
                && e.kind
                    == ExampleKind::Response {
                        status: "200".into(),
                    }
        })
        .ok_or_else(|| format!("{}: no documented 200 example", O::ID))?;
    let example = spec
        .example_value(&example.id())
        .map_err(|e| failed("example", &e))?;
    let expected: O::Response =
        serde_json::from_value(example.clone()).map_err(|e| failed("decoding Response", &e))?;
    let member = O::DATA_MEMBER.ok_or_else(|| format!("{}: no data member", O::ID))?;
    let data: O::Data =
        serde_json::from_value(example[member].clone()).map_err(|e| failed("decoding Data", &e))?;
    let stub = fake.stub::<O>().respond(data);
    let (status, body) = call::<O>(fake).await.map_err(|e| failed("calling", &e))?;
    if (status, stub.calls()) != (200, 1) {
        return Err(format!(
            "{}: status {status}, stub calls {}: {body}",
            O::ID,
            stub.calls()
        ));
    }
    let received: O::Response =
        serde_json::from_value(body).map_err(|e| failed("decoding the answer", &e))?;
    let typed = |v: &O::Response| serde_json::to_value(v).unwrap_or_default();
    if typed(&received) != typed(&expected) {
        return Err(format!("{}: the answer differs from the example", O::ID));
    }
    stub.remove();
    Ok(())
}

macro_rules! every_stub_answers {
    ($($marker:ident),* $(,)?) => {
        /// How many markers were checked, and the failures.
        async fn every_stub(fake: &Fake) -> (usize, Vec<String>) {
            let mut checked = 0;
            let mut failures = Vec::new();
            $(
                checked += 1;
                if let Err(e) = stub_answers_its_example::<operations::$marker>(fake).await {
                    failures.push(e);
                }
            )*
            (checked, failures)
        }
    };
}
acquire_api::with_operation_types!(every_stub_answers);

#[tokio::test]
async fn every_typed_stub_answers_its_documented_example() -> TestResult {
    let fake = Fake::builder().with_documented_data().start().await?;
    let (checked, failures) = every_stub(&fake).await;
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(checked, Spec::embedded().operations().len());
    Ok(())
}

#[tokio::test]
async fn seeded_records_read_back_as_inserted() -> TestResult {
    let mut case = records::case(CaseId(100), ContactId(42));
    case.title = Some("Order late".into());
    case.status = Some(CaseStatus::Closed);
    case.closing_state = Some(ClosingState::Handled);
    case.users = vec![
        records::contact_in_case(ParticipationId(500), ContactId(42)),
        records::agent_in_case(ParticipationId(501), UserId(7), CaseUserStatus::Joined),
    ];
    let mut note = records::note(NoteId(300), ContactId(42), "VIP");
    note.users = vec![records::mention(MentionId(1), UserId(7))];
    let fake = Fake::builder()
        .insert(records::agent(UserId(7), "Grace"))
        .insert(records::contact(ContactId(42)))
        .insert(case)
        .insert(records::message(
            MessageId(9000),
            CaseId(100),
            "Where is it?",
        ))
        .insert(note)
        .insert(records::note_message(
            NoteMessageId(1),
            NoteId(300),
            "Be nice",
        ))
        .insert(records::snooze_case(
            SnoozeId(5),
            CaseId(100),
            "2030-01-02 03:04:05",
        ))
        .start()
        .await?;

    let agent = fake
        .agents()?
        .into_iter()
        .find(|a| a.id.0 == 7)
        .ok_or("agent 7")?;
    assert_eq!(agent.name.as_deref(), Some("Grace"));
    assert!(fake.contacts()?.iter().any(|c| c.id == ContactId(42)));

    let case = fake.case(CaseId(100))?.ok_or("case 100")?;
    assert_eq!(case.title.as_deref(), Some("Order late"));
    assert_eq!(case.status, Some(CaseStatus::Closed));
    assert_eq!(case.closing_state, Some(ClosingState::Handled));
    assert_eq!(case.contact_id, Some(ContactId(42)));
    assert_eq!(
        case.thread_id,
        Some(ThreadId(100)),
        "its own thread by default"
    );
    let people: Vec<_> = case
        .users
        .iter()
        .map(|u| {
            (
                u.id.0,
                u.kind.clone(),
                u.user_id.map(|i| i.0),
                u.status.clone(),
            )
        })
        .collect();
    assert_eq!(
        people,
        [
            (
                500,
                Some(ParticipantType::Contact),
                Some(42),
                Some(CaseUserStatus::Active)
            ),
            (
                501,
                Some(ParticipantType::User),
                Some(7),
                Some(CaseUserStatus::Joined)
            ),
        ]
    );
    assert_eq!(
        case.users[1].user.as_ref().and_then(|u| u.name.as_deref()),
        Some("Grace"),
        "a participation shows the agent's profile"
    );
    assert_eq!(
        fake.cases()?.len(),
        1,
        "an empty fake holds only what was seeded"
    );

    let messages = fake.messages_of_thread(ThreadId(100))?;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].id, MessageId(9000));
    assert_eq!(messages[0].message.as_deref(), Some("Where is it?"));
    assert_eq!(messages[0].sender_type, Some(ParticipantType::Contact));

    let notes = fake.notes_of_contact(ContactId(42))?;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].title.as_deref(), Some("VIP"));
    assert_eq!(notes[0].users.len(), 1);
    assert_eq!(notes[0].users[0].user_id, Some(UserId(7)));
    assert_eq!(
        notes[0]
            .last_message
            .as_ref()
            .and_then(|m| m.message.as_deref()),
        Some("Be nice")
    );
    let note_messages = fake.note_messages(NoteId(300))?;
    assert_eq!(note_messages.len(), 1);
    assert_eq!(note_messages[0].id, NoteMessageId(1));

    let snoozes = fake.snoozes()?;
    assert_eq!(snoozes.len(), 1);
    assert_eq!(snoozes[0].id, SnoozeId(5));
    assert_eq!(
        snoozes[0].schedule_date.as_deref(),
        Some("2030-01-02 03:04:05")
    );
    assert_eq!(snoozes[0].object_id.map(|o| o.0), Some(100));

    // The client sees the same records.
    let client = fake.client()?;
    let through_api = client.cases().get(CaseId(100)).send().await?;
    assert_eq!(through_api.status, Some(CaseStatus::Closed));
    Ok(())
}

#[tokio::test]
async fn a_record_naming_an_unknown_one_is_refused() -> TestResult {
    let refused = Fake::builder()
        .insert(records::case(CaseId(1), ContactId(999)))
        .start()
        .await;
    let error = refused
        .err()
        .ok_or("a case of an unknown contact was taken")?;
    assert!(error.to_string().contains("contactId"), "{error}");
    Ok(())
}

#[tokio::test]
async fn stubs_seeded_state_and_faults_work_together() -> TestResult {
    let fake = Fake::builder()
        .insert(records::contact(ContactId(42)))
        .insert(records::case(CaseId(100), ContactId(42)))
        .insert(records::case(CaseId(101), ContactId(42)))
        .start()
        .await?;
    let client = fake.client()?;

    // A stub narrowed to case 101: case 100 still comes from the state.
    let missing = fake
        .stub::<operations::GetCaseOperation>()
        .when(|request| request.id("caseId") == Some(101))
        .fail(400, ErrorType::RecordNotFound, "no case 101 today");
    match client.cases().get(CaseId(101)).send().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 400);
            assert_eq!(e.error_type, Some(ErrorType::RecordNotFound));
            assert_eq!(e.message.as_deref(), Some("no case 101 today"));
        }
        other => panic!("expected the stubbed error, got {other:?}"),
    }
    let case = client.cases().get(CaseId(100)).send().await?;
    assert_eq!(case.status, Some(CaseStatus::Pending));
    assert_eq!(missing.calls(), 1, "only the matching request counts");

    // A stubbed operation still refuses an invalid request, uncounted.
    let not_an_id = [("caseId", "abc")];
    let invalid = acquire_tests::raw_request(fake.base_url(), "get_case", &not_an_id, "")
        .bearer_auth(fake.server().api_key())
        .send()
        .await?;
    assert_eq!(invalid.status(), 400);
    assert_eq!(missing.calls(), 1);

    // An injected 503 on join, retried by the client; the join took effect once.
    fake.faults().inject(
        "join_case",
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        1,
    );
    let retrying = acquire::Client::with_config(
        fake.client_config()?
            .with_retry_policy(RetryPolicy::default().with_min_delay(std::time::Duration::ZERO)),
    )?;
    retrying.cases().join(CaseId(100)).send().await?;
    assert_eq!(fake.server().request_count("join_case"), 2);
    assert_eq!(fake.server().executed_count("join_case"), 1);
    let joined = fake.case(CaseId(100))?.ok_or("case 100")?;
    assert_eq!(joined.status, Some(CaseStatus::Active));

    // A fault stub acting on the answer: the message is stored, the answer
    // is not JSON.
    let garbled = fake
        .stub::<operations::SendChatMessageOperation>()
        .fault(Fault::InvalidJson);
    let sent = client
        .messages()
        .send_chat(CaseId(100), "Hello from the agent")
        .send()
        .await;
    assert!(matches!(sent, Err(Error::Decode { .. })), "{sent:?}");
    assert_eq!(garbled.calls(), 1);
    let messages = fake.messages_of_thread(ThreadId(100))?;
    assert_eq!(
        messages.last().and_then(|m| m.message.as_deref()),
        Some("Hello from the agent")
    );

    // A fault stub answering instead of the handler: nothing is stored.
    garbled.remove();
    let down = fake
        .stub::<operations::SendChatMessageOperation>()
        .fault(Fault::Status {
            status: 500,
            retry_after: None,
        });
    let failed = client
        .messages()
        .send_chat(CaseId(100), "Lost")
        .send()
        .await;
    assert!(matches!(failed, Err(Error::Api(_))), "{failed:?}");
    assert!(down.calls() >= 1);
    assert_eq!(
        fake.messages_of_thread(ThreadId(100))?.len(),
        messages.len()
    );
    Ok(())
}
