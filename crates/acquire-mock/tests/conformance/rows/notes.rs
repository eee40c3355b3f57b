//! Rows of notes (with their messages) and snoozes.

use crate::row::{row, Auth, Row};
use crate::{INVALID, NOT_FOUND};

/// The rows, in the order they run.
pub(super) fn rows() -> Vec<Row> {
    vec![
        // notes
        row("notes of 597752", "list_notes", 200).query("contact_id=597752"),
        row("notes, page past the end", "list_notes", 200).query("contact_id=597752&page=9&limit=5"),
        row("notes, contact_id missing", "list_notes", 400).error(INVALID),
        row("notes, unknown contact", "list_notes", 400).query("contact_id=3")
        .error(NOT_FOUND),
        row("get note 310", "get_note", 200).at(310),
        row("get note, unknown", "get_note", 400).at(3).error(NOT_FOUND),
        row("get note, not a number", "get_note", 400).at("x")
            .error(INVALID),
        row("create note, documented body", "create_note", 200).query("contactId=597752").body(include_str!(
                "../../../../../openapi/examples/authored/create-note.request.json"
            )),
        row("create note, integer mentions (documented)", "create_note", 200).query("contactId=597760").body(include_str!(
                "../../../../../openapi/examples/authored/create-note-integer-mentions.request.json"
            )),
        row("create note, type only", "create_note", 200).query("contactId=597760").body(r#"{"type": "note"}"#),
        row("create note, type missing", "create_note", 400).query("contactId=597752").body(r#"{"title": "x", "message": "x"}"#)
        .error(INVALID),
        row("create note, unknown contact", "create_note", 400).query("contactId=2").body(r#"{"type": "note", "title": "x"}"#)
        .error(NOT_FOUND),
        row("create note, unknown mention", "create_note", 400).query("contactId=597752").body(r#"{"type": "note", "title": "x", "mentionUsers": ["999"]}"#)
        .error(NOT_FOUND),
        row("create note, a mention not an id", "create_note", 400).query("contactId=597752").body(r#"{"type": "note", "mentionUsers": ["Jane"]}"#)
        .error(INVALID),
        row("note message, documented body", "add_note_message", 200).body(include_str!(
                "../../../../../openapi/examples/authored/add-note-message.request.json"
            )),
        row("note message, no text (optional)", "add_note_message", 200).body(r#"{"type": "message", "note_id": 310, "contact_id": 597752, "mentionUsers": [12, "1"]}"#),
        row("note message, unknown note", "add_note_message", 400).body(r#"{"type": "message", "note_id": 4, "contact_id": 597752, "message": "x"}"#)
        .error(NOT_FOUND),
        row("note message, parent of another note", "add_note_message", 400).body(r#"{"type": "message", "note_id": 310, "contact_id": 597752, "message": "x", "parent_id": 7}"#)
        .error(NOT_FOUND),
        row("note message, another contact", "add_note_message", 400).body(r#"{"type": "message", "note_id": 310, "contact_id": 597760, "message": "x"}"#)
        .error(INVALID),
        row("note message, camelCase noteId", "add_note_message", 400).body(r#"{"type": "message", "noteId": 310, "contact_id": 597752, "message": "x"}"#)
        .error(INVALID),
        row("messages of note 310", "list_note_messages", 200).query("noteId=310"),
        row("note messages, unknown note", "list_note_messages", 400).query("noteId=4")
        .error(NOT_FOUND),
        row("note messages, noteId missing", "list_note_messages", 400)
        .error(INVALID),
        row("delete note 311", "delete_note", 200).at(311),
        row("delete note 311 again", "delete_note", 400).at(311)
            .error(NOT_FOUND),
        row("create is not a note id", "delete_note", 405).literal("DELETE", "/crm/note/create"),
        // snoozes
        row("snooze, documented body", "create_snooze", 200).body(include_str!(
                "../../../../../openapi/examples/authored/create-snooze.request.json"
            )),
        row("snooze a contact, null caseId and RFC 3339 time (documented)", "create_snooze", 200).body(include_str!(
                "../../../../../openapi/examples/authored/create-snooze-contact.request.json"
            )),
        row("snooze a contact through its case", "create_snooze", 200).body(r#"{"objectType": "contact", "caseId": 1684, "contactId": null, "scheduleDate": "2021-03-25T10:00:00+01:00"}"#),
        row("snooze, users as strings of digits", "create_snooze", 200).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": ["12", 1]}"#),
        row("snooze, a user not an id", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-03-25 09:00:00", "users": [{"id": 12}]}"#)
        .error(INVALID),
        row("snooze, neither caseId nor contactId", "create_snooze", 400).body(r#"{"objectType": "contact", "objectId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, both null", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": null, "contactId": null, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze a case with only its contact", "create_snooze", 400).body(r#"{"objectType": "case", "contactId": 597752, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, case of another contact", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "contactId": 597760, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, bad time", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "tomorrow"}"#)
        .error(INVALID),
        row("snooze, impossible date", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684, "scheduleDate": "2021-02-30 09:00:00"}"#)
        .error(INVALID),
        row("snooze, unknown object type", "create_snooze", 400).body(r#"{"objectType": "note", "caseId": 1684, "objectId": 310, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(INVALID),
        row("snooze, unknown case", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 3, "scheduleDate": "2021-03-25 09:00:00"}"#)
        .error(NOT_FOUND),
        row("snooze, scheduleDate missing", "create_snooze", 400).body(r#"{"objectType": "case", "caseId": 1684}"#)
        .error(INVALID),
        row("delete snooze 77", "delete_snooze", 200).at(77),
        row("delete snooze 77 again", "delete_snooze", 400).at(77)
            .error(NOT_FOUND),
        row("delete snooze, not a number", "delete_snooze", 400).at("soon")
        .error(INVALID),
        row("delete snooze, no key", "delete_snooze", 401).at(78)
        .auth(Auth::Missing)
        .error("ERROR_UNAUTHORIZED"),
    ]
}
