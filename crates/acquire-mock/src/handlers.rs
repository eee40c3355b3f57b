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

mod cases;
mod messages;
mod notes;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::{
    error::ApiError,
    routes::Input,
    state::{timestamp, Store},
};

/// What a handler knows besides the request.
pub(crate) struct Ctx {
    /// The agent the API key acts as.
    pub agent_id: i64,
    /// The request's time.
    pub now: DateTime<Utc>,
}

impl Ctx {
    fn now(&self) -> Value {
        json!(timestamp(self.now))
    }
}

/// A handler: validated input in, the response's `data` out.
pub(crate) type Handler = fn(&mut Store, &Ctx, &Input) -> Result<Value, ApiError>;

/// Every implemented operation, by `operationId`.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("create_case", create_case),
    ("reject_case", reject_case),
    ("join_case", join_case),
    ("close_case", close_case),
    ("invite_agent", cases::invite_agent),
    ("list_cases", cases::list_cases),
    ("get_case", cases::get_case),
    ("list_messages", cases::list_messages),
    ("get_message", messages::get_message),
    ("delete_message", messages::delete_message),
    ("send_chat_message", messages::send_chat_message),
    ("update_message", messages::update_message),
    ("send_email_message", messages::send_email_message),
    ("send_sms", messages::send_sms),
    ("list_notes", notes::list_notes),
    ("get_note", notes::get_note),
    ("create_note", notes::create_note),
    ("add_note_message", notes::add_note_message),
    ("list_note_messages", notes::list_note_messages),
    ("delete_note", notes::delete_note),
    ("create_snooze", notes::create_snooze),
    ("delete_snooze", notes::delete_snooze),
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

fn existing_case(store: &Store, field: &str, id: Option<i64>) -> Result<i64, ApiError> {
    let id = id.ok_or_else(|| ApiError::invalid(format!("{field} is required")))?;
    if store.cases.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found_record(format!(
            "{field}: no case with id {id}"
        )))
    }
}

fn is_closed(store: &Store, case_id: i64) -> bool {
    store
        .cases
        .get(&case_id)
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        == Some("closed")
}

/// The open case of the body's `caseId` (an integer, or for invite a
/// string of digits too): absent or `null` is 400 naming `caseId` (reject's
/// schema does not require it, the operation cannot do without it).
fn open_case(store: &Store, input: &Input) -> Result<i64, ApiError> {
    let id = existing_case(store, "caseId", input.id_field("caseId")?)?;
    if is_closed(store, id) {
        return Err(ApiError::invalid(format!("caseId: case {id} is closed")));
    }
    Ok(id)
}

fn set(store: &mut Store, case_id: i64, fields: &[(&str, Value)]) {
    if let Some(row) = store.cases.get_mut(&case_id) {
        for (k, v) in fields {
            row.insert((*k).to_owned(), v.clone());
        }
    }
}

fn participation(
    ctx: &Ctx,
    kind: &str,
    user_id: i64,
    status: &str,
    assigned: bool,
) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("type".into(), json!(kind));
    row.insert("userId".into(), json!(user_id));
    row.insert("role".into(), json!("owner"));
    row.insert("status".into(), json!(status));
    row.insert("dateCreated".into(), ctx.now());
    row.insert(
        "dateLastAssigned".into(),
        if assigned { ctx.now() } else { Value::Null },
    );
    row.insert("closed".into(), json!("no"));
    row.insert("meta".into(), Value::Null);
    row
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
            participation(ctx, "user", ctx.agent_id, status, false),
        ),
    }
}

/// Create (or reopen, with `threadId`): a pending case for the contact, the
/// contact participating, offered to `routeAgentId` when given.
fn create_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let contact_id = input
        .int("contactId")
        .ok_or_else(|| ApiError::invalid("contactId is required"))?;
    let contact = store.contacts.get(&contact_id).cloned().ok_or_else(|| {
        ApiError::not_found_record(format!("contactId: no contact with id {contact_id}"))
    })?;
    let thread = match input.int_field("threadId")? {
        Some(thread_id) => {
            let thread = existing_case(store, "threadId", Some(thread_id))?;
            let owner = store
                .cases
                .get(&thread)
                .and_then(|c| c.get("contactId"))
                .and_then(Value::as_i64);
            if owner != Some(contact_id) {
                return Err(ApiError::invalid(format!(
                    "threadId: case {thread_id} belongs to another contact"
                )));
            }
            Some(thread)
        }
        None => None,
    };
    let route_agent = input.int_field("routeAgentId")?.filter(|id| *id != 0);
    input.int_field("agentId")?;
    // Mentions are kept nowhere (a case has no such member), but each must
    // be an id: the seed example's "00" is one, 2^63 is not.
    for mention in input
        .field("mentionUsers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if crate::routes::flexible_id(mention).is_none() {
            return Err(ApiError::invalid(format!(
                "mentionUsers: {mention} is not a user id (a 64-bit integer or a string of digits)"
            )));
        }
    }
    if let Some(agent) = route_agent {
        if !store.agents.contains_key(&agent) {
            return Err(ApiError::not_found_record(format!(
                "routeAgentId: no agent with id {agent}"
            )));
        }
    }
    let message = input.field("message");
    let text = message
        .and_then(|m| m.get("message"))
        .and_then(Value::as_str);
    let id = store.next_case_id();
    let visit_id = contact
        .get("visits")
        .and_then(Value::as_array)
        .and_then(|v| v.last())
        .and_then(|v| v.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    // `sessionId` is an integer or a string of digits; `meta.sessionId` keeps
    // the digits as sent.
    let session = match (input.id_field("sessionId")?, input.field("sessionId")) {
        (Some(_), Some(Value::String(digits))) => digits.clone(),
        (Some(n), _) => n.to_string(),
        (None, _) => format!("{}", 1_000_000_000 + id),
    };
    let mut row = Map::new();
    for (k, v) in [
        ("id", json!(id)),
        ("contactId", json!(contact_id)),
        (
            "title",
            input
                .field("title")
                .cloned()
                .unwrap_or_else(|| json!(format!("#{contact_id} has just started a chat"))),
        ),
        ("description", text.map_or(Value::Null, |t| json!(t))),
        (
            "channel",
            input.field("channel").cloned().unwrap_or(json!("chat")),
        ),
        ("status", json!("pending")),
        ("closingState", Value::Null),
        ("dateCreated", ctx.now()),
        ("dateUpdated", Value::Null),
        ("dateQueue", ctx.now()),
        ("datePending", ctx.now()),
        ("dateActive", Value::Null),
        ("dateClosed", Value::Null),
        ("queueId", Value::Null),
        ("queueOrder", json!(0)),
        ("meta", json!({"sessionId": session, "queueRecheck": "no"})),
        ("parentId", thread.map_or(Value::Null, |t| json!(t))),
        ("threadId", json!(thread.unwrap_or(id))),
        ("userId", json!(ctx.agent_id)),
        ("visitId", visit_id),
        ("waitTime", json!(0)),
        ("closedBy", Value::Null),
    ] {
        row.insert(k.to_owned(), v);
    }
    store.cases.insert(id, row);
    store.users_of_case.insert(id, Vec::new());
    store.add_case_user(
        id,
        participation(ctx, "contact", contact_id, "active", true),
    );
    if let Some(agent) = route_agent {
        store.add_case_user(id, participation(ctx, "user", agent, "active", true));
    }
    if let Some(text) = text {
        let mut m = Map::new();
        for (k, v) in [
            ("caseId", json!(id)),
            ("channel", json!("chat")),
            ("senderId", json!(contact_id)),
            ("senderType", json!("contact")),
            (
                "type",
                message
                    .and_then(|m| m.get("type"))
                    .cloned()
                    .unwrap_or(json!("message")),
            ),
            ("message", json!(text)),
            ("dateCreated", ctx.now()),
            ("dateUpdated", Value::Null),
            ("seen", json!("no")),
            ("meta", json!({})),
        ] {
            m.insert(k.to_owned(), v);
        }
        store.add_message(m);
    }
    let mut out = store.case(id).unwrap_or_default();
    out.insert("contact".into(), contact);
    out.insert("users".into(), json!(store.render_users(id, false)));
    out.insert("fields".into(), json!([]));
    out.insert("isCaseJoined".into(), json!(false));
    let timeline = store.add_timeline(id, Some(&ctx.now()));
    out.insert(
        "timelineId".into(),
        timeline.get("id").cloned().unwrap_or(Value::Null),
    );
    out.insert("preMessages".into(), json!([]));
    Ok(Value::Object(out))
}

/// Reject: the acting agent's participation becomes `rejected`.
fn reject_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    set_agent_status(store, ctx, id, "rejected");
    set(store, id, &[("dateUpdated", ctx.now())]);
    let mut out = store.case(id).unwrap_or_default();
    out.insert("users".into(), json!(store.render_users(id, false)));
    Ok(Value::Object(out))
}

/// Join: the acting agent `joined`, other offered agents `ignored`, the case
/// `active` with `dateActive` (and `waitTime` since it was queued).
fn join_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    let already = store
        .case_user_of(id, "user", ctx.agent_id)
        .and_then(|u| store.case_users.get(&u))
        .and_then(|u| u.get("status"))
        .and_then(Value::as_str)
        == Some("joined");
    let joined = set_agent_status(store, ctx, id, "joined");
    if !already {
        let others: Vec<i64> = store.users_of_case.get(&id).cloned().unwrap_or_default();
        for other in others.into_iter().filter(|o| *o != joined) {
            if let Some(row) = store.case_users.get_mut(&other) {
                let offered = row.get("type").and_then(Value::as_str) == Some("user")
                    && row.get("status").and_then(Value::as_str) == Some("active");
                if offered {
                    row.insert("status".into(), json!("ignored"));
                }
            }
        }
        let queued = store
            .cases
            .get(&id)
            .and_then(|c| c.get("dateQueue"))
            .and_then(Value::as_str)
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok());
        let mut fields = vec![
            ("status", json!("active")),
            ("dateActive", ctx.now()),
            ("dateUpdated", ctx.now()),
        ];
        if let Some(queued) = queued {
            let waited = (ctx.now - queued.with_timezone(&Utc)).num_milliseconds();
            fields.push(("waitTime", json!((waited.max(0) + 500) / 1000)));
        }
        set(store, id, &fields);
    }
    let columns = store.case(id).unwrap_or_default();
    let last = store.last_message(id);
    let mut users = store.render_users(id, true);
    for user in &mut users {
        if user.get("id").and_then(Value::as_i64) == Some(joined) {
            let mut case = columns.clone();
            if let Some(last) = &last {
                case.insert("lastMessage".into(), last.clone());
            }
            if let Some(user) = user.as_object_mut() {
                user.insert("case".into(), Value::Object(case));
            }
        }
    }
    let mut out = columns;
    out.insert("users".into(), Value::Array(users));
    if let Some(last) = last {
        out.insert("lastMessage".into(), last);
    }
    Ok(Value::Object(out))
}

/// Close: the case `closed` with `dateClosed`, `closingState` and `closedBy`;
/// every participation closed; with `archive: "yes"`, the case's contact is
/// archived too (`contact.archive` becomes `yes`); `"no"` or another value
/// of the open flag archives nothing. With `leaveOnly`, only the acting
/// agent's participation is closed, the case stays open and nothing is
/// archived.
fn close_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    let archive = input.field("archive").and_then(Value::as_str) == Some("yes");
    let leave_only = input.field("leaveOnly").and_then(Value::as_bool) == Some(true);
    let contact_id = store
        .cases
        .get(&id)
        .and_then(|c| c.get("contactId"))
        .cloned()
        .unwrap_or(Value::Null);
    let mine = store.case_user_of(id, "user", ctx.agent_id);
    if leave_only {
        if let Some(row) = mine.and_then(|u| store.case_users.get_mut(&u)) {
            row.insert("closed".into(), json!("yes"));
        }
        set(store, id, &[("dateUpdated", ctx.now())]);
    } else {
        let state = input
            .field("closingState")
            .filter(|s| s.is_string())
            .cloned()
            .unwrap_or(json!("handled"));
        set(
            store,
            id,
            &[
                ("status", json!("closed")),
                ("closingState", state),
                ("dateClosed", ctx.now()),
                ("dateUpdated", ctx.now()),
                ("closedBy", json!(ctx.agent_id)),
            ],
        );
        for user in store.users_of_case.get(&id).cloned().unwrap_or_default() {
            if let Some(row) = store.case_users.get_mut(&user) {
                row.insert("closed".into(), json!("yes"));
            }
        }
        if archive {
            let contact = contact_id
                .as_i64()
                .and_then(|c| store.contacts.get_mut(&c))
                .and_then(Value::as_object_mut);
            if let Some(contact) = contact {
                contact.insert("archive".into(), json!("yes"));
            }
        }
    }
    Ok(json!({
        "0": {
            "foreverClosed": !leave_only,
            "leftUser": mine.is_some(),
            "caseId": id,
            "contactId": contact_id,
        },
        "userId": ctx.agent_id,
        "userType": "user",
    }))
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
