//! Running the built `acquire` binary, and servers to point it at.

#![allow(dead_code)] // each test file uses its own part

use std::time::Duration;

use acquire_mock::{MockConfig, MockServer, RunningServer};
use assert_cmd::Command;

/// The key the fake accepts.
pub const KEY: &str = "cli-test-key-5d1c";

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
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => panic!("{e}"),
        };
        let server = runtime
            .block_on(MockServer::start(MockConfig::default().with_api_key(KEY)))
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

/// A wiremock server on its own runtime, for request-mapping tests.
pub struct Wire {
    pub server: wiremock::MockServer,
    runtime: tokio::runtime::Runtime,
}

impl Wire {
    pub fn start() -> Self {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => panic!("{e}"),
        };
        let server = runtime.block_on(wiremock::MockServer::start());
        Self { server, runtime }
    }

    /// Mounts `mock`.
    pub fn mount(&self, mock: wiremock::Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    /// Runs `acquire args` against this server.
    pub fn acquire(&self, args: &[&str]) -> Run {
        let base = format!("{}/api/v1", self.server.uri());
        acquire(
            args,
            &[("ACQUIRE_API_KEY", KEY), ("ACQUIRE_BASE_URL", &base)],
        )
    }

    /// The requests received so far, one a line: method, URL and body.
    pub fn received(&self) -> String {
        let requests = self
            .runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default();
        let lines: Vec<String> = requests
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r.method,
                    r.url,
                    String::from_utf8_lossy(&r.body)
                )
            })
            .collect();
        lines.join("\n")
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
