//! Shared helpers: workspace paths, running external commands, and the
//! fake server (acquire-mock) as a child process.

use std::{
    fs::File,
    io::{BufRead, BufReader, Read},
    path::{Path, PathBuf},
    process::{Child, Command, ExitCode, ExitStatus, Stdio},
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
    // A relative `CARGO_TARGET_DIR` is under the root; joining an absolute
    // one gives it unchanged.
    root().join(std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into()))
}

/// Scratch space of the xtask under the target directory.
pub fn scratch_dir() -> PathBuf {
    target_dir().join("xtask")
}

/// `path` relative to the workspace root, for messages.
pub fn rel(path: &Path) -> String {
    let root = normalise(&root());
    let path = normalise(path);
    let relative = path.strip_prefix(&root).unwrap_or(&path);
    relative.display().to_string()
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

/// A readable rendering of a command line.
pub fn show(cmd: &Command) -> String {
    let mut out = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args().map(|arg| arg.to_string_lossy()) {
        let quoted = arg.contains(' ') || arg.is_empty();
        let quote = if quoted { "'" } else { "" };
        out += &format!(" {quote}{arg}{quote}");
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

/// Starts `cmd` (stdin closed), showing its command line as `shown`.
fn spawn(cmd: &mut Command, shown: &str, stdout: impl Into<Stdio>, stderr: Stdio) -> Result<Child> {
    eprintln!("  $ {shown}");
    cmd.stdin(Stdio::null()).stdout(stdout).stderr(stderr);
    cmd.spawn().with_context(|| format!("starting `{shown}`"))
}

/// Reads `stream` to the end on a thread, so a child never blocks on a
/// full pipe.
pub fn drain(stream: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut stream) = stream {
            let _ = stream.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Runs `cmd` with its output captured, killing it after `timeout`.
pub fn capture(cmd: &mut Command, timeout: Duration) -> Result<Captured> {
    let shown = show(cmd);
    let mut child = spawn(cmd, &shown, Stdio::piped(), Stdio::piped())?;
    let (stdout, stderr) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let status = wait(&mut child, &shown, timeout)?;
    Ok(Captured {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
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
    let mut child = spawn(cmd, &shown, std::io::stderr(), Stdio::inherit())?;
    let status = wait(&mut child, &shown, timeout)?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Waits for `child` (shown as `shown`), killing it after `timeout`.
fn wait(child: &mut Child, shown: &str, timeout: Duration) -> Result<ExitStatus> {
    let waiting = || format!("waiting for `{shown}`");
    let start = Instant::now();
    while start.elapsed() <= timeout {
        if let Some(status) = child.try_wait().with_context(waiting)? {
            return Ok(status);
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let seconds = timeout.as_secs();
    bail!("{}: timed out after {seconds} s and was killed", waiting())
}

/// Says how a task ended (`PROGRAM TASK: ok in 1.2 s`, or `FAILED` and
/// why), as the exit code.
pub fn finish(program: &str, task: &str, start: Instant, result: Result<()>) -> ExitCode {
    let elapsed = start.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            eprintln!("{program} {task}: ok in {elapsed:.1} s");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{program} {task}: FAILED after {elapsed:.1} s: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Both results: `Ok` when both are, else every error (for tasks whose
/// halves both run, so one run shows everything).
pub fn both(a: Result<()>, b: Result<()>) -> Result<()> {
    match (a, b) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Err(a), Err(b)) => Err(anyhow::anyhow!("{a:#}; {b:#}")),
    }
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

/// The cargo running this program (`CARGO`), or `cargo` on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cargo build ARGS` at the root and returns the executable of each
/// target in `names`, in that order, as cargo reports them.
pub fn cargo_build(args: &[&str], names: &[&str]) -> Result<Vec<PathBuf>> {
    let out = run_ok(
        cargo()
            .current_dir(root())
            .arg("build")
            .args(args)
            .arg("--message-format=json-render-diagnostics"),
        Duration::from_secs(3600),
    )
    .with_context(|| format!("building {}", names.join(" and ")))?;
    // The executable cargo reports last for each target name.
    let mut built = std::collections::HashMap::new();
    for line in out.stdout.lines() {
        let message: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let artifact = message["reason"] == "compiler-artifact";
        let name = message["target"]["name"].as_str();
        if let (true, Some(name), Some(exe)) = (artifact, name, message["executable"].as_str()) {
            built.insert(name.to_owned(), PathBuf::from(exe));
        }
    }
    let exe = |name: &&str| built.get(*name).cloned();
    (names.iter())
        .map(|name| exe(name).with_context(|| format!("cargo reported no {name} executable")))
        .collect()
}

/// Builds the acquire-mock binary (dev profile, shared with the tests) and
/// returns its path.
pub fn build_mock() -> Result<PathBuf> {
    let mut built = cargo_build(
        &["--package", "acquire-mock", "--bin", "acquire-mock"],
        &["acquire-mock"],
    )?;
    Ok(built.remove(0))
}

/// A child process, killed and reaped when dropped.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running fake server (acquire-mock), stopped when dropped: the one
/// guard of every task that starts one.
pub struct Fake {
    child: Guard,
    /// The base URL it printed (loopback, ending in `/api/v1`).
    pub base_url: String,
}

impl Fake {
    /// The command line of `exe` on a free loopback port with `api_key`,
    /// then `extra` arguments.
    pub fn command(exe: &Path, api_key: &str, extra: &[&str]) -> Command {
        let mut cmd = Command::new(exe);
        cmd.args(["--addr", "127.0.0.1:0", "--api-key", api_key])
            .args(extra);
        cmd
    }

    /// Starts [`Fake::command`] with stderr to `log` (or inherited), and
    /// waits for its base URL, the first line of its stdout (within 60 s,
    /// checked). The rest of its stdout is drained in the background so it
    /// never blocks on a full pipe. The key is not printed.
    pub fn start(exe: &Path, api_key: &str, extra: &[&str], log: Option<&Path>) -> Result<Self> {
        let mut cmd = Self::command(exe, api_key, extra);
        let stderr = match log {
            Some(path) => {
                Stdio::from(File::create(path).with_context(|| format!("creating {}", rel(path)))?)
            }
            None => Stdio::inherit(),
        };
        let shown = show(&cmd).replace(api_key, "***");
        // From here on, dropping `child` stops the process.
        let mut child = Guard(spawn(&mut cmd, &shown, Stdio::piped(), stderr)?);
        let stdout = child.0.stdout.take().context("no stdout pipe")?;
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            for _ in lines {}
        });
        let first = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(Ok(line))) => line,
            other => {
                let text = |path| std::fs::read_to_string(path).unwrap_or_default();
                let log = log.map(|path| format!("; its log ({}):\n{}", rel(path), text(path)));
                let log = log.unwrap_or_default();
                bail!("acquire-mock printed no base URL ({other:?}){log}");
            }
        };
        let base_url = first.trim().trim_end_matches('/').to_owned();
        if !base_url.starts_with("http://127.0.0.1:") || !base_url.ends_with("/api/v1") {
            bail!(
                "acquire-mock's first line is not a loopback base URL ending in /api/v1: {first:?}"
            );
        }
        let fake = Self { child, base_url };
        eprintln!(
            "acquire-mock serving at {} (pid {})",
            fake.base_url,
            fake.pid()
        );
        Ok(fake)
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.0.id()
    }

    /// Whether it is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.0.try_wait(), Ok(None))
    }
}
