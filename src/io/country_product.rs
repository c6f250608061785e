//! Country-product tables of export values: `country,product,value[,year]` (the shape of the
//! economic-complexity data sets, and of `../shared/data/complexity/`), recognised by that
//! header. Product codes are text: `0011` stays `0011`. Rows with an empty or zero value are
//! skipped and counted; a negative, non-numeric, NaN or infinite value, an empty country or
//! product, a bad year and a (country, product, year) given twice are problems naming the line.

use crate::error::{Error, Problem, Result, MAX_PROBLEMS};
use crate::model::builder::id_problem;
use crate::text::clip;

/// One row of a country-product table.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// The exporting country, as written.
    pub country: String,
    /// The product code, as text (leading zeros kept).
    pub product: String,
    /// The export value (positive and finite).
    pub value: f64,
    /// The year, when the table has a `year` column.
    pub year: Option<u16>,
}

/// A country-product table as read: its rows in file order.
#[derive(Debug, Clone, Default)]
pub struct CountryProductTable {
    /// Rows with a positive value.
    pub rows: Vec<ExportRow>,
    /// Rows skipped because their value was empty or zero.
    pub skipped_rows: u64,
    /// True when the table has a `year` column.
    pub has_year: bool,
}

impl CountryProductTable {
    /// The distinct years of the rows, sorted (empty without a year column).
    pub fn years(&self) -> Vec<u16> {
        let mut y: Vec<u16> = self.rows.iter().filter_map(|r| r.year).collect();
        y.sort_unstable();
        y.dedup();
        y
    }

    /// The rows of one year; an error naming the years there are when it has none.
    pub fn year(&self, year: u16) -> Result<CountryProductTable> {
        let years = self.years();
        if !years.contains(&year) {
            return Err(Error::Unknown {
                what: "year",
                id: year.to_string(),
                suggestion: years.last().map(u16::to_string),
            });
        }
        Ok(CountryProductTable {
            rows: self
                .rows
                .iter()
                .filter(|r| r.year == Some(year))
                .cloned()
                .collect(),
            skipped_rows: self.skipped_rows,
            has_year: true,
        })
    }
}

/// The column names of a header line, trimmed and lower-cased.
fn header_names(line: &[u8]) -> Vec<String> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let d = super::csv::sniff_delimiter(line);
    String::from_utf8_lossy(line)
        .split(d as char)
        .map(|s| s.trim().trim_matches('"').to_ascii_lowercase())
        .collect()
}

/// True when the first line of `body` is the header of a country-product table: the columns
/// `country`, `product` and `value`, optionally `year`, and no others (in any order).
pub fn is_country_product_header(body: &[u8]) -> bool {
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let mut names = header_names(&body[..end]);
    names.sort();
    names == ["country", "product", "value"] || names == ["country", "product", "value", "year"]
}

/// Read a country-product table (`body` unpacked, without a byte order mark). Problems name
/// the line; up to [`MAX_PROBLEMS`] are listed.
pub fn read(body: &[u8]) -> Result<CountryProductTable> {
    let invalid = |problems: Vec<Problem>, more: usize| Error::Invalid {
        file: "<input>".into(),
        problems,
        more,
    };
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let names = header_names(&body[..end]);
    let col = |n: &str| names.iter().position(|h| h == n);
    let (Some(ci), Some(pi), Some(vi)) = (col("country"), col("product"), col("value")) else {
        return Err(invalid(
            vec![Problem::new(
                "line 1",
                "a country-product table needs the columns country, product and value",
            )],
            0,
        ));
    };
    let yi = col("year");
    let delim = super::csv::sniff_delimiter(&body[..end]);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let mut out = CountryProductTable {
        has_year: yi.is_some(),
        ..Default::default()
    };
    let mut problems: Vec<Problem> = Vec::new();
    let mut more = 0usize;
    let mut push = |p: Problem, problems: &mut Vec<Problem>| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(p);
        } else {
            more += 1;
        }
    };
    // The line of each row kept, for the check of pairs given twice.
    let mut lines: Vec<u64> = Vec::new();
    let mut rec = ::csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                push(
                    Problem::new(format!("line {line}"), format!("cannot read the row: {e}")),
                    &mut problems,
                );
                break;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        let place = || format!("line {line}");
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue; // a blank line
        }
        if rec.len() != names.len() {
            push(
                Problem::new(
                    place(),
                    format!(
                        "{} fields, but the header has {} columns",
                        rec.len(),
                        names.len()
                    ),
                )
                .hint("a value with a decimal comma (2,5) must be quoted, or use a point"),
                &mut problems,
            );
            continue;
        }
        let field = |i: usize| -> std::result::Result<&str, Problem> {
            std::str::from_utf8(&rec[i]).map(str::trim).map_err(|_| {
                Problem::new(place(), format!("column '{}' is not UTF-8 text", names[i]))
            })
        };
        let (country, product, value) = match (field(ci), field(pi), field(vi)) {
            (Ok(c), Ok(p), Ok(v)) => (c, p, v),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                push(e, &mut problems);
                continue;
            }
        };
        if value.is_empty() {
            out.skipped_rows += 1;
            continue;
        }
        let v: f64 = match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => v,
            Ok(v) => {
                push(
                    Problem::new(
                        place(),
                        format!(
                            "value must be a finite number of at least 0, found '{}'",
                            clip(value)
                        ),
                    )
                    .hint(if v.is_nan() || v.is_infinite() {
                        "give a number, or leave the value empty"
                    } else {
                        "export values cannot be negative"
                    }),
                    &mut problems,
                );
                continue;
            }
            Err(_) => {
                push(
                    Problem::new(place(), format!("value '{}' is not a number", clip(value)))
                        .hint("use a point as the decimal separator and no thousands separators"),
                    &mut problems,
                );
                continue;
            }
        };
        if v == 0.0 {
            out.skipped_rows += 1;
            continue;
        }
        let mut bad = false;
        for (what, id) in [("country", country), ("product", product)] {
            if id.is_empty() {
                push(
                    Problem::new(place(), format!("{what} is empty")),
                    &mut problems,
                );
                bad = true;
            } else if let Some(p) = id_problem(id, what, place()) {
                push(p, &mut problems);
                bad = true;
            }
        }
        let year = match yi {
            None => None,
            Some(i) => match field(i).map(|y| (y, y.parse::<u16>())) {
                Ok((_, Ok(y))) if (1..=9999).contains(&y) => Some(y),
                Ok((y, _)) => {
                    push(
                        Problem::new(
                            place(),
                            format!(
                                "year must be a whole number from 1 to 9999, found '{}'",
                                clip(y)
                            ),
                        ),
                        &mut problems,
                    );
                    continue;
                }
                Err(e) => {
                    push(e, &mut problems);
                    continue;
                }
            },
        };
        if bad {
            continue;
        }
        lines.push(line);
        out.rows.push(ExportRow {
            country: country.to_string(),
            product: product.to_string(),
            value: v,
            year,
        });
    }
    // A (country, product, year) given twice: rows sorted by key (ties by line), neighbours
    // compared.
    let key = |i: usize| {
        let r = &out.rows[i];
        (r.country.as_str(), r.product.as_str(), r.year)
    };
    let mut order: Vec<usize> = (0..out.rows.len()).collect();
    order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)).then(lines[a].cmp(&lines[b])));
    let mut twice: Vec<(u64, u64, usize)> = Vec::new();
    let mut first = 0usize;
    for k in 1..order.len() {
        if key(order[k]) == key(order[first]) {
            twice.push((lines[order[k]], lines[order[first]], order[k]));
        } else {
            first = k;
        }
    }
    twice.sort_unstable();
    for (line, first, i) in twice {
        let r = &out.rows[i];
        push(
            Problem::new(
                format!("line {line}"),
                format!(
                    "country '{}', product '{}'{} is given twice (first on line {first})",
                    clip(&r.country),
                    clip(&r.product),
                    r.year.map(|y| format!(", year {y}")).unwrap_or_default()
                ),
            )
            .hint("give one value per country and product (sum the rows first if they are parts)"),
            &mut problems,
        );
    }
    if !problems.is_empty() {
        return Err(invalid(problems, more));
    }
    if out.rows.is_empty() {
        return Err(invalid(
            vec![
                Problem::new("", "the table has no row with a positive value")
                    .hint("give rows country,product,value with export values above 0"),
            ],
            0,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_header_in_any_order() {
        assert!(is_country_product_header(
            b"country,product,value\nafg,0011,1\n"
        ));
        assert!(is_country_product_header(b"Value;Country;Product;Year\r\n"));
        assert!(!is_country_product_header(
            b"exporter,importer,sector,value\n"
        ));
        assert!(!is_country_product_header(b"country,product,value,extra\n"));
    }

    #[test]
    fn keeps_leading_zeros_and_skips_zeros() {
        let t = read(b"country,product,value\nafg,0011,30068\nafg,0012,0\nbra,0011,\n").unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].product, "0011");
        assert_eq!(t.skipped_rows, 2);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e = read(b"country,product,value\na,1,-3\na,2,x\na,3,NaN\n,4,1\nb,5,1\nb,5,2\n")
            .unwrap_err()
            .to_string();
        for l in [
            "line 2",
            "line 3",
            "line 4",
            "line 5",
            "line 7: country 'b', product '5' is given twice (first on line 6)",
        ] {
            assert!(e.contains(l), "{l} not in {e}");
        }
    }
}
