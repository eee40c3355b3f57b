//! The part of `cargo xtask` that other workspace tooling shares: workspace
//! paths, running commands, the fake server as a child process, and the
//! pinned tools. The `cargo xtask` binary and the benchmark runner of
//! `crates/acquire-bench` both use it, so each mechanism exists once.

#![forbid(unsafe_code)]

pub mod tools;
pub mod util;
