//! The spec's operations that take a JSON body, with their parameters.

use acquire_tests::spec;
use serde_json::Value;

/// One operation with a request body, ready to generate requests for.
pub struct BodyOperation {
    pub id: String,
    pub method: reqwest::Method,
    pub path: String,
    pub params: Vec<(String, String, bool, Value)>,
    pub body_schema: Value,
}

pub fn body_operations() -> Vec<BodyOperation> {
    let spec = spec();
    let mut out = Vec::new();
    for op in spec.operations() {
        let Some(body) = op.value.get("requestBody") else {
            continue;
        };
        let body = match spec.resolve(body) {
            Ok(b) => b,
            Err(e) => panic!("{}: {e}", op.pointer),
        };
        let Some(schema) = body.pointer("/content/application~1json/schema") else {
            continue;
        };
        let mut params = Vec::new();
        for raw in &spec.parameters(&op) {
            let param = match spec.resolve(raw) {
                Ok(p) => p,
                Err(e) => panic!("{}: {e}", op.pointer),
            };
            let text = |k: &str| {
                param
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let location = text("in");
            let required =
                location == "path" || param.get("required").and_then(Value::as_bool) == Some(true);
            let schema = param.get("schema").cloned().unwrap_or(Value::Bool(true));
            params.push((text("name"), location, required, schema));
        }
        let method = match reqwest::Method::from_bytes(op.method.to_ascii_uppercase().as_bytes()) {
            Ok(m) => m,
            Err(e) => panic!("{}: {e}", op.pointer),
        };
        out.push(BodyOperation {
            id: op
                .operation_id
                .clone()
                .unwrap_or_else(|| op.pointer.clone()),
            method,
            path: op.path.clone(),
            params,
            body_schema: schema.clone(),
        });
    }
    out
}
