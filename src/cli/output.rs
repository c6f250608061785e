//! Printing results: a human table, JSON or CSV, to standard output or atomically to a file.

use super::Format;
use anyhow::Result;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use tradenet::text::clip_to;

/// A table for humans and for CSV: a header and rows of cells.
#[derive(Debug, Default, Clone)]
pub struct Table {
    /// Title printed above the table (not in CSV).
    pub title: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows as text for the human table.
    pub rows: Vec<Vec<String>>,
    /// Columns to right-align (numbers).
    pub right: Vec<usize>,
}

/// The most characters of a table cell: longer data (a 50 MB id) is cut, with the bytes left
/// out counted, so that a table's width does not grow with the data (the JSON and CSV keep it
/// whole).
const CELL_CHARS: usize = 120;
/// The most characters of a title or a line of the summary.
const LINE_CHARS: usize = 1000;

/// A cell as a terminal may show it: control characters, escape sequences and bidi controls
/// escaped ([`tradenet::text`]), cut to [`CELL_CHARS`].
fn cell(s: &str) -> String {
    clip_to(s, CELL_CHARS).into_owned()
}

impl Table {
    /// Render for a terminal.
    pub fn render(&self) -> String {
        use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, ContentArrangement};
        let mut t = comfy_table::Table::new();
        t.load_preset(UTF8_BORDERS_ONLY)
            .set_content_arrangement(ContentArrangement::Disabled);
        t.set_header(self.header.iter().map(|h| cell(h)));
        for r in &self.rows {
            t.add_row(r.iter().map(|c| cell(c)));
        }
        for &c in &self.right {
            if let Some(col) = t.column_mut(c) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        let mut s = String::new();
        if !self.title.is_empty() {
            s.push_str(&clip_to(&self.title, LINE_CHARS));
            s.push('\n');
        }
        s.push_str(&t.to_string());
        s.push('\n');
        s
    }
}

/// The CSV of a report: a header (first column `id`) and rows.
pub type Csv = (Vec<String>, Vec<Vec<String>>);

/// What a command's output gives in each format. The sink asks only for the format requested:
/// on a million-node graph the JSON tree alone is hundreds of megabytes, and a table needs only
/// the top rows.
pub trait Report {
    /// Lines of text before the tables.
    fn summary(&self) -> Vec<String> {
        Vec::new()
    }
    /// Tables for the human output (each already cut to the command's `--top`).
    fn tables(&self) -> Vec<Table> {
        Vec::new()
    }
    /// The JSON document: FORMAT.md's shapes, from the output types' `Serialize`.
    fn json(&self) -> Result<Value>;
    /// The CSV: header and rows.
    fn csv(&self) -> Result<Csv>;
}

/// The JSON of a serialisable output (numbers as serde writes them; non-finite numbers are
/// `null`).
pub fn to_json<T: serde::Serialize + ?Sized>(t: &T) -> Result<Value> {
    Ok(serde_json::to_value(t)?)
}

/// Where and how to print.
pub struct Sink {
    pub format: Format,
    pub path: Option<String>,
}

impl Sink {
    /// True when the report will be printed as `f`: a command can skip building the other
    /// shapes (on a million-node graph the JSON tree alone is hundreds of megabytes).
    pub fn is(&self, f: Format) -> bool {
        self.format == f
    }

    /// Print a report in the chosen format (only that format is built).
    pub fn report(&self, r: &dyn Report) -> Result<()> {
        let bytes = match self.format {
            Format::Table => {
                let mut s = String::new();
                for l in &r.summary() {
                    s.push_str(&clip_to(l, LINE_CHARS));
                    s.push('\n');
                }
                for t in &r.tables() {
                    s.push('\n');
                    s.push_str(&t.render());
                }
                no_negative_zero(&s).into_bytes()
            }
            Format::Json => {
                let mut json = r.json()?;
                zero_sign(&mut json);
                let mut v = serde_json::to_vec_pretty(&json)?;
                v.push(b'\n');
                v
            }
            Format::Csv => {
                let (header, rows) = r.csv()?;
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&header)?;
                for row in &rows {
                    w.write_record(row.iter().map(|c| no_negative_zero(c)))?;
                }
                w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?
            }
        };
        self.bytes(&bytes)
    }

    /// Write raw bytes (a converted graph) to the file or standard output.
    pub fn bytes(&self, bytes: &[u8]) -> Result<()> {
        match &self.path {
            Some(p) if p != "-" => Ok(tradenet::io::write_atomic(Path::new(p), bytes)?),
            _ => {
                let mut out = std::io::stdout().lock();
                match out.write_all(bytes).and_then(|_| out.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`| head`) is not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }
}

/// A CSV of `header` (first column `id`) with one row per item: its id, then numbers written
/// in their shortest exact form.
pub fn number_rows<T>(header: &[&str], items: &[T], row: impl Fn(&T) -> (String, Vec<f64>)) -> Csv {
    let rows = items
        .iter()
        .map(|it| {
            let (id, values) = row(it);
            std::iter::once(id)
                .chain(values.iter().map(f64::to_string))
                .collect()
        })
        .collect();
    (header.iter().map(|h| h.to_string()).collect(), rows)
}

/// CSV of JSON rows that share their keys: numbers and strings as they are, null as empty.
pub fn rows_csv(rows: &Value) -> Csv {
    let rows = rows.as_array().map_or(&[][..], Vec::as_slice);
    let Some(Value::Object(first)) = rows.first() else {
        return (vec!["id".into()], Vec::new());
    };
    let header: Vec<String> = first.keys().cloned().collect();
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let body = rows
        .iter()
        .map(|r| header.iter().map(|k| cell(&r[k.as_str()])).collect())
        .collect();
    (header, body)
}

/// Every number in `v` that is -0 becomes 0: a rounded or cancelled zero is not negative.
pub fn zero_sign(v: &mut Value) {
    match v {
        Value::Number(n)
            if n.as_f64() == Some(0.0) && n.as_f64().is_some_and(f64::is_sign_negative) =>
        {
            *v = Value::from(0.0);
        }
        Value::Array(a) => a.iter_mut().for_each(zero_sign),
        Value::Object(o) => o.values_mut().for_each(zero_sign),
        _ => {}
    }
}

/// `text` with the sign dropped from every number that prints as zero (`-0`, `-0.0000`,
/// `-0.0%`): a number starts after a character that is not a letter, digit, `.` or `_`.
pub fn no_negative_zero(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        if c != b'-'
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.' || b[i - 1] == b'_'))
        {
            continue;
        }
        let end = i
            + 1
            + b[i + 1..]
                .iter()
                .take_while(|&&d| d == b'0' || d == b'.')
                .count();
        let digits = &b[i + 1..end];
        let next_is_digit = b.get(end).is_some_and(|d| d.is_ascii_digit());
        if digits.first() == Some(&b'0') && !next_is_digit {
            out.push_str(&text[last..i]);
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A value in readable units: `59.80 bn`, `1.23 trn`, `4.56 mn`, or the plain number.
pub fn human(v: f64) -> String {
    let a = v.abs();
    if a >= 1e18 {
        // Beyond a million trillion: exponent form, never hundreds of digits.
        format!("{v:.3e}")
    } else if a >= 1e12 {
        format!("{:.2} trn", v / 1e12)
    } else if a >= 1e9 {
        format!("{:.2} bn", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2} mn", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.4}")
    }
}

/// A share as a percentage with one decimal.
pub fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A count with thousands separators (the library's, as its messages write counts).
pub fn count(n: usize) -> String {
    tradenet::budget::fmt_count(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_values_print_in_exponent_form() {
        assert_eq!(human(-1e308), "-1.000e308");
        assert_eq!(human(2.5e18), "2.500e18");
        assert_eq!(human(1.5e15), "1500.00 trn");
    }

    #[test]
    fn negative_zero_is_printed_as_zero() {
        assert_eq!(
            no_negative_zero("from others -0.0000"),
            "from others 0.0000"
        );
        assert_eq!(
            no_negative_zero("-0.0% and -0 | -0.01 -10 c-0 x-0.0"),
            "0.0% and 0 | -0.01 -10 c-0 x-0.0"
        );
        assert_eq!(no_negative_zero("-0.05%"), "-0.05%");
        assert_eq!(no_negative_zero("(-0.000 bn)"), "(0.000 bn)");
        let mut v = serde_json::json!({"a": -0.0, "b": [-0.0, -1.0], "c": 0.0});
        zero_sign(&mut v);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":0.0,"b":[0.0,-1.0],"c":0.0}"#
        );
    }
}
