//! `acquire messages ...`

use acquire::{CaseId, Client, ContactId, MessageId, ThreadId};

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
            let mut list = messages.list(ThreadId(thread_id), ContactId(contact_id));
            if as_contact {
                list = list.as_contact();
            }
            printer.show(&list.send().await?)
        }
        MessagesCommand::Get { id } => printer.show(&messages.get(MessageId(id)).await?),
        MessagesCommand::Send {
            case_id,
            text,
            contact_id,
            as_contact,
        } => {
            let mut send = messages.send_chat(CaseId(case_id), text);
            if let Some(contact) = contact_id {
                send = send.contact(ContactId(contact));
            }
            if as_contact {
                send = send.as_contact();
            }
            printer.show(&send.send().await?)
        }
        MessagesCommand::Email {
            case_id,
            subject,
            body,
            to,
            cc,
            bcc,
            from,
            contact_id,
        } => {
            let mut email = messages.send_email(CaseId(case_id), subject, body);
            for address in to {
                email = email.to(address);
            }
            for address in cc {
                email = email.cc(address);
            }
            for address in bcc {
                email = email.bcc(address);
            }
            if let Some(from) = from {
                email = email.from(from);
            }
            if let Some(contact) = contact_id {
                email = email.contact(ContactId(contact));
            }
            printer.show(&email.send().await?)
        }
        MessagesCommand::Sms {
            to,
            text,
            from,
            contact_id,
            thread_id,
            as_contact,
        } => {
            let mut sms = messages.send_sms(to, text);
            if as_contact {
                sms = sms.as_contact();
            }
            if let Some(from) = from {
                sms = sms.from(from);
            }
            if let Some(contact) = contact_id {
                sms = sms.contact(ContactId(contact));
            }
            if let Some(thread) = thread_id {
                sms = sms.thread(ThreadId(thread));
            }
            printer.show(&sms.send().await?)
        }
        MessagesCommand::Update { id, text } => {
            printer.show(&messages.update(MessageId(id), text).send().await?)
        }
        MessagesCommand::Delete { id } => printer.show(&messages.delete(MessageId(id)).await?),
    }
}
