//! The in-memory store: contacts, agents, cases, case users and messages,
//! with id allocation and the seed data of the documented examples.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

type Row = Map<String, Value>;

/// Keys of a case response that are relations or create-only extras, not
/// columns of the case.
const NOT_COLUMNS: [&str; 11] = [
    "contact",
    "users",
    "lastMessage",
    "messages",
    "fields",
    "feedbacks",
    "timeline",
    "isCaseJoined",
    "timelineId",
    "preMessages",
    "case",
];

const SEED_CREATE: &str = include_str!("../../../openapi/examples/seed/create-case.response.json");
const SEED_REOPEN: &str = include_str!("../../../openapi/examples/seed/reopen-case.response.json");
const SEED_REJECT: &str = include_str!("../../../openapi/examples/seed/reject-case.response.json");
const SEED_JOIN: &str = include_str!("../../../openapi/examples/seed/join-case.response.json");

/// Acquire's timestamp format: RFC 3339, UTC, milliseconds.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The fake's whole state.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Contacts as documented (fields, visits, tags, company embedded).
    pub contacts: BTreeMap<i64, Value>,
    /// Agent profiles by user id.
    pub agents: BTreeMap<i64, Value>,
    /// Case columns by case id.
    pub cases: BTreeMap<i64, Row>,
    /// Case participations by id (new ones carry `caseId`).
    pub case_users: BTreeMap<i64, Row>,
    /// Participation ids of each case, in the order they are listed.
    pub users_of_case: BTreeMap<i64, Vec<i64>>,
    /// Messages by id; each has `caseId`.
    pub messages: BTreeMap<i64, Row>,
    next_timeline: i64,
}

fn data_of(text: &str) -> Row {
    // The seed files are compiled in and covered by the tests; a broken one
    // yields an empty row rather than a panic.
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("data").and_then(Value::as_object).cloned())
        .unwrap_or_default()
}

fn columns(case: &Row) -> Row {
    case.iter()
        .filter(|(k, _)| !NOT_COLUMNS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

impl Store {
    /// The account directory (contact 597752, agents 1 and 25) and, with
    /// `seed`, the cases of the documented examples.
    pub fn new(seed: bool, agent_id: i64) -> Self {
        let mut store = Store {
            next_timeline: 1605,
            ..Store::default()
        };
        let create = data_of(SEED_CREATE);
        let reopen = data_of(SEED_REOPEN);
        let reject = data_of(SEED_REJECT);
        let join = data_of(SEED_JOIN);

        if let Some(contact) = create.get("contact") {
            if let Some(id) = contact.get("id").and_then(Value::as_i64) {
                store.contacts.insert(id, contact.clone());
            }
        }
        for user in join
            .get("users")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|u| u.get("user"))
            .filter(|u| u.get("type").and_then(Value::as_str) == Some("user"))
        {
            if let Some(id) = user.get("id").and_then(Value::as_i64) {
                store.agents.insert(id, user.clone());
            }
        }
        store.agents.entry(agent_id).or_insert_with(|| {
            json!({"roles": [], "id": agent_id, "name": "API user", "firstName": "API user",
                   "lastName": "", "photo": "", "email": "", "clientId": "", "parentId": 0,
                   "type": "user", "accessLevel": null})
        });
        if !seed {
            return store;
        }

        let contact_id = 597752;
        // The closed thread that the documented reopen examples point at.
        // Not documented itself: synthesized from their `threadId`.
        let mut thread = Row::new();
        for (k, v) in [
            ("id", json!(1683)),
            ("contactId", json!(contact_id)),
            ("title", json!("#597752 has just started a chat")),
            ("description", Value::Null),
            ("channel", json!("chat")),
            ("status", json!("closed")),
            ("closingState", json!("handled")),
            ("dateCreated", json!("2021-03-24T10:43:03.000Z")),
            ("dateUpdated", json!("2021-03-24T10:43:30.000Z")),
            ("dateQueue", json!("2021-03-24T10:43:03.000Z")),
            ("datePending", json!("2021-03-24T10:43:03.000Z")),
            ("dateActive", Value::Null),
            ("dateClosed", json!("2021-03-24T10:43:30.000Z")),
            ("queueId", Value::Null),
            ("queueOrder", json!(0)),
            (
                "meta",
                json!({"sessionId": "3711819272", "queueRecheck": "no"}),
            ),
            ("parentId", Value::Null),
            ("userId", Value::Null),
            ("visitId", json!(1371)),
            ("waitTime", json!(0)),
            ("threadId", json!(1683)),
            ("closedBy", Value::Null),
        ] {
            thread.insert(k.to_owned(), v);
        }
        store.cases.insert(1683, thread);
        store.users_of_case.insert(1683, Vec::new());

        for case in [&reject, &join, &reopen, &create] {
            let Some(id) = case.get("id").and_then(Value::as_i64) else {
                continue;
            };
            let mut row = columns(case);
            row.entry("contactId").or_insert(json!(contact_id));
            store.cases.insert(id, row);
            let mut ids = Vec::new();
            for user in case
                .get("users")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
            {
                let Some(user_id) = user.get("id").and_then(Value::as_i64) else {
                    continue;
                };
                let mut row = columns(user);
                // Kept as documented (the joining entry has no `caseId`);
                // membership is `users_of_case`.
                row.remove("user");
                store.case_users.insert(user_id, row);
                ids.push(user_id);
            }
            store.users_of_case.insert(id, ids);
            if let Some(message) = case.get("lastMessage").and_then(Value::as_object) {
                if let Some(message_id) = message.get("id").and_then(Value::as_i64) {
                    store.messages.insert(message_id, message.clone());
                }
            }
        }
        store
    }

    fn next_id<V>(map: &BTreeMap<i64, V>, floor: i64) -> i64 {
        map.keys()
            .next_back()
            .map_or(floor, |last| last + 1)
            .max(floor)
    }

    /// A fresh case id.
    pub fn next_case_id(&self) -> i64 {
        Self::next_id(&self.cases, 2072)
    }

    /// A fresh timeline id.
    pub fn next_timeline_id(&mut self) -> i64 {
        self.next_timeline += 1;
        self.next_timeline - 1
    }

    /// Adds a participation to a case; returns its id.
    pub fn add_case_user(&mut self, case_id: i64, mut row: Row) -> i64 {
        let id = Self::next_id(&self.case_users, 3840);
        row.insert("id".into(), json!(id));
        row.insert("caseId".into(), json!(case_id));
        self.case_users.insert(id, row);
        self.users_of_case.entry(case_id).or_default().push(id);
        id
    }

    /// Adds a message; returns its id.
    pub fn add_message(&mut self, mut row: Row) -> i64 {
        let id = Self::next_id(&self.messages, 7784);
        row.insert("id".into(), json!(id));
        self.messages.insert(id, row);
        id
    }

    /// The participation of `user_id` (of `kind` `user` or `contact`) in a case.
    pub fn case_user_of(&self, case_id: i64, kind: &str, user_id: i64) -> Option<i64> {
        self.users_of_case
            .get(&case_id)?
            .iter()
            .copied()
            .find(|id| {
                self.case_users.get(id).is_some_and(|row| {
                    row.get("type").and_then(Value::as_str) == Some(kind)
                        && row.get("userId").and_then(Value::as_i64) == Some(user_id)
                })
            })
    }

    /// The profile shown in a participation's `user`.
    pub fn profile(&self, row: &Row) -> Option<Value> {
        let user_id = row.get("userId").and_then(Value::as_i64)?;
        match row.get("type").and_then(Value::as_str) {
            Some("contact") => Some(json!({
                "type": "contact", "id": user_id, "name": format!("#{user_id}"), "photo": null
            })),
            _ => self.agents.get(&user_id).cloned(),
        }
    }

    /// A case's participations, optionally with each one's `user` profile.
    pub fn render_users(&self, case_id: i64, profiles: bool) -> Vec<Value> {
        self.users_of_case
            .get(&case_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.case_users.get(id))
            .map(|row| {
                let mut row = row.clone();
                if profiles {
                    if let Some(profile) = self.profile(&row) {
                        row.insert("user".into(), profile);
                    }
                }
                Value::Object(row)
            })
            .collect()
    }

    /// A case's latest message.
    pub fn last_message(&self, case_id: i64) -> Option<Value> {
        self.messages
            .values()
            .rev()
            .find(|m| m.get("caseId").and_then(Value::as_i64) == Some(case_id))
            .map(|m| Value::Object(m.clone()))
    }

    /// A case's columns, as a response object.
    pub fn case(&self, case_id: i64) -> Option<Row> {
        self.cases.get(&case_id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_the_documented_cases() {
        let store = Store::new(true, 25);
        for id in [1681, 1683, 1684, 1694, 2071] {
            assert!(store.cases.contains_key(&id), "case {id} not seeded");
        }
        assert!(store.contacts.contains_key(&597752));
        assert!(store.agents.contains_key(&1) && store.agents.contains_key(&25));
        assert_eq!(store.render_users(1684, true).len(), 3);
        assert_eq!(
            store.last_message(1684).and_then(|m| m["id"].as_i64()),
            Some(7783)
        );
        assert_eq!(store.next_case_id(), 2072);
        let empty = Store::new(false, 25);
        assert!(empty.cases.is_empty() && empty.contacts.contains_key(&597752));
        assert_eq!(empty.next_case_id(), 2072);
    }
}
