//! Construction: environment variables, base URL rules, secret redaction.

use std::collections::HashMap;

use acquire::{Client, ClientConfig, ConfigError, Error};

const KEY: &str = "sk-live-0123456789abcdef";

fn from(vars: &[(&str, &str)]) -> Result<ClientConfig, Error> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    ClientConfig::from_lookup(|name| map.get(name).cloned())
}

fn config_error(result: Result<ClientConfig, Error>) -> ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn missing_variables_are_named() {
    assert_eq!(
        config_error(from(&[])),
        ConfigError::MissingVariable("ACQUIRE_API_KEY")
    );
    assert_eq!(
        config_error(from(&[("ACQUIRE_API_KEY", KEY)])),
        ConfigError::MissingVariable("ACQUIRE_ACCOUNT_ID")
    );
    assert_eq!(
        config_error(from(&[
            ("ACQUIRE_API_KEY", "  "),
            ("ACQUIRE_ACCOUNT_ID", "acme")
        ])),
        ConfigError::MissingVariable("ACQUIRE_API_KEY")
    );
}

#[test]
fn invalid_variables_are_named_without_echoing_the_key() {
    let cases = [
        (
            vec![
                ("ACQUIRE_API_KEY", KEY),
                ("ACQUIRE_ACCOUNT_ID", "acme.evil.com/"),
            ],
            "ACQUIRE_ACCOUNT_ID",
        ),
        (
            vec![("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", "not a url")],
            "ACQUIRE_BASE_URL",
        ),
        (
            vec![
                ("ACQUIRE_API_KEY", KEY),
                ("ACQUIRE_BASE_URL", "http://example.com/api/v1"),
            ],
            "ACQUIRE_BASE_URL",
        ),
        (
            vec![
                ("ACQUIRE_API_KEY", "bad\nkey-0123456789abcdef"),
                ("ACQUIRE_ACCOUNT_ID", "acme"),
            ],
            "ACQUIRE_API_KEY",
        ),
        (
            vec![
                ("ACQUIRE_API_KEY", "bad\nkey-0123456789abcdef"),
                ("ACQUIRE_BASE_URL", "https://x.test"),
            ],
            "ACQUIRE_API_KEY",
        ),
    ];
    for (vars, name) in cases {
        let error = config_error(from(&vars));
        match &error {
            ConfigError::InvalidVariable { name: got, .. } => assert_eq!(*got, name, "{error}"),
            other => panic!("expected InvalidVariable({name}), got {other:?}"),
        }
        assert!(!error.to_string().contains("0123456789abcdef"), "{error}");
    }
}

#[test]
fn the_account_builds_the_https_url_and_base_url_overrides_it() {
    let account = from(&[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_ACCOUNT_ID", "acme")]);
    assert_eq!(
        account.map(|c| c.base_url().to_owned()).ok().as_deref(),
        Some("https://acme.acquire.io/api/v1")
    );
    let local = from(&[
        ("ACQUIRE_API_KEY", KEY),
        ("ACQUIRE_ACCOUNT_ID", "acme"),
        ("ACQUIRE_BASE_URL", "http://127.0.0.1:8080/api/v1/"),
    ]);
    assert_eq!(
        local.map(|c| c.base_url().to_owned()).ok().as_deref(),
        Some("http://127.0.0.1:8080/api/v1")
    );
}

#[test]
fn plain_http_is_refused_unless_loopback() {
    for ok in [
        "http://localhost:1/api/v1",
        "http://127.0.0.1:1",
        "http://[::1]:1",
        "https://a.example",
    ] {
        assert!(ClientConfig::default().with_base_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://10.0.0.1/api/v1",
        "http://example.com",
        "ftp://example.com",
        "https://u:p@example.com",
    ] {
        assert!(
            matches!(
                ClientConfig::default().with_base_url(bad),
                Err(Error::Config(
                    ConfigError::InsecureBaseUrl(_) | ConfigError::InvalidBaseUrl(_)
                ))
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_key_never_appears_in_debug_output() {
    let config = ClientConfig::for_account("acme", KEY).unwrap_or_else(|e| panic!("{e}"));
    let client = Client::with_config(config.clone()).unwrap_or_else(|e| panic!("{e}"));
    for text in [
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{:?}", client.api()),
    ] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("0123456789abcdef"), "{text}");
    }
    assert!(format!("{config:?}").contains("<redacted>"));
}
