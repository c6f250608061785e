//! The World Input-Output Database, 2013 release: one workbook per year,
//! `wiotYY_row_sep12.xlsx`, its first sheet holding the table.
//!
//! Layout (pymrio's `parse_wiod`, `../shared/data/mrio-layouts/pymrio-mocks/LAYOUTS.md` §5):
//! - A1 ends with the year (`... Input-Output Table for 2009`), A3 names the system
//!   (`(industry-by-industry)`), A4 the unit (`(millions of US$)`);
//! - rows 3 to 6 (Excel numbering) are the column header: ISIC code (`AtB`, `15t16`, ...),
//!   sector name, country (ISO-3; `ROM` is renamed `ROU`, as pymrio does) and WIOD code (`c1`
//!   ... `c35` for industries, `c37 c38 c39 c41 c42` for the final-demand categories:
//!   households, NPISH, government, GFCF, changes in inventories and valuables);
//! - every data row starts with the same four labels in columns A to D;
//! - Z is the block up to the last `c35` row and column; final demand Y is the columns after it,
//!   less the last column of the sheet (total output), which is dropped (and compared with the
//!   computed output);
//! - the rows after Z are factor inputs (value added by component, named by column B) except
//!   `r60` (total intermediate consumption) and `r69` (output at basic prices), which are
//!   dropped (r69 is compared with the column sums of Z and value added); under the
//!   final-demand columns they are kept as totals (pymrio's `F_Y`).
//!
//! Nodes are `CCC:ISIC` (`AUS:AtB`), as pymrio names them by default; final-demand categories
//! are the WIOD codes (`c37`, ...). The satellite accounts published beside the tables (SEA,
//! AIR, lan, ...) are not read.

use super::xlsx::{Sheet, Workbook};
use super::{Destination, MrioTable};
use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::clip;

/// Header rows (0-based): ISIC code, country, WIOD code (the sector name is row 3).
const ROW_CODE: u32 = 2;
const ROW_REGION: u32 = 4;
const ROW_CCODE: u32 = 5;
/// Label columns (0-based) of every data row, in the same order.
const COL_CODE: u32 = 0;
const COL_NAME: u32 = 1;
const COL_REGION: u32 = 2;
const COL_CCODE: u32 = 3;
/// The first data row and column.
const FIRST: u32 = 6;
const FIRST_COL: u32 = 4;
/// The WIOD code of the last industry.
const LAST_INDUSTRY: &str = "c35";
/// Factor-input rows that are totals: total intermediate consumption, output at basic prices.
const TOTAL_ROWS: [&str; 2] = ["r60", "r69"];

const HINT: &str = "a WIOD 2013-release table is the workbook wiotYY_row_sep12.xlsx as downloaded: its first sheet has the year in A1, the unit in A4, the header in rows 3-6 (ISIC code, sector name, country, WIOD code c1..c35, c37..c42) and the same four labels in columns A-D of every row";

/// True when the file name is one of the release's (`wiot09_row_sep12.xlsx`).
pub fn is_name(name: &str) -> bool {
    let base = super::files::base(name).to_ascii_lowercase();
    base.starts_with("wiot") && base.ends_with(".xlsx")
}

/// True when `names` hold a WIOD table (a folder of the release).
pub fn is_set(names: &[String]) -> bool {
    names.iter().any(|n| !n.contains('/') && is_name(n))
}

/// The file of `year` among the tables of a folder (`wiot09...` for 2009), or the only one.
pub fn choose(folder: &str, names: &[String], year: Option<u16>) -> Result<String> {
    let tables: Vec<&String> = names
        .iter()
        .filter(|n| !n.contains('/') && is_name(n))
        .collect();
    let listed = || crate::text::clip_list(tables.iter().map(|s| s.as_str()), 12);
    match year {
        Some(y) => {
            let yy = format!("wiot{:02}", y % 100);
            let of: Vec<&&String> = tables
                .iter()
                .filter(|n| n.to_ascii_lowercase().starts_with(&yy))
                .collect();
            match of.as_slice() {
                [one] => Ok((**one).clone()),
                [] => Err(Error::invalid(
                    folder,
                    Problem::new("", format!("no WIOD table of {y} ({yy}*.xlsx) here (tables: {})", listed()))
                        .hint("choose one of the years there are with --year"),
                )),
                _ => Err(Error::invalid(
                    folder,
                    Problem::new("", format!("several WIOD tables of {y} here ({})", listed()))
                        .hint("give the file of the table to read"),
                )),
            }
        }
        None if tables.len() == 1 => Ok(tables[0].clone()),
        None => Err(Error::invalid(
            folder,
            Problem::new(
                "",
                format!(
                    "{} WIOD tables here ({}): which to read is ambiguous",
                    tables.len(),
                    listed()
                ),
            )
            .hint("choose one with --year, as pymrio's parse_wiod(folder, year) does, or give the file"),
        )),
    }
}

/// True when the sheet is laid out as a WIOD table: A1 names an input-output table and the
/// WIOD code row starts with `c1`.
fn looks_like(s: &Sheet) -> bool {
    s.text(0, 0)
        .to_ascii_lowercase()
        .contains("input-output table")
        && s.text(ROW_CCODE, FIRST_COL) == "c1"
}

/// `(ROM)` -> `ROM`: pymrio's `rstrip(")").lstrip("(")`.
fn unbracket(s: &str) -> String {
    s.trim_end_matches(')')
        .trim_start_matches('(')
        .trim()
        .to_string()
}

/// pymrio renames Romania's early code.
fn region(code: String) -> String {
    if code == "ROM" {
        "ROU".into()
    } else {
        code
    }
}

/// Read a WIOD workbook. `forced`: the format was asked for, so a workbook that is not laid
/// out as WIOD is an error; otherwise it is `None` (another reader may know it).
pub(crate) fn read(file: &str, raw: Vec<u8>, forced: bool) -> Result<Option<MrioTable>> {
    let mut book = Workbook::open(file, raw)?;
    let s = book.first_sheet()?;
    if !looks_like(&s) {
        if !forced && !is_name(file) {
            return Ok(None);
        }
        return Err(Error::invalid(
            file,
            Problem::new(
                format!("sheet '{}'", clip(&s.name)),
                format!(
                    "is not laid out as a WIOD table: A1 is '{}' (want '... Input-Output Table for YYYY') and E6 is '{}' (want the first WIOD code, c1)",
                    clip(&s.text(0, 0)),
                    clip(&s.text(ROW_CCODE, FIRST_COL))
                ),
            )
            .hint(HINT),
        ));
    }
    read_sheet(file, &s).map(Some)
}

fn read_sheet(file: &str, s: &Sheet) -> Result<MrioTable> {
    let bad =
        |place: String, rule: String| Error::invalid(file, Problem::new(place, rule).hint(HINT));
    let Some((last_row, last_col)) = s.end() else {
        return Err(bad(String::new(), "the first sheet is empty".into()));
    };
    // The end of Z: the last c35 row and column.
    let z_rows_end = (FIRST..=last_row)
        .rev()
        .find(|&r| s.text(r, COL_CCODE) == LAST_INDUSTRY);
    let z_cols_end = (FIRST_COL..=last_col)
        .rev()
        .find(|&c| s.text(ROW_CCODE, c) == LAST_INDUSTRY);
    let (Some(zr), Some(zc)) = (z_rows_end, z_cols_end) else {
        return Err(bad(
            format!("sheet '{}'", clip(&s.name)),
            format!("no row with {LAST_INDUSTRY} in column D, or no column with {LAST_INDUSTRY} in row 6: the last industry marks the end of the intermediate block"),
        ));
    };
    let n = (zr - FIRST + 1) as usize;
    let nc = (zc - FIRST_COL + 1) as usize;
    if n != nc {
        return Err(bad(
            format!("sheet '{}'", clip(&s.name)),
            format!("the intermediate block is not square: {n} industry rows (to row {}) but {nc} industry columns (to column {})", zr + 1, super::xlsx::column_name(zc)),
        ));
    }
    if last_col <= zc + 1 {
        return Err(bad(
            format!("sheet '{}'", clip(&s.name)),
            "no final-demand columns after the last industry column (and the total-output column)"
                .into(),
        ));
    }
    let mut tab = MrioTable::default();
    let mut region_ix: FastMap<String, u32> = FastMap::default();
    let mut sector_ix: FastMap<String, u32> = FastMap::default();
    let mut seen: FastMap<(u32, u32), u32> = FastMap::default();
    let mut renamed = false;
    for k in 0..n as u32 {
        let r = FIRST + k;
        let c = FIRST_COL + k;
        let (reg, code) = (s.text(r, COL_REGION), s.text(r, COL_CODE));
        if reg.is_empty() || code.is_empty() {
            return Err(bad(
                s.place(r, if reg.is_empty() { COL_REGION } else { COL_CODE }),
                "an industry row needs its country (column C) and ISIC code (column A)".into(),
            ));
        }
        let (creg, ccode) = (s.text(ROW_REGION, c), s.text(ROW_CODE, c));
        if creg != reg || ccode != code {
            return Err(bad(
                s.place(ROW_REGION, c),
                format!(
                    "column {} is {} {} but row {} is {} {}: rows and columns of the intermediate block must be in the same order",
                    super::xlsx::column_name(c),
                    clip(&creg),
                    clip(&ccode),
                    r + 1,
                    clip(&reg),
                    clip(&code)
                ),
            ));
        }
        renamed |= reg == "ROM";
        let reg = region(reg);
        let ri = *region_ix.entry(reg.clone()).or_insert_with(|| {
            tab.regions.push(reg.clone());
            tab.regions.len() as u32 - 1
        });
        let si = *sector_ix.entry(code.clone()).or_insert_with(|| {
            tab.sectors.push(code.clone());
            tab.sectors.len() as u32 - 1
        });
        if let Some(first) = seen.insert((ri, si), r) {
            return Err(bad(
                s.place(r, COL_CODE),
                format!(
                    "{reg} {code} appears twice (rows {} and {})",
                    first + 1,
                    r + 1
                ),
            ));
        }
        tab.nodes.push((ri, si));
    }
    // Final demand: the columns after Z, less the last (total output).
    let fd_cols: Vec<u32> = (zc + 1..last_col).collect();
    for &c in &fd_cols {
        let (reg, cat) = (s.text(ROW_REGION, c), s.text(ROW_CCODE, c));
        if reg.is_empty() || cat.is_empty() {
            return Err(bad(
                s.place(
                    if reg.is_empty() {
                        ROW_REGION
                    } else {
                        ROW_CCODE
                    },
                    c,
                ),
                "a final-demand column needs its country (row 5) and WIOD code (row 6)".into(),
            ));
        }
        renamed |= reg == "ROM";
        tab.fd_columns.push((Destination::Region(region(reg)), cat));
    }
    let m = fd_cols.len();
    tab.z = Vec::with_capacity(n * n);
    tab.y = Vec::with_capacity(n * m);
    let mut total_col = Vec::with_capacity(n);
    for k in 0..n as u32 {
        let r = FIRST + k;
        for c in FIRST_COL..=zc {
            tab.z.push(s.number(r, c, "an intermediate flow")?);
        }
        for &c in &fd_cols {
            tab.y.push(s.number(r, c, "a final-demand value")?);
        }
        total_col.push(s.number(r, last_col, "total output")?);
    }
    // Factor inputs: the rows after Z, less the totals and empty rows.
    let mut output_row = None;
    let mut dropped_rows = Vec::new();
    for r in zr + 1..=last_row {
        let ccode = s.text(r, COL_CCODE);
        let name = s.text(r, COL_NAME);
        let empty = name.is_empty()
            && ccode.is_empty()
            && (FIRST_COL..=last_col).all(|c| matches!(s.cell(r, c), calamine::Data::Empty));
        if empty {
            continue;
        }
        if TOTAL_ROWS.contains(&ccode.as_str()) {
            if ccode == "r69" {
                let mut v = Vec::with_capacity(n);
                for c in FIRST_COL..=zc {
                    v.push(s.number(r, c, "output at basic prices")?);
                }
                output_row = Some(v);
            }
            dropped_rows.push(format!("{ccode} ({name})"));
            continue;
        }
        let label = if name.is_empty() { ccode.clone() } else { name };
        if label.is_empty() {
            return Err(bad(
                s.place(r, COL_NAME),
                "a factor-input row needs its name (column B)".into(),
            ));
        }
        for c in FIRST_COL..=zc {
            tab.va.push(s.number(r, c, "a factor input")?);
        }
        let mut on_fd = 0.0;
        for &c in &fd_cols {
            on_fd += s.number(r, c, "a factor input on final demand")?;
        }
        if on_fd != 0.0 {
            tab.va_on_final_demand.push((label.clone(), on_fd));
        }
        tab.va_rows.push(label);
    }
    tab.output_column = Some(total_col);
    tab.output_row = output_row;
    let a1 = s.text(0, 0);
    tab.year = a1
        .get(a1.len().saturating_sub(4)..)
        .and_then(|y| y.parse().ok())
        .or_else(|| super::year_from_name(file));
    let system = unbracket(&s.text(2, 0));
    let unit = unbracket(&s.text(3, 0));
    tab.unit = Some(if unit.is_empty() {
        "millions of US$".into()
    } else {
        unit
    });
    tab.layout = "WIOD 2013 release".into();
    tab.source = Some("World Input-Output Database, 2013 release (wiod.org), as downloaded".into());
    let mut notes = vec![format!(
        "sheet '{}' read{}: nodes are country:ISIC code, final-demand categories the WIOD codes (c37 households, c38 NPISH, c39 government, c41 GFCF, c42 inventories and valuables)",
        s.name,
        if system.is_empty() { String::new() } else { format!(" ({system})") }
    )];
    if renamed {
        tab.merged
            .push("ROM renamed ROU (Romania's code in early WIOD years), as pymrio does".into());
    }
    tab.dropped.push(format!(
        "the last column ({}, total output) and the rows {}: totals, compared with the computed ones (see checks)",
        super::xlsx::column_name(last_col),
        dropped_rows.join(", ")
    ));
    notes.push(format!(
        "value added: the {} factor-input rows ({})",
        tab.va_rows.len(),
        tab.va_rows.join(", ")
    ));
    tab.notes = notes;
    Ok(tab)
}

/// The satellite accounts of the release found beside the table (`WIOD_SEA_July14.xlsx`,
/// `AIR_may12`, `lan_may12.zip`, ...): not read, said so in `dropped`.
pub(crate) fn note_satellites(tab: &mut MrioTable, beside: &[String]) {
    const STARTS: [&str; 8] = [
        "WIOD_SEA", "AIR_", "CO2_", "EM_", "EU_", "lan_", "mat_", "wat_",
    ];
    let mut found: Vec<&str> = beside
        .iter()
        .map(|n| n.split('/').next().unwrap_or(n))
        .filter(|n| STARTS.iter().any(|s| n.starts_with(s)))
        .collect();
    found.dedup();
    if !found.is_empty() {
        tab.dropped.push(format!(
            "the satellite accounts beside the table ({}): not read",
            crate::text::clip_list(found.iter().copied(), 12)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name("x/wiot09_row_sep12.xlsx"));
        assert!(!is_name("WIOD_SEA_July14.xlsx"));
        let names = vec![
            "wiot09_row_sep12.xlsx".to_string(),
            "wiot10_row_sep12.xlsx".into(),
        ];
        assert_eq!(
            choose("d", &names, Some(2010)).unwrap(),
            "wiot10_row_sep12.xlsx"
        );
        assert!(choose("d", &names, None).is_err());
        assert!(choose("d", &names, Some(2011)).is_err());
    }
}
