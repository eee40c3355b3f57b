//! Notes on contacts (their mentions and conversations) and snoozes.

use chrono::{DateTime, NaiveDateTime};
use serde_json::{json, Map, Value};

use super::{existing_case, Ctx};
use crate::{
    error::ApiError,
    query::Paging,
    routes::{flexible_id, Input},
    state::Store,
};

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
        let id = flexible_id(value).ok_or_else(|| {
            ApiError::invalid(format!(
                "{field}: {value} is not a user id (a 64-bit integer or a string of digits)"
            ))
        })?;
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
    text: Option<&str>,
) -> i64 {
    let id = Store::fresh_id(&store.note_messages, 904);
    let mut row: Row = [
        ("id", json!(id)),
        ("noteId", json!(note_id)),
        ("parentId", parent.map_or(Value::Null, |p| json!(p))),
        ("userId", json!(ctx.agent_id)),
        ("type", kind),
        ("dateCreated", ctx.now()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
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

/// Create: a note on the contact by the agent, of the `type` sent (the
/// spec requires it), titled `title` when one is sent, mentioning
/// `mentionUsers`, its `message` the first of its conversation. As Acquire
/// does, the result echoes `contactId` as the query's string.
pub(super) fn create_note(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let contact = known_contact(store, "contactId", input.int("contactId"))?;
    let kind = input
        .field("type")
        .filter(|t| t.is_string())
        .cloned()
        .ok_or_else(|| ApiError::invalid("type is required"))?;
    let mentions = agents_of(store, input, "mentionUsers")?;
    let id = Store::fresh_id(&store.notes, 311);
    let mut row: Row = [
        ("id", json!(id)),
        ("contactId", json!(contact)),
        ("userId", json!(ctx.agent_id)),
        ("type", kind),
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
    if let Some(title) = input.field("title").filter(|t| t.is_string()) {
        row.insert("title".into(), title.clone());
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
    let kind = input
        .field("type")
        .filter(|t| t.is_string())
        .cloned()
        .ok_or_else(|| ApiError::invalid("type is required"))?;
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
    let of_note = |row: &Row| row.get("noteId").and_then(Value::as_i64) == Some(id);
    store.note_users.retain(|_, u| !of_note(u));
    store.note_messages.retain(|_, m| !of_note(m));
    Ok(json!({"success": true, "message": "Note deleted successfully."}))
}

/// `scheduleDate` as Acquire stores it, `YYYY-MM-DD HH:MM:SS`. Every form
/// the spec's pattern admits is read: the documented
/// `YYYY-MM-DD HH:MM:SS`, or with `T`, a fraction of a second and a zone
/// (`Z`, `+01:00`, `+0100`), as the reference's RFC 3339 example
/// (`2021-03-25T09:00:00.000Z`). A time with a zone is converted to UTC;
/// one without is kept as written; the fraction is dropped.
fn schedule_date(raw: &str) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::invalid(format!(
            "scheduleDate: `{raw}` is not a time as `YYYY-MM-DD HH:MM:SS` or RFC 3339"
        ))
    };
    // The date is ASCII digits and dashes: byte 10 is the separator.
    let (date, rest) = match (raw.get(..10), raw.get(11..)) {
        (Some(date), Some(rest)) if matches!(raw.as_bytes()[10], b' ' | b'T') => (date, rest),
        _ => return Err(invalid()),
    };
    let (time, zone) = match rest.find(['Z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let local = NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M:%S%.f")
        .map_err(|_| invalid())?;
    let at = match zone {
        "" | "Z" => local,
        zone => {
            let offset = DateTime::parse_from_str(
                &format!("2000-01-01 00:00:00 {zone}"),
                "%Y-%m-%d %H:%M:%S %z",
            )
            .map_err(|_| invalid())?
            .offset()
            .local_minus_utc();
            local
                .checked_sub_signed(chrono::Duration::seconds(i64::from(offset)))
                .ok_or_else(invalid)?
        }
    };
    Ok(at.format(SCHEDULE_FORMAT).to_string())
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

/// Snooze a case (`objectType` `case`: `caseId`, or `objectId`) or a
/// contact (`contact`: `contactId`, or `objectId`, or the contact of
/// `caseId`) for `users` (default: the agent). `caseId` and `contactId` may
/// be `null`, but one of them must hold an id (the spec's
/// `x-required-one-of`); those given must agree with each other and with
/// `objectId`.
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
    if case_id.is_none() && contact_id.is_none() {
        return Err(ApiError::invalid(
            "caseId or contactId: give at least one of them (not null)",
        ));
    }
    let disagree = |name: &str, given: Option<i64>| match (given, object_id) {
        (Some(given), Some(object)) if given != object => Err(ApiError::invalid(format!(
            "objectId: {object} is not {name} {given}"
        ))),
        _ => Ok(()),
    };
    // The case, when one is named, and its contact.
    let case = match case_id {
        Some(case) => Some(existing_case(store, "caseId", Some(case))?),
        None => None,
    };
    let owner = |store: &Store, case: i64| {
        store
            .cases
            .get(&case)
            .and_then(|c| c.get("contactId"))
            .and_then(Value::as_i64)
    };
    let (object, contact) = match object_type.as_str() {
        "case" => {
            disagree("caseId", case_id)?;
            let case = match case {
                Some(case) => case,
                None => {
                    let Some(object) = object_id else {
                        return Err(ApiError::invalid(
                            "caseId is required to snooze a case (objectType `case`)",
                        ));
                    };
                    existing_case(store, "objectId", Some(object))?
                }
            };
            (case, owner(store, case))
        }
        "contact" => {
            disagree("contactId", contact_id)?;
            let field = if contact_id.is_some() {
                "contactId"
            } else if object_id.is_some() {
                "objectId"
            } else {
                "caseId"
            };
            let named = contact_id
                .or(object_id)
                .or_else(|| case.and_then(|c| owner(store, c)));
            let contact = known_contact(store, field, named)?;
            (contact, Some(contact))
        }
        other => {
            return Err(ApiError::invalid(format!(
                "objectType: `{other}` is neither `case` nor `contact`"
            )))
        }
    };
    if let (Some(case), Some(given)) = (case, contact_id) {
        if owner(store, case) != Some(given) {
            return Err(ApiError::invalid(format!(
                "contactId: {given} is not the contact of case {case}"
            )));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_schedule_form_the_pattern_admits() {
        for (raw, want) in [
            ("2021-03-25 09:00:00", "2021-03-25 09:00:00"),
            ("2021-03-25T09:00:00.000Z", "2021-03-25 09:00:00"),
            ("2021-03-25T09:00:00Z", "2021-03-25 09:00:00"),
            ("2021-03-25T09:00:00", "2021-03-25 09:00:00"),
            ("2021-03-25 09:00:00.5", "2021-03-25 09:00:00"),
            ("2021-03-25T10:00:00+01:00", "2021-03-25 09:00:00"),
            ("2021-03-25T10:30:00.123+0130", "2021-03-25 09:00:00"),
            ("2021-03-25T00:30:00-01:00", "2021-03-25 01:30:00"),
            ("2021-03-25T23:30:00-01:00", "2021-03-26 00:30:00"),
        ] {
            assert_eq!(
                schedule_date(raw).map_err(|e| e.message).as_deref(),
                Ok(want),
                "{raw}"
            );
        }
        for raw in [
            "tomorrow",
            "2021-03-25",
            "2021-03-25X09:00:00",
            "2021-02-30 09:00:00",
            "2021-03-25 25:00:00",
            "2021-03-25T09:00:00+99:99",
            "2021-03-25T09:00:00Zulu",
            "2021-03-25 09:00:00 ",
            "éééééééééééééé",
        ] {
            let error = schedule_date(raw).expect_err(raw);
            assert!(error.message.starts_with("scheduleDate:"), "{raw}");
        }
    }
}
