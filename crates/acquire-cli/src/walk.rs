//! `--all`: every page of a list, each printed as it arrives (nothing is
//! collected first), with progress where it is allowed.

use std::io::Write;

use acquire::Page;
use futures::{Stream, TryStreamExt};
use indicatif::ProgressDrawTarget;
use serde::Serialize;

use crate::{
    failure::Failure,
    output::{write, Output, Printer, Render},
    progress::Progress,
    sheet::{Column, Sheet},
};

/// How a table shows the pages of a walk.
#[derive(Clone, Copy, Debug)]
pub enum Layout {
    /// One header, then each page's rows in columns at least this wide (a
    /// longer cell pushes its row out).
    Rows(&'static [usize]),
    /// Each page as its own table, with its page line.
    Pages,
}

/// How the records of a list are walked and printed.
#[derive(Debug)]
pub struct Walk<T: 'static> {
    /// The columns of a record (table and CSV).
    pub columns: &'static [Column<T>],
    /// How a table shows the pages.
    pub layout: Layout,
    /// What the records are called (`cases`), for the count and progress.
    pub things: &'static str,
}

impl<T: Serialize> Walk<T>
where
    Page<T>: Render,
{
    /// Prints every record of `pages` to `out` as its page arrives: table
    /// rows, one JSON document per line, or CSV rows under one header row;
    /// a table ends with the count. Progress is drawn on `progress` (see
    /// [`crate::progress`] for when the command draws it).
    pub async fn run<E>(
        &self,
        pages: impl Stream<Item = Result<Page<T>, E>>,
        printer: Printer,
        progress: ProgressDrawTarget,
        out: &mut dyn Write,
    ) -> Result<(), Failure>
    where
        Failure: From<E>,
    {
        let mut progress = Progress::new(progress, self.things);
        let header = Sheet::new::<T, &T>(self.columns, []);
        match (printer.output, self.layout) {
            (Output::Table, Layout::Rows(widths)) => {
                write(out, &header.table().render_header(widths))?;
            }
            (Output::Csv, _) => write(out, &header.csv(true)?)?,
            _ => {}
        }
        let mut pages = std::pin::pin!(pages);
        let mut count = 0;
        while let Some(page) = pages.try_next().await? {
            progress.page(&page);
            count += page.len();
            let text = match (printer.output, self.layout) {
                (Output::Json, _) => {
                    let mut lines = String::new();
                    for record in &page.items {
                        lines.push_str(&serde_json::to_value(record)?.to_string());
                        lines.push('\n');
                    }
                    lines
                }
                (Output::Csv, _) => Sheet::new(self.columns, &page.items).csv(false)?,
                (Output::Table, Layout::Rows(widths)) => Sheet::new(self.columns, &page.items)
                    .table()
                    .render_rows(widths),
                (Output::Table, Layout::Pages) => page.table(),
            };
            progress.suspend(|| write(out, &text))?;
        }
        drop(progress);
        if printer.output == Output::Table {
            write(out, &format!("{count} {}\n", self.things))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use acquire::{Client, ClientConfig};
    use acquire_mock::{MockConfig, MockServer};

    use super::*;
    use crate::{
        progress::{self, capture::Capture},
        records::{CASE_WALK, NOTE_WALK},
    };

    const KEY: &str = "walk-test-key";

    /// Walks the fake's cases (and notes) 2 a page, with progress drawn on a
    /// capture when `allowed`; returns what was printed and what was drawn.
    async fn walk(client: &Client, output: Output, allowed: bool) -> (String, String) {
        let capture = Capture::default();
        let printer = Printer {
            output,
            progress: allowed,
        };
        let mut out = Vec::new();
        let cases = client.cases().list().limit(2).pages();
        let target = progress::target(allowed, || capture.target());
        let walked = CASE_WALK.run(cases, printer, target, &mut out).await;
        assert!(walked.is_ok(), "{walked:?}");
        let notes = client
            .notes()
            .list(acquire::ContactId(597752))
            .limit(1)
            .pages();
        let target = progress::target(allowed, || capture.target());
        let walked = NOTE_WALK.run(notes, printer, target, &mut out).await;
        assert!(walked.is_ok(), "{walked:?}");
        (String::from_utf8_lossy(&out).into_owned(), capture.text())
    }

    #[tokio::test]
    async fn progress_is_drawn_on_a_visible_target_only_and_never_in_the_output() {
        let server = MockServer::start(MockConfig::default().with_api_key(KEY))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let config = ClientConfig::default()
            .with_base_url(server.base_url())
            .and_then(|c| c.with_api_key(KEY));
        let client = config
            .and_then(Client::with_config)
            .unwrap_or_else(|e| panic!("{e}"));
        for output in [Output::Table, Output::Json, Output::Csv] {
            let (printed, drawn) = walk(&client, output, true).await;
            // Pages, records (of the count the server gives) and the rate.
            for piece in [
                "1 page, 2 of ",
                "2 pages, 4 of ",
                " cases, ",
                "/s",
                " notes, ",
            ] {
                assert!(drawn.contains(piece), "{output:?}: {piece:?} in {drawn:?}");
            }
            assert!(!printed.contains("pages,"), "{output:?}: {printed}");
            assert!(!printed.contains("/s"), "{output:?}: {printed}");

            let (hidden, nothing) = walk(&client, output, false).await;
            assert_eq!(nothing, "", "{output:?}: drawn on a hidden target");
            assert_eq!(hidden, printed, "{output:?}: progress changed the output");
        }
        server.shutdown().await;
    }
}
