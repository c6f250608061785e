//! Excel workbooks (`.xlsx`) as WIOD publishes its tables and GLORIA its label lists, read
//! with calamine: a sheet is held whole as a grid of cells, addressed from A1 (0-based row and
//! column), so that messages can name the cell as Excel shows it (`sheet 'WIOT_2009', cell E7`).

use crate::error::{Error, Problem, Result};
use crate::text::{clip, clip_list};
use calamine::{Data, Range, Reader, Xlsx};
use std::io::Cursor;

/// An open workbook and the name it is shown by in messages.
pub(crate) struct Workbook {
    file: String,
    book: Xlsx<Cursor<Vec<u8>>>,
}

/// One sheet, held whole.
pub(crate) struct Sheet {
    /// The file, for messages.
    pub file: String,
    /// The sheet's name.
    pub name: String,
    range: Range<Data>,
}

const DAMAGED: &str = "the workbook is damaged or cut short: fetch it again (unzip -t tests an .xlsx, which is a ZIP archive)";

/// The Excel name of column `c` (0 -> A, 26 -> AA).
pub(crate) fn column_name(c: u32) -> String {
    let mut n = c + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

impl Workbook {
    /// Open the workbook `raw`, called `file` in messages.
    pub(crate) fn open(file: &str, raw: Vec<u8>) -> Result<Workbook> {
        match Xlsx::new(Cursor::new(raw)) {
            Ok(book) => Ok(Workbook {
                file: file.to_string(),
                book,
            }),
            Err(e) => Err(Error::invalid(
                file,
                Problem::new("", format!("not a readable .xlsx workbook: {e}")).hint(DAMAGED),
            )),
        }
    }

    /// The names of the sheets, in workbook order.
    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    /// The sheet called `name`; an error listing the sheets there are when it is missing.
    pub(crate) fn sheet(&mut self, name: &str, hint: &str) -> Result<Sheet> {
        let names = self.sheet_names();
        if !names.iter().any(|n| n == name) {
            return Err(Error::invalid(
                self.file.clone(),
                Problem::new(
                    "",
                    format!(
                        "no sheet '{}' (its sheets: {})",
                        clip(name),
                        clip_list(names.iter().map(String::as_str), 12)
                    ),
                )
                .hint(hint),
            ));
        }
        self.read(name)
    }

    /// The first sheet.
    pub(crate) fn first_sheet(&mut self) -> Result<Sheet> {
        match self.sheet_names().first().cloned() {
            Some(n) => self.read(&n),
            None => Err(Error::invalid(
                self.file.clone(),
                Problem::new("", "the workbook has no sheet").hint(DAMAGED),
            )),
        }
    }

    fn read(&mut self, name: &str) -> Result<Sheet> {
        match self.book.worksheet_range(name) {
            Ok(range) => Ok(Sheet {
                file: self.file.clone(),
                name: name.to_string(),
                range,
            }),
            Err(e) => Err(Error::invalid(
                self.file.clone(),
                Problem::new(
                    format!("sheet '{}'", clip(name)),
                    format!("cannot be read: {e}"),
                )
                .hint(DAMAGED),
            )),
        }
    }
}

static EMPTY: Data = Data::Empty;

impl Sheet {
    /// The cell at row `r`, column `c` (0-based from A1); empty outside the used range.
    pub(crate) fn cell(&self, r: u32, c: u32) -> &Data {
        self.range.get_value((r, c)).unwrap_or(&EMPTY)
    }

    /// The last used row and column (0-based from A1); `None` for an empty sheet.
    pub(crate) fn end(&self) -> Option<(u32, u32)> {
        self.range.end()
    }

    /// How a cell is named in messages: `sheet 'WIOT_2009', cell E7`.
    pub(crate) fn place(&self, r: u32, c: u32) -> String {
        format!(
            "sheet '{}', cell {}{}",
            clip(&self.name),
            column_name(c),
            r + 1
        )
    }

    /// The cell as text, trimmed (a number as Excel would show it; empty for an empty cell).
    pub(crate) fn text(&self, r: u32, c: u32) -> String {
        match self.cell(r, c) {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            d => d.to_string().trim().to_string(),
        }
    }

    /// The cell as a number: an empty cell is 0 (as pandas' NaN is summed); text that is a
    /// number is read; anything else is a problem naming the cell.
    pub(crate) fn number(&self, r: u32, c: u32, what: &str) -> Result<f64> {
        let bad = |got: String| {
            Error::invalid(
                self.file.clone(),
                Problem::new(
                    self.place(r, c),
                    format!("{what} must be a number, not {got}"),
                ),
            )
        };
        match self.cell(r, c) {
            Data::Empty => Ok(0.0),
            Data::Float(f) if f.is_finite() => Ok(*f),
            Data::Int(i) => Ok(*i as f64),
            Data::String(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(0.0);
                }
                match t.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(bad(format!("'{}'", clip(t)))),
                }
            }
            Data::Error(e) => Err(bad(format!("the Excel error {e}"))),
            d => Err(bad(format!("'{}'", clip(&d.to_string())))),
        }
    }

    /// The column (0-based) whose header in row `r` is `name`.
    pub(crate) fn column(&self, r: u32, name: &str) -> Option<u32> {
        let (_, last) = self.end()?;
        (0..=last).find(|&c| self.text(r, c) == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(82), "CE");
    }
}
