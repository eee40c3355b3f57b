//! Our own rules, on the spec's JSON (through `acquire-spec`) after a
//! structural parse with `openapiv3`: every operation has an id, a summary
//! and declared tags, and is an endpoint Acquire documents
//! (`openapi/reference/ENDPOINTS.md`); every body has an example, and inline
//! `example`s validate; no closed enum and no `additionalProperties: false`
//! in what responses reach. The examples of `examples` maps (all of ours:
//! files behind `externalValue`) are validated, and checked to be used, by
//! the workspace tests (`tests/examples.rs`), not again here.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use acquire_spec::Spec;
use anyhow::{Context, Result};
use openapiv3::OpenAPI;
use serde_json::Value;

use crate::{
    findings::{push_pointer, Finding},
    util::{self, SPEC_YAML},
};

mod bodies;

/// The evidence sheet of the documented endpoints (a copy of
/// `../shared/api/ENDPOINTS.md`, see [`reference_copies`]).
const ENDPOINTS: &str = "openapi/reference/ENDPOINTS.md";

/// Method (lower case) and path of every endpoint the sheet's tables
/// document: each cell that reads ``METHOD `/path?query` ``, the query
/// dropped. Acquire does not always follow REST verbs (join is a GET with a
/// body, updating a message is a POST): the sheet says which.
fn documented_endpoints(sheet: &str) -> Vec<(String, String)> {
    let rows = sheet.lines().filter(|l| l.starts_with('|'));
    let mut out = Vec::new();
    for cell in rows.flat_map(|row| row.split('|')) {
        let Some((method, rest)) = cell.trim().split_once(" `") else {
            continue;
        };
        if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) {
            let path = rest.split(['`', '?']).next().unwrap_or_default();
            out.push((method.to_ascii_lowercase(), path.to_owned()));
        }
    }
    out
}

/// `/a/{x}/b` -> `/a/{}/b`: parameter names may differ from the notes.
fn normalise_path(path: &str) -> String {
    let mut parts = path.split('{');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        out.push_str("{}");
        out.push_str(part.split_once('}').map_or("", |(_, rest)| rest));
    }
    out
}

/// Checks every rule; returns the findings (empty when all pass).
pub fn check() -> Result<Vec<Finding>> {
    let root = util::root();
    let documented = documented_endpoints(&util::read(&root.join(ENDPOINTS))?);
    let mut findings = check_spec(&root.join(SPEC_YAML), &documented)?;
    findings.extend(reference_copies(&root)?);
    Ok(findings)
}

/// The evidence sheets under `openapi/reference/` are copies of the
/// project's shared sheets (`../shared/api/` beside the checkout, where
/// CI and maintainers have it): a copy that differs is stale. Without the
/// shared folder there is nothing to compare.
fn reference_copies(root: &Path) -> Result<Vec<Finding>> {
    let shared = root.join("../shared/api");
    let mut findings = Vec::new();
    if !shared.is_dir() {
        return Ok(findings);
    }
    for name in ["ENDPOINTS.md", "REQUESTS.md", "response-shapes.txt"] {
        let copy = format!("openapi/reference/{name}");
        let ours = util::read(&root.join(&copy))?;
        let theirs = util::read(&shared.join(name))?;
        if ours != theirs {
            let message = format!(
                "differs from ../shared/api/{name}: copy it again, then fix what the reference \
                 tests find"
            );
            findings.push(Finding::new(copy, "", "reference-copy", message));
        }
    }
    Ok(findings)
}

/// Checks the spec at `spec_path` (findings name it as [`SPEC_YAML`])
/// against the `documented` endpoints.
pub fn check_spec(spec_path: &Path, documented: &[(String, String)]) -> Result<Vec<Finding>> {
    let text = util::read(spec_path)?;
    // Structure, through openapiv3 (what progenitor reads it with).
    let deserializer = serde_yaml::Deserializer::from_str(&text);
    if let Err(e) = serde_path_to_error::deserialize::<_, OpenAPI>(deserializer) {
        let message = format!("not an OpenAPI 3.0 document (openapiv3): {}", e.inner());
        let at = path_to_pointer(e.path());
        return Ok(vec![Finding::new(
            SPEC_YAML,
            at,
            "openapi-structure",
            message,
        )]);
    }
    let spec = Spec::load(spec_path).with_context(|| format!("loading {SPEC_YAML}"))?;
    let mut findings = Vec::new();
    if documented.is_empty() {
        findings.push(Finding::new(
            ENDPOINTS,
            "",
            "documented-method",
            "no endpoint (a table cell ``METHOD `/path` ``) found",
        ));
    }
    local_refs(spec.document(), "", &mut findings);
    operations(&spec, documented, &mut findings);
    bodies::check(&spec, &mut findings);
    findings.sort();
    findings.dedup();
    Ok(findings)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |pointer, segment| match segment {
            Segment::Map { key } => push_pointer(&pointer, key),
            Segment::Seq { index } => format!("{pointer}/{index}"),
            Segment::Enum { variant } => push_pointer(&pointer, variant),
            Segment::Unknown => pointer + "/?",
        })
}

/// Every `$ref` is local (`#/...`): one document, examples in `externalValue`.
fn local_refs(value: &Value, pointer: &str, findings: &mut Vec<Finding>) {
    match value {
        Value::Object(map) => {
            let reference = map.get("$ref").and_then(Value::as_str);
            if let Some(reference) = reference.filter(|r| !r.starts_with('#')) {
                let message = format!(
                    "`$ref: {reference}` points outside the document; keep references local \
                     (#/components/...) and examples in `externalValue`"
                );
                let at = push_pointer(pointer, "$ref");
                findings.push(Finding::new(SPEC_YAML, at, "local-refs", message));
            }
            for (key, child) in map {
                local_refs(child, &push_pointer(pointer, key), findings);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                local_refs(child, &format!("{pointer}/{i}"), findings);
            }
        }
        _ => {}
    }
}

/// Operation rules: unique ids, summaries, declared tags, and a documented
/// method and path.
fn operations(spec: &Spec, documented: &[(String, String)], findings: &mut Vec<Finding>) {
    let document = spec.document();
    let mut add = |at: &str, rule: &str, message: String| {
        findings.push(Finding::new(SPEC_YAML, at, rule, message));
    };
    let tags = document["tags"].as_array().into_iter().flatten();
    let declared_tags: BTreeSet<&str> = tags.filter_map(|t| t["name"].as_str()).collect();
    let mut methods: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (method, path) in documented {
        methods
            .entry(normalise_path(path))
            .or_default()
            .insert(method);
    }
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        if let Some(reference) = item["$ref"].as_str() {
            let message = format!("path item is a `$ref` ({reference}); write operations inline");
            add(&push_pointer("/paths", path), "path-item-ref", message);
        }
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for op in spec.operations() {
        let at = op.pointer.as_str();
        let text = |key: &str| {
            op.value[key]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        match text("operationId") {
            None => add(at, "operation-id", "operation has no `operationId`".into()),
            Some(id) => {
                if let Some(first) = ids.insert(id.to_owned(), at.to_owned()) {
                    let message = format!("`operationId` {id} is also used at {first}");
                    add(&push_pointer(at, "operationId"), "operation-id", message);
                }
            }
        }
        if text("summary").is_none() {
            add(at, "operation-summary", "operation has no `summary`".into());
        }
        let tags = op.value["tags"].as_array();
        if tags.is_none_or(Vec::is_empty) {
            add(at, "operation-tag", "operation has no tag".into());
        }
        for (i, tag) in tags.into_iter().flatten().enumerate() {
            let tag = tag.as_str().unwrap_or_default();
            if !declared_tags.contains(tag) {
                let message = format!("tag `{tag}` is not declared in the top-level `tags`");
                add(&format!("{at}/tags/{i}"), "operation-tag", message);
            }
        }
        let shown = format!("{} {}", op.method.to_uppercase(), op.path);
        let message = match methods.get(&normalise_path(&op.path)) {
            Some(methods) if methods.contains(op.method.as_str()) => continue,
            Some(methods) => {
                let methods: Vec<String> = methods.iter().map(|m| m.to_uppercase()).collect();
                let methods = methods.join(", ");
                format!("{shown} is not documented: Acquire documents this path as {methods}")
            }
            None => format!("{shown} is not an endpoint of the tables in {ENDPOINTS}"),
        };
        add(at, "documented-method", message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(findings: &[Finding], pointer: &str) -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.pointer == pointer)
            .map(|f| f.rule.clone())
            .collect()
    }

    #[test]
    fn every_rule_names_file_pointer_and_rule() {
        let spec = util::root().join("xtask/tests/fixtures/bad-spec.yaml");
        let sheet = util::read(&util::root().join(ENDPOINTS)).unwrap();
        let findings = check_spec(&spec, &documented_endpoints(&sheet)).unwrap();
        for f in &findings {
            assert!(!f.file.is_empty() && !f.rule.is_empty(), "{f}");
        }
        // The join operation has no id, summary or tag, and is documented as a GET.
        let join = "/paths/~1crm~1messenger~1chat~1join/post";
        assert_eq!(
            rules_of(&findings, join),
            [
                "documented-method",
                "operation-id",
                "operation-summary",
                "operation-tag"
            ]
        );
        assert!(findings
            .iter()
            .any(|f| f.rule == "documented-method"
                && f.message.contains("documents this path as GET")));
        let nowhere = "/paths/~1crm~1nowhere/get";
        let json = "content/application~1json";
        let schemas = "/components/schemas";
        for (pointer, rule) in [
            (format!("{join}/responses/200/{json}"), "response-example"),
            (nowhere.to_owned(), "documented-method"),
            (format!("{nowhere}/tags/1"), "operation-tag"),
            (format!("{nowhere}/requestBody/{json}"), "request-example"),
            (
                format!("{schemas}/Case/properties/status/enum"),
                "open-enum",
            ),
            (
                format!("{schemas}/Case/additionalProperties"),
                "no-additional-properties-false",
            ),
            (format!("{schemas}/Elsewhere/$ref"), "local-refs"),
            (
                format!("{nowhere}/responses/200/{json}/example/id"),
                "example-valid",
            ),
        ] {
            assert_eq!(rules_of(&findings, &pointer), [rule], "{pointer}");
        }
    }

    #[test]
    fn the_sheet_documents_methods_and_paths() {
        let sheet = "| op | method + path | input |\n|---|---|---|\n\
            | create | POST `/crm/messenger/chat/create?contactId={int}` | `a\\|b` |\n\
            | delete | DELETE `/crm/follow-up/{snoozeId}` (under construction) | |\n\
            | reopen | same POST as create | |\n\
            Text with GET `/not/a/table`.\n";
        assert_eq!(
            documented_endpoints(sheet),
            [
                ("post".into(), "/crm/messenger/chat/create".into()),
                ("delete".into(), "/crm/follow-up/{snoozeId}".into())
            ]
        );
    }

    #[test]
    fn parameter_names_do_not_matter() {
        assert_eq!(
            normalise_path("/crm/objects/case/{id}"),
            "/crm/objects/case/{}"
        );
        assert_eq!(normalise_path("/crm/note"), "/crm/note");
    }

    #[test]
    fn the_project_spec_passes() {
        let findings = check().unwrap();
        assert!(findings.is_empty(), "{findings:#?}");
    }
}
