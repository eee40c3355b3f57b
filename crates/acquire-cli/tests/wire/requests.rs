//! What a request carries beyond the table's rows: the user type as a
//! query parameter, and no optional member the command was not given.

use serde_json::json;

use crate::{
    common::{self, Wire},
    documented_once, run,
};

#[test]
fn as_contact_sets_the_user_type_query_parameter() {
    let wire = Wire::start();
    // The contact goes in the query, beside x-user-type; not in the body.
    wire.mount(documented_once(
        "send_chat_message",
        &[("x-user-type", "contact"), ("contactId", "597752")],
        Some(&json!({"caseId": 1684, "message": {"message": "Hello", "type": "message"}})),
        "chat",
    ));
    let printed = run(
        &wire,
        &[
            "messages",
            "send",
            "1684",
            "Hello",
            "--as-contact",
            "--contact-id",
            "597752",
            "--output",
            "json",
        ],
    )
    .json();
    assert_eq!(printed["senderType"], "user", "printed as answered");
    wire.mount(documented_once(
        "list_messages",
        &[
            ("threadId", "1683"),
            ("contactId", "597752"),
            ("x-user-type", "contact"),
        ],
        None,
        "thread",
    ));
    let args = [
        "messages",
        "list",
        "--thread-id",
        "1683",
        "--contact-id",
        "597752",
        "--as-contact",
    ];
    run(&wire, &args);
    wire.mount(documented_once(
        "send_sms",
        &[("x-user-type", "contact")],
        Some(&json!({
            "From": "+15005550006", "To": "+14155550123", "Body": "Hi",
            "contactId": 597760, "threadId": 1710, "timelineId": 5120
        })),
        "sms",
    ));
    let sms = [
        &["messages", "sms", "Hi"],
        common::SMS_ROUTE,
        &["--as-contact"],
    ]
    .concat();
    run(&wire, &sms);
    wire.verify();
}

#[test]
fn optional_members_are_left_out() {
    let wire = Wire::start();
    // An email without subject or body: only what the reference requires.
    wire.mount(documented_once(
        "send_email_message",
        &[],
        Some(&json!({"data": {
            "caseId": 1702, "contactId": 597752, "from": "support@example.acquire.io",
            "to": ["customer@example.com", "billing@example.com"], "type": "message"
        }})),
        "email",
    ));
    let to = ["--to", "customer@example.com,billing@example.com"];
    run(&wire, &[common::EMAIL_FROM_SUPPORT, &to].concat());
    // A note without a title: the contact and the type only.
    wire.mount(documented_once(
        "create_note",
        &[("contactId", "597752")],
        Some(&json!({"type": "note"})),
        "note",
    ));
    run(&wire, &["notes", "create", "--contact-id", "597752"]);
    // A note message with only what the reference requires.
    wire.mount(documented_once(
        "add_note_message",
        &[],
        Some(&json!({
            "note_id": 310, "contact_id": 597752, "type": "message", "message": "Done."
        })),
        "reply",
    ));
    run(
        &wire,
        &[
            "notes",
            "add-message",
            "310",
            "Done.",
            "--contact-id",
            "597752",
        ],
    );
    wire.verify();
}
