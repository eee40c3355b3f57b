//! Sending a request to the fake server, and what its answer to a valid
//! request may be.

use serde_json::Value;

use crate::{operations::BodyOperation, requests::Request};

/// What the fake server made of a valid request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 2xx: validated and executed.
    Executed,
    /// 501: validated; the operation has no handler yet.
    NotImplemented,
    /// 400 `ERROR_RECORD_NOT_FOUND` or 404: validated, but an id in the
    /// request names nothing in the store.
    UnknownId,
    /// 400 `ERROR_INVALID_INPUT` for a rule of the handler that no schema can
    /// say (see [`SEMANTIC_REFUSALS`]).
    RefusedByHandler,
}

/// Messages of the fake server's handlers that refuse schema-valid input for
/// a reason of state or of a rule across members. Anything else answered
/// with `ERROR_INVALID_INPUT` to a schema-valid request is a failure.
const SEMANTIC_REFUSALS: &[&str] = &[
    // Join, reject, close... on a closed case.
    " is closed",
    // Create with a `threadId` of another contact.
    " belongs to another contact",
    // Create needs `contactId` in the query or the body (either is optional).
    "contactId is required",
    // A contact that is not the case's or the note's, an SMS case outside
    // its thread (rules across records).
    " is not the contact of ",
    " is not in thread ",
    // A snooze's object must match its case or contact member.
    " is not caseId ",
    " is not contactId ",
    // A snooze names its object by `caseId`/`contactId` or by `objectId`.
    "objectId is required",
    // Rules the spec states in prose only: the snooze's object type and
    // its `users` being user ids, and reject needing the case it rejects
    // (a member the reference shows only in its example).
    "is neither `case` nor `contact`",
    "is not a user id",
    "caseId is required",
    "is not a time as `YYYY-MM-DD HH:MM:SS`",
];

pub struct Answer {
    pub status: u16,
    pub kind: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {:?}",
            self.status,
            self.kind.as_deref().unwrap_or("-"),
            self.message
        )
    }
}

pub async fn send(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    operation: &BodyOperation,
    request: &Request,
    body: Vec<u8>,
) -> Result<Answer, String> {
    let mut path = operation.path.clone();
    for (name, value) in &request.path {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let mut builder = http
        .request(operation.method.clone(), format!("{base}{path}"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .query(&request.query)
        .body(body);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let response = builder.send().await.map_err(|e| format!("sending: {e}"))?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| format!("reading: {e}"))?;
    let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        kind: parsed
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned),
        message: parsed
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or(text),
    })
}

pub fn classify(answer: &Answer) -> Option<Outcome> {
    match (answer.status, answer.kind.as_deref()) {
        (200..=299, _) => Some(Outcome::Executed),
        (501, _) => Some(Outcome::NotImplemented),
        (404, _) | (400, Some("ERROR_RECORD_NOT_FOUND")) => Some(Outcome::UnknownId),
        (400, Some("ERROR_INVALID_INPUT"))
            if SEMANTIC_REFUSALS.iter().any(|m| answer.message.contains(m)) =>
        {
            Some(Outcome::RefusedByHandler)
        }
        _ => None,
    }
}
