//! Retries: counted on the server side, never by the clock.

mod support;

use std::time::Duration;

use acquire::{Case, CaseId, Client, ContactId, Error, RetryPolicy};
use support::sent;
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

/// A server that answers `failures` times with `failure`, then with the
/// documented case.
async fn flaky(failure: ResponseTemplate, failures: u64) -> MockServer {
    let case = ResponseTemplate::new(200).set_body_json(support::documented_case());
    let server = support::answering(case).await;
    Mock::given(any())
        .respond_with(failure)
        .up_to_n_times(failures)
        .with_priority(1)
        .named("failure")
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    support::configured(&server.uri(), |c| c.with_retry_policy(policy))
}

/// Joins a case (a GET) through a client of `server` with `policy`.
async fn join(server: &MockServer, policy: RetryPolicy) -> Result<Case, Error> {
    client(server, policy)
        .cases()
        .join(CaseId(1684))
        .send()
        .await
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_min_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn a_get_is_retried_on_each_retryable_status_and_succeeds() {
    for status in [429u16, 502, 503, 504] {
        let server = flaky(ResponseTemplate::new(status), 2).await;
        let case = join(&server, fast()).await;
        assert!(case.is_ok(), "{status}: {case:?}");
        assert_eq!(
            sent(&server).await,
            3,
            "{status}: two failures, then success"
        );
    }
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = flaky(ResponseTemplate::new(503), 100).await;
    let policy = fast().with_max_attempts(4);
    let error = join(&server, policy).await;
    assert!(
        matches!(&error, Err(Error::Api(api)) if api.status == 503),
        "{error:?}"
    );
    assert_eq!(sent(&server).await, 4);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [400u16, 401, 403, 404, 500] {
        let server = flaky(ResponseTemplate::new(status), 1).await;
        let result = join(&server, fast()).await;
        assert!(result.is_err(), "{status}");
        assert_eq!(sent(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn a_post_answered_with_503_is_never_sent_twice() {
    let server = flaky(ResponseTemplate::new(503), 1).await;
    let c = client(&server, fast());
    let create = c.cases().create(ContactId(597752)).send().await;
    assert!(
        matches!(&create, Err(e) if e.status() == Some(503)),
        "{create:?}"
    );
    let reject = c.cases().reject(CaseId(1684)).send().await;
    assert!(reject.is_ok(), "the 503 was used up by create: {reject:?}");
    assert_eq!(sent(&server).await, 2, "one create, one reject");
}

#[tokio::test]
async fn retry_after_is_read_and_bounded_by_the_total_time() {
    // Retry-After: 0 means now: retried.
    let server = flaky(
        ResponseTemplate::new(503).insert_header("retry-after", "0"),
        1,
    )
    .await;
    let policy = fast()
        .with_min_delay(Duration::from_secs(60))
        .with_max_delay(Duration::from_secs(60));
    let ok = join(&server, policy).await;
    assert!(
        ok.is_ok(),
        "Retry-After 0 replaces the 60 s backoff: {ok:?}"
    );
    assert_eq!(sent(&server).await, 2);

    // Retry-After beyond the total-time bound: no retry, the 503 comes back.
    let server = flaky(
        ResponseTemplate::new(503).insert_header("retry-after", "120"),
        1,
    )
    .await;
    let policy = fast().with_max_elapsed(Duration::from_secs(30));
    let error = join(&server, policy).await;
    match error {
        Err(Error::Api(api)) => assert_eq!(
            (api.status, api.retry_after),
            (503, Some(Duration::from_secs(120)))
        ),
        other => panic!("expected the 503, got {other:?}"),
    }
    assert_eq!(sent(&server).await, 1);
}

#[tokio::test]
async fn no_retry_policy_sends_once() {
    let server = flaky(ResponseTemplate::new(503), 1).await;
    let result = join(&server, RetryPolicy::none()).await;
    assert!(result.is_err());
    assert_eq!(sent(&server).await, 1);
}
