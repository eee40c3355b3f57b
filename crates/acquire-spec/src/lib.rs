#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde_json::Value;

mod examples;
mod validation;

pub use examples::{Example, ExampleKind};
pub use validation::{
    openapi_to_json_schema, Failure, SchemaValidator, Strictness, REQUIRED_ONE_OF,
};

/// The HTTP methods an OpenAPI path item may hold, in document order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where the project's spec lives, from this crate's manifest directory.
pub fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/acquire-cases.yaml")
}

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
        let document = serde_yaml::from_str(&text).map_err(|source| SpecError::Yaml {
            path: path.clone(),
            source,
        })?;
        Ok(Self { path, document })
    }

    /// Reads the project's spec ([`default_path`]).
    pub fn load_default() -> Result<Self, SpecError> {
        Self::load(default_path())
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
