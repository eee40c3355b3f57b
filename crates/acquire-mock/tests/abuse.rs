//! No input makes the server panic, hang or answer non-JSON errors: garbage
//! bodies, NUL bytes, huge ids, non-UTF-8, oversized bodies, broken HTTP,
//! many connections at once.

mod common;

use acquire_mock::MockConfig;
use common::{body_of, create, http, op, raw, raw_status, send, start, start_with, Op};

/// Joining the seeded case 1684: the request that shows the server alive.
async fn join_1684(server: &acquire_mock::RunningServer) -> common::Reply {
    send(server, &op("join_case"), Some(r#"{"caseId": 1684}"#)).await
}

/// The request line and headers of `op` with `Connection: close` and
/// more header lines `extra` (each ending in CRLF), without the key.
fn head(op: &Op, extra: &str) -> String {
    format!(
        "{} {} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n{extra}",
        op.method,
        op.target()
    )
}

/// The server still answers a normal request.
async fn alive(server: &acquire_mock::RunningServer) {
    let reply = join_1684(server).await;
    assert_eq!(
        reply.status, 200,
        "server no longer healthy: {}",
        reply.json
    );
}

#[tokio::test]
async fn garbage_bodies_get_400() {
    let server = start().await;
    let huge_number = format!(r#"{{"caseId": 1{}}}"#, "0".repeat(400));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        b"\0".to_vec(),
        b"{\"caseId\": 1681\0}".to_vec(),
        b"{\"caseId\": \"\0\"}".to_vec(),
        vec![0xff, 0xfe, 0xfd, 0x7b],
        b"{\"caseId\": \"\xff\"}".to_vec(),
        b"null".to_vec(),
        b"\"caseId\"".to_vec(),
        b"{\"caseId\": -1}".to_vec(),
        b"{\"caseId\": 1.5}".to_vec(),
        b"{\"caseId\": 1e400}".to_vec(),
        b"{\"caseId\": 9223372036854775808}".to_vec(),
        b"{\"caseId\": -9223372036854775809}".to_vec(),
        huge_number.into_bytes(),
        deep.into_bytes(),
        b"{\"caseId\": 1681, \"caseId\": \"x\"}".to_vec(),
        b"{".to_vec(),
    ];
    for target in [op("reject_case"), op("join_case")] {
        let path = &target.path;
        for body in &bodies {
            let reply = raw(
                &server,
                &target.raw(&[("content-type", "application/json")], body),
            )
            .await;
            let status = raw_status(&reply);
            assert!(
                status == 400,
                "{path} {:?}: status {status}",
                String::from_utf8_lossy(body)
            );
            let json = body_of(&reply);
            assert_eq!(json["status"], 400, "{:?}", String::from_utf8_lossy(body));
            assert!(
                json["type"] == "ERROR_INVALID_INPUT" || json["type"] == "ERROR_RECORD_NOT_FOUND"
            );
        }
    }
    alive(&server).await;
}

#[tokio::test]
async fn odd_paths_and_queries() {
    let server = start().await;
    let long = format!("/api/v1/{}", "a/".repeat(2000));
    // Odd queries on create...
    let mut targets: Vec<(String, String)> = [
        "contactId=%FF",
        "contactId=%00",
        "contactId=99999999999999999999999",
        "contactId=-0",
        "contactId",
        "=&&&=%",
        "contactId=1%2",
    ]
    .into_iter()
    .map(|query| {
        let create = op("create_case").query(query);
        (create.method.clone(), create.target())
    })
    .collect();
    // ...and paths the spec does not declare, or not for POST.
    for path in [
        "/api/v1/%00",
        "/api/v1//crm//messenger",
        "/api/v1/crm/objects/case/99999999999999999999999",
        "/api/v1/crm/objects/case/%FF",
        "/api/v1/crm/objects/case/-1",
        &long,
    ] {
        targets.push(("POST".to_owned(), path.to_owned()));
    }
    for (method, target) in &targets {
        let reply = raw(&server, &http(method, target, &[], b"")).await;
        let status = raw_status(&reply);
        assert!((400..500).contains(&status), "{target}: {status}");
        if status != 400 || !reply.is_empty() {
            // hyper's own 4xx (e.g. a malformed request line) has no body.
            let json = body_of(&reply);
            assert!(
                json.is_null() || json["status"] == status,
                "{target}: {json}"
            );
        }
    }
    // A parameter of one value given twice is refused, naming it.
    let reply = raw(&server, &create().query("contactId=x").raw(&[], b"")).await;
    assert_eq!(raw_status(&reply), 400, "a repeated contactId");
    assert_eq!(
        body_of(&reply)["message"],
        "contactId is given 2 times; it takes one value"
    );
    alive(&server).await;
}

#[tokio::test]
async fn broken_http_and_bad_headers() {
    let server = start().await;
    let reject = op("reject_case");
    let reject_line = format!("{} {} HTTP/1.1", reject.method, reject.target());
    for junk in [
        b"\0\0\0\0\r\n\r\n".to_vec(),
        b"GARBAGE\r\n\r\n".to_vec(),
        format!("{reject_line}\r\ncontent-length: 99\r\n\r\n{{}}").into_bytes(),
        format!("{reject_line}\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n").into_bytes(),
        b"\xff\xfe GET / HTTP/1.1\r\n\r\n".to_vec(),
    ] {
        // Any answer (or a close) is fine; a hang or a crash is not.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            let mut stream = tokio::net::TcpStream::connect(server.addr())
                .await
                .expect("connect");
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let _ = stream.write_all(&junk).await;
            let _ = stream.shutdown().await;
            let mut out = Vec::new();
            let _ = stream.read_to_end(&mut out).await;
        })
        .await;
    }
    // A non-ASCII key and a non-ASCII fault header.
    let with = |name: &str, value: &[u8]| {
        let mut request = head(&create(), &format!("content-length: 0\r\n{name}: ")).into_bytes();
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n\r\n");
        request
    };
    let reply = raw(&server, &with("authorization", b"Bearer \xff\xfe")).await;
    assert_eq!(raw_status(&reply), 401);
    let mut faulty = create().raw(&[], b"");
    let at = faulty.len() - 2;
    faulty.splice(at..at, b"x-mock-fault: \xff\r\n".iter().copied());
    assert_eq!(raw_status(&raw(&server, &faulty).await), 400);
    alive(&server).await;
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let server = start_with(MockConfig::default().with_body_limit(1024)).await;
    let big = format!(r#"{{"caseId": 1681, "pad": "{}"}}"#, "x".repeat(4096));
    // Declared length over the limit.
    let reject = op("reject_case");
    let reply = raw(&server, &reject.raw(&[], big.as_bytes())).await;
    assert_eq!(raw_status(&reply), 413);
    assert_eq!(body_of(&reply)["status"], 413);
    // Chunked, no declared length.
    let mut chunked = head(
        &reject,
        &format!(
            "authorization: Bearer {}\r\ntransfer-encoding: chunked\r\n\r\n",
            common::KEY
        ),
    )
    .into_bytes();
    for piece in big.as_bytes().chunks(500) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let reply = raw(&server, &chunked).await;
    assert_eq!(raw_status(&reply), 413);
    // Under the limit is fine.
    let small = r#"{"caseId": 1681}"#;
    assert_eq!(
        raw_status(&raw(&server, &reject.raw(&[], small.as_bytes())).await),
        200
    );
}

#[tokio::test]
async fn many_connections_at_once() {
    let server = std::sync::Arc::new(start().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..64 {
        let server = server.clone();
        tasks.spawn(async move {
            if i % 2 == 0 {
                send(&server, &create(), None).await.status
            } else {
                join_1684(&server).await.status
            }
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("task"), 200);
    }
    assert_eq!(server.executed_count("create_case"), 32);
    // 32 creates got 32 distinct ids: the next one is 2072 + 32.
    let next = send(&server, &create(), None).await;
    assert_eq!(next.json["data"]["id"], 2072 + 32);
}

#[tokio::test]
async fn odd_keys_in_the_query_are_401s() {
    let server = start().await;
    let body = br#"{"From": "+1", "To": "+1", "Body": "x", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#;
    for key in [
        "",
        "Bearer",
        "Bearer%20",
        "Bearer%20%FF%FE",
        "Bearer%20%00",
        "bearer%20test-key-0123",
        "Bearer%20%20test-key-0123",
        "Bearer%20test-key-012",
        "Bearer%20test-key-01234",
        "Basic%20dGVzdA==",
        "%",
    ] {
        let sms = op("send_sms")
            .query("x-user-type=user")
            .query(&format!("Authorization={key}"));
        // No header: only the query can authorise.
        let request = head(
            &sms,
            &format!(
                "content-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            ),
        );
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        let reply = raw(&server, &bytes).await;
        assert_eq!(raw_status(&reply), 401, "{key}");
        assert_eq!(body_of(&reply)["type"], "ERROR_UNAUTHORIZED", "{key}");
    }
    assert_eq!(server.executed_count("send_sms"), 0);
    alive(&server).await;
}
