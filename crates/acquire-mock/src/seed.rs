//! What a fake starts with: the account directory and the records of the
//! documented examples (from the spec compiled into `acquire-spec`), and
//! the deterministic cases generated for benchmarks.
//!
//! - The directory, always: contact 597752 and agents 1 and 25 of the seed
//!   examples, agent 12 and contact 597760 of the authored ones, and the
//!   agent the API key acts as (the API has no route to create them).
//! - With seed data: the cases of the seed examples (1681, 1684, 1694,
//!   2071) and the closed thread 1683 they reopen; the authored examples'
//!   cases 1690, 1702 and 1710, note 310 (its mention and messages) and
//!   snooze 77.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::{
    columns::CaseColumns,
    store::{self, participation, timestamp, Row, Store},
};

/// The members of a participation (a `CaseUser`) that embed other records:
/// the participant's profile, rendered from the directory, and (in the
/// join example) the case. A participation is stored without them.
const EMBEDDED_IN_PARTICIPATION: [&str; 2] = ["user", "case"];

/// Ids of the embedded spec's examples the fake starts from
/// ([`acquire_spec::Example::id`]).
const SEED_CREATE: &str = "create_case.response.200.create";
const SEED_REOPEN: &str = "create_case.response.200.reopen";
const SEED_REJECT: &str = "reject_case.response.200.reject";
const SEED_JOIN: &str = "join_case.response.200.join";
const AUTHORED_NOTE: &str = "get_note.response.200.note";
const AUTHORED_NOTE_MESSAGES: &str = "list_note_messages.response.200.messages";
const AUTHORED_SNOOZE: &str = "create_snooze.response.200.snooze";
const AUTHORED_CASES: &str = "list_cases.response.200.active";

/// The documented contact every seeded case belongs to.
pub(crate) const SEED_CONTACT: i64 = 597752;

/// Contact 597760 of the authored examples.
const OTHER_CONTACT: i64 = 597760;

/// The `data` of the embedded spec's example `id`. The examples are
/// covered by the tests; a missing one yields `null` rather than a panic.
fn data_of(id: &str) -> Value {
    acquire_spec::Spec::embedded()
        .example_value(id)
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

/// The elements of an array member (none when it is not one).
fn items<'a>(value: &'a Value, name: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The account directory and, with `seed`, the records of the documented
/// examples (cases with the spec's `columns`); the API key acts as
/// `agent_id`.
pub(crate) fn store(columns: &CaseColumns, seed: bool, agent_id: i64) -> Store {
    let mut store = Store::default();
    let create = data_of(SEED_CREATE);
    let join = data_of(SEED_JOIN);
    let note = data_of(AUTHORED_NOTE);

    if let Some(contact) = create.get("contact") {
        if let Some(id) = id_of(contact) {
            store.contacts.insert(id, contact.clone());
        }
    }
    // Agents 1 and 25 as the join example shows them, then agent 12 (Jane
    // Doe) of the authored note and contact 597760 of the authored list.
    let agents = items(&join, "users")
        .filter_map(|u| u.get("user"))
        .filter(|u| u.get("type").and_then(Value::as_str) == Some("user"))
        .chain(items(&note, "users").filter_map(|u| u.get("user")));
    for user in agents {
        if let Some(id) = id_of(user) {
            store.agents.entry(id).or_insert_with(|| user.clone());
        }
    }
    for contact in items(&data_of(AUTHORED_CASES), "data").filter_map(|c| c.get("contact")) {
        if let Some(id) = id_of(contact) {
            store.contacts.entry(id).or_insert_with(|| contact.clone());
        }
    }
    store.agents.entry(agent_id).or_insert_with(|| {
        json!({"roles": [], "id": agent_id, "name": "API user", "firstName": "API user",
               "lastName": "", "photo": "", "email": "", "clientId": "", "parentId": 0,
               "type": "user", "accessLevel": null})
    });
    if seed {
        seed_notes_and_snoozes(&mut store, &note);
        seed_documented_cases(
            &mut store,
            columns,
            [SEED_REJECT, SEED_JOIN, SEED_REOPEN, SEED_CREATE],
        );
        seed_authored_cases(&mut store, columns);
    }
    store
}

/// The cases of the seed examples, as documented (their participations,
/// last messages and timeline entries), after the closed thread 1683 they
/// reopen: not documented itself, synthesized from their `threadId`. A
/// documented case keeps the members it shows but those `columns` says are
/// not columns.
fn seed_documented_cases(store: &mut Store, columns: &CaseColumns, examples: [&str; 4]) {
    let opened = json!("2021-03-24T10:43:03.000Z");
    let closed = json!("2021-03-24T10:43:30.000Z");
    let mut thread = columns.new_case(
        1683,
        SEED_CONTACT,
        "#597752 has just started a chat",
        "chat",
        &opened,
    );
    thread.extend(store::row([
        ("status", json!("closed")),
        ("closingState", json!("handled")),
        ("dateUpdated", closed.clone()),
        ("dateClosed", closed),
        (
            "meta",
            json!({"sessionId": "3711819272", "queueRecheck": "no"}),
        ),
        ("visitId", json!(1371)),
    ]));
    store.insert_case(1683, thread);

    for case in examples.map(data_of) {
        let Some(id) = id_of(&case) else {
            continue;
        };
        let mut row = columns.stored(object(&case));
        row.entry("contactId").or_insert(json!(SEED_CONTACT));
        store.insert_case(id, row);
        let mut ids = Vec::new();
        for user in items(&case, "users") {
            let Some(user_id) = id_of(user) else {
                continue;
            };
            let mut row = object(user);
            // Kept as documented (the joining entry has no `caseId`);
            // membership is `users_of_case`.
            for embedded in EMBEDDED_IN_PARTICIPATION {
                row.remove(embedded);
            }
            store.case_users.insert(user_id, row);
            ids.push(user_id);
        }
        store.users_of_case.insert(id, ids);
        if let Some(message) = case.get("lastMessage").filter(|m| m.is_object()) {
            if let Some(message_id) = id_of(message) {
                store.insert_message(message_id, object(message));
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
}

/// The cases the authored examples act on: 1690 (contact 597760's active
/// chat, from list cases), 1702 (an email case of 597752, from send email)
/// and 1710 (597760's SMS thread with timeline entry 5120, from send SMS),
/// each with its contact and agent 12 joined. Their columns are the
/// examples' where they show them.
fn seed_authored_cases(store: &mut Store, columns: &CaseColumns) {
    for (id, contact, title, channel, at) in [
        (
            1690,
            OTHER_CONTACT,
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
            OTHER_CONTACT,
            "SMS with +14155550123",
            "voip",
            "2021-03-26T10:00:00.000Z",
        ),
    ] {
        if !store.contacts.contains_key(&contact) {
            continue;
        }
        let at = json!(at);
        let mut row = columns.new_case(id, contact, title, channel, &at);
        row.extend(store::row([
            ("description", json!("")),
            ("status", json!("active")),
            ("dateUpdated", at.clone()),
            ("dateActive", at.clone()),
            ("queueOrder", Value::Null),
            ("visitId", json!(0)),
        ]));
        store.insert_case(id, row);
        for (kind, user, status) in [("contact", contact, "active"), ("user", 12, "joined")] {
            store.add_case_user(id, participation(kind, user, status, &at, at.clone()));
        }
    }
    if store.cases.contains_key(&1710) {
        store.add_timeline_with_id(5120, 1710, None);
    }
}

/// Note 310 (its mention and two messages) and snooze 77 of the authored
/// examples.
fn seed_notes_and_snoozes(store: &mut Store, note: &Value) {
    if let Some(id) = id_of(note) {
        let mut row = object(note);
        row.remove("users");
        row.remove("lastMessage");
        store.notes.insert(id, row);
    }
    for mention in items(note, "users") {
        insert_without_user(&mut store.note_users, mention);
    }
    for message in items(&data_of(AUTHORED_NOTE_MESSAGES), "rows") {
        insert_without_user(&mut store.note_messages, message);
    }
    let snooze = data_of(AUTHORED_SNOOZE);
    if let Some(snooze) = snooze.get("data") {
        if let Some(id) = id_of(snooze) {
            let mut row = object(snooze);
            // Stored as user ids; rendered as the documented maps.
            let users: Vec<Value> = items(snooze, "users")
                .filter_map(Value::as_object)
                .flat_map(|m| m.keys())
                .filter_map(|k| k.parse::<i64>().ok())
                .map(Value::from)
                .collect();
            row.insert("users".into(), Value::Array(users));
            store.snoozes.insert(id, row);
        }
    }
}

/// Stores a record under its id, without its embedded `user` profile.
fn insert_without_user(table: &mut std::collections::BTreeMap<i64, Row>, record: &Value) {
    if let Some(id) = id_of(record) {
        let mut row = object(record);
        row.remove("user");
        table.insert(id, row);
    }
}

/// Adds `n` deterministic cases after the stored ones, for benchmarks:
/// contact 597752's, created a minute apart from 2021-04-01, cycling
/// through the statuses pending, active and closed and the channels chat,
/// email and voip, each with the contact participating, the agent joined
/// on active and closed ones, and one message from the contact.
pub(crate) fn generate_cases(store: &mut Store, columns: &CaseColumns, n: usize, agent_id: i64) {
    const STATUSES: [&str; 3] = ["pending", "active", "closed"];
    const CHANNELS: [&str; 3] = ["chat", "email", "voip"];
    let start = DateTime::parse_from_rfc3339("2021-04-01T00:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    for k in 0..n {
        let id = store.next_case_id();
        let at = |seconds: i64| {
            json!(timestamp(
                start + chrono::Duration::minutes(k as i64) + chrono::Duration::seconds(seconds)
            ))
        };
        let status = STATUSES[k % 3];
        let channel = CHANNELS[(k / 3) % 3];
        let open = status != "pending";
        let closed = status == "closed";
        let when = |yes: bool, value: Value| if yes { value } else { Value::Null };
        let question = format!("Question number {}", k + 1);
        let mut row = columns.new_case(
            id,
            SEED_CONTACT,
            &format!("Generated case {}", k + 1),
            channel,
            &at(0),
        );
        row.extend(store::row([
            ("description", json!(question)),
            ("status", json!(status)),
            ("closingState", when(closed, json!("handled"))),
            ("dateUpdated", at(if open { 30 } else { 0 })),
            ("dateActive", when(open, at(10))),
            ("dateClosed", when(closed, at(30))),
            (
                "meta",
                json!({"sessionId": format!("{}", 2_000_000_000 + k), "queueRecheck": "no"}),
            ),
            ("visitId", json!(1371)),
            ("waitTime", json!(if open { 10 } else { 0 })),
            ("closedBy", when(closed, json!(agent_id))),
        ]));
        store.insert_case(id, row);
        let closed_flag = json!(if closed { "yes" } else { "no" });
        let mut people = vec![participation(
            "contact",
            SEED_CONTACT,
            "active",
            &at(0),
            at(0),
        )];
        if open {
            people.push(participation("user", agent_id, "joined", &at(10), at(10)));
        }
        for mut person in people {
            person.insert("closed".into(), closed_flag.clone());
            store.add_case_user(id, person);
        }
        let mut message = store::message(
            id,
            json!(channel),
            ("contact", SEED_CONTACT),
            json!("message"),
            &at(1),
        );
        message.insert("message".into(), json!(question));
        message.insert("seen".into(), json!(if open { "yes" } else { "no" }));
        store.add_message(message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> CaseColumns {
        CaseColumns::from_spec(acquire_spec::Spec::embedded()).expect("the spec's columns")
    }

    #[test]
    fn every_example_the_seed_names_is_in_the_embedded_spec() {
        for id in [
            SEED_CREATE,
            SEED_REOPEN,
            SEED_REJECT,
            SEED_JOIN,
            AUTHORED_NOTE,
            AUTHORED_NOTE_MESSAGES,
            AUTHORED_SNOOZE,
            AUTHORED_CASES,
        ] {
            assert!(data_of(id).is_object(), "example {id} has no `data` object");
        }
    }

    #[test]
    fn seeds_the_documented_cases() {
        let columns = columns();
        let store = store(&columns, true, 25);
        for id in [1681, 1683, 1684, 1694, 2071, 1690, 1702, 1710] {
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
        assert!(store.notes.contains_key(&310) && store.snoozes.contains_key(&77));
        assert_eq!(store.note_users.len(), 1);
        assert_eq!(store.note_messages.len(), 2);
        // The documented cases keep what their examples show of their
        // columns; the others have every column.
        for (id, case) in &store.cases {
            let stored: Vec<&String> = case.keys().filter(|k| !columns.is_column(k)).collect();
            assert!(stored.is_empty(), "case {id} stores {stored:?}");
        }
        for id in [1683, 1690, 1702, 1710] {
            let names: Vec<&str> = store.cases[&id].keys().map(String::as_str).collect();
            let mut spec: Vec<&str> = columns.names().collect();
            spec.sort_unstable();
            assert_eq!(names, spec, "case {id}");
        }
        let empty = super::store(&columns, false, 25);
        assert!(empty.cases.is_empty() && empty.contacts.contains_key(&597752));
        assert_eq!(empty.next_case_id(), 2072);
    }

    #[test]
    fn generated_cases_follow_the_seed() {
        let columns = columns();
        let mut store = store(&columns, true, 25);
        generate_cases(&mut store, &columns, 3, 25);
        let statuses: Vec<&str> = (2072..2075)
            .map(|id| store.cases[&id]["status"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(statuses, ["pending", "active", "closed"]);
        assert_eq!(store.render_users(2074, false).len(), 2);
        assert_eq!(
            store.cases[&2072]["dateUpdated"],
            store.cases[&2072]["dateCreated"]
        );
    }
}
