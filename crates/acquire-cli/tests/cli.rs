//! The built `acquire` binary, end to end: the lifecycle demo against the
//! embedded fake (golden output), and every error path with its exit code.

use std::process::{Command, Output};

use acquire_mock::{MockConfig, MockServer};

const KEY: &str = "cli-test-key-5d1c";

fn acquire(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acquire"));
    command
        .args(args)
        .env_remove("ACQUIRE_ACCOUNT_ID")
        .env_remove("ACQUIRE_API_KEY")
        .env_remove("ACQUIRE_BASE_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    match command.output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run acquire: {e}"),
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn fake() -> acquire_mock::RunningServer {
    match MockServer::start(MockConfig::default().with_api_key(KEY)).await {
        Ok(server) => server,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_demo_runs_the_lifecycle() {
    let output = acquire(&["demo", "--output", "table"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The port changes on each run.
    let stable: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("fake Acquire server at http://127.0.0.1:"))
        .collect();
    assert_eq!(
        stable.len() + 1,
        stdout.lines().count(),
        "the base URL line is missing"
    );
    insta::assert_snapshot!("demo_table", stable.join("\n"));
}

#[test]
fn the_output_flag_is_accepted_before_and_after_the_subcommand() {
    for args in [["--output", "json", "demo"], ["demo", "--output", "json"]] {
        let output = acquire(&args, &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let cases: Vec<serde_json::Value> = stdout
            .lines()
            .filter(|l| l.starts_with('{'))
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        assert_eq!(cases.len(), 4, "{stdout}");
        assert_eq!(cases[1]["status"], "active");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_goes_live_when_credentials_are_set() {
    let server = fake().await;
    let base = server.base_url().to_owned();
    let output = tokio::task::block_in_place(|| {
        acquire(
            &["demo", "--output", "table"],
            &[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", &base)],
        )
    });
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!("live Acquire account at {base}")),
        "{stdout}"
    );
    assert_eq!(
        server.request_count("create_case"),
        2,
        "create and reopen went to this server"
    );
    server.shutdown().await;
}

#[test]
fn demo_live_without_credentials_names_the_variable() {
    let output = acquire(&["demo", "--live"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("ACQUIRE_API_KEY"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_credentials_is_a_usage_error_naming_the_variable() {
    let output = acquire(&["cases", "join", "1684"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "error: environment variable ACQUIRE_API_KEY is not set"
    );
}

#[test]
fn a_bad_argument_is_a_usage_error() {
    let output = acquire(&["cases", "join", "not-a-number"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid value"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_server_that_is_down_is_a_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let output = acquire(
        &["cases", "reject", "1681"],
        &[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", &base)],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with("error: network error:"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_exit_1_with_status_type_and_message() {
    let server = fake().await;
    let base = server.base_url().to_owned();
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["cases", "join", "1684"],
            "wrong-key",
            "401 ERROR_UNAUTHORIZED",
        ),
        (&["cases", "join", "999999"], KEY, "ERROR_RECORD_NOT_FOUND"),
        (&["cases", "create", "--contact-id=-5"], KEY, "400"),
    ];
    for (args, key, expected) in cases {
        let output = tokio::task::block_in_place(|| {
            acquire(
                args,
                &[("ACQUIRE_API_KEY", key), ("ACQUIRE_BASE_URL", &base)],
            )
        });
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.starts_with("error: Acquire answered") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert!(!err.contains(KEY), "{err}");
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cases_commands_print_the_api_json() {
    let server = fake().await;
    let base = server.base_url().to_owned();
    let output = tokio::task::block_in_place(|| {
        acquire(
            &[
                "cases",
                "create",
                "--contact-id",
                "597752",
                "--title",
                "From the CLI",
                "--output",
                "json",
            ],
            &[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", &base)],
        )
    });
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let case: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case["title"], "From the CLI");
    assert_eq!(case["status"], "pending");
    server.shutdown().await;
}
