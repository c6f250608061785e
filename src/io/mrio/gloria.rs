//! GLORIA (Global Resource Input-Output Assessment) as downloaded, release 059: the folder
//! `GLORIA_MRIOs_59_{year}/` with the headerless CSV matrices
//! `..._120secMother_AllCountries_002_{T,Y,V}-Results_{year}_059_Markup001(full).csv`, and the
//! labels in `GLORIA_ReadMe_059.xlsx` beside it.
//!
//! Layout (pymrio's `parse_gloria(path, year, version=59, price="bp", construct="B")`,
//! `../shared/data/mrio-layouts/pymrio-mocks/LAYOUTS.md` §6):
//! - the ReadMe gives the regions (sheet `Regions`, column `Region_acronyms`), the sectors
//!   (`Sectors`, `Sector_names`), the value-added and final-demand categories (`Value added
//!   and final demand`, `Value_added_names` and `Final_demand_names`);
//! - T is a supply-use table: its rows and columns are region x {Industry, Product} x sector,
//!   region-major, the Industry block before the Product block; V (supply) is its Industry
//!   rows x Product columns, U (use) its Product rows x Industry columns;
//! - Y's rows are T's, its columns region x final-demand category; pymrio keeps its Product
//!   rows; the V-results file is value added: rows region x category, columns T's (pymrio keeps
//!   the Industry columns);
//! - regions whose T rows and columns both sum to 0 are dropped;
//! - the input-output table is construct B (industry technology, product by product):
//!   A = U diag(g)^-1 V diag(q)^-1 with g = row sums of V (industry output) and q = row sums
//!   of U and Y (product output); pymrio's x = (I - A)^-1 y is then q, so Z = A diag(x) =
//!   U diag(g)^-1 V, and value added is VA diag(g)^-1 V. (When V is diagonal, as it is in
//!   GLORIA, Z is U relabelled by product, and all four constructs are equal.)
//!
//! Nodes are `REGION:sector` with the ReadMe's sector names (products, by construct B). Value
//! added is kept by category (summed over the row regions; GLORIA fills only the column's
//! own region). Unit: thousand USD (pymrio's "‘000 US$"). Prices: basic (`Markup001`) unless a
//! `Markup005` (purchasers' prices) T or Y file is named; V is always `Markup001`. The
//! satellite accounts (`TQ`, `YQ`) are not read.

use super::files::{self, Files};
use super::grid::{self, Shape};
use super::xlsx::Workbook;
use super::{Destination, MrioTable};
use crate::error::{Error, Problem, Result};
use crate::text::clip_list;
use std::path::{Path, PathBuf};

const SET_HINT: &str = "GLORIA is read from the folder holding GLORIA_MRIOs_59_{year}/ (with the T-, Y- and V-Results CSV files) and GLORIA_ReadMe_059.xlsx, as downloaded";
const README_HINT: &str = "GLORIA_ReadMe_059.xlsx as downloaded has the sheets Regions (Region_acronyms), Sectors (Sector_names) and 'Value added and final demand' (Value_added_names, Final_demand_names)";

/// The parts of a GLORIA results file name.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// `T`, `Y`, `V`, `TQ`, `YQ`.
    pub kind: String,
    /// The year.
    pub year: i64,
    /// The release as written (`059`).
    pub version: String,
    /// The markup as written (`001` basic prices, `005` purchasers' prices).
    pub markup: String,
}

/// Parse `..._T-Results_2022_059_Markup001(full).csv`.
pub fn parse_name(name: &str) -> Option<Name> {
    let base = files::base(name);
    let at = base.find("-Results_")?;
    let kind = base[..at].rsplit('_').next()?.to_string();
    let rest = base[at + "-Results_".len()..].strip_suffix(".csv")?;
    let mut parts = rest.splitn(3, '_');
    let year = parts.next()?;
    let version = parts.next()?;
    let markup = parts.next()?.strip_prefix("Markup")?;
    let markup = markup.split('(').next()?;
    if year.len() != 4 || kind.is_empty() {
        return None;
    }
    Some(Name {
        kind,
        year: year.parse().ok()?,
        version: version.to_string(),
        markup: markup.to_string(),
    })
}

/// True when `names` hold a GLORIA T-Results file.
pub fn is_set(names: &[String]) -> bool {
    names
        .iter()
        .any(|n| parse_name(n).is_some_and(|p| p.kind == "T"))
}

/// The label lists of the ReadMe.
struct Labels {
    regions: Vec<String>,
    sectors: Vec<String>,
    va: Vec<String>,
    fd: Vec<String>,
}

/// The non-empty cells under the header `col` of sheet `sheet`.
fn column(book: &mut Workbook, sheet: &str, col: &str) -> Result<Vec<String>> {
    let s = book.sheet(sheet, README_HINT)?;
    let Some((last, last_col)) = s.end() else {
        return Err(Error::invalid(
            s.file.clone(),
            Problem::new(format!("sheet '{sheet}'"), "is empty").hint(README_HINT),
        ));
    };
    let Some(c) = s.column(0, col) else {
        let heads: Vec<String> = (0..=last_col).map(|c| s.text(0, c)).collect();
        return Err(Error::invalid(
            s.file.clone(),
            Problem::new(
                format!("sheet '{sheet}', row 1"),
                format!(
                    "no column '{col}' (its columns: {})",
                    clip_list(heads.iter().map(String::as_str), 12)
                ),
            )
            .hint(README_HINT),
        ));
    };
    Ok((1..=last)
        .map(|r| s.text(r, c))
        .filter(|t| !t.is_empty())
        .collect())
}

fn labels(shown: &str, raw: Vec<u8>) -> Result<Labels> {
    let mut book = Workbook::open(shown, raw)?;
    Ok(Labels {
        regions: column(&mut book, "Regions", "Region_acronyms")?,
        sectors: column(&mut book, "Sectors", "Sector_names")?,
        va: column(
            &mut book,
            "Value added and final demand",
            "Value_added_names",
        )?,
        fd: column(
            &mut book,
            "Value added and final demand",
            "Final_demand_names",
        )?,
    })
}

/// A headerless matrix of `rows` x `cols` numbers, row-major.
fn matrix(
    files: &mut Files,
    member: &str,
    rows: usize,
    cols: usize,
    col_name: &(dyn Fn(usize) -> String + Sync),
) -> Result<Vec<f64>> {
    let shown = files.display(member);
    let bytes = files.read(member)?;
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    let shape = Shape {
        delim: b',',
        header_rows: 0,
        index_cols: 0,
        columns: Some(cols),
    };
    let g = grid::parse(
        &shown,
        body,
        shape,
        &|_: &[Vec<String>], j| col_name(j),
        None,
    )?;
    let width = g.rows.first().map_or(0, |r| r.values.len());
    if g.rows.len() != rows || width != cols {
        return Err(Error::invalid(
            shown,
            Problem::new(
                "",
                format!(
                    "has {} rows and {width} columns, but the ReadMe's labels make it {rows} x {cols}",
                    g.rows.len()
                ),
            )
            .hint("the matrices and GLORIA_ReadMe_059.xlsx belong to different releases, or the file is cut short"),
        ));
    }
    let mut out = Vec::with_capacity(rows * cols);
    for r in &g.rows {
        out.extend_from_slice(&r.values);
    }
    Ok(out)
}

/// Read GLORIA from `files` (a folder); the ReadMe is looked for among them, then in
/// `beside` (the folder above a `GLORIA_MRIOs_*` folder). `named` is the file the user gave,
/// if one (its year and prices are read); `year` chooses among several years.
pub(crate) fn read(
    files: &mut Files,
    beside: Option<PathBuf>,
    year: Option<u16>,
    named: Option<&str>,
) -> Result<MrioTable> {
    let names = files.names();
    let parsed: Vec<(String, Name)> = names
        .iter()
        .filter_map(|n| parse_name(n).map(|p| (n.clone(), p)))
        .collect();
    let named = named.and_then(parse_name);
    let want_year = named.as_ref().map(|n| n.year).or(year.map(i64::from));
    let mut years: Vec<i64> = parsed
        .iter()
        .filter(|(_, p)| p.kind == "T")
        .map(|(_, p)| p.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    let year_list = || {
        clip_list(
            years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
            12,
        )
    };
    let year =
        match want_year {
            Some(y) if years.contains(&y) => y,
            Some(y) => {
                return Err(Error::invalid(
                    files.label(),
                    Problem::new(
                        "",
                        format!(
                            "no GLORIA T-Results file of {y} here (years: {})",
                            year_list()
                        ),
                    )
                    .hint("choose one of the years there are with --year"),
                ))
            }
            None if years.len() == 1 => years[0],
            None if years.is_empty() => return Err(Error::invalid(
                files.label(),
                Problem::new(
                    "",
                    "no GLORIA T-Results file (..._T-Results_{year}_059_Markup001(full).csv) here",
                )
                .hint(SET_HINT),
            )),
            None => {
                return Err(Error::invalid(
                    files.label(),
                    Problem::new(
                        "",
                        format!(
                            "GLORIA tables of {} years here ({}): which to read is ambiguous",
                            years.len(),
                            year_list()
                        ),
                    )
                    .hint("choose one with --year"),
                ))
            }
        };
    let markup = match &named {
        Some(n) if n.kind != "V" => n.markup.clone(),
        _ => "001".to_string(),
    };
    let find = |kind: &str, markup: &str| {
        parsed
            .iter()
            .find(|(_, p)| p.kind == kind && p.year == year && p.markup == markup)
            .map(|(n, p)| (n.clone(), p.version.clone()))
    };
    let (t_m, y_m, v_m) = (find("T", &markup), find("Y", &markup), find("V", "001"));
    let mut missing = Vec::new();
    for (m, kind, mk) in [
        (&t_m, "T", &markup),
        (&y_m, "Y", &markup),
        (&v_m, "V", &"001".to_string()),
    ] {
        if m.is_none() {
            missing.push(format!(
                "..._{kind}-Results_{year}_059_Markup{mk}(full).csv"
            ));
        }
    }
    if !missing.is_empty() {
        return Err(Error::invalid(
            files.label(),
            Problem::new(
                "",
                format!(
                    "the GLORIA set of {year} is incomplete: {} missing",
                    missing.join(", ")
                ),
            )
            .hint(SET_HINT),
        ));
    }
    let ((t_m, version), (y_m, _), (v_m, _)) = (
        t_m.expect("checked"),
        y_m.expect("checked"),
        v_m.expect("checked"),
    );
    // The ReadMe of the release.
    let readme = format!("GLORIA_ReadMe_{version}.xlsx");
    let (readme_shown, readme_raw) = match names.iter().find(|n| files::base(n) == readme) {
        Some(m) => (files.display(m), files.read(m)?),
        None => match beside
            .as_ref()
            .map(|d| d.join(&readme))
            .filter(|p| p.is_file())
        {
            Some(p) => {
                let shown = p.display().to_string();
                let raw = crate::io::read_file_bytes(&p)?;
                (shown, raw)
            }
            None => {
                return Err(Error::invalid(
                    files.label(),
                    Problem::new(
                        "",
                        format!(
                            "{readme} (the labels of the matrices) is not here{}",
                            match &beside {
                                Some(d) => format!(" nor in {}", d.display()),
                                None => String::new(),
                            }
                        ),
                    )
                    .hint(SET_HINT),
                ))
            }
        },
    };
    let l = labels(&readme_shown, readme_raw)?;
    for (what, v) in [
        ("regions", &l.regions),
        ("sectors", &l.sectors),
        ("value-added categories", &l.va),
        ("final-demand categories", &l.fd),
    ] {
        if v.is_empty() {
            return Err(Error::invalid(
                readme_shown,
                Problem::new("", format!("lists no {what}")).hint(README_HINT),
            ));
        }
    }
    let (nr, ns, nva, nfd) = (l.regions.len(), l.sectors.len(), l.va.len(), l.fd.len());
    let nt = nr * 2 * ns;
    let t_label = |j: usize| {
        let (r, rest) = (j / (2 * ns), j % (2 * ns));
        format!(
            "{} {} {}",
            l.regions.get(r).map_or("?", String::as_str),
            if rest < ns { "Industry" } else { "Product" },
            l.sectors.get(rest % ns).map_or("?", String::as_str)
        )
    };
    let y_label = |j: usize| {
        format!(
            "{} {}",
            l.regions.get(j / nfd).map_or("?", String::as_str),
            l.fd.get(j % nfd).map_or("?", String::as_str)
        )
    };
    crate::budget::check(
        (nt as u64).saturating_mul(nt as u64).saturating_mul(24),
        || {
            format!(
                "the GLORIA table of {nr} regions x {ns} sectors ({nt} x {nt} supply-use cells)"
            )
        },
    )?;
    let t = matrix(files, &t_m, nt, nt, &t_label)?;
    let y = matrix(files, &y_m, nt, nr * nfd, &y_label)?;
    let va = matrix(files, &v_m, nr * nva, nt, &t_label)?;

    // Regions whose rows and columns of T both sum to 0 are dropped.
    let mut row_sum = vec![0.0; nr];
    let mut col_sum = vec![0.0; nr];
    for i in 0..nt {
        for j in 0..nt {
            let v = t[i * nt + j];
            row_sum[i / (2 * ns)] += v;
            col_sum[j / (2 * ns)] += v;
        }
    }
    let kept: Vec<usize> = (0..nr)
        .filter(|&r| !(row_sum[r] == 0.0 && col_sum[r] == 0.0))
        .collect();
    let empty: Vec<&str> = (0..nr)
        .filter(|r| !kept.contains(r))
        .map(|r| l.regions[r].as_str())
        .collect();
    let n = kept.len() * ns;
    let ind = |k: usize| kept[k / ns] * 2 * ns + k % ns;
    let prod = |k: usize| kept[k / ns] * 2 * ns + ns + k % ns;

    // V (industry x product), sparse by row, and g.
    let mut vrows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut g = vec![0.0; n];
    for i in 0..n {
        let row = &t[ind(i) * nt..(ind(i) + 1) * nt];
        for p in 0..n {
            let v = row[prod(p)];
            if v != 0.0 {
                vrows[i].push((p, v));
                g[i] += v;
            }
        }
    }
    let off_diagonal = vrows
        .iter()
        .enumerate()
        .filter(|(i, r)| r.iter().any(|&(p, _)| p != *i))
        .count();
    // Z = U diag(g)^-1 V.
    let mut z = vec![0.0; n * n];
    let mut lost_u = 0.0;
    for p in 0..n {
        let urow = &t[prod(p) * nt..(prod(p) + 1) * nt];
        let zrow = &mut z[p * n..(p + 1) * n];
        for i in 0..n {
            let u = urow[ind(i)];
            if u == 0.0 {
                continue;
            }
            if g[i] == 0.0 {
                lost_u += u;
                continue;
            }
            for &(q, v) in &vrows[i] {
                zrow[q] += u * v / g[i];
            }
        }
    }
    // What T holds outside U and V (industry x industry, product x product): not used.
    let mut other_blocks = 0.0;
    for a in 0..n {
        for b in 0..n {
            other_blocks += t[ind(a) * nt + ind(b)] + t[prod(a) * nt + prod(b)];
        }
    }
    drop(t);
    let mut tab = MrioTable {
        regions: kept.iter().map(|&r| l.regions[r].clone()).collect(),
        sectors: l.sectors.clone(),
        nodes: (0..n).map(|k| ((k / ns) as u32, (k % ns) as u32)).collect(),
        z,
        ..Default::default()
    };
    // Final demand: the Product rows, the columns of the kept regions.
    let ny = nr * nfd;
    for &r in &kept {
        for c in &l.fd {
            tab.fd_columns
                .push((Destination::Region(l.regions[r].clone()), c.clone()));
        }
    }
    let fd_cols: Vec<usize> = kept
        .iter()
        .flat_map(|&r| (0..nfd).map(move |c| r * nfd + c))
        .collect();
    tab.y = Vec::with_capacity(n * fd_cols.len());
    for p in 0..n {
        let row = &y[prod(p) * ny..(prod(p) + 1) * ny];
        tab.y.extend(fd_cols.iter().map(|&c| row[c]));
    }
    let y_industry: f64 = (0..n)
        .map(|i| y[ind(i) * ny..(ind(i) + 1) * ny].iter().sum::<f64>())
        .sum();
    // Value added by category: VA diag(g)^-1 V, summed over the row regions.
    tab.va_rows = l.va.clone();
    tab.va = vec![0.0; nva * n];
    let mut va_foreign = 0.0;
    let mut va_products = 0.0;
    for &r in &kept {
        for c in 0..nva {
            let row = &va[(r * nva + c) * nt..(r * nva + c + 1) * nt];
            for i in 0..n {
                va_products += row[prod(i)];
                let v = row[ind(i)];
                if v == 0.0 || g[i] == 0.0 {
                    continue;
                }
                if kept[i / ns] != r {
                    va_foreign += v;
                }
                for &(q, s) in &vrows[i] {
                    tab.va[c * n + q] += v * s / g[i];
                }
            }
        }
    }

    tab.year = Some(year);
    tab.unit = Some("thousand USD".into());
    let bp = markup == "001";
    tab.layout = format!(
        "GLORIA v{} {} (construct B: product by product)",
        version.trim_start_matches('0'),
        if bp { "bp" } else { "pp" }
    );
    tab.source = Some(format!(
        "GLORIA MRIO, release {version} (Global Resource Input-Output Assessment), files as downloaded"
    ));
    let mut notes = vec![
        format!(
            "{}, {}, {} read with {readme} ({} regions, {} sectors, {} value-added and {} final-demand categories)",
            files::base(&t_m),
            files::base(&y_m),
            files::base(&v_m),
            nr,
            ns,
            nva,
            nfd
        ),
        "construct B (industry technology), as pymrio's parse_gloria: Z = U diag(g)^-1 V and value added = VA diag(g)^-1 V, product by product; nodes are region:product (the ReadMe's sector names)".into(),
        "GLORIA's values are in thousand USD (pymrio's unit \"‘000 US$\")".into(),
    ];
    if off_diagonal > 0 {
        notes.push(format!(
            "{off_diagonal} industries supply more than their own product: their output is shared among products in proportion to V"
        ));
    }
    if va_foreign != 0.0 {
        notes.push(format!(
            "value added of {va_foreign} is in rows of another region than its column's: added to the column's categories"
        ));
    }
    if !empty.is_empty() {
        tab.dropped.push(format!(
            "{} (all T rows and columns sum to 0), as pymrio drops them",
            clip_list(empty.iter().copied(), 12)
        ));
    }
    let mut unused = Vec::new();
    if other_blocks != 0.0 {
        unused.push(format!(
            "industry x industry and product x product cells of T (sum {other_blocks})"
        ));
    }
    if y_industry != 0.0 {
        unused.push(format!(
            "final demand on Industry rows of Y (sum {y_industry})"
        ));
    }
    if va_products != 0.0 {
        unused.push(format!(
            "value added under Product columns (sum {va_products})"
        ));
    }
    if lost_u != 0.0 {
        unused.push(format!("use by industries without output (sum {lost_u})"));
    }
    if !unused.is_empty() {
        tab.dropped.push(format!(
            "not part of construct B, as in pymrio: {}",
            unused.join("; ")
        ));
    }
    let other_prices: Vec<String> = parsed
        .iter()
        .filter(|(_, p)| {
            p.year == year && p.markup != markup && matches!(p.kind.as_str(), "T" | "Y")
        })
        .map(|(_, p)| format!("{}-Results Markup{}", p.kind, p.markup))
        .collect();
    if !other_prices.is_empty() {
        notes.push(format!(
            "{} read; {} beside them not (name one of those files to read it)",
            if bp {
                "basic prices (Markup001)"
            } else {
                "purchasers' prices (Markup005)"
            },
            other_prices.join(", ")
        ));
    }
    let satellites: Vec<String> = parsed
        .iter()
        .filter(|(_, p)| p.year == year && matches!(p.kind.as_str(), "TQ" | "YQ"))
        .map(|(_, p)| format!("{}-Results", p.kind))
        .collect();
    if !satellites.is_empty() {
        tab.dropped.push(format!(
            "{} of {year} (satellite accounts): not read",
            satellites.join(", ")
        ));
    }
    tab.notes = notes;
    Ok(tab)
}

/// The archive `GLORIA_MRIOs_{version}_{year}.zip` of a folder as pymrio's downloader leaves
/// it (the one of `year`, or the only one), when the folder holds no unpacked set.
pub fn zip_in(names: &[String], year: Option<u16>) -> Option<String> {
    if is_set(names) {
        return None;
    }
    let zips: Vec<&String> = names
        .iter()
        .filter(|n| !n.contains('/') && n.starts_with("GLORIA_MRIOs_") && n.ends_with(".zip"))
        .collect();
    match year {
        Some(y) => zips
            .into_iter()
            .find(|n| super::year_from_name(n) == Some(i64::from(y)))
            .cloned(),
        None if zips.len() == 1 => Some(zips[0].clone()),
        None => None,
    }
}

/// The folder a GLORIA folder's ReadMe may be in: the one above it.
pub(crate) fn readme_folder(folder: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(folder).ok()?;
    abs.parent().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let n =
            parse_name("x/0_120secMother_AllCountries_002_T-Results_2022_059_Markup001(full).csv")
                .unwrap();
        assert_eq!(
            n,
            Name {
                kind: "T".into(),
                year: 2022,
                version: "059".into(),
                markup: "001".into()
            }
        );
        let q =
            parse_name("0_120secMother_AllCountries_002_TQ-Results_2022_059_Markup001(full).csv")
                .unwrap();
        assert_eq!(q.kind, "TQ");
        assert_eq!(parse_name("Eora26_2010_bp_T.txt"), None);
    }
}
