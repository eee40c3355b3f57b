//! `cargo xtask interop`: the spec works for other languages.
//!
//! - TypeScript: openapi-typescript generates types from the bundle; the
//!   committed `xtask/interop/ts/usage.ts` and a generated `examples.ts`
//!   (every documented example typed with its schema) compile under
//!   `tsc --noEmit --strict`.
//! - Python: openapi-python-client generates a client; the committed
//!   `xtask/interop/python/lifecycle.py` runs a case lifecycle with it against
//!   the fake server (acquire-mock, started here) or `--server-url`.

use std::{path::Path, time::Duration};

use acquire_spec::Spec;
use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::{
    bundle,
    findings::{self, Finding},
    tools,
    util::{self, capture, run_inherit, run_ok, Fake},
};

const TIMEOUT: Duration = Duration::from_secs(300);
/// A contact of the fake server's seed data (the documented examples' contact).
const CONTACT_ID: &str = "597752";

/// Where the Python half runs, and whether it runs.
#[derive(clap::Args)]
pub struct Options {
    /// Use a server already running at this base URL (ending in /api/v1)
    /// instead of starting acquire-mock.
    #[arg(long, value_name = "URL")]
    server_url: Option<String>,
    /// API key for --server-url.
    #[arg(long, value_name = "KEY", default_value = "interop-key")]
    api_key: String,
    /// Only the TypeScript half.
    #[arg(long)]
    ts_only: bool,
}

pub fn run(options: Options) -> Result<()> {
    let root = util::root();
    let bundle = bundle::bundle(&root)?;
    let spec_json = bundle.write_scratch()?;
    let ts = typescript(&root, &spec_json).context("TypeScript interop");
    if options.ts_only {
        eprintln!("python interop: skipped (--ts-only)");
        return ts;
    }
    // The Python half runs even when the TypeScript half fails: one run shows both.
    let py = python(&root, &spec_json, &options).context("Python interop");
    util::both(ts, py)
}

fn typescript(root: &Path, spec_json: &Path) -> Result<()> {
    let node = tools::node()?;
    let dir = util::scratch_dir().join("interop/ts");
    util::fresh_dir(&dir)?;
    let source = root.join("xtask/interop/ts");
    for entry in
        std::fs::read_dir(&source).with_context(|| format!("listing {}", source.display()))?
    {
        let path = entry?.path();
        if path.is_file() {
            let name = path.file_name().context("file name")?;
            std::fs::copy(&path, dir.join(name))
                .with_context(|| format!("copying {}", path.display()))?;
        }
    }
    run_ok(
        node.command("openapi-typescript")
            .arg(spec_json)
            .arg("-o")
            .arg(dir.join("acquire-cases.ts")),
        TIMEOUT,
    )?;
    let (examples, spans) = examples_ts()?;
    util::write(&dir.join("examples.ts"), examples)?;
    let out = capture(
        node.command("tsc")
            .arg("-p")
            .arg(dir.join("tsconfig.json"))
            .args(["--noEmit", "--strict", "--pretty", "false"]),
        TIMEOUT,
    )?;
    if !out.status.success() {
        let findings = tsc_findings(&out.stdout, &spans);
        if findings.is_empty() {
            bail!("tsc --noEmit --strict failed:\n{}", out.both());
        }
        return findings::report(
            "tsc --noEmit --strict (usage.ts, and every documented example typed with the generated types)",
            &findings,
        );
    }
    eprintln!("typescript interop: ok (types, usage.ts, examples.ts compile under --strict)");
    Ok(())
}

/// Where an example sits in the generated `examples.ts`: from `first_line`
/// to the next example's.
struct Span {
    first_line: usize,
    file: String,
    pointer: String,
    id: String,
}

/// Maps tsc's `FILE(LINE,COL): error TSNNNN: MESSAGE` lines (and their
/// indented continuation lines) to findings: on the example file for
/// `examples.ts`, on the committed source for the usage file.
fn tsc_findings(stdout: &str, spans: &[Span]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with(' ') {
            if let Some(last) = findings.last_mut() {
                last.message.push_str("\n    ");
                last.message.push_str(line.trim());
            }
            continue;
        }
        let Some((place, rest)) = line.split_once("): error ") else {
            continue;
        };
        let Some((path, position)) = place.rsplit_once('(') else {
            continue;
        };
        let line_no: usize = position
            .split(',')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let (code, message) = rest.split_once(": ").unwrap_or(("TS?", rest));
        let rule = format!("typescript/{code}");
        let name = Path::new(path)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        let examples = name == "examples.ts";
        let span = spans
            .iter()
            .rev()
            .find(|s| examples && s.first_line <= line_no);
        findings.push(match span {
            Some(span) => Finding::new(
                &span.file,
                &span.pointer,
                rule,
                format!(
                    "example {} does not type-check with the generated types: {message}",
                    span.id
                ),
            ),
            None if examples => Finding::new(path, "", rule, format!("line {line_no}: {message}")),
            None => Finding::new(
                format!("xtask/interop/ts/{name}"),
                "",
                rule,
                format!("line {line_no}: {message}"),
            ),
        });
    }
    findings
}

/// Schemas whose examples TypeScript cannot type, each with the reason (the
/// spec's description of the schema says the same to TypeScript users).
const TS_UNTYPEABLE: &[(&str, &str)] = &[(
    "CloseCaseEnvelope",
    "its CloseCaseResult has a typed `userId` beside `additionalProperties: ClosedCase` becomes an index signature \
     that a number can never satisfy; valid JSON Schema, decoded as declared by Rust and Python",
)];

/// Every documented example whose schema is a component, as a typed constant:
/// tsc then proves each example fits the generated types.
fn examples_ts() -> Result<(String, Vec<Span>)> {
    let spec = Spec::load(util::root().join(util::SPEC_YAML)).context("loading the spec")?;
    let mut out = String::from(
        "// Generated by `cargo xtask interop`: every documented example, typed.\n\
         import type { components } from \"./acquire-cases\";\n",
    );
    let mut spans = Vec::new();
    for (i, example) in spec.examples()?.iter().enumerate() {
        let (id, Some(schema)) = (example.id(), example.schema_name()) else {
            continue;
        };
        if let Some((_, reason)) = TS_UNTYPEABLE.iter().find(|(name, _)| *name == schema) {
            eprintln!("note: example {id} is not typed in TypeScript: {reason}");
            continue;
        }
        let value = example.load();
        let value = value.with_context(|| format!("loading example {id}"))?;
        let literal = serde_json::to_string_pretty(&value)?;
        let (file, pointer) = match &example.file {
            Some(file) => (util::rel(file), String::new()),
            None => (
                util::SPEC_YAML.to_owned(),
                format!("{}/value", example.pointer),
            ),
        };
        let schema = Value::from(schema);
        let text = format!(
            "\n// {id} ({file}#{pointer})\nexport const example{i}: components[\"schemas\"][{schema}] = {literal};\n",
        );
        let first_line = out.lines().count() + 1;
        out.push_str(&text);
        spans.push(Span {
            first_line,
            file,
            pointer,
            id,
        });
    }
    Ok((out, spans))
}

fn python(root: &Path, spec_json: &Path, options: &Options) -> Result<()> {
    let python = tools::python()?;
    let dir = util::scratch_dir().join("interop/python");
    util::fresh_dir(&dir)?;
    let package = dir.join("acquire_cases_client");
    let out = run_ok(
        python
            .command("openapi-python-client")
            .arg("generate")
            .arg("--path")
            .arg(spec_json)
            .arg("--output-path")
            .arg(&package)
            .args(["--meta", "none", "--overwrite", "--config"])
            .arg(root.join("xtask/interop/python/config.yaml")),
        TIMEOUT,
    )?;
    if out.both().contains("Warning") {
        bail!(
            "openapi-python-client generated the client with warnings (parts of the spec \
             are missing from it):\n{}",
            out.both().trim_end()
        );
    }

    let (base_url, _fake) = match &options.server_url {
        Some(url) => (url.clone(), None),
        None => {
            let log = util::scratch_dir().join("interop/acquire-mock.log");
            let fake = Fake::start(&util::build_mock()?, &options.api_key, &[], Some(&log))?;
            (fake.base_url.clone(), Some(fake))
        }
    };
    eprintln!("python interop against {base_url}");
    run_inherit(
        python
            .command("python")
            .arg(root.join("xtask/interop/python/lifecycle.py"))
            .args(["--base-url", &base_url, "--api-key", &options.api_key])
            .args(["--contact-id", CONTACT_ID])
            .env("PYTHONPATH", &dir),
        TIMEOUT,
    )
}
