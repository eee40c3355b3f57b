//! Reading cases (get, list, the cases of a thread) and inviting agents.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{existing_case, open_case, participation, Ctx};
use crate::{
    error::ApiError,
    query::{self, Paging, CASE_COLUMNS},
    routes::Input,
    state::Store,
};

type Row = Map<String, Value>;

/// The relations a case can embed, as the `relations` parameter documents
/// them. Unknown names are ignored, like unknown `select` columns.
const RELATIONS: &[&str] = &[
    "contact",
    "messages",
    "cases",
    "users",
    "fields",
    "tags",
    "feedbacks",
    "timeline",
    "parent",
];

/// The cases of each thread, built once per request that embeds `cases`.
fn threads(store: &Store) -> BTreeMap<i64, Vec<i64>> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (id, case) in &store.cases {
        if let Some(thread) = case.get("threadId").and_then(Value::as_i64) {
            out.entry(thread).or_default().push(*id);
        }
    }
    out
}

/// A case's columns (those of `select`, `id` always) and the relations
/// asked for.
fn render(
    store: &Store,
    id: i64,
    select: Option<&[&str]>,
    relations: &[&str],
    threads: Option<&BTreeMap<i64, Vec<i64>>>,
) -> Row {
    let columns = store.case(id).unwrap_or_default();
    let mut out = columns.clone();
    query::select(&mut out, select);
    let column = |name: &str| columns.get(name).and_then(Value::as_i64);
    for relation in relations.iter().filter(|r| RELATIONS.contains(r)) {
        let value = match *relation {
            "contact" => column("contactId").and_then(|c| store.contacts.get(&c).cloned()),
            "users" => Some(json!(store.render_users(id, true))),
            "messages" => Some(Value::Array(store.messages_of(id))),
            "cases" => {
                let thread = column("threadId");
                let members: Vec<i64> = match (threads, thread) {
                    (Some(threads), Some(t)) => threads.get(&t).cloned().unwrap_or_default(),
                    (None, Some(t)) => threads_of(store, t),
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
            "fields" | "feedbacks" => Some(json!([])),
            "tags" => Some(
                column("contactId")
                    .and_then(|c| store.contacts.get(&c))
                    .and_then(|c| c.get("tags").cloned())
                    .unwrap_or_else(|| json!([])),
            ),
            "timeline" => Some(
                store
                    .timeline_of_case
                    .get(&id)
                    .and_then(|t| store.timelines.get(t))
                    .map_or(Value::Null, |t| Value::Object(t.clone())),
            ),
            "parent" => Some(
                column("parentId")
                    .and_then(|p| store.case(p))
                    .map_or(Value::Null, Value::Object),
            ),
            _ => None,
        };
        if let Some(value) = value {
            out.insert((*relation).to_owned(), value);
        }
    }
    out
}

fn threads_of(store: &Store, thread: i64) -> Vec<i64> {
    store
        .cases
        .iter()
        .filter(|(_, c)| c.get("threadId").and_then(Value::as_i64) == Some(thread))
        .map(|(id, _)| *id)
        .collect()
}

/// Get: the case's columns (all, or those of `select`; `id` always) and the
/// relations named in `relations`.
pub(super) fn get_case(store: &mut Store, _ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let id = existing_case(store, "caseId", input.int("caseId"))?;
    let select = query::names(input, "select");
    let relations = query::names(input, "relations").unwrap_or_default();
    Ok(Value::Object(render(
        store,
        id,
        select.as_deref(),
        &relations,
        None,
    )))
}

/// List: the cases matching every `where` condition, by id, one page of
/// them: `{page, offset, limit, count, data}` with `count` the number of
/// matches.
pub(super) fn list_cases(store: &mut Store, _ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let conditions = query::conditions(input, CASE_COLUMNS)?;
    let select = query::names(input, "select");
    let relations = query::names(input, "relations").unwrap_or_default();
    let paging = Paging::of(input);
    let matches: Vec<i64> = store
        .cases
        .iter()
        .filter(|(_, case)| conditions.iter().all(|c| c.holds(case)))
        .map(|(id, _)| *id)
        .collect();
    let count = matches.len();
    let threads = relations.contains(&"cases").then(|| threads(store));
    let data: Vec<Value> = paging
        .slice(matches)
        .into_iter()
        .map(|id| {
            Value::Object(render(
                store,
                id,
                select.as_deref(),
                &relations,
                threads.as_ref(),
            ))
        })
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
    let contact = input
        .int("contactId")
        .ok_or_else(|| ApiError::invalid("contactId is required"))?;
    if !store.contacts.contains_key(&contact) {
        return Err(ApiError::not_found_record(format!(
            "contactId: no contact with id {contact}"
        )));
    }
    let members = threads_of(store, thread);
    let Some(first) = members.first() else {
        return Err(ApiError::not_found_record(format!(
            "threadId: no thread with id {thread}"
        )));
    };
    let owner = store
        .cases
        .get(first)
        .and_then(|c| c.get("contactId"))
        .and_then(Value::as_i64);
    if owner != Some(contact) {
        return Err(ApiError::invalid(format!(
            "contactId: thread {thread} belongs to another contact"
        )));
    }
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
    if let Some(unknown) = agents.iter().find(|a| !store.agents.contains_key(a)) {
        return Err(ApiError::not_found_record(format!(
            "agentIds: no agent with id {unknown}"
        )));
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
        let current = store
            .case_user_of(id, "user", agent)
            .and_then(|u| store.case_users.get(&u))
            .and_then(|u| u.get("status"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let sent = match current.as_deref() {
            Some("joined") | Some("active") => false,
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
                store.add_case_user(id, participation(ctx, "user", agent, "active", true));
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
