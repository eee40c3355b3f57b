//! The response size limit: a body past `ClientConfig::with_max_response_bytes`
//! fails with `Error::ResponseTooLarge`, is read no further than the limit
//! (the connection is dropped), and is not retried, for idempotent and
//! non-idempotent operations, successes and error statuses alike.

mod support;

use std::{
    sync::{
        atomic::{AtomicU32, AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use acquire::{CaseId, Client, ClientConfig, ContactId, Error, RetryPolicy};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
    sync::Notify,
};
use wiremock::{MockServer, ResponseTemplate};

/// Bounds every wait, so a client that keeps reading fails the test
/// instead of hanging it.
const BOUND: Duration = Duration::from_secs(60);

/// One chunk of the endless body.
const CHUNK: usize = 64 * 1024;

/// A server answering every request with a 200 whose chunked body never
/// ends (it starts like a case, then is one endless title).
struct Endless {
    base_url: String,
    requests: Arc<AtomicU32>,
    written: Arc<AtomicU64>,
    /// Notified when a connection's writes fail: the client dropped it.
    dropped: Arc<Notify>,
}

async fn endless() -> Endless {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let requests = Arc::new(AtomicU32::new(0));
    let written = Arc::new(AtomicU64::new(0));
    let dropped = Arc::new(Notify::new());
    let (r, w, d) = (requests.clone(), written.clone(), dropped.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (r, w, d) = (r.clone(), w.clone(), d.clone());
            tokio::spawn(async move {
                // Read the request head (the tests send small bodies).
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                r.fetch_add(1, Ordering::SeqCst);
                let start = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                              transfer-encoding: chunked\r\n\r\n";
                if socket.write_all(start).await.is_err() {
                    return;
                }
                let mut first = br#"{"data":{"id":2,"title":""#.to_vec();
                first.resize(CHUNK, b'a');
                let rest = vec![b'a'; CHUNK];
                let mut chunk = first;
                loop {
                    let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
                    frame.extend_from_slice(&chunk);
                    frame.extend_from_slice(b"\r\n");
                    if socket.write_all(&frame).await.is_err() {
                        d.notify_one();
                        return;
                    }
                    w.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                    chunk.clone_from(&rest);
                }
            });
        }
    });
    Endless {
        base_url: format!("http://{addr}/api/v1"),
        requests,
        written,
        dropped,
    }
}

/// A client of `base_url` with the default retry policy (which retries
/// idempotent requests) and a response limit of `limit` bytes.
fn client(base_url: &str, limit: u64) -> Client {
    support::configured(base_url, |c| {
        c.with_max_response_bytes(limit)
            .with_retry_policy(RetryPolicy::default())
    })
}

fn too_large<T: std::fmt::Debug>(result: Result<T, Error>) -> (u64, Option<u64>, Option<u16>) {
    match result {
        Err(Error::ResponseTooLarge {
            limit,
            declared,
            status,
        }) => (limit, declared, status),
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_is_dropped_and_not_retried() {
    const LIMIT: u64 = 1024 * 1024;
    for idempotent in [true, false] {
        let server = endless().await;
        let client = client(&server.base_url, LIMIT);
        let dropped = server.dropped.notified();
        let call = async {
            if idempotent {
                client.cases().get(CaseId(2)).send().await.map(drop)
            } else {
                client
                    .cases()
                    .create(ContactId(597752))
                    .send()
                    .await
                    .map(drop)
            }
        };
        let result = tokio::time::timeout(BOUND, call)
            .await
            .unwrap_or_else(|_| panic!("the client kept reading the endless body"));
        let error = result
            .as_ref()
            .err()
            .map(|e| (e.is_retryable(), e.to_string()));
        assert_eq!(
            too_large(result),
            (LIMIT, None, Some(200)),
            "idempotent: {idempotent}"
        );
        let (retryable, text) = error.unwrap_or_default();
        assert!(!retryable);
        assert!(
            text.contains("larger than the limit of 1048576 bytes"),
            "{text}"
        );
        assert_eq!(server.requests.load(Ordering::SeqCst), 1, "not retried");
        // The client let go of the connection: the server's writes fail.
        tokio::time::timeout(BOUND, dropped)
            .await
            .unwrap_or_else(|_| panic!("the connection was kept open"));
        let written = server.written.load(Ordering::SeqCst);
        println!("idempotent {idempotent}: the server wrote {written} bytes before the drop");
    }
}

/// A mock answering everything with `status` and `body`.
async fn answering(status: u16, body: Vec<u8>) -> MockServer {
    support::answering(ResponseTemplate::new(status).set_body_raw(body, "application/json")).await
}

#[tokio::test]
async fn a_declared_length_past_the_limit_fails_before_the_body_is_read() {
    let body = serde_json::to_vec(&support::documented_case()).unwrap_or_else(|e| panic!("{e}"));
    let length = body.len() as u64;
    for status in [200u16, 500, 404, 418] {
        let server = answering(status, body.clone()).await;
        let client = client(&server.uri(), length - 1);
        let result = client.cases().get(CaseId(1684)).send().await;
        assert_eq!(
            too_large(result),
            (length - 1, Some(length), Some(status)),
            "status {status}"
        );
        assert_eq!(
            support::sent(&server).await,
            1,
            "status {status}: not retried"
        );
    }
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read() {
    let example = support::documented_case();
    let body = serde_json::to_vec(&example).unwrap_or_else(|e| panic!("{e}"));
    let server = answering(200, body.clone()).await;
    let client = client(&server.uri(), body.len() as u64);
    let case = client
        .cases()
        .get(CaseId(1684))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case, support::data::<acquire::Case>(&example));
}

#[test]
fn the_default_limit_is_16_mib() {
    assert_eq!(acquire::DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
    let config = ClientConfig::default();
    assert!(
        format!("{config:?}").contains("max_response_bytes: 16777216"),
        "{config:?}"
    );
}
