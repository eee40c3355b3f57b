//! Servers under test as child processes, a plain HTTP probe, Debian tools.

use std::{
    fs::File,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

use crate::util::{self, run_inherit};

/// The key the benchmarks give the fake server.
pub const API_KEY: &str = "bench-key";

/// A child process killed (and reaped) on drop.
pub struct Server {
    child: Child,
    /// The base URL it serves.
    pub base_url: String,
    /// The command line that started it.
    pub command: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The release fake server with `args`, its base URL read from the first
/// line of its stdout.
pub fn start_fake(args: &[&str]) -> Result<Server> {
    let bin = super::release_bin("acquire-mock");
    let mut cmd = Command::new(&bin);
    cmd.args(["--addr", "127.0.0.1:0", "--api-key", API_KEY])
        .args(args);
    let command = display_command(&cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stdout = child.stdout.take().context("no stdout pipe")?;
    let server_url = match crate::util::mock_base_url(stdout, None) {
        Ok(url) => url,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e.context(command));
        }
    };
    Ok(Server {
        child,
        base_url: server_url,
        command,
    })
}

/// Starts `cmd` with stdout and stderr going to `log`, and waits until
/// `probe_url` answers (any status) or `timeout` passes.
pub fn start_logged(
    mut cmd: Command,
    base_url: String,
    probe_url: &str,
    log: &Path,
    timeout: Duration,
) -> Result<Server> {
    let command = display_command(&cmd);
    let file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file)
        .spawn()
        .with_context(|| format!("starting {command}"))?;
    let server = Server {
        child,
        base_url,
        command,
    };
    let start = Instant::now();
    while start.elapsed() < timeout {
        if http_get(probe_url, &[]).is_ok() {
            return Ok(server);
        }
        thread::sleep(Duration::from_millis(250));
    }
    bail!(
        "{} did not answer within {} s (log: {})",
        server.command,
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

/// `text` with the full path of the cargo running the xtask shown as `cargo`.
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

/// The path of a Debian program, installed with apt-get when missing.
pub fn debian_tool(program: &str, package: &str) -> Result<PathBuf> {
    let path = PathBuf::from("/usr/bin").join(program);
    if path.exists() {
        return Ok(path);
    }
    eprintln!("installing Debian's {package} (apt-get) ...");
    let apt = |args: &[&str]| {
        run_inherit(
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive"),
            Duration::from_secs(900),
        )
    };
    apt(&["update"])
        .with_context(|| format!("apt-get update (installing {package} needs root)"))?;
    apt(&["install", "-y", package]).with_context(|| format!("apt-get install -y {package}"))?;
    if !path.exists() {
        bail!(
            "apt-get installed {package} but {} is missing",
            path.display()
        );
    }
    Ok(path)
}
