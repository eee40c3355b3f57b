//! The chat messages of cases: read, delete, send, edit.

use serde_json::{json, Value};

use super::{acting, existing, with_sender, writable_case, Ctx};
use crate::{
    error::ApiError,
    input::Input,
    store::{self, Store},
};

fn message_id(store: &Store, input: &Input) -> Result<i64, ApiError> {
    existing(
        &store.messages,
        "messageId",
        "message",
        input.int("messageId"),
    )
}

/// A case as embedded in a message: its columns, contact and users.
fn case_view(store: &Store, case_id: i64) -> Value {
    let mut case = store.case(case_id).unwrap_or_default();
    if let Some(contact) = store
        .contact_of(case_id)
        .and_then(|c| store.contacts.get(&c))
    {
        case.insert("contact".into(), contact.clone());
    }
    case.insert("users".into(), json!(store.render_users(case_id, true)));
    Value::Object(case)
}

/// Get: the message and its sender's profile.
pub(super) fn get_message(store: &mut Store, _ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = message_id(store, input)?;
    let message = store.messages.get(&id).cloned().unwrap_or_default();
    Ok(Value::Object(with_sender(store, &message)))
}

/// Delete: the message is gone; `deleted` counts it.
pub(super) fn delete_message(
    store: &mut Store,
    _ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let id = message_id(store, input)?;
    let deleted = i64::from(store.remove_message(id));
    Ok(json!({ "deleted": deleted }))
}

/// The text and kind of the body's message object (`ChatMessageInput` or
/// `MessageInput`): each `None` when not sent (both are optional but chat's
/// `type`, which the spec requires).
fn text_of(input: &Input) -> Result<(Option<String>, Option<Value>), ApiError> {
    let message = input
        .field("message")
        .ok_or_else(|| ApiError::invalid("message is required"))?;
    let text = message
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let kind = message.get("type").filter(|t| t.is_string()).cloned();
    Ok((text, kind))
}

/// Send a chat message: appended to the case, as the agent
/// (`x-user-type=user`) or the case's contact (`x-user-type=contact`; the
/// query's `contactId`, when given, must be the case's contact); returned
/// with its case, sender, thread and contact. The message keeps its `type`
/// as sent (`message`, `note`, `event`...) and has no text when none was
/// sent.
pub(super) fn send_chat_message(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let case_id = writable_case(
        store,
        input.int_field("caseId")?,
        input.int("contactId"),
        "",
    )?;
    let (text, kind) = text_of(input)?;
    let sender = acting(input, ctx, store.contact_of(case_id));
    let channel = super::string_field(input, "channel")
        .or_else(|| {
            store
                .cases
                .get(&case_id)
                .and_then(|c| c.get("channel"))
                .cloned()
        })
        .unwrap_or(json!("chat"));
    let mut row = store::message(
        case_id,
        channel,
        sender,
        kind.unwrap_or(json!("message")),
        &ctx.now(),
    );
    if let Some(text) = text {
        row.insert("message".into(), json!(text));
    }
    let id = store.add_message(row);
    store.set(case_id, &[("dateUpdated", ctx.now())]);
    let message = store.messages.get(&id).cloned().unwrap_or_default();
    let mut out = with_sender(store, &message);
    out.insert("case".into(), case_view(store, case_id));
    let case = store.case(case_id).unwrap_or_default();
    out.insert(
        "threadId".into(),
        case.get("threadId").cloned().unwrap_or(json!(case_id)),
    );
    out.insert(
        "contactId".into(),
        case.get("contactId").cloned().unwrap_or(Value::Null),
    );
    Ok(Value::Object(out))
}

/// Update: the message's text and kind replaced by those sent (each kept
/// when not sent), `dateUpdated` set; returned with its case, sender and
/// thread.
pub(super) fn update_message(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let id = message_id(store, input)?;
    let (text, kind) = text_of(input)?;
    let case_id = {
        let Some(row) = store.messages.get_mut(&id) else {
            return Err(ApiError::not_found_record(format!(
                "messageId: no message with id {id}"
            )));
        };
        if let Some(text) = text {
            row.insert("message".into(), json!(text));
        }
        if let Some(kind) = kind {
            row.insert("type".into(), kind);
        }
        row.insert("dateUpdated".into(), ctx.now());
        row.get("caseId").and_then(Value::as_i64)
    };
    let message = store.messages.get(&id).cloned().unwrap_or_default();
    let mut out = with_sender(store, &message);
    if let Some(case_id) = case_id.filter(|c| store.cases.contains_key(c)) {
        out.insert("case".into(), case_view(store, case_id));
        if let Some(thread) = store.cases.get(&case_id).and_then(|c| c.get("threadId")) {
            out.insert("threadId".into(), thread.clone());
        }
    }
    Ok(Value::Object(out))
}
