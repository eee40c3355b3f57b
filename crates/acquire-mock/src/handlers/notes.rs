//! Notes on contacts (their mentions and conversations) and snoozes.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{json, Map, Value};

use super::{existing_case, Ctx};
use crate::{error::ApiError, query::Paging, routes::Input, state::Store};

type Row = Map<String, Value>;

/// The format of a snooze's `scheduleDate`.
const SCHEDULE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

fn known_contact(store: &Store, field: &str, id: Option<i64>) -> Result<i64, ApiError> {
    let id = id.ok_or_else(|| ApiError::invalid(format!("{field} is required")))?;
    if store.contacts.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found_record(format!(
            "{field}: no contact with id {id}"
        )))
    }
}

fn existing_note(store: &Store, field: &str, id: Option<i64>) -> Result<i64, ApiError> {
    let id = id.ok_or_else(|| ApiError::invalid(format!("{field} is required")))?;
    if store.notes.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found_record(format!(
            "{field}: no note with id {id}"
        )))
    }
}

/// The agents of an id list field (`mentionUsers`, `users`); unknown ones
/// are `ERROR_RECORD_NOT_FOUND`. Duplicates are dropped.
fn agents_of(store: &Store, input: &Input, field: &str) -> Result<Vec<i64>, ApiError> {
    let mut out = Vec::new();
    for value in input
        .field(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = value
            .as_i64()
            .ok_or_else(|| ApiError::invalid(format!("{field} must hold 64-bit integers")))?;
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

fn agent(store: &Store, id: i64) -> Option<Value> {
    store.agents.get(&id).cloned()
}

/// Mentions an agent in a note (once).
fn mention(store: &mut Store, note_id: i64, user_id: i64) {
    let already = store.note_users.values().any(|u| {
        u.get("noteId").and_then(Value::as_i64) == Some(note_id)
            && u.get("userId").and_then(Value::as_i64) == Some(user_id)
    });
    if !already {
        let id = Store::fresh_id(&store.note_users, 42);
        store.note_users.insert(
            id,
            [
                ("id", json!(id)),
                ("noteId", json!(note_id)),
                ("userId", json!(user_id)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        );
    }
}

fn add_note_message_row(
    store: &mut Store,
    ctx: &Ctx,
    note_id: i64,
    parent: Option<i64>,
    kind: Value,
    text: &str,
) -> i64 {
    let id = Store::fresh_id(&store.note_messages, 904);
    let row: Row = [
        ("id", json!(id)),
        ("noteId", json!(note_id)),
        ("parentId", parent.map_or(Value::Null, |p| json!(p))),
        ("userId", json!(ctx.agent_id)),
        ("type", kind),
        ("message", json!(text)),
        ("dateCreated", ctx.now()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    store.note_messages.insert(id, row);
    id
}

fn messages_of_note(store: &Store, note_id: i64) -> Vec<&Row> {
    store
        .note_messages
        .values()
        .filter(|m| m.get("noteId").and_then(Value::as_i64) == Some(note_id))
        .collect()
}

fn with_user(store: &Store, row: &Row) -> Row {
    let mut out = row.clone();
    if let Some(user) = row
        .get("userId")
        .and_then(Value::as_i64)
        .and_then(|u| agent(store, u))
    {
        out.insert("user".into(), user);
    }
    out
}

/// A note with its mentions (each with the agent's profile) and its last
/// message.
fn render_note(store: &Store, note_id: i64) -> Row {
    let mut out = store.notes.get(&note_id).cloned().unwrap_or_default();
    let users: Vec<Value> = store
        .note_users
        .values()
        .filter(|u| u.get("noteId").and_then(Value::as_i64) == Some(note_id))
        .map(|u| Value::Object(with_user(store, u)))
        .collect();
    out.insert("users".into(), Value::Array(users));
    if let Some(last) = messages_of_note(store, note_id).last() {
        out.insert("lastMessage".into(), Value::Object((*last).clone()));
    }
    out
}

/// List: a page of the contact's notes, by id: `{count, rows}`.
pub(super) fn list_notes(store: &mut Store, _ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let contact = known_contact(store, "contact_id", input.int("contact_id"))?;
    let paging = Paging::of(input);
    let ids: Vec<i64> = store
        .notes
        .iter()
        .filter(|(_, n)| n.get("contactId").and_then(Value::as_i64) == Some(contact))
        .map(|(id, _)| *id)
        .collect();
    let count = ids.len();
    let rows: Vec<Value> = paging
        .slice(ids)
        .into_iter()
        .map(|id| Value::Object(render_note(store, id)))
        .collect();
    Ok(json!({ "count": count, "rows": rows }))
}

/// Get: the note, its mentions and last message.
pub(super) fn get_note(store: &mut Store, _ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = existing_note(store, "noteId", input.int("noteId"))?;
    Ok(Value::Object(render_note(store, id)))
}

/// Create: a note on the contact by the agent, mentioning `mentionUsers`,
/// its `message` the first of its conversation. As Acquire does, the
/// result echoes `contactId` as the query's string.
pub(super) fn create_note(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let contact = known_contact(store, "contactId", input.int("contactId"))?;
    let title = input
        .field("title")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("title is required"))?
        .to_owned();
    let mentions = agents_of(store, input, "mentionUsers")?;
    let kind = input
        .field("type")
        .filter(|t| t.is_string())
        .cloned()
        .unwrap_or(json!("note"));
    let id = Store::fresh_id(&store.notes, 311);
    let row: Row = [
        ("id", json!(id)),
        ("contactId", json!(contact)),
        ("userId", json!(ctx.agent_id)),
        ("type", kind),
        ("title", json!(title)),
        (
            "description",
            input
                .field("description")
                .filter(|d| d.is_string())
                .cloned()
                .unwrap_or(Value::Null),
        ),
        ("dateCreated", ctx.now()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    store.notes.insert(id, row.clone());
    for user in &mentions {
        mention(store, id, *user);
    }
    let message = input
        .field("message")
        .and_then(Value::as_str)
        .map(|text| add_note_message_row(store, ctx, id, None, json!("message"), text));
    let mut echoed = row.clone();
    echoed.insert("contactId".into(), json!(contact.to_string()));
    let mut out = echoed.clone();
    let users: Vec<Value> = store
        .note_users
        .values()
        .filter(|u| u.get("noteId").and_then(Value::as_i64) == Some(id))
        .map(|u| {
            let mut u = u.clone();
            u.insert("note".into(), Value::Object(echoed.clone()));
            Value::Object(u)
        })
        .collect();
    out.insert("users".into(), Value::Array(users));
    if let Some(message) = message.and_then(|m| store.note_messages.get(&m)) {
        let mut last = with_user(store, message);
        last.insert("note".into(), Value::Object(row));
        out.insert("lastMessage".into(), Value::Object(last));
    }
    Ok(Value::Object(out))
}

/// Add a message to a note's conversation, by the agent, replying to
/// `parent_id` (0: none) and mentioning `mentionUsers`.
pub(super) fn add_note_message(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let note_id = existing_note(store, "note_id", input.int_field("note_id")?)?;
    let text = input
        .field("message")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("message is required"))?
        .to_owned();
    let note_contact = store
        .notes
        .get(&note_id)
        .and_then(|n| n.get("contactId"))
        .and_then(Value::as_i64);
    if let Some(contact) = input.int_field("contact_id")? {
        if Some(contact) != note_contact {
            return Err(ApiError::invalid(format!(
                "contact_id: {contact} is not the contact of note {note_id}"
            )));
        }
    }
    let parent = input.int_field("parent_id")?.filter(|p| *p != 0);
    if let Some(parent) = parent {
        let of_note = store
            .note_messages
            .get(&parent)
            .and_then(|m| m.get("noteId"))
            .and_then(Value::as_i64);
        if of_note != Some(note_id) {
            return Err(ApiError::not_found_record(format!(
                "parent_id: note {note_id} has no message {parent}"
            )));
        }
    }
    let mentions = agents_of(store, input, "mentionUsers")?;
    for user in mentions {
        mention(store, note_id, user);
    }
    let kind = input
        .field("type")
        .filter(|t| t.is_string())
        .cloned()
        .unwrap_or(json!("message"));
    let id = add_note_message_row(store, ctx, note_id, parent, kind, &text);
    let message = store.note_messages.get(&id).cloned().unwrap_or_default();
    let mut out = with_user(store, &message);
    if let Some(note) = store.notes.get(&note_id) {
        out.insert("note".into(), Value::Object(note.clone()));
    }
    Ok(Value::Object(out))
}

/// The messages of a note, oldest first, each with its author:
/// `{count, rows}`.
pub(super) fn list_note_messages(
    store: &mut Store,
    _ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let note_id = existing_note(store, "noteId", input.int("noteId"))?;
    let rows: Vec<Value> = messages_of_note(store, note_id)
        .into_iter()
        .map(|m| Value::Object(with_user(store, m)))
        .collect();
    Ok(json!({ "count": rows.len(), "rows": rows }))
}

/// Delete: the note, its mentions and its messages.
pub(super) fn delete_note(store: &mut Store, _ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = existing_note(store, "noteId", input.int("noteId"))?;
    store.notes.remove(&id);
    let of_note = |row: &Row| row.get("noteId").and_then(Value::as_i64) == Some(id);
    store.note_users.retain(|_, u| !of_note(u));
    store.note_messages.retain(|_, m| !of_note(m));
    Ok(json!({"success": true, "message": "Note deleted successfully."}))
}

/// `scheduleDate` as Acquire stores it, `YYYY-MM-DD HH:MM:SS`; an RFC 3339
/// time (the reference's request example) is accepted and converted to UTC.
fn schedule_date(raw: &str) -> Result<String, ApiError> {
    if let Ok(at) = NaiveDateTime::parse_from_str(raw, SCHEDULE_FORMAT) {
        return Ok(at.format(SCHEDULE_FORMAT).to_string());
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc).format(SCHEDULE_FORMAT).to_string());
    }
    Err(ApiError::invalid(format!(
        "scheduleDate: `{raw}` is not a time as `YYYY-MM-DD HH:MM:SS`"
    )))
}

/// A snooze as returned: `users` as `[{"<id>": {id, email, name}}]`.
fn render_snooze(store: &Store, row: &Row) -> Value {
    let mut out = row.clone();
    let users: Vec<Value> = row
        .get("users")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .map(|id| {
            let profile = agent(store, id).unwrap_or(Value::Null);
            let text = |name: &str| profile.get(name).cloned().unwrap_or(json!(""));
            let mut entry = Map::new();
            entry.insert(
                id.to_string(),
                json!({"id": id, "email": text("email"), "name": text("name")}),
            );
            Value::Object(entry)
        })
        .collect();
    out.insert("users".into(), Value::Array(users));
    Value::Object(out)
}

/// Snooze a case (`objectType` `case`: `caseId` or `objectId`) or a contact
/// (`contact`: `contactId` or `objectId`) for `users` (default: the agent).
pub(super) fn create_snooze(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let object_type = input
        .field("objectType")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("objectType is required"))?
        .to_owned();
    let case_id = input.int_field("caseId")?;
    let contact_id = input.int_field("contactId")?;
    let object_id = input.int_field("objectId")?;
    let (object, contact) = match object_type.as_str() {
        "case" => {
            if let (Some(case), Some(object)) = (case_id, object_id) {
                if case != object {
                    return Err(ApiError::invalid(format!(
                        "objectId: {object} is not caseId {case}"
                    )));
                }
            }
            let field = if case_id.is_some() {
                "caseId"
            } else {
                "objectId"
            };
            let case = existing_case(store, field, case_id.or(object_id))?;
            let owner = store
                .cases
                .get(&case)
                .and_then(|c| c.get("contactId"))
                .and_then(Value::as_i64);
            if let Some(contact) = contact_id {
                if Some(contact) != owner {
                    return Err(ApiError::invalid(format!(
                        "contactId: {contact} is not the contact of case {case}"
                    )));
                }
            }
            (case, owner)
        }
        "contact" => {
            if let (Some(contact), Some(object)) = (contact_id, object_id) {
                if contact != object {
                    return Err(ApiError::invalid(format!(
                        "objectId: {object} is not contactId {contact}"
                    )));
                }
            }
            let field = if contact_id.is_some() {
                "contactId"
            } else {
                "objectId"
            };
            let contact = known_contact(store, field, contact_id.or(object_id))?;
            (contact, Some(contact))
        }
        other => {
            return Err(ApiError::invalid(format!(
                "objectType: `{other}` is neither `case` nor `contact`"
            )))
        }
    };
    let schedule = schedule_date(
        input
            .field("scheduleDate")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::invalid("scheduleDate is required"))?,
    )?;
    let mut users = agents_of(store, input, "users")?;
    if users.is_empty() {
        users.push(ctx.agent_id);
    }
    let id = Store::fresh_id(&store.snoozes, 78);
    let row: Row = [
        ("id", json!(id)),
        ("objectType", json!(object_type)),
        ("contactId", contact.map_or(Value::Null, |c| json!(c))),
        ("scheduleDate", json!(schedule)),
        ("objectId", json!(object)),
        ("userId", json!(ctx.agent_id)),
        (
            "message",
            input
                .field("message")
                .filter(|m| m.is_string())
                .cloned()
                .unwrap_or(json!("")),
        ),
        ("users", json!(users)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    store.snoozes.insert(id, row.clone());
    Ok(json!({
        "success": true,
        "message": "Snooze created successfully.",
        "data": render_snooze(store, &row),
    }))
}

/// Delete a snooze.
pub(super) fn delete_snooze(
    store: &mut Store,
    _ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let id = input
        .int("snoozeId")
        .ok_or_else(|| ApiError::invalid("snoozeId is required"))?;
    if store.snoozes.remove(&id).is_none() {
        return Err(ApiError::not_found_record(format!(
            "snoozeId: no snooze with id {id}"
        )));
    }
    Ok(json!({"success": true, "message": "Snooze deleted successfully."}))
}
