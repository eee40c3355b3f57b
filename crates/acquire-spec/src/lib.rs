#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use serde_json::{Map, Value};

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

/// How unknown properties are treated when validating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// As the spec says: responses keep unknown properties.
    AsDeclared,
    /// Every object schema that lists `properties` rejects any other
    /// property: proves that a documented example uses only declared fields.
    DeclaredOnly,
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

/// One validation failure: where in the instance, which schema rule, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// JSON pointer into the validated value.
    pub instance_path: String,
    /// JSON pointer of the failing keyword in the compiled schema.
    pub schema_path: String,
    /// The validator's message.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "at `{}`: {} (rule {})",
            self.instance_path, self.message, self.schema_path
        )
    }
}

/// A compiled validator for one schema of the spec.
pub struct SchemaValidator(jsonschema::Validator);

impl SchemaValidator {
    /// Every failure of `instance` against the schema (empty when valid).
    pub fn failures(&self, instance: &Value) -> Vec<Failure> {
        self.0
            .iter_errors(instance)
            .map(|e| Failure {
                instance_path: e.instance_path().to_string(),
                schema_path: e.schema_path().to_string(),
                message: e.to_string(),
            })
            .collect()
    }

    /// Whether `instance` is valid.
    pub fn is_valid(&self, instance: &Value) -> bool {
        self.0.is_valid(instance)
    }
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

    /// Compiles `schema` (an OpenAPI 3.0 schema object or `$ref` from this
    /// spec) into a JSON Schema validator. `nullable: true` is honoured, and
    /// `format: date-time` is checked.
    pub fn validator(
        &self,
        schema: &Value,
        strictness: Strictness,
    ) -> Result<SchemaValidator, SpecError> {
        let components = self
            .document
            .get("components")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        let mut root = Map::new();
        root.insert(
            "$schema".into(),
            Value::from("https://json-schema.org/draft/2020-12/schema"),
        );
        root.insert(
            "allOf".into(),
            Value::Array(vec![openapi_to_json_schema(schema, strictness)]),
        );
        root.insert(
            "components".into(),
            openapi_to_json_schema(&components, strictness),
        );
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_keyword(REQUIRED_ONE_OF, RequiredOneOf::factory)
            .build(&Value::Object(root))
            .map(SchemaValidator)
            .map_err(|e| SpecError::Schema {
                pointer: schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .unwrap_or("(inline schema)")
                    .to_owned(),
                message: e.to_string(),
            })
    }
}

/// The spec's extension for a rule JSON Schema has no keyword for (the
/// reference's "required if the other is absent"): on an object schema,
/// `x-required-one-of: [a, b]` means at least one of those members holds a
/// value (present, not `null`, not an empty array). Validators built by
/// [`Spec::validator`] check it; the spec's `info.description` documents it
/// for other tools.
pub const REQUIRED_ONE_OF: &str = "x-required-one-of";

/// The [`REQUIRED_ONE_OF`] keyword: the members of which one must hold a value.
struct RequiredOneOf(Vec<String>);

impl RequiredOneOf {
    fn factory<'a>(
        _parent: &'a Map<String, Value>,
        value: &'a Value,
        _path: jsonschema::paths::Location,
    ) -> Result<Box<dyn for<'i> jsonschema::Keyword<'i>>, jsonschema::ValidationError<'a>> {
        let names = value
            .as_array()
            .and_then(|names| {
                names
                    .iter()
                    .map(|n| n.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
            })
            .filter(|names| !names.is_empty())
            .ok_or_else(|| {
                jsonschema::ValidationError::schema(format!(
                    "`{REQUIRED_ONE_OF}` must be a non-empty list of member names"
                ))
            })?;
        Ok(Box::new(RequiredOneOf(names)))
    }

    /// Whether `instance` (when an object) gives one of the members a value.
    fn holds(&self, instance: &Value) -> bool {
        let Some(object) = instance.as_object() else {
            return true; // `type` says what else is wrong
        };
        self.0.iter().any(|name| match object.get(name) {
            None | Some(Value::Null) => false,
            Some(Value::Array(items)) => !items.is_empty(),
            Some(_) => true,
        })
    }
}

impl<'i> jsonschema::Keyword<'i> for RequiredOneOf {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.holds(instance) {
            return Ok(());
        }
        let names: Vec<String> = self.0.iter().map(|n| format!("`{n}`")).collect();
        Err(jsonschema::ValidationError::custom(format!(
            "at least one of {} must hold a value (present, not null, not empty)",
            names.join(", ")
        )))
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.holds(instance)
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

/// Rewrites an OpenAPI 3.0 schema (or any tree containing schemas) into JSON
/// Schema 2020-12: a schema with `nullable: true` becomes
/// `anyOf: [<schema>, {type: null}]`. With [`Strictness::DeclaredOnly`], an
/// object schema listing `properties` whose `additionalProperties` is absent,
/// `true` or `{}` gets `additionalProperties: false` (a map-typed
/// `additionalProperties` schema is kept).
pub fn openapi_to_json_schema(value: &Value, strictness: Strictness) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| openapi_to_json_schema(v, strictness))
                .collect(),
        ),
        Value::Object(map) => {
            let mut converted: Map<String, Value> = map
                .iter()
                .filter(|(k, v)| !(k.as_str() == "nullable" && v.is_boolean()))
                .map(|(k, v)| (k.clone(), openapi_to_json_schema(v, strictness)))
                .collect();
            // Only open objects are closed: an `additionalProperties` with a
            // schema (a map keyed by id) keeps its schema.
            let open_extra = match converted.get("additionalProperties") {
                None | Some(Value::Bool(true)) => true,
                Some(Value::Object(schema)) => schema.is_empty(),
                Some(_) => false,
            };
            if strictness == Strictness::DeclaredOnly
                && open_extra
                && converted.get("properties").is_some_and(Value::is_object)
                && converted.get("type").and_then(Value::as_str) == Some("object")
            {
                converted.insert("additionalProperties".into(), Value::Bool(false));
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                let mut wrapper = Map::new();
                wrapper.insert(
                    "anyOf".into(),
                    Value::Array(vec![
                        Value::Object(converted),
                        serde_json::json!({ "type": "null" }),
                    ]),
                );
                Value::Object(wrapper)
            } else {
                Value::Object(converted)
            }
        }
        other => other.clone(),
    }
}
