//! EXIOBASE 3 as downloaded (`IOT_2022_ixi.zip`, `IOT_2022_pxp.zip`, or the folder unpacked
//! from it): the text layout pymrio writes and reads (`pymrio.parse_exiobase3`, `load_all`).
//!
//! Layout (`../shared/data/mrio-layouts/pymrio-mocks/LAYOUTS.md` §3): `file_parameters.json`
//! (`"systemtype": "IOSystem"`) lists each file with its `nr_index_col` and `nr_header`;
//! files are tab-separated. `A.txt` (coefficients) and `Y.txt` (final demand) have two header
//! rows (`region` / `sector`, `region` / `category`), a row of index names (`region`,
//! `sector`, then empty cells) and data rows `CCC<TAB>sector<TAB>values`. `Z.txt` and `x.txt`
//! (gross output, one column) come with the real downloads; `unit.txt` gives each row's unit
//! (`M.EUR`; `Mill USD` in pymrio's mock). Extensions sit in sub-folders (`satellite/`,
//! `factor_inputs/`) with their own `file_parameters.json` and `F.txt` (rows are stressors).
//!
//! Reading, as pymrio's `calc_all` does: Z is `Z.txt` when present; otherwise Z = A diag(x)
//! with x from `x.txt`, or, when only A is given, x = (I - A)^-1 (row sums of Y) by one dense
//! LU. Region codes are renamed to EXIOBASE's two-letter codes as `parse_exiobase3` does
//! (`AUS` -> `AU`; [`REGION_RENAMES`]). Value added is taken from an extension's `F.txt` only
//! from the rows labelled as its parts (taxes less subsidies, other net taxes on production,
//! compensation of employees, operating surplus, value added); other rows are stressors and
//! are not read into the graph. The notes say what was read.
//!
//! EXIOBASE 1 and 2 (`mrIot.txt`, `mrFinalDemand.txt`, `mrFactorInputs.txt`; in version 2 with
//! the suffix `_version2.2.2` in one zip) are read by the same entry, as pymrio's
//! `parse_exiobase1`/`parse_exiobase2` read them (see `read_exio12`).

use super::files::{self, Files};
use super::grid::{self, Grid, Shape};
use super::{Destination, MrioTable};
use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::{clip, clip_list};
use rayon::prelude::*;
use serde_json::Value;

/// pymrio's renaming of region codes in `parse_exiobase3` (some EXIOBASE 3.4 files use
/// three-letter codes): from, to.
pub const REGION_RENAMES: &[(&str, &str)] = &[
    ("AUS", "AU"),
    ("AUT", "AT"),
    ("BEL", "BE"),
    ("BGR", "BG"),
    ("BRA", "BR"),
    ("CAN", "CA"),
    ("CHE", "CH"),
    ("CHN", "CN"),
    ("CYP", "CY"),
    ("CZE", "CZ"),
    ("DEU", "DE"),
    ("DNK", "DK"),
    ("ESP", "ES"),
    ("EST", "EE"),
    ("FIN", "FI"),
    ("FRA", "FR"),
    ("GBR", "GB"),
    ("GRC", "GR"),
    ("HRV", "HR"),
    ("HUN", "HU"),
    ("IDN", "ID"),
    ("IND", "IN"),
    ("IRL", "IE"),
    ("ITA", "IT"),
    ("JPN", "JP"),
    ("KOR", "KR"),
    ("LTU", "LT"),
    ("LUX", "LU"),
    ("LVA", "LV"),
    ("MEX", "MX"),
    ("MLT", "MT"),
    ("NLD", "NL"),
    ("NOR", "NO"),
    ("POL", "PL"),
    ("PRT", "PT"),
    ("ROM", "RO"),
    ("RUS", "RU"),
    ("SVK", "SK"),
    ("SVN", "SI"),
    ("SWE", "SE"),
    ("TUR", "TR"),
    ("TWN", "TW"),
    ("USA", "US"),
    ("ZAF", "ZA"),
    ("WWA", "WA"),
    ("WWE", "WE"),
    ("WWF", "WF"),
    ("WWL", "WL"),
    ("WWM", "WM"),
];

/// Stressor labels (their start, lower case) that are parts of value added in EXIOBASE's
/// factor inputs.
const VALUE_ADDED_PARTS: &[&str] = &[
    "taxes less subsidies",
    "other net taxes on production",
    "compensation of employees",
    "operating surplus",
    "value added",
];

const SET_HINT: &str = "give the folder or the .zip of EXIOBASE 3 as downloaded (IOT_2022_ixi.zip), holding file_parameters.json, A.txt (or Z.txt), Y.txt and unit.txt";

/// True when `body` starts as an EXIOBASE 3 matrix file does: `region<TAB>` on the first line
/// and `sector<TAB>` on the second (the two header rows of `A.txt`, `Z.txt`).
pub fn looks_like(body: &[u8]) -> bool {
    let mut lines = body.split(|&b| b == b'\n');
    let first = lines.next().unwrap_or_default();
    let second = lines.next().unwrap_or_default();
    first.starts_with(b"region\t") && second.starts_with(b"sector\t")
}

/// True when `names` (a folder's or archive's files) hold a `file_parameters.json` (EXIOBASE
/// 3) or an `mrIot*.txt` (EXIOBASE 1 or 2).
pub fn is_set(names: &[String]) -> bool {
    names
        .iter()
        .any(|n| files::base(n) == "file_parameters.json" || is_mr(n, "mrIot"))
}

/// An EXIOBASE 1/2 file of `kind` (`mrIot`, `mrFinalDemand`): pymrio's `(?<!_)mrIot.*txt`.
fn is_mr(member: &str, kind: &str) -> bool {
    let b = files::base(member);
    b.starts_with(kind) && b.ends_with(".txt")
}

/// One file of `file_parameters.json`.
#[derive(Debug, Clone)]
struct Entry {
    /// Member name (with the folder of the json).
    member: String,
    /// As listed.
    name: String,
    index_cols: usize,
    header_rows: usize,
}

/// A parsed `file_parameters.json`: its member name, its json.
struct Params {
    member: String,
    json: Value,
}

impl Params {
    fn entry(&self, files: &Files, names: &[String], key: &str) -> Result<Option<Entry>> {
        let Some(e) = self.json.get("files").and_then(|f| f.get(key)) else {
            return Ok(None);
        };
        let shown = files.display(&self.member);
        let bad = |rule: String| {
            Error::invalid(
                shown.clone(),
                Problem::new(format!("files.{key}"), rule)
                    .hint("file_parameters.json is written by pymrio with name, nr_index_col and nr_header for each file"),
            )
        };
        let num = |field: &str| -> Result<usize> {
            match e.get(field) {
                Some(Value::String(s)) => s.trim().parse().ok(),
                Some(Value::Number(n)) => n.as_u64().map(|v| v as usize),
                _ => None,
            }
            .ok_or_else(|| bad(format!("{field} is missing or not a whole number")))
        };
        let name = e
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("name is missing or not text".into()))?
            .to_string();
        let member = format!("{}{name}", files::folder(&self.member));
        if !names.contains(&member) {
            return Err(Error::invalid(
                files.label(),
                Problem::new(
                    "",
                    format!(
                        "{} lists {key} as {name}, but {member} is not there",
                        self.member
                    ),
                )
                .hint("the set is incomplete (an interrupted unzip or copy): unpack or fetch it again"),
            ));
        }
        Ok(Some(Entry {
            member,
            name,
            index_cols: num("nr_index_col")?,
            header_rows: num("nr_header")?,
        }))
    }
}

fn read_params(files: &mut Files, member: &str) -> Result<Params> {
    let bytes = files.read(member)?;
    let json: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid(
            files.display(member),
            Problem::new(format!("line {}", e.line()), format!("not valid JSON: {e}")),
        )
    })?;
    Ok(Params {
        member: member.to_string(),
        json,
    })
}

/// Read one table of the set: `want_index` index columns and `want_header` header rows at
/// least (more are read as labels), and the row of index names pandas writes under the
/// header, when there, skipped.
fn table(
    files: &mut Files,
    e: &Entry,
    want_index: usize,
    want_header: usize,
    extra_label_cols: usize,
) -> Result<(String, Grid)> {
    table_with(
        files,
        e,
        (want_index, want_header, extra_label_cols),
        |shown, body, shape, col_name| grid::parse(shown, body, shape, col_name, None),
    )
}

/// [`table`] into one row-major matrix ([`grid::Dense`]): the coefficients or flows, 64 M
/// cells at EXIOBASE 3's size, parsed straight into the matrix they become.
fn dense_table(files: &mut Files, e: &Entry) -> Result<(String, grid::Dense)> {
    table_with(files, e, (2, 2, 0), |shown, body, shape, col_name| {
        grid::parse_dense(shown, body, shape, col_name)
    })
}

type ColName<'a> = dyn Fn(&[Vec<String>], usize) -> String + Sync + 'a;

/// Check the entry's parameters against `(index columns, header rows, extra label columns)`,
/// read its bytes and hand them to `parse` with the shape and a namer of columns.
fn table_with<T>(
    files: &mut Files,
    e: &Entry,
    (want_index, want_header, extra_label_cols): (usize, usize, usize),
    parse: impl FnOnce(&str, &[u8], Shape, &ColName) -> Result<T>,
) -> Result<(String, T)> {
    let shown = files.display(&e.member);
    if e.index_cols < want_index || e.header_rows < want_header {
        return Err(Error::invalid(
            shown,
            Problem::new(
                "file_parameters.json",
                format!(
                    "{} has nr_index_col {} and nr_header {}; EXIOBASE 3 has at least {want_index} and {want_header}",
                    e.name, e.index_cols, e.header_rows
                ),
            )
            .hint(SET_HINT),
        ));
    }
    let bytes = files.read(&e.member)?;
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    let mut header_rows = e.header_rows;
    if names_row_follows(body, e.header_rows, e.index_cols) {
        header_rows += 1;
    }
    let shape = Shape {
        delim: b'\t',
        header_rows,
        index_cols: e.index_cols + extra_label_cols,
        columns: None,
    };
    let nh = e.header_rows;
    let ni = e.index_cols;
    let col_name = move |h: &[Vec<String>], j: usize| {
        (0..nh.min(h.len()))
            .filter_map(|r| h[r].get(ni + j).cloned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let g = parse(&shown, body, shape, &col_name)?;
    Ok((shown, g))
}

/// True when the line after `header_rows` non-blank lines is pandas' row of index names:
/// label fields, then only empty cells.
fn names_row_follows(body: &[u8], header_rows: usize, index_cols: usize) -> bool {
    let line = body
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.trim_ascii().is_empty())
        .nth(header_rows);
    let Some(line) = line else { return false };
    let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
    fields.len() > index_cols
        && fields[..index_cols]
            .iter()
            .all(|f| !f.trim_ascii().is_empty())
        && fields[index_cols..]
            .iter()
            .all(|f| f.trim_ascii().is_empty())
}

/// Nodes of a table's columns: (region, sector) of each, from the first two header rows.
fn column_keys(
    shown: &str,
    header: &[Vec<String>],
    index_cols: usize,
) -> Result<Vec<(String, String)>> {
    let (a, b) = (&header[0], &header[1]);
    let n = a.len().max(b.len()).saturating_sub(index_cols);
    let mut out = Vec::with_capacity(n);
    for j in 0..n {
        let r = a.get(index_cols + j).cloned().unwrap_or_default();
        let s = b.get(index_cols + j).cloned().unwrap_or_default();
        if r.is_empty() || s.is_empty() {
            return Err(Error::invalid(
                shown,
                Problem::new(
                    format!("header, column {}", index_cols + j + 1),
                    "a column without a region or a sector/category label",
                )
                .hint("the first two rows label every column: region, then sector (category in Y.txt)"),
            ));
        }
        out.push((r, s));
    }
    Ok(out)
}

/// For each row of `g`, its node among `node_of`; every node must have exactly one row.
fn row_nodes(
    shown: &str,
    g: &Grid,
    node_of: &FastMap<(String, String), usize>,
    ids: &dyn Fn(usize) -> String,
) -> Result<Vec<usize>> {
    rows_to_nodes(
        shown,
        g.rows.iter().map(|r| (r.line, r.labels.as_slice())),
        node_of,
        ids,
    )
}

/// [`row_nodes`] of the rows of a [`grid::Dense`] table.
fn dense_row_nodes(
    shown: &str,
    g: &grid::Dense,
    node_of: &FastMap<(String, String), usize>,
    ids: &dyn Fn(usize) -> String,
) -> Result<Vec<usize>> {
    rows_to_nodes(
        shown,
        g.rows
            .iter()
            .map(|(line, labels)| (*line, labels.as_slice())),
        node_of,
        ids,
    )
}

/// Each row's node, from its line number and labels.
fn rows_to_nodes<'a>(
    shown: &str,
    rows: impl ExactSizeIterator<Item = (u64, &'a [String])>,
    node_of: &FastMap<(String, String), usize>,
    ids: &dyn Fn(usize) -> String,
) -> Result<Vec<usize>> {
    let n = node_of.len();
    let mut seen: Vec<Option<u64>> = vec![None; n];
    let mut out = Vec::with_capacity(rows.len());
    let mut last = 1;
    for (line, labels) in rows {
        last = line;
        let key = (labels[0].clone(), labels[1].clone());
        let Some(&i) = node_of.get(&key) else {
            return Err(Error::invalid(
                shown,
                Problem::new(
                    format!("line {}", line),
                    format!(
                        "row '{}/{}' is not one of the (region, sector) columns of the coefficients",
                        clip(&key.0),
                        clip(&key.1)
                    ),
                )
                .hint("the files of one download share their rows: do not mix files of different sets (ixi and pxp, or years)"),
            ));
        };
        if let Some(first) = seen[i] {
            return Err(Error::invalid(
                shown,
                Problem::new(
                    format!("line {}", line),
                    format!(
                        "row '{}/{}' appears twice (lines {first} and {})",
                        clip(&key.0),
                        clip(&key.1),
                        line
                    ),
                ),
            ));
        }
        seen[i] = Some(line);
        out.push(i);
    }
    let missing: Vec<String> = (0..n).filter(|&i| seen[i].is_none()).map(ids).collect();
    if !missing.is_empty() {
        return Err(Error::invalid(
            shown,
            Problem::new(
                format!("after line {last}"),
                format!(
                    "{} of the {n} (region, sector) columns have no row: {}",
                    missing.len(),
                    clip_list(missing.iter().map(String::as_str), 8)
                ),
            )
            .hint("the file is cut short (a truncated download: fetch it again), or it is not of this set"),
        ));
    }
    Ok(out)
}

/// Read EXIOBASE from `files`: version 3 when a `file_parameters.json` is there, else versions 1
/// and 2 ([`read_exio12`]). `name_year` is the year the folder's or archive's name gives
/// (`IOT_2022_ixi.zip`), if any.
pub(crate) fn read(files: &mut Files, name_year: Option<i64>) -> Result<MrioTable> {
    let names = files.names();
    if !names
        .iter()
        .any(|n| files::base(n) == "file_parameters.json")
        && names.iter().any(|n| is_mr(n, "mrIot"))
    {
        return read_exio12(files, &names);
    }
    // The system's own file_parameters.json (extensions have their own, of another type).
    let mut systems = Vec::new();
    for m in names
        .iter()
        .filter(|n| files::base(n) == "file_parameters.json")
    {
        let p = read_params(files, m)?;
        let kind = p.json.get("systemtype").and_then(Value::as_str);
        let has_core = p
            .json
            .get("files")
            .is_some_and(|f| f.get("A").is_some() || f.get("Z").is_some());
        if kind == Some("IOSystem") || (kind.is_none() && has_core) {
            systems.push(p);
        }
    }
    let p = match systems.len() {
        1 => systems.pop().expect("one"),
        0 => {
            return Err(Error::invalid(
                files.label(),
                Problem::new(
                    "",
                    "no file_parameters.json of an input-output system (\"systemtype\": \"IOSystem\") here: not EXIOBASE 3 as pymrio reads it",
                )
                .hint(SET_HINT),
            ))
        }
        k => {
            let list: Vec<&str> = systems.iter().map(|p| p.member.as_str()).collect();
            return Err(Error::invalid(
                files.label(),
                Problem::new(
                    "",
                    format!(
                        "{k} input-output systems here ({}): which to read is ambiguous",
                        clip_list(list.into_iter(), 6)
                    ),
                )
                .hint("give the folder of one system"),
            ));
        }
    };
    let root = files::folder(&p.member).to_string();
    let params_shown = files.display(&p.member);
    let need = |key: &str, what: &str| {
        Error::invalid(
            params_shown.clone(),
            Problem::new("files", format!("lists no {key} ({what})")).hint(SET_HINT),
        )
    };
    let a_entry = p.entry(files, &names, "A")?;
    let z_entry = p.entry(files, &names, "Z")?;
    let x_entry = p.entry(files, &names, "x")?;
    let y_entry = p
        .entry(files, &names, "Y")?
        .ok_or_else(|| need("Y", "final demand, Y.txt"))?;
    let unit_entry = p.entry(files, &names, "unit")?;
    let core = z_entry
        .clone()
        .or(a_entry.clone())
        .ok_or_else(|| need("A", "the coefficients, A.txt, or the flows, Z.txt"))?;

    // Nodes: the columns of Z (or A).
    let (core_shown, core_grid) = dense_table(files, &core)?;
    let keys = column_keys(&core_shown, &core_grid.header, core.index_cols)?;
    let mut t = MrioTable::default();
    if let Some(j) = t.push_nodes(&keys) {
        let (r, s) = &keys[j];
        return Err(Error::invalid(
            core_shown.clone(),
            Problem::new(
                format!("header, column {}", core.index_cols + j + 1),
                format!("column '{}/{}' appears twice", clip(r), clip(s)),
            ),
        ));
    }
    let node_of: FastMap<(String, String), usize> = keys
        .iter()
        .enumerate()
        .map(|(j, k)| (k.clone(), j))
        .collect();
    let n = t.nodes.len();
    if n == 0 {
        return Err(Error::invalid(
            core_shown,
            Problem::new("header", "no (region, sector) columns").hint(SET_HINT),
        ));
    }
    let ids = |i: usize| format!("{}/{}", keys[i].0, keys[i].1);
    let core_rows = dense_row_nodes(&core_shown, &core_grid, &node_of, &ids)?;
    let missing_cells = core_grid.missing_cells;
    // The rows in node order are the matrix itself; otherwise they are put in order (one copy).
    let mut m = if core_rows.iter().enumerate().all(|(k, &i)| k == i) {
        core_grid.values
    } else {
        crate::budget::check(
            (n as u64).saturating_mul(n as u64).saturating_mul(8),
            || format!("the {n} x {n} matrix of {core_shown}"),
        )?;
        let mut m = vec![0.0; n * n];
        for (row, &i) in core_grid
            .values
            .chunks_exact(core_grid.cols)
            .zip(&core_rows)
        {
            m[i * n..(i + 1) * n].copy_from_slice(row);
        }
        m
    };
    let mut missing_cells = missing_cells;

    // Final demand.
    let (y_shown, y_grid) = table(files, &y_entry, 2, 2, 0)?;
    let y_keys = column_keys(&y_shown, &y_grid.header, y_entry.index_cols)?;
    let y_rows = row_nodes(&y_shown, &y_grid, &node_of, &ids)?;
    let cols = y_keys.len();
    t.y = vec![0.0; n * cols];
    for (r, &i) in y_grid.rows.iter().zip(&y_rows) {
        t.y[i * cols..(i + 1) * cols].copy_from_slice(&r.values);
    }
    missing_cells += y_grid.missing_cells;
    drop(y_grid);

    // Z and x, as pymrio's calc_all.
    let mut how = Vec::new();
    if z_entry.is_some() {
        t.z = m;
        how.push(format!("{} (flows) and {} read", core.name, y_entry.name));
    } else if let Some(xe) = &x_entry {
        let (x_shown, x_grid) = table(files, xe, 2, 1, 0)?;
        let x_rows = row_nodes(&x_shown, &x_grid, &node_of, &ids)?;
        let mut x = vec![0.0; n];
        for (r, &i) in x_grid.rows.iter().zip(&x_rows) {
            if r.values.len() != 1 {
                return Err(Error::invalid(
                    x_shown,
                    Problem::new(
                        format!("line {}", r.line),
                        format!("{} values; gross output is one column", r.values.len()),
                    ),
                ));
            }
            x[i] = r.values[0];
        }
        scale_columns(&mut m, &x);
        t.z = m;
        t.output_column = Some(x);
        how.push(format!(
            "{} (coefficients), {} and {} read; Z = A diag(x) with x from {}, as pymrio's calc_all",
            core.name, xe.name, y_entry.name, xe.name
        ));
    } else {
        let x = solve_output(&m, &t.y, cols, &core_shown)?;
        scale_columns(&mut m, &x);
        t.z = m;
        how.push(format!(
            "{} (coefficients) and {} read; x = (I - A)^-1 (row sums of Y) by one dense LU ({n} x {n}), Z = A diag(x), as pymrio's calc_all",
            core.name, y_entry.name
        ));
    }
    if z_entry.is_some() && a_entry.is_some() {
        how.push(format!(
            "{} not read: {} gives the flows",
            a_entry.as_ref().map_or("", |e| e.name.as_str()),
            core.name
        ));
    }

    // Unit.
    if let Some(ue) = &unit_entry {
        let (_, g) = table(files, ue, 2, 1, 1)?;
        let mut units: Vec<&str> = Vec::new();
        for r in &g.rows {
            let u = r.labels[ue.index_cols].as_str();
            if !u.is_empty() && !units.contains(&u) {
                units.push(u);
            }
        }
        match units.as_slice() {
            [] => how.push(format!("{} gives no unit", ue.name)),
            [u] => t.unit = Some(u.to_string()),
            [u, ..] => {
                t.unit = Some(u.to_string());
                how.push(format!(
                    "{} gives several units ({}): meta unit is the first",
                    ue.name,
                    units.join(", ")
                ));
            }
        }
    } else {
        how.push("no unit file listed: the unit is not known".into());
    }

    // Value added from an extension's F.txt, when labelled so.
    let mut va_notes = Vec::new();
    for ext in ["factor_inputs", "satellite"] {
        let pm = format!("{root}{ext}/file_parameters.json");
        if !names.contains(&pm) {
            continue;
        }
        let ep = read_params(files, &pm)?;
        let Some(fe) = ep.entry(files, &names, "F")? else {
            continue;
        };
        let (f_shown, f_grid) = table(files, &fe, 1, 2, 0)?;
        let f_keys = column_keys(&f_shown, &f_grid.header, fe.index_cols)?;
        let mut col_node = Vec::with_capacity(f_keys.len());
        for (j, k) in f_keys.iter().enumerate() {
            match node_of.get(k) {
                Some(&i) => col_node.push(i),
                None => {
                    return Err(Error::invalid(
                        f_shown,
                        Problem::new(
                            format!("header, column {}", fe.index_cols + j + 1),
                            format!(
                                "column '{}/{}' is not one of the (region, sector) columns of the coefficients",
                                clip(&k.0),
                                clip(&k.1)
                            ),
                        )
                        .hint("the extension belongs to another set: do not mix files of different downloads"),
                    ))
                }
            }
        }
        let shown_name = format!("{ext}/{}", fe.name);
        let mut kept = Vec::new();
        for r in &f_grid.rows {
            let label = r.labels[0].as_str();
            let low = label.to_ascii_lowercase();
            if !VALUE_ADDED_PARTS.iter().any(|p| low.starts_with(p)) {
                continue;
            }
            if t.va_rows.iter().any(|v| v == label) {
                continue;
            }
            let k = t.va_rows.len();
            t.va_rows.push(label.to_string());
            t.va.resize((k + 1) * n, 0.0);
            for (v, &i) in r.values.iter().zip(&col_node) {
                t.va[k * n + i] += v;
            }
            kept.push(label.to_string());
        }
        let all: Vec<&str> = f_grid.rows.iter().map(|r| r.labels[0].as_str()).collect();
        if kept.is_empty() {
            va_notes.push(format!(
                "{shown_name} read: its {} rows are stressors ({}), none labelled as a part of value added: value added not given",
                all.len(),
                clip_list(all.iter().copied(), 6)
            ));
        } else {
            va_notes.push(format!(
                "{shown_name} read: value added from its {} rows labelled as parts of value added ({}); its other {} rows are stressors, not read into the graph",
                kept.len(),
                clip_list(kept.iter().map(String::as_str), 6),
                all.len() - kept.len()
            ));
        }
        missing_cells += f_grid.missing_cells;
    }
    if va_notes.is_empty() {
        va_notes
            .push("no extension F.txt (satellite/, factor_inputs/): value added not given".into());
    }

    // Region codes, as parse_exiobase3 renames them.
    let mut renamed = Vec::new();
    let originals = t.regions.clone();
    let rename = |r: &str| -> String {
        match REGION_RENAMES.iter().find(|(from, _)| *from == r) {
            Some((_, to)) if !originals.iter().any(|o| o == to) => to.to_string(),
            _ => r.to_string(),
        }
    };
    for r in t.regions.iter_mut() {
        let new = rename(r);
        if new != *r {
            renamed.push(format!("{r}->{new}"));
            *r = new;
        }
    }
    t.fd_columns = y_keys
        .into_iter()
        .map(|(r, c)| (Destination::Region(rename(&r)), c))
        .collect();

    // Metadata.
    let meta = match names.iter().find(|m| **m == format!("{root}metadata.json")) {
        Some(m) => {
            let m = m.clone();
            serde_json::from_slice::<Value>(&files.read(&m)?).ok()
        }
        None => None,
    };
    let field = |k: &str| {
        meta.as_ref()
            .and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let system = field("system").filter(|s| matches!(s.as_str(), "pxp" | "ixi"));
    t.layout = match &system {
        Some(s) => format!("EXIOBASE 3 {s}"),
        None => "EXIOBASE 3".into(),
    };
    t.source = Some(match field("version") {
        Some(v) => format!("EXIOBASE 3 (https://www.exiobase.eu), version {v}, pymrio text layout"),
        None => "EXIOBASE 3 (https://www.exiobase.eu), pymrio text layout".into(),
    });
    t.year = name_year;
    if t.year.is_none() {
        if let Some(d) = field("description") {
            t.year = super::year_from_name(&d.replace('/', " "));
            if let Some(y) = t.year {
                how.push(format!("year {y} from metadata.json (\"{}\")", clip(&d)));
            }
        }
    }
    t.notes = how;
    t.notes.extend(va_notes);
    if !renamed.is_empty() {
        t.notes.push(format!(
            "region codes renamed to EXIOBASE's two-letter codes, as pymrio's parse_exiobase3 does: {}",
            renamed.join(", ")
        ));
    }
    for (key, what) in [
        ("F_hh", "final-demand stressors"),
        ("F_Y", "final-demand stressors"),
    ] {
        if let Some(e) = names
            .iter()
            .find(|m| m.starts_with(&root) && files::base(m) == format!("{key}.txt"))
        {
            t.dropped
                .push(format!("{} ({what}): not read", &e[root.len()..]));
        }
    }
    if missing_cells > 0 {
        t.notes
            .push(format!("{missing_cells} empty or NA cells read as 0"));
    }
    Ok(t)
}

/// EXIOBASE 1 (`mrIot.txt`, ...) and 2 (`mrIot_version2.2.2.txt`, ... in one zip), as
/// pymrio's `parse_exiobase1` / `parse_exiobase2` read them (LAYOUTS.md §2): tab-separated,
/// two header rows (region, sector or category), three index columns (region, sector, unit);
/// `mrIot` holds the coefficients A, `mrFinalDemand` absolute Y, `mrFactorInputs` value-added
/// coefficients (two index columns: name, unit). x = (I - A)^-1 (row sums of Y) by one dense
/// LU, Z = A diag(x), value added = coefficients times x. The unit is A's without `/M.EUR`.
fn read_exio12(files: &mut Files, names: &[String]) -> Result<MrioTable> {
    let label = files.label();
    let mut notes = Vec::new();
    let mut find = |kind: &str| -> Option<String> {
        let all: Vec<&String> = names.iter().filter(|n| is_mr(n, kind)).collect();
        if all.len() > 1 {
            notes.push(format!(
                "several {kind} files ({}): the first is read, as pymrio does",
                clip_list(all.iter().map(|s| s.as_str()), 6)
            ));
        }
        all.first().map(|s| s.to_string())
    };
    let a_m = find("mrIot").expect("recognised by its mrIot file");
    let y_m = find("mrFinalDemand").ok_or_else(|| {
        Error::invalid(
            label.clone(),
            Problem::new(
                "",
                "EXIOBASE 1/2 set without its final demand (mrFinalDemand*.txt)",
            )
            .hint("the set is incomplete: unpack or fetch it again"),
        )
    })?;
    let fi_m = find("mrFactorInputs");
    let entry = |m: &str, index_cols: usize| Entry {
        member: m.to_string(),
        name: files::base(m).to_string(),
        index_cols,
        header_rows: 2,
    };
    let (a_e, y_e) = (entry(&a_m, 3), entry(&y_m, 3));
    let (a_shown, a_grid) = table(files, &a_e, 3, 2, 0)?;
    let keys = column_keys(&a_shown, &a_grid.header, 3)?;
    let mut t = MrioTable::default();
    if let Some(j) = t.push_nodes(&keys) {
        let (r, s) = &keys[j];
        return Err(Error::invalid(
            a_shown,
            Problem::new(
                format!("header, column {}", j + 4),
                format!("column '{}/{}' appears twice", clip(r), clip(s)),
            ),
        ));
    }
    let node_of: FastMap<(String, String), usize> = keys
        .iter()
        .enumerate()
        .map(|(j, k)| (k.clone(), j))
        .collect();
    let n = keys.len();
    let ids = |i: usize| format!("{}/{}", keys[i].0, keys[i].1);
    let a_rows = row_nodes(&a_shown, &a_grid, &node_of, &ids)?;
    let mut a = vec![0.0; n * n];
    for (r, &i) in a_grid.rows.iter().zip(&a_rows) {
        a[i * n..(i + 1) * n].copy_from_slice(&r.values);
    }
    let unit = a_grid
        .rows
        .first()
        .map(|r| r.labels[2].split('/').next().unwrap_or("").to_string())
        .filter(|u| !u.is_empty());
    let mut missing_cells = a_grid.missing_cells;
    drop(a_grid);
    let (y_shown, y_grid) = table(files, &y_e, 3, 2, 0)?;
    let y_keys = column_keys(&y_shown, &y_grid.header, 3)?;
    let y_rows = row_nodes(&y_shown, &y_grid, &node_of, &ids)?;
    let cols = y_keys.len();
    t.y = vec![0.0; n * cols];
    for (r, &i) in y_grid.rows.iter().zip(&y_rows) {
        t.y[i * cols..(i + 1) * cols].copy_from_slice(&r.values);
    }
    missing_cells += y_grid.missing_cells;
    drop(y_grid);
    t.fd_columns = y_keys
        .into_iter()
        .map(|(r, c)| (Destination::Region(r), c))
        .collect();
    let x = solve_output(&a, &t.y, cols, &a_shown)?;
    notes.insert(
        0,
        format!(
            "{} (coefficients) and {} read; x = (I - A)^-1 (row sums of Y) by one dense LU ({n} x {n}), Z = A diag(x), as pymrio's calc_all",
            a_e.name, y_e.name
        ),
    );
    if let Some(m) = &fi_m {
        let fe = entry(m, 2);
        let (f_shown, f_grid) = table(files, &fe, 2, 2, 0)?;
        let f_keys = column_keys(&f_shown, &f_grid.header, 2)?;
        for r in &f_grid.rows {
            let k = t.va_rows.len();
            t.va_rows.push(r.labels[0].clone());
            t.va.resize((k + 1) * n, 0.0);
            for (v, key) in r.values.iter().zip(&f_keys) {
                let Some(&j) = node_of.get(key) else {
                    return Err(Error::invalid(
                        f_shown,
                        Problem::new(
                            "header",
                            format!(
                                "column '{}/{}' is not one of the (region, sector) columns of {}",
                                clip(&key.0),
                                clip(&key.1),
                                a_e.name
                            ),
                        ),
                    ));
                };
                t.va[k * n + j] += v * x[j];
            }
        }
        missing_cells += f_grid.missing_cells;
        notes.push(format!(
            "value added from {} ({}): coefficients times x",
            fe.name,
            clip_list(t.va_rows.iter().map(String::as_str), 6)
        ));
    } else {
        notes.push("no mrFactorInputs file: value added not given".into());
    }
    scale_columns(&mut a, &x);
    t.z = a;
    let version = names.iter().find_map(|n| {
        let b = files::base(n);
        let v = b.split_once("_version")?.1.strip_suffix(".txt")?;
        Some(v.to_string())
    });
    let major = if version.as_deref().is_some_and(|v| v.starts_with('2')) {
        2
    } else {
        1
    };
    // pymrio looks at the whole path; the last part is enough and is not fooled by a folder.
    let low = std::path::Path::new(&label)
        .file_name()
        .map_or(label.clone(), |f| f.to_string_lossy().into_owned())
        .to_ascii_lowercase();
    let system = match (low.contains("pxp"), low.contains("ixi")) {
        (true, false) => Some("pxp"),
        (false, true) => Some("ixi"),
        _ => None,
    };
    if system.is_none() {
        notes.push(format!(
            "EXIOBASE {major} does not say whether it is pxp or ixi, and the name {} does not either",
            clip(&label)
        ));
    }
    t.layout = match system {
        Some(s) => format!("EXIOBASE {major} {s}"),
        None => format!("EXIOBASE {major}"),
    };
    t.source = Some(match &version {
        Some(v) => format!("EXIOBASE {major} (https://www.exiobase.eu), version {v}"),
        None => format!("EXIOBASE {major} (https://www.exiobase.eu)"),
    });
    t.unit = unit;
    notes.push(format!(
        "the files of EXIOBASE {major} do not state their year: not set (pymrio sets 2000)"
    ));
    let read_ones = [Some(&a_m), Some(&y_m), fi_m.as_ref()];
    let skipped: Vec<&str> = names
        .iter()
        .filter(|n| files::base(n).starts_with("mr") && !read_ones.contains(&Some(*n)))
        .map(|n| files::base(n))
        .collect();
    if !skipped.is_empty() {
        t.dropped.push(format!(
            "{} (extensions: stressors): not read",
            clip_list(skipped.into_iter(), 8)
        ));
    }
    if missing_cells > 0 {
        notes.push(format!("{missing_cells} empty or NA cells read as 0"));
    }
    t.notes = notes;
    Ok(t)
}

/// Column j of the row-major n x n `m` times `x[j]` (Z = A diag(x)).
fn scale_columns(m: &mut [f64], x: &[f64]) {
    let n = x.len();
    m.par_chunks_exact_mut(n).for_each(|row| {
        for (v, xj) in row.iter_mut().zip(x) {
            *v *= xj;
        }
    });
}

/// x = (I - A)^-1 (row sums of Y): one dense LU of I - A.
fn solve_output(a: &[f64], y: &[f64], cols: usize, shown: &str) -> Result<Vec<f64>> {
    let n = a.len().isqrt();
    crate::budget::check(
        (n as u64).saturating_mul(n as u64).saturating_mul(16),
        || format!("the Leontief system I - A of {shown} ({n} x {n}, solved by LU)"),
    )?;
    let d: Vec<f64> = (0..n)
        .map(|i| y[i * cols..(i + 1) * cols].iter().sum())
        .collect();
    let mut m = nalgebra::DMatrix::<f64>::from_row_slice(n, n, a);
    m.neg_mut();
    for i in 0..n {
        m[(i, i)] += 1.0;
    }
    let singular = || {
        Error::invalid(
            shown,
            Problem::new(
                "",
                "I - A is singular: gross output cannot be computed from the coefficients and final demand",
            )
            .hint("the coefficients are damaged or not of this set; a download with Z.txt or x.txt avoids the solve"),
        )
    };
    let x = m
        .lu()
        .solve(&nalgebra::DVector::from_vec(d))
        .ok_or_else(singular)?;
    if x.iter().any(|v| !v.is_finite()) {
        return Err(singular());
    }
    Ok(x.iter().map(|v| v + 0.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_two_row_header() {
        assert!(looks_like(b"region\t\tAUS\tAUS\nsector\t\tfood\tmining\n"));
        assert!(!looks_like(b"region,sector\n"));
        assert!(names_row_follows(
            b"region\t\tA\nsector\t\tf\nregion\tsector\t\n",
            2,
            2
        ));
        assert!(!names_row_follows(
            b"region\t\tA\nsector\t\tf\nA\tf\t1\n",
            2,
            2
        ));
    }

    #[test]
    fn leontief_solve() {
        // A = [[0.5, 0], [0.25, 0.5]], y = (1, 1): x = (2, 3).
        let x = solve_output(&[0.5, 0.0, 0.25, 0.5], &[1.0, 1.0], 1, "t").unwrap();
        assert!(
            (x[0] - 2.0).abs() < 1e-12 && (x[1] - 3.0).abs() < 1e-12,
            "{x:?}"
        );
        let e = solve_output(&[1.0, 0.0, 0.0, 1.0], &[1.0, 1.0], 1, "t").unwrap_err();
        assert!(e.to_string().contains("I - A is singular"), "{e}");
    }
}
