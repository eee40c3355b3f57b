//! Records as rows under named columns: one definition per kind of record
//! ([`Column`]), written as a table for people or as CSV for spreadsheets
//! and pipes.

use std::{borrow::Borrow, fmt::Display};

use crate::{failure::Failure, table::Table};

/// One value of a record, before it is written for people or for CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// No value: `-` in a table, an empty field in CSV.
    Missing,
    /// Text or a number, as is (a table puts it on one short line).
    Text(String),
    /// `yes`/`no` in a table, `true`/`false` (as in the JSON) in CSV.
    Flag(bool),
    /// Values shown together, space-separated (`user 12`); in CSV, missing
    /// parts are left out.
    Parts(Vec<Cell>),
}

impl Cell {
    /// The value, or [`Cell::Missing`].
    pub fn of<T: Display>(value: Option<T>) -> Self {
        value.map_or(Cell::Missing, |v| Cell::Text(v.to_string()))
    }

    /// A yes/no value, or [`Cell::Missing`].
    pub fn flag(value: Option<bool>) -> Self {
        value.map_or(Cell::Missing, Cell::Flag)
    }

    /// The text of a table cell.
    pub fn table(&self) -> String {
        match self {
            Cell::Missing => "-".to_owned(),
            Cell::Text(text) => text.clone(),
            Cell::Flag(flag) => if *flag { "yes" } else { "no" }.to_owned(),
            Cell::Parts(parts) => parts.iter().map(Cell::table).collect::<Vec<_>>().join(" "),
        }
    }

    /// The text of a CSV field: the value unchanged (the CSV writer quotes
    /// it when it holds a comma, a quote or a line break).
    pub fn csv(&self) -> String {
        match self {
            Cell::Missing => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Flag(flag) => flag.to_string(),
            Cell::Parts(parts) => parts
                .iter()
                .filter(|part| **part != Cell::Missing)
                .map(Cell::csv)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// One column of a kind of record, for tables and CSV alike.
#[derive(Debug)]
pub struct Column<T> {
    /// The column's heading in a table (`CONTACT`).
    pub heading: &'static str,
    /// The column's name in a CSV header: the JSON member the value is
    /// (`contactId`, `lastMessage.message`), or a name of its own for a
    /// value made of several (`participants`).
    pub name: &'static str,
    /// The value of a record.
    pub value: fn(&T) -> Cell,
}

/// A column: its table heading, CSV name and value.
pub const fn column<T>(
    heading: &'static str,
    name: &'static str,
    value: fn(&T) -> Cell,
) -> Column<T> {
    Column {
        heading,
        name,
        value,
    }
}

/// Records as rows of cells under their columns.
#[derive(Clone, Debug)]
pub struct Sheet {
    headings: Vec<&'static str>,
    names: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The `records` in `columns`, one row each.
    pub fn new<T, R: Borrow<T>>(
        columns: &[Column<T>],
        records: impl IntoIterator<Item = R>,
    ) -> Self {
        Self {
            headings: columns.iter().map(|c| c.heading).collect(),
            names: columns.iter().map(|c| c.name).collect(),
            rows: records
                .into_iter()
                .map(|record| columns.iter().map(|c| (c.value)(record.borrow())).collect())
                .collect(),
        }
    }

    /// The rows as a table for people.
    pub fn table(&self) -> Table {
        let mut table = Table::new(&self.headings);
        for row in &self.rows {
            table.row(row.iter().map(Cell::table));
        }
        table
    }

    /// The rows as CSV (RFC 4180: CRLF line ends, fields quoted when they
    /// need it), after a header row of the column names when `header`.
    pub fn csv(&self, header: bool) -> Result<String, Failure> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        if header {
            writer.write_record(&self.names).map_err(csv_failure)?;
        }
        for row in &self.rows {
            writer
                .write_record(row.iter().map(Cell::csv))
                .map_err(csv_failure)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| csv_failure(e.into_error().into()))?;
        String::from_utf8(bytes).map_err(|e| Failure::Other(format!("CSV is not UTF-8: {e}")))
    }
}

/// A CSV writer's error; into memory, only a write error is possible.
fn csv_failure(error: csv::Error) -> Failure {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => Failure::Output(error),
        other => Failure::Other(format!("cannot write CSV: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Thing {
        id: i64,
        title: Option<&'static str>,
        open: Option<bool>,
    }

    const COLUMNS: &[Column<Thing>] = &[
        column("ID", "id", |t| Cell::of(Some(t.id))),
        column("TITLE", "title", |t| Cell::of(t.title)),
        column("OPEN", "open", |t| Cell::flag(t.open)),
        column("WHO", "who", |t| {
            Cell::Parts(vec![
                Cell::of(Some("user")),
                Cell::of(t.title.map(str::len)),
            ])
        }),
    ];

    fn things() -> [Thing; 2] {
        [
            Thing {
                id: 1,
                title: Some("a, \"quoted\"\nsecond line"),
                open: Some(true),
            },
            Thing {
                id: 2,
                title: None,
                open: None,
            },
        ]
    }

    #[test]
    fn one_definition_makes_the_table_and_the_csv() {
        let sheet = Sheet::new(COLUMNS, things());
        assert_eq!(
            sheet.table().render(),
            "ID  TITLE                    OPEN  WHO\n\
             1   a, \"quoted\" second line  yes   user 23\n\
             2   -                        -     user -\n"
        );
        assert_eq!(
            sheet.csv(true).ok().as_deref(),
            Some(
                "id,title,open,who\r\n\
                 1,\"a, \"\"quoted\"\"\nsecond line\",true,user 23\r\n\
                 2,,,user\r\n"
            )
        );
        assert_eq!(
            sheet.csv(false).ok().as_deref().map(|s| s.lines().count()),
            Some(3),
            "no header; the quoted line break is inside a field"
        );
    }

    #[test]
    fn csv_fields_round_trip_through_a_reader() {
        let text = Sheet::new(COLUMNS, things()).csv(true).unwrap_or_default();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().cloned().unwrap_or_default();
        assert_eq!(headers, vec!["id", "title", "open", "who"]);
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(rows[0][1], "a, \"quoted\"\nsecond line");
        assert_eq!(rows[1], ["2", "", "", "user"]);
    }
}
