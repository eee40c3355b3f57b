//! `acquire snooze ...`

use acquire::Client;

use crate::{cli::SnoozeCommand, failure::Failure, output::Printer};

/// Runs a snooze command.
pub async fn run(client: &Client, command: SnoozeCommand, printer: Printer) -> Result<(), Failure> {
    let snoozes = client.snoozes();
    match command {
        SnoozeCommand::Create {
            case_id,
            contact_id,
            at,
            message,
            remind,
        } => {
            let mut create = match (case_id, contact_id) {
                (Some(case), contact) => {
                    let create = snoozes.snooze_case(case, at);
                    match contact {
                        Some(contact) => create.contact(contact),
                        None => create,
                    }
                }
                (None, Some(contact)) => snoozes.snooze_contact(contact, at),
                (None, None) => {
                    return Err(Failure::Usage(
                        "a snooze needs --case-id or --contact-id".into(),
                    ))
                }
            };
            create = create.remind(remind);
            if let Some(message) = message {
                create = create.message(message);
            }
            printer.show(&create.send().await?)
        }
        SnoozeCommand::Delete { id } => printer.show(&snoozes.delete(id).await?),
    }
}
