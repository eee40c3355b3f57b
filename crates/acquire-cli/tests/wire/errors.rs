//! How a command prints an error answer: its status, and its message or
//! its body.

use wiremock::ResponseTemplate;

use crate::{common::Wire, exact};

#[test]
fn an_error_without_a_type_still_prints_status_and_body() {
    let wire = Wire::start();
    wire.mount(
        exact("delete_snooze", &[("snoozeId", "77")], &[], None)
            .respond_with(ResponseTemplate::new(500).set_body_string("upstream\nexploded")),
    );
    let run = wire.acquire(&["snooze", "delete", "77"]);
    let line = run.failed(1);
    assert!(line.starts_with("error: 500"), "{line}");
    assert!(line.contains(r#""upstream\nexploded""#), "{line}");
}

#[test]
fn a_404_prints_status_and_message() {
    let wire = Wire::start();
    let body = acquire_tests::response_example("get_note", "404", "notFound");
    wire.mount(
        exact("get_note", &[("noteId", "999")], &[], None)
            .respond_with(ResponseTemplate::new(404).set_body_json(body)),
    );
    let run = wire.acquire(&["notes", "get", "999"]);
    assert_eq!(run.failed(1), "error: 404: Not found");
}
