//! Every method of the wrapper against a mock that accepts only the exact
//! request (method, path, query in order, `Authorization`, `x-user-type`,
//! JSON body) and answers with the spec's example; the method must return
//! the example's `data` as its domain type.
//!
//! One row per call; `every_spec_operation_has_a_row` fails when the spec
//! gains an operation no row calls. The rows are kept by API area
//! ([`cases`], [`messages`], [`notes`], [`snoozes`]); beside them,
//! [`refused`] holds input a method refuses before sending and [`answers`]
//! the answers the examples do not show.

#[path = "../support/mod.rs"]
mod support;

mod answers;
mod cases;
mod messages;
mod notes;
mod refused;
mod snoozes;

use std::{collections::BTreeSet, fmt::Debug, future::Future, pin::Pin};

use acquire::{
    chrono::{NaiveDate, NaiveDateTime},
    Client, Error, Page,
};
use serde_json::Value;
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

/// A page as the rows compare it (`Page` is not built outside the crate):
/// whether it is the last, its number, offset, size, total count and items.
type PageParts<T> = (bool, u64, Option<u64>, Option<u64>, Option<u64>, Vec<T>);

/// The parts of `page` the rows compare.
fn parts<T>(page: Page<T>) -> PageParts<T> {
    let last = page.is_last();
    (
        last,
        page.page,
        page.offset,
        page.limit,
        page.count,
        page.items,
    )
}

/// The date and time `date` (year, month, day) at `time` (hour, minute,
/// second); panics on one that does not exist.
fn at((year, month, day): (i32, u32, u32), (hour, min, sec): (u32, u32, u32)) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(hour, min, sec))
        .unwrap_or_else(|| panic!("no such date: {year}-{month}-{day} {hour}:{min}:{sec}"))
}

/// Every row: the cases', the messages', the notes' and the snoozes'
/// methods.
fn rows() -> Vec<Row> {
    [
        cases::rows(),
        messages::rows(),
        notes::rows(),
        snoozes::rows(),
    ]
    .into_iter()
    .flatten()
    .collect()
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
