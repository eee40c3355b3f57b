//! `acquire cases ...`

use acquire::{CaseId, Client, ContactId, DepartmentId, SessionId, ThreadId, UserId};
use futures::TryStreamExt;

use crate::{
    cli::{CasesCommand, Shape},
    failure::Failure,
    output::{case_row, emit, Output, Printer, Render, CASE_HEADERS, CASE_WIDTHS},
    table::Table,
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
            let mut create = cases.create(ContactId(contact_id));
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
                .get(CaseId(id))
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
                stream(list, printer).await
            } else {
                printer.show(&list.send().await?)
            }
        }
        CasesCommand::Join { id } => printer.show(&cases.join(CaseId(id)).send().await?),
        CasesCommand::Reject { id } => printer.show(&cases.reject(CaseId(id)).await?),
        CasesCommand::Close { id, archive } => {
            let mut close = cases.close(CaseId(id));
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
            let mut reopen = cases.reopen(ContactId(contact_id), ThreadId(thread_id));
            if let Some(session) = session_id {
                reopen = reopen.session(SessionId(session));
            }
            printer.show(&reopen.send().await?)
        }
        CasesCommand::Invite {
            id,
            agents,
            departments,
        } => {
            let invites = cases
                .invite(CaseId(id))
                .agents(agents.into_iter().map(UserId))
                .departments(departments.into_iter().map(DepartmentId))
                .send()
                .await?;
            printer.show(&invites)
        }
    }
}

/// Every case of every page, printed as it arrives: table rows under one
/// header, or one JSON document per line.
async fn stream(list: acquire::ListCases<'_>, printer: Printer) -> Result<(), Failure> {
    let mut cases = list.stream();
    let header = Table::new(CASE_HEADERS);
    let mut count = 0_u64;
    if printer.output == Output::Table {
        emit(&header.render_header(CASE_WIDTHS))?;
    }
    while let Some(case) = cases.try_next().await? {
        count += 1;
        match printer.output {
            Output::Json => emit(&format!("{}\n", case.json()?))?,
            Output::Table => {
                let mut row = header.clone();
                row.row(case_row(&case));
                emit(&row.render_rows(CASE_WIDTHS))?;
            }
        }
    }
    printer.note(&format!("{count} cases"))
}
