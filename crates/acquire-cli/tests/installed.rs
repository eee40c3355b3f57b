//! The `acquire` binary as installed: copied where no checkout is in reach
//! and run from another directory with an empty environment, the demo
//! (with its embedded fake, the spec and seed data compiled in), the
//! doctor against that fake, and the completions all work.

use std::{path::Path, process::Command};

fn installed(dir: &Path, cwd: &Path, args: &[&str]) -> std::process::Output {
    let binary = dir.join("acquire");
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_acquire"), &binary).expect("copy the binary");
    }
    Command::new(binary)
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .output()
        .expect("run acquire")
}

#[test]
fn the_demo_runs_from_anywhere_with_everything_compiled_in() {
    let bin = tempfile::tempdir().expect("temp dir");
    let cwd = tempfile::tempdir().expect("temp dir");
    let demo = installed(
        bin.path(),
        cwd.path(),
        &["demo", "--fake", "--output", "json"],
    );
    let stderr = String::from_utf8_lossy(&demo.stderr);
    assert_eq!(demo.status.code(), Some(0), "{stderr}");
    let steps: Vec<serde_json::Value> = String::from_utf8_lossy(&demo.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(steps.len() >= 8, "{steps:?}");
    assert!(steps.iter().all(|s| s["step"].is_string()), "{steps:?}");

    let completions = installed(bin.path(), cwd.path(), &["completions", "bash"]);
    assert_eq!(completions.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&completions.stdout).contains("doctor"));
}
