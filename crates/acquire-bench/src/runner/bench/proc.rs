//! Servers under test as child processes, a plain HTTP probe, and command
//! lines as the report shows them.

use std::{
    fs::File,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;

use crate::util::{self, Fake, Guard};

/// The key the benchmarks give the fake server.
pub const API_KEY: &str = "bench-key";

/// The release fake server with `args`, and its command line for the report.
pub fn start_fake(args: &[&str]) -> Result<(Fake, String)> {
    let bin = super::release_bin("acquire-mock");
    let command = display_command(&Fake::command(&bin, API_KEY, args));
    let fake = Fake::start(&bin, API_KEY, args, None).context(command.clone())?;
    Ok((fake, command))
}

/// Runs a benchmark program against a fresh release fake (started with
/// `fake_args`, stopped after): `program` (its path, or a wrapper and the
/// path) with `--base-url URL --api-key KEY` and `args`. Returns the
/// program's one-line JSON summary from stdout, and its stderr. `commands`,
/// when given, receives both command lines, the URL shown as `$BASE_URL`.
pub fn run_against_fake<T: DeserializeOwned>(
    fake_args: &[&str],
    mut program: Command,
    args: &[&str],
    timeout: Duration,
    commands: Option<&mut Vec<String>>,
) -> Result<(T, String)> {
    let (fake, fake_command) = start_fake(fake_args)?;
    program
        .args(["--base-url", &fake.base_url, "--api-key", API_KEY])
        .args(args);
    let shown = display_command(&program);
    if let Some(commands) = commands {
        commands.push(fake_command);
        commands.push(shown.replace(&fake.base_url, "$BASE_URL"));
    }
    let out = util::run_ok(&mut program, timeout)?;
    drop(fake);
    let summary = serde_json::from_str(out.stdout.trim())
        .with_context(|| format!("reading the summary of `{shown}`: {}", out.stdout))?;
    Ok((summary, out.stderr))
}

/// Starts `cmd` with stdout and stderr going to `log`, and waits until
/// `probe_url` answers (any status) or `timeout` passes.
pub fn start_logged(
    mut cmd: Command,
    probe_url: &str,
    log: &Path,
    timeout: Duration,
) -> Result<Guard> {
    let command = display_command(&cmd);
    let file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file)
        .spawn()
        .with_context(|| format!("starting {command}"))?;
    let guard = Guard(child);
    let start = Instant::now();
    while start.elapsed() < timeout {
        if http_get(probe_url, &[]).is_ok() {
            return Ok(guard);
        }
        thread::sleep(Duration::from_millis(250));
    }
    bail!(
        "{command} did not answer within {} s (log: {})",
        timeout.as_secs(),
        log.display()
    )
}

/// A command line as text, paths relative to the workspace root.
pub fn display_command(cmd: &Command) -> String {
    let root = util::root();
    let root = root.to_string_lossy();
    let target = util::target_dir();
    let target = target.to_string_lossy();
    let shown = util::show(cmd)
        .replace(&*target, "target")
        .replace(&format!("{root}/"), "");
    plain_cargo(&shown)
}

/// `text` with the full path of the cargo running the runner shown as `cargo`.
pub fn plain_cargo(text: &str) -> String {
    match std::env::var("CARGO") {
        Ok(cargo) if !cargo.is_empty() => text.replace(&cargo, "cargo"),
        _ => text.to_owned(),
    }
}

/// A free port on 127.0.0.1 (free when asked; the caller binds it next).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding a probe port")?;
    Ok(listener.local_addr()?.port())
}

/// GETs an `http://127.0.0.1:PORT/path` URL with HTTP/1.1 and
/// `Connection: close`; returns the status code and the body.
pub fn http_get(url: &str, headers: &[(&str, &str)]) -> Result<(u16, String)> {
    let rest = url
        .strip_prefix("http://")
        .with_context(|| format!("not an http:// URL: {url}"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream =
        TcpStream::connect(authority).with_context(|| format!("connecting to {authority}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nAccept: application/json\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .with_context(|| format!("no HTTP status line from {url}"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
