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
    findings::{self, push_pointer, Finding},
    tools,
    util::{self, capture},
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
    let file_name = path.file_name().context("bundle name")?;
    let node = tools::node()?;
    let python = tools::python()?;

    let mut failures = Vec::new();
    let mut notes = Vec::new();

    // Spectral
    let out = capture(
        node.command("spectral")
            .arg("lint")
            .current_dir(&dir)
            .args(["--ruleset", ".spectral.yaml"])
            .args(["--format", "json", "--fail-severity", "warn"])
            .arg(file_name),
        LINT_TIMEOUT,
    )?;
    let results: Value = serde_json::Deserializer::from_str(&out.stdout)
        .into_iter::<Value>()
        .next()
        .with_context(|| format!("spectral printed no JSON:\n{}", out.both()))?
        .with_context(|| format!("spectral's output is not JSON:\n{}", out.both()))?;
    let results = results
        .as_array()
        .with_context(|| format!("spectral's output is not a list:\n{}", out.both()))?;
    for result in results {
        let pointer = result
            .get("path")
            .and_then(Value::as_array)
            .map(|segments| {
                segments.iter().fold(String::new(), |p, s| match s {
                    Value::String(s) => push_pointer(&p, s),
                    other => format!("{p}/{other}"),
                })
            })
            .unwrap_or_default();
        let severity = result.get("severity").and_then(Value::as_i64).unwrap_or(0);
        let finding = located(
            &bundle,
            &pointer,
            format!("spectral/{}", text(result, "code")),
            text(result, "message"),
        );
        // 0 error, 1 warning: failures; 2 information, 3 hint: shown only.
        if severity <= 1 {
            failures.push(finding);
        } else {
            notes.push(finding);
        }
    }
    if results.is_empty() && !out.status.success() {
        bail!("spectral failed without findings:\n{}", out.both());
    }

    // Redocly
    let out = capture(
        node.command("redocly")
            .arg("lint")
            .current_dir(&dir)
            .args(["--config", "redocly.yaml"])
            .args(["--format", "json"])
            .arg(file_name),
        LINT_TIMEOUT,
    )?;
    let report: Value = serde_json::from_str(&out.stdout)
        .with_context(|| format!("redocly's output is not JSON:\n{}", out.both()))?;
    let problems = report
        .get("problems")
        .and_then(Value::as_array)
        .with_context(|| format!("redocly's report has no `problems`:\n{}", out.stdout))?;
    for problem in problems {
        let pointer = problem
            .pointer("/location/0/pointer")
            .and_then(Value::as_str)
            .unwrap_or("#")
            .trim_start_matches('#')
            .to_owned();
        let finding = located(
            &bundle,
            &pointer,
            format!("redocly/{}", text(problem, "ruleId")),
            text(problem, "message"),
        );
        match problem.get("severity").and_then(Value::as_str) {
            Some("error") | Some("warn") => failures.push(finding),
            _ => notes.push(finding),
        }
    }
    if problems.is_empty() && !out.status.success() {
        bail!("redocly failed without findings:\n{}", out.both());
    }
    if let Some(ignored) = report.pointer("/totals/ignored").and_then(Value::as_u64) {
        if ignored > 0 {
            eprintln!("note: redocly ignored {ignored} problem(s) listed, with reasons, in {REDOCLY_IGNORE}");
        }
    }

    // openapi-spec-validator: the YAML source (as authors write it) and the bundle.
    for file in [root.join(util::SPEC_YAML), path.clone()] {
        let out = capture(
            python
                .command("openapi-spec-validator")
                .args(["--validation-errors", "all"])
                .arg(&file),
            LINT_TIMEOUT,
        )?;
        if out.status.success() {
            continue;
        }
        let found = spec_validator_findings(&bundle, &out.stdout);
        if found.is_empty() {
            bail!(
                "openapi-spec-validator failed on {}:\n{}",
                util::rel(&file),
                out.both()
            );
        }
        failures.extend(found);
    }

    for note in &notes {
        eprintln!("note: {note}");
    }
    failures.sort();
    failures.dedup();
    findings::report("spectral, redocly, openapi-spec-validator", &failures)
}

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "?".into(),
    }
}

fn located(bundle: &Bundle, pointer: &str, rule: String, message: String) -> Finding {
    let (file, pointer) = bundle.locate(pointer);
    Finding::new(file, pointer, rule, message)
}

/// Parses openapi-spec-validator's text report: each error starts with
/// `FILE: Validation Error: [n] MESSAGE` and names its place as
/// `On instance['a']['b']:`.
fn spec_validator_findings(bundle: &Bundle, stdout: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let flush = |message: &mut Option<String>, pointer: &str, out: &mut Vec<Finding>| {
        if let Some(message) = message.take() {
            out.push(located(
                bundle,
                pointer,
                "openapi-spec-validator".into(),
                message,
            ));
        }
    };
    for line in stdout.lines() {
        if let Some((_, rest)) = line.split_once(": Validation Error: ") {
            flush(&mut current, "", &mut out);
            let message = rest
                .split_once("] ")
                .map(|(_, m)| m)
                .unwrap_or(rest)
                .to_owned();
            current = Some(message);
        } else if let Some(instance) = line
            .strip_prefix("On instance")
            .and_then(|s| s.strip_suffix(':'))
        {
            if current.is_some() {
                let pointer = instance
                    .split("][")
                    .map(|segment| segment.trim_matches(|c| c == '[' || c == ']' || c == '\''))
                    .filter(|s| !s.is_empty())
                    .fold(String::new(), |p, s| push_pointer(&p, s));
                flush(&mut current, &pointer, &mut out);
            }
        }
    }
    flush(&mut current, "", &mut out);
    out
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
        let found = spec_validator_findings(&bundle, report);
        assert_eq!(
            found,
            vec![Finding::new(
                util::SPEC_YAML,
                "/paths/~1crm~1messenger~1chat~1join/get/operationId",
                "openapi-spec-validator",
                "5 is not of type 'string'"
            )]
        );
    }
}
