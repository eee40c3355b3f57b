//! The `acquire-mock` binary: first stdout line is the base URL; it serves
//! with the exact key; SIGTERM stops it cleanly.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use common::{create, op};

/// Starts the binary with `args`; returns it and its base URL (its first
/// line on stdout).
fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acquire-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    (child, line.trim().to_owned())
}

#[tokio::test]
async fn prints_its_base_url_then_serves_until_terminated() {
    let (mut child, base) = spawn(&["--addr", "127.0.0.1:0", "--api-key", "bin-key", "--faults"]);
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(base.ends_with("/api/v1"), "{base}");
    assert!(!base.ends_with(":0/api/v1"), "a real port: {base}");

    let create = create();
    let ok = create
        .request_to(&base)
        .bearer_auth("bin-key")
        .send()
        .await
        .expect("ok");
    assert_eq!(ok.status(), 200);
    let wrong = create
        .request_to(&base)
        .bearer_auth("bin-key2")
        .send()
        .await
        .expect("401");
    assert_eq!(wrong.status(), 401);
    let fault = create
        .request_to(&base)
        .bearer_auth("bin-key")
        .header("x-mock-fault", "status=503;retry-after=1")
        .send()
        .await
        .expect("503");
    assert_eq!(fault.status(), 503);
    assert_eq!(fault.headers()["retry-after"], "1");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let output = Command::new(env!("CARGO_BIN_EXE_acquire-mock"))
        .args(["--addr", "not-an-address", "--api-key", "k"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let missing_key = Command::new(env!("CARGO_BIN_EXE_acquire-mock"))
        .output()
        .expect("run");
    assert_eq!(missing_key.status.code(), Some(2));
}

#[tokio::test]
async fn generates_cases_on_request() {
    let (mut child, base) = spawn(&[
        "--api-key",
        "bin-key",
        "--no-seed",
        "--generate-cases",
        "1000",
    ]);
    let mut seen = 0;
    // Pages count from 0.
    for page in 0.. {
        let reply: serde_json::Value = op("list_cases")
            .query(&format!("page={page}&limit=300"))
            .request_to(&base)
            .bearer_auth("bin-key")
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        assert_eq!(reply["data"]["count"], 1000);
        let n = reply["data"]["data"].as_array().map_or(0, Vec::len);
        if n == 0 {
            break;
        }
        seen += n;
    }
    assert_eq!(seen, 1000);
    let _ = child.kill();
    let _ = child.wait();
}
