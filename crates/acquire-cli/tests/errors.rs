//! Every error path of the built binary: its exit code and its one line on
//! stderr. The API key never appears in any output.

mod common;

use common::{acquire, Fake, KEY};

#[test]
fn no_credentials_is_a_usage_error_naming_the_variable() {
    let commands: [&[&str]; 6] = [
        &["cases", "get", "1684"],
        &["cases", "list", "--where", "status|eq|active"],
        &["messages", "get", "7791"],
        &["notes", "list", "--contact-id", "597752"],
        &["snooze", "delete", "77"],
        &["demo", "--live"],
    ];
    for args in commands {
        let run = acquire(args, &[]);
        assert_eq!(
            run.failed(2),
            "error: environment variable ACQUIRE_API_KEY is not set",
            "{args:?}"
        );
    }
    let run = acquire(&["cases", "get", "1684"], &[("ACQUIRE_API_KEY", KEY)]);
    assert_eq!(
        run.failed(2),
        "error: environment variable ACQUIRE_ACCOUNT_ID is not set"
    );
}

#[test]
fn a_bad_base_url_is_a_usage_error_naming_the_variable() {
    let run = acquire(
        &["cases", "get", "1684"],
        &[
            ("ACQUIRE_API_KEY", KEY),
            ("ACQUIRE_BASE_URL", "http://acquire.example.com/api/v1"),
        ],
    );
    let line = run.failed(2);
    assert!(line.contains("ACQUIRE_BASE_URL"), "{line}");
    assert!(!line.contains(KEY), "{line}");
}

#[test]
fn api_errors_exit_1_with_status_type_and_message() {
    let fake = Fake::start();
    let wrong_key = "wrong-key-0123456789";
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &["cases", "get", "1684"],
            wrong_key,
            "error: 401 ERROR_UNAUTHORIZED: ",
        ),
        (
            &["cases", "join", "1684"],
            wrong_key,
            "error: 401 ERROR_UNAUTHORIZED: ",
        ),
        (
            &["cases", "get", "999999"],
            KEY,
            "error: 400 ERROR_RECORD_NOT_FOUND: ",
        ),
        (
            &["cases", "reject", "999999"],
            KEY,
            "error: 400 ERROR_RECORD_NOT_FOUND: ",
        ),
        (
            &["cases", "create", "--contact-id=-5"],
            KEY,
            "error: 400 ERROR_RECORD_NOT_FOUND: ",
        ),
        // The seed thread 1683 is closed: the fake refuses to join it.
        (
            &["cases", "join", "1683"],
            KEY,
            "error: 400 ERROR_INVALID_INPUT: ",
        ),
        // A well-formed condition whose value the server refuses.
        (
            &["cases", "list", "--where", "id|gt|abc"],
            KEY,
            "error: 400 ERROR_INVALID_INPUT: where",
        ),
    ];
    for (args, key, start) in cases {
        for output in ["table", "json"] {
            let mut args = args.to_vec();
            args.extend(["--output", output]);
            let run = fake.acquire_with_key(&args, key);
            let line = run.failed(1);
            assert!(line.starts_with(start), "{args:?}: {line}");
            assert!(line.len() > start.len(), "{args:?}: no message: {line}");
            assert!(!line.contains(KEY) && !line.contains(wrong_key), "{line}");
        }
    }
    fake.stop();
}

#[test]
fn a_server_that_is_down_is_a_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://127.0.0.1:{port}/api/v1");
    for args in [
        &["cases", "get", "1684"][..],
        &["cases", "list", "--all"][..],
        &["notes", "get", "310"][..],
    ] {
        let run = acquire(
            args,
            &[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", &base)],
        );
        let line = run.failed(1);
        assert!(
            line.starts_with("error: network error: "),
            "{args:?}: {line}"
        );
        assert!(!line.contains(KEY), "{line}");
    }
}

#[test]
fn usage_errors_exit_2_and_say_why() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["cases", "list", "--where", "status"],
            "expected COLUMN|OP|VALUE",
        ),
        (
            &["cases", "list", "--where", "colour|eq|red"],
            "unknown column \"colour\"",
        ),
        (
            &["cases", "list", "--where", "status|is|active"],
            "unknown operator \"is\"",
        ),
        (&["cases", "list", "--where", "status|eq|"], "has no value"),
        (
            &["cases", "list", "--where", "title|eq|a|b"],
            "contains '|'",
        ),
        (
            &["cases", "list", "--select", "id,priority"],
            "unknown column \"priority\"",
        ),
        (
            &["cases", "get", "1684", "--relations", "owner"],
            "unknown relation \"owner\"",
        ),
        (&["cases", "list", "--page=-1"], "invalid value '-1'"),
        (
            &["notes", "list", "--contact-id", "597752", "--page=x"],
            "invalid value 'x'",
        ),
        (&["cases", "list", "--limit", "0"], "--limit"),
        (
            &["cases", "list", "--all", "--page", "2"],
            "cannot be used with",
        ),
        (&["cases", "join", "not-a-number"], "invalid value"),
        (&["cases", "invite", "1684"], "--agent"),
        (&["cases", "create"], "--contact-id"),
        (
            &["snooze", "create", "--at", "2021-03-25 09:00"],
            "--case-id",
        ),
        (
            &["snooze", "create", "--case-id", "1", "--at", "tomorrow"],
            "YYYY-MM-DD",
        ),
        (&["cases", "frobnicate"], "unrecognized subcommand"),
        (&["cases"], "Usage"),
        (
            &["--output", "xml", "cases", "get", "1"],
            "invalid value 'xml'",
        ),
    ];
    for (args, reason) in cases {
        // Credentials are set: usage is checked before anything is sent.
        let run = acquire(
            args,
            &[
                ("ACQUIRE_API_KEY", KEY),
                ("ACQUIRE_BASE_URL", "http://127.0.0.1:9/api/v1"),
            ],
        );
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains(reason), "{args:?}: {}", run.stderr);
        if *reason != "Usage" {
            // (a group without its subcommand prints its help instead)
            assert!(run.stderr.starts_with("error:"), "{args:?}: {}", run.stderr);
        }
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(!run.stderr.contains(KEY), "{}", run.stderr);
    }
}

/// Runs `args` with credentials set (usage is checked before anything is
/// sent) and asserts a usage error whose message contains `reason`.
#[track_caller]
fn assert_usage_error(args: &[&str], reason: &str) {
    let run = acquire(
        args,
        &[
            ("ACQUIRE_API_KEY", KEY),
            ("ACQUIRE_BASE_URL", "http://127.0.0.1:9/api/v1"),
        ],
    );
    assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
    assert!(run.stderr.starts_with("error:"), "{args:?}: {}", run.stderr);
    assert!(run.stderr.contains(reason), "{args:?}: {}", run.stderr);
    assert_eq!(run.stdout, "", "{args:?}");
}

/// Each input the reference requires is a required flag or argument:
/// leaving any one out (its flag and value) is a usage error naming it.
#[test]
fn every_required_input_is_required() {
    let email: &[&str] = &[
        common::EMAIL_FROM_SUPPORT,
        &["--to", "customer@example.com"],
    ]
    .concat();
    let sms: &[&str] = &[&["messages", "sms", "Hi"], common::SMS_ROUTE].concat();
    let add_message = common::NOTE_REPLY;
    let required: &[(&[&str], &[&str])] = &[
        (email, &["--contact-id", "--from", "--to"]),
        (
            sms,
            &[
                "--from",
                "--to",
                "--contact-id",
                "--thread-id",
                "--timeline-id",
            ],
        ),
        (add_message, &["--contact-id"]),
    ];
    for (full, flags) in required {
        for flag in *flags {
            let at = full.iter().position(|a| a == flag);
            let Some(at) = at else {
                panic!("{flag} is not in {full:?}")
            };
            let mut args = full.to_vec();
            args.drain(at..at + 2);
            assert_usage_error(&args, flag);
        }
    }
    // The positional inputs: the email's case, the SMS's text.
    assert_usage_error(&[&["messages", "email"], &email[3..]].concat(), "<CASE_ID>");
    assert_usage_error(&[&["messages", "sms"], &sms[3..]].concat(), "<TEXT>");
}

#[test]
fn help_says_what_the_live_demo_creates() {
    let run = acquire(&["demo", "--help"], &[]);
    let help = run.ok();
    for fragment in [
        "--live",
        "creates two cases",
        "one chat message",
        "nothing is left open",
    ] {
        assert!(help.contains(fragment), "{fragment}: {help}");
    }
    let run = acquire(&["--help"], &[]);
    for fragment in [
        "ACQUIRE_API_KEY",
        "ACQUIRE_ACCOUNT_ID",
        "ACQUIRE_BASE_URL",
        "Exit codes",
    ] {
        assert!(run.ok().contains(fragment), "{fragment}");
    }
}
