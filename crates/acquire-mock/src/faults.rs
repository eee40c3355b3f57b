//! Fault injection: per operation, set from the library or (when enabled)
//! from a request header.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

/// The request header that asks for faults when the server was started with
/// faults enabled ([`MockConfig::with_faults_enabled`](crate::MockConfig::with_faults_enabled),
/// `--faults`). Its value is `;`-separated items:
///
/// - `status=503` answers with this status and Acquire's error body,
///   `retry-after=1` adds `Retry-After: 1`;
/// - `delay-ms=250` waits before handling the request;
/// - `drop` closes the connection without a response, before the request has
///   any effect; `drop-after` closes it after the request took effect;
/// - `truncate` sends the real response's headers and only half its body,
///   then closes the connection;
/// - `invalid-json` sends the real response's status with a body that is not
///   JSON (the request took effect);
/// - `html=502` answers with this status and an HTML error page, as a proxy
///   or load balancer in front of Acquire would, before the request has any
///   effect;
/// - `endless` answers 200 with a chunked JSON body that never ends (see
///   [`Fault::Endless`]), before the request has any effect.
///
/// Example: `x-mock-fault: delay-ms=100;status=503;retry-after=1`. Without
/// faults enabled the header is ignored; with them, an unreadable value is a
/// 400 naming the header.
pub const FAULT_HEADER: &str = "x-mock-fault";

/// One fault for one request.
///
/// Arm one with [`Faults::inject`] for the next `times` requests of an
/// operation (`times` 1: fail once, then answer normally, which is how a
/// client's retry is shown to succeed) or with [`Faults::inject_always`].
///
/// Which fault stands for which failure a client meets:
///
/// | failure | fault | did the request take effect? |
/// |---|---|---|
/// | an error status (429 with `Retry-After`, 500, 502, 503, 504) | [`Fault::Status`] | no |
/// | connection reset before the answer | [`Fault::Drop`] | no |
/// | response lost after the work was done | [`Fault::DropAfter`] | yes |
/// | read timeout | [`Fault::Delay`] longer than the client's timeout | yes, late |
/// | body cut off mid-way | [`Fault::Truncate`] | yes |
/// | a 200 whose body is not JSON | [`Fault::InvalidJson`] | yes |
/// | a proxy's HTML error page | [`Fault::Html`] | no |
/// | a body that never ends | [`Fault::Endless`] | no |
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status (and Acquire's error body for it) without
    /// handling the request. A status outside 100..=599 is sent as 500.
    Status {
        /// The HTTP status.
        status: u16,
        /// Seconds for a `Retry-After` header, if any.
        retry_after: Option<u64>,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Close the connection without any response; the request has no effect.
    Drop,
    /// Handle the request (it takes effect), then close the connection
    /// without a response: a lost response.
    DropAfter,
    /// Handle the request, send the headers (with the full
    /// `Content-Length`) and half the body, then close the connection.
    Truncate,
    /// Handle the request (it takes effect), then send its status and
    /// headers (`Content-Type: application/json` included) with
    /// [`INVALID_JSON_BODY`], which is not JSON, instead of its body.
    InvalidJson,
    /// Answer with this status and an HTML error page
    /// (`Content-Type: text/html`), as a proxy or load balancer in front of
    /// Acquire would, without handling the request. A status outside
    /// 100..=599 is sent as 502.
    Html {
        /// The HTTP status.
        status: u16,
    },
    /// Answer 200 (`Content-Type: application/json`, chunked, no
    /// `Content-Length`) with a body that starts like a JSON document
    /// ([`ENDLESS_BODY_START`]) and never ends, without handling the
    /// request: what a broken proxy or a captive portal can send. Bytes
    /// are streamed from one static buffer until the client hangs up, so
    /// the server's memory does not grow with what it sent.
    Endless,
}

/// How [`Fault::Endless`]'s body starts; a string that never closes follows.
pub const ENDLESS_BODY_START: &str = r#"{"data":""#;

/// One chunk of [`Fault::Endless`]'s body after its start: 64 KiB of `x`.
static ENDLESS_CHUNK: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// The response of [`Fault::Endless`]: 200, JSON, a body streamed from
/// static bytes until the connection ends.
pub(crate) fn endless_body() -> axum::response::Response {
    use axum::{body::Body, body::Bytes, http::header};
    let start = futures::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(
        Bytes::from_static(ENDLESS_BODY_START.as_bytes()),
    )));
    let rest = futures::stream::repeat_with(|| Ok(Bytes::from_static(&ENDLESS_CHUNK)));
    let mut response =
        axum::response::Response::new(Body::from_stream(futures::StreamExt::chain(start, rest)));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The body [`Fault::InvalidJson`] sends: it starts like Acquire's envelope
/// and then stops being JSON.
pub const INVALID_JSON_BODY: &str = r#"{"data": {"id": 1684, "status": active}"#;

/// The page [`Fault::Html`] sends for `status` (nginx's style).
pub(crate) fn html_page(status: u16, reason: &str) -> String {
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n"
    )
}

/// What to do to one request: an optional delay, then at most one action.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub delay: Option<Duration>,
    pub action: Option<Fault>,
}

impl Plan {
    fn add(&mut self, fault: Fault) {
        match fault {
            Fault::Delay(d) => self.delay = Some(self.delay.unwrap_or_default() + d),
            other => {
                if self.action.is_none() {
                    self.action = Some(other);
                }
            }
        }
    }

    /// Parses the value of [`FAULT_HEADER`].
    pub fn parse(value: &str) -> Result<Self, String> {
        let mut plan = Plan::default();
        let mut status = None;
        let mut retry_after = None;
        for item in value.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (key, val) = match item.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim())),
                None => (item.to_ascii_lowercase(), None),
            };
            let number = |what: &str| -> Result<u64, String> {
                val.and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| format!("{FAULT_HEADER}: `{what}` needs a whole number"))
            };
            match (key.as_str(), val) {
                ("status", _) => {
                    let code = number("status")?;
                    if !(100..=599).contains(&code) {
                        return Err(format!("{FAULT_HEADER}: status must be 100..=599"));
                    }
                    status = Some(code as u16);
                }
                ("retry-after", _) => retry_after = Some(number("retry-after")?),
                ("delay-ms", _) => {
                    let ms = number("delay-ms")?.min(60_000);
                    plan.add(Fault::Delay(Duration::from_millis(ms)));
                }
                ("drop", None) => plan.add(Fault::Drop),
                ("drop-after", None) => plan.add(Fault::DropAfter),
                ("truncate", None) => plan.add(Fault::Truncate),
                ("invalid-json", None) => plan.add(Fault::InvalidJson),
                ("endless", None) => plan.add(Fault::Endless),
                ("html", _) => {
                    let code = number("html")?;
                    if !(100..=599).contains(&code) {
                        return Err(format!("{FAULT_HEADER}: html must be 100..=599"));
                    }
                    plan.add(Fault::Html {
                        status: code as u16,
                    });
                }
                _ => return Err(format!("{FAULT_HEADER}: unknown item `{item}`")),
            }
        }
        match (status, retry_after) {
            (Some(status), retry_after) => plan.add(Fault::Status {
                status,
                retry_after,
            }),
            (None, Some(_)) => {
                return Err(format!("{FAULT_HEADER}: `retry-after` needs `status`"));
            }
            (None, None) => {}
        }
        Ok(plan)
    }
}

#[derive(Debug)]
struct Armed {
    fault: Fault,
    /// `None`: every request.
    remaining: Option<u32>,
}

/// The faults armed on a running server, per `operationId`. Cheap to clone;
/// clones share the same faults.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    armed: Arc<Mutex<HashMap<String, VecDeque<Armed>>>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, VecDeque<Armed>>> {
        self.armed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies `fault` to the next `times` requests of `operation_id`
    /// (after the faults already armed for it). `times` 0 arms nothing.
    pub fn inject(&self, operation_id: &str, fault: Fault, times: u32) {
        if times == 0 {
            return;
        }
        self.push(operation_id, fault, Some(times));
    }

    /// Applies `fault` to every later request of `operation_id`, until
    /// [`clear`](Self::clear).
    pub fn inject_always(&self, operation_id: &str, fault: Fault) {
        self.push(operation_id, fault, None);
    }

    fn push(&self, operation_id: &str, fault: Fault, remaining: Option<u32>) {
        self.lock()
            .entry(operation_id.to_owned())
            .or_default()
            .push_back(Armed { fault, remaining });
    }

    /// Removes every armed fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many requests of `operation_id` still get a fault (`None`: some
    /// fault applies to every request).
    pub fn pending(&self, operation_id: &str) -> Option<u32> {
        let armed = self.lock();
        let Some(queue) = armed.get(operation_id) else {
            return Some(0);
        };
        queue
            .iter()
            .try_fold(0u32, |sum, a| a.remaining.map(|r| sum.saturating_add(r)))
    }

    /// Takes the fault for one request of `operation_id`, if any.
    pub(crate) fn take(&self, operation_id: &str) -> Option<Fault> {
        let mut armed = self.lock();
        let queue = armed.get_mut(operation_id)?;
        let front = queue.front_mut()?;
        let fault = front.fault.clone();
        if let Some(remaining) = front.remaining.as_mut() {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                queue.pop_front();
            }
        }
        if queue.is_empty() {
            armed.remove(operation_id);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_items() {
        let plan = Plan::parse("delay-ms=5; status=503;retry-after=2").unwrap();
        assert_eq!(plan.delay, Some(Duration::from_millis(5)));
        assert_eq!(
            plan.action,
            Some(Fault::Status {
                status: 503,
                retry_after: Some(2)
            })
        );
        assert_eq!(Plan::parse("drop").unwrap().action, Some(Fault::Drop));
        assert_eq!(
            Plan::parse("TRUNCATE").unwrap().action,
            Some(Fault::Truncate)
        );
        assert_eq!(
            Plan::parse("invalid-json").unwrap().action,
            Some(Fault::InvalidJson)
        );
        assert_eq!(Plan::parse("endless").unwrap().action, Some(Fault::Endless));
        assert_eq!(
            Plan::parse("html=502").unwrap().action,
            Some(Fault::Html { status: 502 })
        );
        for bad in [
            "html",
            "html=700",
            "invalid-json=1",
            "endless=1",
            "status=abc",
            "status=99",
            "retry-after=1",
            "explode",
            "drop=1",
            "delay-ms=-1",
        ] {
            assert!(Plan::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn armed_faults_run_out() {
        let faults = Faults::default();
        faults.inject("a", Fault::Drop, 2);
        faults.inject("a", Fault::Truncate, 1);
        assert_eq!(faults.pending("a"), Some(3));
        assert_eq!(faults.take("a"), Some(Fault::Drop));
        assert_eq!(faults.take("a"), Some(Fault::Drop));
        assert_eq!(faults.take("a"), Some(Fault::Truncate));
        assert_eq!(faults.take("a"), None);
        assert_eq!(faults.take("b"), None);
        faults.inject_always("b", Fault::Drop);
        assert_eq!(faults.pending("b"), None);
        assert_eq!(faults.take("b"), Some(Fault::Drop));
        assert_eq!(faults.take("b"), Some(Fault::Drop));
        faults.clear();
        assert_eq!(faults.take("b"), None);
    }
}
