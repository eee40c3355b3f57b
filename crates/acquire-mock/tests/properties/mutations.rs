//! The mutations of a valid body that the spec refuses: a required member
//! dropped, a member of the wrong type, garbage after the JSON, a truncated
//! body.

use acquire_spec::SchemaValidator;
use serde_json::{json, Value};

/// Every JSON pointer to a member or item of `value` (not the root).
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{at}/{}", acquire_spec::escape(key));
                out.push(here.clone());
                pointers(v, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(v, &here, out);
            }
        }
        _ => {}
    }
}

fn split_pointer(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

fn remove_at(value: &Value, pointer: &str) -> Option<Value> {
    let (parent, last) = split_pointer(pointer);
    let mut out = value.clone();
    match out.pointer_mut(parent)? {
        Value::Object(map) => {
            map.remove(&last)?;
        }
        _ => return None,
    }
    Some(out)
}

fn replace_at(value: &Value, pointer: &str, with: Value) -> Option<Value> {
    let mut out = value.clone();
    *out.pointer_mut(pointer)? = with;
    Some(out)
}

/// A mutation and the bytes it sends.
pub struct Mutated {
    pub what: String,
    pub body: Vec<u8>,
}

/// The mutations of a valid body that the spec refuses; each one checked
/// invalid locally (by the same validator the server compiles) first.
pub fn mutations(body: &Value, pick: usize, validator: &SchemaValidator) -> Vec<Mutated> {
    let mut out = Vec::new();
    let text = body.to_string();
    let mut all = Vec::new();
    pointers(body, "", &mut all);
    // A required member dropped: any member whose removal breaks validity.
    let required: Vec<(String, Value)> = all
        .iter()
        .filter_map(|p| remove_at(body, p).map(|v| (p.clone(), v)))
        .filter(|(_, v)| !validator.is_valid(v))
        .collect();
    if !required.is_empty() {
        let (pointer, value) = &required[pick % required.len()];
        out.push(Mutated {
            what: format!("required member {pointer} dropped"),
            body: value.to_string().into_bytes(),
        });
    }
    // A member of the wrong type (the whole body when no member has a type).
    let replacements = [
        json!("text"),
        json!(12),
        json!(true),
        json!([1]),
        json!({"k": 1}),
        json!(1.5),
        Value::Null,
    ];
    let mut retyped: Vec<(String, Value)> = Vec::new();
    for pointer in &all {
        for with in &replacements {
            if let Some(v) = replace_at(body, pointer, with.clone()) {
                if !validator.is_valid(&v) {
                    retyped.push((format!("{pointer} set to {with}"), v));
                }
            }
        }
    }
    if retyped.is_empty() {
        retyped.push(("the body set to [1]".to_owned(), json!([1])));
    }
    let (what, value) = &retyped[pick.wrapping_mul(31) % retyped.len()];
    out.push(Mutated {
        what: what.clone(),
        body: value.to_string().into_bytes(),
    });
    // Garbage after the JSON.
    let garbage: &[&[u8]] = &[b"x", b"}", b",", b"{}", b"\xff\xfe", b"\0", b" true"];
    let tail = garbage[pick % garbage.len()];
    let mut bytes = text.clone().into_bytes();
    bytes.extend_from_slice(tail);
    out.push(Mutated {
        what: format!("garbage {:?} appended", String::from_utf8_lossy(tail)),
        body: bytes,
    });
    // Truncated: a proper, non-empty prefix of an object is never JSON.
    let cut = 1 + pick % (text.len() - 1).max(1);
    out.push(Mutated {
        what: format!("truncated to {cut} of {} bytes", text.len()),
        body: text.as_bytes()[..cut.min(text.len() - 1).max(1)].to_vec(),
    });
    out
}
