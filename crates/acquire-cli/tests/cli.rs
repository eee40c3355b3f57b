//! The built `acquire` binary against the fake server: the lifecycle demo
//! and the lifecycle command by command (golden outputs), JSON output in
//! the API's shape, and `--output` before or after the subcommand.

mod common;

use common::{acquire, shell, Fake, KEY};
use serde_json::Value;

/// The demo's output without the fake's base URL (its port changes).
fn without_base_url(stdout: &str) -> String {
    let mut lines = stdout.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("fake Acquire server at http://127.0.0.1:"),
        "{stdout}"
    );
    lines.collect::<Vec<_>>().join("\n")
}

#[test]
fn the_demo_runs_the_lifecycle() {
    let run = acquire(&["demo", "--output", "table"], &[]);
    insta::assert_snapshot!("demo_table", without_base_url(run.ok()));
}

#[test]
fn the_demo_prints_one_json_line_per_step() {
    let steps = acquire(&["demo", "--output", "json"], &[]).json_lines();
    let keys: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(
        keys,
        [
            "create",
            "join",
            "send_message",
            "list",
            "close",
            "reopen",
            "reject",
            "get"
        ]
    );
    let result = |i: usize| &steps[i]["result"];
    let created = result(0)["id"].clone();
    assert_eq!(result(0)["status"], "pending");
    assert_eq!(result(1)["status"], "active");
    assert_eq!(result(2)["caseId"], created);
    let listed: Vec<&Value> = result(3)["data"]
        .as_array()
        .map(|cases| cases.iter().map(|c| &c["id"]).collect())
        .unwrap_or_default();
    assert!(listed.contains(&&created), "{listed:?}");
    assert_eq!(result(4)["0"]["caseId"], created);
    assert_eq!(result(5)["parentId"], created);
    let reopened = result(5)["id"].clone();
    assert_eq!(result(6)["id"], reopened);
    let agent_rejected = result(6)["users"].as_array().is_some_and(|users| {
        users
            .iter()
            .any(|u| u["type"] == "user" && u["status"] == "rejected")
    });
    assert!(agent_rejected, "{}", result(6));
    assert_eq!(result(7)["id"], created);
    assert_eq!(result(7)["status"], "closed");
}

#[test]
fn fake_keeps_the_demo_off_the_account_even_with_credentials() {
    let fake = Fake::start();
    let run = fake.acquire(&["demo", "--fake", "--output", "table"]);
    without_base_url(run.ok());
    assert_eq!(fake.server.request_count("create_case"), 0);
    fake.stop();
}

#[test]
fn the_demo_goes_live_when_credentials_are_set() {
    let fake = Fake::start();
    let run = fake.acquire(&["demo", "--output", "table"]);
    let stdout = run.ok();
    assert!(stdout.starts_with("live Acquire account at "), "{stdout}");
    assert_eq!(
        fake.server.request_count("create_case"),
        2,
        "create, reopen"
    );
    fake.stop();
}

#[test]
fn the_live_demo_uses_the_environment_and_closes_what_it_opened() {
    let fake = Fake::start();
    let run = fake.acquire(&["demo", "--live", "--output", "table"]);
    let stdout = run.ok();
    let base = fake.server.base_url().to_owned();
    assert!(
        stdout.starts_with(&format!("live Acquire account at {base}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains("== clean up: close the reopened case"),
        "{stdout}"
    );
    assert_eq!(
        fake.server.request_count("create_case"),
        2,
        "create, reopen"
    );
    assert_eq!(
        fake.server.request_count("close_case"),
        2,
        "close, clean up"
    );
    assert!(!stdout.contains(KEY));
    fake.stop();
}

/// Runs `args` (table), recording the command and its output.
#[track_caller]
fn step(fake: &Fake, transcript: &mut String, args: &[&str]) {
    let mut full = vec!["--output", "table"];
    full.extend(args);
    let run = fake.acquire(&full);
    transcript.push_str(&format!("$ acquire {}\n{}\n", shell(args), run.ok()));
}

/// The first cell of the last table row printed: the id of what the last
/// command returned.
#[track_caller]
fn first_cell(transcript: &str) -> String {
    transcript
        .lines()
        .rev()
        .find_map(|line| line.split_whitespace().next()?.parse::<i64>().ok())
        .map(|id| id.to_string())
        .unwrap_or_else(|| panic!("no id in {transcript}"))
}

#[test]
#[rustfmt::skip]
fn the_lifecycle_command_by_command() {
    let fake = Fake::start();
    let created = fake
        .acquire(&["cases", "create", "--contact-id", "597752", "--title", "Order late", "--message", "Hello", "--output", "json"])
        .json();
    let case = created["id"].to_string();
    let thread = created["threadId"].to_string();
    let mut t = String::new();
    step(&fake, &mut t, &["cases", "get", &case]);
    step(&fake, &mut t, &["cases", "join", &case]);
    step(&fake, &mut t, &["messages", "send", &case, "On it"]);
    let message = first_cell(&t);
    step(&fake, &mut t, &["messages", "update", &message, "On it now"]);
    step(&fake, &mut t, &["messages", "get", &message]);
    step(&fake, &mut t, &["cases", "list", "--where", "contactId|eq|597752", "--where", "status|eq|active"]);
    step(&fake, &mut t, &["cases", "list", "--where", "parentId|eq|1683", "--select", "id,status,parentId", "--all"]);
    step(&fake, &mut t, &["cases", "invite", &case, "--agent", "1"]);
    step(&fake, &mut t, &["messages", "list", "--thread-id", &thread, "--contact-id", "597752"]);
    step(&fake, &mut t, &["cases", "close", &case]);
    step(&fake, &mut t, &["cases", "reopen", "--contact-id", "597752", "--thread-id", &thread]);
    let reopened = first_cell(&t);
    step(&fake, &mut t, &["cases", "reject", &reopened]);
    step(&fake, &mut t, &["cases", "get", &case, "--relations", "users"]);
    step(&fake, &mut t, &["messages", "delete", &message]);

    step(&fake, &mut t, &["notes", "create", "--contact-id", "597752", "--title", "Refund", "--message", "Asked for a refund"]);
    let note = first_cell(&t);
    step(&fake, &mut t, &["notes", "add-message", &note, "Refund issued", "--contact-id", "597752", "--mention", "1"]);
    step(&fake, &mut t, &["notes", "messages", &note]);
    step(&fake, &mut t, &["notes", "get", &note]);
    step(&fake, &mut t, &["notes", "list", "--contact-id", "597752", "--limit", "1", "--all"]);
    step(&fake, &mut t, &["notes", "delete", &note]);

    step(&fake, &mut t, &["snooze", "create", "--case-id", &case, "--contact-id", "597752", "--at", "2030-01-02 09:30", "--message", "Follow up", "--remind", "25"]);
    let snooze = first_cell(&t);
    step(&fake, &mut t, &["snooze", "delete", &snooze]);
    insta::assert_snapshot!("lifecycle", t);
    fake.stop();
}

#[test]
fn json_output_is_the_api_shape() {
    let fake = Fake::start();
    let case = fake
        .acquire(&["cases", "get", "1684", "--output", "json"])
        .json();
    assert_eq!(case["id"], 1684);
    assert_eq!(case["contactId"], 597752, "camelCase, as the API: {case}");
    assert!(case.get("contact_id").is_none());
    let picked = fake
        .acquire(&[
            "cases", "get", "1684", "--select", "status", "--output", "json",
        ])
        .json();
    assert!(picked.get("title").is_none(), "{picked}");
    assert_eq!(picked["status"], case["status"]);
    fake.stop();
}

#[test]
fn the_output_flag_is_accepted_before_and_after_the_subcommand() {
    let fake = Fake::start();
    let commands: [&[&str]; 3] = [
        &["cases", "get", "1684"],
        &["cases", "list", "--limit", "2"],
        &["cases", "get", "1681", "--relations", "users"],
    ];
    for args in commands {
        let mut by_format = Vec::new();
        for format in ["json", "table"] {
            let mut before = vec!["--output", format];
            before.extend(args);
            let mut after = args.to_vec();
            after.extend(["--output", format]);
            let (before, after) = (fake.acquire(&before), fake.acquire(&after));
            assert_eq!(before.ok(), after.ok(), "{args:?} {format}");
            by_format.push(before.stdout);
        }
        assert!(
            serde_json::from_str::<Value>(&by_format[0]).is_ok(),
            "{args:?}: {}",
            by_format[0]
        );
        assert!(
            by_format[1].starts_with("ID  "),
            "{args:?}: {}",
            by_format[1]
        );
    }
    fake.stop();
}
