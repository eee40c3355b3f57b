//! Drift reporting end to end through the client: a response with an
//! undeclared member and an unknown enum value is logged once per client
//! (a WARN event, target `acquire::drift`), counted in `Client::drift()`,
//! and no member value appears in either.

mod support;

use acquire::{
    drift::{DriftKind, DRIFT_TARGET},
    CaseId, Client, RetryPolicy,
};
use serde_json::{json, Value};
use support::{Captured, KEY};
use wiremock::{MockServer, ResponseTemplate};

/// A member value that must never be logged or reported.
const PERSONAL: &str = "jane.doe@example.com";

/// The documented case with two undeclared members (one holding personal
/// data) and an unknown case status.
fn drifted() -> Value {
    let mut value = support::documented_case();
    value["data"]["status"] = json!("snoozed");
    value["data"]["users"][0]["user"]["personalEmail"] = json!(PERSONAL);
    value["data"]["users"][1]["user"]["personalEmail"] = json!(PERSONAL);
    value
}

/// A mock answering every request with `body`.
async fn answering(body: Value) -> MockServer {
    support::answering(ResponseTemplate::new(200).set_body_json(body)).await
}

/// A client of `server`, without retries, detecting drift or not.
fn drift_client(server: &MockServer, detection: bool) -> Client {
    support::configured(&server.uri(), |c| {
        c.with_retry_policy(RetryPolicy::none())
            .with_drift_detection(detection)
    })
}

/// Gets case 1684 through `client`, which must succeed.
async fn get_case(client: &Client) {
    client
        .cases()
        .get(CaseId(1684))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

#[tokio::test(flavor = "current_thread")]
async fn each_finding_is_logged_once_per_client_and_counted() {
    let (captured, _guard) = capture();
    let server = answering(drifted()).await;
    let client = drift_client(&server, true);
    for _ in 0..3 {
        get_case(&client).await;
    }
    // A clone shares the log: no new event.
    client
        .clone()
        .cases()
        .join(CaseId(1684))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let log = captured.text();
    let events: Vec<&str> = log.lines().filter(|l| l.contains(DRIFT_TARGET)).collect();
    assert_eq!(events.len(), 2, "{log}");
    assert!(events.iter().all(|e| e.contains("WARN")), "{log}");
    assert!(
        events
            .iter()
            .all(|e| e.contains("operation_id=\"get_case\"")),
        "{log}"
    );
    let member = events
        .iter()
        .find(|e| e.contains("kind=\"undeclared_member\""))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        member.contains("pointer=/data/users/*/user/personalEmail"),
        "{member}"
    );
    assert!(!member.contains("value="), "{member}");
    let value = events
        .iter()
        .find(|e| e.contains("kind=\"unknown_enum_value\""))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(value.contains("pointer=/data/status"), "{value}");
    assert!(value.contains("value=\"snoozed\""), "{value}");

    let report = client.drift();
    assert_eq!(report.entries.len(), 2, "{report:?}");
    for entry in &report.entries {
        assert_eq!(entry.count, 4, "{entry:?}");
        assert_eq!(entry.first_operation, "get_case");
    }
    assert!(report.entries.iter().any(|e| e.finding.kind
        == DriftKind::UnknownEnumValue {
            schema: "CaseStatus",
            value: "snoozed".into()
        }));

    // Another client logs its own findings once more.
    get_case(&drift_client(&server, true)).await;
    let again = captured.text();
    assert_eq!(
        again.lines().filter(|l| l.contains(DRIFT_TARGET)).count(),
        4
    );
}

#[tokio::test(flavor = "current_thread")]
async fn no_member_value_leaks_into_the_events_or_the_report() {
    let (captured, _guard) = capture();
    let server = answering(drifted()).await;
    let client = drift_client(&server, true);
    get_case(&client).await;
    let report = client.drift();
    assert!(!report.is_empty());
    for text in [captured.text(), format!("{report:?}")] {
        assert!(!text.contains(PERSONAL), "{text}");
        assert!(!text.contains("jane"), "{text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn detection_can_be_turned_off_and_documented_answers_show_nothing() {
    let (captured, _guard) = capture();
    let drifting = answering(drifted()).await;
    let off = drift_client(&drifting, false);
    get_case(&off).await;
    assert!(off.drift().is_empty());

    let faithful = answering(support::documented_case()).await;
    let on = drift_client(&faithful, true);
    get_case(&on).await;
    assert!(on.drift().is_empty());
    assert!(
        !captured.text().contains(DRIFT_TARGET),
        "{}",
        captured.text()
    );
}

/// End to end against the drifting fake (`acquire-mock`, drift mode): the
/// findings come from the spec's schemas on both sides, the fake adding
/// and the client detecting, with no list of members in either.
#[tokio::test(flavor = "current_thread")]
async fn the_drifting_fake_is_detected_counted_and_logged_once_per_finding() {
    use acquire_mock::{MockConfig, MockServer, DRIFT_ENUM_VALUE, DRIFT_MEMBER, DRIFT_PROBE_VALUE};

    let (captured, _guard) = capture();
    let fake = MockServer::start(MockConfig::default().with_api_key(KEY).with_drift(true))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = support::fake_client(fake.base_url());
    for _ in 0..3 {
        get_case(&client).await;
    }
    client
        .cases()
        .list()
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let report = client.drift();
    let entry = |pointer: &str| {
        report
            .entries
            .iter()
            .find(|e| e.finding.pointer == pointer)
            .unwrap_or_else(|| panic!("no finding at {pointer}: {report:?}"))
    };
    // The case's own probe and status: seen by the three gets only.
    let member = entry(&format!("/data/{DRIFT_MEMBER}"));
    assert_eq!(member.finding.kind, DriftKind::UndeclaredMember);
    assert_eq!(member.first_operation, "get_case");
    let status = entry("/data/status");
    assert_eq!(
        status.finding.kind,
        DriftKind::UnknownEnumValue {
            schema: "CaseStatus",
            value: DRIFT_ENUM_VALUE.into()
        }
    );
    assert_eq!((status.count, status.first_operation), (3, "get_case"));
    // The listed cases: first seen by the list, once per case listed.
    let listed = entry("/data/data/*/status");
    assert_eq!(listed.first_operation, "list_cases");
    assert!(listed.count >= 1, "{listed:?}");
    // The envelope's probe: every response has one.
    assert_eq!(entry(&format!("/{DRIFT_MEMBER}")).count, 4);

    // One WARN per distinct finding, however many responses showed it.
    let log = captured.text();
    let events: Vec<&str> = log.lines().filter(|l| l.contains(DRIFT_TARGET)).collect();
    assert_eq!(events.len(), report.entries.len(), "{log}");
    assert!(events.iter().all(|e| e.contains("WARN")), "{log}");
    let distinct: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|e| e.split(DRIFT_TARGET).nth(1).unwrap_or(e))
        .collect();
    assert_eq!(distinct.len(), events.len(), "{log}");
    // The probe's value is never logged or reported; enum values are.
    for text in [&log, &format!("{report:?}")] {
        assert!(!text.contains(DRIFT_PROBE_VALUE), "{text}");
    }
    assert!(
        log.contains(&format!("value=\"{DRIFT_ENUM_VALUE}\"")),
        "{log}"
    );
    fake.shutdown().await;
}
