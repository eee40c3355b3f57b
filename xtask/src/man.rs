//! `cargo xtask man`: the man pages of the `acquire` command
//! (`acquire_cli::man`), in `target/man` unless `--out DIR` says otherwise,
//! checked once written.
//!
//! Rendering needs the command, hence the client under it; the `man`
//! feature brings them in, so the other tasks never build them. Without
//! the feature this task runs itself again with it.

use std::path::PathBuf;

use anyhow::Result;

use xtask::util;

/// Writes the man pages into `out` (default: `target/man`).
pub fn run(out: Option<PathBuf>) -> Result<()> {
    let out = out.map_or_else(|| Ok(util::target_dir().join("man")), std::path::absolute)?;
    write(out)
}

/// Runs `cargo xtask man --out DIR` again with the `man` feature.
#[cfg(not(feature = "man"))]
fn write(out: PathBuf) -> Result<()> {
    let args = ["-p", "xtask", "--features", "man", "--", "man", "--out"];
    crate::cargo_run(&args, [out])
}

/// Renders every page into `out`, then checks that each page of a command
/// with subcommands names each of them.
#[cfg(feature = "man")]
fn write(out: PathBuf) -> Result<()> {
    let pages = acquire_cli::man::write(&out)?;
    acquire_cli::man::check(&out, &pages).map_err(anyhow::Error::msg)?;
    eprintln!(
        "  wrote {} man pages to {} (man -l {})",
        pages.len(),
        util::rel(&out),
        util::rel(&out.join("acquire.1"))
    );
    Ok(())
}
