//! The API key never appears when the client, its configuration or any
//! error is formatted (`Display` and `Debug`), even when the server echoes
//! the `Authorization` header back.
//!
//! Every variant of `acquire::Error` is produced for real here; the unit
//! test `error::tests` names them all without a wildcard, so a new variant
//! does not compile until both lists grow.

mod support;

use std::{collections::BTreeSet, time::Duration};

use acquire::{
    query::{CaseColumn, FilterOperator},
    CaseId, Client, ClientConfig, ConfigError, ContactId, Error, RetryPolicy,
};
use support::KEY;
use wiremock::{MockServer, Request, ResponseTemplate};

fn assert_hidden(what: &str, texts: [String; 2]) {
    for text in texts {
        assert!(!text.contains(KEY), "{what} shows the key: {text}");
        assert!(
            !text.contains(&KEY[8..]),
            "{what} shows part of the key: {text}"
        );
    }
}

fn variant(error: &Error) -> &'static str {
    match error {
        Error::Api(_) => "Api",
        Error::Decode { .. } => "Decode",
        Error::Transport { .. } => "Transport",
        Error::ResponseTooLarge { .. } => "ResponseTooLarge",
        Error::Timeout => "Timeout",
        Error::Config(_) => "Config",
        Error::InvalidRequest(_) => "InvalidRequest",
        _ => "a variant this test does not know: add it",
    }
}

/// The `Authorization` header the server received, echoed in `template`.
fn echo(template: &'static str, status: u16) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        ResponseTemplate::new(status)
            .set_body_raw(template.replace("AUTH", &auth), "application/json")
    }
}

async fn echoing(template: &'static str, status: u16) -> MockServer {
    support::answering(echo(template, status)).await
}

fn client_with(server: &MockServer, timeout: Duration) -> Client {
    support::configured(&server.uri(), |c| {
        c.with_retry_policy(RetryPolicy::none())
            .with_request_timeout(timeout)
    })
}

async fn failure(result: Result<impl std::fmt::Debug, Error>) -> Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn every_error_variant_hides_the_key() {
    let mut errors: Vec<(String, Error)> = Vec::new();
    let long = Duration::from_secs(5);

    // Api: JSON error bodies and an HTML page that echo the header, and a
    // long body whose 512-byte snippet is cut inside the key.
    let json = r#"{"type":"AUTH","message":"bad token AUTH"}"#;
    for status in [401u16, 403, 400] {
        let server = echoing(json, status).await;
        let error = failure(
            client_with(&server, long)
                .cases()
                .reject(CaseId(1))
                .send()
                .await,
        )
        .await;
        errors.push((format!("Api {status} JSON"), error));
    }
    let server = echoing("<html><pre>AUTH</pre></html>", 502).await;
    let error = failure(
        client_with(&server, long)
            .messages()
            .get(acquire::MessageId(1))
            .await,
    )
    .await;
    errors.push(("Api 502 HTML".into(), error));
    let padded: &'static str = Box::leak(format!("{}AUTH", "x".repeat(496)).into_boxed_str());
    let server = echoing(padded, 500).await;
    let error = failure(
        client_with(&server, long)
            .notes()
            .get(acquire::NoteId(1))
            .await,
    )
    .await;
    errors.push(("Api with a cut snippet".into(), error));

    // Decode: a success body that is not the documented JSON.
    let server = echoing("{\"data\": AUTH", 200).await;
    let error = failure(
        client_with(&server, long)
            .cases()
            .join(CaseId(1))
            .send()
            .await,
    )
    .await;
    errors.push(("Decode".into(), error));

    // Transport: nothing listens.
    let closed = support::fake_client(&support::closed_port_url());
    let error = failure(closed.snoozes().delete(acquire::SnoozeId(1)).await).await;
    errors.push(("Transport".into(), error));

    // ResponseTooLarge: a body past the client's limit, echoing the key.
    let server = echoing(padded, 200).await;
    let small = support::configured(&server.uri(), |c| {
        c.with_retry_policy(RetryPolicy::none())
            .with_max_response_bytes(64)
    });
    let error = failure(small.cases().get(CaseId(1)).send().await).await;
    errors.push(("ResponseTooLarge".into(), error));

    // Timeout.
    let server =
        support::answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(3))).await;
    let slow = client_with(&server, Duration::from_millis(200));
    let error = failure(slow.cases().get(CaseId(1)).send().await).await;
    errors.push(("Timeout".into(), error));

    // Config: each way the key, or a URL carrying it, can be refused.
    let bad_key = format!("{}\n{}", &KEY[..8], &KEY[8..]);
    let config_errors = [
        ClientConfig::for_account("acme", &bad_key).map(|_| ()),
        ClientConfig::default()
            .with_base_url(&format!("https://user:{KEY}@acme.acquire.io/api/v1"))
            .map(|_| ()),
        ClientConfig::default()
            .with_base_url(&format!("https://acme.acquire.io/api/v1?key={KEY}"))
            .map(|_| ()),
        ClientConfig::from_lookup(|name| match name {
            "ACQUIRE_API_KEY" => Some(bad_key.clone()),
            "ACQUIRE_ACCOUNT_ID" => Some("acme".into()),
            _ => None,
        })
        .map(|_| ()),
        ClientConfig::from_lookup(|name| (name == "ACQUIRE_ACCOUNT_ID").then(|| KEY.to_owned()))
            .map(|_| ()),
    ];
    for (i, result) in config_errors.into_iter().enumerate() {
        let error = failure(result).await;
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        errors.push((format!("Config #{i}"), error));
    }
    let kinds: BTreeSet<String> = errors
        .iter()
        .filter_map(|(_, e)| match e {
            Error::Config(c) => Some(
                format!("{c:?}")
                    .split(['(', ' '])
                    .next()
                    .unwrap_or("")
                    .to_owned(),
            ),
            _ => None,
        })
        .collect();
    assert!(
        kinds.contains("InvalidApiKey") && kinds.contains("InvalidBaseUrl"),
        "{kinds:?}"
    );
    let direct = ConfigError::InvalidVariable {
        name: "ACQUIRE_API_KEY",
        reason: "contains characters that cannot be sent".into(),
    };
    errors.push(("Config InvalidVariable".into(), Error::Config(direct)));

    // InvalidRequest: a filter value that cannot be sent, even one that
    // carries the key.
    let server = support::server().await;
    let client = support::client(&server);
    let filter = format!("{KEY}|x");
    let error = failure(
        client
            .cases()
            .list()
            .filter(CaseColumn::Title, FilterOperator::Eq, &filter)
            .send()
            .await,
    )
    .await;
    errors.push(("InvalidRequest".into(), error));
    let error = failure(
        client
            .messages()
            .send_email(
                CaseId(1),
                ContactId(2),
                "s@example.com",
                Vec::<String>::new(),
            )
            .send()
            .await,
    )
    .await;
    errors.push(("InvalidRequest (no recipient)".into(), error));
    assert_eq!(support::sent(&server).await, 0);

    let mut covered = BTreeSet::new();
    for (what, error) in &errors {
        covered.insert(variant(error));
        assert_hidden(what, [format!("{error}"), format!("{error:?}")]);
    }
    let expected: BTreeSet<_> = [
        "Api",
        "Decode",
        "Transport",
        "ResponseTooLarge",
        "Timeout",
        "Config",
        "InvalidRequest",
    ]
    .into();
    assert_eq!(covered, expected);

    // The echoed bodies really reached the errors, redacted.
    let api = errors[0]
        .1
        .api()
        .unwrap_or_else(|| panic!("{:?}", errors[0].1));
    assert_eq!(api.message.as_deref(), Some("bad token Bearer <redacted>"));
}

#[test]
fn the_client_and_its_config_hide_the_key() {
    let config = ClientConfig::for_account("acme", KEY).unwrap_or_else(|e| panic!("{e}"));
    let client = Client::with_config(config.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_hidden("config", [format!("{config:?}"), format!("{config:#?}")]);
    assert_hidden("client", [format!("{client:?}"), format!("{client:#?}")]);
    assert_hidden(
        "builder",
        [
            format!("{:?}", client.cases().create(ContactId(1))),
            format!(
                "{:?}",
                client
                    .cases()
                    .list()
                    .filter(CaseColumn::Id, FilterOperator::Eq, 1)
            ),
        ],
    );
}
