//! `--output csv` against the fake server: the same records as the JSON
//! output, field by field, read back with a CSV reader, including values
//! with commas, quotes and line breaks; and walks into pipes never show
//! progress.

mod common;

use common::{assert_csv_has_json_records, read_csv, Fake};
use serde_json::Value;

/// Titles a spreadsheet must get back unchanged.
const AWKWARD: &[&str] = &[
    "Order late, again",
    "He said \"refund\"",
    "two\nlines, \"both\"",
    "trailing space ",
    "crlf\r\ninside",
];

/// Runs `args` in JSON and in CSV; returns the JSON records (one per line,
/// or the `key` array of the one document) and the CSV text. Neither run
/// prints anything on stderr (no progress into a pipe).
#[track_caller]
fn both(fake: &Fake, args: &[&str], key: Option<&str>) -> (Vec<Value>, String) {
    let mut json_args = args.to_vec();
    json_args.extend(["--output", "json"]);
    let json = fake.acquire(&json_args);
    let records = match key {
        Some(key) => json.json()[key].as_array().cloned().unwrap_or_default(),
        None => json.json_lines(),
    };
    let mut csv_args = args.to_vec();
    csv_args.extend(["--output", "csv"]);
    let csv = fake.acquire(&csv_args);
    let text = csv.ok().to_owned();
    for run in [&json, &csv] {
        assert_eq!(run.stderr, "", "{args:?}: nothing on stderr");
    }
    (records, text)
}

#[test]
fn csv_has_the_json_records_field_by_field() {
    let fake = Fake::start();
    let contact = "597760";
    let mut created = Vec::new();
    for title in AWKWARD {
        let case = fake
            .acquire(&[
                "cases",
                "create",
                "--contact-id",
                contact,
                "--title",
                title,
                "--output",
                "json",
            ])
            .json();
        assert_eq!(case["title"], *title);
        created.push(case["id"].clone());
    }

    // Every page of the contact's cases, 2 a page: one header, then rows.
    let filter = format!("contactId|eq|{contact}");
    let args = ["cases", "list", "--where", &filter, "--all", "--limit", "2"];
    let (records, text) = both(&fake, &args, None);
    assert!(records.len() > AWKWARD.len(), "{records:?}");
    let compared = assert_csv_has_json_records(&text, &records);
    let (header, rows) = read_csv(&text);
    assert_eq!(
        compared, header,
        "every case column is a member of the JSON"
    );
    assert_eq!(text.matches("id,status,").count(), 1, "one header: {text}");
    let title = header.iter().position(|h| h == "title");
    let titles: Vec<&str> = rows
        .iter()
        .filter_map(|row| row.get(title?).map(String::as_str))
        .collect();
    for awkward in AWKWARD {
        assert!(titles.contains(awkward), "{awkward:?} in {titles:?}");
    }

    // One page, and one case.
    let (records, text) = both(&fake, &["cases", "list", "--where", &filter], Some("data"));
    assert_csv_has_json_records(&text, &records);
    let id = created[2].to_string();
    let (records, text) = both(&fake, &["cases", "get", &id], None);
    assert_eq!(
        assert_csv_has_json_records(&text, &records),
        header,
        "a case has the same columns alone"
    );

    // Notes: the last message is a member of a member.
    let note = fake
        .acquire(&[
            "notes",
            "create",
            "--contact-id",
            "597752",
            "--title",
            AWKWARD[2],
            "--message",
            AWKWARD[1],
            "--output",
            "json",
        ])
        .json();
    assert!(note["id"].is_number(), "{note}");
    let args = [
        "notes",
        "list",
        "--contact-id",
        "597752",
        "--all",
        "--limit",
        "1",
    ];
    let (records, text) = both(&fake, &args, None);
    let compared = assert_csv_has_json_records(&text, &records);
    assert!(
        compared.iter().any(|c| c == "lastMessage.message"),
        "{compared:?}"
    );
    let (_, rows) = read_csv(&text);
    assert!(rows.iter().any(|row| row.contains(&AWKWARD[2].to_owned())));
    fake.stop();
}

#[test]
fn the_demo_refuses_csv() {
    let run = common::acquire(&["demo", "--output", "csv"], &[]);
    assert_eq!(
        run.failed(2),
        "error: acquire demo prints steps of different kinds: use --output table or json"
    );
}
