//! How results are printed: readable tables, or the API's JSON.

use std::{collections::BTreeMap, fmt::Display, io::Write};

use acquire::{
    AgentInvite, Case, CaseClosure, DeletedCount, EmailMessage, Message, Note, NoteMessage,
    Outcome, Page, SmsSent, Snooze, UserId,
};
use clap::ValueEnum;
use serde_json::{json, Map, Value};

use crate::{failure::Failure, table::Table};

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns for people.
    Table,
    /// The API's JSON for the result, one document per line.
    Json,
}

/// A result the command can print.
pub trait Render {
    /// The API's JSON for this result (the `data` of the response).
    fn json(&self) -> Result<Value, serde_json::Error>;
    /// Lines for people, ending with a newline.
    fn table(&self) -> String;
}

/// Prints results in one format.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    /// The format.
    pub output: Output,
}

impl Printer {
    /// Prints one result.
    pub fn show(&self, value: &impl Render) -> Result<(), Failure> {
        match self.output {
            Output::Json => emit(&format!("{}\n", value.json()?)),
            Output::Table => emit(&value.table()),
        }
    }

    /// Prints a step of the demo: a heading then the table, or one JSON line
    /// `{"step": key, "result": ..}`.
    pub fn step(&self, key: &str, title: &str, value: &impl Render) -> Result<(), Failure> {
        match self.output {
            // `step` first, for people reading the lines.
            Output::Json => emit(&format!(
                "{{\"step\":{},\"result\":{}}}\n",
                Value::from(key),
                value.json()?
            )),
            Output::Table => emit(&format!("\n== {title}\n{}", value.table())),
        }
    }

    /// Prints a line for people (nothing in JSON).
    pub fn note(&self, text: &str) -> Result<(), Failure> {
        match self.output {
            Output::Json => Ok(()),
            Output::Table => emit(&format!("{text}\n")),
        }
    }
}

/// Writes to standard output at once.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Failure::Output)
}

/// `-` for a missing value.
pub fn text<T: Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn yes_no(value: Option<bool>) -> String {
    text(value.map(|v| if v { "yes" } else { "no" }))
}

/// The columns of a case row.
pub const CASE_HEADERS: &[&str] = &[
    "ID", "STATUS", "CHANNEL", "CONTACT", "THREAD", "PARENT", "TITLE",
];

/// The widths of case rows printed as they arrive.
pub const CASE_WIDTHS: &[usize] = &[6, 8, 7, 8, 6, 6];

/// One case as a table row.
pub fn case_row(case: &Case) -> Vec<String> {
    vec![
        case.id.to_string(),
        text(case.status.as_ref()),
        text(case.channel.as_ref()),
        text(case.contact_id.or(case.contact.as_ref().map(|c| c.id))),
        text(case.thread_id),
        text(case.parent_id),
        text(case.title.as_ref()),
    ]
}

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

    fn table(&self) -> String {
        let mut table = Table::new(CASE_HEADERS);
        table.row(case_row(self));
        let mut out = table.render();
        if !self.users.is_empty() {
            out.push_str(&format!("participants: {}\n", participants(self)));
        }
        out
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

    fn table(&self) -> String {
        let mut table = Table::new(CASE_HEADERS);
        for case in &self.items {
            table.row(case_row(case));
        }
        table.render() + &page_line(self, "cases")
    }
}

/// The cases of a thread, as `messages list` returns them.
impl Render for Vec<Case> {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["CASE", "STATUS", "PARENT", "PARTICIPANTS", "LAST MESSAGE"]);
        for case in self {
            table.row([
                case.id.to_string(),
                text(case.status.as_ref()),
                text(case.parent_id),
                participants(case),
                text(case.last_message.as_ref().and_then(|m| m.message.as_ref())),
            ]);
        }
        table.render()
    }
}

impl Render for Message {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["ID", "CASE", "FROM", "TYPE", "MESSAGE"]);
        table.row([
            self.id.to_string(),
            text(self.case_id),
            format!(
                "{} {}",
                text(self.sender_type.as_ref()),
                text(self.sender_id)
            ),
            text(self.kind.as_ref()),
            text(self.message.as_ref()),
        ]);
        table.render()
    }
}

impl Render for EmailMessage {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["ID", "CASE", "TO", "SUBJECT"]);
        let to: Vec<&str> = self.to.iter().filter_map(|a| a.email.as_deref()).collect();
        table.row([
            self.id.to_string(),
            text(self.case_id),
            to.join(", "),
            text(self.subject.as_ref()),
        ]);
        table.render()
    }
}

impl Render for SmsSent {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["SMS", "CASE", "THREAD", "TO", "MESSAGE"]);
        let sms = self.data.as_ref();
        table.row([
            text(sms.map(|s| s.id)),
            text(
                self.cas
                    .as_ref()
                    .map(|c| c.id)
                    .or(sms.and_then(|s| s.case_id)),
            ),
            text(self.thread_id),
            text(sms.and_then(|s| s.to.as_ref())),
            text(sms.and_then(|s| s.message.as_ref())),
        ]);
        table.render()
    }
}

/// A JSON value as a cell: strings without quotes.
fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

const NOTE_HEADERS: &[&str] = &["ID", "TYPE", "CONTACT", "TITLE", "LAST MESSAGE"];

fn note_row(note: &Note) -> Vec<String> {
    vec![
        note.id.to_string(),
        text(note.kind.as_ref()),
        value_text(note.contact_id.as_ref()),
        text(note.title.as_ref()),
        text(note.last_message.as_ref().and_then(|m| m.message.as_ref())),
    ]
}

impl Render for Note {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(NOTE_HEADERS);
        table.row(note_row(self));
        table.render()
    }
}

impl Render for Page<Note> {
    /// The `data` of `list_notes`: the count and the rows.
    fn json(&self) -> Result<Value, serde_json::Error> {
        Ok(json!({ "count": self.count, "rows": serde_json::to_value(&self.items)? }))
    }

    fn table(&self) -> String {
        let mut table = Table::new(NOTE_HEADERS);
        for note in &self.items {
            table.row(note_row(note));
        }
        table.render() + &page_line(self, "notes")
    }
}

const NOTE_MESSAGE_HEADERS: &[&str] = &["ID", "NOTE", "USER", "TYPE", "MESSAGE"];

fn note_message_row(message: &NoteMessage) -> Vec<String> {
    vec![
        message.id.to_string(),
        text(message.note_id.or(message.note.as_ref().map(|n| n.id))),
        text(message.user_id),
        text(message.kind.as_ref()),
        text(message.message.as_ref()),
    ]
}

impl Render for NoteMessage {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(NOTE_MESSAGE_HEADERS);
        table.row(note_message_row(self));
        table.render()
    }
}

/// The messages of a note.
impl Render for Vec<NoteMessage> {
    /// The `data` of `list_note_messages`: the rows.
    fn json(&self) -> Result<Value, serde_json::Error> {
        Ok(json!({ "rows": serde_json::to_value(self)? }))
    }

    fn table(&self) -> String {
        let mut table = Table::new(NOTE_MESSAGE_HEADERS);
        for message in self {
            table.row(note_message_row(message));
        }
        table.render()
    }
}

impl Render for Snooze {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["ID", "OBJECT", "SCHEDULE", "REMIND", "MESSAGE"]);
        let reminded: Vec<String> = self
            .users
            .iter()
            .flat_map(|users| users.values())
            .map(|user| text(user.id))
            .collect();
        table.row([
            self.id.to_string(),
            format!(
                "{} {}",
                text(self.object_type.as_ref()),
                text(self.object_id)
            ),
            text(self.schedule_date.as_ref()),
            reminded.join(", "),
            text(self.message.as_ref()),
        ]);
        table.render()
    }
}

impl Render for Outcome {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["SUCCESS", "MESSAGE"]);
        table.row([yes_no(self.success), text(self.message.as_ref())]);
        table.render()
    }
}

impl Render for DeletedCount {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["DELETED"]);
        table.row([text(self.deleted)]);
        table.render()
    }
}

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

    fn table(&self) -> String {
        let mut table = Table::new(&["CASE", "CONTACT", "CLOSED", "LEFT"]);
        for case in &self.cases {
            table.row([
                text(case.case_id),
                text(case.contact_id),
                yes_no(case.forever_closed),
                yes_no(case.left_user),
            ]);
        }
        format!(
            "{}closed by {} {}\n",
            table.render(),
            text(self.closed_by_type.as_ref()),
            text(self.closed_by)
        )
    }
}

impl Render for BTreeMap<UserId, AgentInvite> {
    /// The `data` of `invite_agent`: one result per agent, keyed by id.
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    fn table(&self) -> String {
        let mut table = Table::new(&["AGENT", "ONLINE", "SENT"]);
        for (agent, invite) in self {
            table.row([
                agent.to_string(),
                yes_no(invite.online),
                yes_no(invite.sent),
            ]);
        }
        table.render()
    }
}
