//! Random valid JSON values for property tests: a small JSON Schema ->
//! proptest strategy mapping. It covers the keywords the spec and
//! `schemars` use, and fails loudly on any other keyword rather than
//! generating values it does not understand.
//!
//! Runs are reproducible: `ACQUIRE_PROP_SEED` (a `u64`, decimal or `0x`
//! hex) picks the seed; a runner's stream depends only on the seed and its
//! label.

use std::collections::{BTreeMap, BTreeSet};

use acquire_spec::SchemaValidator;
use proptest::{
    prelude::*,
    strategy::{BoxedStrategy, Union},
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::{Map, Value};

/// The seed of a run without `ACQUIRE_PROP_SEED`.
pub const DEFAULT_SEED: u64 = 0x0ac9_5eed_2024;

/// The run's seed: `ACQUIRE_PROP_SEED` (decimal or `0x` hex), else
/// [`DEFAULT_SEED`]; panics on a value that is not a `u64`.
pub fn seed() -> u64 {
    match std::env::var("ACQUIRE_PROP_SEED") {
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            match parsed {
                Ok(seed) => seed,
                Err(e) => panic!("ACQUIRE_PROP_SEED={text:?} is not a u64: {e}"),
            }
        }
        Err(_) => DEFAULT_SEED,
    }
}

/// The count in the environment variable `var`, else `default`; panics
/// on a value that is not a count.
pub fn count(var: &str, default: u32) -> u32 {
    match std::env::var(var) {
        Ok(text) => match text.trim().parse() {
            Ok(n) => n,
            Err(e) => panic!("{var}={text:?} is not a count: {e}"),
        },
        Err(_) => default,
    }
}

/// A runner whose random stream depends only on the seed and on `label`, so
/// each type (or operation) is reproducible on its own.
pub fn runner(seed: u64, label: &str, cases: u32) -> TestRunner {
    // FNV-1a of the label, mixed into each 8-byte lane of the 32-byte seed.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in label.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut bytes = [0u8; 32];
    for (lane, chunk) in bytes.chunks_mut(8).enumerate() {
        let mixed = seed ^ hash.rotate_left(16 * lane as u32) ^ lane as u64;
        chunk.copy_from_slice(&mixed.to_le_bytes());
    }
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

// ---------------------------------------------------------------------------
// JSON Schema → strategy.
// ---------------------------------------------------------------------------

/// How the generator reads a schema.
#[derive(Clone, Copy, Debug)]
pub struct GenOptions {
    /// Whether an object schema that says nothing of `additionalProperties`
    /// gets undeclared members (JSON Schema allows them).
    pub undeclared_when_absent: bool,
    /// Whether integer members named like ids (`caseId`, `contact_id`...)
    /// mostly take ids the fake server knows.
    pub known_ids: bool,
}

/// Ids present in the fake server's seed data, by what they name: the
/// documented cases (1683 is the closed thread they reopen), contact 597752,
/// agents 1 and 25, and the last message of the documented join example.
pub fn known_ids(name: &str) -> Vec<i64> {
    let name = name.to_ascii_lowercase();
    if name.contains("contact") {
        vec![597_752, 597_760]
    } else if name.contains("note") {
        vec![310]
    } else if ["case", "thread", "parent"]
        .iter()
        .any(|n| name.contains(n))
    {
        vec![1681, 1683, 1684, 1694, 2071]
    } else if ["agent", "user"].iter().any(|n| name.contains(n)) {
        vec![1, 25]
    } else if name.contains("message") {
        vec![7783]
    } else if name.contains("timeline") {
        vec![5120]
    } else {
        vec![1681, 1694, 2071, 597_752, 1, 25, 7783]
    }
}

/// Keywords that only annotate: they constrain no value.
pub const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "examples",
    "example",
    "default",
    "definitions",
    "$defs",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Keywords this generator understands.
pub const HANDLED: &[&str] = &[
    "$ref",
    "anyOf",
    "oneOf",
    "allOf",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "format",
    "enum",
    "const",
    "pattern",
];

/// Strategies for the schemas of one document.
pub struct SchemaGen<'a> {
    /// The document `$ref`s point into.
    pub root: &'a Value,
    /// What to generate beyond the schema's minimum.
    pub options: GenOptions,
}

/// Deepest nesting at which optional members are still generated.
pub const MAX_DEPTH: u32 = 6;

impl SchemaGen<'_> {
    /// A strategy for `schema` at nesting `depth`.
    pub fn strategy(&self, schema: &Value, depth: u32) -> Result<BoxedStrategy<Value>, String> {
        self.strategy_named(schema, depth, None)
    }

    /// A strategy for `schema`; `name` is the member name it sits under.
    pub fn strategy_named(
        &self,
        schema: &Value,
        depth: u32,
        name: Option<&str>,
    ) -> Result<BoxedStrategy<Value>, String> {
        let map = match schema {
            Value::Bool(true) => return Ok(any_json(depth)),
            Value::Bool(false) => return Err("the schema `false` has no instance".into()),
            Value::Object(map) => map,
            other => return Err(format!("not a schema: {other}")),
        };
        if let Some(key) = map
            .keys()
            .find(|k| !k.starts_with("x-") && !ANNOTATIONS.contains(&k.as_str()))
            .filter(|k| !HANDLED.contains(&k.as_str()))
        {
            return Err(format!("unsupported keyword `{key}` in {schema}"));
        }
        let constraints: Vec<&String> = map
            .keys()
            .filter(|k| HANDLED.contains(&k.as_str()))
            .collect();
        if let Some(reference) = map.get("$ref") {
            if constraints.len() > 1 {
                return Err(format!("`$ref` with sibling constraints: {schema}"));
            }
            let target = self.resolve(reference)?;
            return self.strategy_named(target, depth + 1, name);
        }
        if let Some(all) = map.get("allOf") {
            // A lone `allOf` may repeat the `type` of the schema it wraps
            // (an id or an embedded object with a description or `nullable`).
            match all.as_array().map(Vec::as_slice) {
                Some([only]) if constraints.iter().all(|k| *k == "allOf" || *k == "type") => {
                    return self.strategy_named(only, depth, name)
                }
                _ => {
                    return Err(format!(
                        "only a lone one-schema `allOf` is supported: {schema}"
                    ))
                }
            }
        }
        // `oneOf` as `anyOf`: a value matching two branches is refused by
        // the validation every generated value goes through.
        if let Some((keyword, any)) = map
            .get("anyOf")
            .map(|a| ("anyOf", a))
            .or_else(|| map.get("oneOf").map(|a| ("oneOf", a)))
        {
            if constraints.len() > 1 {
                return Err(format!("`{keyword}` with sibling constraints: {schema}"));
            }
            let branches = any
                .as_array()
                .ok_or_else(|| format!("`{keyword}` is not an array: {schema}"))?
                .iter()
                .map(|branch| self.strategy_named(branch, depth, name))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Union::new(branches).boxed());
        }
        if let Some(values) = map.get("enum") {
            let values = values
                .as_array()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("`enum` is not a non-empty array: {schema}"))?;
            return Ok(proptest::sample::select(values.clone()).boxed());
        }
        if let Some(value) = map.get("const") {
            return Ok(Just(value.clone()).boxed());
        }
        let types: Vec<&str> = match map.get("type") {
            None if map.contains_key("properties") || map.contains_key("additionalProperties") => {
                vec!["object"]
            }
            None if map.contains_key("items") => vec!["array"],
            None => return Ok(any_json(depth)),
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts
                .iter()
                .map(|t| t.as_str().ok_or_else(|| format!("bad `type`: {schema}")))
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(format!("bad `type` {other}")),
        };
        let branches = types
            .into_iter()
            .map(|t| self.typed(t, map, depth, name))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Union::new(branches).boxed())
    }

    /// The schema a local `$ref` points at.
    pub fn resolve(&self, reference: &Value) -> Result<&Value, String> {
        let pointer = reference
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .ok_or_else(|| format!("only local `$ref`s are supported: {reference}"))?;
        self.root
            .pointer(pointer)
            .ok_or_else(|| format!("`$ref` {reference} points at nothing"))
    }

    /// A strategy for a schema of one `type` (`kind`); `name` is the
    /// member name it sits under.
    pub fn typed(
        &self,
        kind: &str,
        map: &Map<String, Value>,
        depth: u32,
        name: Option<&str>,
    ) -> Result<BoxedStrategy<Value>, String> {
        let format = map.get("format").and_then(Value::as_str);
        Ok(match kind {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "integer" => {
                let plain: BoxedStrategy<Value> = match format {
                    Some("int32") => any::<i32>().prop_map(Value::from).boxed(),
                    Some("uint32") => any::<u32>().prop_map(Value::from).boxed(),
                    Some("uint64" | "uint") => any::<u64>().prop_map(Value::from).boxed(),
                    // `int64` and no format: the generated types use `i64`.
                    // JSON Schema's `integer` also admits `1.0` and integers
                    // past 64 bits; neither is generated (see
                    // `finding_integers_as_floats_or_past_64_bits`).
                    _ => prop_oneof![
                        4 => any::<i64>(),
                        1 => proptest::sample::select(vec![0, 1, -1, i64::MIN, i64::MAX]),
                    ]
                    .prop_map(Value::from)
                    .boxed(),
                };
                if let Some(name) = name.filter(|n| self.options.known_ids && is_id_name(n)) {
                    prop_oneof![
                        3 => proptest::sample::select(known_ids(name)).prop_map(Value::from),
                        1 => plain,
                    ]
                    .boxed()
                } else {
                    plain
                }
            }
            "number" => any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from)
                .boxed(),
            "string" => {
                let plain = match (format, map.get("pattern").and_then(Value::as_str)) {
                    (Some("date-time"), _) => timestamp().prop_map(Value::String).boxed(),
                    // The spec's patterns are anchored at both ends; the
                    // generator takes the expression between the anchors.
                    (_, Some(pattern)) => proptest::string::string_regex(
                        pattern
                            .strip_prefix('^')
                            .and_then(|p| p.strip_suffix('$'))
                            .ok_or_else(|| format!("pattern {pattern} is not anchored"))?,
                    )
                    .map_err(|e| format!("pattern {pattern}: {e}"))?
                    .prop_map(Value::String)
                    .boxed(),
                    _ => any_string().prop_map(Value::String).boxed(),
                };
                // Open enums: mostly a known value, sometimes any string.
                let known: Vec<Value> = map
                    .get("x-extensible-enum")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if !known.is_empty() {
                    prop_oneof![7 => proptest::sample::select(known), 1 => plain].boxed()
                } else if self.options.known_ids && name == Some("scheduleDate") {
                    // The time format the spec states in prose.
                    let time = (2000u32..2100, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60).prop_map(
                        |(y, mo, d, h, mi)| {
                            Value::String(format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:00"))
                        },
                    );
                    prop_oneof![7 => time, 1 => plain].boxed()
                } else {
                    plain
                }
            }
            "array" if depth >= MAX_DEPTH => Just(Value::Array(Vec::new())).boxed(),
            "array" => {
                let items = match map.get("items") {
                    Some(items) => self.strategy(items, depth + 1)?,
                    None => any_json(depth + 1),
                };
                proptest::collection::vec(items, 0..=3)
                    .prop_map(Value::Array)
                    .boxed()
            }
            "object" => self.object(map, depth)?,
            other => return Err(format!("unknown type `{other}`")),
        })
    }

    /// A strategy for an object schema: its required members always,
    /// optional ones by chance.
    pub fn object(
        &self,
        map: &Map<String, Value>,
        depth: u32,
    ) -> Result<BoxedStrategy<Value>, String> {
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let empty = Map::new();
        let properties = match map.get("properties") {
            Some(Value::Object(p)) => p,
            Some(other) => return Err(format!("`properties` is not an object: {other}")),
            None => &empty,
        };
        let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (key, schema) in properties {
            let is_required = required.contains(key.as_str());
            if !is_required && depth >= MAX_DEPTH {
                continue;
            }
            let value = self.strategy_named(schema, depth + 1, Some(key))?;
            let key = key.clone();
            if is_required {
                members.push(value.prop_map(move |v| Some((key.clone(), v))).boxed());
            } else {
                members.push(
                    proptest::option::weighted(0.6, value)
                        .prop_map(move |v| v.map(|v| (key.clone(), v)))
                        .boxed(),
                );
            }
        }
        for key in &required {
            if !properties.contains_key(*key) {
                let key = (*key).to_owned();
                let value = self.strategy_named(&Value::Bool(true), depth + 1, Some(&key))?;
                members.push(value.prop_map(move |v| Some((key.clone(), v))).boxed());
            }
        }
        let extra_schema = match map.get("additionalProperties") {
            Some(Value::Bool(false)) => None,
            Some(schema) => Some(schema.clone()),
            None if self.options.undeclared_when_absent => Some(Value::Bool(true)),
            None => None,
        };
        let extras: BoxedStrategy<BTreeMap<String, Value>> = match extra_schema {
            Some(schema) if depth < MAX_DEPTH => {
                let value = self.strategy(&schema, depth + 1)?;
                proptest::collection::btree_map(member_name(), value, 0..=2).boxed()
            }
            _ => Just(BTreeMap::new()).boxed(),
        };
        let declared: BTreeSet<String> = properties.keys().cloned().collect();
        // `x-required-one-of`: one of those members holds a value (present,
        // not null, not an empty array), as acquire-spec's validators check.
        let one_of: Vec<String> = map
            .get(acquire_spec::REQUIRED_ONE_OF)
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok((members, extras)
            .prop_map(move |(members, extras)| {
                let mut out: Map<String, Value> = members.into_iter().flatten().collect();
                for (key, value) in extras {
                    if !declared.contains(&key) {
                        out.insert(key, value);
                    }
                }
                Value::Object(out)
            })
            .prop_filter(format!("one of {one_of:?} holds a value"), move |value| {
                one_of.is_empty()
                    || one_of.iter().any(|name| match value.get(name) {
                        None | Some(Value::Null) => false,
                        Some(Value::Array(items)) => !items.is_empty(),
                        Some(_) => true,
                    })
            })
            .boxed())
    }
}

/// Whether a member of this name holds an id (`id`, `...Id`, `..._id`).
pub fn is_id_name(name: &str) -> bool {
    name == "id" || name.ends_with("Id") || name.ends_with("_id")
}

/// Names of undeclared members: mostly identifier-like, sometimes any text.
pub fn member_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
        1 => any_string(),
    ]
    .boxed()
}

/// Short strings: ASCII words, and any Unicode (controls, quotes, emoji...).
pub fn any_string() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[ -~]{0,12}",
        2 => proptest::collection::vec(any::<char>(), 0..8)
            .prop_map(|chars| chars.into_iter().collect::<String>()),
    ]
    .boxed()
}

/// Any JSON value, nested at most a few levels (fewer when already deep).
pub fn any_json(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any_string().prop_map(Value::String),
        timestamp().prop_map(Value::String),
    ];
    let levels = if depth >= MAX_DEPTH { 0 } else { 2 };
    leaf.prop_recursive(levels, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map(member_name(), inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// RFC 3339 timestamps: any valid date of years 0001–9998 (years 0000 and
/// 9999 are left out: see `finding_timestamps_at_the_ends_of_the_range`),
/// `T` or `t`, 0–12 fraction digits, `Z`, `z` or an offset up to ±23:59.
/// Leap seconds (`:60`) are left out: whether one is valid depends on the
/// time and offset.
pub fn timestamp() -> BoxedStrategy<String> {
    (
        1i32..=9998,
        1u32..=12,
        1u32..=31,
        0u32..24,
        0u32..60,
        0u32..60,
        proptest::option::of("[0-9]{1,12}"),
        any::<bool>(),
        prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            (any::<bool>(), 0u32..24, 0u32..60)
                .prop_map(|(plus, h, m)| format!("{}{h:02}:{m:02}", if plus { '+' } else { '-' })),
        ],
    )
        .prop_map(|(y, mo, d, h, mi, s, fraction, upper_t, offset)| {
            let d = d.min(days_in_month(y, mo));
            let t = if upper_t { 'T' } else { 't' };
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{fraction}{offset}")
        })
        .boxed()
}

/// The number of days of `month` (1 to 12) in `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A draft-07 validator (the draft `schemars` 0.8 derives).
pub fn draft7_validator(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| format!("the schema does not compile: {e}"))
}

/// Whether `value` is valid against `validator`, or the first reason not.
pub fn first_failure(validator: &SchemaValidator, value: &Value) -> Result<(), String> {
    match validator.failures(value).into_iter().next() {
        None => Ok(()),
        Some(failure) => Err(failure.to_string()),
    }
}
