//! Starting, serving and stopping: an accept loop over hyper connections,
//! each running one axum router whose fallback dispatches by the spec.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard,
    },
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use subtle::ConstantTimeEq;
use tokio::{
    net::TcpListener,
    sync::{Notify, Semaphore},
    task::JoinSet,
};

use crate::{
    config::MockConfig,
    connection::{http1_builder, serve_connection, Cut},
    drift::Drift,
    error::{json_response, ApiError, MockError},
    faults::{Fault, Faults, Plan, FAULT_HEADER},
    handlers::{self, Ctx},
    inject,
    records::Records,
    routes::{parse_query, Match, Route, Routes},
    seed,
    store::Store,
    stubs::{self, Stubs},
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
        let columns = &routes.columns;
        let mut store = seed::store(columns, config.seed, config.agent_id);
        seed::generate_cases(&mut store, columns, config.generated_cases, config.agent_id);
        let drift = config
            .drift
            .then(|| Drift::load(config.spec_path.as_deref()));
        let shared = Arc::new(Shared {
            drift: drift.transpose()?,
            store: Mutex::new(store),
            routes,
            faults: Faults::default(),
            stubs: Stubs::default(),
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

    /// The stubs of this server, to answer some requests of an operation
    /// with a set reply (checked after authentication and validation,
    /// before the handler).
    pub fn stubs(&self) -> &Stubs {
        &self.shared.stubs
    }

    /// The server's records, to seed and to inspect.
    pub fn records(&self) -> Records<'_> {
        let shared = &self.shared;
        Records::new(
            &shared.store,
            shared.config.agent_id,
            &shared.routes.vocabulary,
            &shared.routes.columns,
        )
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
    stubs: Stubs,
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
    if let Some(response) = inject::before(plan.action.as_ref(), cut.as_ref()).await {
        return response;
    }

    let head_only = request.method() == Method::HEAD;
    let response = handle(
        &shared,
        route,
        &path_params,
        request,
        &counts,
        &mut plan.action,
    )
    .await;
    let response = inject::after(plan.action.as_ref(), response, cut).await;
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
    action: &mut Option<Fault>,
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
    // A stub answers before the handler (see `stubs`).
    let id = route.operation_id.as_str();
    let stubbed = stubs::intercept(&shared.stubs, id, &input, &parts.extensions, action);
    if let Some(response) = stubbed.await {
        return response;
    }
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
        vocabulary: &shared.routes.vocabulary,
        columns: &shared.routes.columns,
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
