//! The rows of the messages' methods: list, get, delete, send as the agent
//! or the contact, update, and send by email and SMS.

use acquire::{
    Case, CaseId, Channel, ContactId, DeletedCount, EmailMessage, Message, MessageId,
    ParticipantType, SmsSent, ThreadId,
};
use serde_json::json;

use crate::{same, support, Body, Row};

pub(crate) fn rows() -> Vec<Row> {
    vec![
        Row {
            operation: "list_messages",
            variant: "",
            example: "thread",
            path_params: &[],
            query: &[
                ("contactId", "597752"),
                ("threadId", "1683"),
                ("x-user-type", "user"),
            ],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .list(ThreadId(1683), ContactId(597752))
                        .acting_as(ParticipantType::User)
                        .send()
                        .await;
                    same(got, support::data::<Vec<Case>>(&example))
                })
            },
        },
        Row {
            operation: "get_message",
            variant: "",
            example: "message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.messages().get(MessageId(7791)).await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "delete_message",
            variant: "",
            example: "deleted",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Body::None,
            call: |client, example| {
                Box::pin(async move {
                    let got = client.messages().delete(MessageId(7791)).await;
                    let want: DeletedCount = support::data(&example);
                    if want.deleted != Some(1) {
                        return Err(format!("the example changed: {want:?}"));
                    }
                    same(got, want)
                })
            },
        },
        Row {
            operation: "send_chat_message",
            variant: "as the agent",
            example: "chat",
            path_params: &[],
            query: &[("contactId", "597752"), ("x-user-type", "user")],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .send_chat(CaseId(1684), "Hi! How can I help you today?")
                        .channel(Channel::Chat)
                        .contact(ContactId(597752))
                        .translate_to("")
                        .send()
                        .await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "send_chat_message",
            variant: "as the contact",
            example: "chat",
            path_params: &[],
            query: &[("contactId", "597752"), ("x-user-type", "contact")],
            body: Body::Json(json!({
                "caseId": 1684,
                "message": {"type": "message", "message": "Where is my order?"}
            })),
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .send_chat(CaseId(1684), "Where is my order?")
                        .as_contact()
                        .contact(ContactId(597752))
                        .send()
                        .await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "update_message",
            variant: "",
            example: "edit",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .update(MessageId(7791), "Hi! How may I help you today?")
                        .translate_to("")
                        .send()
                        .await;
                    same(got, support::data::<Message>(&example))
                })
            },
        },
        Row {
            operation: "send_email_message",
            variant: "",
            example: "email",
            path_params: &[],
            query: &[],
            body: Body::Json(json!({"data": {
                "caseId": 1702,
                "contactId": 597752,
                "to": ["customer@example.com"],
                "from": "support@example.acquire.io",
                "bcc": ["archive@example.com"],
                "subject": "Re: Your order",
                "htmlBody": "<p>Your order has shipped.</p>",
                "type": "message"
            }})),
            call: |client, example| {
                Box::pin(async move {
                    let got = support::documented_email(client)
                        .bcc("archive@example.com")
                        .send()
                        .await;
                    same(got, support::data::<EmailMessage>(&example))
                })
            },
        },
        Row {
            operation: "send_sms",
            variant: "",
            example: "sms",
            path_params: &[],
            query: &[("x-user-type", "user")],
            body: Body::Documented,
            call: |client, example| {
                Box::pin(async move {
                    let got = client
                        .messages()
                        .send_sms(support::sms_route(), "Your order has shipped.")
                        .acting_as(ParticipantType::User)
                        .send()
                        .await;
                    same(got, support::data::<SmsSent>(&example))
                })
            },
        },
    ]
}
