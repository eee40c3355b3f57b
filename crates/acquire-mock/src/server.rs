//! Starting, serving and stopping: an accept loop over hyper connections,
//! each running one axum router whose fallback dispatches by the spec.

use std::{
    collections::HashMap,
    convert::Infallible,
    net::SocketAddr,
    pin::Pin,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex, MutexGuard,
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use hyper::{
    body::{Frame, SizeHint},
    server::conn::http1,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use subtle::ConstantTimeEq;
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Notify, OwnedSemaphorePermit, Semaphore},
    task::JoinSet,
    time::Instant,
};
use tower::ServiceExt;

use crate::{
    config::MockConfig,
    drift::Drift,
    error::{json_response, ApiError, MockError},
    faults::{endless_body, html_page, Fault, Faults, Plan, FAULT_HEADER, INVALID_JSON_BODY},
    handlers::{self, Ctx},
    routes::{parse_query, Match, Route, Routes},
    seed,
    store::Store,
};

/// The path prefix of every route.
const PREFIX: &str = "/api/v1";

/// Starts fake servers.
#[derive(Debug)]
pub struct MockServer;

impl MockServer {
    /// Loads and compiles the spec, binds `config`'s address and serves in
    /// the background on the current tokio runtime until
    /// [`RunningServer::shutdown`] or drop.
    pub async fn start(config: MockConfig) -> Result<RunningServer, MockError> {
        let routes = Routes::load(config.spec_path.as_deref())?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| MockError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr()?;
        let mut store = seed::store(config.seed, config.agent_id);
        seed::generate_cases(&mut store, config.generated_cases, config.agent_id);
        let drift = config
            .drift
            .then(|| Drift::load(config.spec_path.as_deref()));
        let shared = Arc::new(Shared {
            drift: drift.transpose()?,
            store: Mutex::new(store),
            routes,
            faults: Faults::default(),
            counts: Mutex::new(HashMap::new()),
            config,
        });
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(accept_loop(listener, shared.clone(), stop.clone()));
        Ok(RunningServer {
            base_url: format!("http://{addr}{PREFIX}"),
            addr,
            shared,
            stop,
            task: Some(task),
        })
    }
}

/// A running fake server. Dropping it stops it (open connections are cut).
#[derive(Debug)]
pub struct RunningServer {
    base_url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<Notify>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    /// The base URL of the API, e.g. `http://127.0.0.1:43117/api/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The only bearer key accepted.
    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }

    /// The faults armed on this server, to add or clear some.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// How many requests were routed to `operation_id` so far, whatever
    /// became of them (faults, 401, 400 and successes all count).
    pub fn request_count(&self, operation_id: &str) -> u64 {
        self.shared
            .count(operation_id)
            .received
            .load(Ordering::SeqCst)
    }

    /// How many requests of `operation_id` took effect (reached its handler
    /// and succeeded): proves a POST was executed once, not twice.
    pub fn executed_count(&self, operation_id: &str) -> u64 {
        self.shared
            .count(operation_id)
            .executed
            .load(Ordering::SeqCst)
    }

    /// Stops accepting, cuts open connections and waits for the server task.
    pub async fn shutdown(mut self) {
        self.stop.notify_one();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            self.stop.notify_one();
            task.abort();
        }
    }
}

#[derive(Debug, Default)]
struct Counts {
    received: AtomicU64,
    executed: AtomicU64,
}

struct Shared {
    config: MockConfig,
    /// Drift mode's rewriting of successful responses, when on.
    drift: Option<Drift>,
    routes: Arc<Routes>,
    store: Mutex<Store>,
    faults: Faults,
    counts: Mutex<HashMap<String, Arc<Counts>>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

impl Shared {
    fn count(&self, operation_id: &str) -> Arc<Counts> {
        self.counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(operation_id.to_owned())
            .or_default()
            .clone()
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the request carries the API key: as `Authorization: Bearer
    /// <key>` (every operation), or as `Bearer <key>` in one of the query
    /// parameters the operation's security declares (`route.key_params()`,
    /// send SMS's `Authorization` alone). Compared in constant time.
    fn authorized(&self, request: &Request, route: &Route) -> bool {
        let key = self.config.api_key.as_bytes();
        let matches = |given: &[u8]| bool::from(given.ct_eq(key));
        let in_header = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
            .is_some_and(matches);
        if in_header || route.key_params().is_empty() {
            return in_header;
        }
        let Some(Ok(query)) = request.uri().query().map(parse_query) else {
            return false;
        };
        // As for every query parameter, the first value counts.
        query
            .iter()
            .find(|(name, _)| route.key_params().contains(name))
            .and_then(|(_, value)| value.as_bytes().strip_prefix(b"Bearer "))
            .is_some_and(matches)
    }
}

/// Set on each request: cutting it closes its connection with no response.
#[derive(Clone)]
struct Cut(Arc<Notify>);

impl Cut {
    /// Closes the connection; never returns.
    async fn now(&self) -> Response {
        self.0.notify_one();
        std::future::pending().await
    }
}

/// hyper's default limit on a connection's read buffer (`max_buf_size`,
/// 8 KiB + 400 KiB in hyper 1.x): reading headers stops there (431) whatever
/// `max_header_size` says, so a larger header limit raises it.
const HYPER_DEFAULT_MAX_BUF_SIZE: usize = 8192 + 4096 * 100;

/// The HTTP/1 settings every connection is served with.
fn http1_builder(config: &MockConfig) -> http1::Builder {
    let mut builder = http1::Builder::new();
    // hyper's header-read timeout needs a timer (without one it panics when
    // the timeout is set). It starts when hyper begins reading a request
    // head: on a new connection, and on a kept-alive one as soon as the
    // previous response is written (hyper's `State::idle` asks for the next
    // read at once when the timeout is set), so it bounds the idle wait for
    // the next request too. Its deadline is fixed when it starts: bytes
    // arriving do not extend it. On expiry hyper ends the connection with
    // an error and sends nothing; dropping it closes the socket.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        // Request line and headers together: past this, hyper answers 431
        // (its own response, no body) and closes the connection, both when
        // the buffered head outgrows it unfinished and when a complete head
        // is longer.
        .max_header_size(config.max_header_size);
    if config.max_header_size > HYPER_DEFAULT_MAX_BUF_SIZE {
        builder.max_buf_size(config.max_header_size);
    }
    builder
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, stop: Arc<Notify>) {
    let http = Arc::new(http1_builder(&shared.config));
    let idle_timeout = shared.config.idle_timeout;
    let max_connections = shared
        .config
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max_connections));
    let router = Router::new().fallback(dispatch).with_state(shared);
    let mut cap_logged = false;
    let mut connections = JoinSet::new();
    loop {
        // A slot first, then a connection: at the cap, new connections wait
        // in the listening socket's backlog (the kernel's queue) until one
        // closes, and the accept loop holds nothing for them.
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if !cap_logged {
                    cap_logged = true;
                    tracing::warn!(
                        "connection cap reached: {max_connections} open (max connections); \
                         new connections wait until one closes (logged once)"
                    );
                }
                tokio::select! {
                    () = stop.notified() => break,
                    slot = slots.clone().acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                }
            }
        };
        tokio::select! {
            () = stop.notified() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: back off a little.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_connection(
                    stream,
                    router.clone(),
                    http.clone(),
                    idle_timeout,
                    slot,
                ));
                while connections.try_join_next().is_some() {}
            }
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// Serves one connection until it ends, is cut (a fault), or has been
/// idle for `idle_timeout`; its slot is freed on return.
async fn serve_connection(
    stream: TcpStream,
    router: Router,
    http: Arc<http1::Builder>,
    idle_timeout: Duration,
    _slot: OwnedSemaphorePermit,
) {
    let cut = Arc::new(Notify::new());
    let activity = Arc::new(Activity::new());
    let watched = activity.clone();
    let service = {
        let cut = cut.clone();
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            // hyper calls this once a request's line and headers are read.
            let busy = Busy::start(activity.clone());
            request.extensions_mut().insert(Cut(cut.clone()));
            let router = router.clone();
            async move {
                let response = router
                    .oneshot(request.map(Body::new))
                    .await
                    .unwrap_or_else(|never: Infallible| match never {});
                Ok::<_, Infallible>(response.map(|body| Tracked { body, _busy: busy }))
            }
        })
    };
    let connection = http.serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        biased;
        _ = connection => {}
        () = cut.notified() => {}
        () = idle_expired(&watched, idle_timeout) => {}
    }
}

/// Whether a connection is answering requests, and since when it waits for
/// the next one. Only the connection's own task touches it (hyper calls the
/// service and drops response bodies while the connection is polled), so
/// relaxed atomics suffice; they are atomics only for the task to be `Send`.
#[derive(Debug)]
struct Activity {
    /// When the connection was accepted: the origin of `idle_since`.
    origin: Instant,
    /// Requests being answered: from the service call until hyper drops the
    /// response body, after writing its last byte.
    busy: AtomicUsize,
    /// Milliseconds from `origin` to when the last response was sent;
    /// [`Activity::NEVER`] before the first request (a new connection is
    /// the header-read timeout's alone).
    idle_since: AtomicU64,
}

impl Activity {
    const NEVER: u64 = u64::MAX;

    fn new() -> Self {
        Self {
            origin: Instant::now(),
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(Self::NEVER),
        }
    }

    /// When the connection will have been idle for `timeout`: `None` while
    /// a request is answered or before the first one.
    fn idle_deadline(&self, timeout: Duration) -> Option<Instant> {
        if self.busy.load(Ordering::Relaxed) > 0 {
            return None;
        }
        match self.idle_since.load(Ordering::Relaxed) {
            Self::NEVER => None,
            since => self
                .origin
                .checked_add(Duration::from_millis(since))?
                .checked_add(timeout),
        }
    }
}

/// A request being answered, until dropped with its response body.
struct Busy(Arc<Activity>);

impl Busy {
    fn start(activity: Arc<Activity>) -> Self {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        Self(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let activity = &self.0;
        if activity.busy.fetch_sub(1, Ordering::Relaxed) == 1 {
            let since = u64::try_from(activity.origin.elapsed().as_millis())
                .unwrap_or(Activity::NEVER - 1)
                .min(Activity::NEVER - 1);
            activity.idle_since.store(since, Ordering::Relaxed);
        }
    }
}

/// A response body that keeps its request [`Busy`] until hyper drops it.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Completes once the connection has waited `timeout` for its next request
/// since its last response was sent; never while a request is answered.
/// Checks at the deadline, or every `timeout` (at least every 100 ms, so a
/// zero timeout does not spin) while there is none.
async fn idle_expired(activity: &Activity, timeout: Duration) {
    let every = timeout.max(Duration::from_millis(100));
    loop {
        let now = Instant::now();
        let next = match activity.idle_deadline(timeout) {
            Some(deadline) if deadline <= now => return,
            Some(deadline) => deadline,
            None => match now.checked_add(every) {
                Some(next) => next,
                None => return std::future::pending().await,
            },
        };
        tokio::time::sleep_until(next).await;
    }
}

/// The length of a request's target as sent: path and query (origin form),
/// with scheme and authority when given (absolute form).
fn target_length(uri: &Uri) -> usize {
    let path_and_query = uri.path_and_query().map_or(0, |p| p.as_str().len());
    let authority = uri.authority().map_or(0, |a| a.as_str().len());
    let scheme = uri.scheme_str().map_or(0, |s| s.len() + "://".len());
    scheme + authority + path_and_query
}

/// Every request: target length, route by the spec, count, faults, auth,
/// body limit, validation, handler, envelope.
async fn dispatch(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let max_url_length = shared.config.max_url_length;
    if target_length(request.uri()) > max_url_length {
        return ApiError::status(
            StatusCode::URI_TOO_LONG,
            format!("the request target is longer than {max_url_length} bytes"),
        )
        .into_response();
    }
    let cut = request.extensions().get::<Cut>().cloned();
    let path = request.uri().path().to_owned();
    let Some(rest) = path
        .strip_prefix(PREFIX)
        .filter(|r| r.is_empty() || r.starts_with('/'))
    else {
        return ApiError::no_route(format!("no route {path}")).into_response();
    };
    let (route, path_params) = match shared.routes.find(request.method(), rest) {
        Match::Found(route, params) => (route, params),
        Match::WrongMethod(allowed) => {
            let mut e = ApiError::no_route(format!("{} not allowed on {path}", request.method()));
            e.status = StatusCode::METHOD_NOT_ALLOWED;
            let mut response = e.into_response();
            // RFC 9110: a 405 lists the methods the resource supports.
            let allow = allowed
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            return response;
        }
        Match::None => return ApiError::no_route(format!("no route {path}")).into_response(),
    };
    let operation_id = route.operation_id.as_str();
    let counts = shared.count(operation_id);
    counts.received.fetch_add(1, Ordering::SeqCst);

    // Faults: those armed through the library first, then the header.
    let mut plan = Plan::default();
    if let Some(fault) = shared.faults.take(operation_id) {
        match fault {
            Fault::Delay(d) => plan.delay = Some(d),
            other => plan.action = Some(other),
        }
    } else if shared.config.faults_enabled {
        if let Some(value) = request.headers().get(FAULT_HEADER) {
            match value
                .to_str()
                .map_err(|_| format!("{FAULT_HEADER} is not ASCII"))
                .and_then(Plan::parse)
            {
                Ok(p) => plan = p,
                Err(message) => return ApiError::invalid(message).into_response(),
            }
        }
    }
    if let Some(delay) = plan.delay {
        tokio::time::sleep(delay).await;
    }
    match plan.action {
        Some(Fault::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status)
                .ok()
                .filter(|s| (100..=599).contains(&s.as_u16()))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = match status.as_u16() {
                429 => "Too many requests",
                500 => "Internal server error",
                503 => "Acquire is down for maintenance",
                _ => "Injected fault",
            };
            let mut error = ApiError::status(status, message);
            error.retry_after = retry_after;
            return error.into_response();
        }
        Some(Fault::Html { status }) => {
            let status = StatusCode::from_u16(status)
                .ok()
                .filter(|s| (100..=599).contains(&s.as_u16()))
                .unwrap_or(StatusCode::BAD_GATEWAY);
            let page = html_page(
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error"),
            );
            let mut response = (status, page).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            return response;
        }
        Some(Fault::Endless) => return endless_body(),
        Some(Fault::Drop) => {
            if let Some(cut) = cut {
                return cut.now().await;
            }
        }
        _ => {}
    }

    let head_only = request.method() == Method::HEAD;
    let response = handle(&shared, route, &path_params, request, &counts).await;
    let response = match plan.action {
        Some(Fault::DropAfter) => match cut {
            Some(cut) => cut.now().await,
            None => response,
        },
        Some(Fault::Truncate) => truncate(response, cut).await,
        Some(Fault::InvalidJson) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Response::from_parts(parts, Body::from(INVALID_JSON_BODY))
        }
        _ => response,
    };
    if head_only {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

async fn handle(
    shared: &Shared,
    route: &Route,
    path_params: &[(String, String)],
    request: Request,
    counts: &Counts,
) -> Response {
    if !shared.authorized(&request, route) {
        return ApiError::unauthorized().into_response();
    }
    let (parts, body) = request.into_parts();
    let limit = shared.config.body_limit;
    let too_large = || {
        ApiError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {limit} bytes"),
        )
        .into_response()
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let over = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if over {
                return too_large();
            }
            return ApiError::invalid("the request body could not be read").into_response();
        }
    };
    if !route.has_body() && !bytes.is_empty() && parts.method != Method::GET {
        // Bodies on operations that declare none are ignored, as Acquire does.
    }
    let input = match route.validate(path_params, parts.uri.query(), &parts.headers, &bytes) {
        Ok(input) => input,
        Err(e) => return e.into_response(),
    };
    let Some(handler) = handlers::find(&route.operation_id) else {
        let mut e = ApiError::status(
            StatusCode::NOT_IMPLEMENTED,
            format!("{} is not implemented by acquire-mock", route.operation_id),
        );
        e.kind = None;
        return e.into_response();
    };
    let ctx = Ctx {
        agent_id: shared.config.agent_id,
        now: chrono::Utc::now(),
        vocabulary: shared.routes.vocabulary(),
    };
    let result = handler(&mut shared.store(), &ctx, &input);
    match result {
        Ok(data) => {
            counts.executed.fetch_add(1, Ordering::SeqCst);
            let mut body = serde_json::json!({ "data": data });
            if let Some(drift) = &shared.drift {
                drift.apply(&route.operation_id, &mut body);
            }
            json_response(StatusCode::OK, &body)
        }
        Err(e) => e.into_response(),
    }
}

/// Sends the response's headers (with its full `Content-Length`) and half
/// its body, then closes the connection.
async fn truncate(response: Response, cut: Option<Cut>) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Some(cut) = cut else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    // First poll: half the body. Second poll (after hyper flushed it): cut.
    let stream = futures::stream::unfold(Some(half), move |state| {
        let cut = cut.clone();
        async move {
            match state {
                Some(half) => Some((Ok::<Bytes, Infallible>(half), None)),
                None => {
                    cut.now().await;
                    None
                }
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
