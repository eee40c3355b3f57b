//! The `acquire-mock` binary: first stdout line is the base URL; it serves
//! with the exact key; SIGTERM stops it cleanly.

mod common;

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
};

use common::{create, op};

/// Starts the binary with `args`; returns it and its base URL (its first
/// line on stdout).
fn spawn(args: &[&str]) -> (Child, String) {
    spawn_command(Command::new(env!("CARGO_BIN_EXE_acquire-mock")).args(args))
}

/// Starts `command`; returns it and its base URL (its first line on stdout).
fn spawn_command(command: &mut Command) -> (Child, String) {
    let mut child = command
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

/// The binary copied where no checkout is in reach, as `cargo install` or a
/// package would put it, run from another directory with an empty
/// environment.
fn installed(dir: &Path, cwd: &Path, args: &[&str]) -> Command {
    let binary = dir.join("acquire-mock");
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_acquire-mock"), &binary).expect("copy the binary");
    }
    let mut command = Command::new(binary);
    command.args(args).current_dir(cwd).env_clear();
    command
}

#[tokio::test]
async fn runs_from_anywhere_with_the_spec_and_seed_compiled_in() {
    let bin = tempfile::tempdir().expect("temp dir");
    let cwd = tempfile::tempdir().expect("temp dir");
    let (mut child, base) =
        spawn_command(&mut installed(bin.path(), cwd.path(), &["--api-key", "k"]));
    assert!(base.ends_with("/api/v1"), "{base}");
    // Case 1684 and note 310 come from the documented examples.
    for (operation, at, id) in [("get_case", 1684, 1684), ("get_note", 310, 310)] {
        let reply: serde_json::Value = op(operation)
            .at(at)
            .request_to(&base)
            .bearer_auth("k")
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(reply["data"]["id"], id, "{operation}: {reply}");
    }
    let _ = child.kill();
    let _ = child.wait();

    // `--spec` still reads another document: here the embedded one, written out.
    let spec = cwd.path().join("spec.json");
    std::fs::write(&spec, acquire_spec::EMBEDDED_JSON).expect("write spec");
    let (mut child, base) = spawn_command(&mut installed(
        bin.path(),
        cwd.path(),
        &["--api-key", "k", "--spec", "spec.json"],
    ));
    let status = create()
        .request_to(&base)
        .bearer_auth("k")
        .send()
        .await
        .expect("send")
        .status();
    assert_eq!(status, 200);
    let _ = child.kill();
    let _ = child.wait();

    let missing = installed(
        bin.path(),
        cwd.path(),
        &["--api-key", "k", "--spec", "nowhere.yaml"],
    )
    .output()
    .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("nowhere.yaml"), "{stderr}");
}

#[tokio::test]
async fn drift_and_the_endless_fault_are_flags_away() {
    let (mut child, base) = spawn(&["--api-key", "bin-key", "--drift", "--faults"]);
    let get = op("get_case").at(1684);
    let case: serde_json::Value = get
        .request_to(&base)
        .bearer_auth("bin-key")
        .send()
        .await
        .expect("ok")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        case["data"][acquire_mock::DRIFT_MEMBER],
        acquire_mock::DRIFT_PROBE_VALUE,
        "{case}"
    );
    let mut endless = get
        .request_to(&base)
        .bearer_auth("bin-key")
        .header(acquire_mock::FAULT_HEADER, "endless")
        .send()
        .await
        .expect("an answer");
    assert_eq!(endless.status(), 200);
    let first = endless.chunk().await.expect("reads").expect("a chunk");
    assert!(first.starts_with(acquire_mock::ENDLESS_BODY_START.as_bytes()));
    drop(endless);
    child.kill().expect("kill");
    child.wait().expect("wait");
}
