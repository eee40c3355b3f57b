//! Validation against the spec's schemas: OpenAPI 3.0 schemas rewritten
//! into JSON Schema 2020-12 and compiled, with the spec's own keyword
//! `x-required-one-of`, and OpenAPI 3.0's integers (see [`INTEGER`]).

use serde_json::{Map, Value};

use crate::{Spec, SpecError};

/// How unknown properties are treated when validating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// As the spec says: responses keep unknown properties.
    AsDeclared,
    /// Every object schema that lists `properties` rejects any other
    /// property: proves that a documented example uses only declared fields.
    DeclaredOnly,
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

impl Spec {
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
            .with_keyword(INTEGER, Integer::factory)
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

/// The keyword [`openapi_to_json_schema`] adds beside every `type: integer`
/// (its value the schema's `format`, or `null`): OpenAPI 3.0's integer,
/// which JSON Schema 2020-12's is not. OpenAPI 3.0 takes its types from
/// JSON Schema draft Wright-00, where an integer is "a JSON number without
/// a fraction or exponent part" (`1.0` is not one; draft 6 later made it
/// one), and its data types give `format: int64` as "signed 64 bits" and
/// `int32` as "signed 32 bits". So `1.0`, `1e3` and, for `int64`, values
/// past 64 bits are refused, as the generated types (`i64`) refuse them.
pub const INTEGER: &str = "x-openapi-integer";

/// The [`INTEGER`] keyword: the range its format allows.
struct Integer {
    format: Option<String>,
}

impl Integer {
    fn factory<'a>(
        _parent: &'a Map<String, Value>,
        value: &'a Value,
        _path: jsonschema::paths::Location,
    ) -> Result<Box<dyn for<'i> jsonschema::Keyword<'i>>, jsonschema::ValidationError<'a>> {
        Ok(Box::new(Integer {
            format: value.as_str().map(str::to_owned),
        }))
    }

    fn holds(&self, instance: &Value) -> bool {
        let Value::Number(number) = instance else {
            return true; // `type` says what else is wrong
        };
        // serde_json reads a number written with a fraction or an exponent,
        // or past 64 bits, as a float.
        match self.format.as_deref() {
            Some("int32") => number.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            Some("int64") => number.as_i64().is_some(),
            _ => number.is_i64() || number.is_u64(),
        }
    }
}

impl<'i> jsonschema::Keyword<'i> for Integer {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.holds(instance) {
            return Ok(());
        }
        let range = match self.format.as_deref() {
            Some("int32") => ", signed 32 bits (format int32)",
            Some("int64") => ", signed 64 bits (format int64)",
            _ => "",
        };
        Err(jsonschema::ValidationError::custom(format!(
            "{instance} is not an OpenAPI 3.0 integer (a JSON number without fraction \
             or exponent{range})"
        )))
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.holds(instance)
    }
}

/// Rewrites an OpenAPI 3.0 schema (or any tree containing schemas) into JSON
/// Schema 2020-12: a schema with `nullable: true` becomes
/// `anyOf: [<schema>, {type: null}]`; a `type: integer` gets [`INTEGER`]. With [`Strictness::DeclaredOnly`], an
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
            if map.get("type").and_then(Value::as_str) == Some("integer") {
                let format = map.get("format").cloned().unwrap_or(Value::Null);
                converted.insert(INTEGER.into(), format);
            }
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
