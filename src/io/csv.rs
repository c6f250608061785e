//! CSV edge lists (FORMAT.md §2): `exporter,importer,sector,value[,year]` by default, column
//! names configurable (BACI's `i,j,k,v,t` and common aliases are recognised), `,` `;` tab or
//! `|` separated. Rows with an empty or zero value are skipped and counted; a negative or
//! non-numeric value is a problem naming the line.

use super::fields::truncate;
use crate::error::{Problem, Result};
use crate::model::{GraphBuilder, Meta, Place, TradeGraph};
use indicatif::ProgressBar;

/// Column names of an edge list. `None` means: the default name, then its usual aliases.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Exporter (supplier) column; default `exporter`, aliases `from`, `source`, `i`, `origin`.
    pub from: Option<String>,
    /// Importer (buyer) column; default `importer`, aliases `to`, `target`, `j`, `destination`.
    pub to: Option<String>,
    /// Sector column (optional in the file); default `sector`, aliases `k`, `product`, `industry`, `hs`.
    pub sector: Option<String>,
    /// Value column; default `value`, aliases `v`, `weight`, `trade_value`.
    pub value: Option<String>,
    /// Year column (optional in the file); default `year`, aliases `t`, `period`.
    pub year: Option<String>,
}

const FROM: &[&str] = &["exporter", "from", "source", "i", "origin", "supplier"];
const TO: &[&str] = &["importer", "to", "target", "j", "destination", "buyer"];
const SECTOR: &[&str] = &["sector", "k", "product", "industry", "hs", "commodity"];
const VALUE: &[&str] = &["value", "v", "weight", "trade_value"];
const YEAR: &[&str] = &["year", "t", "period"];

/// Options for reading an edge list.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// Column names.
    pub columns: Columns,
    /// Keep only the rows of this year (needs a year column).
    pub year: Option<u16>,
}

/// Guess the separator from the header line: the most frequent of `,` `;` tab `|`.
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut best = (0usize, b',');
    for d in [b',', b';', b'\t', b'|'] {
        let c = header.iter().filter(|&&b| b == d).count();
        if c > best.0 {
            best = (c, d);
        }
    }
    best.1
}

fn find_col(header: &[String], given: &Option<String>, names: &[&str], what: &str, flag: &str) -> Result<Option<usize>, Problem> {
    let pos = |n: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    match given {
        Some(n) => pos(n).map(Some).ok_or_else(|| {
            Problem::new("line 1", format!("no column '{n}' for the {what} (columns: {})", header.join(", ")))
                .hint(format!("check {flag}"))
        }),
        None => Ok(names.iter().find_map(|n| pos(n))),
    }
}

/// Read an edge list from bytes (already decompressed, BOM removed).
pub fn read(bytes: &[u8], opts: &CsvOptions, progress: Option<&ProgressBar>) -> Result<TradeGraph> {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let delim = sniff_delimiter(first_line);
    let mut rdr = csv::ReaderBuilder::new().delimiter(delim).flexible(true).has_headers(false).from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut b = GraphBuilder::new();
    b.set_auto_nodes(true);

    let at = |e: csv::Error| crate::Error::invalid("<input>", Problem::new("", format!("unreadable CSV: {e}")));
    if !rdr.read_byte_record(&mut rec).map_err(at)? {
        return Err(crate::Error::invalid("<input>", Problem::new("", "the file is empty")));
    }
    let header: Vec<String> = rec.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect();
    let cols = &opts.columns;
    let found = (|| -> Result<_, Problem> {
        let from = find_col(&header, &cols.from, FROM, "exporter", "--from-col")?;
        let to = find_col(&header, &cols.to, TO, "importer", "--to-col")?;
        let value = find_col(&header, &cols.value, VALUE, "value", "--value-col")?;
        let sector = find_col(&header, &cols.sector, SECTOR, "sector", "--sector-col")?;
        let year = find_col(&header, &cols.year, YEAR, "year", "--year-col")?;
        let missing: Vec<&str> = [(from, "exporter (--from-col)"), (to, "importer (--to-col)"), (value, "value (--value-col)")]
            .iter()
            .filter(|(c, _)| c.is_none())
            .map(|(_, n)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(Problem::new(
                "line 1",
                format!("no column for the {} (columns: {})", missing.join(", "), header.join(", ")),
            )
            .hint("name the columns with --from-col, --to-col, --value-col (defaults: exporter, importer, value)"));
        }
        Ok((from.unwrap(), to.unwrap(), value.unwrap(), sector, year))
    })();
    let (ci, cj, cv, cs, cy) = found.map_err(|p| crate::Error::invalid("<input>", p))?;
    if opts.year.is_some() && cy.is_none() {
        return Err(crate::Error::invalid(
            "<input>",
            Problem::new("line 1", format!("a year was asked for, but there is no year column (columns: {})", header.join(", ")))
                .hint("name it with --year-col"),
        ));
    }
    let need = [Some(ci), Some(cj), Some(cv), cs, cy].into_iter().flatten().max().unwrap_or(0) + 1;

    // Reserve for the whole file: one flow per line.
    let lines = memchr::memchr_iter(b'\n', bytes).count();
    b.reserve(lines / 8 + 16, lines);

    let mut skipped = 0u64;
    let mut other_years = 0u64;
    let mut rows = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                b.problem(Problem::new(format!("line {line}"), format!("unreadable CSV: {e}")));
                break;
            }
        }
        rows += 1;
        let line = rec.position().map(|p| p.line()).unwrap_or(rows + 1);
        if rows % 65536 == 0 {
            if let (Some(pb), Some(p)) = (progress, rec.position()) {
                pb.set_position(p.byte());
            }
        }
        if rec.len() == 1 && rec[0].is_empty() {
            continue; // blank line
        }
        if rec.len() < need {
            b.problem(Problem::new(
                format!("line {line}"),
                format!("expected {} fields, found {}", header.len(), rec.len()),
            ));
            if b.is_full() {
                break;
            }
            continue;
        }
        let place = Place::Line(line);
        let year = match cy {
            Some(c) => {
                let t = trim(&rec[c]);
                match std::str::from_utf8(t).ok().and_then(|s| s.parse::<u16>().ok()).filter(|&y| y > 0) {
                    Some(y) => {
                        if opts.year.is_some_and(|w| w != y) {
                            other_years += 1;
                            continue;
                        }
                        Some(y)
                    }
                    None if t.is_empty() => None,
                    None => {
                        b.problem(Problem::new(
                            place.at(&header[c]),
                            format!("year must be a whole number from 1 to 9999, found '{}'", lossy(t)),
                        ));
                        continue;
                    }
                }
            }
            None => None,
        };
        let raw = trim(&rec[cv]);
        if raw.is_empty() {
            skipped += 1;
            continue;
        }
        let value = match fast_float2::parse::<f64, _>(raw) {
            Ok(v) if v == 0.0 => {
                skipped += 1;
                continue;
            }
            Ok(v) => v,
            Err(_) => {
                b.problem(
                    Problem::new(place.at(&header[cv]), format!("not a number: '{}'", lossy(raw)))
                        .hint("values must be plain numbers such as 1234.5 or 1.2e9, without thousands separators or units"),
                );
                if b.is_full() {
                    break;
                }
                continue;
            }
        };
        let text = |c: usize, b: &mut GraphBuilder| -> Option<&str> {
            match std::str::from_utf8(trim(&rec[c])) {
                Ok(s) => Some(s),
                Err(_) => {
                    b.problem(Problem::new(place.at(&header[c]), "not UTF-8 text").hint("save the file as UTF-8"));
                    None
                }
            }
        };
        let (Some(from), Some(to)) = (text(ci, &mut b), text(cj, &mut b)) else { continue };
        let sector = match cs {
            Some(c) => match text(c, &mut b) {
                Some("") => None,
                Some(s) => Some(s),
                None => continue,
            },
            None => None,
        };
        b.add_flow(from, to, sector, value, year, None, place);
        if b.is_full() {
            break;
        }
    }
    b.add_skipped(skipped);
    let mut meta = Meta::default();
    let mut notes = Vec::new();
    if skipped > 0 {
        notes.push(format!("{skipped} rows with an empty or zero value skipped"));
    }
    if let Some(y) = opts.year {
        meta.year = Some(y as i64);
        notes.push(format!("year {y} only ({other_years} rows of other years left out)"));
    }
    if !notes.is_empty() {
        meta.notes = Some(notes.join("; "));
    }
    b.set_meta(meta);
    if rows == 0 {
        b.problem(Problem::new("", "no data rows after the header"));
    }
    b.build("<input>")
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn lossy(b: &[u8]) -> String {
    truncate(&String::from_utf8_lossy(b), 40)
}

/// The flows of `g` as a CSV edge list: `exporter,importer,sector,value` plus `year`,
/// `quantity` and `tariff` when any flow has them. Node attributes are not kept.
pub fn write(g: &TradeGraph) -> Vec<u8> {
    let has_year = g.flows().any(|(_, _, f)| f.year.is_some());
    let has_q = g.flows().any(|(_, _, f)| f.extra.as_ref().is_some_and(|x| x.quantity.is_some()));
    let has_t = g.flows().any(|(_, _, f)| f.tariff().is_some());
    let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(g.flow_count() * 40));
    let mut header = vec!["exporter", "importer", "sector", "value"];
    if has_year {
        header.push("year");
    }
    if has_q {
        header.push("quantity");
    }
    if has_t {
        header.push("tariff");
    }
    w.write_record(&header).expect("writing to a Vec cannot fail");
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for (a, b, f) in g.flows() {
        row.clear();
        row.push(g.node(a).id.to_string());
        row.push(g.node(b).id.to_string());
        row.push(g.flow_sector(a, f).map(|s| g.sector(s).id.clone()).unwrap_or_default());
        row.push(super::fmt_value(f.value));
        if has_year {
            row.push(f.year.map(|y| y.to_string()).unwrap_or_default());
        }
        let x = f.extra.as_deref();
        if has_q {
            row.push(x.and_then(|x| x.quantity).map(super::fmt_value).unwrap_or_default());
        }
        if has_t {
            row.push(x.and_then(|x| x.tariff).map(super::fmt_value).unwrap_or_default());
        }
        w.write_record(&row).expect("writing to a Vec cannot fail");
    }
    w.into_inner().expect("flushing a Vec cannot fail")
}
