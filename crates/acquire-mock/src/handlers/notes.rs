//! Notes on contacts: their mentions of agents and their conversations.

use serde_json::{json, Value};

use super::{agents_of, existing, known_contact, string_field, Ctx};
use crate::{
    error::ApiError,
    input::Input,
    query::Paging,
    store::{self, Row, Store},
};

fn existing_note(store: &Store, field: &str, id: Option<i64>) -> Result<i64, ApiError> {
    existing(&store.notes, field, "note", id)
}

/// Whether a mention or message belongs to note `note_id`.
fn of_note(row: &Row, note_id: i64) -> bool {
    row.get("noteId").and_then(Value::as_i64) == Some(note_id)
}

/// The `type` the spec requires of a note and of its messages.
fn kind(input: &Input) -> Result<Value, ApiError> {
    string_field(input, "type").ok_or_else(|| ApiError::invalid("type is required"))
}

/// Mentions an agent in a note (once).
fn mention(store: &mut Store, note_id: i64, user_id: i64) {
    let already = store
        .note_users
        .values()
        .any(|u| of_note(u, note_id) && u.get("userId").and_then(Value::as_i64) == Some(user_id));
    if !already {
        let id = Store::fresh_id(&store.note_users, 42);
        store.note_users.insert(
            id,
            store::row([
                ("id", json!(id)),
                ("noteId", json!(note_id)),
                ("userId", json!(user_id)),
            ]),
        );
    }
}

fn add_note_message_row(
    store: &mut Store,
    ctx: &Ctx,
    note_id: i64,
    parent: Option<i64>,
    kind: Value,
    text: Option<&str>,
) -> i64 {
    let id = Store::fresh_id(&store.note_messages, 904);
    let mut row = store::row([
        ("id", json!(id)),
        ("noteId", json!(note_id)),
        ("parentId", parent.map_or(Value::Null, |p| json!(p))),
        ("userId", json!(ctx.agent_id)),
        ("type", kind),
        ("dateCreated", ctx.now()),
    ]);
    if let Some(text) = text {
        row.insert("message".into(), json!(text));
    }
    store.note_messages.insert(id, row);
    id
}

fn messages_of_note(store: &Store, note_id: i64) -> Vec<&Row> {
    store
        .note_messages
        .values()
        .filter(|m| of_note(m, note_id))
        .collect()
}

fn with_user(store: &Store, row: &Row) -> Row {
    let mut out = row.clone();
    if let Some(user) = row
        .get("userId")
        .and_then(Value::as_i64)
        .and_then(|u| store.agents.get(&u).cloned())
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
        .filter(|u| of_note(u, note_id))
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

/// Create: a note on the contact by the agent, of the `type` sent (the
/// spec requires it), titled `title` when one is sent, mentioning
/// `mentionUsers`, its `message` the first of its conversation. As Acquire
/// does, the result echoes `contactId` as the query's string.
pub(super) fn create_note(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let contact = known_contact(store, "contactId", input.int("contactId"))?;
    let kind = kind(input)?;
    let mentions = agents_of(store, input, "mentionUsers")?;
    let id = Store::fresh_id(&store.notes, 311);
    let mut row = store::row([
        ("id", json!(id)),
        ("contactId", json!(contact)),
        ("userId", json!(ctx.agent_id)),
        ("type", kind),
        (
            "description",
            string_field(input, "description").unwrap_or(Value::Null),
        ),
        ("dateCreated", ctx.now()),
    ]);
    if let Some(title) = string_field(input, "title") {
        row.insert("title".into(), title);
    }
    store.notes.insert(id, row.clone());
    for user in &mentions {
        mention(store, id, *user);
    }
    let message = input
        .field("message")
        .and_then(Value::as_str)
        .map(|text| add_note_message_row(store, ctx, id, None, json!("message"), Some(text)));
    let mut echoed = row.clone();
    echoed.insert("contactId".into(), json!(contact.to_string()));
    let mut out = echoed.clone();
    let users: Vec<Value> = store
        .note_users
        .values()
        .filter(|u| of_note(u, id))
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

/// Add a message to a note's conversation (`note_id`, whose contact
/// `contact_id` must be), by the agent, of the `type` sent, with the text
/// `message` when one is sent, replying to `parent_id` (0: none) and
/// mentioning `mentionUsers`.
pub(super) fn add_note_message(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let note_id = existing_note(store, "note_id", input.int_field("note_id")?)?;
    let text = input
        .field("message")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let note_contact = store
        .notes
        .get(&note_id)
        .and_then(|n| n.get("contactId"))
        .and_then(Value::as_i64);
    let contact = input
        .int_field("contact_id")?
        .ok_or_else(|| ApiError::invalid("contact_id is required"))?;
    if Some(contact) != note_contact {
        return Err(ApiError::invalid(format!(
            "contact_id: {contact} is not the contact of note {note_id}"
        )));
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
    let kind = kind(input)?;
    let id = add_note_message_row(store, ctx, note_id, parent, kind, text.as_deref());
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
    store.note_users.retain(|_, u| !of_note(u, id));
    store.note_messages.retain(|_, m| !of_note(m, id));
    Ok(json!({"success": true, "message": "Note deleted successfully."}))
}
