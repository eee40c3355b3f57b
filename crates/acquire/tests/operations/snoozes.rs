//! The rows of the snoozes' methods: snooze a case or a contact, delete.

use acquire::{
    chrono::NaiveDate, types, CaseId, ContactId, Error, Outcome, Snooze, SnoozeId, UserId,
};
use serde_json::json;

use crate::{same, support, Body, Row};

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
                    let at = NaiveDate::from_ymd_opt(2021, 3, 25)
                        .and_then(|d| d.and_hms_opt(9, 0, 0))
                        .ok_or("bad date")?;
                    let got = client
                        .snoozes()
                        .snooze_case(CaseId(1684), at)
                        .contact(ContactId(597752))
                        .message("Check the refund went through")
                        .remind([UserId(12)])
                        .send()
                        .await;
                    let created: types::SnoozeCreated = support::data(&example);
                    same(got, created.data.ok_or("the example has no snooze")?)
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
                    let at = NaiveDate::from_ymd_opt(2021, 12, 31)
                        .and_then(|d| d.and_hms_opt(23, 59, 59))
                        .ok_or("bad date")?;
                    let got: Result<Snooze, Error> = client
                        .snoozes()
                        .snooze_contact(ContactId(597752), at)
                        .send()
                        .await;
                    let created: types::SnoozeCreated = support::data(&example);
                    same(got, created.data.ok_or("the example has no snooze")?)
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
