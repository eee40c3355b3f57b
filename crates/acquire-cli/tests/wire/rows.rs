//! The table of commands: each one's arguments, the request it must send
//! and the example the server answers with.

use serde_json::json;

use crate::{common, Row};

/// Every command the table checks.
pub(crate) fn rows() -> Vec<Row> {
    vec![
        Row {
            args: vec![
                "cases",
                "get",
                "1684",
                "--select",
                "id,status",
                "--relations",
                "contact",
            ],
            operation: "get_case",
            path_params: &[("caseId", "1684")],
            query: &[("select", "id|status"), ("relations", "contact")],
            body: None,
            example: "withContact",
            printed_at: "/data",
        },
        Row {
            args: vec!["cases", "close", "1684", "--archive"],
            operation: "close_case",
            path_params: &[],
            query: &[],
            // `archive` in the close page's form: "yes", not a boolean.
            body: Some(json!({"caseId": 1684, "archive": "yes"})),
            example: "close",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "cases",
                "invite",
                "1684",
                "--agent",
                "12",
                "15",
                "--department",
                "3",
            ],
            operation: "invite_agent",
            path_params: &[],
            query: &[],
            body: Some(json!({"caseId": 1684, "agentIds": [12, 15], "department": [3]})),
            example: "invite",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "messages",
                "list",
                "--thread-id",
                "1683",
                "--contact-id",
                "597752",
            ],
            operation: "list_messages",
            path_params: &[],
            query: &[("threadId", "1683"), ("contactId", "597752")],
            body: None,
            example: "thread",
            printed_at: "/data",
        },
        Row {
            args: vec!["messages", "get", "7791"],
            operation: "get_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: None,
            example: "message",
            printed_at: "/data",
        },
        Row {
            args: vec!["messages", "send", "1684", "Hi! How can I help you today?"],
            operation: "send_chat_message",
            path_params: &[],
            // x-user-type is required, in the query: `user` by default.
            query: &[("x-user-type", "user")],
            body: Some(json!({
                "caseId": 1684,
                "message": {"message": "Hi! How can I help you today?", "type": "message"}
            })),
            example: "chat",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "messages",
                "update",
                "7791",
                "Hi! How may I help you today?",
            ],
            operation: "update_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: Some(json!({
                "message": {"message": "Hi! How may I help you today?", "type": "message"}
            })),
            example: "edit",
            printed_at: "/data",
        },
        Row {
            args: vec!["messages", "delete", "7791"],
            operation: "delete_message",
            path_params: &[("messageId", "7791")],
            query: &[],
            body: None,
            example: "deleted",
            printed_at: "/data",
        },
        Row {
            args: [
                common::EMAIL_FROM_SUPPORT,
                &[
                    "--to",
                    "customer@example.com",
                    "--bcc",
                    "archive@example.com",
                    "--subject",
                    "Re: Your order",
                    "--body",
                    "<p>Your order has shipped.</p>",
                ],
            ]
            .concat(),
            operation: "send_email_message",
            path_params: &[],
            query: &[],
            body: Some(json!({"data": {
                "caseId": 1702, "contactId": 597752, "to": ["customer@example.com"],
                "bcc": ["archive@example.com"], "from": "support@example.acquire.io",
                "subject": "Re: Your order", "htmlBody": "<p>Your order has shipped.</p>",
                "type": "message"
            }})),
            example: "email",
            printed_at: "/data",
        },
        Row {
            args: [
                &["messages", "sms", "Your order has shipped."],
                common::SMS_ROUTE,
            ]
            .concat(),
            operation: "send_sms",
            path_params: &[],
            query: &[("x-user-type", "user")],
            body: Some(json!({
                "From": "+15005550006", "To": "+14155550123", "Body": "Your order has shipped.",
                "contactId": 597760, "threadId": 1710, "timelineId": 5120
            })),
            example: "sms",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "list", "--contact-id", "597752", "--limit", "20"],
            operation: "list_notes",
            path_params: &[],
            query: &[("contact_id", "597752"), ("limit", "20")],
            body: None,
            example: "notes",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "get", "310"],
            operation: "get_note",
            path_params: &[("noteId", "310")],
            query: &[],
            body: None,
            example: "note",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "notes",
                "create",
                "--contact-id",
                "597752",
                "--title",
                "Refund request",
                "--description",
                "Order 311",
                "--message",
                "Customer asked for a refund; @Jane please follow up.",
                "--mention",
                "12",
            ],
            operation: "create_note",
            path_params: &[],
            query: &[("contactId", "597752")],
            // Mentions as strings of digits, as the reference's examples.
            body: Some(json!({
                "title": "Refund request", "description": "Order 311", "type": "note",
                "message": "Customer asked for a refund; @Jane please follow up.",
                "mentionUsers": ["12"]
            })),
            example: "note",
            printed_at: "/data",
        },
        Row {
            args: [common::NOTE_REPLY, &["--reply-to", "902", "--mention", "1"]].concat(),
            operation: "add_note_message",
            path_params: &[],
            query: &[],
            body: Some(json!({
                "note_id": 310, "contact_id": 597752, "type": "message",
                "message": "Refund issued.", "parent_id": 902, "mentionUsers": ["1"]
            })),
            example: "reply",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "messages", "310"],
            operation: "list_note_messages",
            path_params: &[],
            query: &[("noteId", "310")],
            body: None,
            example: "messages",
            printed_at: "/data",
        },
        Row {
            args: vec!["notes", "delete", "310"],
            operation: "delete_note",
            path_params: &[("noteId", "310")],
            query: &[],
            body: None,
            example: "deleted",
            printed_at: "/data",
        },
        Row {
            args: vec![
                "snooze",
                "create",
                "--case-id",
                "1684",
                "--contact-id",
                "597752",
                "--at",
                "2021-03-25 09:00",
                "--message",
                "Check the refund went through",
                "--remind",
                "12",
            ],
            operation: "create_snooze",
            path_params: &[],
            query: &[],
            body: Some(json!({
                "objectType": "case", "objectId": 1684, "caseId": 1684, "contactId": 597752,
                "scheduleDate": "2021-03-25 09:00:00", "message": "Check the refund went through",
                "users": [12]
            })),
            example: "snooze",
            printed_at: "/data/data",
        },
        Row {
            args: vec!["snooze", "delete", "77"],
            operation: "delete_snooze",
            path_params: &[("snoozeId", "77")],
            query: &[],
            body: None,
            example: "deleted",
            printed_at: "/data",
        },
    ]
}
