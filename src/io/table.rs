//! Small CSV tables with named columns (auxiliary files: model data sets, coefficient lists,
//! tariff schedules), read whole, with every problem named by file, line and column.

use crate::error::{Error, Problem, Problems, Result};
use crate::text::clip;

/// A CSV file read whole: its header and its rows as text (trimmed), each with its line.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file, as given (for messages).
    pub file: String,
    /// Column names, trimmed.
    pub names: Vec<String>,
    /// (line, fields) of every non-blank row.
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Read `path`. Errors: [`Error::Io`] when it cannot be read; [`Error::Invalid`] for a file
    /// that is not CSV text, has no header, or has rows of another width than the header.
    pub fn read(path: &str) -> Result<Table> {
        let body = std::fs::read(path).map_err(|e| Error::Io {
            file: path.to_string(),
            action: "cannot read",
            error: e,
        })?;
        Table::parse(path, &body)
    }

    /// Parse CSV text (the separator is sniffed from the header line).
    pub fn parse(file: &str, body: &[u8]) -> Result<Table> {
        let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
        let delim = super::csv::sniff_delimiter(&body[..end]);
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .trim(::csv::Trim::All)
            .from_reader(body);
        let mut problems = Problems::default();
        let mut names: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    problems.push(super::csv::unreadable_record(&e));
                    break;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            if rec.iter().all(str::is_empty) {
                continue;
            }
            let fields: Vec<String> = rec.iter().map(str::to_string).collect();
            match &names {
                None => names = Some(fields),
                Some(h) if h.len() != fields.len() => problems.push(
                    Problem::new(
                        format!("line {line}"),
                        format!(
                            "{} fields, but the header has {} columns",
                            fields.len(),
                            h.len()
                        ),
                    )
                    .hint("a value with a decimal comma (2,5) must be quoted, or use a point"),
                ),
                Some(_) => rows.push((line, fields)),
            }
        }
        let Some(names) = names else {
            return Err(Error::Invalid {
                file: file.to_string(),
                problems: vec![Problem::new(
                    "line 1",
                    "the file is empty: a header row is needed",
                )],
                more: 0,
            });
        };
        problems.into_result(file)?;
        Ok(Table {
            file: file.to_string(),
            names,
            rows,
        })
    }

    /// The position of a column, by any of its names (case-insensitive).
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.names.iter().position(|h| h.eq_ignore_ascii_case(n)))
    }

    /// The positions of required columns (each given by its accepted names, the first being the
    /// one named in the error). Errors: [`Error::Invalid`] listing every missing column.
    pub fn require(&self, cols: &[&[&str]]) -> Result<Vec<usize>> {
        let mut out = Vec::with_capacity(cols.len());
        let mut problems = Problems::default();
        for names in cols {
            match self.find(names) {
                Some(i) => out.push(i),
                None => problems.push(
                    Problem::new(
                        "line 1",
                        format!(
                            "no column '{}' (the header has: {})",
                            names[0],
                            clip(&self.names.join(", "))
                        ),
                    )
                    .hint(if names.len() > 1 {
                        format!("name it one of: {}", names.join(", "))
                    } else {
                        format!("add a column '{}'", names[0])
                    }),
                ),
            }
        }
        problems.into_result(&self.file)?;
        Ok(out)
    }

    /// The number in column `col` of row `row`, or the problem (not a finite number).
    pub fn number(&self, row: usize, col: usize) -> std::result::Result<f64, Problem> {
        let (line, f) = &self.rows[row];
        let text = &f[col];
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(Problem::new(
                format!("line {line}, column '{}'", self.names[col]),
                format!("'{}' is not a finite number", clip(text)),
            )),
        }
    }

    /// The place of a row's field, for messages: `line 5, column 'sector'`.
    pub fn place(&self, row: usize, col: usize) -> String {
        format!("line {}, column '{}'", self.rows[row].0, self.names[col])
    }
}

/// The `(key, number)` pairs of a CSV with columns `key` and `value` (more columns are
/// ignored), in file order: a `sector,theta` table of trade elasticities, a `node,value` list.
/// Errors name the file, the line and the column of a value that is not a finite number.
pub fn read_numbers(path: &str, key: &str, value: &str) -> Result<Vec<(String, f64)>> {
    let t = Table::read(path)?;
    let c = t.require(&[&[key], &[value]])?;
    (0..t.rows.len())
        .map(|r| {
            let v = t
                .number(r, c[1])
                .map_err(|p| crate::Error::invalid(path, p))?;
            Ok((t.rows[r].1[c[0]].clone(), v))
        })
        .collect()
}
