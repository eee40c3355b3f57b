//! `cargo xtask bench`.

use anyhow::Result;

/// Runs the task.
pub fn run() -> Result<()> {
    anyhow::bail!("`cargo xtask bench` is not written yet")
}
