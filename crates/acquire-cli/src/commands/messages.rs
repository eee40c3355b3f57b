//! `acquire messages ...`

use acquire::{Client, SmsRoute};

use crate::{cli::MessagesCommand, failure::Failure, output::Printer};

/// Runs a message command.
pub async fn run(
    client: &Client,
    command: MessagesCommand,
    printer: Printer,
) -> Result<(), Failure> {
    let messages = client.messages();
    match command {
        MessagesCommand::List {
            thread_id,
            contact_id,
            as_contact,
        } => {
            let mut list = messages.list(thread_id, contact_id);
            if as_contact {
                list = list.as_contact();
            }
            printer.show(&list.send().await?)
        }
        MessagesCommand::Get { id } => printer.show(&messages.get(id).await?),
        MessagesCommand::Send {
            case_id,
            text,
            contact_id,
            as_contact,
        } => {
            let mut send = messages.send_chat(case_id, text);
            if let Some(contact) = contact_id {
                send = send.contact(contact);
            }
            if as_contact {
                send = send.as_contact();
            }
            printer.show(&send.send().await?)
        }
        MessagesCommand::Email {
            case_id,
            contact_id,
            from,
            to,
            subject,
            body,
            cc,
            bcc,
        } => {
            let mut email = messages.send_email(case_id, contact_id, from, to);
            if let Some(subject) = subject {
                email = email.subject(subject);
            }
            if let Some(body) = body {
                email = email.html_body(body);
            }
            for address in cc {
                email = email.cc(address);
            }
            for address in bcc {
                email = email.bcc(address);
            }
            printer.show(&email.send().await?)
        }
        MessagesCommand::Sms {
            text,
            from,
            to,
            contact_id,
            thread_id,
            timeline_id,
            as_contact,
        } => {
            let route = SmsRoute {
                from,
                to,
                contact: contact_id,
                thread: thread_id,
                timeline: timeline_id,
            };
            let mut sms = messages.send_sms(route, text);
            if as_contact {
                sms = sms.as_contact();
            }
            printer.show(&sms.send().await?)
        }
        MessagesCommand::Update { id, text } => {
            printer.show(&messages.update(id, text).send().await?)
        }
        MessagesCommand::Delete { id } => printer.show(&messages.delete(id).await?),
    }
}
