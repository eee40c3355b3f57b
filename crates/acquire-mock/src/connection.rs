//! One connection: the HTTP/1 settings it is served with, its idle
//! timeout, and the [`Cut`] a fault uses to close it without an answer.

use std::{
    convert::Infallible,
    pin::Pin,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    response::Response,
    Router,
};
use hyper::{
    body::{Frame, SizeHint},
    server::conn::http1,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    net::TcpStream,
    sync::{Notify, OwnedSemaphorePermit},
    time::Instant,
};
use tower::ServiceExt;

use crate::config::MockConfig;

/// Set on each request: cutting it closes its connection with no response.
#[derive(Clone)]
pub(crate) struct Cut(Arc<Notify>);

impl Cut {
    /// Closes the connection; never returns.
    pub(crate) async fn now(&self) -> Response {
        self.0.notify_one();
        std::future::pending().await
    }
}

/// hyper's default limit on a connection's read buffer (`max_buf_size`,
/// 8 KiB + 400 KiB in hyper 1.x): reading headers stops there (431) whatever
/// `max_header_size` says, so a larger header limit raises it.
const HYPER_DEFAULT_MAX_BUF_SIZE: usize = 8192 + 4096 * 100;

/// The HTTP/1 settings every connection is served with.
pub(crate) fn http1_builder(config: &MockConfig) -> http1::Builder {
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

/// Serves one connection until it ends, is cut (a fault), or has been
/// idle for `idle_timeout`; its slot is freed on return.
pub(crate) async fn serve_connection(
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
