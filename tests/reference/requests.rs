//! Requests: every parameter `REQUESTS.md` documents is declared by the
//! spec where the reference puts it, accepts the documented form(s), and is
//! required exactly when the reference requires it; a request carrying every
//! documented parameter in its documented place validates against the spec
//! and the fake server answers it with 2xx.

use std::collections::BTreeMap;

use acquire_mock::{MockConfig, MockServer, RequestChecker};
use acquire_spec::{Operation, Spec, Strictness};
use acquire_tests::spec;
use serde_json::{json, Map, Value};

use crate::sheet::{self, Form, Param, Place, Required};

/// The sheet's headings and the operations they document.
const HEADINGS: &[(&str, &str)] = &[
    ("list cases", "list_cases"),
    ("get case", "get_case"),
    ("create case", "create_case"),
    ("reopen case (create with threadId)", "create_case"),
    ("join case", "join_case"),
    ("reject case", "reject_case"),
    ("close case", "close_case"),
    ("invite agent", "invite_agent"),
    ("list messages", "list_messages"),
    ("get message", "get_message"),
    ("update message", "update_message"),
    ("delete message", "delete_message"),
    ("send chat message", "send_chat_message"),
    ("send email message", "send_email_message"),
    ("send SMS", "send_sms"),
    ("list notes", "list_notes"),
    ("get note", "get_note"),
    ("create note", "create_note"),
    ("add note message", "add_note_message"),
    ("note messages (list note messages)", "list_note_messages"),
    ("delete note", "delete_note"),
    ("create snooze", "create_snooze"),
    ("delete snooze", "delete_snooze"),
];

const KEY: &str = "reference-key-0b7d";

/// Values the fake's seed data makes meaningful, by heading and parameter
/// name (cases 1681 pending, 1683 closed, 1684 active, 1702 an email case,
/// 1710 an SMS thread with timeline entry 5120; contacts 597752 and 597760;
/// agent 12; message 7783; note 310; snooze 77). Each is turned into the
/// documented form before it is sent.
fn values(heading: &str) -> Value {
    let message = json!({"type": "message", "message": "Hello", "translateLangKey": ""});
    let create = json!({
        "contactId": 597752, "title": "Order late", "source": "firstMessage",
        "channel": "chat", "mentionUsers": [12], "message": message,
        "routeAgentId": 0, "agentId": 0, "isFromCobrowse": false, "fields": {}
    });
    match heading {
        "list cases" => {
            json!({"where": ["status|eq|active"], "select": "id|status", "relations": "contact"})
        }
        "get case" => json!({"caseId": 1684, "select": "id|status", "relations": "contact"}),
        "create case" => create,
        "reopen case (create with threadId)" => {
            let mut reopen = create;
            reopen["sessionId"] = json!(3711819272_i64);
            reopen["threadId"] = json!(1683);
            reopen
        }
        "join case" => json!({"caseId": 1681, "askJoin": false}),
        "reject case" => json!({"caseId": 1681}),
        "close case" => json!({
            "caseId": 1684, "archive": "yes", "closingState": "handled",
            "meta": {"reason": "answered"}, "forceClose": false, "leaveOnly": false,
            "leaveEvent": true, "askFeedback": false
        }),
        "invite agent" => json!({"caseId": 1684, "agentIds": [12], "department": [3]}),
        "list messages" => {
            json!({"threadId": 1683, "contactId": 597752, "-x-user-type": "contact"})
        }
        "get message" | "delete message" => json!({"messageId": 7783}),
        "update message" => {
            json!({"id": 7783, "message": "Hello again", "type": "message", "translateLangKey": "en"})
        }
        "send chat message" => json!({
            "x-user-type": "user", "contactId": 597752, "caseId": 1684, "message": "Hello",
            "type": "message", "translateLangKey": "en", "channel": "chat"
        }),
        "send email message" => json!({
            "caseId": 1702, "contactId": 597752, "to": ["customer@example.com"],
            "from": "support@example.acquire.io", "cc": [], "bcc": ["archive@example.com"],
            "subject": "Re: Your order", "htmlBody": "<p>Shipped.</p>", "type": "message"
        }),
        "send SMS" => json!({
            "Authorization": format!("Bearer {KEY}"), "x-user-type": "user",
            "From": "+12513188609", "To": "+14155550123", "Body": "hi",
            "contactId": 597760, "threadId": 1710, "timelineId": 5120, "id": 1710,
            "isClosed": false, "isMultiChannel": false, "markValue": "<p>hi</p>",
            "message": "hi", "msgType": "message", "sms": "hi",
            "title": "#597760 has just started a chat"
        }),
        "list notes" => json!({"contact_id": 597752, "page": 0, "limit": 20}),
        "get note" | "delete note" | "note messages (list note messages)" => json!({"noteId": 310}),
        "create note" => json!({
            "contactId": 597752, "type": "note", "title": "Refund request",
            "description": "Order 311", "message": "Please follow up.", "mentionUsers": [12]
        }),
        "add note message" => json!({
            "type": "message", "contact_id": 597752, "note_id": 310,
            "message": "Refund issued.", "parent_id": 0, "mentionUsers": [12]
        }),
        "create snooze" => json!({
            "scheduleDate": "2030-01-02 03:04:05", "objectType": "case", "caseId": 1684,
            "contactId": 597752, "objectId": 1684, "message": "Check the refund", "users": []
        }),
        "delete snooze" => json!({"snoozeId": 77}),
        other => panic!("no values for `{other}`"),
    }
}

/// The value of `param`: the one `values` gives under its name when it is
/// of the documented form's type (a page may use one name for an object
/// and for a member of it, as send chat's `message`), else an empty
/// object for an object (its members are rows of their own).
fn value_of(values: &Value, param: &Param) -> Value {
    let given = values.get(&param.name);
    let type_of = |v: &Value| match v {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "integer",
        Value::Null => "null",
    };
    match (given, form_type(param.form)) {
        (Some(v), None) => v.clone(),
        (Some(v), Some(t)) if type_of(v) == t || (t == "string" && v.is_number()) => v.clone(),
        (_, Some("object")) => json!({}),
        _ => panic!("no value of the {:?} form for `{}`", param.form, param.name),
    }
}

/// `value` in the documented `form`.
fn in_form(value: &Value, form: Form) -> Value {
    let digits = |v: &Value| match v {
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    };
    let integer = |v: &Value| match v {
        Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or(v.clone()),
        other => other.clone(),
    };
    let each = |v: &Value, f: &dyn Fn(&Value) -> Value| match v {
        Value::Array(items) => Value::Array(items.iter().map(f).collect()),
        other => other.clone(),
    };
    match form {
        Form::Integer => integer(value),
        Form::String => digits(value),
        Form::YesString => json!("yes"),
        Form::Integers => each(value, &integer),
        Form::DigitStrings => each(value, &digits),
        Form::EmptyArray => json!([]),
        Form::Boolean | Form::Object | Form::Array | Form::Unstated => value.clone(),
    }
}

/// The JSON types a documented form is written as.
fn form_type(form: Form) -> Option<&'static str> {
    match form {
        Form::Integer => Some("integer"),
        Form::String | Form::YesString => Some("string"),
        Form::Boolean => Some("boolean"),
        Form::Object => Some("object"),
        Form::Integers | Form::DigitStrings | Form::EmptyArray | Form::Array => Some("array"),
        Form::Unstated => None,
    }
}

/// A parameter of the spec's operation, resolved.
struct SpecParam<'a> {
    value: &'a Value,
    name: String,
    place: Place,
}

fn spec_params<'a>(spec: &'a Spec, op: &Operation) -> Vec<SpecParam<'a>> {
    spec.parameters(op)
        .iter()
        .map(|raw| {
            // `parameters` clones; resolve against the document instead.
            let pointer = raw
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'));
            let value: &Value = match pointer {
                Some(p) => spec.document().pointer(p).unwrap_or_else(|| panic!("{p}")),
                None => {
                    let name = raw.get("name").and_then(Value::as_str).unwrap_or_default();
                    let own = op.value.get("parameters").and_then(Value::as_array);
                    let found = own
                        .into_iter()
                        .flatten()
                        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
                        .unwrap_or_else(|| panic!("{name}"));
                    let at = spec
                        .document()
                        .pointer(&format!("{}/parameters", op.pointer))
                        .and_then(Value::as_array)
                        .and_then(|ps| ps.iter().find(|p| *p == found));
                    at.unwrap_or_else(|| panic!("{name}"))
                }
            };
            let place = match value.get("in").and_then(Value::as_str) {
                Some("path") => Place::Path,
                Some("query") => Place::Query,
                Some("header") => Place::Header,
                other => panic!("unexpected parameter location {other:?}"),
            };
            SpecParam {
                name: value["name"].as_str().unwrap_or_default().to_owned(),
                value,
                place,
            }
        })
        .collect()
}

/// The resolved leaf schemas of `schema` (`allOf`/`oneOf`/`anyOf` flattened).
fn leaves<'a>(spec: &'a Spec, schema: &'a Value, out: &mut Vec<&'a Value>) {
    let schema = spec.resolve(schema).unwrap_or_else(|e| panic!("{e}"));
    let mut composite = false;
    for keyword in ["allOf", "oneOf", "anyOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            composite = true;
            leaves(spec, branch, out);
        }
    }
    if !composite {
        out.push(schema);
    }
}

/// Whether `schema` can hold a value of `form`'s JSON type.
fn holds(spec: &Spec, schema: &Value, form: Form) -> bool {
    let Some(wanted) = form_type(form) else {
        return true;
    };
    let mut flat = Vec::new();
    leaves(spec, schema, &mut flat);
    flat.iter()
        .any(|leaf| match leaf.get("type").and_then(Value::as_str) {
            None => true,
            Some(t) => t == wanted,
        })
}

/// A body member found in the request schema: where it is, its schema, and
/// the object schema that declares it.
struct Member<'a> {
    path: Vec<String>,
    schema: &'a Value,
    parent: &'a Value,
}

/// The shallowest member named `name` in `body` able to hold `form`.
fn find_member<'a>(spec: &'a Spec, body: &'a Value, name: &str, form: Form) -> Option<Member<'a>> {
    let mut level: Vec<(Vec<String>, &Value)> = vec![(Vec::new(), body)];
    while !level.is_empty() {
        let mut next = Vec::new();
        for (path, schema) in level {
            let mut flat = Vec::new();
            leaves(spec, schema, &mut flat);
            for object in flat {
                let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                    continue;
                };
                if let Some(member) = properties.get(name).filter(|m| holds(spec, m, form)) {
                    let mut at = path.clone();
                    at.push(name.to_owned());
                    return Some(Member {
                        path: at,
                        schema: member,
                        parent: object,
                    });
                }
                for (key, member) in properties {
                    let mut at = path.clone();
                    at.push(key.clone());
                    next.push((at, member));
                }
            }
        }
        level = next;
    }
    None
}

fn listed(schema: &Value, keyword: &str, name: &str) -> bool {
    schema
        .get(keyword)
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)))
}

/// Puts `value` at `path` in `body`, keeping what is already there.
fn put(body: &mut Value, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if !body.is_object() {
        *body = Value::Object(Map::new());
    }
    let Value::Object(map) = body else {
        return;
    };
    if rest.is_empty() {
        let slot = map.entry(first.clone()).or_insert(Value::Null);
        // An object row (`message`, `data`) must not erase members put before.
        if !(slot.is_object() && value.as_object().is_some_and(Map::is_empty)) {
            *slot = value;
        }
    } else {
        put(map.entry(first.clone()).or_insert(Value::Null), rest, value);
    }
}

/// One request built from the sheet.
#[derive(Debug, Default)]
struct Built {
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

/// Checks one documented parameter against the spec and adds it to `built`.
fn check_param(
    spec: &Spec,
    op: &Operation,
    param: &Param,
    value: &Value,
    built: &mut Built,
    failures: &mut Vec<String>,
) {
    let mut fail = |why: String| failures.push(format!("`{}` ({}): {why}", param.name, param.row));
    let forms: Vec<Form> = std::iter::once(param.form)
        .chain(param.also.iter().copied())
        .collect();
    let sent = in_form(value, param.form);
    let params = spec_params(spec, op);
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match param.place {
        Place::Body => {
            let Some(schema) = op
                .value
                .pointer("/requestBody/content/application~1json/schema")
            else {
                return fail("the operation declares no JSON body".into());
            };
            let Some(member) = find_member(spec, schema, &param.name, param.form) else {
                return fail("the body schema declares no such member of this type".into());
            };
            for form in &forms {
                // An object's members are checked as rows of their own and
                // by the whole request; here, that it is an object.
                if *form == Form::Object {
                    continue;
                }
                let validator = spec
                    .validator(member.schema, Strictness::AsDeclared)
                    .unwrap_or_else(|e| panic!("{e}"));
                if let Some(failure) = validator.failures(&in_form(value, *form)).first() {
                    fail(format!("the {form:?} form is refused: {failure}"));
                }
            }
            let required = listed(member.parent, "required", &param.name);
            let one_of = listed(member.parent, acquire_spec::REQUIRED_ONE_OF, &param.name);
            match (param.required, required, one_of) {
                (Required::Yes, true, _) | (Required::No, false, _) => {}
                (Required::Conditionally, false, true) => {}
                (documented, required, one_of) => fail(format!(
                    "documented {documented:?}; the spec: required {required}, \
                     in x-required-one-of {one_of}"
                )),
            }
            put(built.body.get_or_insert(json!({})), &member.path, sent);
        }
        place => {
            let security_query = param.name == "Authorization" && place == Place::Query;
            let declared = params.iter().find(|p| {
                p.place == place
                    && (p.name == param.name
                        || param.aliases.contains(&p.name)
                        || p.value.get("x-reference-name").and_then(Value::as_str)
                            == Some(param.name.as_str()))
            });
            if security_query {
                if !query_security(spec, op) {
                    fail(
                        "the operation's security has no apiKey in the query named Authorization"
                            .into(),
                    );
                }
                built.query.push((param.name.clone(), text(&sent)));
                return;
            }
            let Some(declared) = declared else {
                return fail(format!("no {place:?} parameter of this name"));
            };
            let schema = declared.value.get("schema").cloned().unwrap_or(json!({}));
            for form in &forms {
                let validator = spec
                    .validator(&schema, Strictness::AsDeclared)
                    .unwrap_or_else(|e| panic!("{e}"));
                let candidate = match (form, in_form(value, *form)) {
                    (Form::Array, v @ Value::Array(_)) => v,
                    (_, v) => v,
                };
                if !holds(spec, &schema, *form) {
                    fail(format!("the {form:?} form is refused by {schema}"));
                } else if let Some(failure) = validator.failures(&candidate).first() {
                    fail(format!("the {form:?} form is refused: {failure}"));
                }
            }
            let required =
                place == Place::Path || declared.value.get("required") == Some(&Value::Bool(true));
            if (param.required == Required::Yes) != required {
                fail(format!(
                    "documented {:?}; the spec says required: {required}",
                    param.required
                ));
            }
            match place {
                Place::Path => {
                    built.path = built
                        .path
                        .replace(&format!("{{{}}}", declared.name), &text(&sent));
                }
                Place::Query => match &sent {
                    Value::Array(items) => built
                        .query
                        .extend(items.iter().map(|i| (declared.name.clone(), text(i)))),
                    one => built.query.push((declared.name.clone(), text(one))),
                },
                Place::Header => built.headers.push((declared.name.clone(), text(&sent))),
                Place::Body => unreachable!("handled above"),
            }
        }
    }
}

/// Whether `op` accepts the key as an apiKey in the query named `Authorization`.
fn query_security(spec: &Spec, op: &Operation) -> bool {
    let requirements = op
        .value
        .get("security")
        .or_else(|| spec.document().get("security"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    requirements
        .iter()
        .filter_map(Value::as_object)
        .any(|requirement| {
            requirement.keys().any(|scheme| {
                spec.document()
                    .pointer(&format!("/components/securitySchemes/{scheme}"))
                    .is_some_and(|s| {
                        s["type"] == "apiKey" && s["in"] == "query" && s["name"] == "Authorization"
                    })
            })
        })
}

/// The spec's required parameters and required body members (through
/// required objects) that the sheet does not document as required.
fn required_but_undocumented(spec: &Spec, op: &Operation, documented: &[Param]) -> Vec<String> {
    let yes = |name: &str| {
        documented.iter().any(|p| {
            p.required == Required::Yes && (p.name == name || p.aliases.iter().any(|a| a == name))
        })
    };
    let mut out = Vec::new();
    for param in spec_params(spec, op) {
        let required =
            param.place == Place::Path || param.value.get("required") == Some(&Value::Bool(true));
        if required && !yes(&param.name) {
            out.push(format!("parameter `{}`", param.name));
        }
    }
    let mut stack: Vec<&Value> = op
        .value
        .pointer("/requestBody/content/application~1json/schema")
        .into_iter()
        .collect();
    while let Some(schema) = stack.pop() {
        let mut flat = Vec::new();
        leaves(spec, schema, &mut flat);
        for object in flat {
            for name in object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !yes(name) {
                    out.push(format!("body member `{name}`"));
                }
                if let Some(member) = object.pointer(&format!("/properties/{name}")) {
                    stack.push(member);
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_documented_parameter_is_declared_where_the_reference_puts_it() {
    let spec = spec();
    let requests = sheet::requests().unwrap_or_else(|e| panic!("{e}"));
    let headings: Vec<&str> = HEADINGS.iter().map(|(h, _)| *h).collect();
    let unmapped: Vec<&String> = requests
        .keys()
        .filter(|h| !headings.contains(&h.as_str()))
        .collect();
    assert!(
        unmapped.is_empty(),
        "headings without an operation: {unmapped:?}"
    );
    let covered: std::collections::BTreeSet<&str> = HEADINGS.iter().map(|(_, o)| *o).collect();
    let in_spec: std::collections::BTreeSet<String> = spec
        .operations()
        .into_iter()
        .filter_map(|o| o.operation_id)
        .collect();
    let uncovered: Vec<&String> = in_spec
        .iter()
        .filter(|o| !covered.contains(o.as_str()))
        .collect();
    assert!(
        uncovered.is_empty(),
        "operations the sheet does not document: {uncovered:?}"
    );

    let checker = RequestChecker::load(spec.path()).unwrap_or_else(|e| panic!("{e}"));
    let http = reqwest::Client::new();
    let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut parameters = 0;
    for (heading, operation) in HEADINGS {
        let op = spec
            .operation(operation)
            .unwrap_or_else(|| panic!("{operation} is not in the spec"));
        let documented = requests
            .get(*heading)
            .unwrap_or_else(|| panic!("REQUESTS.md has no `{heading}`"));
        let values = values(heading);
        let mut built = Built {
            path: op.path.clone(),
            ..Built::default()
        };
        let mut wrong = Vec::new();
        for param in documented {
            let value = value_of(&values, param);
            check_param(spec, &op, param, &value, &mut built, &mut wrong);
            parameters += 1;
        }
        for extra in required_but_undocumented(spec, &op, documented) {
            wrong.push(format!(
                "{extra} is required by the spec, not by the reference"
            ));
        }
        if !built.query.iter().any(|(n, _)| n == "Authorization") {
            built
                .headers
                .push(("authorization".into(), format!("Bearer {KEY}")));
        }
        let body = built
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        if built.body.is_some() {
            built
                .headers
                .push(("content-type".into(), "application/json".into()));
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&built.query)
            .finish();
        let headers: Vec<(&str, &str)> = built
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        if let Err(why) = checker.check(
            &op.method.to_ascii_uppercase(),
            &built.path,
            (!query.is_empty()).then_some(query.as_str()),
            &headers,
            &body,
        ) {
            wrong.push(format!("the whole request does not validate: {why}"));
        }
        // A fresh fake for each request: some change its state.
        let server = MockServer::start(MockConfig::default().with_api_key(KEY))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let url = format!("{}{}?{query}", server.base_url(), built.path);
        let method = reqwest::Method::from_bytes(op.method.to_ascii_uppercase().as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut request = http.request(method, url).body(body);
        for (name, value) in &built.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        match request.send().await {
            Ok(answer) if answer.status().is_success() => {}
            Ok(answer) => {
                let status = answer.status();
                let text = answer.text().await.unwrap_or_default();
                wrong.push(format!("the fake answered {status}: {text}"));
            }
            Err(e) => wrong.push(format!("sending to the fake: {e}")),
        }
        server.shutdown().await;
        if !wrong.is_empty() {
            failures.entry(heading).or_default().extend(wrong);
        }
    }
    let report: Vec<String> = failures
        .iter()
        .map(|(heading, wrong)| format!("{heading}:\n  {}", wrong.join("\n  ")))
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
    assert!(parameters > 90, "only {parameters} parameters were read");
}
