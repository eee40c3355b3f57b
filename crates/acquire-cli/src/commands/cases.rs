//! `acquire cases ...`

use acquire::Client;

use crate::{
    cli::{CasesCommand, Shape},
    failure::Failure,
    output::Printer,
    records::CASE_WALK,
};

/// Runs a case command.
pub async fn run(client: &Client, command: CasesCommand, printer: Printer) -> Result<(), Failure> {
    let cases = client.cases();
    match command {
        CasesCommand::Create {
            contact_id,
            title,
            message,
        } => {
            let mut create = cases.create(contact_id);
            if let Some(title) = title {
                create = create.title(title);
            }
            if let Some(message) = message {
                create = create.message(message);
            }
            printer.show(&create.send().await?)
        }
        CasesCommand::Get {
            id,
            shape: Shape { select, relations },
        } => {
            let case = cases
                .get(id)
                .select(select)
                .relations(relations)
                .send()
                .await?;
            printer.show(&case)
        }
        CasesCommand::List {
            conditions,
            shape: Shape { select, relations },
            all,
            page,
            limit,
        } => {
            let mut list = cases
                .list()
                .conditions(conditions)
                .select(select)
                .relations(relations);
            if let Some(page) = page {
                list = list.page(page);
            }
            if let Some(limit) = limit {
                list = list.limit(limit);
            }
            if all {
                let target = printer.progress_target();
                CASE_WALK
                    .run(list.pages(), printer, target, &mut std::io::stdout())
                    .await
            } else {
                printer.show(&list.send().await?)
            }
        }
        CasesCommand::Join { id } => printer.show(&cases.join(id).send().await?),
        CasesCommand::Reject { id } => printer.show(&cases.reject(id).send().await?),
        CasesCommand::Close { id, archive } => {
            let mut close = cases.close(id);
            if archive {
                close = close.archive(true);
            }
            printer.show(&close.send().await?)
        }
        CasesCommand::Reopen {
            contact_id,
            thread_id,
            session_id,
        } => {
            let mut reopen = cases.reopen(contact_id, thread_id);
            if let Some(session) = session_id {
                reopen = reopen.session(session);
            }
            printer.show(&reopen.send().await?)
        }
        CasesCommand::Invite {
            id,
            agents,
            departments,
        } => {
            let invites = cases
                .invite(id)
                .agents(agents)
                .departments(departments)
                .send()
                .await?;
            printer.show(&invites)
        }
    }
}
