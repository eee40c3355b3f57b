//! The external linters, run on a fresh bundle (examples inlined) so that
//! they check the examples too: Spectral (`spectral:oas`, ruleset
//! `openapi/.spectral.yaml`), Redocly (`openapi/redocly.yaml`) and
//! openapi-spec-validator. Their findings are mapped back to the YAML spec or
//! the example file, with a JSON pointer and the tool's rule id.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::{
    bundle::{self, Bundle},
    findings::{self, Finding},
    tools,
    util::{self, capture, Captured},
};

const LINT_TIMEOUT: Duration = Duration::from_secs(300);
/// Spectral's ruleset (extends `spectral:oas`; disabled rules carry a reason).
pub const SPECTRAL_RULESET: &str = "openapi/.spectral.yaml";
/// Redocly's configuration (extends `recommended`; disabled rules carry a reason).
pub const REDOCLY_CONFIG: &str = "openapi/redocly.yaml";
/// Redocly's ignore file: single problems (rule + place) left alone, with reasons.
pub const REDOCLY_IGNORE: &str = "openapi/.redocly.lint-ignore.yaml";

pub fn run() -> Result<()> {
    let root = util::root();
    let bundle = bundle::bundle(&root)?;
    let path = bundle.write_scratch()?;
    // The rulesets name places as `acquire-cases.json#/...`, relative to
    // themselves: copies sit beside the fresh bundle, and the tools run there.
    let dir = path.parent().context("bundle folder")?.to_path_buf();
    for config in [SPECTRAL_RULESET, REDOCLY_CONFIG, REDOCLY_IGNORE] {
        let source = root.join(config);
        let copy = dir.join(source.file_name().context("ruleset name")?);
        if source.exists() {
            std::fs::copy(&source, &copy)
                .with_context(|| format!("copying {config} to {}", dir.display()))?;
        } else {
            let _ = std::fs::remove_file(&copy);
        }
    }
    let name = path.file_name().context("bundle name")?;
    let node = tools::node()?;
    let python = tools::python()?;
    // `TOOL lint ARGS --format json BUNDLE` and the JSON it prints first.
    let lint = |tool: &str, args: &[&str]| -> Result<(Captured, Value)> {
        let mut cmd = node.command(tool);
        cmd.current_dir(&dir).arg("lint").args(args);
        let out = capture(cmd.args(["--format", "json"]).arg(name), LINT_TIMEOUT)?;
        let json = serde_json::Deserializer::from_str(&out.stdout)
            .into_iter()
            .next();
        let json = json.with_context(|| format!("{tool} printed no JSON:\n{}", out.both()))?;
        let json = json.with_context(|| format!("{tool}'s output is not JSON:\n{}", out.both()))?;
        Ok((out, json))
    };
    let (mut failures, mut notes) = (Vec::new(), Vec::new());
    let mut add = |pointer: &str, rule: String, message: String, fails: bool| {
        let (file, pointer) = bundle.locate(pointer);
        let finding = Finding::new(file, pointer, rule, message);
        if fails {
            failures.push(finding);
        } else {
            notes.push(finding);
        }
    };

    let spectral = ["--ruleset", ".spectral.yaml", "--fail-severity", "warn"];
    let (out, results) = lint("spectral", &spectral)?;
    let results = results
        .as_array()
        .context("spectral's output is not a list")?;
    for result in results {
        let segments = result["path"].as_array().into_iter().flatten();
        let pointer = findings::pointer(segments.map(text));
        let rule = format!("spectral/{}", text(&result["code"]));
        // 0 error, 1 warning: failures; 2 information, 3 hint: shown only.
        let fails = result["severity"].as_i64().unwrap_or(0) <= 1;
        add(&pointer, rule, text(&result["message"]), fails);
    }
    if results.is_empty() && !out.status.success() {
        bail!("spectral failed without findings:\n{}", out.both());
    }

    let (out, report) = lint("redocly", &["--config", "redocly.yaml"])?;
    let problems = report.get("problems").and_then(Value::as_array);
    let problems = problems.context("redocly's report has no `problems`")?;
    for problem in problems {
        let pointer = problem["location"][0]["pointer"].as_str().unwrap_or("#");
        let pointer = pointer.trim_start_matches('#');
        let rule = format!("redocly/{}", text(&problem["ruleId"]));
        let fails = matches!(problem["severity"].as_str(), Some("error" | "warn"));
        add(pointer, rule, text(&problem["message"]), fails);
    }
    if problems.is_empty() && !out.status.success() {
        bail!("redocly failed without findings:\n{}", out.both());
    }
    if let Some(ignored @ 1..) = report.pointer("/totals/ignored").and_then(Value::as_u64) {
        eprintln!(
            "note: redocly ignored {ignored} problem(s) listed, with reasons, in {REDOCLY_IGNORE}"
        );
    }

    // openapi-spec-validator: the YAML source (as authors write it) and the bundle.
    for file in [root.join(util::SPEC_YAML), path.clone()] {
        let mut validator = python.command("openapi-spec-validator");
        validator.args(["--validation-errors", "all"]).arg(&file);
        let out = capture(&mut validator, LINT_TIMEOUT)?;
        if out.status.success() {
            continue;
        }
        let errors = spec_validator_findings(&bundle, &out.stdout);
        if errors.is_empty() {
            let file = util::rel(&file);
            bail!("openapi-spec-validator failed on {file}:\n{}", out.both());
        }
        failures.extend(errors);
    }

    for note in &notes {
        eprintln!("note: {note}");
    }
    failures.sort();
    failures.dedup();
    findings::report("spectral, redocly, openapi-spec-validator", &failures)
}

/// A JSON value as text: a string as it is, anything else as JSON ("?"
/// when missing).
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "?".into(),
        other => other.to_string(),
    }
}

/// Parses openapi-spec-validator's text report: each error starts with
/// `FILE: Validation Error: [n] MESSAGE` and names its place as
/// `On instance['a']['b']:` (raw keys) or `On instance["a"]["b"]:` (keys
/// escaped as in a JSON pointer, the pinned release's form).
fn spec_validator_findings(bundle: &Bundle, stdout: &str) -> Vec<Finding> {
    // Each error's message, and its place once named.
    let mut errors: Vec<(String, Option<String>)> = Vec::new();
    for line in stdout.lines() {
        let instance = line
            .strip_prefix("On instance")
            .and_then(|s| s.strip_suffix(':'));
        if let Some((_, rest)) = line.split_once(": Validation Error: ") {
            let message = rest.split_once("] ").map_or(rest, |(_, m)| m);
            errors.push((message.to_owned(), None));
        } else if let (Some(instance), Some((_, place @ None))) = (instance, errors.last_mut()) {
            let segments = instance.split("][").map(|segment| {
                let segment = segment.trim_matches(['[', ']']);
                // Older releases quote raw keys ('/crm/...'); newer ones
                // quote JSON-pointer-escaped keys ("~1crm~1...").
                match segment.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    Some(escaped) => escaped.replace("~1", "/").replace("~0", "~"),
                    None => segment.trim_matches('\'').to_owned(),
                }
            });
            *place = Some(findings::pointer(segments.filter(|s| !s.is_empty())));
        }
    }
    errors
        .into_iter()
        .map(|(message, pointer)| {
            let (file, pointer) = bundle.locate(pointer.as_deref().unwrap_or_default());
            Finding::new(file, pointer, "openapi-spec-validator", message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_validator_report_becomes_findings() {
        let bundle = Bundle {
            json: String::new(),
            inlined: Vec::new(),
        };
        let report = "/tmp/x.json: Validation Error: [1] 5 is not of type 'string'\n\n\
            Failed validating 'type' in schema['properties']:\n    {'type': 'string'}\n\n\
            On instance['paths']['/crm/messenger/chat/join']['get']['operationId']:\n    5\n\
            /tmp/x.json: 1 validation errors found\n";
        let escaped = "/tmp/x.json: Validation Error: [1] 5 is not of type 'string'\n\n\
            On instance[\"paths\"][\"~1crm~1messenger~1chat~1join\"][\"get\"][\"operationId\"]:\n    5\n";
        for report in [report, escaped] {
            let found = spec_validator_findings(&bundle, report);
            assert_eq!(
                found,
                vec![Finding::new(
                    util::SPEC_YAML,
                    "/paths/~1crm~1messenger~1chat~1join/get/operationId",
                    "openapi-spec-validator",
                    "5 is not of type 'string'"
                )],
                "{report}"
            );
        }
    }
}
