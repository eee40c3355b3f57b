//! `acquire demo`: the case lifecycle, step by step, against the embedded
//! fake server or (with `--live`) the account in the environment.

use acquire::{
    query::{CaseColumn, CaseRelation, FilterOperator},
    CaseId, CaseStatus, Client, ClientConfig, ThreadId,
};
use acquire_mock::{MockConfig, MockServer};

use crate::{
    cli::DemoArgs,
    failure::Failure,
    output::{Output, Printer},
};

/// The first case's title and message, and the agent's answer.
const TITLE: &str = "Where is my order?";
const FIRST_MESSAGE: &str = "Hello, my order has not arrived.";
const ANSWER: &str = "Hi! I am looking into your order now.";

/// Runs the demo.
pub async fn run(args: DemoArgs, printer: Printer) -> Result<(), Failure> {
    if printer.output == Output::Csv {
        // Its steps print records of several kinds: no one header fits.
        return Err(Failure::Usage(
            "acquire demo prints steps of different kinds: use --output table or json".into(),
        ));
    }
    let credentials = std::env::var_os(acquire::ENV_API_KEY).is_some_and(|v| !v.is_empty());
    if args.live || (credentials && !args.fake) {
        let client = Client::from_env()?;
        printer.note(&format!("live Acquire account at {}", client.base_url()))?;
        let mut open = Vec::new();
        let result = lifecycle(&client, &args, printer, true, &mut open).await;
        if result.is_err() {
            // A step failed: close what the demo opened, as far as possible;
            // the step's failure is what gets reported.
            for case in open {
                let _ = client.cases().close(case).send().await;
            }
        }
        return result;
    }
    // A key of the fake only, never an account's.
    let key = format!("demo-key-{}", std::process::id());
    let server = MockServer::start(MockConfig::default().with_api_key(key.clone()))
        .await
        .map_err(|e| Failure::Other(format!("cannot start the fake server: {e}")))?;
    let config = ClientConfig::default()
        .with_base_url(server.base_url())?
        .with_api_key(&key)?;
    printer.note(&format!("fake Acquire server at {}", server.base_url()))?;
    let result = match Client::with_config(config) {
        Ok(client) => lifecycle(&client, &args, printer, false, &mut Vec::new()).await,
        Err(e) => Err(e.into()),
    };
    server.shutdown().await;
    result
}

/// Create, join, send a message, list, close, reopen, reject, get; when
/// live, the reopened case is closed at the end. `open` holds the cases
/// the demo opened and has not closed yet.
async fn lifecycle(
    client: &Client,
    args: &DemoArgs,
    printer: Printer,
    live: bool,
    open: &mut Vec<CaseId>,
) -> Result<(), Failure> {
    let cases = client.cases();
    let contact = args.contact_id;

    let created = cases
        .create(contact)
        .title(TITLE)
        .message(FIRST_MESSAGE)
        .send()
        .await?;
    let case = created.id;
    open.push(case);
    printer.step(
        "create",
        &format!("create a case for contact {contact}"),
        &created,
    )?;

    let joined = cases.join(case).send().await?;
    printer.step("join", &format!("join case {case}"), &joined)?;

    let message = client.messages().send_chat(case, ANSWER).send().await?;
    printer.step(
        "send_message",
        &format!("send a message in case {case}"),
        &message,
    )?;

    let active = cases
        .list()
        .filter(CaseColumn::ContactId, FilterOperator::Eq, contact)
        .filter(CaseColumn::Status, FilterOperator::Eq, CaseStatus::Active)
        .limit(10)
        .send()
        .await?;
    printer.step(
        "list",
        &format!("list the active cases of contact {contact} (first 10)"),
        &active,
    )?;

    let closure = cases.close(case).send().await?;
    open.retain(|c| *c != case);
    printer.step("close", &format!("close case {case}"), &closure)?;

    let thread = args
        .thread_id
        .or(created.thread_id)
        .unwrap_or(ThreadId::from(created.id));
    let mut reopen = cases.reopen(contact, thread);
    let session = created.meta.as_ref().and_then(|m| m.session_id.as_ref());
    if let Some(session) = session.and_then(|s| s.id()) {
        reopen = reopen.session(session);
    }
    let reopened = reopen.send().await?;
    open.push(reopened.id);
    printer.step("reopen", &format!("reopen thread {thread}"), &reopened)?;

    let rejected = cases.reject(reopened.id).send().await?;
    printer.step(
        "reject",
        &format!("reject the reopened case {}", reopened.id),
        &rejected,
    )?;

    let got = cases
        .get(case)
        .relations([CaseRelation::Users])
        .send()
        .await?;
    printer.step("get", &format!("get case {case}"), &got)?;

    if live {
        // Leave nothing open on the account.
        let closure = cases.close(reopened.id).send().await?;
        open.clear();
        printer.step(
            "clean_up",
            &format!("clean up: close the reopened case {}", reopened.id),
            &closure,
        )?;
    }
    Ok(())
}
