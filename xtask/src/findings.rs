//! What a check reports: one finding per problem, as
//! `FILE#/json/pointer [rule] message`.

use std::fmt;

use anyhow::{bail, Result};

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

/// The JSON pointer of a path of keys.
pub fn pointer(keys: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    keys.into_iter()
        .fold(String::new(), |p, key| push_pointer(&p, key.as_ref()))
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
