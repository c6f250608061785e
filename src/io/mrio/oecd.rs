//! The OECD Inter-Country Input-Output tables (ICIO), releases 2016, 2018, 2021 and 2023
//! (small and extended), as downloaded: one CSV per year (`ICIO2016_2003.csv`,
//! `ICIO2018_2010.CSV`, `2020_SML.csv`, `2020.csv`), or a ZIP archive holding it.
//!
//! Layout (pymrio's `parse_oecd` rules, `../shared/data/mrio-layouts/pymrio-mocks/LAYOUTS.md`):
//! the first header cell is empty; columns are industries `CCC_SECTOR` (split at the first
//! `_`: `ARG_A01_02` is sector `A01_02` of `ARG`), final-demand columns `CCC_CAT` with `CAT` one
//! of [`CATEGORIES`] (an anchored suffix; 2016 puts the category first, `HFCE_AUS`, and adds
//! one `DISC` column without a country), and a total column `OUT` or `TOTAL`. Rows are the same
//! industries, then value-added rows (`TLS`, `VA`, `VALU`, labels holding `TAX`: `VA+TAXSUB`,
//! `AUS_TAXSUB`) and a total row `OUT` or `OUTPUT`. Totals are checks only. China and Mexico
//! split blocks (`CN1`..`CN4`, `MX1`..`MX3`) are added into `CHN` and `MEX` when those exist.
//! Empty and `NA` cells are 0.

use super::grid::{self, Shape};
use super::{Destination, MrioTable};
use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::{clip, clip_list};

/// Final-demand categories recognised as the suffix of a `CCC_CAT` column (or its prefix in
/// the 2016 layout): households, non-profits (NPISH, 2016's NPS), government, fixed capital,
/// inventories (INVNT, 2016's INV), direct purchases abroad (DPABR, 2016's DIRP, 2018's P33),
/// total final demand (FD), the statistical discrepancy (DISC), and the two categories of
/// exvatools' ICIO-layout test table `iciotest` (consumption CONS, investment INVST).
pub const CATEGORIES: &[&str] = &[
    "HFCE", "NPISH", "NPS", "GGFC", "GFCF", "INVNT", "INV", "DIRP", "DPABR", "P33", "FD", "DISC",
    "CONS", "INVST",
];

/// The first header cell of an ICIO table: empty as the OECD writes it, or `row` as R's
/// `write.csv` of a table with row names writes it (exvatools' `iciotest`).
fn is_corner(cell: &str) -> bool {
    cell.is_empty() || cell == "row"
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
enum Col {
    /// An industry: region, sector.
    Industry(String, String),
    /// Final demand: destination region (none for `DISC`), category.
    Final(Option<String>, String),
    /// Total output.
    Total,
}

fn is_category(s: &str) -> bool {
    CATEGORIES.contains(&s)
}

/// The column a header label names, or `None` when it is none of the kinds.
fn column(label: &str) -> Option<Col> {
    match label {
        "OUT" | "TOTAL" => return Some(Col::Total),
        "DISC" => return Some(Col::Final(None, "DISC".into())),
        _ => {}
    }
    let (a, b) = label.split_once('_')?;
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if is_category(b) {
        Some(Col::Final(Some(a.into()), b.into()))
    } else if is_category(a) && !b.contains('_') {
        // 2016: HFCE_AUS.
        Some(Col::Final(Some(b.into()), a.into()))
    } else {
        Some(Col::Industry(a.into(), b.into()))
    }
}

/// A value-added (factor-input) row label: `TLS`, `VA`, or one holding `VALU` or `TAX`.
fn is_value_added(label: &str) -> bool {
    label == "TLS" || label == "VA" || label.contains("VALU") || label.contains("TAX")
}

fn is_total_row(label: &str) -> bool {
    matches!(label, "OUT" | "OUTPUT" | "TOTAL")
}

/// True when the first line of `body` is an ICIO header: an empty first cell, then
/// `CCC_SECTOR` codes, and final-demand columns.
pub fn looks_like(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1 << 20)];
    let line = match memchr::memchr(b'\n', head) {
        Some(i) => &head[..i],
        None if body.len() <= head.len() => head,
        None => return false,
    };
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut fields = Vec::new();
    if grid::split(line, b',', &mut fields).is_err()
        || fields.len() < 3
        || !is_corner(&grid::text(fields[0]))
    {
        return false;
    }
    let labels: Vec<String> = fields[1..].iter().map(|f| grid::text(f)).collect();
    matches!(column(&labels[0]), Some(Col::Industry(..)))
        && labels
            .iter()
            .any(|l| matches!(column(l), Some(Col::Final(..))))
}

/// The region a split block is added into: `CN1` -> `CHN`, `MX2` -> `MEX`, when `regions`
/// holds the country itself.
fn merge_target(region: &str, regions: &[String]) -> Option<&'static str> {
    let digits = |p: &str| {
        region
            .strip_prefix(p)
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
    };
    let has = |c: &str| regions.iter().any(|r| r == c);
    if digits("CN") && has("CHN") {
        Some("CHN")
    } else if digits("MX") && has("MEX") {
        Some("MEX")
    } else {
        None
    }
}

/// Read an ICIO table from `bytes` (the file's text). `file` names it in messages; `name` is
/// the file or ZIP member name the year is taken from.
pub fn read(
    file: &str,
    name: &str,
    bytes: &[u8],
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<MrioTable> {
    read_with(file, name, bytes, progress, false)
}

/// [`read`], with `keep_splits`: China's and Mexico's split blocks (`CN1`.., `MX1`..) stay
/// nodes of their own (`MX1:C29`) whose country is `CHN` or `MEX`, instead of being added into
/// the country's nodes (as exvatools builds its system: the domestic block of Mexico is then
/// the block over every MX node, and value-added terms are those of the unaggregated table).
pub fn read_with(
    file: &str,
    name: &str,
    bytes: &[u8],
    progress: Option<&(dyn Fn(u64) + Sync)>,
    keep_splits: bool,
) -> Result<MrioTable> {
    let invalid = |p: Problem| Error::invalid(file, p);
    let shape = Shape {
        delim: b',',
        header_rows: 1,
        index_cols: 1,
        columns: None,
    };
    let col_name = |h: &[Vec<String>], j: usize| h[0].get(j + 1).cloned().unwrap_or_default();
    let g = grid::parse(file, bytes, shape, &col_name, progress)?;
    let header = &g.header[0];
    if !header.first().is_some_and(|c| is_corner(c)) {
        return Err(invalid(
            Problem::new(
                "line 1",
                format!(
                    "the first header cell is '{}', not empty (or 'row'): not an OECD ICIO table",
                    clip(header.first().map_or("", String::as_str))
                ),
            )
            .hint("an ICIO file starts with an empty cell, then the column codes (AUS_A01_02, ..., AUS_HFCE, ...)"),
        ));
    }
    // Columns.
    let mut cols = Vec::with_capacity(header.len() - 1);
    let mut seen: FastMap<&str, usize> = FastMap::default();
    for (j, label) in header[1..].iter().enumerate() {
        if let Some(first) = seen.insert(label, j) {
            return Err(invalid(Problem::new(
                "line 1",
                format!(
                    "column '{}' appears twice (columns {} and {})",
                    clip(label),
                    first + 2,
                    j + 2
                ),
            )));
        }
        match column(label) {
            Some(c) => cols.push(c),
            None => {
                return Err(invalid(
                    Problem::new(
                        format!("line 1 (column {})", j + 2),
                        format!(
                            "column '{}' is not an industry (CCC_SECTOR), a final-demand column (CCC_{}) or a total (OUT, TOTAL)",
                            clip(label),
                            CATEGORIES.join("|")
                        ),
                    )
                    .hint("check that the file is an OECD ICIO table as downloaded"),
                ))
            }
        }
    }
    let mut raw_regions: Vec<String> = Vec::new();
    for c in &cols {
        if let Col::Industry(r, _) = c {
            if !raw_regions.contains(r) {
                raw_regions.push(r.clone());
            }
        }
    }
    let target = |r: &str| {
        if keep_splits {
            return r.to_string();
        }
        merge_target(r, &raw_regions).unwrap_or(r).to_string()
    };
    let mut merged_into: Vec<(String, &'static str)> = Vec::new();
    let mut kept_splits: Vec<String> = Vec::new();
    for r in &raw_regions {
        match merge_target(r, &raw_regions) {
            Some(t) => merged_into.push((r.clone(), t)),
            None if (r.starts_with("CN") || r.starts_with("MX"))
                && r.len() > 2
                && r[2..].bytes().all(|c| c.is_ascii_digit()) =>
            {
                kept_splits.push(r.clone());
            }
            None => {}
        }
    }

    // Nodes (after merging), sectors, final-demand columns.
    let mut t = MrioTable {
        unit: Some("million USD".into()),
        source: Some(
            "OECD Inter-Country Input-Output Tables, http://oe.cd/icio (file as downloaded)".into(),
        ),
        year: super::year_from_name(name),
        ..Default::default()
    };
    let mut node_of: FastMap<(String, String), u32> = FastMap::default();
    let mut region_ix: FastMap<String, u32> = FastMap::default();
    let mut sector_ix: FastMap<String, u32> = FastMap::default();
    let mut fd_of: FastMap<(Option<String>, String), u32> = FastMap::default();
    /// Where a column's cells go.
    #[derive(Clone, Copy)]
    enum Slot {
        Node(u32),
        Final(u32),
        Total,
    }
    let mut slots = Vec::with_capacity(cols.len());
    let mut total_col_seen = false;
    for c in &cols {
        slots.push(match c {
            Col::Industry(r, s) => {
                let r = target(r);
                let ri = *region_ix.entry(r.clone()).or_insert_with(|| {
                    t.regions.push(r.clone());
                    t.regions.len() as u32 - 1
                });
                let si = *sector_ix.entry(s.clone()).or_insert_with(|| {
                    t.sectors.push(s.clone());
                    t.sectors.len() as u32 - 1
                });
                let n = t.nodes.len() as u32;
                let i = *node_of.entry((r, s.clone())).or_insert(n);
                if i == n {
                    t.nodes.push((ri, si));
                }
                Slot::Node(i)
            }
            Col::Final(r, cat) => {
                let d = r.as_deref().map(target);
                let k = t.fd_columns.len() as u32;
                let f = *fd_of.entry((d.clone(), cat.clone())).or_insert(k);
                if f == k {
                    let dest = d.map_or(Destination::Unassigned, Destination::Region);
                    t.fd_columns.push((dest, cat.clone()));
                }
                Slot::Final(f)
            }
            Col::Total => {
                total_col_seen = true;
                Slot::Total
            }
        });
    }
    let n = t.nodes.len();
    let m = t.fd_columns.len();
    if n == 0 {
        return Err(invalid(Problem::new(
            "line 1",
            "the header has no industry columns (CCC_SECTOR)",
        )));
    }

    // Rows.
    enum Kind {
        Node(u32),
        Factor(usize),
        Total,
    }
    let mut kinds = Vec::with_capacity(g.rows.len());
    let mut row_line: FastMap<&str, u64> = FastMap::default();
    let mut has_row = vec![false; n];
    let mut factor_of: FastMap<String, usize> = FastMap::default();
    let mut total_row_label: Option<&str> = None;
    for r in &g.rows {
        let label = r.labels[0].as_str();
        if let Some(first) = row_line.insert(label, r.line) {
            return Err(invalid(Problem::new(
                format!("line {}", r.line),
                format!(
                    "row '{}' appears twice (lines {first} and {})",
                    clip(label),
                    r.line
                ),
            )));
        }
        let industry = match column(label) {
            Some(Col::Industry(reg, s)) => node_of.get(&(target(&reg), s)).copied(),
            _ => None,
        };
        kinds.push(if let Some(i) = industry {
            has_row[i as usize] = true;
            Kind::Node(i)
        } else if is_total_row(label) {
            total_row_label.get_or_insert(label);
            Kind::Total
        } else if is_value_added(label) {
            // A split block's own taxes row (CN1_TAXSUB) goes with its country's.
            let name = match label.split_once('_') {
                Some((reg, rest)) if merge_target(reg, &raw_regions).is_some() => {
                    format!("{}_{rest}", target(reg))
                }
                _ => label.to_string(),
            };
            let k = t.va_rows.len();
            let c = *factor_of.entry(name.clone()).or_insert(k);
            if c == k {
                t.va_rows.push(name);
            }
            Kind::Factor(c)
        } else {
            return Err(invalid(
                Problem::new(
                    format!("line {}", r.line),
                    format!(
                        "row '{}' is not an industry of the columns, a value-added row (TLS, VA, VALU, ...TAX...) or a total (OUT, OUTPUT)",
                        clip(label)
                    ),
                )
                .hint("the rows of an ICIO table are its industries in the order of the columns, then TLS, VA and OUT"),
            ));
        });
    }
    let missing: Vec<String> = (0..n)
        .filter(|&i| !has_row[i])
        .map(|i| t.node_id(i))
        .collect();
    if !missing.is_empty() {
        let last = g.rows.last().map_or(1, |r| r.line);
        return Err(invalid(
            Problem::new(
                format!("after line {last}"),
                format!(
                    "{} of the {n} industries of the columns have no row: {}",
                    missing.len(),
                    clip_list(missing.iter().map(String::as_str), 8)
                ),
            )
            .hint("the file is cut short (a truncated download: fetch it again), or it is not a whole ICIO table"),
        ));
    }

    // Cells.
    let k = t.va_rows.len();
    t.z = vec![0.0; n * n];
    t.y = vec![0.0; n * m];
    t.va = vec![0.0; k * n];
    let mut out_col = vec![0.0; n];
    let mut out_row = vec![0.0; n];
    let mut on_final = vec![0.0; k];
    for (r, kind) in g.rows.iter().zip(&kinds) {
        match *kind {
            Kind::Node(i) => {
                let i = i as usize;
                for (v, s) in r.values.iter().zip(&slots) {
                    match *s {
                        Slot::Node(j) => t.z[i * n + j as usize] += v,
                        Slot::Final(f) => t.y[i * m + f as usize] += v,
                        Slot::Total => out_col[i] += v,
                    }
                }
            }
            Kind::Factor(c) => {
                for (v, s) in r.values.iter().zip(&slots) {
                    match *s {
                        Slot::Node(j) => t.va[c * n + j as usize] += v,
                        Slot::Final(_) => on_final[c] += v,
                        Slot::Total => {}
                    }
                }
            }
            Kind::Total => {
                for (v, s) in r.values.iter().zip(&slots) {
                    if let Slot::Node(j) = *s {
                        out_row[j as usize] += v;
                    }
                }
            }
        }
    }
    let total_col = cols.iter().find_map(|c| match c {
        Col::Total => header[1..]
            .iter()
            .find(|l| matches!(l.as_str(), "OUT" | "TOTAL")),
        _ => None,
    });
    if total_col_seen {
        t.output_column = Some(out_col);
    }
    if total_row_label.is_some() {
        t.output_row = Some(out_row);
    }

    // What was done, for the notes.
    t.layout = layout(
        &cols,
        &t,
        &g.rows,
        !merged_into.is_empty() || !kept_splits.is_empty(),
    );
    if keep_splits {
        t.region_country = t
            .regions
            .iter()
            .map(|r| merge_target(r, &raw_regions).map(str::to_string))
            .collect();
        let kept: Vec<&str> = merged_into.iter().map(|(r, _)| r.as_str()).collect();
        if !kept.is_empty() {
            t.notes.push(format!(
                "{} kept as nodes of their own, of the country CHN or MEX (--keep-split-blocks)",
                kept.join(", ")
            ));
        }
    } else if !merged_into.is_empty() {
        for country in ["CHN", "MEX"] {
            let parts: Vec<&str> = merged_into
                .iter()
                .filter(|(_, c)| *c == country)
                .map(|(r, _)| r.as_str())
                .collect();
            if !parts.is_empty() {
                t.merged.push(format!(
                    "{} added into {country} (industry rows and columns, final demand, value added)",
                    parts.join(", ")
                ));
            }
        }
    }
    if !kept_splits.is_empty() {
        t.notes.push(format!(
            "{} kept as regions of their own: the table has no CHN or MEX to add them to (as pymrio does)",
            kept_splits.join(", ")
        ));
    }
    if let Some(c) = total_col {
        t.dropped.push(format!(
            "total column {c}: a check only (output is computed from Z and final demand)"
        ));
    }
    if let Some(r) = total_row_label {
        t.dropped.push(format!(
            "total row {r}: a check only (column sums of Z and value added)"
        ));
    }
    t.va_on_final_demand = t
        .va_rows
        .iter()
        .zip(&on_final)
        .filter(|(_, v)| **v != 0.0)
        .map(|(r, v)| (r.clone(), *v))
        .collect();
    if !t.va_on_final_demand.is_empty() {
        let total: f64 = t.va_on_final_demand.iter().map(|(_, v)| v).sum();
        t.dropped.push(format!(
            "value-added rows under the final-demand columns (taxes less subsidies on final products, total {total}; by component in meta value_added_on_final_demand): not part of any industry's value added"
        ));
    }
    if t.fd_columns
        .iter()
        .any(|(d, _)| *d == Destination::Unassigned)
    {
        t.notes.push(
            "DISC (statistical discrepancy, no destination) counted as final demand of each row's own country"
                .into(),
        );
    }
    if g.missing_cells > 0 {
        t.notes
            .push(format!("{} empty or NA cells read as 0", g.missing_cells));
    }
    Ok(t)
}

/// The release whose conventions the table follows.
fn layout(cols: &[Col], t: &MrioTable, rows: &[grid::Row], splits: bool) -> String {
    let labels: Vec<&str> = rows.iter().map(|r| r.labels[0].as_str()).collect();
    let fd_first = cols.iter().any(|c| match c {
        Col::Final(Some(r), cat) => is_category(r) && !is_category(cat),
        Col::Final(None, _) => true,
        _ => false,
    });
    let cat = |c: &str| cols.iter().any(|x| matches!(x, Col::Final(_, k) if k == c));
    if fd_first || labels.contains(&"VA+TAXSUB") {
        "OECD ICIO 2016".into()
    } else if cat("P33")
        || labels.contains(&"VALU")
        || labels.iter().any(|l| l.ends_with("_TAXSUB"))
    {
        "OECD ICIO 2018".into()
    } else if t.sectors.iter().any(|s| s.starts_with("A01")) {
        if splits {
            "OECD ICIO 2023 extended".into()
        } else {
            "OECD ICIO 2023 small".into()
        }
    } else {
        "OECD ICIO 2021".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_anchored_suffix() {
        assert_eq!(
            column("ARG_A01_02"),
            Some(Col::Industry("ARG".into(), "A01_02".into()))
        );
        assert_eq!(
            column("ARG_HFCE"),
            Some(Col::Final(Some("ARG".into()), "HFCE".into()))
        );
        assert_eq!(
            column("HFCE_AUS"),
            Some(Col::Final(Some("AUS".into()), "HFCE".into()))
        );
        assert_eq!(column("DISC"), Some(Col::Final(None, "DISC".into())));
        // A category inside a sector code is not a final-demand column.
        assert_eq!(
            column("AUS_INVX"),
            Some(Col::Industry("AUS".into(), "INVX".into()))
        );
        assert_eq!(column("OUT"), Some(Col::Total));
        assert_eq!(column("misc"), None);
    }

    #[test]
    fn recognises_headers() {
        assert!(looks_like(b",AUS_A01,AUS_HFCE,OUT\nAUS_A01,1,2,3\n"));
        assert!(looks_like(b"\"\",\"AUS_C01\",\"HFCE_AUS\"\r\n"));
        assert!(!looks_like(b"exporter,importer,value\nA,B,1\n"));
        assert!(!looks_like(b",AUS_A01,AUS_B\n"));
    }

    #[test]
    fn merges_split_blocks() {
        let csv = b",CHN_A,CN1_A,USA_A,CHN_HFCE,USA_HFCE,OUT\n\
CHN_A,0,0,0,0,0,0\n\
CN1_A,1,2,3,4,5,15\n\
USA_A,6,7,8,9,10,40\n\
TLS,1,1,1,1,1,\n\
VA,2,2,2,,,\n\
OUT,10,0,14,,,\n";
        let t = read("t.csv", "2020.csv", csv, None).unwrap();
        assert_eq!(t.regions, ["CHN", "USA"]);
        assert_eq!(t.z, [3.0, 3.0, 13.0, 8.0]);
        assert_eq!(t.y, [4.0, 5.0, 9.0, 10.0]);
        assert_eq!(t.va, [2.0, 1.0, 4.0, 2.0]);
        assert_eq!(t.year, Some(2020));
        assert_eq!(
            t.merged,
            ["CN1 added into CHN (industry rows and columns, final demand, value added)"]
        );
        // Output column checks out; the output row is short for CHN by the CN1 column's sums.
        let c = t.checks(&t.output());
        assert!(c[0].starts_with("the output column equals"), "{c:?}");
        assert!(c[1].starts_with("MISMATCH: the output row"), "{c:?}");
    }

    #[test]
    fn unknown_rows_and_missing_rows_are_named() {
        let e = read("t.csv", "t.csv", b",A_x,A_HFCE\nA_x,1,2\nzzz,1,2\n", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv: line 3: row 'zzz' is not an industry"),
            "{e}"
        );
        let e = read("t.csv", "t.csv", b",A_x,B_x,A_HFCE\nA_x,1,2,3\n", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("1 of the 2 industries of the columns have no row: B:x"),
            "{e}"
        );
    }
}
