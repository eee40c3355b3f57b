//! Every route, success and error paths: the status is the one expected and
//! the body validates against the spec's schema for that operation and
//! status (declared properties only). One row per case; a new route is a
//! few rows. A row names its operation: the method and path template are
//! the spec's, the row gives only the path parameters, the query and the
//! body (rows that send what the spec does not declare say so with
//! `literal`).
//!
//! [`row`] is what a row is and how it is sent and judged; [`rows`] holds
//! the rows by area; [`routes`] runs them (and the requests that name no
//! route); [`fields`] checks that refusals name what was wrong.

#[path = "../common/mod.rs"]
mod common;

mod fields;
mod routes;
mod row;
mod rows;

/// `x-user-type=user`: the agent writes (send chat, SMS).
const AS_USER: &str = "x-user-type=user";
const INVALID: &str = "ERROR_INVALID_INPUT";
const NOT_FOUND: &str = "ERROR_RECORD_NOT_FOUND";

/// A complete SMS to contact 597760's thread 1710.
const SMS_BODY: &str = r#"{"From": "+15005550006", "To": "+14155550123", "Body": "Hi", "contactId": 597760, "threadId": 1710, "timelineId": 5120}"#;
