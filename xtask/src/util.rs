//! Shared helpers: workspace paths, findings, running external commands.

use std::{
    fmt,
    io::Read,
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

/// The workspace root (the folder above `xtask/`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The spec source, relative to the root.
pub const SPEC_YAML: &str = "openapi/acquire-cases.yaml";
/// The committed JSON bundle, relative to the root.
pub const SPEC_JSON: &str = "openapi/acquire-cases.json";

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// Scratch space of the xtask under the target directory.
pub fn scratch_dir() -> PathBuf {
    target_dir().join("xtask")
}

/// `path` relative to the workspace root, for messages.
pub fn rel(path: &Path) -> String {
    let root = normalise(&root());
    let path = normalise(path);
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .display()
        .to_string()
}

/// Removes `.` and `name/..` components without touching the file system.
pub fn normalise(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// One rule violation: which file, where in it (a JSON pointer), which rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// File, relative to the workspace root.
    pub file: String,
    /// JSON pointer into the file (empty for the whole document).
    pub pointer: String,
    /// Rule id, prefixed by the tool for external linters (`spectral/...`).
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

impl Finding {
    pub fn new(
        file: impl Into<String>,
        pointer: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            pointer: pointer.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}#{} [{}] {}",
            self.file, self.pointer, self.rule, self.message
        )
    }
}

/// Appends a key to a JSON pointer (RFC 6901 escaping).
pub fn push_pointer(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", acquire_spec::escape(key))
}

/// A readable rendering of a command line.
pub fn show(cmd: &Command) -> String {
    let mut out = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.contains(' ') || arg.is_empty() {
            out.push_str(&format!(" '{arg}'"));
        } else {
            out.push(' ');
            out.push_str(&arg);
        }
    }
    out
}

/// What a finished command printed.
pub struct Captured {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Captured {
    /// stdout and stderr together, for error messages.
    pub fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `cmd` with its output captured, killing it after `timeout`.
pub fn capture(cmd: &mut Command, timeout: Duration) -> Result<Captured> {
    let shown = show(cmd);
    eprintln!("  $ {shown}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting `{shown}`"))?;
    let mut out_pipe = child.stdout.take().context("no stdout pipe")?;
    let mut err_pipe = child.stderr.take().context("no stderr pipe")?;
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let status =
        wait_with_timeout(&mut child, timeout).with_context(|| format!("waiting for `{shown}`"))?;
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Captured {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Runs `cmd` with captured output and fails (showing the output) unless it
/// exits with 0.
pub fn run_ok(cmd: &mut Command, timeout: Duration) -> Result<Captured> {
    let shown = show(cmd);
    let out = capture(cmd, timeout)?;
    if !out.status.success() {
        bail!(
            "`{shown}` failed ({}):\n{}",
            out.status,
            out.both().trim_end()
        );
    }
    Ok(out)
}

/// Runs `cmd` with its output going to the terminal (stdout to stderr, so the
/// xtask's own stdout stays clean); fails unless it exits with 0.
pub fn run_inherit(cmd: &mut Command, timeout: Duration) -> Result<()> {
    let shown = show(cmd);
    eprintln!("  $ {shown}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .spawn()
        .with_context(|| format!("starting `{shown}`"))?;
    let status =
        wait_with_timeout(&mut child, timeout).with_context(|| format!("waiting for `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

fn wait_with_timeout(child: &mut std::process::Child, timeout: Duration) -> Result<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            bail!("timed out after {} s and was killed", timeout.as_secs());
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Prints findings and fails when there are any.
pub fn report(what: &str, findings: &[Finding]) -> Result<()> {
    if findings.is_empty() {
        eprintln!("{what}: ok");
        return Ok(());
    }
    for finding in findings {
        println!("{finding}");
    }
    bail!("{what}: {} problem(s), listed above", findings.len())
}

/// Creates `dir` (and parents) with context.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

/// Removes `dir` if it exists, then creates it empty.
pub fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    create_dir(dir)
}

/// Reads a UTF-8 file with context.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Writes a file with context.
pub fn write(path: &Path, text: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir(parent)?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Builds the acquire-mock binary (dev profile, shared with the tests) and
/// returns its path, as cargo reports it.
pub fn build_mock() -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = run_ok(
        Command::new(cargo).current_dir(root()).args([
            "build",
            "--package",
            "acquire-mock",
            "--bin",
            "acquire-mock",
            "--message-format=json-render-diagnostics",
        ]),
        Duration::from_secs(1800),
    )
    .context("building acquire-mock (crates/acquire-mock)")?;
    for line in out.stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message.get("reason").and_then(serde_json::Value::as_str) == Some("compiler-artifact")
            && message
                .pointer("/target/name")
                .and_then(serde_json::Value::as_str)
                == Some("acquire-mock")
        {
            if let Some(exe) = message
                .get("executable")
                .and_then(serde_json::Value::as_str)
            {
                return Ok(PathBuf::from(exe));
            }
        }
    }
    bail!("cargo built acquire-mock but reported no executable")
}

/// The base URL acquire-mock prints as the first line of `stdout`, read
/// within 60 s and checked (a loopback URL ending in `/api/v1`). The rest of
/// its output is drained in the background, so the server never blocks on a
/// full pipe. `log`, the server's stderr file if any, is shown on failure.
pub fn mock_base_url(stdout: std::process::ChildStdout, log: Option<&Path>) -> Result<String> {
    use std::io::{BufRead, BufReader};
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.next());
        for _ in lines {}
    });
    let first = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Some(Ok(line))) => line,
        other => {
            let log = log
                .map(|path| {
                    let text = std::fs::read_to_string(path).unwrap_or_default();
                    format!("; its log ({}):\n{text}", rel(path))
                })
                .unwrap_or_default();
            bail!("acquire-mock printed no base URL ({other:?}){log}");
        }
    };
    let base_url = first.trim().trim_end_matches('/').to_owned();
    if !base_url.starts_with("http://127.0.0.1:") || !base_url.ends_with("/api/v1") {
        bail!("acquire-mock's first line is not a loopback base URL ending in /api/v1: {first:?}");
    }
    Ok(base_url)
}
