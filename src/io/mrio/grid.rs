//! A labelled numeric table as the MRIO databases publish them: a few header rows of labels,
//! then rows that start with a few label fields and go on with numbers. One pass, rows parsed
//! in parallel, one allocation per row (never per cell).
//!
//! Empty cells and pandas' usual missing-value marks (`NA`, `N/A`, `NaN`, `nan`, `null`,
//! `NULL`) read as 0, as pymrio's `fillna(0)` has them. A field may be quoted (`"AUS_C01"`);
//! quotes are removed. Anything else that is not a finite number is a problem naming the line
//! and the column label; a row with more or fewer fields than the header is one too.

use crate::error::{Problem, Problems, Result};
use crate::text::clip;
use rayon::prelude::*;

/// How a table is laid out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// The field separator (`,` or tab).
    pub delim: u8,
    /// Header rows before the data (0 for a headerless matrix).
    pub header_rows: usize,
    /// Label fields at the start of every row (header rows included).
    pub index_cols: usize,
    /// Fields of every row of a headerless table, when known (from its label file); without
    /// it, the first row's.
    pub columns: Option<usize>,
}

/// One data row: its line number, its label fields and its numbers.
#[derive(Debug)]
pub(crate) struct Row {
    /// 1-based line number in the file.
    pub line: u64,
    /// The `index_cols` label fields, quotes removed and trimmed.
    pub labels: Vec<String>,
    /// The numbers after the labels.
    pub values: Vec<f64>,
}

/// A parsed table.
#[derive(Debug)]
pub(crate) struct Grid {
    /// The header rows, every field (the label columns included).
    pub header: Vec<Vec<String>>,
    /// The data rows in file order.
    pub rows: Vec<Row>,
    /// Cells read as 0 because they were empty or a missing-value mark.
    pub missing_cells: u64,
}

/// Budget bytes per cell while a table is parsed: its number (8) and the dense matrices made
/// from it (8), rounded up.
pub(crate) const PER_CELL: u64 = 16;

/// The lines of `bytes` with their 1-based numbers: blank lines are left out, a CR before the
/// line end is removed.
fn lines(bytes: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0usize;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (n, end) in (1u64..).zip(ends) {
        let mut line = &bytes[start..end];
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if !line.trim_ascii().is_empty() {
            out.push((n, line));
        }
        start = end + 1;
    }
    out
}

/// The fields of one line, quotes removed. Without a quote in the line a split at the
/// separator; with one, a field that starts with a quote runs to its closing quote (a doubled
/// quote inside is kept as one). `Err` names an unclosed quote.
pub(crate) fn split<'a>(
    line: &'a [u8],
    delim: u8,
    out: &mut Vec<&'a [u8]>,
) -> std::result::Result<(), ()> {
    out.clear();
    if memchr::memchr(b'"', line).is_none() {
        let mut start = 0;
        for at in memchr::memchr_iter(delim, line) {
            out.push(line[start..at].trim_ascii());
            start = at + 1;
        }
        out.push(line[start..].trim_ascii());
        return Ok(());
    }
    let mut i = 0;
    loop {
        let rest = &line[i..];
        let lead = rest.len() - rest.trim_ascii_start().len();
        if rest.get(lead) == Some(&b'"') {
            let open = i + lead + 1;
            let mut j = open;
            loop {
                match memchr::memchr(b'"', &line[j..]) {
                    Some(k) if line.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => {
                        j += k;
                        break;
                    }
                    None => return Err(()),
                }
            }
            out.push(&line[open..j]);
            match memchr::memchr(delim, &line[j..]) {
                Some(k) => i = j + k + 1,
                None => return Ok(()),
            }
        } else {
            match memchr::memchr(delim, rest) {
                Some(k) => {
                    out.push(rest[..k].trim_ascii());
                    i += k + 1;
                }
                None => {
                    out.push(rest.trim_ascii());
                    return Ok(());
                }
            }
        }
    }
}

/// A field as text (lossy: labels are ASCII in every published table).
pub(crate) fn text(field: &[u8]) -> String {
    String::from_utf8_lossy(field).into_owned()
}

/// True for the marks pandas reads as missing (and for an empty field).
fn is_missing(f: &[u8]) -> bool {
    matches!(
        f,
        b"" | b"NA" | b"N/A" | b"NaN" | b"nan" | b"null" | b"NULL" | b"#N/A"
    )
}

/// Parse `bytes` (gzip unpacked, BOM removed) laid out as `shape`. `col_name(j)` names data
/// column `j` (0-based, after the label columns) in messages; `progress` is told the bytes
/// of each row read.
pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    shape: Shape,
    col_name: &(dyn Fn(&[Vec<String>], usize) -> String + Sync),
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<Grid> {
    let (header, width, data) = prelude(file, bytes, shape)?;
    let cols = width - shape.index_cols.min(width);
    let header_ref = &header;
    let parsed: Vec<std::result::Result<(Row, u64), Problem>> = data
        .par_iter()
        .map_init(Vec::new, |fields, &(line, l)| {
            let mut values = vec![0.0; cols];
            let r = parse_row(line, l, shape, width, fields, &mut values, &|j| {
                col_name(header_ref, j)
            })
            .map(|(labels, missing)| {
                (
                    Row {
                        line,
                        labels,
                        values,
                    },
                    missing,
                )
            });
            if let Some(tell) = progress {
                tell(l.len() as u64 + 1);
            }
            r
        })
        .collect();
    let (rows, missing_cells) = gather(file, parsed)?;
    Ok(Grid {
        header,
        rows,
        missing_cells,
    })
}

/// A parsed table whose numbers are one row-major matrix: data row r (in file order) is
/// `values[r * cols..(r + 1) * cols]`. For the large square tables (EXIOBASE's 64 M cells),
/// where a vector per row and a copy into the matrix would touch the memory twice.
#[derive(Debug)]
pub(crate) struct Dense {
    /// The header rows, every field.
    pub header: Vec<Vec<String>>,
    /// Each data row's 1-based line number and label fields.
    pub rows: Vec<(u64, Vec<String>)>,
    /// Numbers per row.
    pub cols: usize,
    /// The numbers, row-major.
    pub values: Vec<f64>,
    /// Cells read as 0 because they were empty or a missing-value mark.
    pub missing_cells: u64,
}

/// A data row's line number and label fields.
type Labels = (u64, Vec<String>);

/// The header rows, the width of a row, and the data lines with their numbers.
type Prelude<'b> = (Vec<Vec<String>>, usize, Vec<(u64, &'b [u8])>);

/// [`parse`] into one matrix ([`Dense`]); the same rules and messages.
pub(crate) fn parse_dense(
    file: &str,
    bytes: &[u8],
    shape: Shape,
    col_name: &(dyn Fn(&[Vec<String>], usize) -> String + Sync),
) -> Result<Dense> {
    let (header, width, data) = prelude(file, bytes, shape)?;
    let cols = width - shape.index_cols.min(width);
    let header_ref = &header;
    let mut values = vec![0.0; data.len() * cols];
    let parsed: Vec<std::result::Result<(Labels, u64), Problem>> = if cols == 0 {
        let mut fields = Vec::new();
        data.iter()
            .map(|&(line, l)| {
                parse_row(line, l, shape, width, &mut fields, &mut [], &|j| {
                    col_name(header_ref, j)
                })
                .map(|(labels, missing)| ((line, labels), missing))
            })
            .collect()
    } else {
        values
            .par_chunks_mut(cols)
            .zip(data.par_iter())
            .map_init(Vec::new, |fields, (out, &(line, l))| {
                parse_row(line, l, shape, width, fields, out, &|j| {
                    col_name(header_ref, j)
                })
                .map(|(labels, missing)| ((line, labels), missing))
            })
            .collect()
    };
    let (rows, missing_cells) = gather(file, parsed)?;
    Ok(Dense {
        header,
        rows,
        cols,
        values,
        missing_cells,
    })
}

/// The rows parsed in file order and the count of their missing cells, or every problem.
fn gather<R>(
    file: &str,
    parsed: Vec<std::result::Result<(R, u64), Problem>>,
) -> Result<(Vec<R>, u64)> {
    let mut problems = Problems::default();
    let mut rows = Vec::with_capacity(parsed.len());
    let mut missing_cells = 0;
    for r in parsed {
        match r {
            Ok((row, missing)) => {
                missing_cells += missing;
                rows.push(row);
            }
            Err(p) => problems.push(p),
        }
    }
    problems.into_result(file)?;
    Ok((rows, missing_cells))
}

/// What both parsers do first: the encoding check, the header rows, the width of a row, and
/// the memory the cells will take, checked against the budget. Returns the header, the
/// width and the data lines.
fn prelude<'b>(file: &str, bytes: &'b [u8], shape: Shape) -> Result<Prelude<'b>> {
    if let Some(p) = crate::io::text::encoding_problem(bytes) {
        return Err(crate::Error::invalid(file, p));
    }
    let mut all = lines(bytes);
    if all.len() < shape.header_rows {
        return Err(crate::Error::invalid(
            file,
            Problem::new(
                "",
                format!(
                    "the file has {} lines, fewer than its {} header rows",
                    all.len(),
                    shape.header_rows
                ),
            )
            .hint("the file is empty or cut short: fetch it again"),
        ));
    }
    let mut header = Vec::with_capacity(shape.header_rows);
    let mut fields = Vec::new();
    for &(line, l) in &all[..shape.header_rows] {
        if split(l, shape.delim, &mut fields).is_err() {
            return Err(crate::Error::invalid(
                file,
                Problem::new(format!("line {line}"), "a quoted field is not closed"),
            ));
        }
        header.push(fields.iter().map(|f| text(f)).collect::<Vec<_>>());
    }
    // Rows have as many fields as the widest header row (or the first data row, headerless).
    let width = match header.iter().map(Vec::len).max().or(shape.columns) {
        Some(w) => w,
        None => all.first().map_or(0, |&(_, l)| {
            let mut f = Vec::new();
            let _ = split(l, shape.delim, &mut f);
            f.len()
        }),
    };
    let data = all.split_off(shape.header_rows);
    let cells = (data.len() as u64).saturating_mul(width as u64);
    crate::budget::check(
        (bytes.len() as u64).saturating_add(cells.saturating_mul(PER_CELL)),
        || {
            format!(
                "reading {file} ({} rows x {} columns, at about {PER_CELL} bytes a cell, with the file held)",
                crate::budget::fmt_count(data.len() as u64),
                crate::budget::fmt_count(width as u64)
            )
        },
    )?;
    Ok((header, width, data))
}

/// Parse one data row: its numbers into `out` (the fields after the labels; `out` holds
/// `width - index_cols`), its labels and the count of missing cells returned.
fn parse_row<'a>(
    line: u64,
    l: &'a [u8],
    shape: Shape,
    width: usize,
    fields: &mut Vec<&'a [u8]>,
    out: &mut [f64],
    col_name: &dyn Fn(usize) -> String,
) -> std::result::Result<(Vec<String>, u64), Problem> {
    if split(l, shape.delim, fields).is_err() {
        return Err(
            Problem::new(format!("line {line}"), "a quoted field is not closed")
                .hint("the line is cut short or a label holds a stray quote"),
        );
    }
    let label = |fields: &[&[u8]]| {
        fields
            .first()
            .map(|f| clip(&text(f)).into_owned())
            .unwrap_or_default()
    };
    if fields.len() != width {
        let rule = if shape.header_rows == 0 {
            format!(
                "the row has {} fields, the column labels give {width} columns",
                fields.len()
            )
        } else {
            format!(
                "row '{}' has {} fields, the header has {width}",
                label(fields),
                fields.len()
            )
        };
        return Err(Problem::new(format!("line {line}"), rule).hint(if fields.len() < width {
            "the row is cut short: a truncated download or copy (fetch the file again), or a row of another table"
        } else {
            "a field holds the separator: a decimal comma, or an unquoted label"
        }));
    }
    if width < shape.index_cols {
        return Err(Problem::new(
            format!("line {line}"),
            format!(
                "row '{}' has {width} fields, fewer than its {} label fields",
                label(fields),
                shape.index_cols
            ),
        ));
    }
    let labels: Vec<String> = fields[..shape.index_cols].iter().map(|f| text(f)).collect();
    let mut missing = 0;
    for (j, (f, slot)) in fields[shape.index_cols..]
        .iter()
        .zip(out.iter_mut())
        .enumerate()
    {
        if is_missing(f) {
            missing += 1;
            *slot = 0.0;
            continue;
        }
        match fast_float2::parse::<f64, _>(f) {
            // `+ 0.0`: -0 reads as 0.
            Ok(v) if v.is_finite() => *slot = v + 0.0,
            _ => {
                let place = if shape.index_cols == 0 {
                    format!("line {line} (column '{}')", clip(&col_name(j)))
                } else {
                    format!(
                        "line {line} (row '{}', column '{}')",
                        label(fields),
                        clip(&col_name(j))
                    )
                };
                return Err(Problem::new(
                    place,
                    format!("not a number: '{}'", clip(&text(f))),
                )
                .hint("cells of the table must be plain numbers (1234.5, 1.2E-3) or empty; a label in a number column means the rows and the header do not match"));
            }
        }
    }
    Ok((labels, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        let mut f = Vec::new();
        split(line.as_bytes(), b',', &mut f).unwrap();
        f.iter().map(|x| text(x)).collect()
    }

    #[test]
    fn splits_plain_and_quoted_fields() {
        assert_eq!(fields("a,1, 2 ,"), ["a", "1", "2", ""]);
        assert_eq!(fields("\"A_B\",1,\"x,y\""), ["A_B", "1", "x,y"]);
        assert_eq!(fields("\"\",\"a\""), ["", "a"]);
        let mut f = Vec::new();
        assert!(split(b"\"open,1", b',', &mut f).is_err());
    }

    #[test]
    fn reads_cells_and_names_bad_ones() {
        let shape = Shape {
            delim: b',',
            header_rows: 1,
            index_cols: 1,
            columns: None,
        };
        let name = |h: &[Vec<String>], j: usize| h[0][j + 1].clone();
        let g = parse(
            "t.csv",
            b",A,B\r\nr1,1.5,\r\nr2,NA,-0\r\n",
            shape,
            &name,
            None,
        )
        .unwrap();
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[0].values, [1.5, 0.0]);
        assert_eq!(g.rows[1].values, [0.0, 0.0]);
        assert_eq!(g.missing_cells, 2);
        let e = parse("t.csv", b",A,B\nr1,1,x\n", shape, &name, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv: line 2 (row 'r1', column 'B'): not a number: 'x'"),
            "{e}"
        );
        let e = parse("t.csv", b",A,B\nr1,1,2\nr2,3", shape, &name, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3: row 'r2' has 2 fields, the header has 3"),
            "{e}"
        );
        assert!(e.contains("cut short"), "{e}");
    }

    #[test]
    fn dense_reads_the_same_cells_and_problems_as_rows() {
        let shape = Shape {
            delim: b',',
            header_rows: 1,
            index_cols: 1,
            columns: None,
        };
        let name = |h: &[Vec<String>], j: usize| h[0][j + 1].clone();
        let body = b",A,B\r\nr1,1.5,\r\nr2,NA,-0\r\nr3,2e3,4\n";
        let g = parse("t.csv", body, shape, &name, None).unwrap();
        let d = parse_dense("t.csv", body, shape, &name).unwrap();
        assert_eq!(d.cols, 2);
        let rows: Vec<f64> = g.rows.iter().flat_map(|r| r.values.clone()).collect();
        assert_eq!(d.values, rows);
        assert_eq!(d.values, [1.5, 0.0, 0.0, 0.0, 2000.0, 4.0]);
        assert_eq!(d.missing_cells, g.missing_cells);
        assert_eq!(d.rows[2], (4, vec!["r3".to_string()]));
        for bad in [&b",A,B\nr1,1,x\n"[..], b",A,B\nr1,1,2\nr2,3"] {
            let a = parse("t.csv", bad, shape, &name, None)
                .unwrap_err()
                .to_string();
            let b = parse_dense("t.csv", bad, shape, &name)
                .unwrap_err()
                .to_string();
            assert_eq!(a, b);
        }
    }
}
