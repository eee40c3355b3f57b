//! Pinned external tools, installed by the xtask into `.cache/tools/`
//! (ignored by git) and reinstalled only when their pin files change.
//!
//! - Node tools: `xtask/tools/package.json` + `package-lock.json`, `npm ci`.
//! - Python tools: `xtask/tools/requirements.txt` (the whole closure, exact
//!   pins), in a venv, `pip install --no-deps`.
//! - cargo-fuzz: [`CARGO_FUZZ_VERSION`], `cargo install --locked`.
//! - Debian programs (Chromium; wrk and time for the benchmarks):
//!   `apt-get install` when missing.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

use crate::util::{self, run_inherit, run_ok};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(900);
const PIN_DIR: &str = "xtask/tools";

fn version_of(program: &str, arg: &str) -> Result<String> {
    let out = run_ok(Command::new(program).arg(arg), Duration::from_secs(60))
        .with_context(|| format!("`{program}` is needed on PATH"))?;
    Ok(out.both().trim().to_owned())
}

/// Installs `what` into `.cache/tools/<dir>` with `install` unless the stamp
/// there records the same `runtime` (versions) and pin files
/// (`xtask/tools/<pin>`). Returns the install folder.
fn install_once(
    what: &str,
    dir: &str,
    pins: &[&str],
    runtime: &str,
    install: impl FnOnce(&Path, &[PathBuf]) -> Result<()>,
) -> Result<PathBuf> {
    let dir = util::root().join(".cache/tools").join(dir);
    let pin_dir = util::root().join(PIN_DIR);
    let pins: Vec<PathBuf> = pins.iter().map(|p| pin_dir.join(p)).collect();
    let mut expected = format!("runtime: {runtime}\n");
    for pin in &pins {
        expected.push_str(&format!("== {}\n{}", util::rel(pin), util::read(pin)?));
    }
    let stamp = dir.join(".xtask-stamp");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == expected) {
        return Ok(dir);
    }
    let start = Instant::now();
    eprintln!("installing {what} into {} ...", util::rel(&dir));
    util::create_dir(&dir)?;
    let _ = std::fs::remove_file(&stamp);
    install(&dir, &pins).with_context(|| format!("installing {what}"))?;
    util::write(&stamp, &expected)?;
    eprintln!("{what} installed in {:.1} s", start.elapsed().as_secs_f64());
    Ok(dir)
}

/// An installed tool set: commands run its executables from the root.
pub struct Installed {
    bin: PathBuf,
    env: &'static [(&'static str, &'static str)],
}

impl Installed {
    /// A command running the named executable of the set; its folder comes
    /// first on PATH (openapi-python-client runs `ruff` from the venv).
    pub fn command(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(name));
        let mut path = std::ffi::OsString::from(&self.bin);
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        cmd.current_dir(util::root())
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .envs(self.env.iter().copied());
        cmd
    }
}

/// Installs (if needed) the pinned Node tools.
pub fn node() -> Result<Installed> {
    let node = version_of("node", "--version")?;
    let npm = version_of("npm", "--version")?;
    let npm = npm.lines().last().unwrap_or_default();
    let runtime = format!("node {node}, npm {npm}");
    let pins = ["package.json", "package-lock.json"];
    let dir = install_once("Node tools", "node", &pins, &runtime, |dir, pins| {
        for pin in pins {
            let name = pin.file_name().context("pin file name")?;
            std::fs::copy(pin, dir.join(name))
                .with_context(|| format!("copying {} into {}", pin.display(), dir.display()))?;
        }
        run_inherit(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--no-update-notifier"])
                .arg("--ignore-scripts")
                .arg("--prefix")
                .arg(dir)
                .env("NO_UPDATE_NOTIFIER", "1"),
            INSTALL_TIMEOUT,
        )
    })?;
    Ok(Installed {
        bin: dir.join("node_modules/.bin"),
        env: &[
            ("REDOCLY_TELEMETRY", "off"),
            ("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
            ("NO_UPDATE_NOTIFIER", "1"),
        ],
    })
}

/// Installs (if needed) the pinned Python tools (a venv).
pub fn python() -> Result<Installed> {
    let python = std::env::var("XTASK_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let runtime = version_of(&python, "--version")?;
    let pins = ["requirements.txt"];
    let dir = install_once("Python tools", "venv", &pins, &runtime, |dir, pins| {
        util::fresh_dir(dir)?;
        let mut venv = Command::new(&python);
        run_ok(venv.args(["-m", "venv"]).arg(dir), INSTALL_TIMEOUT)
            .context("creating the venv (on Debian: apt-get install -y python3-venv)")?;
        run_inherit(
            Command::new(dir.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .args(["--no-input", "--no-deps", "-r"])
                .arg(&pins[0]),
            INSTALL_TIMEOUT,
        )
    })?;
    Ok(Installed {
        bin: dir.join("bin"),
        env: &[("PYTHONDONTWRITEBYTECODE", "1")],
    })
}

/// The cargo-fuzz release `cargo xtask fuzz` installs and expects.
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Installs (if needed) the pinned cargo-fuzz; returns its path.
pub fn cargo_fuzz() -> Result<PathBuf> {
    let wanted = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
    let dir = install_once("cargo-fuzz", "cargo-fuzz", &[], &wanted, |dir, _| {
        run_inherit(
            util::cargo()
                .args(["install", "cargo-fuzz", "--locked", "--version"])
                .arg(CARGO_FUZZ_VERSION)
                .arg("--root")
                .arg(dir),
            INSTALL_TIMEOUT * 2,
        )
    })?;
    Ok(dir.join("bin/cargo-fuzz"))
}

/// `/usr/bin/<program>`, from Debian's `package`, installed with apt-get
/// (as root) when missing.
pub fn debian(program: &str, package: &str) -> Result<PathBuf> {
    let path = PathBuf::from("/usr/bin").join(program);
    if path.exists() {
        return Ok(path);
    }
    let start = Instant::now();
    eprintln!("installing Debian's {package} (apt-get) ...");
    let apt = |args: &[&str]| {
        let mut apt = Command::new("apt-get");
        apt.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run_inherit(&mut apt, INSTALL_TIMEOUT)
    };
    apt(&["update"])
        .with_context(|| format!("apt-get update (installing {package} needs root)"))?;
    apt(&["install", "-y", package]).with_context(|| format!("apt-get install -y {package}"))?;
    let shown = path.display();
    if !path.exists() {
        bail!("apt-get installed {package} but {shown} is missing");
    }
    let elapsed = start.elapsed().as_secs_f64();
    eprintln!("{package} installed in {elapsed:.1} s");
    Ok(path)
}

/// Debian's Chromium.
pub fn chromium() -> Result<PathBuf> {
    debian("chromium", "chromium")
}
