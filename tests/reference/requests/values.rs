//! The values a documented request carries: one per parameter, meaningful
//! to the fake's seed data, and turned into the form the reference
//! documents.

use serde_json::{json, Value};

use super::KEY;
use crate::sheet::{Form, Param};

/// Values the fake's seed data makes meaningful, by heading and parameter
/// name (cases 1681 pending, 1683 closed, 1684 active, 1702 an email case,
/// 1710 an SMS thread with timeline entry 5120; contacts 597752 and 597760;
/// agent 12; message 7783; note 310; snooze 77). Each is turned into the
/// documented form before it is sent.
pub(super) fn values(heading: &str) -> Value {
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
pub(super) fn value_of(values: &Value, param: &Param) -> Value {
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
pub(super) fn in_form(value: &Value, form: Form) -> Value {
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
pub(super) fn form_type(form: Form) -> Option<&'static str> {
    match form {
        Form::Integer => Some("integer"),
        Form::String | Form::YesString => Some("string"),
        Form::Boolean => Some("boolean"),
        Form::Object => Some("object"),
        Form::Integers | Form::DigitStrings | Form::EmptyArray | Form::Array => Some("array"),
        Form::Unstated => None,
    }
}
