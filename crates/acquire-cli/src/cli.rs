//! The command line: every subcommand and flag, as clap parses them.

use acquire::{
    query::{CaseColumn, CaseRelation, Condition, FilterOperator},
    CaseId, ContactId, DepartmentId, MessageId, NoteId, NoteMessageId, SessionId, SnoozeId,
    ThreadId, TimelineId, UserId,
};
use clap::{ArgGroup, Args, Parser, Subcommand};
use clap_complete::Shell;

use crate::{output::Output, parse};

/// Drive Acquire cases from a shell.
///
/// Credentials come from the environment: ACQUIRE_ACCOUNT_ID (the account's
/// sub-domain) and ACQUIRE_API_KEY; ACQUIRE_BASE_URL points the command at
/// another server (e.g. the fake, http://127.0.0.1:PORT/api/v1).
///
/// Exit codes: 0 success; 1 an API or network error (one line on stderr:
/// status, error type, message); 2 a usage or configuration error; 3 (only
/// `acquire doctor`) Acquire sent something the spec does not know.
#[derive(Debug, Parser)]
#[command(name = "acquire", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// How to print results: a readable table (the default on a terminal),
    /// the API's JSON (the default otherwise), or CSV (a header row, then
    /// one row per record, in the table's columns). Accepted before or
    /// after the subcommand.
    #[arg(long, global = true, value_enum)]
    pub output: Option<Output>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cases: create, get, list, join, reject, close, reopen, invite.
    #[command(subcommand)]
    Cases(CasesCommand),
    /// Messages: list a thread, get, send (chat, email, SMS), update, delete.
    #[command(subcommand)]
    Messages(MessagesCommand),
    /// Notes on a contact: list, get, create, add a message, messages, delete.
    #[command(subcommand)]
    Notes(NotesCommand),
    /// Snoozes (follow-ups) of a case or contact: create, delete.
    #[command(subcommand)]
    Snooze(SnoozeCommand),
    /// Run the whole case lifecycle and print each step: create, join, send
    /// a message, list, close, reopen, reject, get.
    #[command(long_about = DEMO_HELP)]
    Demo(DemoArgs),
    /// Check the account's answers against the spec (read-only): list cases,
    /// get the first, list its thread's messages and its contact's notes.
    #[command(long_about = DOCTOR_HELP)]
    Doctor(DoctorArgs),
    /// Print a completion script for a shell on stdout.
    #[command(long_about = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete in.
        shell: Shell,
    },
}

const DOCTOR_HELP: &str = "\
Check the configured account's answers against the spec compiled into this \
command. Read-only: it lists cases (one page), gets the first case listed, \
lists the messages of that case's thread (with its contact) and that \
contact's notes.

Every finding is reported: a member the spec does not declare \
(undeclared_member), an enum value outside its list (unknown_enum_value, \
with the value), a value the response schema refuses (schema_violation, \
with the rule), each located by a JSON pointer (`*` for array elements). \
No member value is ever printed, nor the API key. A table by default; one \
JSON object per line with --output json.

Exit codes: 0 nothing new; 3 something new, and every response decoded; \
1 a call failed or a response did not decode (the report says where); 2 a \
usage or configuration error.";

const COMPLETIONS_HELP: &str = "\
Print a completion script for a shell on stdout (it completes \
subcommands, flags and the values of --output). Install it where the \
shell looks for completions, e.g.:

  bash:  acquire completions bash > ~/.local/share/bash-completion/completions/acquire
  zsh:   acquire completions zsh > ~/.zfunc/_acquire   (with fpath+=~/.zfunc before compinit)
  fish:  acquire completions fish > ~/.config/fish/completions/acquire.fish";

const DEMO_HELP: &str = "\
Run the whole case lifecycle and print each step: create a case, join it, \
send a chat message in it, list the contact's active cases, close the case, \
reopen its thread, reject the reopened case, get the first case.

Without credentials this runs against a fake Acquire server started \
inside the command (no account, no network); --fake forces that even when \
credentials are set.

When ACQUIRE_API_KEY is set (or with --live) it runs against the account in \
the environment (ACQUIRE_ACCOUNT_ID or ACQUIRE_BASE_URL, and \
ACQUIRE_API_KEY) and changes \
that account: it creates two cases for the contact (--contact-id, which must \
exist there) and one chat message in the first. The first case is closed; \
the reopened one is rejected by the key's agent and then closed, so nothing \
is left open.";

/// The options of `acquire doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Write each response that showed a finding, as received, to
    /// DIR/<operation_id>.<n>.json (n: the first number not taken), ready to
    /// become an example under openapi/examples/.
    #[arg(long, value_name = "DIR")]
    pub save: Option<std::path::PathBuf>,
}

/// The options of `acquire demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Require the account in the environment (the default when
    /// ACQUIRE_API_KEY is set); creates and closes two cases there, see above.
    #[arg(long, conflicts_with = "fake")]
    pub live: bool,
    /// Use the embedded fake server even when credentials are set (the
    /// default without them).
    #[arg(long)]
    pub fake: bool,
    /// The contact to create cases for (on the fake, the documented
    /// examples' contact).
    #[arg(long, default_value_t = ContactId(597752))]
    pub contact_id: ContactId,
    /// Reopen this closed thread of the contact instead of the one the demo
    /// closes.
    #[arg(long)]
    pub thread_id: Option<ThreadId>,
}

/// `acquire cases ...`
#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// Create a case for a contact.
    Create {
        /// The contact.
        #[arg(long)]
        contact_id: ContactId,
        /// The case title.
        #[arg(long)]
        title: Option<String>,
        /// A first message, from the contact.
        #[arg(long)]
        message: Option<String>,
    },
    /// Get one case.
    Get {
        /// The case.
        id: CaseId,
        /// `--select` and `--relations`.
        #[command(flatten)]
        shape: Shape,
    },
    /// List cases: one page, or every page with --all.
    #[command(after_help = list_help())]
    List {
        /// A condition COLUMN|OP|VALUE (repeat it: every condition must
        /// hold), e.g. status|eq|active or contactId|eq|597752.
        #[arg(long = "where", value_name = "COLUMN|OP|VALUE", value_parser = parse::condition)]
        conditions: Vec<Condition>,
        /// `--select` and `--relations`.
        #[command(flatten)]
        shape: Shape,
        /// Every matching case, page after page (table rows, JSON lines or
        /// CSV rows are printed as pages arrive; progress on stderr when
        /// stdout and stderr are both terminals).
        #[arg(long, conflicts_with = "page")]
        all: bool,
        /// The page to fetch, counting from 0 (the first page, the default;
        /// with --all: where to start).
        #[arg(long)]
        page: Option<u64>,
        /// How many cases per page (Acquire's default when not given).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
    },
    /// Join a case as the key's agent.
    Join {
        /// The case.
        id: CaseId,
    },
    /// Reject a case as the key's agent.
    Reject {
        /// The case.
        id: CaseId,
    },
    /// Close a case.
    Close {
        /// The case.
        id: CaseId,
        /// Also archive it (sent as `"archive": "yes"`).
        #[arg(long)]
        archive: bool,
    },
    /// Reopen a closed thread of a contact (a new case pointing at it).
    Reopen {
        /// The contact.
        #[arg(long)]
        contact_id: ContactId,
        /// The closed thread.
        #[arg(long)]
        thread_id: ThreadId,
        /// The contact's session, which Acquire expects when reopening.
        #[arg(long)]
        session_id: Option<SessionId>,
    },
    /// Invite agents (or departments) to a case.
    #[command(group(ArgGroup::new("invitees").required(true).multiple(true).args(["agents", "departments"])))]
    Invite {
        /// The case.
        id: CaseId,
        /// Agents to invite (several after one flag, comma-separated, or
        /// the flag repeated).
        #[arg(long = "agent", value_name = "N", num_args = 1.., value_delimiter = ',')]
        agents: Vec<UserId>,
        /// Departments whose agents are invited.
        #[arg(long = "department", value_name = "N", num_args = 1.., value_delimiter = ',')]
        departments: Vec<DepartmentId>,
    },
}

/// The end of `cases list --help`: the spec's columns, operators and
/// relations, and examples.
pub(crate) fn list_help() -> String {
    format!(
        "Columns (for --where and --select): {}.\nOperators: {}.\nRelations: {}.\n\n{LIST_EXAMPLES}",
        CaseColumn::KNOWN.join(", "),
        FilterOperator::KNOWN.join(", "),
        CaseRelation::KNOWN.join(", "),
    )
}

const LIST_EXAMPLES: &str = "\
Examples:
  acquire cases list --where status|eq|active --where contactId|eq|597752
  acquire cases list --select id,status,title --relations contact --limit 50
  acquire cases list --all --output json > cases.jsonl
  acquire cases list --all --output csv > cases.csv";

/// `--select` and `--relations`, shared by `cases get` and `cases list`.
#[derive(Debug, Args)]
pub struct Shape {
    /// Only these columns (comma-separated or repeated; id always comes
    /// back).
    #[arg(long, value_name = "COLUMN", value_delimiter = ',', value_parser = parse::column)]
    pub select: Vec<CaseColumn>,
    /// Embed these relations (comma-separated or repeated; `cases list
    /// --help` lists them).
    #[arg(long, value_name = "RELATION", value_delimiter = ',', value_parser = parse::relation)]
    pub relations: Vec<CaseRelation>,
}

/// `acquire messages ...`
#[derive(Debug, Subcommand)]
pub enum MessagesCommand {
    /// The conversation of a thread: its cases, each with its last message.
    List {
        /// The thread.
        #[arg(long)]
        thread_id: ThreadId,
        /// The thread's contact.
        #[arg(long)]
        contact_id: ContactId,
        /// Read as the contact instead of the agent.
        #[arg(long)]
        as_contact: bool,
    },
    /// Get one message.
    Get {
        /// The message.
        id: MessageId,
    },
    /// Write a chat message in a case (as the key's agent, or --as-contact).
    Send {
        /// The case.
        case_id: CaseId,
        /// The text.
        text: String,
        /// The case's contact (sent in the query; Acquire asks for it
        /// with --as-contact).
        #[arg(long)]
        contact_id: Option<ContactId>,
        /// Write as the case's contact instead of the agent (sent as
        /// x-user-type=contact; x-user-type=user otherwise).
        #[arg(long)]
        as_contact: bool,
    },
    /// Send an email in an email case.
    Email {
        /// The case.
        case_id: CaseId,
        /// The case's contact.
        #[arg(long)]
        contact_id: ContactId,
        /// The sending inbox's address.
        #[arg(long)]
        from: String,
        /// Recipients (at least one; several after one flag,
        /// comma-separated, or the flag repeated).
        #[arg(long, required = true, num_args = 1.., value_delimiter = ',')]
        to: Vec<String>,
        /// The subject.
        #[arg(long)]
        subject: Option<String>,
        /// The HTML body.
        #[arg(long)]
        body: Option<String>,
        /// Copy recipients.
        #[arg(long, num_args = 1.., value_delimiter = ',')]
        cc: Vec<String>,
        /// Blind copy recipients.
        #[arg(long, num_args = 1.., value_delimiter = ',')]
        bcc: Vec<String>,
    },
    /// Send an SMS to a contact's phone, in one of their threads.
    Sms {
        /// The text.
        text: String,
        /// The account's sending number, e.g. +12513188609.
        #[arg(long)]
        from: String,
        /// The contact's phone number, e.g. +14155550123.
        #[arg(long)]
        to: String,
        /// The contact the SMS goes to.
        #[arg(long)]
        contact_id: ContactId,
        /// The thread (its first case) to add the SMS to.
        #[arg(long)]
        thread_id: ThreadId,
        /// The thread's timeline entry.
        #[arg(long)]
        timeline_id: TimelineId,
        /// Send as the contact instead of the agent (sent as
        /// x-user-type=contact; x-user-type=user otherwise).
        #[arg(long)]
        as_contact: bool,
    },
    /// Replace the text of a message.
    Update {
        /// The message.
        id: MessageId,
        /// The new text.
        text: String,
    },
    /// Delete a message.
    Delete {
        /// The message.
        id: MessageId,
    },
}

/// `acquire notes ...`
#[derive(Debug, Subcommand)]
pub enum NotesCommand {
    /// List the notes of a contact: one page, or every page with --all.
    List {
        /// The contact.
        #[arg(long)]
        contact_id: ContactId,
        /// Every note, page after page (printed as pages arrive; progress
        /// on stderr when stdout and stderr are both terminals).
        #[arg(long, conflicts_with = "page")]
        all: bool,
        /// The page to fetch, counting from 0 (the first page, the default;
        /// with --all: where to start).
        #[arg(long)]
        page: Option<u64>,
        /// How many notes per page.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
    },
    /// Get one note.
    Get {
        /// The note.
        id: NoteId,
    },
    /// Start a note on a contact.
    Create {
        /// The contact.
        #[arg(long)]
        contact_id: ContactId,
        /// The title.
        #[arg(long)]
        title: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// A first message.
        #[arg(long)]
        message: Option<String>,
        /// Agents to mention.
        #[arg(long = "mention", value_name = "N", num_args = 1.., value_delimiter = ',')]
        mentions: Vec<UserId>,
    },
    /// Write a message in a note's conversation.
    AddMessage {
        /// The note.
        id: NoteId,
        /// The text.
        text: String,
        /// The note's contact.
        #[arg(long)]
        contact_id: ContactId,
        /// The note message this one replies to.
        #[arg(long)]
        reply_to: Option<NoteMessageId>,
        /// Agents to mention.
        #[arg(long = "mention", value_name = "N", num_args = 1.., value_delimiter = ',')]
        mentions: Vec<UserId>,
    },
    /// The messages of a note, oldest first.
    Messages {
        /// The note.
        id: NoteId,
    },
    /// Delete a note and its messages.
    Delete {
        /// The note.
        id: NoteId,
    },
}

/// `acquire snooze ...`
#[derive(Debug, Subcommand)]
pub enum SnoozeCommand {
    /// Schedule a follow-up on a case (--case-id) or a contact (--contact-id
    /// alone).
    #[command(group(ArgGroup::new("object").required(true).multiple(true).args(["case_id", "contact_id"])))]
    Create {
        /// The case to snooze.
        #[arg(long)]
        case_id: Option<CaseId>,
        /// The contact to snooze (with --case-id: the case's contact).
        #[arg(long)]
        contact_id: Option<ContactId>,
        /// When: "YYYY-MM-DD HH:MM[:SS]", sent as YYYY-MM-DD HH:MM:SS, the
        /// format Acquire documents (it names no time zone).
        #[arg(long, value_parser = parse::schedule)]
        at: acquire::chrono::NaiveDateTime,
        /// The reminder text.
        #[arg(long)]
        message: Option<String>,
        /// Agents to remind.
        #[arg(long = "remind", value_name = "N", num_args = 1.., value_delimiter = ',')]
        remind: Vec<UserId>,
    },
    /// Cancel a snooze.
    Delete {
        /// The snooze.
        id: SnoozeId,
    },
}
