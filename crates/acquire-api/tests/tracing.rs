//! Tracing: one `acquire_api.request` span per HTTP attempt, added by the
//! client hooks, with the operation id, method, URL, attempt, status and
//! duration, and never the API key.
//!
//! The server is a few lines of tokio: this crate has no HTTP mock among its
//! dev-dependencies, and the test needs only canned answers in order plus
//! the raw requests (to prove the key was really sent).

use std::{
    collections::BTreeMap,
    io,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use acquire_api::{ApiKey, ClientContext, GeneratedClient as Client, RetryPolicy, REQUEST_SPAN};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use tracing::{
    field::{Field, Visit},
    span::{Attributes, Id, Record},
    Subscriber,
};
use tracing_subscriber::{
    fmt::format::FmtSpan,
    layer::{Context, SubscriberExt},
    registry::LookupSpan,
    Layer, Registry,
};

const API_KEY: &str = "sk_live_TRACE_ME_NOT_4f1c9a7e";
const CASE: &str = include_str!("../../../openapi/examples/authored/get-case.response.json");
const UNAVAILABLE: &str = include_str!("../../../openapi/examples/authored/error-unavailable.json");

// ----- A server that answers with canned responses, in order -----

/// Serves `answers` (status, body), one per connection, and keeps every raw
/// request it read. Returns the base URL (`http://127.0.0.1:<port>/api/v1`).
async fn serve(answers: Vec<(u16, &'static str)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        for (status, body) in answers {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            lock(&log).push(String::from_utf8_lossy(&request).into_owned());
            let reason = if status == 200 {
                "OK"
            } else {
                "Service Unavailable"
            };
            let response = format!(
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://127.0.0.1:{port}/api/v1"), received)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

// ----- A layer that keeps every closed span with its fields -----

#[derive(Clone, Debug, Default)]
struct SpanRecord {
    name: String,
    target: String,
    fields: BTreeMap<String, String>,
}

impl Visit for SpanRecord {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields
            .insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields
            .insert(field.name().to_owned(), format!("{value:?}"));
    }
}

#[derive(Clone, Default)]
struct Captured {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    text: Arc<Mutex<Vec<u8>>>,
}

impl Captured {
    /// The closed spans named [`REQUEST_SPAN`], in the order they closed.
    fn request_spans(&self) -> Vec<SpanRecord> {
        lock(&self.spans)
            .iter()
            .filter(|s| s.name == REQUEST_SPAN)
            .cloned()
            .collect()
    }

    /// Everything the capture saw, as text: the fmt output and every field
    /// of every span.
    fn everything(&self) -> String {
        let mut all = String::from_utf8_lossy(&lock(&self.text)).into_owned();
        for span in lock(&self.spans).iter() {
            all.push_str(&format!("{span:?}\n"));
        }
        all
    }
}

struct CaptureLayer(Captured);

impl<S> Layer<S> for CaptureLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut record = SpanRecord {
            name: attrs.metadata().name().to_owned(),
            target: attrs.metadata().target().to_owned(),
            fields: BTreeMap::new(),
        };
        attrs.record(&mut record);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(record);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            if let Some(record) = span.extensions_mut().get_mut::<SpanRecord>() {
                values.record(record);
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            if let Some(record) = span.extensions_mut().remove::<SpanRecord>() {
                lock(&self.0.spans).push(record);
            }
        }
    }
}

struct TextWriter(Arc<Mutex<Vec<u8>>>);

impl io::Write for TextWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Installs, for the current thread, a subscriber that captures spans
/// (structured) and the fmt output (text, with span closes).
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let text = captured.text.clone();
    let subscriber = Registry::default()
        .with(CaptureLayer(captured.clone()))
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(move || TextWriter(text.clone()))
                .with_span_events(FmtSpan::CLOSE),
        );
    (captured, tracing::subscriber::set_default(subscriber))
}

fn client(base_url: &str) -> Client {
    let key = ApiKey::new(API_KEY).expect("a valid key");
    let context = ClientContext::with_api_key(key).with_retry_policy(
        RetryPolicy::default()
            .with_min_delay(Duration::from_millis(1))
            .with_max_delay(Duration::from_millis(5)),
    );
    Client::new_with_client(base_url, reqwest::Client::new(), context)
}

// ----- The tests -----

#[tokio::test]
async fn each_attempt_gets_a_span_with_its_status_and_never_the_key() {
    let (captured, _guard) = capture();
    let (base_url, received) = serve(vec![(503, UNAVAILABLE), (200, CASE)]).await;

    let case = client(&base_url).get_case().case_id(1684).send().await;
    let case = case.expect("the retry succeeds");
    assert_eq!(case.into_inner().data.id, acquire_api::ids::CaseId(1684));

    // The key really went out, on both attempts: its absence below means
    // something.
    let received = lock(&received).clone();
    assert_eq!(received.len(), 2, "503 then 200: {received:?}");
    for request in &received {
        assert!(
            request.contains(&format!("Bearer {API_KEY}")),
            "sent: {request}"
        );
    }

    let spans = captured.request_spans();
    assert_eq!(spans.len(), 2, "one span per attempt: {spans:#?}");
    let url = format!("{base_url}/crm/objects/case/1684");
    for (span, (attempt, status)) in spans.iter().zip([("1", "503"), ("2", "200")]) {
        let field = |name: &str| span.fields.get(name).map(String::as_str);
        assert_eq!(span.target, "acquire_api");
        assert_eq!(field("operation_id"), Some("get_case"), "{span:?}");
        assert_eq!(field("http.method"), Some("GET"), "{span:?}");
        assert_eq!(field("url"), Some(url.as_str()), "{span:?}");
        assert_eq!(field("attempt"), Some(attempt), "{span:?}");
        assert_eq!(field("status"), Some(status), "{span:?}");
        assert!(
            field("duration_ms").is_some_and(|d| d.parse::<u64>().is_ok()),
            "duration_ms is recorded as a number: {span:?}"
        );
        assert_eq!(field("error"), None, "{span:?}");
    }

    let everything = captured.everything();
    assert!(
        everything.contains("attempt=1") && everything.contains("attempt=2"),
        "the fmt output shows both attempts:\n{everything}"
    );
    assert!(
        everything.contains("status=503") && everything.contains("status=200"),
        "{everything}"
    );
    assert!(
        !everything.contains(API_KEY),
        "the API key leaked into traces:\n{everything}"
    );
}

#[tokio::test]
async fn user_info_in_the_base_url_is_not_recorded() {
    let (captured, _guard) = capture();
    let (base_url, received) = serve(vec![(200, CASE)]).await;
    let with_user = base_url.replace("http://", "http://agent:pw-NOT-IN-TRACES@");

    let case = client(&with_user).get_case().case_id(1684).send().await;
    assert!(case.is_ok(), "{case:?}");
    assert_eq!(lock(&received).len(), 1);

    let spans = captured.request_spans();
    assert_eq!(spans.len(), 1, "{spans:#?}");
    assert_eq!(
        spans[0].fields.get("url").map(String::as_str),
        Some(format!("{base_url}/crm/objects/case/1684").as_str())
    );
    let everything = captured.everything();
    assert!(!everything.contains("pw-NOT-IN-TRACES"), "{everything}");
    assert!(!everything.contains(API_KEY), "{everything}");
}

#[tokio::test]
async fn a_failed_connection_records_the_error_kind_on_each_attempt() {
    let (captured, _guard) = capture();
    // A port that was free a moment ago: nothing listens there now.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        listener.local_addr().expect("local addr").port()
    };
    let base_url = format!("http://127.0.0.1:{port}/api/v1");

    let result = client(&base_url).get_case().case_id(7).send().await;
    assert!(result.is_err(), "nothing listens on {port}");

    let spans = captured.request_spans();
    assert_eq!(
        spans.len(),
        3,
        "the default policy sends 3 times: {spans:#?}"
    );
    for (i, span) in spans.iter().enumerate() {
        let field = |name: &str| span.fields.get(name).map(String::as_str);
        assert_eq!(field("attempt"), Some((i + 1).to_string().as_str()));
        assert_eq!(field("error"), Some("connect"), "{span:?}");
        assert_eq!(field("status"), None, "no response, no status: {span:?}");
        assert_eq!(field("operation_id"), Some("get_case"));
    }
    assert!(!captured.everything().contains(API_KEY));
}
