//! Seeding and inspecting a running fake: a test inserts its own agents,
//! contacts, cases (with their participants), messages, notes and snoozes,
//! written as the API writes them (the JSON of the spec's `User`,
//! `Contact`, `Case`, `Message`, `Note`, `NoteMessage` and `Snooze`), and
//! reads back what the code under test changed, rendered as the API
//! renders it.
//!
//! A record keeps the members it is given; the columns it leaves out get
//! the values a record created through the API starts with (a case is
//! `pending`, in its own thread, created now...). Ids are the caller's and
//! replace a record already stored under the same id.

use std::sync::{Mutex, MutexGuard};

use serde_json::{json, Map, Value};

use crate::{
    columns::CaseColumns,
    handlers::{self, render_snooze, Ctx},
    input::{flexible_id, Input},
    store::{self, Row, Store},
    vocabulary::Vocabulary,
};

/// Why a record could not be inserted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SeedError {
    /// The record is not a JSON object.
    #[error("a {0} must be a JSON object")]
    NotAnObject(&'static str),
    /// A member the record needs is missing or not an id.
    #[error("a {record} needs `{member}` (an id)")]
    Missing {
        /// What was inserted: `case`, `message`...
        record: &'static str,
        /// The member, as the API names it.
        member: &'static str,
    },
    /// The record names a record the fake does not hold.
    #[error("{member}: no {what} with id {id} (insert it first)")]
    Unknown {
        /// The member naming it.
        member: &'static str,
        /// What it names: `contact`, `case`, `note`.
        what: &'static str,
        /// The id.
        id: i64,
    },
}

/// The records of a running fake, to seed and to inspect
/// ([`RunningServer::records`](crate::RunningServer::records)).
pub struct Records<'a> {
    store: &'a Mutex<Store>,
    agent_id: i64,
    vocabulary: &'a Vocabulary,
    columns: &'a CaseColumns,
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").finish_non_exhaustive()
    }
}

fn object(record: &Value, what: &'static str) -> Result<Row, SeedError> {
    record
        .as_object()
        .cloned()
        .ok_or(SeedError::NotAnObject(what))
}

fn id_member(row: &Row, record: &'static str, member: &'static str) -> Result<i64, SeedError> {
    row.get(member)
        .and_then(flexible_id)
        .ok_or(SeedError::Missing { record, member })
}

fn now() -> Value {
    json!(store::timestamp(chrono::Utc::now()))
}

/// `row` over `defaults`: the given members win.
fn over(mut defaults: Row, row: Row) -> Row {
    defaults.extend(row);
    defaults
}

impl<'a> Records<'a> {
    pub(crate) fn new(
        store: &'a Mutex<Store>,
        agent_id: i64,
        vocabulary: &'a Vocabulary,
        columns: &'a CaseColumns,
    ) -> Self {
        Self {
            store,
            agent_id,
            vocabulary,
            columns,
        }
    }

    fn store(&self) -> MutexGuard<'a, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn known(
        store: &Store,
        id: i64,
        member: &'static str,
        what: &'static str,
    ) -> Result<(), SeedError> {
        let held = match what {
            "contact" => store.contacts.contains_key(&id),
            "case" => store.cases.contains_key(&id),
            _ => store.notes.contains_key(&id),
        };
        held.then_some(())
            .ok_or(SeedError::Unknown { member, what, id })
    }

    /// Inserts an agent (a `User`: `id`, `name`, `email`...), shown as the
    /// `user` of the participations, mentions and snoozes naming it.
    pub fn insert_agent(&self, agent: &Value) -> Result<(), SeedError> {
        let mut row = object(agent, "agent")?;
        let id = id_member(&row, "agent", "id")?;
        row.entry("type").or_insert(json!("user"));
        self.store().agents.insert(id, Value::Object(row));
        Ok(())
    }

    /// Inserts a contact (a `Contact`: `id`, `name`, `email`...).
    pub fn insert_contact(&self, contact: &Value) -> Result<(), SeedError> {
        let row = object(contact, "contact")?;
        let id = id_member(&row, "contact", "id")?;
        self.store().contacts.insert(id, Value::Object(row));
        Ok(())
    }

    /// Inserts a case (a `Case`: `id` and `contactId`, a contact already
    /// inserted, are needed) with its participants (`users`, each a
    /// `CaseUser`: `type`, `userId`, `status`...). Without `users` the
    /// contact participates (`active`). Its columns (those the spec's
    /// `CaseColumn` lists) are stored, those it leaves out as a new case
    /// has them; the other members `Case` declares (relations other than
    /// `users`, the extras of some responses) are not, and a scalar member
    /// `Case` does not declare is kept as given.
    pub fn insert_case(&self, case: &Value) -> Result<(), SeedError> {
        let given = object(case, "case")?;
        let id = id_member(&given, "case", "id")?;
        let contact = id_member(&given, "case", "contactId")?;
        let mut store = self.store();
        Self::known(&store, contact, "contactId", "contact")?;
        let at = given.get("dateCreated").cloned().unwrap_or_else(now);
        let title = format!("#{contact} has just started a chat");
        let defaults = self.columns.new_case(id, contact, &title, "chat", &at);
        let users = given.get("users").and_then(Value::as_array).cloned();
        // Its columns, and the scalars `Case` does not declare.
        let columns: Row = self
            .columns
            .stored(given)
            .into_iter()
            .filter(|(k, v)| self.columns.is_column(k) || !(v.is_array() || v.is_object()))
            .collect();
        // Replacing a case replaces its participants.
        for old in store.users_of_case.remove(&id).unwrap_or_default() {
            store.case_users.remove(&old);
        }
        store.insert_case(id, over(defaults, columns));
        let users = users.unwrap_or_else(|| {
            vec![Value::Object(store::participation(
                "contact",
                contact,
                "active",
                &at,
                at.clone(),
            ))]
        });
        for user in users {
            let given = object(&user, "participant")?;
            let user_id = id_member(&given, "participant", "userId")?;
            let mut row = store::participation("user", user_id, "joined", &at, at.clone());
            row.extend(given.into_iter().filter(|(k, _)| k != "user"));
            row.insert("caseId".into(), json!(id));
            match row.get("id").and_then(Value::as_i64) {
                Some(participation) => {
                    store.case_users.insert(participation, row);
                    store
                        .users_of_case
                        .entry(id)
                        .or_default()
                        .push(participation);
                }
                None => {
                    store.add_case_user(id, row);
                }
            }
        }
        Ok(())
    }

    /// Inserts a message (a `Message`: `id` and `caseId`, a case already
    /// inserted, are needed); sent by the case's contact unless `senderType`
    /// and `senderId` say otherwise.
    pub fn insert_message(&self, message: &Value) -> Result<(), SeedError> {
        let given = object(message, "message")?;
        let id = id_member(&given, "message", "id")?;
        let case_id = id_member(&given, "message", "caseId")?;
        let mut store = self.store();
        Self::known(&store, case_id, "caseId", "case")?;
        let channel = store
            .case(case_id)
            .and_then(|c| c.get("channel").cloned())
            .unwrap_or(Value::Null);
        let contact = store.contact_of(case_id).unwrap_or_default();
        let defaults = store::message(
            case_id,
            channel,
            ("contact", contact),
            json!("message"),
            &now(),
        );
        let row: Row = given.into_iter().filter(|(k, _)| k != "sender").collect();
        store.remove_message(id);
        store.insert_message(id, over(defaults, row));
        Ok(())
    }

    /// Inserts a note (a `Note`: `id` and `contactId`, a contact already
    /// inserted, are needed) with its mentions (`users`, each a `NoteUser`
    /// with `userId`); its messages are inserted with
    /// [`insert_note_message`](Self::insert_note_message).
    pub fn insert_note(&self, note: &Value) -> Result<(), SeedError> {
        let given = object(note, "note")?;
        let id = id_member(&given, "note", "id")?;
        let contact = id_member(&given, "note", "contactId")?;
        let mut store = self.store();
        Self::known(&store, contact, "contactId", "contact")?;
        let at = now();
        let defaults = store::row([
            ("id", json!(id)),
            ("contactId", json!(contact)),
            ("userId", json!(self.agent_id)),
            ("type", json!("note")),
            ("dateCreated", at.clone()),
            ("dateUpdated", at),
        ]);
        let mentions = given.get("users").and_then(Value::as_array).cloned();
        let row: Row = given
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "users" | "lastMessage"))
            .collect();
        store.notes.insert(id, over(defaults, row));
        store
            .note_users
            .retain(|_, m| m.get("noteId").and_then(Value::as_i64) != Some(id));
        for mention in mentions.unwrap_or_default() {
            let mut given = object(&mention, "mention")?;
            id_member(&given, "mention", "userId")?;
            given.remove("user");
            given.insert("noteId".into(), json!(id));
            let mention_id = given
                .get("id")
                .and_then(Value::as_i64)
                .unwrap_or_else(|| Store::fresh_id(&store.note_users, 1));
            given.insert("id".into(), json!(mention_id));
            store.note_users.insert(mention_id, given);
        }
        Ok(())
    }

    /// Inserts a message of a note (a `NoteMessage`: `id` and `noteId`, a
    /// note already inserted, are needed); written by the API's agent
    /// unless `userId` says otherwise.
    pub fn insert_note_message(&self, message: &Value) -> Result<(), SeedError> {
        let given = object(message, "note message")?;
        let id = id_member(&given, "note message", "id")?;
        let note = id_member(&given, "note message", "noteId")?;
        let mut store = self.store();
        Self::known(&store, note, "noteId", "note")?;
        let at = now();
        let defaults = store::row([
            ("id", json!(id)),
            ("noteId", json!(note)),
            ("userId", json!(self.agent_id)),
            ("dateCreated", at.clone()),
            ("dateUpdated", at),
        ]);
        let row: Row = given.into_iter().filter(|(k, _)| k != "user").collect();
        store.note_messages.insert(id, over(defaults, row));
        Ok(())
    }

    /// Inserts a snooze (a `Snooze`: `id` is needed; `users` as the API
    /// writes them, `[{"<user id>": {...}}]`, or as plain user ids).
    pub fn insert_snooze(&self, snooze: &Value) -> Result<(), SeedError> {
        let mut row = object(snooze, "snooze")?;
        let id = id_member(&row, "snooze", "id")?;
        let users: Vec<Value> = row
            .get("users")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|u| match u {
                Value::Object(map) => map.keys().filter_map(|k| k.parse().ok()).collect(),
                other => flexible_id(other).into_iter().collect::<Vec<i64>>(),
            })
            .map(Value::from)
            .collect();
        row.insert("users".into(), Value::Array(users));
        self.store().snoozes.insert(id, row);
        Ok(())
    }

    /// Every agent, by id.
    pub fn agents(&self) -> Vec<Value> {
        self.store().agents.values().cloned().collect()
    }

    /// Every contact, by id.
    pub fn contacts(&self) -> Vec<Value> {
        self.store().contacts.values().cloned().collect()
    }

    /// Every case, by id, each with its participants (`users`, with their
    /// profiles): status, closing state and dates as they are now.
    pub fn cases(&self) -> Vec<Value> {
        let store = self.store();
        store
            .cases
            .keys()
            .filter_map(|id| Self::render_case(&store, *id))
            .collect()
    }

    /// One case, as [`cases`](Self::cases) renders it.
    pub fn case(&self, id: i64) -> Option<Value> {
        Self::render_case(&self.store(), id)
    }

    fn render_case(store: &Store, id: i64) -> Option<Value> {
        let mut case = store.case(id)?;
        case.insert("users".into(), json!(store.render_users(id, true)));
        Some(Value::Object(case))
    }

    /// The messages of a thread (the cases sharing `threadId`), oldest
    /// case first, each case's in order.
    pub fn messages_of_thread(&self, thread_id: i64) -> Vec<Value> {
        let store = self.store();
        store
            .cases_of_thread(thread_id)
            .into_iter()
            .flat_map(|case| store.messages_of(case))
            .collect()
    }

    /// A contact's notes, by id, as the API lists them (mentions with the
    /// agents' profiles, last message).
    pub fn notes_of_contact(&self, contact_id: i64) -> Vec<Value> {
        let Some(list) = handlers::find("list_notes") else {
            return Vec::new();
        };
        let ctx = Ctx {
            agent_id: self.agent_id,
            now: chrono::Utc::now(),
            vocabulary: self.vocabulary,
            columns: self.columns,
        };
        let mut store = self.store();
        let mut out = Vec::new();
        for page in 0.. {
            let mut params = Map::new();
            params.insert("contact_id".into(), json!(contact_id));
            params.insert("limit".into(), json!(crate::query::MAX_LIMIT));
            params.insert("page".into(), json!(page));
            let input = Input { params, body: None };
            let Ok(listed) = list(&mut store, &ctx, &input) else {
                break;
            };
            let rows = listed
                .get("rows")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if rows.is_empty() {
                break;
            }
            out.extend(rows);
        }
        out
    }

    /// The messages of a note, by id.
    pub fn note_messages(&self, note_id: i64) -> Vec<Value> {
        let store = self.store();
        store
            .note_messages
            .values()
            .filter(|m| m.get("noteId").and_then(Value::as_i64) == Some(note_id))
            .map(|m| Value::Object(m.clone()))
            .collect()
    }

    /// Every snooze, by id, as the API renders it (`users` as
    /// `[{"<id>": {id, email, name}}]`).
    pub fn snoozes(&self) -> Vec<Value> {
        let store = self.store();
        store
            .snoozes
            .values()
            .map(|row| render_snooze(&store, row))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn fills_what_a_record_leaves_out_and_refuses_unknown_references() {
        let spec = acquire_spec::Spec::embedded();
        let vocabulary = Vocabulary::from_spec(spec).expect("the spec's vocabulary");
        let columns = CaseColumns::from_spec(spec).expect("the spec's columns");
        let store = Mutex::new(seed::store(&columns, false, 25));
        let records = Records::new(&store, 25, &vocabulary, &columns);
        assert_eq!(
            records.insert_case(&json!({"id": 1, "contactId": 42})),
            Err(SeedError::Unknown {
                member: "contactId",
                what: "contact",
                id: 42
            })
        );
        assert_eq!(
            records.insert_case(&json!({"contactId": 597752})),
            Err(SeedError::Missing {
                record: "case",
                member: "id"
            })
        );
        records
            .insert_case(&json!({"id": 1, "contactId": 597752, "status": "active"}))
            .expect("a case of a known contact");
        let case = records.case(1).expect("case 1");
        assert_eq!(case["status"], "active");
        assert_eq!(case["threadId"], 1, "its own thread");
        assert_eq!(case["channel"], "chat");
        assert_eq!(
            case["users"][0]["type"], "contact",
            "the contact participates"
        );
        // Members of `Case` that are not columns are not stored, even as
        // scalars; one `Case` does not declare is.
        records
            .insert_case(&json!({"id": 2, "contactId": 597752, "msgUnread": 3,
                                 "isCaseJoined": true, "parent": null, "custom": "x"}))
            .expect("a case of a known contact");
        let case = records.case(2).expect("case 2");
        for member in ["msgUnread", "isCaseJoined", "parent"] {
            assert!(case.get(member).is_none(), "{member} stored");
        }
        assert_eq!(case["custom"], "x");
        records
            .insert_message(&json!({"id": 5, "caseId": 1, "message": "hi"}))
            .expect("a message of a known case");
        let messages = records.messages_of_thread(1);
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["senderId"], 597752, "sent by the contact");
        assert_eq!(
            records.insert_note_message(&json!({"id": 1, "noteId": 9})),
            Err(SeedError::Unknown {
                member: "noteId",
                what: "note",
                id: 9
            })
        );
    }
}
