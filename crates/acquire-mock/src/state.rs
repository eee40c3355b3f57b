//! The in-memory store: contacts, agents, cases, case users, messages,
//! emails, SMS, timeline entries, notes (their mentions and messages) and
//! snoozes, with id allocation, the seed data of the documented examples and
//! generated cases for benchmarks.

use std::collections::{BTreeMap, BTreeSet};

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
const AUTHORED_NOTE: &str =
    include_str!("../../../openapi/examples/authored/get-note.response.json");
const AUTHORED_NOTE_MESSAGES: &str =
    include_str!("../../../openapi/examples/authored/list-note-messages.response.json");
const AUTHORED_SNOOZE: &str =
    include_str!("../../../openapi/examples/authored/create-snooze.response.json");
const AUTHORED_CASES: &str =
    include_str!("../../../openapi/examples/authored/list-cases.response.json");

/// The documented contact every seeded case belongs to.
pub(crate) const SEED_CONTACT: i64 = 597752;

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

fn data_of(text: &str) -> Row {
    // The seed files are compiled in and covered by the tests; a broken one
    // yields an empty row rather than a panic.
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("data").and_then(Value::as_object).cloned())
        .unwrap_or_default()
}

fn full_data_of(text: &str) -> Value {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("data").cloned())
        .unwrap_or(Value::Null)
}

fn object(value: &Value) -> Row {
    value.as_object().cloned().unwrap_or_default()
}

fn id_of(value: &Value) -> Option<i64> {
    value.get("id").and_then(Value::as_i64)
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
        // Agent 12 (Jane Doe) and contact 597760 of the authored examples.
        let note = full_data_of(AUTHORED_NOTE);
        for user in note
            .get("users")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|u| u.get("user"))
        {
            if let Some(id) = id_of(user) {
                store.agents.entry(id).or_insert_with(|| user.clone());
            }
        }
        for case in full_data_of(AUTHORED_CASES)
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(contact) = case.get("contact") {
                if let Some(id) = id_of(contact) {
                    store.contacts.entry(id).or_insert_with(|| contact.clone());
                }
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

        store.seed_notes_and_snoozes(&note);
        let contact_id = SEED_CONTACT;
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
                    store.insert_message(message_id, message.clone());
                }
            }
            if let Some(timeline) = case
                .get("timelineId")
                .and_then(Value::as_i64)
                .filter(|t| !store.timelines.contains_key(t))
            {
                store.add_timeline_with_id(timeline, id, None);
            }
        }
        store.seed_authored_cases();
        store
    }

    /// The cases the authored examples act on: 1690 (contact 597760's
    /// active chat, from list cases), 1702 (an email case of 597752, from
    /// send email) and 1710 (597760's SMS thread with timeline entry 5120,
    /// from send SMS). Their columns are the examples' where they show them.
    fn seed_authored_cases(&mut self) {
        let base = |id: i64, contact: i64, title: &str, channel: &str, at: &str| {
            let mut row = Row::new();
            for (k, v) in [
                ("id", json!(id)),
                ("contactId", json!(contact)),
                ("title", json!(title)),
                ("description", json!("")),
                ("channel", json!(channel)),
                ("status", json!("active")),
                ("closingState", Value::Null),
                ("dateCreated", json!(at)),
                ("dateUpdated", json!(at)),
                ("dateQueue", json!(at)),
                ("datePending", json!(at)),
                ("dateActive", json!(at)),
                ("dateClosed", Value::Null),
                ("queueId", Value::Null),
                ("queueOrder", Value::Null),
                ("meta", json!({})),
                ("parentId", Value::Null),
                ("userId", Value::Null),
                ("visitId", json!(0)),
                ("waitTime", json!(0)),
                ("threadId", json!(id)),
                ("closedBy", Value::Null),
            ] {
                row.insert(k.to_owned(), v);
            }
            row
        };
        let other_contact = 597760;
        for (id, contact, title, channel, at) in [
            (
                1690,
                other_contact,
                "#597760 has just started a chat",
                "chat",
                "2021-03-25T08:12:10.000Z",
            ),
            (
                1702,
                SEED_CONTACT,
                "Re: Your order",
                "email",
                "2021-03-26T09:00:00.000Z",
            ),
            (
                1710,
                other_contact,
                "SMS with +14155550123",
                "voip",
                "2021-03-26T10:00:00.000Z",
            ),
        ] {
            if !self.contacts.contains_key(&contact) {
                continue;
            }
            self.cases.insert(id, base(id, contact, title, channel, at));
            self.users_of_case.insert(id, Vec::new());
            for (kind, user, status) in [("contact", contact, "active"), ("user", 12, "joined")] {
                let mut row = Row::new();
                for (k, v) in [
                    ("type", json!(kind)),
                    ("userId", json!(user)),
                    ("role", json!("owner")),
                    ("status", json!(status)),
                    ("dateCreated", json!(at)),
                    ("dateLastAssigned", json!(at)),
                    ("closed", json!("no")),
                    ("meta", Value::Null),
                ] {
                    row.insert(k.to_owned(), v);
                }
                self.add_case_user(id, row);
            }
        }
        if self.cases.contains_key(&1710) {
            self.add_timeline_with_id(5120, 1710, None);
        }
    }

    /// Note 310 (its mention and two messages) and snooze 77 of the
    /// authored examples.
    fn seed_notes_and_snoozes(&mut self, note: &Value) {
        if let Some(id) = id_of(note) {
            let mut row = object(note);
            row.remove("users");
            row.remove("lastMessage");
            self.notes.insert(id, row);
        }
        for user in note
            .get("users")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = id_of(user) {
                let mut row = object(user);
                row.remove("user");
                self.note_users.insert(id, row);
            }
        }
        for message in full_data_of(AUTHORED_NOTE_MESSAGES)
            .get("rows")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = id_of(message) {
                let mut row = object(message);
                row.remove("user");
                self.note_messages.insert(id, row);
            }
        }
        let snooze = full_data_of(AUTHORED_SNOOZE);
        if let Some(snooze) = snooze.get("data") {
            if let Some(id) = id_of(snooze) {
                let mut row = object(snooze);
                // Stored as user ids; rendered as the documented maps.
                let users: Vec<Value> = row
                    .get("users")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .flat_map(|m| m.keys())
                    .filter_map(|k| k.parse::<i64>().ok())
                    .map(Value::from)
                    .collect();
                row.insert("users".into(), Value::Array(users));
                self.snoozes.insert(id, row);
            }
        }
    }

    /// Adds `n` deterministic cases after the seeded ones, for benchmarks:
    /// contact 597752's, created a minute apart from 2021-04-01, cycling
    /// through the statuses pending, active and closed and the channels chat,
    /// email and voip, each with the contact participating, the agent joined
    /// on active and closed ones, and one message from the contact.
    pub fn generate_cases(&mut self, n: usize, agent_id: i64) {
        const STATUSES: [&str; 3] = ["pending", "active", "closed"];
        const CHANNELS: [&str; 3] = ["chat", "email", "voip"];
        let start = DateTime::parse_from_rfc3339("2021-04-01T00:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        for k in 0..n {
            let id = self.next_case_id();
            let at = |seconds: i64| {
                json!(timestamp(
                    start
                        + chrono::Duration::minutes(k as i64)
                        + chrono::Duration::seconds(seconds)
                ))
            };
            let status = STATUSES[k % 3];
            let open = status != "pending";
            let closed = status == "closed";
            let mut row = Row::new();
            for (key, value) in [
                ("id", json!(id)),
                ("contactId", json!(SEED_CONTACT)),
                ("title", json!(format!("Generated case {}", k + 1))),
                ("description", json!(format!("Question number {}", k + 1))),
                ("channel", json!(CHANNELS[(k / 3) % 3])),
                ("status", json!(status)),
                (
                    "closingState",
                    if closed {
                        json!("handled")
                    } else {
                        Value::Null
                    },
                ),
                ("dateCreated", at(0)),
                ("dateUpdated", at(if open { 30 } else { 0 })),
                ("dateQueue", at(0)),
                ("datePending", at(0)),
                ("dateActive", if open { at(10) } else { Value::Null }),
                ("dateClosed", if closed { at(30) } else { Value::Null }),
                ("queueId", Value::Null),
                ("queueOrder", json!(0)),
                (
                    "meta",
                    json!({"sessionId": format!("{}", 2_000_000_000 + k), "queueRecheck": "no"}),
                ),
                ("parentId", Value::Null),
                ("userId", Value::Null),
                ("visitId", json!(1371)),
                ("waitTime", json!(if open { 10 } else { 0 })),
                ("threadId", json!(id)),
                (
                    "closedBy",
                    if closed { json!(agent_id) } else { Value::Null },
                ),
            ] {
                row.insert(key.to_owned(), value);
            }
            self.cases.insert(id, row);
            self.users_of_case.insert(id, Vec::new());
            let closed_flag = json!(if closed { "yes" } else { "no" });
            let mut contact = Row::new();
            for (key, value) in [
                ("type", json!("contact")),
                ("userId", json!(SEED_CONTACT)),
                ("role", json!("owner")),
                ("status", json!("active")),
                ("dateCreated", at(0)),
                ("dateLastAssigned", at(0)),
                ("closed", closed_flag.clone()),
                ("meta", Value::Null),
            ] {
                contact.insert(key.to_owned(), value);
            }
            self.add_case_user(id, contact);
            if open {
                let mut agent = Row::new();
                for (key, value) in [
                    ("type", json!("user")),
                    ("userId", json!(agent_id)),
                    ("role", json!("owner")),
                    ("status", json!("joined")),
                    ("dateCreated", at(10)),
                    ("dateLastAssigned", at(10)),
                    ("closed", closed_flag),
                    ("meta", Value::Null),
                ] {
                    agent.insert(key.to_owned(), value);
                }
                self.add_case_user(id, agent);
            }
            let mut message = Row::new();
            for (key, value) in [
                ("caseId", json!(id)),
                ("channel", json!(CHANNELS[(k / 3) % 3])),
                ("senderId", json!(SEED_CONTACT)),
                ("senderType", json!("contact")),
                ("type", json!("message")),
                ("message", json!(format!("Question number {}", k + 1))),
                ("dateCreated", at(1)),
                ("dateUpdated", Value::Null),
                ("seen", json!(if open { "yes" } else { "no" })),
                ("meta", json!({})),
            ] {
                message.insert(key.to_owned(), value);
            }
            self.add_message(message);
        }
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
        self.insert_message(id, row);
        id
    }

    fn insert_message(&mut self, id: i64, row: Row) {
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

    /// A fresh id for `map`, at least `floor`.
    pub fn fresh_id<V>(map: &BTreeMap<i64, V>, floor: i64) -> i64 {
        Self::next_id(map, floor)
    }

    /// Adds the timeline entry of a case; returns it.
    pub fn add_timeline(&mut self, case_id: i64, now: Option<&Value>) -> Row {
        let id = self.next_timeline_id();
        self.add_timeline_with_id(id, case_id, now)
    }

    fn add_timeline_with_id(&mut self, id: i64, case_id: i64, now: Option<&Value>) -> Row {
        let case = self.cases.get(&case_id);
        let field = |name: &str| {
            case.and_then(|c| c.get(name))
                .cloned()
                .unwrap_or(Value::Null)
        };
        let date = now.cloned().unwrap_or_else(|| field("dateCreated"));
        let mut row = Row::new();
        for (k, v) in [
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
        ] {
            row.insert(k.to_owned(), v);
        }
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
        let mut row = Row::new();
        row.insert("type".into(), json!(kind.unwrap_or("user")));
        row.insert("userId".into(), json!(id?));
        self.profile(&row)
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
