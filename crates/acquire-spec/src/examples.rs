//! The examples of the spec: each request and response example, where it
//! sits, and its value (inline or from its file).

use std::{collections::BTreeSet, fs, path::PathBuf};

use serde_json::Value;

use crate::{escape, read_json, Spec, SpecError};

/// Where an example sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExampleKind {
    /// A request body example.
    Request,
    /// A response body example for the given status (`"200"`, `"400"`...).
    Response {
        /// The response's status key.
        status: String,
    },
}

/// One example of a request or response body.
#[derive(Clone, Debug)]
pub struct Example {
    /// The example's key in its `examples` map.
    pub name: String,
    /// JSON pointer of the example object in the spec.
    pub pointer: String,
    /// The operation it belongs to (`None` for shared responses in `components`).
    pub operation_id: Option<String>,
    /// Request or response, and which status.
    pub kind: ExampleKind,
    /// The media type's schema as written (often a `$ref`).
    pub schema: Value,
    /// The file behind `externalValue`, if the example is external.
    pub file: Option<PathBuf>,
    /// The inline `value`, if the example is inline.
    pub inline: Option<Value>,
}

impl Example {
    /// The component schema's name when the schema is a plain `$ref` to
    /// `#/components/schemas/<name>`.
    pub fn schema_name(&self) -> Option<&str> {
        self.schema
            .get("$ref")?
            .as_str()?
            .strip_prefix("#/components/schemas/")
    }

    /// The example's JSON value (read from its file when external).
    pub fn load(&self) -> Result<Value, SpecError> {
        match (&self.inline, &self.file) {
            (Some(value), _) => Ok(value.clone()),
            (None, Some(path)) => read_json(path),
            (None, None) => Err(SpecError::Shape {
                pointer: self.pointer.clone(),
                message: "example has neither `value` nor `externalValue`".into(),
            }),
        }
    }

    /// A stable, readable identifier: `create_case.response.200.create`.
    pub fn id(&self) -> String {
        let owner = self.operation_id.as_deref().unwrap_or("components");
        match &self.kind {
            ExampleKind::Request => format!("{owner}.request.{}", self.name),
            ExampleKind::Response { status } => format!("{owner}.response.{status}.{}", self.name),
        }
    }
}

impl Spec {
    /// Every request and response example: those of each operation, and
    /// those of the shared `components/responses` and
    /// `components/requestBodies` (each listed once).
    pub fn examples(&self) -> Result<Vec<Example>, SpecError> {
        let mut out = Vec::new();
        for op in self.operations() {
            if let Some(body) = op.value.get("requestBody") {
                if body.get("$ref").is_none() {
                    self.media_examples(
                        body,
                        &format!("{}/requestBody", op.pointer),
                        op.operation_id.clone(),
                        ExampleKind::Request,
                        &mut out,
                    )?;
                }
            }
            if let Some(responses) = op.value.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    if response.get("$ref").is_none() {
                        self.media_examples(
                            response,
                            &format!("{}/responses/{status}", op.pointer),
                            op.operation_id.clone(),
                            ExampleKind::Response {
                                status: status.clone(),
                            },
                            &mut out,
                        )?;
                    }
                }
            }
        }
        for (section, kind) in [
            ("responses", None),
            ("requestBodies", Some(ExampleKind::Request)),
        ] {
            let Some(items) = self
                .document
                .pointer(&format!("/components/{section}"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (name, item) in items {
                let kind = kind.clone().unwrap_or(ExampleKind::Response {
                    status: name.clone(),
                });
                self.media_examples(
                    item,
                    &format!("/components/{section}/{}", escape(name)),
                    None,
                    kind,
                    &mut out,
                )?;
            }
        }
        Ok(out)
    }

    fn media_examples(
        &self,
        holder: &Value,
        pointer: &str,
        operation_id: Option<String>,
        kind: ExampleKind,
        out: &mut Vec<Example>,
    ) -> Result<(), SpecError> {
        let Some(content) = holder.get("content").and_then(Value::as_object) else {
            return Ok(());
        };
        for (media, media_object) in content {
            let schema = media_object.get("schema").cloned().unwrap_or(Value::Null);
            let Some(examples) = media_object.get("examples").and_then(Value::as_object) else {
                continue;
            };
            for (name, example) in examples {
                let example_pointer = format!(
                    "{pointer}/content/{}/examples/{}",
                    escape(media),
                    escape(name)
                );
                let example = self.resolve(example)?;
                let file = example
                    .get("externalValue")
                    .and_then(Value::as_str)
                    .map(|rel| self.dir().join(rel));
                out.push(Example {
                    name: name.clone(),
                    pointer: example_pointer,
                    operation_id: operation_id.clone(),
                    kind: kind.clone(),
                    schema: schema.clone(),
                    file,
                    inline: example.get("value").cloned(),
                });
            }
        }
        Ok(())
    }

    /// The value of the example with id `id` ([`Example::id`], such as
    /// `create_case.response.200.create`).
    pub fn example_value(&self, id: &str) -> Result<Value, SpecError> {
        self.examples()?
            .into_iter()
            .find(|e| e.id() == id)
            .ok_or_else(|| SpecError::Shape {
                pointer: String::new(),
                message: format!("no example `{id}`"),
            })?
            .load()
    }

    /// Every `.json` file under the `examples/` folder beside the spec.
    pub fn example_files_on_disk(&self) -> Result<BTreeSet<PathBuf>, SpecError> {
        let mut out = BTreeSet::new();
        let mut stack = vec![self.dir().join("examples")];
        while let Some(dir) = stack.pop() {
            let entries = fs::read_dir(&dir).map_err(|source| SpecError::Read {
                path: dir.clone(),
                source,
            })?;
            for entry in entries {
                let path = entry
                    .map_err(|source| SpecError::Read {
                        path: dir.clone(),
                        source,
                    })?
                    .path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    out.insert(path);
                }
            }
        }
        Ok(out)
    }
}
