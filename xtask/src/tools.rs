//! Pinned external tools, installed by the xtask into `.cache/tools/`
//! (ignored by git) and reinstalled only when their pin files change.
//!
//! - Node tools: `xtask/tools/package.json` + `package-lock.json`, `npm ci`.
//! - Python tools: `xtask/tools/requirements.txt` (the whole closure, exact
//!   pins), in a venv, `pip install --no-deps`.
//! - Chromium: Debian's package, `apt-get install chromium` when missing.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

use crate::util::{self, run_inherit, run_ok};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(900);
const PIN_DIR: &str = "xtask/tools";

fn cache_dir() -> PathBuf {
    util::root().join(".cache/tools")
}

/// The stamp records what an install was made from; equal stamp, no reinstall.
fn stamp_text(pins: &[&Path], runtime: &str) -> Result<String> {
    let mut text = format!("runtime: {runtime}\n");
    for pin in pins {
        text.push_str(&format!("== {}\n", util::rel(pin)));
        text.push_str(&util::read(pin)?);
    }
    Ok(text)
}

fn is_current(stamp: &Path, expected: &str) -> bool {
    std::fs::read_to_string(stamp).is_ok_and(|s| s == expected)
}

fn version_of(program: &str, arg: &str) -> Result<String> {
    let out = run_ok(Command::new(program).arg(arg), Duration::from_secs(60))
        .with_context(|| format!("`{program}` is needed on PATH"))?;
    Ok(out.both().trim().to_owned())
}

/// The installed Node tools.
pub struct Node {
    bin: PathBuf,
}

impl Node {
    /// A command running the named executable of `node_modules/.bin`.
    pub fn command(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(name));
        cmd.current_dir(util::root())
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .env("NO_UPDATE_NOTIFIER", "1")
            .env("NO_COLOR", "1");
        cmd
    }
}

/// Installs (if needed) the pinned Node tools.
pub fn node() -> Result<Node> {
    let root = util::root();
    let dir = cache_dir().join("node");
    let pins = [
        root.join(PIN_DIR).join("package.json"),
        root.join(PIN_DIR).join("package-lock.json"),
    ];
    let runtime = format!(
        "node {}, npm {}",
        version_of("node", "--version")?,
        version_of("npm", "--version")?
            .lines()
            .last()
            .unwrap_or_default()
    );
    let pin_refs: Vec<&Path> = pins.iter().map(PathBuf::as_path).collect();
    let expected = stamp_text(&pin_refs, &runtime)?;
    let stamp = dir.join(".xtask-stamp");
    if !is_current(&stamp, &expected) {
        let start = Instant::now();
        eprintln!("installing the Node tools into {} ...", util::rel(&dir));
        util::create_dir(&dir)?;
        let _ = std::fs::remove_file(&stamp);
        for pin in &pins {
            let name = pin.file_name().context("pin file name")?;
            std::fs::copy(pin, dir.join(name))
                .with_context(|| format!("copying {} into {}", pin.display(), dir.display()))?;
        }
        run_inherit(
            Command::new("npm")
                .args([
                    "ci",
                    "--no-audit",
                    "--no-fund",
                    "--no-update-notifier",
                    "--ignore-scripts",
                ])
                .arg("--prefix")
                .arg(&dir)
                .env("NO_UPDATE_NOTIFIER", "1"),
            INSTALL_TIMEOUT,
        )
        .context("installing the Node tools (npm ci)")?;
        util::write(&stamp, &expected)?;
        eprintln!(
            "Node tools installed in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(Node {
        bin: dir.join("node_modules/.bin"),
    })
}

/// The installed Python tools (a venv).
pub struct Python {
    bin: PathBuf,
}

impl Python {
    /// A command running an executable of the venv (`python`, a console script).
    pub fn command(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(name));
        // The venv first on PATH: openapi-python-client runs `ruff` from it.
        let mut path = std::ffi::OsString::from(&self.bin);
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        cmd.current_dir(util::root())
            .env("PATH", path)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("NO_COLOR", "1");
        cmd
    }
}

/// Installs (if needed) the pinned Python tools.
pub fn python() -> Result<Python> {
    let root = util::root();
    let dir = cache_dir().join("venv");
    let pins = [root.join(PIN_DIR).join("requirements.txt")];
    let python = std::env::var("XTASK_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let runtime = version_of(&python, "--version")?;
    let pin_refs: Vec<&Path> = pins.iter().map(PathBuf::as_path).collect();
    let expected = stamp_text(&pin_refs, &runtime)?;
    let stamp = dir.join(".xtask-stamp");
    if !is_current(&stamp, &expected) {
        let start = Instant::now();
        eprintln!("installing the Python tools into {} ...", util::rel(&dir));
        util::fresh_dir(&dir)?;
        run_ok(
            Command::new(&python).args(["-m", "venv"]).arg(&dir),
            INSTALL_TIMEOUT,
        )
        .context("creating the venv (on Debian: apt-get install -y python3-venv)")?;
        run_inherit(
            Command::new(dir.join("bin/pip"))
                .args([
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-input",
                    "--no-deps",
                    "-r",
                ])
                .arg(&pins[0]),
            INSTALL_TIMEOUT,
        )
        .context("installing the Python tools (pip)")?;
        util::write(&stamp, &expected)?;
        eprintln!(
            "Python tools installed in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(Python {
        bin: dir.join("bin"),
    })
}

/// Debian's Chromium, installed with apt-get when missing.
pub fn chromium() -> Result<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if path.exists() {
        return Ok(path);
    }
    let start = Instant::now();
    eprintln!("installing Debian's chromium (apt-get) ...");
    let apt = |args: &[&str]| {
        run_inherit(
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive"),
            INSTALL_TIMEOUT,
        )
    };
    apt(&["update"]).context("apt-get update (installing chromium needs root)")?;
    apt(&["install", "-y", "chromium"]).context("apt-get install -y chromium")?;
    if !path.exists() {
        bail!(
            "apt-get installed chromium but {} is missing",
            path.display()
        );
    }
    eprintln!(
        "chromium installed in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(path)
}
