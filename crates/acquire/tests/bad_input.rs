//! Bad answers from the server: each becomes a typed error carrying the
//! status and a bounded snippet of the body, never a panic.

mod support;

use std::time::Duration;

use acquire::{CaseId, Client, ContactId, Error, ErrorType, RetryPolicy, SNIPPET_LIMIT};
use support::KEY;
use wiremock::{MockServer, ResponseTemplate};

async fn answering(response: ResponseTemplate) -> (MockServer, Client) {
    let server = support::answering(response).await;
    // These tests are about how each answer maps; retries are tested apart.
    let client = support::configured(&server.uri(), |c| {
        c.with_request_timeout(Duration::from_millis(500))
            .with_retry_policy(RetryPolicy::none())
    });
    (server, client)
}

/// Calls join (a GET) and create (a POST) and returns both errors.
async fn both_fail(response: ResponseTemplate) -> Vec<Error> {
    let (_server, client) = answering(response).await;
    let join = client.cases().join(CaseId(1684)).send().await;
    let create = client.cases().create(ContactId(597752)).send().await;
    [join, create]
        .into_iter()
        .map(|r| match r {
            Ok(case) => panic!("expected an error, got case {}", case.id),
            Err(e) => e,
        })
        .collect()
}

fn assert_no_key(error: &Error) {
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
}

/// The documented answer of `create_case`, as its file writes it (two
/// spaces a level).
fn create_example() -> String {
    let example = support::response_example("create_case", "200", "create");
    serde_json::to_string_pretty(&example).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_status_and_bounded_snippet() {
    let body = create_example();
    let cut = &body[..body.len() / 2];
    for error in both_fail(ResponseTemplate::new(200).set_body_string(cut)).await {
        match &error {
            Error::Decode {
                status,
                reason,
                body,
            } => {
                assert_eq!(*status, Some(200));
                assert!(reason.contains("EOF"), "{reason}");
                assert_eq!(body.total_len(), cut.len());
                assert!(body.as_str().len() <= SNIPPET_LIMIT);
                assert!(body.is_truncated());
                assert!(body.as_str().starts_with("{\n  \"data\""));
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        assert!(!error.is_retryable());
        assert_no_key(&error);
    }
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    for error in both_fail(ResponseTemplate::new(200).set_body_string("{data: nope")).await {
        assert!(
            matches!(&error, Error::Decode { status: Some(200), body, .. } if body.as_str() == "{data: nope"),
            "{error:?}"
        );
        assert!(error.to_string().contains("status 200"), "{error}");
    }
}

#[tokio::test]
async fn a_wrong_type_is_a_decode_error_naming_the_problem() {
    let body = r#"{"data": {"id": "not-a-number"}}"#;
    for error in both_fail(ResponseTemplate::new(200).set_body_string(body)).await {
        match &error {
            Error::Decode {
                status: Some(200),
                reason,
                ..
            } => {
                assert!(reason.contains("invalid type"), "{reason}")
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_empty_success_body_is_a_decode_error() {
    for error in both_fail(ResponseTemplate::new(200)).await {
        assert!(
            matches!(&error, Error::Decode { status: Some(200), body, .. } if body.total_len() == 0),
            "{error:?}"
        );
        assert!(error.to_string().contains("(empty body)"), "{error}");
    }
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_with_the_page_snippet() {
    let page = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(2000)
    );
    // 502 is not in the spec, 503 is (with a JSON body): both must come out alike.
    for status in [502u16, 503] {
        let response = ResponseTemplate::new(status)
            .set_body_raw(page.clone(), "text/html")
            .insert_header("retry-after", "7")
            .insert_header("x-request-id", "req-42");
        for error in both_fail(response).await {
            let api = error
                .api()
                .unwrap_or_else(|| panic!("expected Api, got {error:?}"));
            assert_eq!(api.status, status);
            assert_eq!(api.error_type, None);
            assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
            assert_eq!(api.request_id.as_deref(), Some("req-42"));
            assert!(api.body.as_str().starts_with("<html>"));
            assert_eq!(api.body.as_str().len(), SNIPPET_LIMIT);
            assert!(error.is_retryable());
            assert_no_key(&error);
        }
    }
}

#[tokio::test]
async fn an_empty_error_body_is_an_api_error() {
    for error in both_fail(ResponseTemplate::new(500)).await {
        let api = error
            .api()
            .unwrap_or_else(|| panic!("expected Api, got {error:?}"));
        assert_eq!((api.status, api.body.total_len()), (500, 0));
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn acquires_error_body_gives_type_and_message() {
    let body = serde_json::json!({"status": 400, "type": "ERROR_INVALID_INPUT", "message": "caseId is required"});
    for error in both_fail(ResponseTemplate::new(400).set_body_json(&body)).await {
        let api = error
            .api()
            .unwrap_or_else(|| panic!("expected Api, got {error:?}"));
        assert_eq!(api.status, 400);
        assert_eq!(api.error_type, Some(ErrorType::InvalidInput));
        assert_eq!(api.message.as_deref(), Some("caseId is required"));
        assert_eq!(
            error.to_string(),
            "Acquire answered 400 ERROR_INVALID_INPUT: caseId is required"
        );
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn an_unknown_error_type_is_kept() {
    let body = serde_json::json!({"type": "ERROR_RATE_LIMITED", "message": "slow down"});
    for error in both_fail(ResponseTemplate::new(429).set_body_json(&body)).await {
        let api = error
            .api()
            .unwrap_or_else(|| panic!("expected Api, got {error:?}"));
        assert_eq!(
            api.error_type,
            Some(ErrorType::Unknown("ERROR_RATE_LIMITED".into()))
        );
        assert!(error.is_retryable());
    }
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let slow = ResponseTemplate::new(200)
        .set_body_string(create_example())
        .set_delay(Duration::from_secs(3));
    for error in both_fail(slow).await {
        assert!(matches!(error, Error::Timeout), "{error:?}");
        assert!(error.is_retryable());
    }
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    // The default configuration: a transport failure is retried first.
    let client = support::configured(&support::closed_port_url(), |c| c);
    let error = match client.cases().reject(CaseId(1)).send().await {
        Ok(_) => panic!("nothing listens there"),
        Err(e) => e,
    };
    assert!(
        matches!(&error, Error::Transport { status: None, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_no_key(&error);
}
