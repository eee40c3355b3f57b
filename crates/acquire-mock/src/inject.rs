//! Applying a fault to one request: what is answered in its place before
//! its handler runs ([`before`]), and what is done to its answer after
//! ([`after`]). Faults armed through [`Faults`](crate::Faults), asked for
//! by the fault header, or answered by a stub all go through here.

use std::convert::Infallible;

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{
    connection::Cut,
    error::ApiError,
    faults::{endless_body, html_page, Fault, INVALID_JSON_BODY},
};

/// The answer `action` gives instead of the request's (the request then
/// has no effect), or `None` when the request is to be handled.
pub(crate) async fn before(action: Option<&Fault>, cut: Option<&Cut>) -> Option<Response> {
    match action {
        Some(Fault::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(*status)
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
            error.retry_after = *retry_after;
            Some(error.into_response())
        }
        Some(Fault::Html { status }) => {
            let status = StatusCode::from_u16(*status)
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
            Some(response)
        }
        Some(Fault::Endless) => Some(endless_body()),
        Some(Fault::Drop) => match cut {
            Some(cut) => Some(cut.now().await),
            None => None,
        },
        _ => None,
    }
}

/// The handled request's `response` as `action` turns it.
pub(crate) async fn after(
    action: Option<&Fault>,
    response: Response,
    cut: Option<Cut>,
) -> Response {
    match action {
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
