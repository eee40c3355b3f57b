//! The lifecycle behaves like Acquire's: create -> pending, join -> active,
//! reject -> the agent rejected, reopen -> a new case in the thread; state
//! persists across requests and ids are allocated; messages are appended,
//! listed, edited and deleted; notes and snoozes live and die; lists filter,
//! select, embed and page.
//!
//! One module per area: [`cases`] (create, join, reject, reopen, close,
//! invite), [`lists`] (paging, conditions, select and relations),
//! [`messages`] (chat, email, SMS) and [`notes`] (notes and snoozes).

#[path = "../common/mod.rs"]
mod common;

mod cases;
mod lists;
mod messages;
mod notes;

use acquire_mock::RunningServer;
use common::{create, op, send};
use serde_json::Value;

/// The status of the participant `kind`/`user_id` among a case's `users`.
fn status_of(users: &Value, kind: &str, user_id: i64) -> Option<String> {
    users
        .as_array()?
        .iter()
        .find(|u| u["type"] == kind && u["userId"] == user_id)
        .and_then(|u| u["status"].as_str())
        .map(str::to_owned)
}

/// The ids of a JSON array of records (cases, sub-cases); none when it is
/// not an array.
fn ids(records: &Value) -> Vec<i64> {
    records
        .as_array()
        .map(|records| records.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// Creates a case for the seeded contact 597752 with `body`: its id.
async fn create_case(server: &RunningServer, body: Option<&str>) -> i64 {
    let created = send(server, &create(), body).await;
    assert_eq!(created.status, 200, "{}", created.json);
    created.json["data"]["id"].as_i64().expect("id")
}

/// Case `id` with `relations` embedded: the reply's `data`.
async fn get_with(server: &RunningServer, id: i64, relations: &str) -> Value {
    let target = op("get_case")
        .at(id)
        .query(&format!("relations={relations}"));
    let reply = send(server, &target, None).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    reply.json["data"].clone()
}
