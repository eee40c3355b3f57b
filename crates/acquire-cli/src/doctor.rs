//! `acquire doctor`: a read-only check of the configured account against
//! the spec compiled into this command.
//!
//! It makes four calls (list cases, one page; get the first case; list the
//! messages of its thread with its contact; list that contact's notes) and
//! reports every finding in their responses: members the spec does not
//! declare and enum values outside its lists (the client's drift
//! detection, `acquire::drift`), and values the response schema refuses
//! (validated with `acquire-spec`). A finding never shows a member's value,
//! only an unknown enum value.
//!
//! Exit codes (a contract: scripts and monitoring call it): 0 nothing new;
//! 3 something new, everything decoded; 1 a call failed or a response did
//! not decode; 2 a usage or configuration error.

use std::{
    fs,
    io::ErrorKind,
    path::{Path, PathBuf},
};

use acquire::{
    drift::{observe, DriftKind, Observed},
    Client, ContactId, ThreadId,
};
use acquire_spec::{Spec, Strictness};
use serde_json::{json, Value};

use crate::{
    cli::DoctorArgs,
    failure::Failure,
    output::{emit, Output, Render},
    sheet::{column, Cell, Column, Sheet},
};

/// One thing a response held that the spec does not know or allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The operation whose response showed it.
    pub operation: &'static str,
    /// Where: a JSON pointer, `*` for array elements and map entries.
    pub pointer: String,
    /// `undeclared_member`, `unknown_enum_value` or `schema_violation`.
    pub kind: &'static str,
    /// The enum value, for an unknown enum value (never a member's value).
    pub value: Option<String>,
    /// The schema keyword refused, for a schema violation (`type`, `pattern`...).
    pub rule: Option<String>,
}

const COLUMNS: &[Column<Finding>] = &[
    column("OPERATION", "operation", |f| Cell::Text(f.operation.into())),
    column("POINTER", "pointer", |f| Cell::Text(f.pointer.clone())),
    column("KIND", "kind", |f| Cell::Text(f.kind.into())),
    column("VALUE", "value", |f| Cell::of(f.value.as_ref())),
    column("RULE", "rule", |f| Cell::of(f.rule.as_ref())),
];

/// Every finding of a run.
struct Report(Vec<Finding>);

impl Render for Report {
    fn json(&self) -> Result<Value, serde_json::Error> {
        Ok(Value::Array(self.0.iter().map(finding_json).collect()))
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(COLUMNS, &self.0)
    }
}

fn finding_json(finding: &Finding) -> Value {
    let mut object = json!({
        "operation": finding.operation,
        "pointer": finding.pointer,
        "kind": finding.kind,
    });
    if let Some(value) = &finding.value {
        object["value"] = json!(value);
    }
    if let Some(rule) = &finding.rule {
        object["rule"] = json!(rule);
    }
    object
}

/// Runs the check; `output` is `None` when `--output` was not given (the
/// doctor then prints a table, wherever its output goes).
pub async fn run(args: DoctorArgs, output: Option<Output>) -> Result<(), Failure> {
    let client = Client::from_env()?;
    let mut doctor = Doctor {
        spec: Spec::embedded(),
        save: args.save,
        findings: Vec::new(),
        calls: 0,
    };
    let outcome = doctor.calls(&client).await;
    print(
        &doctor.findings,
        output.unwrap_or(Output::Table),
        doctor.calls,
    )?;
    outcome?;
    if doctor.findings.is_empty() {
        Ok(())
    } else {
        Err(Failure::Drift(format!(
            "{} finding(s) in {} call(s): Acquire sends what the spec does not know",
            doctor.findings.len(),
            doctor.calls
        )))
    }
}

struct Doctor {
    spec: &'static Spec,
    save: Option<PathBuf>,
    findings: Vec<Finding>,
    calls: usize,
}

impl Doctor {
    /// The four calls, each after the one it needs.
    async fn calls(&mut self, client: &Client) -> Result<(), Failure> {
        let page = self.check(observe(client.cases().list().send())).await?;
        let Some(first) = page.items.first() else {
            eprintln!("doctor: the account has no cases; only the list was checked");
            return Ok(());
        };
        let case = self
            .check(observe(client.cases().get(first.id).send()))
            .await?;
        let contact = case
            .contact_id
            .or(case.contact.as_ref().map(|c| c.id))
            .or(first.contact_id);
        let Some(contact) = contact else {
            eprintln!(
                "doctor: case {} names no contact; its messages and notes were not checked",
                case.id
            );
            return Ok(());
        };
        let thread = case.thread_id.unwrap_or(ThreadId::from(case.id));
        self.check(observe(client.messages().list(thread, contact).send()))
            .await?;
        self.notes(client, contact).await
    }

    async fn notes(&mut self, client: &Client, contact: ContactId) -> Result<(), Failure> {
        self.check(observe(client.notes().list(contact).send()))
            .await
            .map(drop)
    }

    /// Records what one call showed; its result, or why it failed (naming
    /// the operation, and where the body breaks the schema).
    async fn check<T>(
        &mut self,
        call: impl std::future::Future<Output = Observed<T>>,
    ) -> Result<T, Failure> {
        let seen = call.await;
        self.calls += 1;
        let operation = seen.operation_id.unwrap_or("(no request)");
        let mut found: Vec<Finding> = seen
            .findings
            .iter()
            .map(|f| Finding {
                operation,
                pointer: f.pointer.clone(),
                kind: f.kind.name(),
                value: match &f.kind {
                    DriftKind::UnknownEnumValue { value, .. } => Some(value.clone()),
                    _ => None,
                },
                rule: None,
            })
            .collect();
        found.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        found.dedup();
        let violations = match &seen.body {
            Some(body) => self.violations(operation, body),
            None => Vec::new(),
        };
        found.extend(violations);
        if !found.is_empty() {
            if let (Some(dir), Some(body)) = (&self.save, &seen.body) {
                save(dir, operation, body)?;
            }
        }
        self.findings.extend(found);
        seen.result.map_err(|error| {
            let failure = Failure::from(error);
            match failure {
                Failure::Call(error) => Failure::Other(format!("{operation}: {error}")),
                other => other,
            }
        })
    }

    /// Where `body` breaks the schema of `operation`'s 200 response: each
    /// failing keyword once per pointer, without the value.
    fn violations(&self, operation: &'static str, body: &[u8]) -> Vec<Finding> {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return vec![Finding {
                operation,
                pointer: String::new(),
                kind: "schema_violation",
                value: None,
                rule: Some("json".into()),
            }];
        };
        let Some(schema) = self.success_schema(operation) else {
            return Vec::new();
        };
        let Ok(validator) = self.spec.validator(&schema, Strictness::AsDeclared) else {
            return Vec::new();
        };
        let mut out: Vec<Finding> = validator
            .failures(&value)
            .into_iter()
            .map(|failure| Finding {
                operation,
                pointer: starred(&failure.instance_path),
                kind: "schema_violation",
                value: None,
                rule: failure.schema_path.rsplit('/').next().map(str::to_owned),
            })
            .collect();
        out.sort_by(|a, b| (&a.pointer, &a.rule).cmp(&(&b.pointer, &b.rule)));
        out.dedup();
        out
    }

    /// The schema of `operation`'s 200 JSON response.
    fn success_schema(&self, operation: &str) -> Option<Value> {
        let found = self.spec.operation(operation)?;
        let response = found.value.pointer("/responses/200")?;
        let response = self.spec.resolve(response).ok()?;
        response
            .pointer("/content/application~1json/schema")
            .cloned()
    }
}

/// `pointer` with its array indices (and positional keys) as `*`.
fn starred(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes `body` as received to `DIR/<operation>.<n>.json`, `n` the first
/// number not taken (nothing saved before is overwritten).
fn save(dir: &Path, operation: &str, body: &[u8]) -> Result<(), Failure> {
    fs::create_dir_all(dir)
        .map_err(|e| Failure::Other(format!("cannot create {}: {e}", dir.display())))?;
    for n in 1.. {
        let path = dir.join(format!("{operation}.{n}.json"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(body)
                    .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
                eprintln!("doctor: saved {}", path.display());
                return Ok(());
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Failure::Other(format!(
                    "cannot write {}: {e}",
                    path.display()
                )))
            }
        }
    }
    Ok(())
}

/// Prints the findings: a table (with a summary line), one JSON object per
/// line, or CSV.
fn print(findings: &[Finding], output: Output, calls: usize) -> Result<(), Failure> {
    let report = Report(findings.to_vec());
    match output {
        Output::Json => {
            let mut text = String::new();
            for finding in findings {
                text.push_str(&finding_json(finding).to_string());
                text.push('\n');
            }
            emit(&text)
        }
        Output::Csv => emit(&report.sheet().csv(true)?),
        Output::Table if findings.is_empty() => emit(&format!(
            "{calls} call(s): every response matches the spec\n"
        )),
        Output::Table => emit(&format!(
            "{}{} finding(s) in {calls} call(s)\n",
            report.table(),
            findings.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_and_positions_become_stars() {
        assert_eq!(
            starred("/data/data/0/users/12/role"),
            "/data/data/*/users/*/role"
        );
        assert_eq!(starred(""), "");
    }

    #[test]
    fn saving_never_overwrites() {
        let dir = std::env::temp_dir().join(format!("acquire-doctor-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for body in [b"{\"a\":1}".as_slice(), b"{\"a\":2}"] {
            assert!(save(&dir, "get_case", body).is_ok());
        }
        let first = fs::read(dir.join("get_case.1.json")).unwrap_or_default();
        let second = fs::read(dir.join("get_case.2.json")).unwrap_or_default();
        assert_eq!(
            (first.as_slice(), second.as_slice()),
            (b"{\"a\":1}".as_slice(), b"{\"a\":2}".as_slice())
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
