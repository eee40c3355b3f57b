//! `acquire notes ...`

use acquire::Client;

use crate::{cli::NotesCommand, failure::Failure, output::Printer, records::NOTE_WALK};

/// Runs a note command.
pub async fn run(client: &Client, command: NotesCommand, printer: Printer) -> Result<(), Failure> {
    let notes = client.notes();
    match command {
        NotesCommand::List {
            contact_id,
            all,
            page,
            limit,
        } => {
            let mut list = notes.list(contact_id);
            if let Some(page) = page {
                list = list.page(page);
            }
            if let Some(limit) = limit {
                list = list.limit(limit);
            }
            if !all {
                return printer.show(&list.send().await?);
            }
            let target = printer.progress_target();
            NOTE_WALK
                .run(list.pages(), printer, target, &mut std::io::stdout())
                .await
        }
        NotesCommand::Get { id } => printer.show(&notes.get(id).await?),
        NotesCommand::Create {
            contact_id,
            title,
            description,
            message,
            mentions,
        } => {
            let mut create = notes.create(contact_id).mention(mentions);
            if let Some(title) = title {
                create = create.title(title);
            }
            if let Some(description) = description {
                create = create.description(description);
            }
            if let Some(message) = message {
                create = create.message(message);
            }
            printer.show(&create.send().await?)
        }
        NotesCommand::AddMessage {
            id,
            text,
            contact_id,
            reply_to,
            mentions,
        } => {
            let mut add = notes.add_message(id, contact_id, text).mention(mentions);
            if let Some(parent) = reply_to {
                add = add.reply_to(parent);
            }
            printer.show(&add.send().await?)
        }
        NotesCommand::Messages { id } => printer.show(&notes.messages(id).await?),
        NotesCommand::Delete { id } => printer.show(&notes.delete(id).await?),
    }
}
