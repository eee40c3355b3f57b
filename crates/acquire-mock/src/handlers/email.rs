//! Sending email in a case: a mail message of the case's mail thread,
//! mirrored as a case message.

use serde_json::{json, Value};

use super::{writable_case, Ctx};
use crate::{
    error::ApiError,
    input::{int_member, Input},
    store::{self, Store},
};

/// Strips the tags of an HTML body (the text body of an email).
fn text_body(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

fn addresses(value: Option<&Value>) -> Vec<Value> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|email| json!({"Name": "", "Email": email}))
        .collect()
}

/// Send an email: stored as a mail message of the case's mail thread (and
/// as a case message), from the agent; addresses come back as
/// `{Name, Email}`. `subject` and `htmlBody` (and the text derived from it)
/// are stored only when sent.
pub(super) fn send_email_message(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let data = input
        .field("data")
        .ok_or_else(|| ApiError::invalid("data is required"))?;
    let int = |name: &str| int_member(data.get(name), &format!("data.{name}"));
    let case_id = writable_case(store, int("caseId")?, int("contactId")?, "data.")?;
    let text = |name: &str| data.get(name).and_then(Value::as_str);
    let subject = text("subject").map(str::to_owned);
    let html = text("htmlBody").map(str::to_owned);
    let from_email = text("from")
        .ok_or_else(|| ApiError::invalid("data.from is required"))?
        .to_owned();
    let kind = data
        .get("type")
        .filter(|t| t.is_string())
        .cloned()
        .unwrap_or(json!("message"));
    let agent = store
        .agents
        .get(&ctx.agent_id)
        .cloned()
        .unwrap_or(Value::Null);
    let agent_field = |name: &str| {
        agent
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let previous = store
        .emails
        .values()
        .rev()
        .find(|e| e.get("caseId").and_then(Value::as_i64) == Some(case_id))
        .cloned();
    let id = Store::fresh_id(&store.emails, 905);
    let mail_id = match previous.as_ref().and_then(|p| p.get("mailId")) {
        Some(mail) => mail.clone(),
        None => json!(store
            .emails
            .values()
            .filter_map(|e| e.get("mailId").and_then(Value::as_i64))
            .max()
            .map_or(311, |m| m + 1)),
    };
    let hash = format!(
        "{:08x}",
        (id as u64).wrapping_mul(2_654_435_761) & 0xffff_ffff
    );
    let in_reply_to = previous
        .as_ref()
        .and_then(|p| p.get("mailboxMessageId"))
        .cloned()
        .unwrap_or(json!(""));
    let plain = html.as_deref().map(text_body);
    let mut message = store::message(
        case_id,
        json!("email"),
        ("user", ctx.agent_id),
        kind.clone(),
        &ctx.now(),
    );
    if let Some(plain) = &plain {
        message.insert("message".into(), json!(plain));
    }
    let case_message = store.add_message(message);
    store.set(case_id, &[("dateUpdated", ctx.now())]);
    let mut row = store::row([
        ("id", json!(id)),
        ("caseMessageId", json!(case_message)),
        ("channelId", Value::Null),
        ("caseId", json!(case_id)),
        ("inboxId", json!(1)),
        ("mailId", mail_id),
        ("type", kind),
        ("senderType", json!("user")),
        ("senderId", json!(ctx.agent_id)),
        ("to", Value::Array(addresses(data.get("to")))),
        (
            "from",
            json!({"Name": agent_field("name"), "Email": from_email, "MailboxHash": hash}),
        ),
        ("cc", Value::Array(addresses(data.get("cc")))),
        ("bcc", Value::Array(addresses(data.get("bcc")))),
        ("reply_to", Value::Null),
        (
            "mailboxMessageId",
            json!(format!("<{hash}.{id}@example.acquire.io>")),
        ),
        ("messageId", Value::Null),
        ("mailboxInReplyTo", in_reply_to),
        ("originalRecipient", json!(from_email)),
        ("parentId", json!(0)),
        ("attachments", json!([])),
        ("dateCreated", ctx.now()),
        ("dateSeen", Value::Null),
        ("dateBounce", Value::Null),
        ("dateFailed", Value::Null),
        ("dateDelivery", Value::Null),
        ("seen", json!("no")),
        ("isDraft", json!("no")),
        ("scheduleAt", ctx.now()),
        ("meta", Value::Null),
        ("clickedDate", Value::Null),
        ("unsubscribeDate", Value::Null),
        ("appMessageId", Value::Null),
        ("appThreadId", Value::Null),
        ("mailMsgId", json!(id)),
    ]);
    for (name, value) in [
        ("subject", subject),
        ("textBody", plain),
        ("htmlBody", html),
    ] {
        if let Some(value) = value {
            row.insert(name.to_owned(), json!(value));
        }
    }
    store.emails.insert(id, row.clone());
    let mut out = row;
    if !agent.is_null() {
        out.insert("user".into(), agent.clone());
        out.insert(
            "sender".into(),
            json!({"type": "user", "id": ctx.agent_id, "name": agent_field("name"),
                   "email": agent_field("email"), "photo": agent_field("photo")}),
        );
    }
    Ok(Value::Object(out))
}
