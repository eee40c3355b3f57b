//! Every case handler: the lifecycle (create or reopen, reject, join,
//! close, invite) and the reads (get, list, the cases of a thread).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::{
    existing_case, known_contact, open_case, set_agent_status, string_field, thread_of, Ctx,
};
use crate::{
    error::ApiError,
    input::{flexible_id, Input},
    query::{self, unserved, Paging},
    store::{self, Store},
};

/// Create (or reopen, with `threadId`): a pending case for the contact, the
/// contact participating, offered to `routeAgentId` when given.
pub(super) fn create_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let contact_id = known_contact(store, "contactId", input.int("contactId"))?;
    let contact = store.contacts.get(&contact_id).cloned().unwrap_or_default();
    let thread = match input.int_field("threadId")? {
        Some(thread_id) => {
            let thread = existing_case(store, "threadId", Some(thread_id))?;
            if store.contact_of(thread) != Some(contact_id) {
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
        if flexible_id(mention).is_none() {
            return Err(super::not_a_user_id("mentionUsers", mention));
        }
    }
    if let Some(agent) = route_agent {
        super::existing(&store.agents, "routeAgentId", "agent", Some(agent))?;
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
    let title = format!("#{contact_id} has just started a chat");
    let mut row = ctx
        .columns
        .new_case(id, contact_id, &title, "chat", &ctx.now());
    for name in ["title", "channel"] {
        if let Some(value) = input.field(name) {
            row.insert(name.to_owned(), value.clone());
        }
    }
    row.extend(store::row([
        ("description", text.map_or(Value::Null, |t| json!(t))),
        ("meta", json!({"sessionId": session, "queueRecheck": "no"})),
        ("parentId", thread.map_or(Value::Null, |t| json!(t))),
        ("threadId", json!(thread.unwrap_or(id))),
        ("userId", json!(ctx.agent_id)),
        ("visitId", visit_id),
    ]));
    store.insert_case(id, row);
    store.add_case_user(id, ctx.participation("contact", contact_id, "active", true));
    if let Some(agent) = route_agent {
        store.add_case_user(id, ctx.participation("user", agent, "active", true));
    }
    if let Some(text) = text {
        let kind = message.and_then(|m| m.get("type")).cloned();
        let mut m = store::message(
            id,
            json!("chat"),
            ("contact", contact_id),
            kind.unwrap_or(json!("message")),
            &ctx.now(),
        );
        m.insert("message".into(), json!(text));
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
pub(super) fn reject_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    set_agent_status(store, ctx, id, "rejected");
    store.set(id, &[("dateUpdated", ctx.now())]);
    let mut out = store.case(id).unwrap_or_default();
    out.insert("users".into(), json!(store.render_users(id, false)));
    Ok(Value::Object(out))
}

/// Join: the acting agent `joined`, other offered agents `ignored`, the case
/// `active` with `dateActive` (and `waitTime` since it was queued).
pub(super) fn join_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    let already = store.participation_status(id, "user", ctx.agent_id) == Some("joined");
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
        store.set(id, &fields);
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
pub(super) fn close_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    let archive = input.field("archive").and_then(Value::as_str) == Some("yes");
    let leave_only = input.field("leaveOnly").and_then(Value::as_bool) == Some(true);
    let contact_id = store.contact_of(id);
    let mine = store.case_user_of(id, "user", ctx.agent_id);
    let leaving = if leave_only {
        store.set(id, &[("dateUpdated", ctx.now())]);
        mine.into_iter().collect()
    } else {
        let state = string_field(input, "closingState").unwrap_or(json!("handled"));
        store.set(
            id,
            &[
                ("status", json!("closed")),
                ("closingState", state),
                ("dateClosed", ctx.now()),
                ("dateUpdated", ctx.now()),
                ("closedBy", json!(ctx.agent_id)),
            ],
        );
        if archive {
            let contact = contact_id
                .and_then(|c| store.contacts.get_mut(&c))
                .and_then(Value::as_object_mut);
            if let Some(contact) = contact {
                contact.insert("archive".into(), json!("yes"));
            }
        }
        store.users_of_case.get(&id).cloned().unwrap_or_default()
    };
    for user in leaving {
        if let Some(row) = store.case_users.get_mut(&user) {
            row.insert("closed".into(), json!("yes"));
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

/// Invite: each agent of `agentIds` and of the `department`s is offered the
/// case (a participation `active`, as routing does) unless already in it;
/// the result is keyed by user id. The fake has no presence: every agent is
/// online.
pub(super) fn invite_agent(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = open_case(store, input)?;
    let ids = |name: &str| -> Result<Vec<i64>, ApiError> {
        input
            .field(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| {
                v.as_i64()
                    .ok_or_else(|| ApiError::invalid(format!("{name} must hold 64-bit integers")))
            })
            .collect()
    };
    let agents = ids("agentIds")?;
    let departments = ids("department")?;
    if agents.is_empty() && departments.is_empty() {
        return Err(ApiError::invalid(
            "agentIds: give agentIds, department or both",
        ));
    }
    for agent in &agents {
        super::existing(&store.agents, "agentIds", "agent", Some(*agent))?;
    }
    let mut invited: Vec<i64> = agents;
    for (agent, profile) in &store.agents {
        let in_department = profile
            .get("departments")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|d| {
                let department = d.as_i64().or_else(|| d.get("id").and_then(Value::as_i64));
                department.is_some_and(|d| departments.contains(&d))
            });
        if in_department {
            invited.push(*agent);
        }
    }
    let mut out = Map::new();
    for agent in invited {
        if out.contains_key(&agent.to_string()) {
            continue;
        }
        let current = store.participation_status(id, "user", agent);
        let sent = match current {
            Some("joined" | "active") => false,
            Some(_) => {
                if let Some(row) = store
                    .case_user_of(id, "user", agent)
                    .and_then(|u| store.case_users.get_mut(&u))
                {
                    row.insert("status".into(), json!("active"));
                    row.insert("dateLastAssigned".into(), ctx.now());
                }
                true
            }
            None => {
                store.add_case_user(id, ctx.participation("user", agent, "active", true));
                true
            }
        };
        out.insert(
            agent.to_string(),
            json!({"userId": agent, "online": true, "sent": sent}),
        );
    }
    Ok(Value::Object(out))
}

/// What embedding a relation (a `CaseRelation` of the spec) puts in a
/// case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Embed {
    /// The case's contact.
    Contact,
    /// Its participations, each with its profile.
    Users,
    /// Its messages, oldest first.
    Messages,
    /// The other cases of its thread.
    Cases,
    /// An empty list: the fake keeps no custom fields or feedback.
    Nothing,
    /// Its contact's tags.
    Tags,
    /// Its timeline entry.
    Timeline,
    /// The case it reopens.
    Parent,
}

impl Embed {
    /// What a relation named by the spec embeds; `None` when the fake has
    /// nothing for it (the request is then answered 501).
    fn meaning(name: &str) -> Option<Self> {
        Some(match name {
            "contact" => Self::Contact,
            "users" => Self::Users,
            "messages" => Self::Messages,
            "cases" => Self::Cases,
            "fields" | "feedbacks" => Self::Nothing,
            "tags" => Self::Tags,
            "timeline" => Self::Timeline,
            "parent" => Self::Parent,
            _ => return None,
        })
    }
}

/// What a read returns of each case: the columns of `select` and the
/// relations of `relations`, both checked against the spec's vocabulary.
struct View<'a> {
    select: Option<Vec<&'a str>>,
    embeds: Vec<(&'a str, Embed)>,
}

impl<'a> View<'a> {
    fn of(input: &'a Input, ctx: &Ctx) -> Result<Self, ApiError> {
        let select = query::selected(input, ctx.vocabulary)?;
        let embeds = query::relations(input, ctx.vocabulary)?
            .into_iter()
            .map(|name| {
                Embed::meaning(name)
                    .map(|embed| (name, embed))
                    .ok_or_else(|| unserved("relations", "relation", name))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { select, embeds })
    }

    /// Case `id` as asked; `threads` (the cases of each thread) when the
    /// caller built it once for many cases.
    fn render(&self, store: &Store, id: i64, threads: Option<&BTreeMap<i64, Vec<i64>>>) -> Value {
        let columns = store.case(id).unwrap_or_default();
        let mut out = columns.clone();
        query::select(&mut out, self.select.as_deref());
        let column = |name: &str| columns.get(name).and_then(Value::as_i64);
        for (name, embed) in &self.embeds {
            let value = match embed {
                Embed::Contact => column("contactId").and_then(|c| store.contacts.get(&c).cloned()),
                Embed::Users => Some(json!(store.render_users(id, true))),
                Embed::Messages => Some(Value::Array(store.messages_of(id))),
                Embed::Cases => {
                    let members = match (threads, column("threadId")) {
                        (Some(threads), Some(t)) => threads.get(&t).cloned().unwrap_or_default(),
                        (None, Some(t)) => store.cases_of_thread(t),
                        _ => Vec::new(),
                    };
                    Some(Value::Array(
                        members
                            .into_iter()
                            .filter(|other| *other != id)
                            .filter_map(|other| store.case(other))
                            .map(Value::Object)
                            .collect(),
                    ))
                }
                Embed::Nothing => Some(json!([])),
                Embed::Tags => Some(
                    column("contactId")
                        .and_then(|c| store.contacts.get(&c))
                        .and_then(|c| c.get("tags").cloned())
                        .unwrap_or_else(|| json!([])),
                ),
                Embed::Timeline => Some(
                    store
                        .timeline_of_case
                        .get(&id)
                        .and_then(|t| store.timelines.get(t))
                        .map_or(Value::Null, |t| Value::Object(t.clone())),
                ),
                Embed::Parent => Some(
                    column("parentId")
                        .and_then(|p| store.case(p))
                        .map_or(Value::Null, Value::Object),
                ),
            };
            if let Some(value) = value {
                out.insert((*name).to_owned(), value);
            }
        }
        Value::Object(out)
    }
}

/// The cases of each thread, built once per list that embeds `cases`.
fn threads(store: &Store) -> BTreeMap<i64, Vec<i64>> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (id, case) in &store.cases {
        if let Some(thread) = case.get("threadId").and_then(Value::as_i64) {
            out.entry(thread).or_default().push(*id);
        }
    }
    out
}

/// Get: the case's columns (all, or those of `select`; `id` always) and the
/// relations named in `relations`.
pub(super) fn get_case(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = existing_case(store, "caseId", input.int("caseId"))?;
    Ok(View::of(input, ctx)?.render(store, id, None))
}

/// List: the cases matching every `where` condition, by id, one page of
/// them: `{page, offset, limit, count, data}` with `count` the number of
/// matches.
pub(super) fn list_cases(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let conditions = query::conditions(input, ctx.vocabulary)?;
    let view = View::of(input, ctx)?;
    let paging = Paging::of(input);
    let matches: Vec<i64> = store
        .cases
        .iter()
        .filter(|(_, case)| conditions.iter().all(|c| c.holds(case)))
        .map(|(id, _)| *id)
        .collect();
    let count = matches.len();
    let threads = view
        .embeds
        .iter()
        .any(|(_, embed)| *embed == Embed::Cases)
        .then(|| threads(store));
    let data: Vec<Value> = paging
        .slice(matches)
        .into_iter()
        .map(|id| view.render(store, id, threads.as_ref()))
        .collect();
    Ok(json!({
        "page": paging.page,
        "offset": paging.offset,
        "limit": paging.limit,
        "count": count,
        "data": data,
    }))
}

/// The messages of a thread: the thread's cases by id, each with its users
/// (and their profiles), its sub-cases (the cases reopening it) and its last
/// message.
pub(super) fn list_messages(
    store: &mut Store,
    _ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let thread = input
        .int("threadId")
        .ok_or_else(|| ApiError::invalid("threadId is required"))?;
    let contact = known_contact(store, "contactId", input.int("contactId"))?;
    let members = thread_of(store, thread, contact, "contactId")?;
    let mut out = Vec::with_capacity(members.len());
    for id in members {
        let mut case = store.case(id).unwrap_or_default();
        let children: Vec<Value> = store
            .cases
            .iter()
            .filter(|(other, c)| {
                **other != id && c.get("parentId").and_then(Value::as_i64) == Some(id)
            })
            .map(|(_, c)| Value::Object(c.clone()))
            .collect();
        case.insert("cases".into(), Value::Array(children));
        case.insert("users".into(), json!(store.render_users(id, true)));
        if let Some(last) = store.last_message(id) {
            case.insert("lastMessage".into(), last);
        }
        out.push(Value::Object(case));
    }
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Vocabulary;

    #[test]
    fn every_relation_of_the_spec_embeds_something() {
        let spec = acquire_spec::Spec::embedded();
        let vocabulary = Vocabulary::from_spec(spec).expect("vocabulary");
        for name in vocabulary.relations() {
            assert!(Embed::meaning(name).is_some(), "{name}");
        }
    }
}
