//! Sending SMS: to a case of a contact's VoIP thread, opening a new case
//! in the thread when none is open.

use serde_json::{json, Value};

use super::{
    acting, existing, known_contact, set_agent_status, string_field, thread_of, with_sender, Ctx,
};
use crate::{
    error::ApiError,
    input::Input,
    store::{self, Store},
};

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
    let now = ctx.now();
    let mut row = ctx.columns.new_case(id, contact, &title, "voip", &now);
    row.extend(store::row([
        ("description", json!("")),
        ("status", json!("active")),
        ("dateUpdated", now.clone()),
        ("dateActive", now),
        ("queueOrder", Value::Null),
        ("parentId", json!(thread)),
        ("visitId", json!(0)),
        ("threadId", json!(thread)),
    ]));
    store.insert_case(id, row);
    store.add_case_user(id, ctx.participation("contact", contact, "active", true));
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
    let contact = known_contact(store, "contactId", input.int_field("contactId")?)?;
    let thread = input
        .int_field("threadId")?
        .ok_or_else(|| ApiError::invalid("threadId is required"))?;
    let members = thread_of(store, thread, contact, "threadId")?;
    let timeline_id = existing(
        &store.timelines,
        "timelineId",
        "timeline entry",
        input.int_field("timelineId")?,
    )?;
    let named_case = input.int_field("id")?;
    if let Some(case) = named_case {
        if !members.contains(&case) {
            return Err(ApiError::invalid(format!(
                "id: case {case} is not in thread {thread}"
            )));
        }
    }
    let kind = string_field(input, "msgType").unwrap_or(json!("message"));
    let title = input
        .field("title")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let open = named_case
        .filter(|case| !store.is_closed(*case))
        .or_else(|| members.iter().rev().copied().find(|m| !store.is_closed(*m)));
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
    let is_case_join = sender_type == "user"
        && store.participation_status(case_id, "user", sender_id) != Some("joined");
    if is_case_join {
        set_agent_status(store, ctx, case_id, "joined");
    }
    let mut message = store::message(
        case_id,
        json!("voip"),
        (sender_type, sender_id),
        kind.clone(),
        &ctx.now(),
    );
    message.insert("message".into(), json!(body));
    let case_message = store.add_message(message);
    store.set(case_id, &[("dateUpdated", ctx.now())]);
    let id = Store::fresh_id(&store.sms, 230);
    let sid = format!(
        "SM{:032x}",
        (id as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
    );
    let sms = store::row([
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
