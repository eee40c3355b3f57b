//! The limit on a response body's size, enforced while the body streams in.
//!
//! Every response passes through [`limited`] in the exec hook, before any
//! code reads its body: the body the generated client (or a caller) then
//! reads is a stream that stops with [`ResponseTooLarge`] as soon as more
//! than the limit has arrived, and a `Content-Length` above the limit fails
//! before a byte is read. So a body past the limit is never buffered beyond
//! it, whatever reads it: the JSON decoding of a success, of a documented
//! error, or the raw read of an undocumented answer.

use std::{error::Error as StdError, fmt};

use bytes::{Bytes, BytesMut};
use futures::stream;
use reqwest::ResponseBuilderExt;

/// The default limit on a response body: 16 MiB, far above any documented
/// answer (a page of 300 cases with their relations is a few MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// A response body larger than the client's limit. It is not retried:
/// sending the request again would only fetch the same body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The limit, in bytes.
    pub limit: u64,
    /// The size the response declared (`Content-Length`), when it did.
    pub declared: Option<u64>,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the limit of {} bytes",
            self.limit
        )?;
        if let Some(declared) = self.declared {
            write!(f, " (Content-Length {declared})")?;
        }
        Ok(())
    }
}

impl StdError for ResponseTooLarge {}

impl ResponseTooLarge {
    /// The `ResponseTooLarge` among `error` and its sources, if any: how a
    /// reqwest error from reading a limited body is recognised.
    pub fn find(error: &(dyn StdError + 'static)) -> Option<Self> {
        let mut current = Some(error);
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<ResponseTooLarge>() {
                return Some(*found);
            }
            current = e.source();
        }
        None
    }
}

/// The response with its body limited to `limit` bytes.
pub(crate) fn limited(response: reqwest::Response, limit: u64) -> reqwest::Response {
    let declared = response.content_length();
    let too_large = ResponseTooLarge { limit, declared };
    if declared.is_some_and(|n| n > limit) {
        // Fails before reading: dropping the original body closes the
        // connection instead of draining it.
        return rebuild(
            &response,
            reqwest::Body::wrap_stream(stream::iter([Err::<Bytes, _>(too_large)])),
        );
    }
    let head = response_head(&response);
    let chunks = stream::unfold((Some(response), 0u64), move |(response, seen)| async move {
        let mut response = response?;
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let seen = seen.saturating_add(chunk.len() as u64);
                if seen > limit {
                    // Stop here: the rest is never read.
                    let error: Box<dyn StdError + Send + Sync> = Box::new(too_large);
                    Some((Err(error), (None, seen)))
                } else {
                    Some((Ok(chunk), (Some(response), seen)))
                }
            }
            Ok(None) => None,
            Err(e) => Some((Err(Box::new(e) as _), (None, seen))),
        }
    });
    head.build(reqwest::Body::wrap_stream(chunks))
}

/// Reads the whole body of a (limited) response into memory and returns an
/// equivalent response holding the bytes, and the bytes; used for idempotent requests, so
/// a body cut off mid-way is a transport error the retry policy can act on.
/// A body past the limit is not an error here (retrying cannot help): the
/// returned response's body then fails with [`ResponseTooLarge`] when read.
pub(crate) async fn buffered(
    mut response: reqwest::Response,
) -> reqwest::Result<(reqwest::Response, Option<Bytes>)> {
    let head = response_head(&response);
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => match ResponseTooLarge::find(&e) {
                Some(too_large) => {
                    let failing = stream::iter([Err::<Bytes, _>(too_large)]);
                    return Ok((head.build(reqwest::Body::wrap_stream(failing)), None));
                }
                None => return Err(e),
            },
        }
    }
    let body = body.freeze();
    Ok((head.build(reqwest::Body::from(body.clone())), Some(body)))
}

/// What a rebuilt response keeps of the original: status, version, URL and
/// headers.
struct Head {
    status: reqwest::StatusCode,
    version: reqwest::Version,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
}

fn response_head(response: &reqwest::Response) -> Head {
    Head {
        status: response.status(),
        version: response.version(),
        url: response.url().clone(),
        headers: response.headers().clone(),
    }
}

fn rebuild(response: &reqwest::Response, body: reqwest::Body) -> reqwest::Response {
    response_head(response).build(body)
}

impl Head {
    fn build(self, body: reqwest::Body) -> reqwest::Response {
        let mut builder = http::Response::builder()
            .status(self.status)
            .version(self.version)
            .url(self.url);
        if let Some(slot) = builder.headers_mut() {
            *slot = self.headers.clone();
        }
        // The builder fails only on values that did not come from a
        // response; the fallback keeps status and headers all the same.
        let mut response = match builder.body(()) {
            Ok(response) => response.map(|()| body),
            Err(_) => http::Response::new(body),
        };
        *response.status_mut() = self.status;
        *response.version_mut() = self.version;
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}
