//! The messages of cases: read, delete, send (chat, email, SMS), edit.

use serde_json::{json, Map, Value};

use super::{existing_case, is_closed, participation, set, Ctx};
use crate::{error::ApiError, routes::Input, state::Store};

type Row = Map<String, Value>;

fn row_of(pairs: Vec<(&str, Value)>) -> Row {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn message_id(store: &Store, input: &Input) -> Result<i64, ApiError> {
    let id = input
        .int("messageId")
        .ok_or_else(|| ApiError::invalid("messageId is required"))?;
    if store.messages.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::not_found_record(format!(
            "messageId: no message with id {id}"
        )))
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

/// A case as embedded in a message: its columns, contact and users.
fn case_view(store: &Store, case_id: i64) -> Value {
    let mut case = store.case(case_id).unwrap_or_default();
    if let Some(contact) = case
        .get("contactId")
        .and_then(Value::as_i64)
        .and_then(|c| store.contacts.get(&c))
    {
        case.insert("contact".into(), contact.clone());
    }
    case.insert("users".into(), json!(store.render_users(case_id, true)));
    Value::Object(case)
}

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

fn case_contact(store: &Store, case_id: i64) -> Option<i64> {
    store
        .cases
        .get(&case_id)
        .and_then(|c| c.get("contactId"))
        .and_then(Value::as_i64)
}

/// The case a message is sent in: it exists, is open, and `contactId`
/// (when given) is its contact.
fn writable_case(
    store: &Store,
    case_id: Option<i64>,
    contact_id: Option<i64>,
    prefix: &str,
) -> Result<i64, ApiError> {
    let id = existing_case(store, &format!("{prefix}caseId"), case_id)?;
    if is_closed(store, id) {
        return Err(ApiError::invalid(format!(
            "{prefix}caseId: case {id} is closed"
        )));
    }
    if let Some(contact) = contact_id {
        if case_contact(store, id) != Some(contact) {
            return Err(ApiError::invalid(format!(
                "{prefix}contactId: {contact} is not the contact of case {id}"
            )));
        }
    }
    Ok(id)
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
    let contact = case_contact(store, case_id);
    let (sender_type, sender_id) = acting(input, ctx, contact);
    let channel = input
        .field("channel")
        .filter(|c| c.is_string())
        .cloned()
        .or_else(|| {
            store
                .cases
                .get(&case_id)
                .and_then(|c| c.get("channel"))
                .cloned()
        })
        .unwrap_or(json!("chat"));
    let mut row = row_of(vec![
        ("caseId", json!(case_id)),
        ("channel", channel),
        ("senderId", json!(sender_id)),
        ("senderType", json!(sender_type)),
        ("type", kind.unwrap_or(json!("message"))),
        ("dateCreated", ctx.now()),
        ("dateUpdated", Value::Null),
        ("seen", json!("no")),
        ("meta", json!({})),
    ]);
    if let Some(text) = text {
        row.insert("message".into(), json!(text));
    }
    let id = store.add_message(row);
    set(store, case_id, &[("dateUpdated", ctx.now())]);
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
    let int = |name: &str| -> Result<Option<i64>, ApiError> {
        match data.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::invalid(format!("data.{name} must be a 64-bit integer"))),
        }
    };
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
    let mut message = row_of(vec![
        ("caseId", json!(case_id)),
        ("channel", json!("email")),
        ("senderId", json!(ctx.agent_id)),
        ("senderType", json!("user")),
        ("type", kind.clone()),
        ("dateCreated", ctx.now()),
        ("dateUpdated", Value::Null),
        ("seen", json!("no")),
        ("meta", json!({})),
    ]);
    if let Some(plain) = &plain {
        message.insert("message".into(), json!(plain));
    }
    let case_message = store.add_message(message);
    set(store, case_id, &[("dateUpdated", ctx.now())]);
    let mut row = row_of(vec![
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

/// A new VoIP case of `contact` in `thread`, active, titled `title` (or
/// after the number), with the contact participating.
fn sms_case(
    store: &mut Store,
    ctx: &Ctx,
    contact: i64,
    thread: i64,
    to: &str,
    title: Option<&str>,
) -> i64 {
    let id = store.next_case_id();
    let title = title.map_or_else(|| format!("SMS with {to}"), str::to_owned);
    let row = row_of(vec![
        ("id", json!(id)),
        ("contactId", json!(contact)),
        ("title", json!(title)),
        ("description", json!("")),
        ("channel", json!("voip")),
        ("status", json!("active")),
        ("closingState", Value::Null),
        ("dateCreated", ctx.now()),
        ("dateUpdated", ctx.now()),
        ("dateQueue", ctx.now()),
        ("datePending", ctx.now()),
        ("dateActive", ctx.now()),
        ("dateClosed", Value::Null),
        ("queueId", Value::Null),
        ("queueOrder", Value::Null),
        ("meta", json!({})),
        ("parentId", json!(thread)),
        ("userId", Value::Null),
        ("visitId", json!(0)),
        ("waitTime", json!(0)),
        ("threadId", json!(thread)),
        ("closedBy", Value::Null),
    ]);
    store.cases.insert(id, row);
    store.users_of_case.insert(id, Vec::new());
    store.add_case_user(id, participation(ctx, "contact", contact, "active", true));
    id
}

/// A required member of the body, as `get` reads it.
fn required<'a, T>(
    input: &'a Input,
    name: &str,
    get: impl FnOnce(&'a Value) -> Option<T>,
) -> Result<T, ApiError> {
    input
        .field(name)
        .and_then(get)
        .ok_or_else(|| ApiError::invalid(format!("{name} is required")))
}

/// Send an SMS from `From` to `To` in thread `threadId` of contact
/// `contactId` (timeline entry `timelineId`): to the case `id` when given
/// and open, else the thread's latest open case, else a new VoIP case in
/// the thread (titled `title` when given). The message's kind is `msgType`
/// (default `message`). The sender joins the case. Returns the case
/// (`cas`), thread, timeline entry and stored SMS.
///
/// `isClosed`, `isMultiChannel`, `markValue`, `message` and `sms` (the
/// reference's example repeats the case state and the text in them) are
/// accepted and not used: the state is the fake's, the text is `Body`.
pub(super) fn send_sms(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let to = required(input, "To", Value::as_str)?.to_owned();
    let body = required(input, "Body", Value::as_str)?.to_owned();
    let from = required(input, "From", Value::as_str)?.to_owned();
    let contact = input
        .int_field("contactId")?
        .ok_or_else(|| ApiError::invalid("contactId is required"))?;
    if !store.contacts.contains_key(&contact) {
        return Err(ApiError::not_found_record(format!(
            "contactId: no contact with id {contact}"
        )));
    }
    let thread = input
        .int_field("threadId")?
        .ok_or_else(|| ApiError::invalid("threadId is required"))?;
    let members: Vec<i64> = store
        .cases
        .iter()
        .filter(|(_, c)| c.get("threadId").and_then(Value::as_i64) == Some(thread))
        .map(|(id, _)| *id)
        .collect();
    let Some(first) = members.first() else {
        return Err(ApiError::not_found_record(format!(
            "threadId: no thread with id {thread}"
        )));
    };
    if case_contact(store, *first) != Some(contact) {
        return Err(ApiError::invalid(format!(
            "threadId: thread {thread} belongs to another contact"
        )));
    }
    let timeline_id = input
        .int_field("timelineId")?
        .ok_or_else(|| ApiError::invalid("timelineId is required"))?;
    if !store.timelines.contains_key(&timeline_id) {
        return Err(ApiError::not_found_record(format!(
            "timelineId: no timeline entry with id {timeline_id}"
        )));
    }
    let named_case = input.int_field("id")?;
    if let Some(case) = named_case {
        if !members.contains(&case) {
            return Err(ApiError::invalid(format!(
                "id: case {case} is not in thread {thread}"
            )));
        }
    }
    let kind = input
        .field("msgType")
        .filter(|k| k.is_string())
        .cloned()
        .unwrap_or(json!("message"));
    let title = input
        .field("title")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let open = named_case
        .filter(|case| !is_closed(store, *case))
        .or_else(|| {
            members
                .iter()
                .rev()
                .copied()
                .find(|m| !is_closed(store, *m))
        });
    let (case_id, is_new_case) = match open {
        Some(case) => (case, false),
        None => (
            sms_case(store, ctx, contact, thread, &to, title.as_deref()),
            true,
        ),
    };
    let timeline = match store.timeline_of_case.get(&case_id).copied() {
        Some(t) => store.timelines.get(&t).cloned().unwrap_or_default(),
        None => store.add_timeline(case_id, Some(&ctx.now())),
    };
    let (sender_type, sender_id) = acting(input, ctx, Some(contact));
    let mut is_case_join = false;
    if sender_type == "user" {
        let joined = store
            .case_user_of(case_id, "user", sender_id)
            .and_then(|u| store.case_users.get(&u))
            .and_then(|u| u.get("status"))
            .and_then(Value::as_str)
            == Some("joined");
        if !joined {
            super::set_agent_status(store, ctx, case_id, "joined");
            is_case_join = true;
        }
    }
    let case_message = store.add_message(row_of(vec![
        ("caseId", json!(case_id)),
        ("channel", json!("voip")),
        ("senderId", json!(sender_id)),
        ("senderType", json!(sender_type)),
        ("type", kind.clone()),
        ("message", json!(body)),
        ("dateCreated", ctx.now()),
        ("dateUpdated", Value::Null),
        ("seen", json!("no")),
        ("meta", json!({})),
    ]));
    set(store, case_id, &[("dateUpdated", ctx.now())]);
    let id = Store::fresh_id(&store.sms, 230);
    let sid = format!(
        "SM{:032x}",
        (id as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
    );
    let sms = row_of(vec![
        ("id", json!(id)),
        ("caseId", json!(case_id)),
        ("caseMessageId", json!(case_message)),
        ("timelineId", json!(timeline_id)),
        ("contactId", json!(contact)),
        ("voip_account_id", json!(1)),
        ("from", json!(from)),
        ("to", json!(to)),
        ("message", json!(body)),
        ("members", json!([])),
        ("msgType", json!("sms")),
        ("channelType", json!("sms")),
        ("attachments", json!([])),
        ("type", kind),
        ("senderType", json!(sender_type)),
        ("senderId", json!(sender_id)),
        ("status", json!("queued")),
        ("price", json!("0.0075")),
        ("seen", json!("no")),
        ("meta", json!({})),
        ("dateCreated", ctx.now()),
        ("call_sid", json!(sid)),
        ("call_status", Value::Null),
        ("call_answered", Value::Null),
        ("call_end", Value::Null),
        ("call_transcript", json!(0)),
        ("recording_status", Value::Null),
        ("conferenceId", Value::Null),
    ]);
    store.sms.insert(id, sms.clone());
    let mut data = with_sender(store, &sms);
    data.insert("is_new_case".into(), json!(is_new_case));
    data.insert("is_new_contact".into(), json!(false));
    data.insert("is_case_join".into(), json!(is_case_join));
    data.insert("timeline".into(), Value::Object(timeline.clone()));
    let mut cas = store.case(case_id).unwrap_or_default();
    cas.insert("users".into(), json!(store.render_users(case_id, true)));
    cas.insert("timeline".into(), Value::Object(timeline.clone()));
    let thread_id = cas.get("threadId").cloned().unwrap_or(json!(case_id));
    Ok(json!({
        "cas": cas,
        "threadId": thread_id,
        "timeline": timeline,
        "data": data,
    }))
}
