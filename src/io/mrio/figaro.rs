//! Eurostat's FIGARO inter-country input-output tables as "flat files": one long CSV per year
//! and table, `flatfile_eu-ic-io_ind-by-ind_23ed_2021.csv` (or the `.zip` holding it), one
//! line per cell of the table.
//!
//! The layout, as found with the search tool (code corpus; no Eurostat page with the column
//! list was stored): the industry-by-industry flat file has the header
//! `icioiRow,icioiCol,refArea,rowIi,counterpartArea,colIi,obsValue` (checked against the 26th
//! edition by a script that streams `flatfile_eu-ic-io_ind-by-ind_26ed_2024.zip` and stops
//! on any other header; the same columns in the test fixtures of the MARIO package's FIGARO
//! reader, `mario.parsers.figaro`), the product-by-product one
//! `iciopRow,iciopCol,refArea,rowPp,counterpartArea,colPp,obsValue` (the same fixtures), and the
//! supply and use tables `icsupRow,icsupCol,...` / `icuseRow,icuseCol,refArea,rowPi,
//! counterpartArea,colPi,obsValue` (a note on the FIGARO headers: `icsupRow` is "the
//! concatenation of refArea and rowPi codes"; refArea the country of origin,
//! counterpartArea the country of destination). So:
//! - `refArea` + the row code (`rowIi`, `rowPp` or `rowPi`) name the row: an industry of a
//!   country, or, under the pseudo-area `W2`, a value-added row: `D21X31` taxes less subsidies
//!   on products, `D1` compensation of employees, `D29X39` other net taxes on production,
//!   `B2A3G` operating surplus and mixed income, and the adjustments `OP_RES`, `OP_NRES`
//!   (direct purchases abroad by residents, purchases by non-residents);
//! - `counterpartArea` + the column code (`colIi`, `colPp` or `colPi`) name the column: an
//!   industry, or a final-demand category of the destination country: `P3_S13` government,
//!   `P3_S14` households, `P3_S15` NPISH final consumption, `P51G` gross fixed capital
//!   formation, `P5M` changes in inventories and valuables;
//! - `obsValue` is the value; the composite `ic...Row`/`ic...Col` keys repeat the others and
//!   are not needed.
//!
//! Values are in million euro at basic prices (Eurostat's metadata of the FIGARO tables,
//! `naio_10_fcp`: "All transactions are expressed in million Euro and basic prices"). The
//! year and the edition come from the file name (the flat file has no year column). Nodes
//! are `AREA:CODE` (`AT:A01`); the rest of the world (`FIGW1`) is a region like the others.

use super::{Destination, MrioTable};
use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::{clip, clip_list};

/// The value-added rows (under `W2`).
const VA_CODES: [&str; 6] = ["D21X31", "D1", "D29X39", "B2A3G", "OP_RES", "OP_NRES"];
/// The pseudo-area of the value-added rows.
const VA_AREA: &str = "W2";
/// The final-demand categories.
const FD_CODES: [&str; 5] = ["P3_S13", "P3_S14", "P3_S15", "P51G", "P5M"];

const HINT: &str = "a FIGARO input-output flat file (flatfile_eu-ic-io_ind-by-ind_*.csv) has the columns icioiRow, icioiCol, refArea, rowIi, counterpartArea, colIi, obsValue (product by product: rowPp, colPp)";

/// True when the header line names FIGARO's area columns (`refArea`, `counterpartArea`).
pub fn is_header(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    let cols: Vec<&str> = text
        .trim_end_matches(['\r', '\n'])
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    cols.contains(&"refArea") && cols.contains(&"counterpartArea")
}

/// Interns keys in order of first appearance.
#[derive(Default)]
struct Index {
    of: FastMap<(String, String), u32>,
    keys: Vec<(String, String)>,
}

impl Index {
    fn get(&mut self, area: &str, code: &str) -> u32 {
        if let Some(&i) = self.of.get(&(area.to_string(), code.to_string())) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push((area.to_string(), code.to_string()));
        self.of.insert((area.to_string(), code.to_string()), i);
        i
    }
}

/// Read a FIGARO flat file: `file` names it in messages, `table_name` is the file (or ZIP
/// member) name the year and edition are read from.
pub(crate) fn read(file: &str, table_name: &str, body: &[u8]) -> Result<MrioTable> {
    let bad =
        |place: String, rule: String| Error::invalid(file, Problem::new(place, rule).hint(HINT));
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return Err(bad(
                "line 1".into(),
                format!("the header cannot be read: {e}"),
            ))
        }
    };
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n))
    };
    if let Some(k) = find(&["icsupRow", "icuseRow"]) {
        return Err(bad(
            "line 1".into(),
            format!(
                "this is a FIGARO {} table ({}), not an input-output table",
                if header[k] == "icsupRow" {
                    "supply"
                } else {
                    "use"
                },
                header[k]
            ),
        ));
    }
    let cols = [
        ("refArea", find(&["refArea"])),
        ("rowIi (or rowPp)", find(&["rowIi", "rowPp", "rowPi"])),
        ("counterpartArea", find(&["counterpartArea"])),
        ("colIi (or colPp)", find(&["colIi", "colPp", "colPi"])),
        ("obsValue", find(&["obsValue"])),
    ];
    let missing: Vec<&str> = cols
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(bad(
            "line 1".into(),
            format!(
                "no column {} (the header has: {})",
                missing.join(", "),
                clip_list(header.iter().map(String::as_str), 12)
            ),
        ));
    }
    let [ra, rc, ca, cc, ov] = cols.map(|(_, c)| c.expect("checked"));
    let by_industry = header[rc] == "rowIi";
    let width = ra.max(rc).max(ca).max(cc).max(ov) + 1;

    // Every line becomes one (row, column, value) triple of 16 bytes before the matrices are
    // made.
    let lines = memchr::memchr_iter(b'\n', body).count() as u64;
    crate::budget::check(lines.saturating_mul(16), || {
        format!(
            "reading {file} ({} lines, at 16 bytes a line)",
            crate::budget::fmt_count(lines)
        )
    })?;
    let mut nodes = Index::default();
    let mut fds = Index::default();
    let mut va_ix: FastMap<String, u32> = FastMap::default();
    let mut va_names: Vec<String> = Vec::new();
    let mut va_fd: Vec<f64> = Vec::new();
    // (row, column, value) of Z, Y and value added.
    let mut zt: Vec<(u32, u32, f64)> = Vec::new();
    let mut yt: Vec<(u32, u32, f64)> = Vec::new();
    let mut vt: Vec<(u32, u32, f64)> = Vec::new();
    let mut missing_cells = 0u64;
    let mut rec = ::csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(bad(
                    format!("line {line}"),
                    format!("not readable as CSV: {e}"),
                ));
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if rec.len() < width {
            return Err(bad(
                format!("line {line}"),
                format!("has {} fields, the header has {}", rec.len(), header.len()),
            ));
        }
        let field = |k: usize| {
            String::from_utf8_lossy(rec.get(k).unwrap_or_default().trim_ascii()).into_owned()
        };
        let (r_area, r_code, c_area, c_code) = (field(ra), field(rc), field(ca), field(cc));
        for (k, v) in [(ra, &r_area), (rc, &r_code), (ca, &c_area), (cc, &c_code)] {
            if v.is_empty() {
                return Err(bad(
                    format!("line {line}"),
                    format!("{} is empty", header[k]),
                ));
            }
        }
        let raw = rec.get(ov).unwrap_or_default().trim_ascii();
        let value = if raw.is_empty() || raw == b"NaN" || raw == b"NA" {
            missing_cells += 1;
            0.0
        } else {
            match fast_float2::parse::<f64, _>(raw) {
                Ok(v) if v.is_finite() => v,
                _ => {
                    return Err(bad(
                        format!("line {line} (obsValue)"),
                        format!("not a number: '{}'", clip(&String::from_utf8_lossy(raw))),
                    ))
                }
            }
        };
        let is_va = r_area == VA_AREA || VA_CODES.contains(&r_code.as_str());
        let is_fd = FD_CODES.contains(&c_code.as_str());
        if is_va {
            let c = *va_ix.entry(r_code.clone()).or_insert_with(|| {
                va_names.push(r_code.clone());
                va_fd.push(0.0);
                va_names.len() as u32 - 1
            });
            if is_fd {
                va_fd[c as usize] += value;
            } else {
                let j = nodes.get(&c_area, &c_code);
                vt.push((c, j, value));
            }
        } else {
            let i = nodes.get(&r_area, &r_code);
            if is_fd {
                let f = fds.get(&c_area, &c_code);
                yt.push((i, f, value));
            } else {
                let j = nodes.get(&c_area, &c_code);
                zt.push((i, j, value));
            }
        }
    }
    let n = nodes.keys.len();
    let m = fds.keys.len();
    let nva = va_names.len();
    if n == 0 {
        return Err(bad(
            String::new(),
            "no industry rows: the file holds no table".into(),
        ));
    }
    crate::budget::check(((n * n + n * m + nva * n) as u64).saturating_mul(8), || {
        format!("the FIGARO table of {file} ({n} industries)")
    })?;
    let mut tab = MrioTable::default();
    let fill = |dense: &mut Vec<f64>,
                cols: usize,
                t: &[(u32, u32, f64)],
                what: &str,
                keys: (&Index, &Index)|
     -> Result<()> {
        let mut seen = vec![false; dense.len()];
        for &(i, j, v) in t {
            let k = i as usize * cols + j as usize;
            if seen[k] {
                let (r, c) = (&keys.0.keys[i as usize], &keys.1.keys[j as usize]);
                return Err(bad(
                    String::new(),
                    format!(
                        "the {what} cell {} {} -> {} {} is listed twice (each cell is one line)",
                        r.0, r.1, c.0, c.1
                    ),
                ));
            }
            seen[k] = true;
            dense[k] = v;
        }
        Ok(())
    };
    tab.z = vec![0.0; n * n];
    fill(&mut tab.z, n, &zt, "intermediate", (&nodes, &nodes))?;
    drop(zt);
    tab.y = vec![0.0; n * m];
    fill(&mut tab.y, m, &yt, "final-demand", (&nodes, &fds))?;
    drop(yt);
    let mut va_keys = Index::default();
    for v in &va_names {
        va_keys.get(VA_AREA, v);
    }
    tab.va = vec![0.0; nva * n];
    fill(&mut tab.va, n, &vt, "value-added", (&va_keys, &nodes))?;
    drop(vt);
    // The keys are distinct (each was added once while reading).
    tab.push_nodes(&nodes.keys);
    tab.fd_columns = fds
        .keys
        .iter()
        .map(|(a, c)| (Destination::Region(a.clone()), c.clone()))
        .collect();
    tab.va_rows = va_names.clone();
    tab.va_on_final_demand = va_names
        .iter()
        .zip(&va_fd)
        .filter(|(_, v)| **v != 0.0)
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let kind = if by_industry {
        "ind-by-ind"
    } else {
        "prod-by-prod"
    };
    tab.layout = format!("FIGARO {kind}");
    tab.not_in_pymrio = true;
    tab.unit = Some("million EUR".into());
    tab.year = super::year_from_name(table_name);
    let base = super::files::base(table_name);
    let edition = base
        .split(['_', '.'])
        .find(|p| p.len() == 4 && p.ends_with("ed") && p[..2].bytes().all(|b| b.is_ascii_digit()));
    tab.source = Some(format!(
        "Eurostat FIGARO inter-country input-output tables{}, flat file as downloaded",
        edition
            .map(|e| format!(" (edition {e})"))
            .unwrap_or_default()
    ));
    let mut notes = vec![format!(
        "{} read: rows {} + {}, columns {} + {}; value added from the {VA_AREA} rows ({}), final demand from the columns {}",
        base,
        header[ra],
        header[rc],
        header[ca],
        header[cc],
        va_names.join(", "),
        FD_CODES.join(", ")
    )];
    if tab.year.is_none() {
        notes.push("the file name gives no year (FIGARO's flat files have no year column)".into());
    }
    if missing_cells > 0 {
        notes.push(format!("{missing_cells} empty or NaN values read as 0"));
    }
    tab.notes = notes;
    Ok(tab)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header() {
        assert!(is_header(
            b"icioiRow,icioiCol,refArea,rowIi,counterpartArea,colIi,obsValue\r\n"
        ));
        assert!(!is_header(b"t,i,j,k,v,q"));
    }

    #[test]
    fn reads_a_cell_of_each_block() {
        let csv = b"icioiRow,icioiCol,refArea,rowIi,counterpartArea,colIi,obsValue
AT_A01,AT_A01,AT,A01,AT,A01,1.5
AT_A01,AT_P3_S14,AT,A01,AT,P3_S14,2
W2_D1,AT_A01,W2,D1,AT,A01,3
W2_D21X31,AT_P3_S14,W2,D21X31,AT,P3_S14,0.5
";
        let t = read("f", "flatfile_eu-ic-io_ind-by-ind_23ed_2021.csv", csv).unwrap();
        assert_eq!(t.totals(), (1.5, 2.0, 3.5));
        assert_eq!(t.va, vec![3.0, 0.0]);
        assert_eq!(t.va_on_final_demand, vec![("D21X31".to_string(), 0.5)]);
        assert_eq!(t.year, Some(2021));
        assert_eq!(t.layout, "FIGARO ind-by-ind");
    }
}
