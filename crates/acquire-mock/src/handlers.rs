//! What each operation does to the store: one row per `operationId` in
//! [`HANDLERS`]. A handler gets validated input and returns the value of the
//! response's `data`.
//!
//! Adding an operation: declare it in the spec (routing and validation come
//! from there), write a handler, add a row. Rows for operations the spec does
//! not declare are dormant.
//!
//! Unknown ids are 400 `ERROR_RECORD_NOT_FOUND` naming the field; a request
//! that cannot apply to the current state (joining a closed case, a thread of
//! another contact...) is 400 `ERROR_INVALID_INPUT` naming the field.
//!
//! One module per area: [`cases`] (the case lifecycle and reads),
//! [`messages`] (a case's chat messages), [`email`], [`sms`], [`notes`] and
//! [`snoozes`]. This file holds the table and the helpers several of them
//! share.

mod cases;
mod email;
mod messages;
mod notes;
mod sms;
mod snoozes;

pub(crate) use snoozes::render_snooze;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::{
    columns::CaseColumns,
    error::ApiError,
    input::{flexible_id, Input},
    store::{self, timestamp, Row, Store},
    vocabulary::Vocabulary,
};

/// What a handler knows besides the request.
pub(crate) struct Ctx<'a> {
    /// The agent the API key acts as.
    pub agent_id: i64,
    /// The request's time.
    pub now: DateTime<Utc>,
    /// The case list's columns, operators and relations, from the spec.
    pub vocabulary: &'a Vocabulary,
    /// The columns of a case, from the spec.
    pub columns: &'a CaseColumns,
}

impl Ctx<'_> {
    fn now(&self) -> Value {
        json!(timestamp(self.now))
    }

    /// A participation created now (and assigned now, when `assigned`).
    fn participation(&self, kind: &str, user_id: i64, status: &str, assigned: bool) -> Row {
        let assigned = if assigned { self.now() } else { Value::Null };
        store::participation(kind, user_id, status, &self.now(), assigned)
    }
}

/// A handler: validated input in, the response's `data` out.
pub(crate) type Handler = fn(&mut Store, &Ctx<'_>, &Input) -> Result<Value, ApiError>;

/// Every implemented operation, by `operationId`.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("create_case", cases::create_case),
    ("reject_case", cases::reject_case),
    ("join_case", cases::join_case),
    ("close_case", cases::close_case),
    ("invite_agent", cases::invite_agent),
    ("list_cases", cases::list_cases),
    ("get_case", cases::get_case),
    ("list_messages", cases::list_messages),
    ("get_message", messages::get_message),
    ("delete_message", messages::delete_message),
    ("send_chat_message", messages::send_chat_message),
    ("update_message", messages::update_message),
    ("send_email_message", email::send_email_message),
    ("send_sms", sms::send_sms),
    ("list_notes", notes::list_notes),
    ("get_note", notes::get_note),
    ("create_note", notes::create_note),
    ("add_note_message", notes::add_note_message),
    ("list_note_messages", notes::list_note_messages),
    ("delete_note", notes::delete_note),
    ("create_snooze", snoozes::create_snooze),
    ("delete_snooze", snoozes::delete_snooze),
];

/// `operationId`s are compared without case and `_`, so `closeCase` finds
/// `close_case`.
fn normalise(id: &str) -> String {
    id.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The handler of `operation_id`, if any.
pub(crate) fn find(operation_id: &str) -> Option<Handler> {
    let wanted = normalise(operation_id);
    HANDLERS
        .iter()
        .find(|(id, _)| normalise(id) == wanted)
        .map(|(_, h)| *h)
}

/// The id of a `what` of `table`: absent is 400 naming `field`, an id the
/// table does not hold is `ERROR_RECORD_NOT_FOUND` naming it.
fn existing<V>(
    table: &BTreeMap<i64, V>,
    field: &str,
    what: &str,
    id: Option<i64>,
) -> Result<i64, ApiError> {
    let id = id.ok_or_else(|| ApiError::invalid(format!("{field} is required")))?;
    if table.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found_record(format!(
            "{field}: no {what} with id {id}"
        )))
    }
}

/// A case that exists.
fn existing_case(store: &Store, field: &str, id: Option<i64>) -> Result<i64, ApiError> {
    existing(&store.cases, field, "case", id)
}

/// A contact that exists.
fn known_contact(store: &Store, field: &str, id: Option<i64>) -> Result<i64, ApiError> {
    existing(&store.contacts, field, "contact", id)
}

/// The open case of the body's `caseId` (an integer, or for invite a
/// string of digits too): absent or `null` is 400 naming `caseId` (reject's
/// schema does not require it, the operation cannot do without it).
fn open_case(store: &Store, input: &Input) -> Result<i64, ApiError> {
    let id = existing_case(store, "caseId", input.id_field("caseId")?)?;
    if store.is_closed(id) {
        return Err(ApiError::invalid(format!("caseId: case {id} is closed")));
    }
    Ok(id)
}

/// The cases of thread `thread`, which must be `contact`'s: an unknown
/// thread is `ERROR_RECORD_NOT_FOUND` naming `threadId`, another contact's
/// is 400 naming `field`.
fn thread_of(store: &Store, thread: i64, contact: i64, field: &str) -> Result<Vec<i64>, ApiError> {
    let members = store.cases_of_thread(thread);
    let Some(first) = members.first() else {
        return Err(ApiError::not_found_record(format!(
            "threadId: no thread with id {thread}"
        )));
    };
    if store.contact_of(*first) != Some(contact) {
        return Err(ApiError::invalid(format!(
            "{field}: thread {thread} belongs to another contact"
        )));
    }
    Ok(members)
}

/// The case a message is sent in: it exists, is open, and `contactId`
/// (when given) is its contact; the fields are named with `prefix`
/// (`data.` for email).
fn writable_case(
    store: &Store,
    case_id: Option<i64>,
    contact_id: Option<i64>,
    prefix: &str,
) -> Result<i64, ApiError> {
    let id = existing_case(store, &format!("{prefix}caseId"), case_id)?;
    if store.is_closed(id) {
        return Err(ApiError::invalid(format!(
            "{prefix}caseId: case {id} is closed"
        )));
    }
    if let Some(contact) = contact_id {
        if store.contact_of(id) != Some(contact) {
            return Err(ApiError::invalid(format!(
                "{prefix}contactId: {contact} is not the contact of case {id}"
            )));
        }
    }
    Ok(id)
}

/// Sets the status of the acting agent's participation, adding one if needed;
/// returns its id.
fn set_agent_status(store: &mut Store, ctx: &Ctx, case_id: i64, status: &str) -> i64 {
    match store.case_user_of(case_id, "user", ctx.agent_id) {
        Some(id) => {
            if let Some(row) = store.case_users.get_mut(&id) {
                row.insert("status".into(), json!(status));
            }
            id
        }
        None => store.add_case_user(
            case_id,
            ctx.participation("user", ctx.agent_id, status, false),
        ),
    }
}

/// Who a call acts as: the case's contact with `x-user-type=contact` (a
/// query parameter), otherwise the agent of the API key (`user`; other
/// values of this open enumeration act as the agent too).
fn acting(input: &Input, ctx: &Ctx, contact: Option<i64>) -> (&'static str, i64) {
    let as_contact = input.params.get("x-user-type").and_then(Value::as_str) == Some("contact");
    match (as_contact, contact) {
        (true, Some(contact)) => ("contact", contact),
        _ => ("user", ctx.agent_id),
    }
}

/// A message (or SMS) with its sender's profile as `sender`.
fn with_sender(store: &Store, message: &Row) -> Row {
    let mut out = message.clone();
    let sender = store.sender(
        message.get("senderType").and_then(Value::as_str),
        message.get("senderId").and_then(Value::as_i64),
    );
    if let Some(sender) = sender {
        out.insert("sender".into(), sender);
    }
    out
}

/// A string member of the body, when it is one (the kinds and texts of
/// open enumerations).
fn string_field(input: &Input, name: &str) -> Option<Value> {
    input.field(name).filter(|v| v.is_string()).cloned()
}

/// The agents of an id list field (`mentionUsers`, `users`), each an
/// integer or a string of digits; any other element is 400 naming the
/// field, unknown agents are `ERROR_RECORD_NOT_FOUND`. Duplicates are
/// dropped.
fn agents_of(store: &Store, input: &Input, field: &str) -> Result<Vec<i64>, ApiError> {
    let mut out = Vec::new();
    for value in input
        .field(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = flexible_id(value).ok_or_else(|| not_a_user_id(field, value))?;
        if !store.agents.contains_key(&id) {
            return Err(ApiError::not_found_record(format!(
                "{field}: no agent with id {id}"
            )));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// The 400 for an element of an id list that is not an id.
fn not_a_user_id(field: &str, value: &Value) -> ApiError {
    ApiError::invalid(format!(
        "{field}: {value} is not a user id (a 64-bit integer or a string of digits)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_handlers_by_normalised_id() {
        assert!(find("create_case").is_some());
        assert!(find("closeCase").is_some());
        assert!(find("no_such_op").is_none());
    }
}
