//! Retries, added once for every operation through the `exec` hook.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::Method;

/// The statuses after which a repeatable request is sent again: too many
/// requests, and a gateway or the service being unavailable for a moment.
pub const RETRYABLE_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// When and how often a request is sent again.
///
/// Only requests that are safe to repeat are retried after an answer:
/// `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE`, on 429, 502, 503 and 504 or
/// on a transport failure. A `POST` is retried only when the connection
/// could not be opened, so it provably never reached the server: a case or
/// message is never created twice.
///
/// A transport failure includes a body cut off after the headers: the body
/// of a repeatable request is read inside the attempt, so that case is
/// retried too. A `DELETE` whose answer was lost after it took effect is
/// sent again and then reports the record gone (Acquire answers an unknown
/// id with `ERROR_RECORD_NOT_FOUND`): the record is deleted once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    min_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, exponential backoff with jitter from 200 ms to 5 s, at
    /// most 30 s spent in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `attempts` sends of one request (1 = no retry).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff delay; later ones grow exponentially, with jitter.
    pub fn with_min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The longest single backoff delay.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// No retry starts once this much time has passed since the first
    /// attempt, nor when the wait it needs (backoff or `Retry-After`) would
    /// pass it.
    pub fn with_max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The most sends of one request.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    fn backoff(&self) -> impl Iterator<Item = Duration> {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_jitter()
            .without_max_times()
            .build()
    }

    /// Sends `request` through `send` until it succeeds, fails for good, or
    /// the policy is spent. `send` gets each copy with its attempt number
    /// (1, 2, ...). Returns the last outcome and the attempt count.
    pub(crate) async fn run<F, Fut>(
        &self,
        request: reqwest::Request,
        send: F,
    ) -> (reqwest::Result<reqwest::Response>, u32)
    where
        F: Fn(reqwest::Request, u32) -> Fut,
        Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    {
        let idempotent = is_idempotent(request.method());
        let started = Instant::now();
        let mut delays = self.backoff();
        let mut attempt = 0;
        loop {
            attempt += 1;
            // A body that cannot be replayed (a stream) is sent once.
            let Some(copy) = request.try_clone() else {
                return (send(request, attempt).await, attempt);
            };
            let outcome = send(copy, attempt).await;
            if attempt >= self.max_attempts || !should_retry(&outcome, idempotent) {
                return (outcome, attempt);
            }
            let backoff = delays.next().unwrap_or(self.max_delay);
            let wait = match &outcome {
                Ok(response) => {
                    crate::Exchange::from_headers(response.status().as_u16(), response.headers())
                        .retry_after
                        .unwrap_or(backoff)
                }
                Err(_) => backoff,
            };
            if started.elapsed() + wait > self.max_elapsed {
                return (outcome, attempt);
            }
            tracing::debug!(
                target: "acquire_api",
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }
}

/// Whether sending `method` twice has the effect of sending it once.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
    )
}

fn should_retry(outcome: &reqwest::Result<reqwest::Response>, idempotent: bool) -> bool {
    match outcome {
        Ok(response) => idempotent && RETRYABLE_STATUSES.contains(&response.status().as_u16()),
        // Never connected: the server cannot have acted on it.
        Err(e) if e.is_connect() => true,
        // `is_decode` here is a body that could not be read to its end (the
        // exec hook reads idempotent bodies; JSON is decoded later).
        Err(e) => idempotent && (e.is_timeout() || e.is_request() || e.is_body() || e.is_decode()),
    }
}
