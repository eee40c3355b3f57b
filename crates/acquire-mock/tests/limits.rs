//! The server protects itself: connections that never finish their headers
//! or sit idle are closed, over-long headers and request targets are
//! refused, and open connections are capped (logged once).
//!
//! No test asserts how long anything took; the waits are bounded by
//! [`PATIENCE`] only so that a server that never closes a connection fails
//! the test instead of hanging it. The timings measured are printed (run
//! with `--nocapture` to see them).

mod common;

use std::{
    io::{BufRead, BufReader, Read},
    net::SocketAddr,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use acquire_mock::{Fault, MockConfig, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_URL_LENGTH};
use common::{body_of, http, op, raw, raw_status, start_with, Op, KEY};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    task::JoinSet,
};

/// How long a test waits for the server to close a connection or answer:
/// far above every timeout configured here.
const PATIENCE: Duration = Duration::from_secs(30);

/// Reading seeded case 1684: the request that shows the server serving.
fn get_1684() -> Op {
    op("get_case").at(1684)
}

/// A request line and headers without the blank line that ends them: the
/// server keeps waiting for the rest.
fn unfinished_head() -> String {
    format!(
        "GET {} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {KEY}\r\n",
        get_1684().target()
    )
}

/// A request that keeps its connection open (no `Connection: close`).
fn kept_alive(op: &Op) -> Vec<u8> {
    format!(
        "{} {} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {KEY}\r\ncontent-length: 0\r\n\r\n",
        op.method,
        op.target()
    )
    .into_bytes()
}

/// Reads until the server closes the connection; `None` when it was still
/// open after [`PATIENCE`].
async fn until_closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    common::until_closed(stream, PATIENCE).await
}

/// Reads one response (headers and `Content-Length` bytes of body) from a
/// kept-alive connection; returns its status.
async fn one_response(stream: &mut TcpStream) -> u16 {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    let read = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(end) = out.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&out[..end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .expect("a content-length");
                if out.len() >= end + 4 + length {
                    return;
                }
            }
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => panic!("closed before a whole response: {out:?}"),
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no whole response within {PATIENCE:?}");
    raw_status(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_headers_are_closed_while_others_are_answered() {
    let server =
        start_with(MockConfig::default().with_header_read_timeout(Duration::from_secs(1))).await;
    let head = unfinished_head();
    let started = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
        stream.write_all(head.as_bytes()).await.expect("write");
        stalled.push(stream);
    }
    let opened = started.elapsed();

    // Meanwhile, a normal request is answered.
    let request = get_1684().authorized(&server);
    let asked = Instant::now();
    let response = request.send().await.expect("answered");
    let latency = asked.elapsed();
    assert_eq!(response.status(), 200);

    let mut closes = JoinSet::new();
    for mut stream in stalled {
        closes.spawn(async move {
            let sent = until_closed(&mut stream).await;
            (sent, started.elapsed())
        });
    }
    let mut closed_after = Vec::new();
    while let Some(joined) = closes.join_next().await {
        let (sent, after) = joined.expect("task");
        let sent = sent.expect("a stalled connection still open long after the timeout");
        // hyper closes on its header-read timeout without answering.
        assert!(sent.is_empty(), "{:?}", String::from_utf8_lossy(&sent));
        closed_after.push(after);
    }
    assert_eq!(closed_after.len(), 200);
    closed_after.sort();
    println!(
        "200 stalled connections (header-read timeout 1 s): opened in {opened:?}; closed from \
         {:?} to {:?} after the first was opened; a normal request meanwhile answered in \
         {latency:?}",
        closed_after[0], closed_after[199]
    );
    // Still serving once they are gone.
    let after = get_1684()
        .authorized(&server)
        .send()
        .await
        .expect("answered");
    assert_eq!(after.status(), 200);
}

#[tokio::test]
async fn idle_kept_alive_connections_are_closed() {
    // A header-read timeout far above `PATIENCE`: the close comes from the
    // idle timeout alone.
    let server = start_with(
        MockConfig::default()
            .with_idle_timeout(Duration::from_secs(1))
            .with_header_read_timeout(Duration::from_secs(600)),
    )
    .await;
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    stream
        .write_all(&kept_alive(&get_1684()))
        .await
        .expect("write");
    assert_eq!(one_response(&mut stream).await, 200);
    let answered = Instant::now();
    let sent = until_closed(&mut stream)
        .await
        .expect("an idle kept-alive connection still open long after the idle timeout");
    assert!(sent.is_empty(), "{:?}", String::from_utf8_lossy(&sent));
    println!(
        "idle kept-alive connection (idle timeout 1 s) closed {:?} after its response",
        answered.elapsed()
    );
}

#[tokio::test]
async fn a_slow_answer_is_not_idle() {
    let server = start_with(MockConfig::default().with_idle_timeout(Duration::from_secs(2))).await;
    // The second request on the connection takes twice the idle timeout to
    // answer: the connection is busy, not idle, and the answer arrives.
    server
        .faults()
        .inject("get_note", Fault::Delay(Duration::from_secs(4)), 1);
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    stream
        .write_all(&kept_alive(&get_1684()))
        .await
        .expect("write");
    assert_eq!(one_response(&mut stream).await, 200);
    stream
        .write_all(&kept_alive(&op("get_note").at(310)))
        .await
        .expect("write");
    assert_eq!(one_response(&mut stream).await, 200);
    assert_eq!(server.executed_count("get_note"), 1);
}

#[tokio::test]
async fn over_long_headers_get_431() {
    let padding = |n: usize| "a".repeat(n);
    let server = start_with(MockConfig::default()).await;
    let long = padding(DEFAULT_MAX_HEADER_SIZE);
    let reply = raw(&server, &get_1684().raw(&[("x-padding", &long)], b"")).await;
    assert_eq!(raw_status(&reply), 431);

    let server = start_with(MockConfig::default().with_max_header_size(1024)).await;
    let reply = raw(
        &server,
        &get_1684().raw(&[("x-padding", &padding(2000))], b""),
    )
    .await;
    assert_eq!(raw_status(&reply), 431);
    // Many small headers count together.
    let many: Vec<(String, String)> = (0..40)
        .map(|i| (format!("x-padding-{i}"), padding(30)))
        .collect();
    let many: Vec<(&str, &str)> = many
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let reply = raw(&server, &get_1684().raw(&many, b"")).await;
    assert_eq!(raw_status(&reply), 431);
    // Under the limit is fine.
    let reply = raw(
        &server,
        &get_1684().raw(&[("x-padding", &padding(500))], b""),
    )
    .await;
    assert_eq!(raw_status(&reply), 200);
}

#[tokio::test]
async fn over_long_urls_get_414() {
    let server = start_with(MockConfig::default()).await;
    let long = get_1684().query(&format!("x={}", "a".repeat(DEFAULT_MAX_URL_LENGTH)));
    let reply = raw(&server, &long.raw(&[], b"")).await;
    assert_eq!(raw_status(&reply), 414);
    assert_eq!(body_of(&reply)["status"], 414);
    // Not counted as a request of the operation: refused before routing.
    assert_eq!(server.request_count("get_case"), 0);

    let server = start_with(MockConfig::default().with_max_url_length(64)).await;
    let target_of = |n: usize| {
        let short = get_1684().target();
        format!("{short}?x={}", "a".repeat(n - short.len() - 3))
    };
    let reply = raw(&server, &http("GET", &target_of(65), &[], b"")).await;
    assert_eq!(raw_status(&reply), 414);
    let reply = raw(&server, &http("GET", &target_of(64), &[], b"")).await;
    assert_eq!(raw_status(&reply), 200);
    // Absolute form counts scheme and authority.
    let absolute = format!("http://localhost{}", target_of(60));
    let reply = raw(&server, &http("GET", &absolute, &[], b"")).await;
    assert_eq!(raw_status(&reply), 414);

    // A target longer than the header limit never gets read whole: 431.
    let server = start_with(MockConfig::default().with_max_header_size(2048)).await;
    let reply = raw(&server, &http("GET", &target_of(4000), &[], b"")).await;
    assert_eq!(raw_status(&reply), 431);
}

/// Starts the binary with `args`; returns it and the address it serves on
/// (from its first line on stdout, the base URL).
fn spawn(args: &[&str]) -> (std::process::Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acquire-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let addr = line
        .trim()
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix("/api/v1"))
        .and_then(|addr| addr.parse().ok())
        .unwrap_or_else(|| panic!("not a base URL: {line:?}"));
    (child, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_is_reached_and_logged_once() {
    let (mut child, addr) = spawn(&[
        "--api-key",
        KEY,
        "--max-connections",
        "2",
        "--header-read-timeout",
        "1",
        "--max-url-length",
        "100",
    ]);
    // Two connections that never finish their headers hold both slots...
    let head = unfinished_head();
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(head.as_bytes()).await.expect("write");
        stalled.push(stream);
    }
    // ...so these wait in the backlog until the header-read timeout closes
    // them, then are all answered.
    let mut waiting = JoinSet::new();
    for _ in 0..8 {
        waiting.spawn(async move {
            let mut stream = TcpStream::connect(addr).await.expect("connect");
            let request = http("GET", &get_1684().target(), &[], b"");
            stream.write_all(&request).await.expect("write");
            until_closed(&mut stream).await
        });
    }
    while let Some(joined) = waiting.join_next().await {
        let reply = joined.expect("task").expect("answered within the bound");
        assert_eq!(raw_status(&reply), 200);
    }
    for mut stream in stalled {
        let sent = until_closed(&mut stream).await.expect("closed");
        assert!(sent.is_empty());
    }
    // The other flags are applied too.
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let long = format!("{}?x={}", get_1684().target(), "a".repeat(100));
    stream
        .write_all(&http("GET", &long, &[], b""))
        .await
        .expect("write");
    let reply = until_closed(&mut stream).await.expect("answered");
    assert_eq!(raw_status(&reply), 414);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    assert!(child.wait().expect("wait").success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("read stderr");
    let reached = log
        .lines()
        .filter(|line| line.contains("connection cap reached: 2 open"))
        .count();
    assert_eq!(reached, 1, "the cap is logged once: {log}");
    assert!(log.contains("WARN"), "{log}");
}

#[test]
fn limits_must_be_usable() {
    for args in [
        ["--max-connections", "0"],
        ["--header-read-timeout", "0"],
        ["--idle-timeout", "-1"],
        ["--idle-timeout", "nan"],
        ["--header-read-timeout", "soon"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_acquire-mock"))
            .args(["--api-key", "k"])
            .args(args)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
