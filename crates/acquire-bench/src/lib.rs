//! Shared parts of the benchmark programs that `cargo xtask bench` runs.
//!
//! Each binary prints a one-line JSON summary (or writes it to the file
//! given by `--summary`) that the xtask reads; the xtask, not these
//! programs, computes medians and ratios and writes `BENCHMARKS.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod decode;
