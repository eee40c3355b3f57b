//! Snoozes: reminders on a case or a contact for some agents.

use chrono::{DateTime, NaiveDateTime};
use serde_json::{json, Map, Value};

use super::{agents_of, existing, existing_case, known_contact, string_field, Ctx};
use crate::{
    error::ApiError,
    input::Input,
    store::{self, Row, Store},
};

/// The format of a snooze's `scheduleDate`.
const SCHEDULE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `scheduleDate` as Acquire stores it, `YYYY-MM-DD HH:MM:SS`. Every form
/// the spec's pattern admits is read: the documented
/// `YYYY-MM-DD HH:MM:SS`, or with `T`, a fraction of a second and a zone
/// (`Z`, `+01:00`, `+0100`), as the reference's RFC 3339 example
/// (`2021-03-25T09:00:00.000Z`). A time with a zone is converted to UTC;
/// one without is kept as written; the fraction is dropped.
fn schedule_date(raw: &str) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::invalid(format!(
            "scheduleDate: `{raw}` is not a time as `YYYY-MM-DD HH:MM:SS` or RFC 3339"
        ))
    };
    // The date is ASCII digits and dashes: byte 10 is the separator.
    let (date, rest) = match (raw.get(..10), raw.get(11..)) {
        (Some(date), Some(rest)) if matches!(raw.as_bytes()[10], b' ' | b'T') => (date, rest),
        _ => return Err(invalid()),
    };
    let (time, zone) = match rest.find(['Z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let local = NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M:%S%.f")
        .map_err(|_| invalid())?;
    let at = match zone {
        "" | "Z" => local,
        zone => {
            let offset = DateTime::parse_from_str(
                &format!("2000-01-01 00:00:00 {zone}"),
                "%Y-%m-%d %H:%M:%S %z",
            )
            .map_err(|_| invalid())?
            .offset()
            .local_minus_utc();
            local
                .checked_sub_signed(chrono::Duration::seconds(i64::from(offset)))
                .ok_or_else(invalid)?
        }
    };
    Ok(at.format(SCHEDULE_FORMAT).to_string())
}

/// A snooze as returned: `users` as `[{"<id>": {id, email, name}}]`.
pub(crate) fn render_snooze(store: &Store, row: &Row) -> Value {
    let mut out = row.clone();
    let users: Vec<Value> = row
        .get("users")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .map(|id| {
            let profile = store.agents.get(&id).cloned().unwrap_or(Value::Null);
            let text = |name: &str| profile.get(name).cloned().unwrap_or(json!(""));
            let mut entry = Map::new();
            entry.insert(
                id.to_string(),
                json!({"id": id, "email": text("email"), "name": text("name")}),
            );
            Value::Object(entry)
        })
        .collect();
    out.insert("users".into(), Value::Array(users));
    Value::Object(out)
}

/// Snooze a case (`objectType` `case`: `caseId`, or `objectId`) or a
/// contact (`contact`: `contactId`, or `objectId`, or the contact of
/// `caseId`) for `users` (default: the agent). `caseId` and `contactId` may
/// be `null`, but one of them must hold an id (the spec's
/// `x-required-one-of`); those given must agree with each other and with
/// `objectId`.
pub(super) fn create_snooze(
    store: &mut Store,
    ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let object_type = input
        .field("objectType")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid("objectType is required"))?
        .to_owned();
    let case_id = input.int_field("caseId")?;
    let contact_id = input.int_field("contactId")?;
    let object_id = input.int_field("objectId")?;
    if case_id.is_none() && contact_id.is_none() {
        return Err(ApiError::invalid(
            "caseId or contactId: give at least one of them (not null)",
        ));
    }
    let disagree = |name: &str, given: Option<i64>| match (given, object_id) {
        (Some(given), Some(object)) if given != object => Err(ApiError::invalid(format!(
            "objectId: {object} is not {name} {given}"
        ))),
        _ => Ok(()),
    };
    // The case, when one is named, and its contact.
    let case = match case_id {
        Some(case) => Some(existing_case(store, "caseId", Some(case))?),
        None => None,
    };
    let (object, contact) = match object_type.as_str() {
        "case" => {
            disagree("caseId", case_id)?;
            let case = match case {
                Some(case) => case,
                None => {
                    let Some(object) = object_id else {
                        return Err(ApiError::invalid(
                            "caseId is required to snooze a case (objectType `case`)",
                        ));
                    };
                    existing_case(store, "objectId", Some(object))?
                }
            };
            (case, store.contact_of(case))
        }
        "contact" => {
            disagree("contactId", contact_id)?;
            let field = if contact_id.is_some() {
                "contactId"
            } else if object_id.is_some() {
                "objectId"
            } else {
                "caseId"
            };
            let named = contact_id
                .or(object_id)
                .or_else(|| case.and_then(|c| store.contact_of(c)));
            let contact = known_contact(store, field, named)?;
            (contact, Some(contact))
        }
        other => {
            return Err(ApiError::invalid(format!(
                "objectType: `{other}` is neither `case` nor `contact`"
            )))
        }
    };
    if let (Some(case), Some(given)) = (case, contact_id) {
        if store.contact_of(case) != Some(given) {
            return Err(ApiError::invalid(format!(
                "contactId: {given} is not the contact of case {case}"
            )));
        }
    }
    let schedule = schedule_date(
        input
            .field("scheduleDate")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::invalid("scheduleDate is required"))?,
    )?;
    let mut users = agents_of(store, input, "users")?;
    if users.is_empty() {
        users.push(ctx.agent_id);
    }
    let id = Store::fresh_id(&store.snoozes, 78);
    let row = store::row([
        ("id", json!(id)),
        ("objectType", json!(object_type)),
        ("contactId", contact.map_or(Value::Null, |c| json!(c))),
        ("scheduleDate", json!(schedule)),
        ("objectId", json!(object)),
        ("userId", json!(ctx.agent_id)),
        (
            "message",
            string_field(input, "message").unwrap_or(json!("")),
        ),
        ("users", json!(users)),
    ]);
    store.snoozes.insert(id, row.clone());
    Ok(json!({
        "success": true,
        "message": "Snooze created successfully.",
        "data": render_snooze(store, &row),
    }))
}

/// Delete a snooze.
pub(super) fn delete_snooze(
    store: &mut Store,
    _ctx: &Ctx,
    input: &Input,
) -> Result<Value, ApiError> {
    let id = existing(&store.snoozes, "snoozeId", "snooze", input.int("snoozeId"))?;
    store.snoozes.remove(&id);
    Ok(json!({"success": true, "message": "Snooze deleted successfully."}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_schedule_form_the_pattern_admits() {
        for (raw, want) in [
            ("2021-03-25 09:00:00", "2021-03-25 09:00:00"),
            ("2021-03-25T09:00:00.000Z", "2021-03-25 09:00:00"),
            ("2021-03-25T09:00:00Z", "2021-03-25 09:00:00"),
            ("2021-03-25T09:00:00", "2021-03-25 09:00:00"),
            ("2021-03-25 09:00:00.5", "2021-03-25 09:00:00"),
            ("2021-03-25T10:00:00+01:00", "2021-03-25 09:00:00"),
            ("2021-03-25T10:30:00.123+0130", "2021-03-25 09:00:00"),
            ("2021-03-25T00:30:00-01:00", "2021-03-25 01:30:00"),
            ("2021-03-25T23:30:00-01:00", "2021-03-26 00:30:00"),
        ] {
            assert_eq!(
                schedule_date(raw).map_err(|e| e.message).as_deref(),
                Ok(want),
                "{raw}"
            );
        }
        for raw in [
            "tomorrow",
            "2021-03-25",
            "2021-03-25X09:00:00",
            "2021-02-30 09:00:00",
            "2021-03-25 25:00:00",
            "2021-03-25T09:00:00+99:99",
            "2021-03-25T09:00:00Zulu",
            "2021-03-25 09:00:00 ",
            "éééééééééééééé",
        ] {
            let error = schedule_date(raw).expect_err(raw);
            assert!(error.message.starts_with("scheduleDate:"), "{raw}");
        }
    }

    /// The spec's `scheduleDate` pattern and the fake's reading agree: what
    /// the pattern admits is read, what it refuses would be refused, except
    /// a day its month does not have (the operation's description says so).
    #[test]
    fn the_spec_pattern_admits_what_the_fake_reads() {
        let spec = acquire_spec::Spec::embedded();
        let schema = spec
            .document()
            .pointer("/components/schemas/CreateSnoozeRequest/properties/scheduleDate")
            .expect("scheduleDate in the spec");
        let validator = spec
            .validator(schema, acquire_spec::Strictness::AsDeclared)
            .expect("validator");
        let admitted = |raw: &str| validator.is_valid(&json!(raw));
        for raw in [
            "2021-03-25 09:00:00",
            "2021-03-25T09:00:00.000Z",
            "2021-12-31 23:59:59",
            "2021-01-01T00:00:00+23:59",
            "2021-01-01T00:00:00-0000",
            "2016-12-31 23:59:60",
        ] {
            assert!(admitted(raw), "the pattern refuses {raw}");
            assert!(schedule_date(raw).is_ok(), "the fake refuses {raw}");
        }
        for raw in [
            "2021-13-01 09:00:00",
            "2021-00-10 09:00:00",
            "2021-03-32 09:00:00",
            "2021-03-00 09:00:00",
            "2021-03-25 24:00:00",
            "2021-03-25 09:60:00",
            "2021-03-25 09:00:61",
            "2021-03-25T09:00:00+24:00",
            "2021-03-25T09:00:00+01:60",
        ] {
            assert!(!admitted(raw), "the pattern admits {raw}");
            assert!(schedule_date(raw).is_err(), "the fake reads {raw}");
        }
        assert!(admitted("2021-02-30 09:00:00"));
        assert!(schedule_date("2021-02-30 09:00:00").is_err());
    }
}
