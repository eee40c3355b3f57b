//! Each command against wiremock: the exact request it sends (method,
//! path, every query parameter, the whole JSON body), the JSON it prints
//! (the API's `data`, as the crate decodes it), its table (golden) and its
//! CSV (the JSON's records). Response bodies are the spec's examples.
//!
//! One row per command ([`rows`]); beside them, [`paging`] holds listing
//! a page and every page, [`requests`] the user type and the optional
//! members a request leaves out, [`errors`] how an error answer is printed.

#[path = "../common/mod.rs"]
mod common;

mod errors;
mod paging;
mod requests;
mod rows;

use acquire::chrono::DateTime;
use acquire_tests::wire::ExactRequest;
use common::{assert_csv_has_json_records, shell, Wire};
use serde_json::Value;
use wiremock::{Mock, ResponseTemplate};

/// The 200 answer of `operation` named `name`, from the operation table.
fn example(operation: &str, name: &str) -> Value {
    acquire_tests::response_example(operation, "200", name)
}

/// Asserts that everything in `printed` is in `api` with the same value
/// (the API may hold more: nulls the typed decoding drops). Timestamps
/// compare as instants.
#[track_caller]
fn assert_within(printed: &Value, api: &Value, at: &str) {
    match (printed, api) {
        (Value::Object(p), Value::Object(a)) => {
            for (key, value) in p {
                match a.get(key) {
                    Some(expected) => assert_within(value, expected, &format!("{at}/{key}")),
                    None => panic!("{at}/{key} = {value} is not in the API's answer"),
                }
            }
        }
        (Value::Array(p), Value::Array(a)) => {
            assert_eq!(p.len(), a.len(), "{at}: lengths differ");
            for (i, (p, a)) in p.iter().zip(a).enumerate() {
                assert_within(p, a, &format!("{at}/{i}"));
            }
        }
        (Value::String(p), Value::String(a)) if p != a => {
            let instant = |s: &str| DateTime::parse_from_rfc3339(s).ok();
            assert!(
                instant(p).is_some() && instant(p) == instant(a),
                "{at}: {p:?} != {a:?}"
            );
        }
        _ => assert_eq!(printed, api, "{at}"),
    }
}

/// A mock of one exact request of `operation` (its method and path template
/// from the operation table, filled with `path_params`): the bearer key,
/// the whole query and, when given, the whole JSON body (without one, no
/// body at all); no `x-user-type` header (the spec declares that parameter
/// in the query only). The client sends query parameters by name, so the
/// expected ones are sorted by name (repeated names keep their order).
fn exact(
    operation: &str,
    path_params: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<&Value>,
) -> wiremock::MockBuilder {
    let mut query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    query.sort_by(|a, b| a.0.cmp(&b.0));
    Mock::given(ExactRequest {
        query,
        body: body.cloned(),
        ..ExactRequest::for_operation(operation, path_params, common::BASE_PATH, common::KEY)
    })
}

/// Runs `args` against `wire`; on a failure, shows the requests the server
/// received (the harness answers a request no mock matches with
/// `acquire_tests::wire::UNMATCHED`).
#[track_caller]
fn run(wire: &Wire, args: &[&str]) -> common::Run {
    let run = wire.acquire(args);
    if run.code != Some(0) {
        panic!(
            "acquire {args:?} failed: {}\nreceived:\n{}",
            run.stderr,
            wire.received()
        );
    }
    run
}

/// `args` followed by `--output format`.
fn with_output<'a>(args: &[&'a str], format: &'a str) -> Vec<&'a str> {
    [args, &["--output", format]].concat()
}

/// A mock of the exact request of `operation` (no path parameters; see
/// [`exact`]), expected once and answered with its 200 example `name`.
fn documented_once(
    operation: &str,
    query: &[(&str, &str)],
    body: Option<&Value>,
    name: &str,
) -> Mock {
    exact(operation, &[], query, body)
        .respond_with(ResponseTemplate::new(200).set_body_json(example(operation, name)))
        .expect(1)
}

/// Asserts `text` against `tests/snapshots/wire__{name}.snap`, from any
/// module of this test: insta would otherwise look for it beside the
/// module's file and under its module path.
fn assert_snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(name, text);
    });
}

/// One command: its arguments, the request it must send, the example the
/// server answers with, and where the printed JSON sits in that example.
struct Row {
    args: Vec<&'static str>,
    /// The operation the command calls (its method, path and examples from
    /// the operation table), the values of its path parameters, its query
    /// and its body.
    operation: &'static str,
    path_params: &'static [(&'static str, &'static str)],
    query: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    /// The operation's 200 example the server answers with, by its name.
    example: &'static str,
    /// Where the printed JSON sits in that example (a JSON pointer).
    printed_at: &'static str,
}

/// The records in a command's JSON: the items of a page (`data`, `rows`),
/// of an array, or of an object keyed by position or id (a closure, the
/// invitations), or the one record.
fn records_of(printed: &Value) -> Vec<Value> {
    let Value::Object(object) = printed else {
        return printed.as_array().cloned().unwrap_or_default();
    };
    for key in ["data", "rows"] {
        if let Some(items) = object.get(key).and_then(Value::as_array) {
            return items.clone();
        }
    }
    let keyed: Vec<Value> = object
        .iter()
        .filter(|(key, _)| key.parse::<u64>().is_ok())
        .map(|(_, value)| value.clone())
        .collect();
    if keyed.is_empty() {
        vec![printed.clone()]
    } else {
        keyed
    }
}

#[test]
fn every_command_sends_its_request_and_prints_the_api_json_a_table_and_csv() {
    let wire = Wire::start();
    let mut tables = String::new();
    for row in rows::rows() {
        let answer = example(row.operation, row.example);
        let at = format!("{} {}", row.operation, row.example);
        wire.mount(
            exact(row.operation, row.path_params, row.query, row.body.as_ref())
                .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
                .expect(3)
                .named(row.args.join(" ")),
        );

        let printed = run(&wire, &with_output(&row.args, "json")).json();
        let api = answer
            .pointer(row.printed_at)
            .unwrap_or_else(|| panic!("{at}: no {}", row.printed_at));
        assert_within(&printed, api, &at);
        assert!(
            printed.as_object().is_none_or(|o| !o.is_empty()),
            "{at}: printed nothing"
        );

        let mut table_args = vec!["--output", "table"];
        table_args.extend(&row.args);
        let table = run(&wire, &table_args);
        tables.push_str(&format!("$ acquire {}\n{}\n", shell(&row.args), table.ok()));

        // CSV: a header, then the records of the JSON, field by field.
        let csv = run(&wire, &with_output(&row.args, "csv"));
        let compared = assert_csv_has_json_records(csv.ok(), &records_of(&printed));
        assert!(!compared.is_empty(), "{at}: {}", csv.stdout);
    }
    wire.verify();
    assert_snapshot("tables", &tables);
}
