//! One test per place where Acquire's reference contradicts itself (the
//! ambiguities of `openapi/reference/REQUESTS.md`): what this crate sends,
//! and that the spec accepts the other documented form (or refuses what the
//! reference requires) as the operation's description says. What the
//! crate sends is captured by a mock; the spec is checked through the fake
//! server's validation (`acquire_mock::RequestChecker`).

mod support;

use std::sync::OnceLock;

use acquire::{
    chrono::NaiveDate, CaseId, ContactId, MessageId, NoteId, SessionId, ThreadId, UserId,
};
use acquire_mock::{MockConfig, MockServer, RequestChecker};
use serde_json::{json, Value};
use support::{only_request, ExactRequest};
use wiremock::{MockServer as Wire, Request, ResponseTemplate};

fn checker() -> &'static RequestChecker {
    static CHECKER: OnceLock<RequestChecker> = OnceLock::new();
    CHECKER.get_or_init(|| RequestChecker::embedded().unwrap_or_else(|e| panic!("{e}")))
}

/// Checks a request of `operation` (its method and path from the operation
/// table, filled with `path_params`) against the spec: `Ok(operation)` or
/// the refusal.
fn check(
    operation: &str,
    path_params: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> Result<String, String> {
    let request = ExactRequest::for_operation(operation, path_params, "", support::KEY);
    support::check_against_spec(checker(), &support::exact(request, query, &[], body))
}

/// A mock answering every request with `{"data": answer}`.
async fn capturing(answer: Value) -> Wire {
    support::answering(ResponseTemplate::new(200).set_body_json(json!({ "data": answer }))).await
}

fn query_of(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

/// What the spec says of the request the crate sent.
fn spec_accepts(request: &Request) -> Result<String, String> {
    support::check_received(checker(), request)
}

/// The request the crate sends for an SMS "hi" on the documented route.
async fn sms_request() -> Request {
    let server = capturing(json!({})).await;
    support::client(&server)
        .messages()
        .send_sms(support::sms_route(), "hi")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    only_request(&server).await
}

fn message_answer() -> Value {
    json!({"id": 1, "message": "hi"})
}

fn at(y: i32, m: u32, d: u32) -> acquire::chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_else(|| panic!("a valid date"))
}

// 1. Where `x-user-type` goes.
#[tokio::test]
async fn x_user_type_is_a_query_parameter_sent_on_every_chat_and_sms() {
    let server = capturing(message_answer()).await;
    let client = support::client(&server);
    client
        .messages()
        .send_chat(CaseId(1684), "hi")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let chat = only_request(&server).await;
    assert!(query_of(&chat).contains(&("x-user-type".into(), "user".into())));
    assert!(chat.headers.get("x-user-type").is_none(), "never a header");
    assert_eq!(spec_accepts(&chat).as_deref(), Ok("send_chat_message"));

    let server = capturing(json!({})).await;
    support::client(&server)
        .messages()
        .send_sms(support::sms_route(), "hi")
        .as_contact()
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sms = only_request(&server).await;
    assert!(query_of(&sms).contains(&("x-user-type".into(), "contact".into())));
    assert_eq!(spec_accepts(&sms).as_deref(), Ok("send_sms"));

    // Required on chat and SMS: without it (or as a header only) the spec refuses.
    let body = json!({"caseId": 1684, "message": {"type": "message"}});
    let refused = check("send_chat_message", &[], &[], Some(body));
    assert!(refused.is_err_and(|why| why.contains("x-user-type")));
    // Optional when listing a thread.
    let thread = [("threadId", "1"), ("contactId", "2")];
    assert!(check("list_messages", &[], &thread, None).is_ok());
}

// 2. Whether pages count from 0 or 1.
#[tokio::test]
async fn pages_count_from_zero() {
    let fake = MockServer::start(MockConfig::default().with_api_key(support::KEY))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = support::fake_client(fake.base_url());
    let first = client.cases().list().page(0).limit(2).send().await;
    let second = client.cases().list().page(1).limit(2).send().await;
    let (first, second) = match (first, second) {
        (Ok(a), Ok(b)) => (a, b),
        other => panic!("{other:?}"),
    };
    assert_eq!((first.page, first.offset), (0, Some(0)));
    assert_eq!((second.page, second.offset), (1, Some(2)));
    let unpaged = client.cases().list().limit(2).send().await;
    assert_eq!(
        unpaged.map(|p| p.items).ok(),
        Some(first.items.clone()),
        "no page is the first page"
    );
    assert_ne!(first.items, second.items);
    fake.shutdown().await;
    // The spec states the numbering in the parameter itself.
    assert!(check("list_cases", &[], &[("page", "0")], None).is_ok());
    assert!(check("list_cases", &[], &[("page", "-1")], None).is_err());
}

// 2b. Whether the case list takes paging at all.
#[tokio::test]
async fn the_case_list_sends_page_and_limit_though_only_its_response_documents_them() {
    let server = capturing(json!({"page": 3, "limit": 5, "data": []})).await;
    let _ = support::client(&server)
        .cases()
        .list()
        .page(3)
        .limit(5)
        .send()
        .await;
    let list = only_request(&server).await;
    assert_eq!(
        query_of(&list),
        [("limit".into(), "5".into()), ("page".into(), "3".into())]
    );
    assert_eq!(spec_accepts(&list).as_deref(), Ok("list_cases"));
}

// 3. `Authorization` in the query for SMS.
#[tokio::test]
async fn the_key_goes_in_the_header_and_the_query_form_is_accepted_for_sms_only() {
    let sms = sms_request().await;
    assert!(sms.headers.get("authorization").is_some());
    assert!(!query_of(&sms).iter().any(|(k, _)| k == "Authorization"));

    let fake = MockServer::start(MockConfig::default().with_api_key("query-key"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body = json!({
        "From": "+12513188609", "To": "+14155550123", "Body": "hi",
        "contactId": 597760, "threadId": 1710, "timelineId": 5120
    });
    let key = "Authorization=Bearer%20query-key";
    let sms = support::raw_request(
        fake.base_url(),
        "send_sms",
        &[],
        &format!("?x-user-type=user&{key}"),
    )
    .json(&body)
    .send()
    .await
    .map(|r| r.status().as_u16());
    let case = [("caseId", "1684")];
    let get = support::raw_request(fake.base_url(), "get_case", &case, &format!("?{key}"))
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!((sms.ok(), get.ok()), (Some(200), Some(401)));
    fake.shutdown().await;
}

// 4. Send chat `contactId`.
#[tokio::test]
async fn the_chat_contact_goes_in_the_query_not_the_body() {
    let server = capturing(message_answer()).await;
    support::client(&server)
        .messages()
        .send_chat(CaseId(1684), "Where is my order?")
        .as_contact()
        .contact(ContactId(597752))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let chat = only_request(&server).await;
    assert!(query_of(&chat).contains(&("contactId".into(), "597752".into())));
    assert!(
        body_of(&chat).get("contactId").is_none(),
        "{}",
        body_of(&chat)
    );
    assert_eq!(spec_accepts(&chat).as_deref(), Ok("send_chat_message"));
}

// 5. Send chat shape.
#[tokio::test]
async fn the_chat_case_sits_beside_the_message_whose_type_is_required() {
    let server = capturing(message_answer()).await;
    support::client(&server)
        .messages()
        .send_chat(CaseId(1684), "hi")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body = body_of(&only_request(&server).await);
    assert_eq!(body["caseId"], 1684);
    assert_eq!(body["message"], json!({"type": "message", "message": "hi"}));

    let chat = |body| {
        check(
            "send_chat_message",
            &[],
            &[("x-user-type", "user")],
            Some(body),
        )
    };
    let without_type = json!({"caseId": 1684, "message": {"message": "hi"}});
    assert!(chat(without_type).is_err_and(|w| w.contains("type")));
    let without_text = json!({"caseId": 1684, "message": {"type": "event"}});
    assert!(
        chat(without_text).is_ok(),
        "the table makes the text optional"
    );
}

// 6. Email: nested, and its required members.
#[tokio::test]
async fn an_email_is_nested_in_data_with_the_members_the_page_requires() {
    let server = capturing(json!({"id": 1})).await;
    support::client(&server)
        .messages()
        .send_email(
            CaseId(1702),
            ContactId(597752),
            "support@example.acquire.io",
            ["a@example.com"],
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let email = only_request(&server).await;
    assert_eq!(
        body_of(&email),
        json!({"data": {"caseId": 1702, "contactId": 597752, "from": "support@example.acquire.io",
                        "to": ["a@example.com"], "type": "message"}})
    );
    assert_eq!(spec_accepts(&email).as_deref(), Ok("send_email_message"));
    for member in ["caseId", "contactId", "to", "from", "type"] {
        let mut body = body_of(&email);
        body["data"].as_object_mut().map(|d| d.remove(member));
        let refused = check("send_email_message", &[], &[], Some(body));
        assert!(refused.is_err_and(|w| w.contains(member)), "{member}");
    }
}

// 7. SMS: the six members of the table.
#[tokio::test]
async fn an_sms_carries_the_six_members_the_table_requires() {
    let sms = sms_request().await;
    let body = body_of(&sms);
    for member in ["From", "To", "Body", "contactId", "threadId", "timelineId"] {
        assert!(body.get(member).is_some(), "{member} in {body}");
        let mut without = body.clone();
        without.as_object_mut().map(|b| b.remove(member));
        let refused = check("send_sms", &[], &[("x-user-type", "user")], Some(without));
        assert!(refused.is_err_and(|w| w.contains(member)), "{member}");
    }
}

// 8. Snooze: `caseId` or `contactId`, `null` allowed.
#[tokio::test]
async fn a_snooze_names_a_case_or_a_contact_and_null_stands_for_the_other() {
    let server = capturing(json!({"data": {"id": 78}})).await;
    support::client(&server)
        .snoozes()
        .snooze_contact(ContactId(597752), at(2030, 1, 2))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body = body_of(&only_request(&server).await);
    assert_eq!(body["contactId"], 597752);
    assert!(body.get("caseId").is_none());

    let snooze = |case: Value, contact: Value| {
        check(
            "create_snooze",
            &[],
            &[],
            Some(
                json!({"objectType": "contact", "scheduleDate": "2030-01-02 09:00:00",
                        "caseId": case, "contactId": contact}),
            ),
        )
    };
    assert!(
        snooze(Value::Null, json!(597752)).is_ok(),
        "the example's null caseId"
    );
    assert!(snooze(json!(1684), Value::Null).is_ok());
    let neither = snooze(Value::Null, Value::Null);
    assert!(
        neither.is_err_and(|w| w.contains("caseId") && w.contains("contactId")),
        "at least one must hold an id"
    );
}

// 8b. `scheduleDate`'s format.
#[tokio::test]
async fn the_schedule_is_sent_as_documented_and_the_examples_form_is_accepted() {
    let server = capturing(json!({"data": {"id": 78}})).await;
    support::client(&server)
        .snoozes()
        .snooze_case(CaseId(1684), at(2030, 1, 2))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body = body_of(&only_request(&server).await);
    assert_eq!(body["scheduleDate"], "2030-01-02 09:00:00");

    let snooze = |date: &str| {
        check(
            "create_snooze",
            &[],
            &[],
            Some(json!({"objectType": "case", "caseId": 1684, "scheduleDate": date})),
        )
    };
    assert!(
        snooze("2021-03-25T09:00:00.000Z").is_ok(),
        "the example's form"
    );
    assert!(snooze("25/03/2021 9am").is_err());

    // The fake stores the example's form as the documented one.
    let fake = MockServer::start(MockConfig::default().with_api_key(support::KEY))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stored = support::raw_request(fake.base_url(), "create_snooze", &[], "")
        .bearer_auth(support::KEY)
        .json(&json!({"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25T09:00:00.000Z"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json::<Value>()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stored["data"]["data"]["scheduleDate"],
        "2021-03-25 09:00:00"
    );
    fake.shutdown().await;
}

// 9. Value types: `mentionUsers`.
#[tokio::test]
async fn mentions_are_sent_as_strings_of_digits_and_integers_are_accepted() {
    let server = capturing(json!({"id": 1})).await;
    support::client(&server)
        .notes()
        .create(ContactId(597752))
        .mention([UserId(12)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let note = only_request(&server).await;
    assert_eq!(body_of(&note)["mentionUsers"], json!(["12"]));
    assert_eq!(spec_accepts(&note).as_deref(), Ok("create_note"));
    let create = |body| check("create_note", &[], &[("contactId", "597752")], Some(body));
    let as_table = json!({"type": "note", "mentionUsers": [12]});
    assert!(create(as_table).is_ok());
    let not_an_id = json!({"type": "note", "mentionUsers": ["twelve"]});
    assert!(create(not_an_id).is_err());
}

// 9. Value types: invite's `caseId`.
#[tokio::test]
async fn the_invited_case_is_sent_as_an_integer_and_the_tables_string_is_accepted() {
    let server = capturing(json!({})).await;
    let _ = support::client(&server)
        .cases()
        .invite(CaseId(1684))
        .agents([UserId(12)])
        .send()
        .await;
    let invite = only_request(&server).await;
    assert_eq!(body_of(&invite)["caseId"], 1684);
    assert_eq!(spec_accepts(&invite).as_deref(), Ok("invite_agent"));
    let as_table = json!({"caseId": "1684", "agentIds": [12]});
    assert!(check("invite_agent", &[], &[], Some(as_table)).is_ok());
}

// 9. Value types: reopen's `sessionId`.
#[tokio::test]
async fn the_reopen_session_is_sent_as_a_number_and_a_string_of_digits_is_accepted() {
    let server = capturing(json!({"id": 2072})).await;
    support::client(&server)
        .cases()
        .reopen(ContactId(597752), ThreadId(1683))
        .session(SessionId(3711819272))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reopen = only_request(&server).await;
    assert_eq!(body_of(&reopen)["sessionId"], 3711819272_i64);
    let as_meta = json!({"threadId": 1683, "sessionId": "3711819272"});
    let contact = [("contactId", "597752")];
    assert!(check("create_case", &[], &contact, Some(as_meta)).is_ok());
}

// 9. Value types: close's `archive`.
#[tokio::test]
async fn archive_is_sent_as_yes_or_no() {
    for (archive, sent) in [(true, "yes"), (false, "no")] {
        let server = capturing(json!({})).await;
        let _ = support::client(&server)
            .cases()
            .close(CaseId(1684))
            .archive(archive)
            .send()
            .await;
        let close = only_request(&server).await;
        assert_eq!(body_of(&close)["archive"], sent);
        assert_eq!(spec_accepts(&close).as_deref(), Ok("close_case"));
    }
    let boolean = json!({"caseId": 1684, "archive": true});
    assert!(check("close_case", &[], &[], Some(boolean)).is_err_and(|w| w.contains("archive")));
}

// 10. Update's path parameter name (it never travels).
#[tokio::test]
async fn an_update_puts_the_message_id_in_the_path() {
    let server = capturing(message_answer()).await;
    support::client(&server)
        .messages()
        .update(MessageId(7791), "fixed")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let update = only_request(&server).await;
    assert_eq!(
        update.url.path(),
        support::operation_path("update_message", &[("messageId", "7791")])
    );
    assert_eq!(spec_accepts(&update).as_deref(), Ok("update_message"));
}

// 11. Required note members.
#[tokio::test]
async fn notes_carry_the_members_their_pages_require() {
    let server = capturing(json!({"id": 1})).await;
    support::client(&server)
        .notes()
        .create(ContactId(597752))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        body_of(&only_request(&server).await),
        json!({"type": "note"}),
        "no title needed"
    );
    let server = capturing(json!({"id": 1})).await;
    support::client(&server)
        .notes()
        .add_message(NoteId(310), ContactId(597752), "done")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        body_of(&only_request(&server).await),
        json!({"type": "message", "note_id": 310, "contact_id": 597752, "message": "done"})
    );
    let contact = [("contactId", "597752")];
    let create = check("create_note", &[], &contact, Some(json!({"title": "t"})));
    assert!(create.is_err_and(|w| w.contains("type")));
    let reply = check(
        "add_note_message",
        &[],
        &[],
        Some(json!({"type": "message", "note_id": 310})),
    );
    assert!(reply.is_err_and(|w| w.contains("contact_id")));
}

// 12. Path or query.
#[tokio::test]
async fn reopens_contact_and_a_notes_messages_note_are_query_parameters() {
    let server = capturing(json!({"id": 2072})).await;
    let _ = support::client(&server)
        .cases()
        .reopen(ContactId(597752), ThreadId(1683))
        .send()
        .await;
    let reopen = only_request(&server).await;
    assert_eq!(
        reopen.url.path(),
        support::operation_path("create_case", &[])
    );
    assert_eq!(query_of(&reopen), [("contactId".into(), "597752".into())]);
    let server = capturing(json!({"count": 0, "rows": []})).await;
    let _ = support::client(&server).notes().messages(NoteId(310)).await;
    let messages = only_request(&server).await;
    assert_eq!(
        messages.url.path(),
        support::operation_path("list_note_messages", &[])
    );
    assert_eq!(query_of(&messages), [("noteId".into(), "310".into())]);
}

// 13. `lcontact_id`.
#[tokio::test]
async fn the_notes_list_sends_contact_id_not_lcontact_id() {
    let server = capturing(json!({"count": 0, "rows": []})).await;
    let _ = support::client(&server)
        .notes()
        .list(ContactId(597752))
        .send()
        .await;
    let list = only_request(&server).await;
    assert_eq!(query_of(&list), [("contact_id".into(), "597752".into())]);
    let refused = check("list_notes", &[], &[("lcontact_id", "597752")], None);
    assert!(refused.is_err_and(|w| w.contains("contact_id")));
}

// Reject's `caseId`, shown only in the page's example.
#[tokio::test]
async fn a_reject_always_names_its_case_and_the_fake_names_it_when_missing() {
    let server = capturing(json!({"id": 1681})).await;
    let _ = support::client(&server)
        .cases()
        .reject(CaseId(1681))
        .send()
        .await;
    assert_eq!(
        body_of(&only_request(&server).await),
        json!({"caseId": 1681})
    );
    assert!(check("reject_case", &[], &[], Some(json!({}))).is_ok());
    let fake = MockServer::start(MockConfig::default().with_api_key(support::KEY))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = support::raw_request(fake.base_url(), "reject_case", &[], "")
        .bearer_auth(support::KEY)
        .json(&json!({}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status().as_u16(), 400);
    let error: Value = answer.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(error["type"], "ERROR_INVALID_INPUT");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("caseId")),
        "{error}"
    );
    fake.shutdown().await;
}
