//! `acquire doctor` end to end, one test per exit code: 0 against the
//! plain fake, 3 against the drifting fake, 1 when a response does not
//! decode, 2 without credentials. Its output never shows the API key or a
//! member value.

mod common;

use acquire_mock::Fault;
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
