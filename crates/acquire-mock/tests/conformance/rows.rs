//! The rows of [`routes`](crate::routes), by area, in the order they run:
//! later rows see what earlier ones wrote (a case rejected, a message
//! deleted, a note created).

mod cases;
mod messages;
mod notes;

use crate::row::{row, Auth, Row};
use crate::AS_USER;

/// Rows run in order against one seeded server.
pub fn all() -> Vec<Row> {
    let mut all = cases::rows();
    all.extend(messages::rows());
    all.extend(notes::rows());
    all.extend([
        // The key in the query is send SMS's alone.
        row("get case, the key in the query", "get_case", 401)
            .at(1684)
            .auth(Auth::Query)
            .error("ERROR_UNAUTHORIZED"),
        row("send chat, the key in the query", "send_chat_message", 401)
            .query(AS_USER)
            .body(r#"{"caseId": 1684, "message": {"type": "message", "message": "Hi"}}"#)
            .auth(Auth::Query)
            .error("ERROR_UNAUTHORIZED"),
        // Last: closes case 1684, which the rows above write to.
        row(
            "close 1684, documented body (archive yes)",
            "close_case",
            200,
        )
        .body(include_str!(
            "../../../../openapi/examples/authored/close-case.request.json"
        )),
    ]);
    all
}
