//! Operations: one call each through the public API.

use std::{future::Future, pin::Pin};

use acquire::{
    chrono::NaiveDate, CaseId, Client, ContactId, Error, MessageId, NoteId, SnoozeId, ThreadId,
    UserId,
};

use crate::support;

/// A call of one operation, on its own client.
pub type Call = fn(Client) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// One operation of the spec and a call of it.
pub struct Op {
    /// The `operationId`.
    pub id: &'static str,
    /// Calls it once through the public API, with valid input.
    pub call: Call,
}

fn at(y: i32, m: u32, d: u32) -> acquire::chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default()
}

/// One call per operation of the spec.
pub fn operations() -> Vec<Op> {
    vec![
        Op {
            id: "create_case",
            call: |c| {
                Box::pin(async move {
                    c.cases()
                        .create(ContactId(597752))
                        .title("Billing question")
                        .message("My invoice is wrong")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "reject_case",
            call: |c| {
                Box::pin(async move { c.cases().reject(CaseId(1681)).send().await.map(drop) })
            },
        },
        Op {
            id: "join_case",
            call: |c| Box::pin(async move { c.cases().join(CaseId(1684)).send().await.map(drop) }),
        },
        Op {
            id: "close_case",
            call: |c| Box::pin(async move { c.cases().close(CaseId(1684)).send().await.map(drop) }),
        },
        Op {
            id: "invite_agent",
            call: |c| {
                Box::pin(async move {
                    c.cases()
                        .invite(CaseId(1684))
                        .agents([UserId(12)])
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "list_cases",
            call: |c| Box::pin(async move { c.cases().list().limit(5).send().await.map(drop) }),
        },
        Op {
            id: "get_case",
            call: |c| Box::pin(async move { c.cases().get(CaseId(1684)).send().await.map(drop) }),
        },
        Op {
            id: "list_messages",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .list(ThreadId(1683), ContactId(597752))
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "get_message",
            call: |c| Box::pin(async move { c.messages().get(MessageId(7783)).await.map(drop) }),
        },
        Op {
            id: "delete_message",
            call: |c| Box::pin(async move { c.messages().delete(MessageId(7783)).await.map(drop) }),
        },
        Op {
            id: "send_chat_message",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .send_chat(CaseId(1684), "How can I help?")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "update_message",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .update(MessageId(7783), "How may I help?")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "send_email_message",
            call: |c| Box::pin(async move { support::documented_email(&c).send().await.map(drop) }),
        },
        Op {
            id: "send_sms",
            call: |c| {
                Box::pin(async move {
                    c.messages()
                        .send_sms(support::sms_route(), "Your order has shipped.")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "list_notes",
            call: |c| {
                Box::pin(async move { c.notes().list(ContactId(597752)).send().await.map(drop) })
            },
        },
        Op {
            id: "get_note",
            call: |c| Box::pin(async move { c.notes().get(NoteId(310)).await.map(drop) }),
        },
        Op {
            id: "create_note",
            call: |c| {
                Box::pin(async move {
                    c.notes()
                        .create(ContactId(597752))
                        .title("Refund request")
                        .message("Customer asked for a refund.")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "add_note_message",
            call: |c| {
                Box::pin(async move {
                    c.notes()
                        .add_message(NoteId(310), ContactId(597752), "Refund issued.")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "list_note_messages",
            call: |c| Box::pin(async move { c.notes().messages(NoteId(310)).await.map(drop) }),
        },
        Op {
            id: "delete_note",
            call: |c| Box::pin(async move { c.notes().delete(NoteId(310)).await.map(drop) }),
        },
        Op {
            id: "create_snooze",
            call: |c| {
                Box::pin(async move {
                    c.snoozes()
                        .snooze_case(CaseId(1684), at(2030, 1, 2))
                        .contact(ContactId(597752))
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Op {
            id: "delete_snooze",
            call: |c| Box::pin(async move { c.snoozes().delete(SnoozeId(77)).await.map(drop) }),
        },
    ]
}
