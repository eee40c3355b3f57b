//! Each result the command prints: its JSON, and the columns of its records
//! (defined once here, for the table and the CSV alike).

use std::collections::BTreeMap;

use acquire::{
    AgentInvite, Case, CaseClosure, ClosedCase, DeletedCount, EmailMessage, Message, Note,
    NoteMessage, Outcome, Page, SmsSent, Snooze, UserId,
};
use serde_json::{json, Map, Value};

use crate::{
    output::Render,
    sheet::{column, Cell, Column, Sheet},
    walk::{Layout, Walk},
};

/// `-` for a missing value, as tables write it.
fn text<T: std::fmt::Display>(value: Option<T>) -> String {
    Cell::of(value).table()
}

/// The columns of a case.
pub const CASE_COLUMNS: &[Column<Case>] = &[
    column("ID", "id", |c| Cell::of(Some(c.id))),
    column("STATUS", "status", |c| Cell::of(c.status.as_ref())),
    column("CHANNEL", "channel", |c| Cell::of(c.channel.as_ref())),
    column("CONTACT", "contactId", |c| {
        Cell::of(c.contact_id.or(c.contact.as_ref().map(|c| c.id)))
    }),
    column("THREAD", "threadId", |c| Cell::of(c.thread_id)),
    column("PARENT", "parentId", |c| Cell::of(c.parent_id)),
    column("TITLE", "title", |c| Cell::of(c.title.as_ref())),
];

/// `cases list --all`: one header, then rows in columns this wide (the
/// widths of typical values), printed as pages arrive.
pub const CASE_WALK: Walk<Case> = Walk {
    columns: CASE_COLUMNS,
    layout: Layout::Rows(&[6, 8, 7, 8, 6, 6]),
    things: "cases",
};

/// `type id status` of each participant.
fn participants(case: &Case) -> String {
    case.users
        .iter()
        .map(|user| {
            format!(
                "{} {} {}",
                text(user.kind.as_ref()),
                text(user.user_id),
                text(user.status.as_ref())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Render for Case {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(CASE_COLUMNS, [self])
    }

    fn footer(&self) -> String {
        if self.users.is_empty() {
            String::new()
        } else {
            format!("participants: {}\n", participants(self))
        }
    }
}

/// `page N, n of count <things>`.
fn page_line<T>(page: &Page<T>, things: &str) -> String {
    match page.count {
        Some(count) => format!("page {}, {} of {count} {things}\n", page.page, page.len()),
        None => format!("page {}, {} {things}\n", page.page, page.len()),
    }
}

impl Render for Page<Case> {
    /// The `data` of `list_cases`: page, offset, limit, count and the cases.
    fn json(&self) -> Result<Value, serde_json::Error> {
        Ok(json!({
            "page": self.page,
            "offset": self.offset,
            "limit": self.limit,
            "count": self.count,
            "data": serde_json::to_value(&self.items)?,
        }))
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(CASE_COLUMNS, &self.items)
    }

    fn footer(&self) -> String {
        page_line(self, "cases")
    }
}

/// The columns of a case in a thread's conversation (`messages list`).
const THREAD_COLUMNS: &[Column<Case>] = &[
    column("CASE", "id", |c| Cell::of(Some(c.id))),
    column("STATUS", "status", |c| Cell::of(c.status.as_ref())),
    column("PARENT", "parentId", |c| Cell::of(c.parent_id)),
    column("PARTICIPANTS", "participants", |c| {
        Cell::Text(participants(c))
    }),
    column("LAST MESSAGE", "lastMessage.message", |c| {
        Cell::of(c.last_message.as_ref().and_then(|m| m.message.as_ref()))
    }),
];

/// The cases of a thread, as `messages list` returns them.
impl Render for Vec<Case> {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(THREAD_COLUMNS, self)
    }
}

const MESSAGE_COLUMNS: &[Column<Message>] = &[
    column("ID", "id", |m| Cell::of(Some(m.id))),
    column("CASE", "caseId", |m| Cell::of(m.case_id)),
    column("FROM", "sender", |m| {
        Cell::Parts(vec![
            Cell::of(m.sender_type.as_ref()),
            Cell::of(m.sender_id),
        ])
    }),
    column("TYPE", "type", |m| Cell::of(m.kind.as_ref())),
    column("MESSAGE", "message", |m| Cell::of(m.message.as_ref())),
];

impl Render for Message {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(MESSAGE_COLUMNS, [self])
    }
}

const EMAIL_COLUMNS: &[Column<EmailMessage>] = &[
    column("ID", "id", |e| Cell::of(Some(e.id))),
    column("CASE", "caseId", |e| Cell::of(e.case_id)),
    column("TO", "to", |e| {
        let to: Vec<&str> = e.to.iter().filter_map(|a| a.email.as_deref()).collect();
        Cell::Text(to.join(", "))
    }),
    column("SUBJECT", "subject", |e| Cell::of(e.subject.as_ref())),
];

impl Render for EmailMessage {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(EMAIL_COLUMNS, [self])
    }
}

const SMS_COLUMNS: &[Column<SmsSent>] = &[
    column("SMS", "data.id", |s| {
        Cell::of(s.data.as_ref().map(|d| d.id))
    }),
    column("CASE", "caseId", |s| {
        Cell::of(
            s.cas
                .as_ref()
                .map(|c| c.id)
                .or(s.data.as_ref().and_then(|d| d.case_id)),
        )
    }),
    column("THREAD", "threadId", |s| Cell::of(s.thread_id)),
    column("TO", "data.to", |s| {
        Cell::of(s.data.as_ref().and_then(|d| d.to.as_ref()))
    }),
    column("MESSAGE", "data.message", |s| {
        Cell::of(s.data.as_ref().and_then(|d| d.message.as_ref()))
    }),
];

impl Render for SmsSent {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(SMS_COLUMNS, [self])
    }
}

/// The columns of a note.
pub const NOTE_COLUMNS: &[Column<Note>] = &[
    column("ID", "id", |n| Cell::of(Some(n.id))),
    column("TYPE", "type", |n| Cell::of(n.kind.as_ref())),
    column("CONTACT", "contactId", |n| Cell::of(n.contact_id.as_ref())),
    column("TITLE", "title", |n| Cell::of(n.title.as_ref())),
    column("LAST MESSAGE", "lastMessage.message", |n| {
        Cell::of(n.last_message.as_ref().and_then(|m| m.message.as_ref()))
    }),
];

/// `notes list --all`: a table per page, with its page line.
pub const NOTE_WALK: Walk<Note> = Walk {
    columns: NOTE_COLUMNS,
    layout: Layout::Pages,
    things: "notes",
};

impl Render for Note {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(NOTE_COLUMNS, [self])
    }
}

impl Render for Page<Note> {
    /// The `data` of `list_notes`: the count and the rows.
    fn json(&self) -> Result<Value, serde_json::Error> {
        Ok(json!({ "count": self.count, "rows": serde_json::to_value(&self.items)? }))
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(NOTE_COLUMNS, &self.items)
    }

    fn footer(&self) -> String {
        page_line(self, "notes")
    }
}

const NOTE_MESSAGE_COLUMNS: &[Column<NoteMessage>] = &[
    column("ID", "id", |m| Cell::of(Some(m.id))),
    column("NOTE", "noteId", |m| {
        Cell::of(m.note_id.or(m.note.as_ref().map(|n| n.id)))
    }),
    column("USER", "userId", |m| Cell::of(m.user_id)),
    column("TYPE", "type", |m| Cell::of(m.kind.as_ref())),
    column("MESSAGE", "message", |m| Cell::of(m.message.as_ref())),
];

impl Render for NoteMessage {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(NOTE_MESSAGE_COLUMNS, [self])
    }
}

/// The messages of a note.
impl Render for Vec<NoteMessage> {
    /// The `data` of `list_note_messages`: the rows.
    fn json(&self) -> Result<Value, serde_json::Error> {
        Ok(json!({ "rows": serde_json::to_value(self)? }))
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(NOTE_MESSAGE_COLUMNS, self)
    }
}

const SNOOZE_COLUMNS: &[Column<Snooze>] = &[
    column("ID", "id", |s| Cell::of(Some(s.id))),
    column("OBJECT", "object", |s| {
        Cell::Parts(vec![
            Cell::of(s.object_type.as_ref()),
            Cell::of(s.object_id),
        ])
    }),
    column("SCHEDULE", "scheduleDate", |s| {
        Cell::of(s.schedule_date.as_ref())
    }),
    column("REMIND", "remind", |s| {
        let reminded: Vec<String> = s
            .users
            .iter()
            .flat_map(|users| users.values())
            .map(|user| text(user.id))
            .collect();
        Cell::Text(reminded.join(", "))
    }),
    column("MESSAGE", "message", |s| Cell::of(s.message.as_ref())),
];

impl Render for Snooze {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(SNOOZE_COLUMNS, [self])
    }
}

const OUTCOME_COLUMNS: &[Column<Outcome>] = &[
    column("SUCCESS", "success", |o| Cell::flag(o.success)),
    column("MESSAGE", "message", |o| Cell::of(o.message.as_ref())),
];

impl Render for Outcome {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(OUTCOME_COLUMNS, [self])
    }
}

const DELETED_COLUMNS: &[Column<DeletedCount>] =
    &[column("DELETED", "deleted", |d| Cell::of(d.deleted))];

impl Render for DeletedCount {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(DELETED_COLUMNS, [self])
    }
}

const CLOSED_COLUMNS: &[Column<ClosedCase>] = &[
    column("CASE", "caseId", |c| Cell::of(c.case_id)),
    column("CONTACT", "contactId", |c| Cell::of(c.contact_id)),
    column("CLOSED", "foreverClosed", |c| Cell::flag(c.forever_closed)),
    column("LEFT", "leftUser", |c| Cell::flag(c.left_user)),
];

impl Render for CaseClosure {
    /// The `data` of `close_case`: who closed, and the closed cases keyed
    /// by position (`"0"`, `"1"`...), as Acquire sends them.
    fn json(&self) -> Result<Value, serde_json::Error> {
        let mut out = Map::new();
        for (position, case) in self.cases.iter().enumerate() {
            out.insert(position.to_string(), serde_json::to_value(case)?);
        }
        out.insert("userId".into(), json!(self.closed_by));
        out.insert(
            "userType".into(),
            serde_json::to_value(&self.closed_by_type)?,
        );
        Ok(Value::Object(out))
    }

    /// The closed cases (who closed them is in the table's last line).
    fn sheet(&self) -> Sheet {
        Sheet::new(CLOSED_COLUMNS, &self.cases)
    }

    fn footer(&self) -> String {
        format!(
            "closed by {} {}\n",
            text(self.closed_by_type.as_ref()),
            text(self.closed_by)
        )
    }
}

const INVITE_COLUMNS: &[Column<(UserId, AgentInvite)>] = &[
    column("AGENT", "agent", |(agent, _)| Cell::of(Some(agent))),
    column("ONLINE", "online", |(_, invite)| Cell::flag(invite.online)),
    column("SENT", "sent", |(_, invite)| Cell::flag(invite.sent)),
];

impl Render for BTreeMap<UserId, AgentInvite> {
    /// The `data` of `invite_agent`: one result per agent, keyed by id.
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn sheet(&self) -> Sheet {
        Sheet::new(
            INVITE_COLUMNS,
            self.iter().map(|(agent, invite)| (*agent, invite.clone())),
        )
    }
}
