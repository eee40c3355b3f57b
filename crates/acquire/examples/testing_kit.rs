//! A small service function, tested both ways the testing kit offers:
//! against seeded state (assert on what changed) and against typed stubs
//! (assert on what was called).
//!
//! ```sh
//! cargo run -p acquire --example testing_kit --features testing
//! ```

use acquire::query::{CaseColumn, FilterOperator};
use acquire::testing::{operations, records, Fake};
use acquire::types::{CasePage, ParticipationId};
use acquire::{
    CaseId, CaseStatus, CaseUserStatus, Client, ContactId, ParticipantType, ThreadId, UserId,
};
use futures::TryStreamExt;

/// The greeting sent to every new case.
const GREETING: &str = "Hi! How can I help?";

/// The code under test: when a case arrives from `contact` (it is
/// pending), join it and send a greeting. Returns the cases greeted.
async fn greet_new_cases(
    client: &Client,
    contact: ContactId,
) -> Result<Vec<CaseId>, acquire::Error> {
    let pending: Vec<_> = client
        .cases()
        .list()
        .filter(CaseColumn::ContactId, FilterOperator::Eq, contact)
        .filter(CaseColumn::Status, FilterOperator::Eq, CaseStatus::Pending)
        .stream()
        .try_collect()
        .await?;
    let mut greeted = Vec::new();
    for case in pending {
        client.cases().join(case.id).send().await?;
        client
            .messages()
            .send_chat(case.id, GREETING)
            .send()
            .await?;
        greeted.push(case.id);
    }
    Ok(greeted)
}

/// With seeded state: contact 42's pending case is joined and greeted;
/// another contact's case and a closed one are left alone.
async fn test_with_seeded_state() -> Result<(), Box<dyn std::error::Error>> {
    let mut closed = records::case(CaseId(101), ContactId(42));
    closed.status = Some(acquire::CaseStatus::Closed);
    let fake = Fake::builder()
        .insert(records::contact(ContactId(42)))
        .insert(records::contact(ContactId(43)))
        .insert(records::case(CaseId(100), ContactId(42)))
        .insert(closed)
        .insert(records::case(CaseId(200), ContactId(43)))
        .start()
        .await?;

    let greeted = greet_new_cases(&fake.client()?, ContactId(42)).await?;

    assert_eq!(greeted, [CaseId(100)]);
    let case = fake.case(CaseId(100))?.ok_or("case 100 is gone")?;
    assert_eq!(case.status, Some(CaseStatus::Active));
    // The API key acts as agent 25 (acquire_mock::API_USER_ID).
    assert!(case
        .users
        .iter()
        .any(|u| u.kind == Some(ParticipantType::User)
            && u.user_id.map(|id| id.0) == Some(25)
            && u.status == Some(CaseUserStatus::Joined)));
    let messages = fake.messages_of_thread(ThreadId(100))?;
    assert_eq!(
        messages.last().and_then(|m| m.message.as_deref()),
        Some(GREETING)
    );
    let untouched = fake.case(CaseId(200))?.ok_or("case 200 is gone")?;
    assert_eq!(untouched.status, Some(CaseStatus::Pending));
    assert!(fake.messages_of_thread(ThreadId(200))?.is_empty());
    Ok(())
}

/// With typed stubs: the list answers one case, join and send are stubbed
/// for that case only; each is called once.
async fn test_with_stubs() -> Result<(), Box<dyn std::error::Error>> {
    let fake = Fake::builder().start().await?;
    let mut case = records::case(CaseId(7), ContactId(42));
    case.status = Some(CaseStatus::Pending);
    let list = fake
        .stub::<operations::ListCasesOperation>()
        .when(|request| {
            let filters = request
                .param("where")
                .map(ToString::to_string)
                .unwrap_or_default();
            filters.contains("contactId|eq|42")
        })
        .respond(CasePage {
            count: Some(1),
            data: vec![case.clone()],
            limit: Some(20),
            offset: Some(0),
            page: Some(0),
            unknown: Default::default(),
        });
    let mut joined = case.clone();
    joined.status = Some(CaseStatus::Active);
    joined.users = vec![records::agent_in_case(
        ParticipationId(1),
        UserId(25),
        CaseUserStatus::Joined,
    )];
    let join = fake
        .stub::<operations::JoinCaseOperation>()
        .when(|request| request.id("caseId") == Some(7))
        .respond(joined);
    let send = fake
        .stub::<operations::SendChatMessageOperation>()
        .when(|request| request.id("caseId") == Some(7))
        .respond(records::message(acquire::MessageId(1), CaseId(7), GREETING));

    let greeted = greet_new_cases(&fake.client()?, ContactId(42)).await?;

    assert_eq!(greeted, [CaseId(7)]);
    assert_eq!((list.calls(), join.calls(), send.calls()), (1, 1, 1));
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    test_with_seeded_state().await?;
    println!("seeded state: contact 42's new case was joined and greeted");
    test_with_stubs().await?;
    println!("typed stubs: list, join and send were each called once");
    Ok(())
}
