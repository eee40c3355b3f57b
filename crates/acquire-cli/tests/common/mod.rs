//! Running the built `acquire` binary, and servers to point it at.

#![allow(dead_code)] // each test file uses its own part

use std::time::Duration;

use acquire_mock::{MockConfig, MockServer, RunningServer};
use assert_cmd::Command;

/// The key the fake accepts.
pub const KEY: &str = "cli-test-key-5d1c";

/// `acquire messages email` with every input the reference requires but
/// the recipients (`--to`): case 1702, contact 597752, from
/// `support@example.acquire.io`.
pub const EMAIL_FROM_SUPPORT: &[&str] = &[
    "messages",
    "email",
    "1702",
    "--contact-id",
    "597752",
    "--from",
    "support@example.acquire.io",
];

/// The flags of `acquire messages sms` for the documented route (from
/// `+15005550006` to `+14155550123`, contact 597760, thread 1710, timeline
/// 5120): every input the reference requires but the text.
pub const SMS_ROUTE: &[&str] = &[
    "--from",
    "+15005550006",
    "--to",
    "+14155550123",
    "--contact-id",
    "597760",
    "--thread-id",
    "1710",
    "--timeline-id",
    "5120",
];

/// `acquire notes add-message` with every input the reference requires:
/// the reply "Refund issued." to note 310 for contact 597752.
pub const NOTE_REPLY: &[&str] = &[
    "notes",
    "add-message",
    "310",
    "Refund issued.",
    "--contact-id",
    "597752",
];

/// What a run of the binary left.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit code 0 and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        &self.stdout
    }

    /// Asserts `code`, one line on stderr and nothing on stdout; returns
    /// that line.
    #[track_caller]
    pub fn failed(&self, code: i32) -> &str {
        assert_eq!(
            self.code,
            Some(code),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        assert_eq!(self.stdout, "", "a failure prints nothing on stdout");
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one line: {:?}",
            self.stderr
        );
        self.stderr.trim_end()
    }

    /// Stdout parsed as one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// Stdout parsed as JSON lines.
    #[track_caller]
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.ok()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// Runs `acquire args` with only the `ACQUIRE_*` variables of `env`.
pub fn acquire(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = match Command::cargo_bin("acquire") {
        Ok(command) => command,
        Err(e) => panic!("{e}"),
    };
    command
        .args(args)
        .env_remove("ACQUIRE_ACCOUNT_ID")
        .env_remove("ACQUIRE_API_KEY")
        .env_remove("ACQUIRE_BASE_URL")
        .timeout(Duration::from_secs(60));
    for (k, v) in env {
        command.env(k, v);
    }
    let output = match command.output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run acquire: {e}"),
    };
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A fake Acquire server with the seed data, on its own runtime so tests
/// can block on the binary while it serves.
pub struct Fake {
    pub server: RunningServer,
    runtime: tokio::runtime::Runtime,
}

impl Fake {
    pub fn start() -> Self {
        Self::start_with(MockConfig::default())
    }

    /// A fake from `config`, with [`KEY`].
    pub fn start_with(config: MockConfig) -> Self {
        let runtime = server_runtime();
        let server = runtime
            .block_on(MockServer::start(config.with_api_key(KEY)))
            .unwrap_or_else(|e| panic!("cannot start the fake: {e}"));
        Self { server, runtime }
    }

    /// Runs `acquire args` against this server with the right key.
    pub fn acquire(&self, args: &[&str]) -> Run {
        self.acquire_with_key(args, KEY)
    }

    /// Runs `acquire args` against this server with `key`.
    pub fn acquire_with_key(&self, args: &[&str], key: &str) -> Run {
        acquire(
            args,
            &[
                ("ACQUIRE_API_KEY", key),
                ("ACQUIRE_BASE_URL", self.server.base_url()),
            ],
        )
    }

    pub fn stop(self) {
        self.runtime.block_on(self.server.shutdown());
    }
}

/// The path below which a [`Wire`] server receives the API's requests,
/// as on Acquire's hosts.
pub const BASE_PATH: &str = "/api/v1";

/// A runtime of its own for a server, so tests can block on the binary
/// while it serves.
fn server_runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => panic!("{e}"),
    }
}

/// The workspace's wiremock harness (`acquire_tests::wire::server`: a
/// request no mock matches is answered `UNMATCHED`) on its own runtime, for
/// request-mapping tests.
pub struct Wire {
    pub server: wiremock::MockServer,
    runtime: tokio::runtime::Runtime,
}

impl Wire {
    pub fn start() -> Self {
        let runtime = server_runtime();
        let server = runtime.block_on(acquire_tests::wire::server());
        Self { server, runtime }
    }

    /// Mounts `mock`.
    pub fn mount(&self, mock: wiremock::Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    /// The base URL the binary is given: the server's, below
    /// [`BASE_PATH`].
    fn base_url(&self) -> String {
        format!("{}{BASE_PATH}", self.server.uri())
    }

    /// Runs `acquire args` against this server.
    pub fn acquire(&self, args: &[&str]) -> Run {
        let base = self.base_url();
        acquire(
            args,
            &[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", &base)],
        )
    }

    /// Starts `acquire args` against this server, stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        let base = self.base_url();
        std::process::Command::new(env!("CARGO_BIN_EXE_acquire"))
            .args(args)
            .env_remove("ACQUIRE_ACCOUNT_ID")
            .env("ACQUIRE_API_KEY", KEY)
            .env("ACQUIRE_BASE_URL", base)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run acquire: {e}"))
    }

    /// The requests received so far, one a line: method, URL and body.
    pub fn received(&self) -> String {
        self.runtime
            .block_on(acquire_tests::wire::describe_requests(&self.server))
    }

    /// Checks every mock's expectations (`expect(n)`).
    pub fn verify(&self) {
        self.runtime.block_on(self.server.verify());
    }
}

/// The arguments as a shell would need them written.
pub fn shell(args: &[&str]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.,+@:/".contains(c))
            {
                (*a).to_owned()
            } else {
                format!("'{a}'")
            }
        })
        .collect();
    quoted.join(" ")
}

/// CSV text read back with the `csv` crate: the header row and the rows.
#[track_caller]
pub fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.iter().map(str::to_owned).collect(),
        Err(e) => panic!("{e}: {text}"),
    };
    let rows = reader
        .records()
        .map(|row| match row {
            Ok(row) => row.iter().map(str::to_owned).collect(),
            Err(e) => panic!("{e}: {text}"),
        })
        .collect();
    (header, rows)
}

/// Asserts that the CSV has one row per JSON record, in order, and that
/// every column naming a member of the records (a dotted path such as
/// `lastMessage.message`) holds the member's value: text as is, numbers
/// and booleans as JSON writes them, null or absent as an empty field.
/// Columns that name an object or an array, or no member of any record
/// while holding values (`participants`, made of several members), are
/// skipped. Returns the columns compared.
#[track_caller]
pub fn assert_csv_has_json_records(text: &str, records: &[serde_json::Value]) -> Vec<String> {
    use serde_json::Value;
    let (header, rows) = read_csv(text);
    assert_eq!(rows.len(), records.len(), "one row per record: {text}");
    let member = |record: &Value, name: &str| -> Option<Value> {
        name.split('.')
            .try_fold(record, |value, key| value.get(key))
            .cloned()
    };
    let mut compared = Vec::new();
    for (column, name) in header.iter().enumerate() {
        let values: Vec<Option<Value>> = records.iter().map(|r| member(r, name)).collect();
        let composite = values
            .iter()
            .any(|v| matches!(v, Some(Value::Array(_) | Value::Object(_))));
        // A name no record has, on fields that are not all empty: a value
        // of its own (`participants`), not a member.
        let own = values.iter().all(Option::is_none)
            && rows
                .iter()
                .any(|row| row.get(column).is_some_and(|f| !f.is_empty()));
        if composite || own {
            continue;
        }
        for (i, (row, value)) in rows.iter().zip(&values).enumerate() {
            let expected = match value {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            assert_eq!(row.get(column), Some(&expected), "row {i}, column {name}");
        }
        compared.push(name.clone());
    }
    compared
}
