//! Our own rules, checked on the spec parsed with `openapiv3` (operations,
//! bodies, responses) and on its raw JSON (schemas reachable from responses,
//! examples through `acquire-spec`).

use std::collections::{BTreeMap, BTreeSet};

use acquire_spec::{Spec, Strictness};
use anyhow::{Context, Result};
use openapiv3::{MediaType, OpenAPI, ReferenceOr};
use serde_json::Value;

use crate::util::{self, push_pointer, Finding, SPEC_YAML};

/// Method and path of every documented endpoint (from the API notes,
/// `shared/api/ENDPOINTS.md`). Path parameter names do not matter.
/// Acquire does not always follow REST verbs: join is a GET with a body,
/// updating a message is a POST.
pub const DOCUMENTED: &[(&str, &str)] = &[
    // Cases (seed pages)
    ("post", "/crm/messenger/chat/create"),
    ("post", "/crm/messenger/chat/reject"),
    ("get", "/crm/messenger/chat/join"),
    // Cases (rest of the reference)
    ("get", "/crm/objects/case"),
    ("get", "/crm/objects/case/{caseId}"),
    ("post", "/crm/messenger/chat/close"),
    ("post", "/crm/messenger/agent/invite-agent"),
    // Messages of a case
    ("get", "/crm/messenger/chat/messages"),
    ("get", "/crm/objects/case-message/{messageId}"),
    ("post", "/crm/messenger/chat/add-message"),
    ("post", "/mail/add-message"),
    ("post", "/voip/send-sms"),
    ("post", "/crm/messenger/chat/message/{messageId}"),
    ("delete", "/crm/objects/case-message/{messageId}"),
    // Notes
    ("get", "/crm/note"),
    ("get", "/crm/note/get/{noteId}"),
    ("post", "/crm/note/create"),
    ("post", "/crm/note/add-message"),
    ("get", "/crm/note/messages"),
    ("delete", "/crm/note/{noteId}"),
    // Snooze
    ("post", "/crm/follow-up/create"),
    ("delete", "/crm/follow-up/{snoozeId}"),
];

/// `/a/{x}/b` -> `/a/{}/b`: parameter names may differ from the notes.
fn normalise_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match (c, in_param) {
            ('{', _) => {
                in_param = true;
                out.push('{');
            }
            ('}', true) => {
                in_param = false;
                out.push('}');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

/// Checks every rule; returns the findings (empty when all pass).
pub fn check() -> Result<Vec<Finding>> {
    let mut findings = check_spec(&util::root().join(SPEC_YAML))?;
    findings.extend(reference_copies(&util::root())?);
    Ok(findings)
}

/// The evidence sheets under `openapi/reference/` are copies of the
/// project's shared sheets (`../shared/api/` beside the checkout, where
/// CI and maintainers have it): a copy that differs is stale. Without the
/// shared folder there is nothing to compare.
fn reference_copies(root: &std::path::Path) -> Result<Vec<Finding>> {
    let shared = root.join("../shared/api");
    let mut findings = Vec::new();
    if !shared.is_dir() {
        return Ok(findings);
    }
    for name in ["REQUESTS.md", "response-shapes.txt"] {
        let copy = format!("openapi/reference/{name}");
        let ours = util::read(&root.join(&copy))?;
        let theirs = util::read(&shared.join(name))?;
        if ours != theirs {
            findings.push(Finding::new(
                copy,
                "",
                "reference-copy",
                format!("differs from ../shared/api/{name}: copy it again, then fix what the reference tests find"),
            ));
        }
    }
    Ok(findings)
}

/// Checks the spec at `spec_path` (findings name it as [`SPEC_YAML`]).
pub fn check_spec(spec_path: &std::path::Path) -> Result<Vec<Finding>> {
    let spec_path = spec_path.to_path_buf();
    let text = util::read(&spec_path)?;
    let mut findings = Vec::new();

    // 1. Structure, through openapiv3.
    let deserializer = serde_yaml::Deserializer::from_str(&text);
    let api: OpenAPI = match serde_path_to_error::deserialize(deserializer) {
        Ok(api) => api,
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            findings.push(Finding::new(
                SPEC_YAML,
                pointer,
                "openapi-structure",
                format!("not an OpenAPI 3.0 document (openapiv3): {}", e.inner()),
            ));
            return Ok(findings);
        }
    };
    let spec = Spec::load(&spec_path).with_context(|| format!("loading {SPEC_YAML}"))?;

    operations(&api, &mut findings);
    response_schemas(&spec, &mut findings);
    examples(&spec, &mut findings)?;

    findings.sort();
    findings.dedup();
    Ok(findings)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => pointer = push_pointer(&pointer, key),
            Segment::Seq { index } => pointer = format!("{pointer}/{index}"),
            Segment::Enum { variant } => pointer = push_pointer(&pointer, variant),
            Segment::Unknown => pointer.push_str("/?"),
        }
    }
    pointer
}

/// Operation-level rules: ids, summaries, tags, documented methods, and an
/// example on every request body and response that has content.
fn operations(api: &OpenAPI, findings: &mut Vec<Finding>) {
    let declared_tags: BTreeSet<&str> = api.tags.iter().map(|t| t.name.as_str()).collect();
    let mut documented: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (method, path) in DOCUMENTED {
        documented
            .entry(normalise_path(path))
            .or_default()
            .insert(method);
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut bodies_seen = BTreeSet::new();

    for (path, item) in api.paths.iter() {
        let path_pointer = push_pointer("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                findings.push(Finding::new(
                    SPEC_YAML,
                    &path_pointer,
                    "path-item-ref",
                    format!("path item is a `$ref` ({reference}); write operations inline"),
                ));
                continue;
            }
        };
        for (method, op) in item.iter() {
            let pointer = push_pointer(&path_pointer, method);
            let add = |findings: &mut Vec<Finding>, at: &str, rule: &str, message: String| {
                findings.push(Finding::new(SPEC_YAML, at, rule, message));
            };
            match op.operation_id.as_deref().filter(|s| !s.trim().is_empty()) {
                None => add(
                    findings,
                    &pointer,
                    "operation-id",
                    "operation has no `operationId`".into(),
                ),
                Some(id) => {
                    if let Some(first) = ids.insert(id.to_owned(), pointer.clone()) {
                        add(
                            findings,
                            &push_pointer(&pointer, "operationId"),
                            "operation-id",
                            format!("`operationId` {id} is also used at {first}"),
                        );
                    }
                }
            }
            if op.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
                add(
                    findings,
                    &pointer,
                    "operation-summary",
                    "operation has no `summary`".into(),
                );
            }
            if op.tags.is_empty() {
                add(
                    findings,
                    &pointer,
                    "operation-tag",
                    "operation has no tag".into(),
                );
            }
            for (i, tag) in op.tags.iter().enumerate() {
                if !declared_tags.contains(tag.as_str()) {
                    add(
                        findings,
                        &format!("{pointer}/tags/{i}"),
                        "operation-tag",
                        format!("tag `{tag}` is not declared in the top-level `tags`"),
                    );
                }
            }
            match documented.get(&normalise_path(path)) {
                Some(methods) if methods.contains(method) => {}
                Some(methods) => add(
                    findings,
                    &pointer,
                    "documented-method",
                    format!(
                        "{} {path} is not documented: Acquire documents this path as {}",
                        method.to_uppercase(),
                        methods
                            .iter()
                            .map(|m| m.to_uppercase())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                None => add(
                    findings,
                    &pointer,
                    "documented-method",
                    format!(
                        "{} {path} is not in the table of documented endpoints \
                         (xtask/src/rules.rs DOCUMENTED, from shared/api/ENDPOINTS.md)",
                        method.to_uppercase()
                    ),
                ),
            }

            if let Some(body) = &op.request_body {
                let (at, body) = match body {
                    ReferenceOr::Item(body) => (push_pointer(&pointer, "requestBody"), Some(body)),
                    ReferenceOr::Reference { reference } => (
                        reference.trim_start_matches('#').to_owned(),
                        resolve_request_body(api, reference),
                    ),
                };
                match body {
                    None => add(
                        findings,
                        &push_pointer(&pointer, "requestBody"),
                        "request-example",
                        "`$ref` does not resolve to a request body".into(),
                    ),
                    Some(body) if bodies_seen.insert(at.clone()) => {
                        for (media, content) in &body.content {
                            if !has_example(content) {
                                add(
                                    findings,
                                    &push_pointer(&push_pointer(&at, "content"), media),
                                    "request-example",
                                    "request body has no example".into(),
                                );
                            }
                        }
                    }
                    Some(_) => {}
                }
            }

            let statuses = op
                .responses
                .default
                .iter()
                .map(|r| ("default".to_owned(), r))
                .chain(
                    op.responses
                        .responses
                        .iter()
                        .map(|(s, r)| (s.to_string(), r)),
                );
            for (status, response) in statuses {
                let (at, response) = match response {
                    ReferenceOr::Item(r) => (
                        push_pointer(&push_pointer(&pointer, "responses"), &status),
                        Some(r),
                    ),
                    ReferenceOr::Reference { reference } => (
                        reference.trim_start_matches('#').to_owned(),
                        reference
                            .strip_prefix("#/components/responses/")
                            .and_then(|name| api.components.as_ref()?.responses.get(name))
                            .and_then(ReferenceOr::as_item),
                    ),
                };
                match response {
                    None => add(
                        findings,
                        &push_pointer(&push_pointer(&pointer, "responses"), &status),
                        "response-example",
                        "`$ref` does not resolve to a response".into(),
                    ),
                    Some(response) if bodies_seen.insert(at.clone()) => {
                        for (media, content) in &response.content {
                            if !has_example(content) {
                                add(
                                    findings,
                                    &push_pointer(&push_pointer(&at, "content"), media),
                                    "response-example",
                                    format!("response {status} has content but no example"),
                                );
                            }
                        }
                    }
                    Some(_) => {}
                }
            }
        }
    }
    // Shared responses no operation uses still need examples.
    if let Some(components) = &api.components {
        for (name, response) in &components.responses {
            let at = push_pointer("/components/responses", name);
            if let ReferenceOr::Item(response) = response {
                if bodies_seen.insert(at.clone()) {
                    for (media, content) in &response.content {
                        if !has_example(content) {
                            findings.push(Finding::new(
                                SPEC_YAML,
                                push_pointer(&push_pointer(&at, "content"), media),
                                "response-example",
                                "shared response has content but no example",
                            ));
                        }
                    }
                }
            }
        }
    }
}

fn resolve_request_body<'a>(
    api: &'a OpenAPI,
    reference: &str,
) -> Option<&'a openapiv3::RequestBody> {
    let name = reference.strip_prefix("#/components/requestBodies/")?;
    api.components.as_ref()?.request_bodies.get(name)?.as_item()
}

fn has_example(media: &MediaType) -> bool {
    media.example.is_some() || !media.examples.is_empty()
}

/// Schema rules on everything reachable from a response: no closed `enum`
/// (open enums are `type: string` + `x-extensible-enum`) and no
/// `additionalProperties: false`.
fn response_schemas(spec: &Spec, findings: &mut Vec<Finding>) {
    let document = spec.document();
    let mut roots = Vec::new();
    let mut responses = Vec::new();
    for op in spec.operations() {
        if let Some(map) = op.value.get("responses").and_then(Value::as_object) {
            for (status, response) in map {
                let at = push_pointer(&push_pointer(&op.pointer, "responses"), status);
                responses.push((at, response.clone()));
            }
        }
    }
    if let Some(map) = document
        .pointer("/components/responses")
        .and_then(Value::as_object)
    {
        for (name, response) in map {
            responses.push((
                push_pointer("/components/responses", name),
                response.clone(),
            ));
        }
    }
    for (at, response) in responses {
        if response.get("$ref").is_some() {
            continue; // checked where it is defined (components/responses)
        }
        if let Some(content) = response.get("content").and_then(Value::as_object) {
            for (media, media_object) in content {
                if let Some(schema) = media_object.get("schema") {
                    let pointer = push_pointer(
                        &push_pointer(&push_pointer(&at, "content"), media),
                        "schema",
                    );
                    roots.push((pointer, schema.clone(), at.clone()));
                }
            }
        }
    }
    let mut visited = BTreeSet::new();
    for (pointer, schema, response) in roots {
        walk_schema(
            document,
            &schema,
            &pointer,
            &response,
            &mut visited,
            findings,
        );
    }
}

fn walk_schema(
    document: &Value,
    schema: &Value,
    pointer: &str,
    response: &str,
    visited: &mut BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    if !visited.insert(pointer.to_owned()) {
        return;
    }
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if let Some(target_pointer) = reference.strip_prefix('#') {
            match document.pointer(target_pointer) {
                Some(target) => walk_schema(
                    document,
                    target,
                    target_pointer,
                    response,
                    visited,
                    findings,
                ),
                None => findings.push(Finding::new(
                    SPEC_YAML,
                    push_pointer(pointer, "$ref"),
                    "ref-resolves",
                    format!("`{reference}` points at nothing"),
                )),
            }
        }
        return;
    }
    if map.contains_key("enum") {
        findings.push(Finding::new(
            SPEC_YAML,
            push_pointer(pointer, "enum"),
            "open-enum",
            format!(
                "closed `enum` on a server-controlled value (reachable from response {response}); \
                 declare `type: string` with the known values in `x-extensible-enum`"
            ),
        ));
    }
    if let Some(values) = map.get("x-extensible-enum") {
        if map.get("type").and_then(Value::as_str) != Some("string") {
            findings.push(Finding::new(
                SPEC_YAML,
                pointer,
                "open-enum",
                "`x-extensible-enum` needs `type: string`",
            ));
        }
        if !values
            .as_array()
            .is_some_and(|v| v.iter().all(Value::is_string))
        {
            findings.push(Finding::new(
                SPEC_YAML,
                push_pointer(pointer, "x-extensible-enum"),
                "open-enum",
                "`x-extensible-enum` must be a list of strings",
            ));
        }
    }
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        findings.push(Finding::new(
            SPEC_YAML,
            push_pointer(pointer, "additionalProperties"),
            "no-additional-properties-false",
            format!(
                "`additionalProperties: false` in a response schema (reachable from response \
                 {response}) makes every new Acquire field an error; omit it or use `{{}}`"
            ),
        ));
    }
    for key in ["properties", "patternProperties"] {
        if let Some(props) = map.get(key).and_then(Value::as_object) {
            for (name, child) in props {
                let at = push_pointer(&push_pointer(pointer, key), name);
                walk_schema(document, child, &at, response, visited, findings);
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get(key).filter(|v| v.is_object()) {
            let at = push_pointer(pointer, key);
            walk_schema(document, child, &at, response, visited, findings);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(children) = map.get(key).and_then(Value::as_array) {
            for (i, child) in children.iter().enumerate() {
                let at = format!("{}/{i}", push_pointer(pointer, key));
                walk_schema(document, child, &at, response, visited, findings);
            }
        }
    }
}

/// Every example validates against its schema (as declared, and with only
/// declared properties), every example file is readable and referenced.
fn examples(spec: &Spec, findings: &mut Vec<Finding>) -> Result<()> {
    let examples = match spec.examples() {
        Ok(examples) => examples,
        Err(e) => {
            findings.push(Finding::new(
                SPEC_YAML,
                "",
                "example-valid",
                format!("listing examples: {e}"),
            ));
            return Ok(());
        }
    };
    let mut referenced = BTreeSet::new();
    for example in &examples {
        if let Some(file) = &example.file {
            referenced.insert(file.canonicalize().unwrap_or_else(|_| file.clone()));
        }
        let (file, base) = match &example.file {
            Some(file) => (util::rel(file), String::new()),
            None => (SPEC_YAML.to_owned(), format!("{}/value", example.pointer)),
        };
        let value = match example.load() {
            Ok(value) => value,
            Err(e) => {
                findings.push(Finding::new(
                    SPEC_YAML,
                    &example.pointer,
                    "example-file",
                    format!("example {}: {e}", example.id()),
                ));
                continue;
            }
        };
        let mut reported = BTreeSet::new();
        for (strictness, rule) in [
            (Strictness::AsDeclared, "example-valid"),
            (Strictness::DeclaredOnly, "example-declared-only"),
        ] {
            let validator = match spec.validator(&example.schema, strictness) {
                Ok(v) => v,
                Err(e) => {
                    findings.push(Finding::new(
                        SPEC_YAML,
                        push_pointer(
                            example.pointer.rsplitn(3, '/').nth(2).unwrap_or(""),
                            "schema",
                        ),
                        "schema-compiles",
                        e.to_string(),
                    ));
                    break;
                }
            };
            for failure in validator.failures(&value) {
                if !reported.insert(failure.instance_path.clone()) {
                    continue;
                }
                findings.push(Finding::new(
                    &file,
                    format!("{base}{}", failure.instance_path),
                    rule,
                    format!(
                        "{} (example {} at {SPEC_YAML}#{}; schema keyword {})",
                        failure.message,
                        example.id(),
                        example.pointer,
                        failure.schema_path
                    ),
                ));
            }
        }
    }
    // Media types with a single inline `example` (acquire-spec lists `examples` maps).
    single_examples(spec, findings);

    match spec.example_files_on_disk() {
        Ok(files) => {
            for file in files {
                let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
                if !referenced.contains(&canonical) {
                    findings.push(Finding::new(
                        util::rel(&file),
                        "",
                        "example-file-used",
                        format!("no `externalValue` in {SPEC_YAML} refers to this example file"),
                    ));
                }
            }
        }
        Err(e) => findings.push(Finding::new(
            SPEC_YAML,
            "",
            "example-file-used",
            e.to_string(),
        )),
    }
    Ok(())
}

fn single_examples(spec: &Spec, findings: &mut Vec<Finding>) {
    let mut holders = Vec::new();
    for op in spec.operations() {
        if let Some(body) = op.value.get("requestBody") {
            holders.push((push_pointer(&op.pointer, "requestBody"), body.clone()));
        }
        if let Some(map) = op.value.get("responses").and_then(Value::as_object) {
            for (status, r) in map {
                holders.push((
                    push_pointer(&push_pointer(&op.pointer, "responses"), status),
                    r.clone(),
                ));
            }
        }
    }
    for section in ["responses", "requestBodies"] {
        if let Some(map) = spec
            .document()
            .pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
        {
            for (name, r) in map {
                holders.push((
                    push_pointer(&format!("/components/{section}"), name),
                    r.clone(),
                ));
            }
        }
    }
    for (at, holder) in holders {
        let Some(content) = holder.get("content").and_then(Value::as_object) else {
            continue;
        };
        for (media, media_object) in content {
            let Some(example) = media_object.get("example") else {
                continue;
            };
            let pointer = push_pointer(
                &push_pointer(&push_pointer(&at, "content"), media),
                "example",
            );
            let schema = media_object.get("schema").cloned().unwrap_or(Value::Null);
            match spec.validator(&schema, Strictness::AsDeclared) {
                Ok(validator) => {
                    for failure in validator.failures(example) {
                        findings.push(Finding::new(
                            SPEC_YAML,
                            format!("{pointer}{}", failure.instance_path),
                            "example-valid",
                            format!(
                                "{} (schema keyword {})",
                                failure.message, failure.schema_path
                            ),
                        ));
                    }
                }
                Err(e) => findings.push(Finding::new(
                    SPEC_YAML,
                    &pointer,
                    "schema-compiles",
                    e.to_string(),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: cases}]
paths:
  /crm/messenger/chat/join:
    post:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Case"}
  /crm/nowhere:
    get:
      operationId: nowhere
      summary: Nowhere
      tags: [cases, other]
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Case"}
              examples:
                bad: {value: {id: "seven", status: pending}}
components:
  schemas:
    Case:
      type: object
      required: [id]
      additionalProperties: false
      properties:
        id: {type: integer}
        status: {type: string, enum: [pending, active]}
"##;

    fn rules_of(findings: &[Finding], pointer: &str) -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.pointer == pointer)
            .map(|f| f.rule.clone())
            .collect()
    }

    #[test]
    fn every_rule_names_file_pointer_and_rule() {
        let dir = std::env::temp_dir().join(format!("xtask-rules-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("examples")).unwrap();
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, BAD).unwrap();
        let findings = check_spec(&spec).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        for f in &findings {
            assert!(!f.file.is_empty() && !f.rule.is_empty(), "{f}");
        }
        let join = "/paths/~1crm~1messenger~1chat~1join/post";
        let join_rules = rules_of(&findings, join);
        for rule in [
            "operation-id",
            "operation-summary",
            "operation-tag",
            "documented-method",
        ] {
            assert!(
                join_rules.contains(&rule.to_owned()),
                "{rule}: {findings:#?}"
            );
        }
        assert!(findings
            .iter()
            .any(|f| f.rule == "documented-method"
                && f.message.contains("documents this path as GET")));
        assert_eq!(
            rules_of(
                &findings,
                &format!("{join}/responses/200/content/application~1json")
            ),
            ["response-example"]
        );
        let nowhere = "/paths/~1crm~1nowhere/get";
        assert_eq!(rules_of(&findings, nowhere), ["documented-method"]);
        assert_eq!(
            rules_of(&findings, &format!("{nowhere}/tags/1")),
            ["operation-tag"]
        );
        assert_eq!(
            rules_of(
                &findings,
                &format!("{nowhere}/requestBody/content/application~1json")
            ),
            ["request-example"]
        );
        assert_eq!(
            rules_of(&findings, "/components/schemas/Case/properties/status/enum"),
            ["open-enum"]
        );
        assert_eq!(
            rules_of(&findings, "/components/schemas/Case/additionalProperties"),
            ["no-additional-properties-false"]
        );
        let example =
            format!("{nowhere}/responses/200/content/application~1json/examples/bad/value/id");
        assert_eq!(rules_of(&findings, &example), ["example-valid"]);
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
