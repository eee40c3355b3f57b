//! Plain aligned columns: a header row, then one row per item.

/// Longest cell text kept in a table; longer text ends with `…`.
const MAX_CELL: usize = 60;

/// A table being built.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; cells are made single-line and shortened.
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.rows
            .push(cells.into_iter().map(|c| cell(&c)).collect());
    }

    /// The header and rows, each column as wide as its widest cell.
    pub fn render(&self) -> String {
        let widths = self.widths(self.rows.iter());
        let mut out = line(&self.headers, &widths);
        for row in &self.rows {
            out.push_str(&line(row, &widths));
        }
        out
    }

    /// The header alone, with columns as wide as `widths` (or the headers),
    /// for rows printed as they arrive.
    pub fn render_header(&self, widths: &[usize]) -> String {
        line(&self.headers, &self.fixed(widths))
    }

    /// The rows alone, with columns as wide as `widths` (or the headers),
    /// for rows printed as they arrive; a longer cell pushes its row out.
    pub fn render_rows(&self, widths: &[usize]) -> String {
        let widths = self.fixed(widths);
        self.rows.iter().map(|row| line(row, &widths)).collect()
    }

    fn fixed(&self, widths: &[usize]) -> Vec<usize> {
        self.headers
            .iter()
            .enumerate()
            .map(|(i, h)| widths.get(i).copied().unwrap_or(0).max(h.chars().count()))
            .collect()
    }

    fn widths<'a>(&self, rows: impl Iterator<Item = &'a Vec<String>>) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        widths
    }
}

/// One line: cells padded to their column's width, two spaces apart, no
/// trailing blanks.
fn line<S: AsRef<str>>(cells: &[S], widths: &[usize]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        let cell = cell.as_ref();
        if i > 0 {
            out.push_str("  ");
        }
        out.push_str(cell);
        if i + 1 < cells.len() {
            let width = widths.get(i).copied().unwrap_or(0);
            out.extend(std::iter::repeat_n(
                ' ',
                width.saturating_sub(cell.chars().count()),
            ));
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// A cell's text: on one line (control characters as spaces), at most
/// [`MAX_CELL`] characters.
pub fn cell(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    if flat.chars().count() <= MAX_CELL {
        return flat.to_owned();
    }
    let mut short: String = flat.chars().take(MAX_CELL - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_without_trailing_blanks() {
        let mut table = Table::new(&["ID", "TITLE"]);
        table.row(["7".to_owned(), "short".to_owned()]);
        table.row(["12345".to_owned(), String::new()]);
        assert_eq!(table.render(), "ID     TITLE\n7      short\n12345\n");
    }

    #[test]
    fn cells_are_one_short_line() {
        assert_eq!(cell("two\nlines\t"), "two lines");
        let long = "x".repeat(100);
        let short = cell(&long);
        assert_eq!(short.chars().count(), MAX_CELL);
        assert!(short.ends_with('…'));
    }

    #[test]
    fn streamed_rows_use_the_given_widths() {
        let mut table = Table::new(&["ID", "STATUS", "TITLE"]);
        table.row(["1".to_owned(), "open".to_owned(), "a".to_owned()]);
        assert_eq!(table.render_header(&[4, 8]), "ID    STATUS    TITLE\n");
        assert_eq!(table.render_rows(&[4, 8]), "1     open      a\n");
    }
}
