//! `cargo xtask generate [--check]`: the committed generated artefacts:
//! the bundled spec and the copies of the spec the packages compile in.

use std::path::Path;

use anyhow::{bail, Result};
use similar::TextDiff;

use crate::{bundle, util};

/// How many lines of diff are shown per stale file.
const DIFF_LINES: usize = 60;

/// One committed generated file: where it goes, and its fresh content.
struct Artefact {
    path: &'static str,
    content: String,
}

/// The copies of the spec inside the packages that compile it in, so each
/// crate builds from its own package: the client generator reads the YAML,
/// `acquire-spec` embeds the bundle (examples inline).
const PACKAGE_YAML: &str = "crates/acquire-api/spec/acquire-cases.yaml";
const PACKAGE_JSON: &str = "crates/acquire-spec/spec/acquire-cases.json";

fn artefacts(root: &Path) -> Result<Vec<Artefact>> {
    let json = bundle::bundle(root)?.json;
    Ok(vec![
        Artefact {
            path: util::SPEC_JSON,
            content: json.clone(),
        },
        Artefact {
            path: PACKAGE_JSON,
            content: json,
        },
        Artefact {
            path: PACKAGE_YAML,
            content: util::read(&root.join(util::SPEC_YAML))?,
        },
    ])
}

pub fn run(check: bool) -> Result<()> {
    let root = util::root();
    let mut stale = Vec::new();
    for artefact in artefacts(&root)? {
        let path = root.join(artefact.path);
        let current = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!("reading {}", path.display())))
            }
        };
        if current.as_deref() == Some(artefact.content.as_str()) {
            eprintln!("{}: up to date", artefact.path);
            continue;
        }
        if check {
            println!("{}: stale", artefact.path);
            print_diff(
                artefact.path,
                current.as_deref().unwrap_or(""),
                &artefact.content,
            );
            stale.push(artefact.path);
        } else {
            util::write(&path, &artefact.content)?;
            eprintln!("{}: written", artefact.path);
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
        .context_radius(3)
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
