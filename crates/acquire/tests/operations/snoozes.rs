//! The rows of the snoozes' methods: snooze a case or a contact, delete.

use acquire::{types, CaseId, ContactId, Outcome, Snooze, SnoozeId, UserId};
use serde_json::{json, Value};

use crate::{at, same, support, Body, Row};

/// The snooze of the documented answer `example`.
fn documented_snooze(example: &Value) -> Result<Snooze, String> {
    let created: types::SnoozeCreated = support::data(example);
    created
        .data
        .ok_or_else(|| "the example has no snooze".to_owned())
}

pub(crate) fn rows() -> Vec<Row> {
    vec![
        Row {
            operation: "create_snooze",
            variant: "a case",
            example: "snooze",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .snoozes()
                        .snooze_case(CaseId(1684), at((2021, 3, 25), (9, 0, 0)))
                        .contact(ContactId(597752))
                        .message("Check the refund went through")
                        .remind([UserId(12)])
                        .send()
                        .await;
                    same(got, documented_snooze(&example)?)
                })
            },
        },
        Row {
            operation: "create_snooze",
            variant: "a contact",
            example: "snooze",
            path_params: &[],
            query: &[],
            body: Body::Json(json!({
                "objectType": "contact",
                "contactId": 597752,
                "objectId": 597752,
                "scheduleDate": "2021-12-31 23:59:59"
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .snoozes()
                        .snooze_contact(ContactId(597752), at((2021, 12, 31), (23, 59, 59)))
                        .send()
                        .await;
                    same(got, documented_snooze(&example)?)
                })
            },
        },
        Row {
            operation: "delete_snooze",
            variant: "",
            example: "deleted",
            path_params: &[("snoozeId", "77")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.snoozes().delete(SnoozeId(77)).await;
                    same(got, support::data::<Outcome>(&example))
                })
            },
        },
    ]
}
