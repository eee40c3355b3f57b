//! `cargo xtask schemathesis`.

use anyhow::Result;

/// Runs the task.
pub fn run() -> Result<()> {
    anyhow::bail!("`cargo xtask schemathesis` is not written yet")
}
