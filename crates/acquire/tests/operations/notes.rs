//! The rows of the notes' methods: list, get, create, reply, list the
//! replies, delete.

use acquire::{types, ContactId, Note, NoteId, NoteMessage, NoteMessageId, Outcome, UserId};

use crate::{parts, same, support, Body, Row};

pub(crate) fn rows() -> Vec<Row> {
    vec![
        Row {
            operation: "list_notes",
            variant: "",
            example: "notes",
            path_params: &[],
            query: &[("contact_id", "597752"), ("limit", "10"), ("page", "0")],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .notes()
                        .list(ContactId(597752))
                        .page(0)
                        .limit(10)
                        .send()
                        .await
                        .map(parts);
                    let page: types::NotePage = support::data(&example);
                    same(got, (true, 0, Some(0), Some(10), Some(1), page.rows))
                })
            },
        },
        Row {
            operation: "get_note",
            variant: "",
            example: "note",
            path_params: &[("noteId", "310")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.notes().get(NoteId(310)).await;
                    same(got, support::data::<Note>(&example))
                })
            },
        },
        Row {
            operation: "create_note",
            variant: "",
            example: "note",
            path_params: &[],
            query: &[("contactId", "597752")],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .notes()
                        .create(ContactId(597752))
                        .title("Refund request")
                        .description("Order 311")
                        .message("Customer asked for a refund; @Jane please follow up.")
                        .mention([UserId(12)])
                        .send()
                        .await;
                    same(got, support::data::<Note>(&example))
                })
            },
        },
        Row {
            operation: "add_note_message",
            variant: "",
            example: "reply",
            path_params: &[],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .notes()
                        .add_message(NoteId(310), ContactId(597752), "Refund issued.")
                        .reply_to(NoteMessageId(902))
                        .mention([UserId(1)])
                        .send()
                        .await;
                    same(got, support::data::<NoteMessage>(&example))
                })
            },
        },
        Row {
            operation: "list_note_messages",
            variant: "",
            example: "messages",
            path_params: &[],
            query: &[("noteId", "310")],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.notes().messages(NoteId(310)).await;
                    let page: types::NoteMessagePage = support::data(&example);
                    same(got, page.rows)
                })
            },
        },
        Row {
            operation: "delete_note",
            variant: "",
            example: "deleted",
            path_params: &[("noteId", "310")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.notes().delete(NoteId(310)).await;
                    same(got, support::data::<Outcome>(&example))
                })
            },
        },
    ]
}
