//! Listing: the typed conditions, columns, relations and paging of one
//! page, page 0 sent when asked for, and `--all` walking every page (and
//! printing each as it arrives).

use std::{
    io::{BufRead, BufReader},
    sync::mpsc,
    time::Duration,
};

use serde_json::{json, Value};
use wiremock::ResponseTemplate;

use crate::{
    assert_snapshot, assert_within,
    common::{assert_csv_has_json_records, read_csv, Wire},
    documented_once, exact, example, run, with_output,
};

#[test]
fn list_sends_typed_conditions_columns_relations_and_paging() {
    let wire = Wire::start();
    // The example is the first page (page 0); this answers page 2.
    let mut answer = example("list_cases", "active");
    answer["data"]["page"] = json!(2);
    answer["data"]["offset"] = json!(4);
    wire.mount(
        exact(
            "list_cases",
            &[],
            &[
                ("where", "status|eq|active"),
                ("where", "contactId|eq|597752"),
                ("select", "id|status|title"),
                ("relations", "contact|users"),
                ("page", "2"),
                ("limit", "2"),
            ],
            None,
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(2),
    );
    let args = [
        "cases",
        "list",
        "--where",
        "status|eq|active",
        "--where",
        "contactId|eq|597752",
        "--select",
        "id,status",
        "--select",
        "title",
        "--relations",
        "contact,users",
        "--page",
        "2",
        "--limit",
        "2",
    ];
    let printed = run(&wire, &with_output(&args, "json")).json();
    assert_within(&printed, &answer["data"], "list-cases");
    assert_eq!(printed["page"], 2);
    assert_eq!(printed["count"], 37);
    assert_eq!(printed["data"].as_array().map(Vec::len), Some(2));

    let mut table_args = vec!["--output", "table"];
    table_args.extend(args);
    assert_snapshot("list_table", run(&wire, &table_args).ok());
    wire.verify();
}

#[test]
fn page_0_is_the_first_page_and_is_sent_when_asked_for() {
    let wire = Wire::start();
    wire.mount(documented_once(
        "list_cases",
        &[("page", "0"), ("limit", "2")],
        None,
        "active",
    ));
    wire.mount(documented_once(
        "list_notes",
        &[("contact_id", "597752"), ("page", "0")],
        None,
        "notes",
    ));
    let cases = run(
        &wire,
        &[
            "cases", "list", "--page", "0", "--limit", "2", "--output", "table",
        ],
    );
    assert!(
        cases.ok().ends_with("page 0, 2 of 37 cases\n"),
        "{}",
        cases.stdout
    );
    let notes = run(
        &wire,
        &[
            "notes",
            "list",
            "--contact-id",
            "597752",
            "--page",
            "0",
            "--output",
            "json",
        ],
    );
    assert_within(
        &notes.json(),
        &example("list_notes", "notes")["data"],
        "list-notes",
    );
    wire.verify();
}

/// Page `page` (from 0) of `ids`, `count` in all, 2 a page.
fn page_of(page: u64, ids: &[i64], count: u64) -> Value {
    let cases: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "status": "closed", "channel": "chat", "contactId": 597752, "threadId": id, "title": format!("case {id}")}))
        .collect();
    json!({"data": {"page": page, "offset": page * 2, "limit": 2, "count": count, "data": cases}})
}

#[test]
fn list_all_streams_every_page() {
    let wire = Wire::start();
    // The first request names no page (the server answers its first,
    // page 0); the next asks for the page after the one the server named.
    for (page, ids) in [(None, &[11, 12][..]), (Some("1"), &[13][..])] {
        let mut query = vec![("limit", "2"), ("where", "status|eq|closed")];
        query.extend(page.map(|page| ("page", page)));
        let number = page.map_or(0, |p| p.parse().unwrap_or(0));
        wire.mount(
            exact("list_cases", &[], &query, None)
                .respond_with(ResponseTemplate::new(200).set_body_json(page_of(number, ids, 3)))
                .expect(3),
        );
    }
    let args = [
        "cases",
        "list",
        "--all",
        "--limit",
        "2",
        "--where",
        "status|eq|closed",
    ];
    let json = run(&wire, &with_output(&args, "json"));
    let cases = json.json_lines();
    let ids: Vec<Value> = cases.iter().map(|case| case["id"].clone()).collect();
    assert_eq!(ids, [json!(11), json!(12), json!(13)]);

    let table = run(&wire, &with_output(&args, "table"));
    assert_snapshot("list_all_table", table.ok());

    let csv = run(&wire, &with_output(&args, "csv"));
    let (header, _) = read_csv(csv.ok());
    assert_eq!(assert_csv_has_json_records(csv.ok(), &cases), header);
    // Into a pipe: no progress, whatever the format.
    for walk in [&json, &table, &csv] {
        assert_eq!(walk.stderr, "");
    }
    wire.verify();
}

#[test]
fn list_all_prints_each_page_as_it_arrives() {
    let wire = Wire::start();
    wire.mount(
        exact("list_cases", &[], &[("limit", "2")], None)
            .respond_with(ResponseTemplate::new(200).set_body_json(page_of(0, &[11, 12], 3)))
            .expect(1),
    );
    // The second page takes its time: the first one's rows are out before.
    wire.mount(
        exact("list_cases", &[], &[("limit", "2"), ("page", "1")], None)
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page_of(1, &[13], 3))
                    .set_delay(Duration::from_secs(4)),
            )
            .expect(1),
    );
    let mut child = wire.spawn(&["cases", "list", "--all", "--limit", "2", "--output", "csv"]);
    // Lines without their CRLF ends.
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut first = Vec::new();
    for _ in 0..3 {
        match received.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => first.push(line),
            Err(e) => panic!("{e} after {first:?}"),
        }
    }
    assert_eq!(
        first,
        [
            "id,status,channel,contactId,threadId,parentId,title",
            "11,closed,chat,597752,11,,case 11",
            "12,closed,chat,597752,12,,case 12"
        ]
    );
    assert!(
        matches!(child.try_wait(), Ok(None)),
        "the first page was printed while the second was on its way"
    );
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "{output:?}");
    let rest: Vec<String> = received.iter().collect();
    assert_eq!(rest, ["13,closed,chat,597752,13,,case 13"]);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "no progress");
    wire.verify();
}
