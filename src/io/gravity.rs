//! Gravity data sets: one row per exporter-importer pair with the pair's trade, the exporter's
//! output `Y`, the importer's expenditure `E` and any number of numeric trade-cost variables
//! (the layout of gegravity's `BaselineData` and of `../shared/data/gegravity-sample/`):
//!
//! ```text
//! exporter,importer,year,trade,Y,E,pta,contiguity,common_language,lndist,international
//! GBR,AUS,2006,4310,925638,362227,0,0,1,9.7126,1
//! ```
//!
//! The columns `exporter`, `importer`, `trade`, `Y` and `E` are required (names matched without
//! regard to case), `year` is optional, and every other column is a cost variable. The data must
//! be square: every exporter-importer pair of the countries, domestic pairs included, exactly
//! once (per year). `Y` must be the same on every row of one exporter and `E` on every row of
//! one importer (within 1e-9 relative); their means are kept.
//!
//! Cost coefficients are read from a second CSV, `var,beta[,stderr]` (the standard errors are
//! read and ignored), with [`read_cost_coefficients`].

use crate::error::{closest, did_you_mean, Error, Problem, Result, MAX_PROBLEMS};
use crate::model::Place;
use crate::text::{clip, clip_list};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The name of the constant among the cost coefficients: without a column of that name in the
/// data it is 1 on every pair (gegravity's examples add `constant = 1` to the data themselves).
pub const CONSTANT: &str = "constant";

/// The most relative difference allowed between two rows' `Y` of one exporter (or `E` of one
/// importer).
pub const SAME_VALUE_REL: f64 = 1e-9;

/// A square gravity data set of one year, countries in sorted order.
#[derive(Debug, Clone, PartialEq)]
pub struct GravityData {
    /// The countries, sorted.
    pub countries: Vec<String>,
    /// Observed trade, `trade[i * n + j]` from exporter `i` to importer `j` (domestic pairs
    /// included).
    pub trade: Vec<f64>,
    /// Output `Y` of each country (the mean of the `Y` column over its rows as exporter).
    pub output: Vec<f64>,
    /// Expenditure `E` of each country (the mean of the `E` column over its rows as importer).
    pub expenditure: Vec<f64>,
    /// The cost variables in the file's column order, each `n * n` values laid out as `trade`.
    pub variables: Vec<(String, Vec<f64>)>,
    /// The year of the rows kept, when the file has a `year` column.
    pub year: Option<u16>,
}

impl GravityData {
    /// The number of countries.
    pub fn len(&self) -> usize {
        self.countries.len()
    }

    /// True when there is no country.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }

    /// The index of a country; [`Error::Unknown`] with the closest country when there is none.
    pub fn index(&self, id: &str) -> Result<usize> {
        self.countries
            .binary_search_by(|c| c.as_str().cmp(id))
            .map_err(|_| Error::Unknown {
                what: "country",
                id: id.to_string(),
                suggestion: closest(id, self.countries.iter().map(String::as_str)),
            })
    }

    /// The values of a cost variable (`n * n`, exporter-major), if the data has it.
    pub fn variable(&self, name: &str) -> Option<&[f64]> {
        self.variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The names of the cost variables, in the file's order.
    pub fn variable_names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|(n, _)| n.as_str())
    }
}

/// Read the gravity data set at `path` (see the [module](self) for the layout), keeping the
/// rows of `year` (needed when the file holds several years).
///
/// Errors: [`Error::Io`] when the file cannot be read, [`Error::Invalid`] naming the line, the
/// column and the rule for bad content.
pub fn load_gravity(path: &Path, year: Option<u16>) -> Result<GravityData> {
    let name = path.display().to_string();
    let bytes = super::read_file_bytes(path)?;
    read_gravity(&bytes, year).map_err(|e| e.in_file(&name))
}

/// Read a gravity data set from the bytes of a CSV file (problems name the file `<input>`:
/// use [`Error::in_file`] to name it).
pub fn read_gravity(body: &[u8], year: Option<u16>) -> Result<GravityData> {
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(body);
    let mut problems = Problems::default();
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let delim = super::csv::sniff_delimiter(&body[..end]);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let header: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect(),
        Err(e) => return Err(invalid(vec![super::csv::unreadable_record(&e)], 0)),
    };
    let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
    let required = ["exporter", "importer", "trade", "Y", "E"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|n| col(n).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(invalid(
            vec![Problem::new(
                "line 1",
                format!(
                    "no column {} (columns: {})",
                    missing
                        .iter()
                        .map(|m| format!("'{m}'"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    clip_list(header.iter().map(String::as_str), 20)
                ),
            )
            .hint("a gravity data set has the columns exporter, importer, year (optional), trade, Y (exporter's output), E (importer's expenditure) and numeric cost variables")],
            0,
        ));
    }
    let [ce, ci, ct, cy, cx] = required.map(|n| col(n).expect("checked above"));
    let cyear = col("year");
    let fixed = [Some(ce), Some(ci), Some(ct), Some(cy), Some(cx), cyear];
    let var_cols: Vec<usize> = (0..header.len())
        .filter(|c| !fixed.contains(&Some(*c)))
        .collect();
    for (k, &c) in var_cols.iter().enumerate() {
        let first = var_cols[..k].iter().find(|&&o| header[o] == header[c]);
        if header[c].is_empty() || first.is_some() {
            problems.push(Problem::new(
                "line 1",
                if header[c].is_empty() {
                    format!("column {} has no name", c + 1)
                } else {
                    format!("column '{}' is given twice", clip(&header[c]))
                },
            ));
        }
    }
    if !problems.list.is_empty() {
        return Err(problems.into_error());
    }

    struct Row {
        line: u64,
        exporter: String,
        importer: String,
        trade: f64,
        y: f64,
        e: f64,
        vars: Vec<f64>,
    }
    let mut by_year: BTreeMap<Option<u16>, Vec<Row>> = BTreeMap::new();
    let mut rec = ::csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.push(super::csv::unreadable_record(&e));
                break;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        let place = Place::Line(line);
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            problems.push(
                Problem::new(
                    place.at(""),
                    format!(
                        "{} fields, but the header has {} columns",
                        rec.len(),
                        header.len()
                    ),
                )
                .hint("a value with a decimal comma (2,5) must be quoted, or use a point"),
            );
            continue;
        }
        let text = |c: usize| -> std::result::Result<&str, Problem> {
            std::str::from_utf8(&rec[c])
                .map(str::trim)
                .map_err(|_| Problem::new(place.at(&header[c]), "not UTF-8 text"))
        };
        let number = |c: usize, rule: &str| -> std::result::Result<f64, Problem> {
            let t = text(c)?;
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(Problem::new(
                    place.at(&header[c]),
                    format!("{rule}, found '{}'", clip(t)),
                )
                .hint("use a point as the decimal separator, no thousands separators, and no empty values")),
            }
        };
        let mut bad = false;
        let mut take = |r: std::result::Result<String, Problem>| match r {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                bad = true;
                String::new()
            }
        };
        let id = |c: usize| -> std::result::Result<String, Problem> {
            let t = text(c)?;
            if t.is_empty() {
                Err(Problem::new(place.at(&header[c]), "empty country id"))
            } else {
                Ok(t.to_string())
            }
        };
        let exporter = take(id(ce));
        let importer = take(id(ci));
        let year_of = cyear.map(|c| {
            take(text(c).and_then(|t| {
                t.parse::<u16>().map(|_| t.to_string()).map_err(|_| {
                    Problem::new(
                        place.at(&header[c]),
                        format!(
                            "year must be a whole number from 0 to 65535, found '{}'",
                            clip(t)
                        ),
                    )
                })
            }))
        });
        // `lower`: 0 for trade (at least 0), 1 for Y and E (above 0), 2 for a cost variable.
        let mut num = |c: usize, rule: &str, lower: u8| -> f64 {
            let hint = match lower {
                0 => "trade flows cannot be negative",
                1 => "output and expenditure are totals above 0",
                _ => "",
            };
            match number(c, rule) {
                Ok(v) if (lower == 0 && v < 0.0) || (lower == 1 && v <= 0.0) => {
                    problems.push(
                        Problem::new(place.at(&header[c]), format!("{rule}, found '{v}'"))
                            .hint(hint),
                    );
                    bad = true;
                    f64::NAN
                }
                Ok(v) => v,
                Err(p) => {
                    problems.push(p);
                    bad = true;
                    f64::NAN
                }
            }
        };
        let trade = num(ct, "trade must be a finite number of at least 0", 0);
        let y = num(cy, "output Y must be a finite number above 0", 1);
        let e = num(cx, "expenditure E must be a finite number above 0", 1);
        let vars: Vec<f64> = var_cols
            .iter()
            .map(|&c| {
                num(
                    c,
                    &format!(
                        "cost variable '{}' must be a finite number",
                        clip(&header[c])
                    ),
                    2,
                )
            })
            .collect();
        if bad {
            continue;
        }
        // Checked above (a bad year made the row bad).
        let year_key = year_of.and_then(|y| y.parse::<u16>().ok());
        by_year.entry(year_key).or_default().push(Row {
            line,
            exporter,
            importer,
            trade,
            y,
            e,
            vars,
        });
    }
    if !problems.list.is_empty() {
        return Err(problems.into_error());
    }
    let years: Vec<Option<u16>> = by_year.keys().copied().collect();
    let chosen = match year {
        Some(y) if cyear.is_none() => {
            return Err(invalid(
                vec![Problem::new(
                    "line 1",
                    format!("a year ({y}) was chosen, but the file has no 'year' column"),
                )
                .hint("leave the year out")],
                0,
            ))
        }
        Some(y) => {
            if !by_year.contains_key(&Some(y)) {
                return Err(Error::Unknown {
                    what: "year",
                    id: y.to_string(),
                    suggestion: years.last().copied().flatten().map(|y| y.to_string()),
                });
            }
            Some(y)
        }
        None if years.len() > 1 => {
            return Err(invalid(
                vec![Problem::new(
                    "",
                    format!(
                        "the file holds {} years ({}): choose one",
                        years.len(),
                        clip_list(
                            years
                                .iter()
                                .flatten()
                                .map(|y| y.to_string())
                                .collect::<Vec<_>>()
                                .iter()
                                .map(String::as_str),
                            20
                        )
                    ),
                )
                .hint("give the year (--year)")],
                0,
            ))
        }
        None => years.first().copied().flatten(),
    };
    let rows = by_year.remove(&chosen).unwrap_or_default();
    if rows.is_empty() {
        return Err(invalid(
            vec![Problem::new("", "no data rows after the header")],
            0,
        ));
    }
    let countries: Vec<String> = rows
        .iter()
        .flat_map(|r| [r.exporter.clone(), r.importer.clone()])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let n = countries.len();
    let ix = |c: &str| {
        countries
            .binary_search_by(|x| x.as_str().cmp(c))
            .expect("collected")
    };
    let mut trade = vec![0.0; n * n];
    let mut line_of: Vec<u64> = vec![0; n * n];
    let mut vars: Vec<Vec<f64>> = vec![vec![0.0; n * n]; var_cols.len()];
    let mut y_first: Vec<Option<(f64, u64)>> = vec![None; n];
    let mut e_first: Vec<Option<(f64, u64)>> = vec![None; n];
    let (mut y_sum, mut y_count) = (vec![0.0; n], vec![0usize; n]);
    let (mut e_sum, mut e_count) = (vec![0.0; n], vec![0usize; n]);
    for r in &rows {
        let (i, j) = (ix(&r.exporter), ix(&r.importer));
        let k = i * n + j;
        if line_of[k] != 0 {
            problems.push(
                Problem::new(
                    format!("line {}", r.line),
                    format!(
                        "exporter '{}', importer '{}'{} is given twice (first on line {})",
                        clip(&r.exporter),
                        clip(&r.importer),
                        chosen.map(|y| format!(", year {y}")).unwrap_or_default(),
                        line_of[k]
                    ),
                )
                .hint("give one row per exporter-importer pair"),
            );
            continue;
        }
        line_of[k] = r.line;
        trade[k] = r.trade;
        for (v, x) in vars.iter_mut().zip(&r.vars) {
            v[k] = *x;
        }
        for (first, sum, count, c, v, col, who) in [
            (
                &mut y_first,
                &mut y_sum,
                &mut y_count,
                i,
                r.y,
                cy,
                "exporter",
            ),
            (
                &mut e_first,
                &mut e_sum,
                &mut e_count,
                j,
                r.e,
                cx,
                "importer",
            ),
        ] {
            match first[c] {
                None => first[c] = Some((v, r.line)),
                Some((f, l)) if (v - f).abs() > SAME_VALUE_REL * f.abs().max(v.abs()) => {
                    problems.push(
                        Problem::new(
                            Place::Line(r.line).at(&header[col]),
                            format!(
                                "{} of {who} '{}' is {v} here but {f} on line {l}",
                                header[col],
                                clip(&countries[c])
                            ),
                        )
                        .hint(format!(
                            "{} is the {who}'s total and must be the same on all its rows",
                            header[col]
                        )),
                    );
                }
                Some(_) => {}
            }
            sum[c] += v;
            count[c] += 1;
        }
    }
    let mut missing = 0usize;
    for i in 0..n {
        for j in 0..n {
            if line_of[i * n + j] == 0 {
                missing += 1;
                if missing <= 10 {
                    problems.push(
                        Problem::new(
                            "",
                            format!(
                                "no row for exporter '{}', importer '{}'",
                                clip(&countries[i]),
                                clip(&countries[j])
                            ),
                        )
                        .hint("the data must be square: a row for every exporter-importer pair of the countries, domestic pairs (exporter = importer) included"),
                    );
                }
            }
        }
    }
    if !problems.list.is_empty() {
        return Err(problems.into_error());
    }
    let mean = |s: &[f64], c: &[usize]| s.iter().zip(c).map(|(s, &c)| s / c as f64).collect();
    Ok(GravityData {
        countries,
        trade,
        output: mean(&y_sum, &y_count),
        expenditure: mean(&e_sum, &e_count),
        variables: var_cols
            .iter()
            .map(|&c| header[c].clone())
            .zip(vars)
            .collect(),
        year: chosen,
    })
}

/// Read cost coefficients `var,beta[,stderr]` at `path` for `data`.
///
/// Errors: [`Error::Io`], or [`Error::Invalid`] as for [`read_cost_coefficients`].
pub fn load_cost_coefficients(path: &Path, data: &GravityData) -> Result<Vec<(String, f64)>> {
    let name = path.display().to_string();
    let bytes = super::read_file_bytes(path)?;
    read_cost_coefficients(&bytes, data).map_err(|e| e.in_file(&name))
}

/// Read cost coefficients from a CSV `var,beta[,stderr]` (header names without regard to case;
/// `stderr` and any other column are ignored): `(variable, beta)` in file order.
///
/// Every variable must be a column of `data`, except [`CONSTANT`], which is 1 on every pair
/// when the data has no such column. Errors ([`Error::Invalid`], file `<input>`): a missing
/// column, a beta that is not a finite number, a variable given twice, a variable not in the
/// data (naming the closest one).
pub fn read_cost_coefficients(body: &[u8], data: &GravityData) -> Result<Vec<(String, f64)>> {
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(body);
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(super::csv::sniff_delimiter(&body[..end]))
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|f| f.trim().to_string()).collect(),
        Err(e) => return Err(invalid(vec![super::csv::unreadable_record(&e)], 0)),
    };
    let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
    let (Some(cv), Some(cb)) = (col("var"), col("beta")) else {
        return Err(invalid(
            vec![Problem::new(
                "line 1",
                format!(
                    "cost coefficients need the columns 'var' and 'beta' (columns: {})",
                    clip_list(header.iter().map(String::as_str), 20)
                ),
            )
            .hint("write one row per cost variable: var,beta (a column stderr may follow)")],
            0,
        ));
    };
    let mut problems = Problems::default();
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(super::csv::unreadable_record(&e));
                break;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let place = Place::Line(line);
        if rec.len() == 1 && rec[0].trim().is_empty() {
            continue;
        }
        let (Some(var), Some(beta)) = (rec.get(cv), rec.get(cb)) else {
            problems.push(Problem::new(
                place.at(""),
                format!(
                    "{} fields, but the header has {} columns",
                    rec.len(),
                    header.len()
                ),
            ));
            continue;
        };
        let (var, beta) = (var.trim(), beta.trim());
        let b = match beta.parse::<f64>() {
            Ok(b) if b.is_finite() => b,
            _ => {
                problems.push(
                    Problem::new(
                        place.at(&header[cb]),
                        format!("beta must be a finite number, found '{}'", clip(beta)),
                    )
                    .hint("use a point as the decimal separator"),
                );
                continue;
            }
        };
        if data.variable(var).is_none() && var != CONSTANT {
            let names: Vec<&str> = data.variable_names().collect();
            let mut p = Problem::new(
                place.at(&header[cv]),
                format!(
                    "cost variable '{}' is not a column of the gravity data (cost variables: {})",
                    clip(var),
                    clip_list(names.iter().copied(), 20)
                ),
            );
            if let Some(s) = closest(var, names.iter().copied().chain([CONSTANT])) {
                p = p.hint(did_you_mean(var, &s));
            }
            problems.push(p);
            continue;
        }
        if let Some(k) = out.iter().position(|(v, _)| v == var) {
            problems.push(Problem::new(
                place.at(&header[cv]),
                format!(
                    "cost variable '{}' is given twice (first on line {})",
                    clip(var),
                    lines[k]
                ),
            ));
            continue;
        }
        out.push((var.to_string(), b));
        lines.push(line);
    }
    if !problems.list.is_empty() {
        return Err(problems.into_error());
    }
    if out.is_empty() {
        return Err(invalid(
            vec![Problem::new("", "no cost coefficient after the header")
                .hint("write one row per cost variable: var,beta")],
            0,
        ));
    }
    Ok(out)
}

/// `Error::Invalid` in `<input>`.
fn invalid(problems: Vec<Problem>, more: usize) -> Error {
    Error::Invalid {
        file: "<input>".into(),
        problems,
        more,
    }
}

/// Problems collected, up to [`MAX_PROBLEMS`].
#[derive(Default)]
struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    fn into_error(self) -> Error {
        invalid(self.list, self.more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: &str = "A,A,5,10,9,0.5\nA,B,5,10,11,2\nB,A,4,10,9,2\nB,B,6,10,11,0.5\n";

    fn read(header: &str, rows: &str) -> Result<GravityData> {
        read_gravity(format!("{header}\n{rows}").as_bytes(), None)
    }

    #[test]
    fn reads_a_square_set_without_a_year() {
        let d = read("\u{feff}exporter,importer,trade,y,e,dist", ROWS).unwrap();
        assert_eq!(d.countries, ["A", "B"]);
        assert_eq!(d.trade, [5.0, 5.0, 4.0, 6.0]);
        assert_eq!(
            (d.output.clone(), d.expenditure.clone()),
            (vec![10.0; 2], vec![9.0, 11.0])
        );
        assert_eq!(d.variable("dist").unwrap(), [0.5, 2.0, 2.0, 0.5]);
        assert_eq!(d.year, None);
        assert!(matches!(d.index("C"), Err(Error::Unknown { .. })));
        let semi = read("exporter;importer;trade;Y;E;dist", &ROWS.replace(',', ";")).unwrap();
        assert_eq!(semi, d);
    }

    #[test]
    fn expenditure_must_agree_and_columns_be_named_once() {
        let e = read(
            "exporter,importer,trade,Y,E,dist",
            &ROWS.replace("B,A,4,10,9,", "B,A,4,10,9.5,"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 4 (E)") && e.contains("on line 2"), "{e}");
        let e = read("exporter,importer,trade,Y,E,dist,dist", "")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'dist' is given twice"), "{e}");
        let e = read("exporter,importer,trade,Y,E", "")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no data rows"), "{e}");
    }

    #[test]
    fn a_constant_coefficient_needs_no_column() {
        let d = read("exporter,importer,trade,Y,E,dist", ROWS).unwrap();
        let c = read_cost_coefficients(b"var,beta\nconstant,2\ndist,-1\n", &d).unwrap();
        assert_eq!(c.len(), 2);
        let e = read_cost_coefficients(b"var,beta\ndist,-1\ndist,-2\n", &d)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3 (var)") && e.contains("given twice"),
            "{e}"
        );
    }
}
