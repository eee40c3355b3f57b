//! What we ship runs on its own: the run-time code (`src/`) of every
//! package that can be published reads nothing from the source tree. It
//! names no path through `CARGO_MANIFEST_DIR`, and everything it compiles
//! in (`include_str!`, `include_bytes!`) lies inside its own package, so a
//! packaged, installed or copied binary finds what it needs in itself.
//!
//! The packages are read from `cargo metadata`: every workspace member not
//! marked `publish = false`. (`cargo package`, run by CI, proves the same
//! for the build scripts by building each package from its sources alone.)

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

/// (name, directory) of every publishable workspace member.
fn shipped_packages() -> Vec<(String, PathBuf)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    packages
        .iter()
        // `publish`: null when publishable anywhere, `[]` for `publish = false`.
        .filter(|p| {
            p["publish"]
                .as_array()
                .is_none_or(|registries| !registries.is_empty())
        })
        .map(|p| {
            let manifest = PathBuf::from(p["manifest_path"].as_str().expect("manifest_path"));
            let dir = manifest.parent().expect("package directory").to_path_buf();
            (p["name"].as_str().expect("name").to_owned(), dir)
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literal each `include_str!("…")`/`include_bytes!("…")` names.
fn included_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for macro_name in ["include_str!(\"", "include_bytes!(\""] {
        let mut rest = text;
        while let Some(at) = rest.find(macro_name) {
            rest = &rest[at + macro_name.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_owned());
            }
        }
    }
    out
}

/// Where `code` reaches outside `package` (empty when it does not).
fn reaches_outside(package: &Path, file: &Path, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if code.contains("CARGO_MANIFEST_DIR") {
            found.push(format!(
                "{}:{}: names CARGO_MANIFEST_DIR",
                file.display(),
                n + 1
            ));
        }
    }
    let dir = file.parent().expect("file directory");
    for included in included_paths(text) {
        let resolved = dir.join(&included).canonicalize();
        match resolved {
            Ok(path) if path.starts_with(package) => {}
            _ => found.push(format!("{}: compiles in `{included}`", file.display())),
        }
    }
    found
}

#[test]
fn shipped_code_reads_nothing_from_the_source_tree() {
    let packages = shipped_packages();
    let names: Vec<&str> = packages.iter().map(|(name, _)| name.as_str()).collect();
    for expected in [
        "acquire",
        "acquire-api",
        "acquire-spec",
        "acquire-mock",
        "acquire-cli",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} is not publishable: {names:?}"
        );
    }
    let mut found = Vec::new();
    for (_, dir) in &packages {
        let package = dir.canonicalize().expect("package directory");
        let mut files = Vec::new();
        rust_files(&package.join("src"), &mut files);
        for file in files {
            let text = fs::read_to_string(&file).expect("read source");
            found.extend(reaches_outside(&package, &file, &text));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_scan_sees_a_path_out_of_the_package() {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("package");
    let file = package.join("support/lib.rs");
    let outside = "const S: &str = include_str!(\"../../openapi/acquire-cases.yaml\");\n\
                   let p = env!(\"CARGO_MANIFEST_DIR\");";
    assert_eq!(reaches_outside(&package, &file, outside).len(), 2);
    let inside = "#![doc = include_str!(\"../Cargo.toml\")] // CARGO_MANIFEST_DIR";
    assert!(reaches_outside(&package, &file, inside).is_empty());
}
