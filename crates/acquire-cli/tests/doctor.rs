//! `acquire doctor` end to end, one test per exit code: 0 against the
//! plain fake, 3 against the drifting fake, 1 when a response does not
//! decode, 2 without credentials. Its output never shows the API key or a
//! member value.

mod common;

use acquire_mock::{Fault, MockConfig, DRIFT_ENUM_VALUE, DRIFT_MEMBER, DRIFT_PROBE_VALUE};
use common::{acquire, Fake, KEY};

/// The four calls.
const CALLS: [&str; 4] = ["list_cases", "get_case", "list_messages", "list_notes"];

#[test]
fn a_clean_account_exits_0() {
    let fake = Fake::start();
    let table = fake.acquire(&["doctor"]);
    assert_eq!(table.ok(), "4 call(s): every response matches the spec\n");
    let json = fake.acquire(&["doctor", "--output", "json"]);
    assert_eq!(json.ok(), "");
    fake.stop();
}

#[test]
fn a_response_that_does_not_decode_exits_1_and_says_where() {
    let fake = Fake::start();
    fake.server
        .faults()
        .inject("get_case", Fault::InvalidJson, 1);
    let run = fake.acquire(&["doctor", "--output", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let error = run.stderr.trim_end();
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(
        error.starts_with("error: get_case: could not decode"),
        "{error}"
    );
    // What was found before the failure is still reported: the body that
    // is not JSON, at the document's root.
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(
        lines,
        [serde_json::json!({
            "operation": "get_case", "pointer": "", "kind": "schema_violation", "rule": "json"
        })]
    );
    fake.stop();
}

#[test]
fn no_credentials_is_a_usage_error_exit_2() {
    let run = acquire(&["doctor"], &[]);
    let line = run.failed(2);
    assert!(line.contains("ACQUIRE_API_KEY"), "{line}");
    let flag = acquire(&["doctor", "--save"], &[("ACQUIRE_API_KEY", KEY)]);
    assert_eq!(flag.code, Some(2), "{flag:?}");
}

#[test]
fn the_calls_are_the_four_documented_ones_each_once() {
    let fake = Fake::start();
    fake.acquire(&["doctor"]).ok();
    for operation in CALLS {
        assert_eq!(fake.server.request_count(operation), 1, "{operation}");
    }
    fake.stop();
}

/// Runs the doctor against the drifting fake: exit 3, findings reported.
fn drifting(args: &[&str]) -> (common::Run, Fake) {
    let fake = Fake::start_with(MockConfig::default().with_drift(true));
    let run = fake.acquire(args);
    assert_eq!(run.code, Some(3), "{run:?}");
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(KEY), "the key is shown: {text}");
        assert!(
            !text.contains(DRIFT_PROBE_VALUE),
            "a value is shown: {text}"
        );
    }
    (run, fake)
}

#[test]
fn a_drifting_account_exits_3_with_the_findings() {
    let (table, fake) = drifting(&["doctor"]);
    let mut lines = table.stdout.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(header, ["OPERATION", "POINTER", "KIND", "VALUE", "RULE"]);
    // Each call's envelope, and the records inside it, have the probe.
    let row = |operation: &str, pointer: &str| {
        let cells = [operation, pointer, "undeclared_member"];
        table
            .stdout
            .lines()
            .any(|l| l.split_whitespace().take(3).eq(cells.iter().copied()))
    };
    for operation in CALLS {
        let root = format!("/{DRIFT_MEMBER}");
        assert!(row(operation, &root), "{operation}: {}", table.stdout);
        let inner = table.stdout.lines().any(|l| {
            l.starts_with(operation)
                && l.contains("/data/")
                && l.contains(&format!("/{DRIFT_MEMBER} "))
        });
        assert!(inner, "{operation}: {}", table.stdout);
    }
    assert!(
        table.stdout.lines().any(|l| l.starts_with("get_case")
            && l.contains("/data/status")
            && l.contains("unknown_enum_value")
            && l.contains(DRIFT_ENUM_VALUE)),
        "{}",
        table.stdout
    );
    assert!(
        !table.stdout.contains("schema_violation"),
        "a drifted body still validates: {}",
        table.stdout
    );
    assert_eq!(table.stderr.lines().count(), 1, "{table:?}");
    assert!(table.stderr.starts_with("doctor: "), "{}", table.stderr);

    let json = fake.acquire(&["doctor", "--output", "json"]);
    assert_eq!(json.code, Some(3), "{json:?}");
    let findings: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let operations: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter_map(|f| f["operation"].as_str())
        .collect();
    assert_eq!(operations, CALLS.into_iter().collect());
    for finding in &findings {
        match finding["kind"].as_str() {
            Some("undeclared_member") => assert!(finding.get("value").is_none(), "{finding}"),
            Some("unknown_enum_value") => assert_eq!(finding["value"], DRIFT_ENUM_VALUE),
            _ => panic!("{finding}"),
        }
    }
    fake.stop();
}

#[test]
fn save_keeps_each_drifting_body_as_received() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("saved");
    let shown = path.to_string_lossy().into_owned();
    let (run, fake) = drifting(&["doctor", "--save", &shown]);
    for operation in CALLS {
        let file = path.join(format!("{operation}.1.json"));
        assert!(
            run.stderr.contains(&format!("saved {}", file.display())),
            "{run:?}"
        );
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let body: serde_json::Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(body[DRIFT_MEMBER], DRIFT_PROBE_VALUE, "{operation}: {body}");
        assert!(!body["data"].is_null(), "{operation}: {body}");
    }
    // A second run keeps the first files and writes the next numbers.
    let again = fake.acquire(&["doctor", "--save", &shown]);
    assert_eq!(again.code, Some(3), "{again:?}");
    for operation in CALLS {
        assert!(
            path.join(format!("{operation}.2.json")).is_file(),
            "{operation}"
        );
    }
    fake.stop();
}
