//! The spec compiled into a routing table: one [`Route`] per operation, with
//! its path template and the validators of its parameters and body, and the
//! case list's [`Vocabulary`], read once with them.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
};

use acquire_spec::{SchemaValidator, Spec, SpecError, Strictness};
use axum::http::{HeaderMap, Method};
use serde_json::Value;

use crate::{columns::CaseColumns, error::ApiError, input::Input, vocabulary::Vocabulary};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Location {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `saturating`: an integer without a `format` (such as `page`) is any
    /// integer, so one beyond 64 bits is read as the nearest 64-bit value
    /// rather than rejected; ids (`format: int64`) must fit.
    Integer {
        saturating: bool,
    },
    Number,
    Boolean,
    String,
    Array(Box<Kind>),
}

impl Kind {
    fn of(schema: &Value, spec: &Spec) -> Kind {
        let schema = spec.resolve(schema).unwrap_or(schema);
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => Kind::Integer {
                saturating: schema.get("format").is_none(),
            },
            Some("number") => Kind::Number,
            Some("boolean") => Kind::Boolean,
            Some("array") => Kind::Array(Box::new(
                schema
                    .get("items")
                    .map(|items| Kind::of(items, spec))
                    .unwrap_or(Kind::String),
            )),
            _ => Kind::String,
        }
    }

    /// Converts one raw value; `Err` holds what it must be.
    fn convert(&self, raw: &str) -> Result<Value, &'static str> {
        match self {
            Kind::Integer { saturating } => match raw.parse::<i64>() {
                Ok(n) => Ok(Value::from(n)),
                Err(_) if *saturating && is_integer(raw) => {
                    Ok(Value::from(if raw.starts_with('-') {
                        i64::MIN
                    } else {
                        i64::MAX
                    }))
                }
                Err(_) => Err("must be an integer (64-bit)"),
            },
            Kind::Number => raw
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or("must be a number"),
            Kind::Boolean => match raw {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err("must be `true` or `false`"),
            },
            Kind::String => Ok(Value::from(raw)),
            Kind::Array(item) => item.convert(raw),
        }
    }
}

/// Whether `raw` is a decimal integer (an optional sign, then digits).
pub(crate) fn is_integer(raw: &str) -> bool {
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

struct Param {
    name: String,
    location: Location,
    required: bool,
    kind: Kind,
    validator: SchemaValidator,
}

struct Body {
    required: bool,
    validator: SchemaValidator,
}

/// One operation of the spec, ready to match and validate requests.
pub(crate) struct Route {
    pub operation_id: String,
    method: Method,
    segments: Vec<Segment>,
    params: Vec<Param>,
    body: Option<Body>,
    /// The query parameters that may carry the API key: the `name` of each
    /// `apiKey` scheme `in: query` among the operation's security
    /// alternatives (send SMS's `Authorization`). Empty for most operations.
    key_params: Vec<String>,
}

/// Every operation of a spec, and what the handlers read from it.
pub(crate) struct Routes {
    routes: Vec<Route>,
    /// The columns, operators and relations of the case list.
    pub vocabulary: Vocabulary,
    /// The columns of a case.
    pub columns: CaseColumns,
}

/// What matching a request found.
pub(crate) enum Match<'a> {
    Found(&'a Route, Vec<(String, String)>),
    /// The path exists with other methods (those listed; `HEAD` with `GET`).
    WrongMethod(Vec<Method>),
    None,
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

impl Routes {
    /// Compiles the spec at `path` (the embedded spec when `None`), once
    /// per spec for the process.
    pub fn load(path: Option<&Path>) -> Result<Arc<Routes>, SpecError> {
        static CACHE: OnceLock<Mutex<HashMap<Option<PathBuf>, Arc<Routes>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key = path.map(Path::to_path_buf);
        if let Some(routes) = cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned()
        {
            return Ok(routes);
        }
        let routes = Arc::new(match path {
            Some(path) => Self::compile(&Spec::load(path)?)?,
            None => Self::compile(Spec::embedded())?,
        });
        cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, routes.clone());
        Ok(routes)
    }

    /// Compiles every operation of `spec`.
    pub fn compile(spec: &Spec) -> Result<Routes, SpecError> {
        let mut routes = Vec::new();
        for op in spec.operations() {
            let Some(operation_id) = op.operation_id.clone() else {
                continue;
            };
            let method =
                Method::from_bytes(op.method.to_ascii_uppercase().as_bytes()).map_err(|_| {
                    SpecError::Shape {
                        pointer: op.pointer.clone(),
                        message: "unknown method".into(),
                    }
                })?;
            let segments = split(&op.path)
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Param(name.to_owned()),
                        None => Segment::Literal(s.to_owned()),
                    },
                )
                .collect();
            // Path-level parameters first, then the operation's own.
            let mut params: Vec<Param> = Vec::new();
            for raw in &spec.parameters(&op) {
                let param = spec.resolve(raw)?;
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let location = match param.get("in").and_then(Value::as_str) {
                    Some("path") => Location::Path,
                    Some("query") => Location::Query,
                    Some("header") => Location::Header,
                    _ => continue, // cookies: not used by Acquire
                };
                let schema = param.get("schema").cloned().unwrap_or(Value::Bool(true));
                let required = location == Location::Path
                    || param.get("required").and_then(Value::as_bool) == Some(true);
                let p = Param {
                    kind: Kind::of(&schema, spec),
                    validator: spec.validator(&schema, Strictness::AsDeclared)?,
                    name,
                    location,
                    required,
                };
                params.retain(|q| !(q.name == p.name && q.location == p.location));
                params.push(p);
            }
            let body = match op.value.get("requestBody") {
                Some(body) => {
                    let body = spec.resolve(body)?;
                    let schema = body
                        .pointer("/content/application~1json/schema")
                        .cloned()
                        .unwrap_or(Value::Bool(true));
                    Some(Body {
                        required: body.get("required").and_then(Value::as_bool) == Some(true),
                        validator: spec.validator(&schema, Strictness::AsDeclared)?,
                    })
                }
                None => None,
            };
            routes.push(Route {
                key_params: key_params(spec, &op.value),
                operation_id,
                method,
                segments,
                params,
                body,
            });
        }
        Ok(Routes {
            routes,
            vocabulary: Vocabulary::from_spec(spec)?,
            columns: CaseColumns::from_spec(spec)?,
        })
    }

    /// The route for `method` and `path` (relative to `/api/v1`), with the raw
    /// path parameters.
    pub fn find(&self, method: &Method, path: &str) -> Match<'_> {
        let parts: Vec<&str> = split(path).collect();
        // Every route whose template matches, with its captures.
        let mut candidates: Vec<(&Route, Vec<(String, String)>)> = Vec::new();
        for route in &self.routes {
            if route.segments.len() != parts.len() {
                continue;
            }
            let mut captured = Vec::new();
            let matched = route
                .segments
                .iter()
                .zip(&parts)
                .all(|(seg, part)| match seg {
                    Segment::Literal(lit) => lit == part,
                    Segment::Param(name) => {
                        captured.push((name.clone(), (*part).to_owned()));
                        true
                    }
                });
            if matched {
                candidates.push((route, captured));
            }
        }
        // OpenAPI: concrete paths are matched before templated ones, so
        // `/crm/note/create` is never `/crm/note/{noteId}`. Only the most
        // specific template (literals earliest) answers.
        let specificity = |route: &Route| -> Vec<bool> {
            route
                .segments
                .iter()
                .map(|s| matches!(s, Segment::Literal(_)))
                .collect()
        };
        let Some(best) = candidates.iter().map(|(r, _)| specificity(r)).max() else {
            return Match::None;
        };
        candidates.retain(|(r, _)| specificity(r) == best);
        let mut allowed: Vec<Method> = Vec::new();
        for (route, captured) in candidates {
            // `HEAD` is served as `GET` would be, without the body.
            if route.method == method || (method == Method::HEAD && route.method == Method::GET) {
                return Match::Found(route, captured);
            }
            allowed.push(route.method.clone());
            if route.method == Method::GET {
                allowed.push(Method::HEAD);
            }
        }
        Match::WrongMethod(allowed)
    }
}

/// The query parameters that carry the API key for an operation: the
/// `name` of every `apiKey` scheme `in: query` that its `security` (or the
/// document's, when it has none) lists among its alternatives.
fn key_params(spec: &Spec, operation: &Value) -> Vec<String> {
    let security = operation
        .get("security")
        .or_else(|| spec.document().get("security"));
    let mut out: Vec<String> = Vec::new();
    let schemes = security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys());
    for scheme in schemes {
        let pointer = format!(
            "/components/securitySchemes/{}",
            acquire_spec::escape(scheme)
        );
        let Some(declared) = spec.document().pointer(&pointer) else {
            continue;
        };
        let declared = spec.resolve(declared).unwrap_or(declared);
        let field = |name: &str| declared.get(name).and_then(Value::as_str);
        if field("type") == Some("apiKey") && field("in") == Some("query") {
            if let Some(name) = field("name") {
                if !out.iter().any(|n| n == name) {
                    out.push(name.to_owned());
                }
            }
        }
    }
    out
}

impl Route {
    /// The query parameters that may carry the API key (`Bearer <key>`) on
    /// this operation, as its security alternatives declare.
    pub fn key_params(&self) -> &[String] {
        &self.key_params
    }

    /// Whether the operation declares a request body.
    pub fn has_body(&self) -> bool {
        self.body.is_some()
    }

    /// Validates a request's parameters and body.
    pub fn validate(
        &self,
        path_params: &[(String, String)],
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Input, ApiError> {
        let query = parse_query(query.unwrap_or_default())?;
        let mut input = Input::default();
        for param in &self.params {
            let raw: Vec<String> = match param.location {
                Location::Path => path_params
                    .iter()
                    .filter(|(n, _)| *n == param.name)
                    .map(|(_, v)| percent_decode(v, false))
                    .collect::<Result<_, _>>()
                    .map_err(|()| {
                        ApiError::invalid(format!("{} is not valid UTF-8", param.name))
                    })?,
                Location::Query => query
                    .iter()
                    .filter(|(n, _)| *n == param.name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                Location::Header => headers
                    .get_all(param.name.as_str())
                    .iter()
                    .map(|v| {
                        v.to_str().map(str::to_owned).map_err(|_| {
                            ApiError::invalid(format!("header {} is not visible ASCII", param.name))
                        })
                    })
                    .collect::<Result<_, _>>()?,
            };
            if raw.is_empty() {
                if param.required {
                    return Err(ApiError::invalid(format!("{} is required", param.name)));
                }
                continue;
            }
            // One value unless the schema is an array (`where`): several
            // values of `limit` are not an integer, and reading only the
            // first would let `limit=5&limit=0` through.
            if raw.len() > 1 && !matches!(param.kind, Kind::Array(_)) {
                return Err(ApiError::invalid(format!(
                    "{} is given {} times; it takes one value",
                    param.name,
                    raw.len()
                )));
            }
            let value = match &param.kind {
                Kind::Array(_) => raw
                    .iter()
                    .map(|r| param.kind.convert(r))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                kind => kind.convert(&raw[0]),
            }
            .map_err(|why| ApiError::invalid(format!("{} {why}", param.name)))?;
            if let Some(failure) = param.validator.failures(&value).into_iter().next() {
                return Err(ApiError::invalid(format!(
                    "{}: {}",
                    param.name, failure.message
                )));
            }
            input.params.insert(param.name.clone(), value);
        }
        if let Some(spec) = &self.body {
            let blank = body.iter().all(u8::is_ascii_whitespace);
            if blank {
                if spec.required {
                    return Err(ApiError::invalid("a JSON request body is required"));
                }
            } else {
                let value: Value = serde_json::from_slice(body).map_err(|e| {
                    ApiError::invalid(format!("the request body is not valid JSON: {e}"))
                })?;
                if let Some(failure) = spec.validator.failures(&value).into_iter().next() {
                    let field = failure
                        .instance_path
                        .trim_start_matches('/')
                        .replace('/', ".");
                    let message = if field.is_empty() {
                        format!("body: {}", failure.message)
                    } else {
                        format!("{field}: {}", failure.message)
                    };
                    return Err(ApiError::invalid(message));
                }
                input.body = Some(value);
            }
        }
        Ok(input)
    }
}

/// Splits a query string into decoded `(name, value)` pairs.
pub(crate) fn parse_query(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match (percent_decode(name, true), percent_decode(value, true)) {
                (Ok(n), Ok(v)) => Ok((n, v)),
                _ => Err(ApiError::invalid(
                    "the query string is not valid UTF-8 once decoded",
                )),
            }
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as a space in a query).
fn percent_decode(raw: &str, plus_is_space: bool) -> Result<String, ()> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_queries() {
        let q = parse_query("a=1&b=x%7Cy+z&c&where=status%7Ceq%7Cactive").unwrap();
        assert_eq!(
            q,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x|y z".into()),
                ("c".into(), "".into()),
                ("where".into(), "status|eq|active".into()),
            ]
        );
        assert!(parse_query("a=%FF").is_err());
        assert_eq!(percent_decode("%zz%4", false).unwrap(), "%zz%4");
    }

    /// The route of `operation_id` in the embedded spec.
    fn route(routes: &Routes, operation_id: &str) -> usize {
        routes
            .routes
            .iter()
            .position(|r| r.operation_id == operation_id)
            .unwrap_or_else(|| panic!("no route {operation_id}"))
    }

    #[test]
    fn a_parameter_of_one_value_given_twice_is_refused() {
        let routes = Routes::compile(Spec::embedded()).expect("routes");
        let notes = &routes.routes[route(&routes, "list_notes")];
        let check = |query: &str| {
            notes
                .validate(&[], Some(query), &HeaderMap::new(), b"")
                .map(|input| input.params)
                .map_err(|e| e.message)
        };
        let one = check("contact_id=597752&limit=5").expect("one limit");
        assert_eq!(one.get("limit"), Some(&Value::from(5)));
        for query in [
            "contact_id=597752&limit=5&limit=0",
            "contact_id=597752&limit=0&limit=5",
            "contact_id=597752&limit=5&limit=5",
            "contact_id=597752&contact_id=597752",
        ] {
            let error = check(query).expect_err(query);
            let name = if query.contains("limit") {
                "limit"
            } else {
                "contact_id"
            };
            assert_eq!(
                error,
                format!("{name} is given 2 times; it takes one value"),
                "{query}"
            );
        }
        // An array parameter repeats: each value is one condition.
        let cases = &routes.routes[route(&routes, "list_cases")];
        let input = cases
            .validate(
                &[],
                Some("where=status%7Ceq%7Cactive&where=id%7Cgt%7C1"),
                &HeaderMap::new(),
                b"",
            )
            .map_err(|e| e.message)
            .expect("two conditions");
        assert_eq!(
            input.params.get("where"),
            Some(&serde_json::json!(["status|eq|active", "id|gt|1"]))
        );
    }

    #[test]
    fn only_operations_declaring_a_query_key_take_one() {
        let spec = Spec::embedded();
        let routes = Routes::compile(spec).expect("routes");
        let with_query_key: Vec<(&str, &[String])> = routes
            .routes
            .iter()
            .filter(|r| !r.key_params().is_empty())
            .map(|r| (r.operation_id.as_str(), r.key_params()))
            .collect();
        assert_eq!(
            with_query_key,
            [("send_sms", &["Authorization".to_owned()][..])]
        );
    }
}
