//! The in-memory store: contacts, agents, cases, case users, messages,
//! emails, SMS, timeline entries, notes (their mentions and messages) and
//! snoozes, with id allocation and the reads every handler shares. What it
//! starts with is [`seed`](crate::seed)'s.
//!
//! The row builders ([`participation`], [`message`], and for cases
//! [`CaseColumns::new_case`](crate::columns::CaseColumns::new_case), whose
//! columns are the spec's) give each record every column it has, so that
//! the seed, the generated cases and the handlers write them alike.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

/// A record: its columns by name.
pub(crate) type Row = Map<String, Value>;

/// The first timeline id handed out when nothing larger is stored.
const FIRST_TIMELINE_ID: i64 = 1605;

/// A record from its columns.
pub(crate) fn row<'a>(columns: impl IntoIterator<Item = (&'a str, Value)>) -> Row {
    columns
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// Acquire's timestamp format: RFC 3339, UTC, milliseconds.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A participation of `user_id` (`kind` `user` or `contact`) as owner,
/// created at `created`, last assigned at `assigned` (or `null`), open.
pub(crate) fn participation(
    kind: &str,
    user_id: i64,
    status: &str,
    created: &Value,
    assigned: Value,
) -> Row {
    row([
        ("type", json!(kind)),
        ("userId", json!(user_id)),
        ("role", json!("owner")),
        ("status", json!(status)),
        ("dateCreated", created.clone()),
        ("dateLastAssigned", assigned),
        ("closed", json!("no")),
        ("meta", Value::Null),
    ])
}

/// A message of `kind` in a case, sent by `sender` (`(senderType,
/// senderId)`) at `at`, unseen; its text, if any, is the caller's.
pub(crate) fn message(
    case_id: i64,
    channel: Value,
    sender: (&str, i64),
    kind: Value,
    at: &Value,
) -> Row {
    row([
        ("caseId", json!(case_id)),
        ("channel", channel),
        ("senderId", json!(sender.1)),
        ("senderType", json!(sender.0)),
        ("type", kind),
        ("dateCreated", at.clone()),
        ("dateUpdated", Value::Null),
        ("seen", json!("no")),
        ("meta", json!({})),
    ])
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
    /// Message ids of each case, in order.
    pub messages_of_case: BTreeMap<i64, BTreeSet<i64>>,
    /// Emails by mail message id.
    pub emails: BTreeMap<i64, Row>,
    /// SMS by VoIP message id.
    pub sms: BTreeMap<i64, Row>,
    /// Timeline entries by id.
    pub timelines: BTreeMap<i64, Row>,
    /// The timeline entry of each case that has one.
    pub timeline_of_case: BTreeMap<i64, i64>,
    /// Notes by id (columns only).
    pub notes: BTreeMap<i64, Row>,
    /// Mentions of agents by notes, by mention id; each has `noteId`.
    pub note_users: BTreeMap<i64, Row>,
    /// Messages of notes by id; each has `noteId`.
    pub note_messages: BTreeMap<i64, Row>,
    /// Snoozes by id.
    pub snoozes: BTreeMap<i64, Row>,
    next_timeline: i64,
}

impl Store {
    /// A fresh id for `map`: after its largest, and at least `floor`.
    pub fn fresh_id<V>(map: &BTreeMap<i64, V>, floor: i64) -> i64 {
        map.keys()
            .next_back()
            .map_or(floor, |last| last + 1)
            .max(floor)
    }

    /// A fresh case id.
    pub fn next_case_id(&self) -> i64 {
        Self::fresh_id(&self.cases, 2072)
    }

    /// A fresh timeline id.
    pub fn next_timeline_id(&mut self) -> i64 {
        let id = self.next_timeline.max(FIRST_TIMELINE_ID);
        self.next_timeline = id + 1;
        id
    }

    /// Adds a participation to a case; returns its id.
    pub fn add_case_user(&mut self, case_id: i64, mut row: Row) -> i64 {
        let id = Self::fresh_id(&self.case_users, 3840);
        row.insert("id".into(), json!(id));
        row.insert("caseId".into(), json!(case_id));
        self.case_users.insert(id, row);
        self.users_of_case.entry(case_id).or_default().push(id);
        id
    }

    /// Adds a message; returns its id.
    pub fn add_message(&mut self, mut row: Row) -> i64 {
        let id = Self::fresh_id(&self.messages, 7784);
        row.insert("id".into(), json!(id));
        self.insert_message(id, row);
        id
    }

    /// Stores a message under its own id (as seeded).
    pub fn insert_message(&mut self, id: i64, row: Row) {
        if let Some(case_id) = row.get("caseId").and_then(Value::as_i64) {
            self.messages_of_case.entry(case_id).or_default().insert(id);
        }
        self.messages.insert(id, row);
    }

    /// Removes a message; whether it existed.
    pub fn remove_message(&mut self, id: i64) -> bool {
        let Some(row) = self.messages.remove(&id) else {
            return false;
        };
        if let Some(case_id) = row.get("caseId").and_then(Value::as_i64) {
            if let Some(ids) = self.messages_of_case.get_mut(&case_id) {
                ids.remove(&id);
            }
        }
        true
    }

    /// A case's messages, oldest first.
    pub fn messages_of(&self, case_id: i64) -> Vec<Value> {
        self.messages_of_case
            .get(&case_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.messages.get(id))
            .map(|m| Value::Object(m.clone()))
            .collect()
    }

    /// Adds the timeline entry of a case; returns it.
    pub fn add_timeline(&mut self, case_id: i64, now: Option<&Value>) -> Row {
        let id = self.next_timeline_id();
        self.add_timeline_with_id(id, case_id, now)
    }

    /// Adds the timeline entry `id` of a case (dated `now`, or when the case
    /// was created); returns it.
    pub fn add_timeline_with_id(&mut self, id: i64, case_id: i64, now: Option<&Value>) -> Row {
        let case = self.cases.get(&case_id);
        let field = |name: &str| {
            case.and_then(|c| c.get(name))
                .cloned()
                .unwrap_or(Value::Null)
        };
        let date = now.cloned().unwrap_or_else(|| field("dateCreated"));
        let row = row([
            ("id", json!(id)),
            ("objectType", json!("case")),
            ("caseId", json!(case_id)),
            ("viewId", Value::Null),
            ("noteId", Value::Null),
            ("threadId", field("threadId")),
            ("dateCreated", date.clone()),
            ("dateUpdated", date),
            ("contactId", field("contactId")),
            ("archive", json!("no")),
            ("meta", json!({})),
        ]);
        self.next_timeline = self.next_timeline.max(id + 1);
        self.timelines.insert(id, row.clone());
        self.timeline_of_case.insert(case_id, id);
        row
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
        self.messages_of_case
            .get(&case_id)?
            .iter()
            .next_back()
            .and_then(|id| self.messages.get(id))
            .map(|m| Value::Object(m.clone()))
    }

    /// The profile of a sender (`senderType`, `senderId`).
    pub fn sender(&self, kind: Option<&str>, id: Option<i64>) -> Option<Value> {
        self.profile(&row([
            ("type", json!(kind.unwrap_or("user"))),
            ("userId", json!(id?)),
        ]))
    }

    /// A case's columns, as a response object.
    pub fn case(&self, case_id: i64) -> Option<Row> {
        self.cases.get(&case_id).cloned()
    }

    /// A case's contact.
    pub fn contact_of(&self, case_id: i64) -> Option<i64> {
        self.cases
            .get(&case_id)
            .and_then(|c| c.get("contactId"))
            .and_then(Value::as_i64)
    }

    /// Whether a case is closed.
    pub fn is_closed(&self, case_id: i64) -> bool {
        self.cases
            .get(&case_id)
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str)
            == Some("closed")
    }

    /// The cases of a thread, by id (the first is the thread's own).
    pub fn cases_of_thread(&self, thread: i64) -> Vec<i64> {
        self.cases
            .iter()
            .filter(|(_, c)| c.get("threadId").and_then(Value::as_i64) == Some(thread))
            .map(|(id, _)| *id)
            .collect()
    }

    /// The status of the participation of `user_id` (of `kind`) in a case.
    pub fn participation_status(&self, case_id: i64, kind: &str, user_id: i64) -> Option<&str> {
        self.case_user_of(case_id, kind, user_id)
            .and_then(|u| self.case_users.get(&u))
            .and_then(|u| u.get("status"))
            .and_then(Value::as_str)
    }

    /// Sets columns of a case.
    pub fn set(&mut self, case_id: i64, fields: &[(&str, Value)]) {
        if let Some(row) = self.cases.get_mut(&case_id) {
            for (k, v) in fields {
                row.insert((*k).to_owned(), v.clone());
            }
        }
    }

    /// Adds a case (its columns, no participation yet).
    pub fn insert_case(&mut self, id: i64, columns: Row) {
        self.cases.insert(id, columns);
        self.users_of_case.insert(id, Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::CaseColumns;

    #[test]
    fn allocates_ids_after_the_floors_and_the_stored_ones() {
        let mut store = Store::default();
        assert_eq!(store.next_case_id(), 2072);
        assert_eq!(store.next_timeline_id(), FIRST_TIMELINE_ID);
        assert_eq!(store.next_timeline_id(), FIRST_TIMELINE_ID + 1);
        let at = json!("2021-03-24T10:43:03.000Z");
        let columns = CaseColumns::from_spec(acquire_spec::Spec::embedded()).expect("columns");
        store.insert_case(3000, columns.new_case(3000, 1, "t", "chat", &at));
        assert_eq!(store.next_case_id(), 3001);
        store.add_timeline_with_id(5120, 3000, None);
        assert_eq!(store.next_timeline_id(), 5121);
        let first =
            store.add_case_user(3000, participation("user", 25, "active", &at, Value::Null));
        assert_eq!(first, 3840);
        assert_eq!(store.participation_status(3000, "user", 25), Some("active"));
        assert_eq!(store.cases_of_thread(3000), [3000]);
        assert_eq!(store.contact_of(3000), Some(1));
    }
}
