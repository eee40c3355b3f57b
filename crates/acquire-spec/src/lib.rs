#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::{
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

use serde_json::Value;

mod examples;
mod validation;

pub use examples::{Example, ExampleKind};
pub use validation::{
    openapi_to_json_schema, Failure, SchemaValidator, Strictness, INTEGER, REQUIRED_ONE_OF,
};

/// The HTTP methods an OpenAPI path item may hold, in document order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The project's spec as one JSON document (`openapi/acquire-cases.json`:
/// every example inlined), compiled into this crate: a copy that
/// `cargo xtask generate --check` keeps identical to the one in `openapi/`.
pub const EMBEDDED_JSON: &str = include_str!("../spec/acquire-cases.json");

/// The name an embedded spec reports as its path.
const EMBEDDED_NAME: &str = "acquire-cases.json (embedded)";

/// Why the spec or one of its examples could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// A file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec is not valid YAML.
    #[error("parsing {path} as YAML: {source}")]
    Yaml {
        /// The file.
        path: PathBuf,
        /// The parser's error.
        source: serde_yaml::Error,
    },
    /// An example file is not valid JSON.
    #[error("parsing {path} as JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// The document does not have the shape this crate reads.
    #[error("{pointer}: {message}")]
    Shape {
        /// JSON pointer into the spec.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A schema could not be compiled into a validator.
    #[error("{pointer}: schema does not compile: {message}")]
    Schema {
        /// JSON pointer into the spec.
        pointer: String,
        /// The compiler's message.
        message: String,
    },
}

/// One operation of the spec.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Lowercase HTTP method.
    pub method: String,
    /// Path template, e.g. `/crm/objects/case/{caseId}`.
    pub path: String,
    /// The `operationId`, if any.
    pub operation_id: Option<String>,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// The operation object itself.
    pub value: Value,
}

/// The parsed spec.
#[derive(Clone, Debug)]
pub struct Spec {
    path: PathBuf,
    document: Value,
}

impl Spec {
    /// Reads and parses the spec at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref().to_path_buf();
        let text = fs::read_to_string(&path).map_err(|source| SpecError::Read {
            path: path.clone(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// The project's spec, compiled into this crate ([`EMBEDDED_JSON`]),
    /// parsed once. Its examples are inline, so they load without files.
    pub fn embedded() -> &'static Spec {
        static EMBEDDED: OnceLock<Spec> = OnceLock::new();
        EMBEDDED.get_or_init(|| match Self::parse(EMBEDDED_NAME, EMBEDDED_JSON) {
            Ok(spec) => spec,
            // The build copies a document `cargo xtask generate` wrote and
            // checks; it cannot fail to parse unless the crate is corrupt.
            Err(e) => panic!("the embedded spec does not parse: {e}"),
        })
    }

    /// Parses a spec's text (YAML or JSON) named `name` in errors.
    pub fn parse(name: impl Into<PathBuf>, text: &str) -> Result<Self, SpecError> {
        let path = name.into();
        let document = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|source| SpecError::Json {
                path: path.clone(),
                source,
            })?
        } else {
            serde_yaml::from_str(text).map_err(|source| SpecError::Yaml {
                path: path.clone(),
                source,
            })?
        };
        Ok(Self { path, document })
    }

    /// The whole document, as JSON.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The parameters that apply to `operation`, as written (`$ref`s not
    /// resolved): the path item's first, then the operation's own.
    pub fn parameters(&self, operation: &Operation) -> Vec<Value> {
        let path_level = self
            .document
            .pointer(&format!("/paths/{}/parameters", escape(&operation.path)))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let own = operation
            .value
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        path_level.into_iter().chain(own).collect()
    }

    /// The spec file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder `externalValue` paths are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Follows local `$ref`s (`#/...`) until a non-reference value.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> Result<&'a Value, SpecError> {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok(value);
            };
            let pointer = reference
                .strip_prefix('#')
                .ok_or_else(|| SpecError::Shape {
                    pointer: reference.to_owned(),
                    message: "only local references (#/...) are supported".into(),
                })?;
            value = self
                .document
                .pointer(pointer)
                .ok_or_else(|| SpecError::Shape {
                    pointer: reference.to_owned(),
                    message: "reference points at nothing".into(),
                })?;
        }
        Err(SpecError::Shape {
            pointer: String::new(),
            message: "reference chain longer than 32".into(),
        })
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<Operation> {
        let mut out = Vec::new();
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push(Operation {
                        method: method.to_owned(),
                        path: path.clone(),
                        operation_id: op
                            .get("operationId")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        pointer: format!("/paths/{}/{method}", escape(path)),
                        value: op.clone(),
                    });
                }
            }
        }
        out
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, operation_id: &str) -> Option<Operation> {
        self.operations()
            .into_iter()
            .find(|op| op.operation_id.as_deref() == Some(operation_id))
    }
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> Result<Value, SpecError> {
    let text = fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| SpecError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_spec_parses_and_carries_its_examples_inline() {
        let spec = Spec::embedded();
        assert!(spec.operation("get_case").is_some());
        let examples = spec.examples().unwrap_or_default();
        assert!(!examples.is_empty());
        assert!(examples
            .iter()
            .all(|e| e.inline.is_some() && e.file.is_none()));
    }
}
