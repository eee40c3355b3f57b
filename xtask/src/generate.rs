//! `cargo xtask generate [--check]`: the committed generated artefacts:
//! the bundled spec and the copies of the spec the packages compile in.

use anyhow::{bail, Context, Result};
use similar::TextDiff;

use crate::{bundle, util};

/// How many lines of diff are shown per stale file.
const DIFF_LINES: usize = 60;

/// The copies of the spec inside the packages that compile it in, so each
/// crate builds from its own package: the client generator reads the YAML,
/// `acquire-spec` embeds the bundle (examples inline).
const PACKAGE_YAML: &str = "crates/acquire-api/spec/acquire-cases.yaml";
const PACKAGE_JSON: &str = "crates/acquire-spec/spec/acquire-cases.json";

pub fn run(check: bool) -> Result<()> {
    let root = util::root();
    let json = bundle::bundle(&root)?.json;
    let yaml = util::read(&root.join(util::SPEC_YAML))?;
    // Each committed generated file, and its fresh content.
    let artefacts = [
        (util::SPEC_JSON, &json),
        (PACKAGE_JSON, &json),
        (PACKAGE_YAML, &yaml),
    ];
    let mut stale = Vec::new();
    for (name, fresh) in artefacts {
        let path = root.join(name);
        let current = match std::fs::read_to_string(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            read => Some(read.with_context(|| format!("reading {}", path.display()))?),
        };
        if current.as_ref() == Some(fresh) {
            eprintln!("{name}: up to date");
        } else if check {
            println!("{name}: stale");
            print_diff(name, current.as_deref().unwrap_or(""), fresh);
            stale.push(name);
        } else {
            util::write(&path, fresh)?;
            eprintln!("{name}: written");
        }
    }
    if !stale.is_empty() {
        bail!(
            "{} generated file(s) are stale ({}): run `cargo xtask generate` and commit the result",
            stale.len(),
            stale.join(", ")
        );
    }
    Ok(())
}

fn print_diff(path: &str, old: &str, new: &str) {
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .header(
            &format!("a/{path} (committed)"),
            &format!("b/{path} (fresh)"),
        )
        .to_string();
    let total = text.lines().count();
    for line in text.lines().take(DIFF_LINES) {
        println!("{line}");
    }
    if total > DIFF_LINES {
        println!("... ({} more diff lines)", total - DIFF_LINES);
    }
}
