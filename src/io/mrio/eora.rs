//! Eora26 as downloaded: the headerless tab-separated matrices
//! `Eora26_{year}_{bp|pp}_{T,FD,VA}.txt` with their label files `labels_T.txt`,
//! `labels_FD.txt`, `labels_VA.txt`, in a folder or a ZIP archive (`Eora26_2015_bp.zip`; the
//! labels may come in `indices.zip` beside it, as Eora ships them).
//!
//! Layout (pymrio's `parse_eora26`, `../shared/data/mrio-layouts/pymrio-mocks/LAYOUTS.md`
//! §4): `labels_T.txt` has one line per row and column of T (= Z): full country name, country
//! code, `Industries`, sector; `labels_FD.txt` one per column of FD (= Y): name, code,
//! `Final Demand`, category; `labels_VA.txt` one per row of VA: `Primary Inputs`, item. Eora's
//! rest-of-the-world line (code `ROW`) is dropped from every row and column where it appears,
//! as pymrio does, and the amount lost is stated. Eora does not state the unit of its values;
//! pymrio sets it to million USD by hand, and so does this reader (with a note). The year and
//! the prices (`bp` basic, `pp` purchasers') come from the file names; basic prices unless
//! only purchasers' prices are there, or a `pp` file was named.

use super::files::{self, Files};
use super::grid::{self, Shape};
use super::{Destination, MrioTable};
use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::{clip, clip_list};

/// Eora's rest-of-the-world code, dropped as pymrio drops it.
const ROW: &str = "ROW";

const SET_HINT: &str = "an Eora26 set is Eora26_{year}_{bp|pp}_T.txt, _FD.txt and _VA.txt with labels_T.txt, labels_FD.txt and labels_VA.txt (from indices.zip) in one folder";

/// The year and prices of an Eora26 matrix file name (`Eora26_2010_bp_T.txt` -> (2010, "bp",
/// "T")).
pub fn parse_name(name: &str) -> Option<(i64, &str, &str)> {
    let rest = files::base(name).strip_prefix("Eora26_")?;
    let rest = rest.strip_suffix(".txt")?;
    let mut parts = rest.splitn(3, '_');
    let year = parts.next()?;
    let price = parts.next()?;
    let kind = parts.next()?;
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && matches!(price, "bp" | "pp"))
        .then(|| (year.parse().ok(), price, kind))
        .and_then(|(y, p, k)| Some((y?, p, k)))
}

/// True when `names` hold an Eora26 transaction matrix (`Eora26_2010_bp_T.txt`).
pub fn is_set(names: &[String]) -> bool {
    names
        .iter()
        .any(|n| parse_name(n).is_some_and(|(_, _, k)| k == "T"))
}

/// One label line: country code and name (sector, category or item).
struct Label {
    code: String,
    name: String,
}

/// Read a label file: tab-separated lines of at least `fields` fields; `code` and `name` are
/// the field indices kept.
fn labels(
    files: &mut Files,
    member: &str,
    fields: usize,
    code: usize,
    name: usize,
) -> Result<Vec<Label>> {
    let shown = files.display(member);
    let bytes = files.read(member)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        if f.len() < fields || f[code].is_empty() || f[name].is_empty() {
            return Err(Error::invalid(
                shown,
                Problem::new(
                    format!("line {}", k + 1),
                    format!(
                        "a label line needs {fields} tab-separated fields with a code and a name; this one has {}: '{}'",
                        f.len(),
                        clip(line)
                    ),
                )
                .hint(SET_HINT),
            ));
        }
        out.push(Label {
            code: f[code].to_string(),
            name: f[name].to_string(),
        });
    }
    Ok(out)
}

/// A matrix file read whole: `rows` x `cols` numbers, row-major, and the cells read as 0.
fn matrix(
    files: &mut Files,
    member: &str,
    row_labels: (&[Label], &str),
    col_labels: (&[Label], &str),
) -> Result<(Vec<f64>, u64)> {
    let shown = files.display(member);
    let bytes = files.read(member)?;
    let shape = Shape {
        delim: b'\t',
        header_rows: 0,
        index_cols: 0,
        columns: Some(col_labels.0.len()),
    };
    let cols = col_labels.0;
    let col_name = |_: &[Vec<String>], j: usize| match cols.get(j) {
        Some(l) => format!("{} {}", l.code, l.name),
        None => format!("{}", j + 1),
    };
    let g = grid::parse(&shown, &bytes, shape, &col_name, None)?;
    let width = g.rows.first().map_or(0, |r| r.values.len());
    let mismatch = |what: &str, got: usize, want: usize, labels: &str| {
        Error::invalid(
            shown.clone(),
            Problem::new(
                "",
                format!("has {got} {what}, but {labels} has {want} labels for them"),
            )
            .hint("the matrix and its label files belong to different downloads (Eora26 labels come in indices.zip of the same release)"),
        )
    };
    if g.rows.len() != row_labels.0.len() {
        return Err(mismatch(
            "rows",
            g.rows.len(),
            row_labels.0.len(),
            row_labels.1,
        ));
    }
    if width != cols.len() {
        return Err(mismatch("columns", width, cols.len(), col_labels.1));
    }
    let mut out = Vec::with_capacity(g.rows.len() * width);
    for r in &g.rows {
        out.extend_from_slice(&r.values);
    }
    Ok((out, g.missing_cells))
}

/// Read Eora26 from `files` (`labels`: where the label files are when not among `files`, as
/// `indices.zip` beside an archive). `year` chooses among several years; `named` is the file
/// the user gave (its year and prices are read).
pub(crate) fn read(
    files: &mut Files,
    mut labels_from: Option<Files>,
    year: Option<u16>,
    named: Option<&str>,
) -> Result<MrioTable> {
    let names = files.names();
    let mut sets: Vec<(i64, String)> = names
        .iter()
        .filter_map(|n| parse_name(n))
        .filter(|(_, _, k)| *k == "T")
        .map(|(y, p, _)| (y, p.to_string()))
        .collect();
    sets.sort();
    sets.dedup();
    if sets.is_empty() {
        return Err(Error::invalid(
            files.label(),
            Problem::new(
                "",
                "no Eora26 transaction matrix (Eora26_{year}_{bp|pp}_T.txt) here",
            )
            .hint(SET_HINT),
        ));
    }
    let want_year = named
        .and_then(parse_name)
        .map(|(y, _, _)| y)
        .or(year.map(i64::from));
    let mut years: Vec<i64> = sets.iter().map(|(y, _)| *y).collect();
    years.dedup();
    let year = match want_year {
        Some(y) if years.contains(&y) => y,
        Some(y) => {
            return Err(Error::invalid(
                files.label(),
                Problem::new(
                    "",
                    format!(
                        "no Eora26 matrices of year {y} here (years: {})",
                        clip_list(
                            years
                                .iter()
                                .map(|y| y.to_string())
                                .collect::<Vec<_>>()
                                .iter()
                                .map(String::as_str),
                            12
                        )
                    ),
                )
                .hint("choose one of the years with --year"),
            ))
        }
        None if years.len() == 1 => years[0],
        None => {
            return Err(Error::invalid(
                files.label(),
                Problem::new(
                    "",
                    format!(
                        "Eora26 matrices of {} years here ({}): which to read is ambiguous",
                        years.len(),
                        clip_list(
                            years
                                .iter()
                                .map(|y| y.to_string())
                                .collect::<Vec<_>>()
                                .iter()
                                .map(String::as_str),
                            12
                        )
                    ),
                )
                .hint("choose one with --year"),
            ))
        }
    };
    let prices: Vec<&str> = sets
        .iter()
        .filter(|(y, _)| *y == year)
        .map(|(_, p)| p.as_str())
        .collect();
    let price = match named.and_then(parse_name) {
        Some((_, p, _)) => p.to_string(),
        None if prices.contains(&"bp") => "bp".into(),
        None => "pp".into(),
    };
    let mut notes = Vec::new();
    if prices.len() > 1 {
        notes.push(format!(
            "{} read; the {} files beside them were not (give one of those files to read them)",
            if price == "bp" {
                "basic prices (bp)"
            } else {
                "purchasers' prices (pp)"
            },
            if price == "bp" { "pp" } else { "bp" }
        ));
    }

    // The members of the set.
    let member = |kind: &str| {
        let want = format!("Eora26_{year}_{price}_{kind}.txt");
        names.iter().find(|n| files::base(n) == want).cloned()
    };
    let mut missing = Vec::new();
    let (t_m, fd_m, va_m) = (member("T"), member("FD"), member("VA"));
    for (m, kind) in [(&t_m, "T"), (&fd_m, "FD"), (&va_m, "VA")] {
        if m.is_none() {
            missing.push(format!("Eora26_{year}_{price}_{kind}.txt"));
        }
    }
    let label_names = ["labels_T.txt", "labels_FD.txt", "labels_VA.txt"];
    let in_files = |l: &str| names.iter().find(|n| files::base(n) == l).cloned();
    let other_names = labels_from.as_ref().map(Files::names).unwrap_or_default();
    let in_other = |l: &str| other_names.iter().find(|n| files::base(n) == l).cloned();
    let mut label_at: Vec<(bool, String)> = Vec::new();
    for l in label_names {
        match (in_files(l), in_other(l)) {
            (Some(m), _) => label_at.push((false, m)),
            (None, Some(m)) => label_at.push((true, m)),
            (None, None) => missing.push(l.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(Error::invalid(
            files.label(),
            Problem::new(
                "",
                format!(
                    "the Eora26 set of {year} ({price}) is incomplete: {} missing",
                    missing.join(", ")
                ),
            )
            .hint(SET_HINT),
        ));
    }
    let mut read_labels = |k: usize, fields: usize, code: usize, name: usize| {
        let (other, m) = &label_at[k];
        match (other, labels_from.as_mut()) {
            (true, Some(o)) => labels(o, m, fields, code, name),
            _ => labels(files, m, fields, code, name),
        }
    };
    let lt = read_labels(0, 4, 1, 3)?;
    let lfd = read_labels(1, 4, 1, 3)?;
    let lva = read_labels(2, 2, 0, 1)?;
    let (t_m, fd_m, va_m) = (
        t_m.expect("checked"),
        fd_m.expect("checked"),
        va_m.expect("checked"),
    );
    let (t, mut missing_cells) = matrix(files, &t_m, (&lt, "labels_T.txt"), (&lt, "labels_T.txt"))?;
    let (fd, m2) = matrix(files, &fd_m, (&lt, "labels_T.txt"), (&lfd, "labels_FD.txt"))?;
    let (va, m3) = matrix(files, &va_m, (&lva, "labels_VA.txt"), (&lt, "labels_T.txt"))?;
    missing_cells += m2 + m3;

    // Nodes: the rows of T other than ROW.
    let keep: Vec<usize> = (0..lt.len()).filter(|&i| lt[i].code != ROW).collect();
    let fd_keep: Vec<usize> = (0..lfd.len()).filter(|&j| lfd[j].code != ROW).collect();
    let nt = lt.len();
    let nfd = lfd.len();
    let mut tab = MrioTable::default();
    let mut node_of: FastMap<(&str, &str), usize> = FastMap::default();
    let mut region_ix: FastMap<String, u32> = FastMap::default();
    let mut sector_ix: FastMap<String, u32> = FastMap::default();
    for (k, &i) in keep.iter().enumerate() {
        let l = &lt[i];
        if let Some(first) = node_of.insert((&l.code, &l.name), i) {
            return Err(Error::invalid(
                files.display(&label_at[0].1),
                Problem::new(
                    format!("line {}", i + 1),
                    format!(
                        "'{} {}' appears twice (lines {} and {})",
                        clip(&l.code),
                        clip(&l.name),
                        first + 1,
                        i + 1
                    ),
                ),
            ));
        }
        let _ = k;
        let ri = *region_ix.entry(l.code.clone()).or_insert_with(|| {
            tab.regions.push(l.code.clone());
            tab.regions.len() as u32 - 1
        });
        let si = *sector_ix.entry(l.name.clone()).or_insert_with(|| {
            tab.sectors.push(l.name.clone());
            tab.sectors.len() as u32 - 1
        });
        tab.nodes.push((ri, si));
    }
    let n = keep.len();
    tab.z = Vec::with_capacity(n * n);
    for &i in &keep {
        tab.z.extend(keep.iter().map(|&j| t[i * nt + j]));
    }
    tab.fd_columns = fd_keep
        .iter()
        .map(|&j| {
            (
                Destination::Region(lfd[j].code.clone()),
                lfd[j].name.clone(),
            )
        })
        .collect();
    tab.y = Vec::with_capacity(n * fd_keep.len());
    for &i in &keep {
        tab.y.extend(fd_keep.iter().map(|&j| fd[i * nfd + j]));
    }
    tab.va_rows = lva.iter().map(|l| l.name.clone()).collect();
    tab.va = Vec::with_capacity(lva.len() * n);
    for c in 0..lva.len() {
        tab.va.extend(keep.iter().map(|&j| va[c * nt + j]));
    }

    // What ROW took with it.
    let t_sum: f64 = t.iter().sum();
    let z_sum: f64 = tab.z.iter().sum();
    let fd_sum: f64 = fd.iter().sum();
    let y_sum: f64 = tab.y.iter().sum();
    let va_sum: f64 = va.iter().sum();
    let va_kept: f64 = tab.va.iter().sum();
    let (rows_t, cols_fd) = (nt - n, nfd - fd_keep.len());
    if rows_t > 0 || cols_fd > 0 {
        tab.dropped.push(format!(
            "ROW (Eora's rest of the world), as pymrio drops it: {rows_t} row(s) and column(s) of T (losing {}), its row(s) and {cols_fd} column(s) of FD (losing {}), its column(s) of VA (losing {})",
            t_sum - z_sum,
            fd_sum - y_sum,
            va_sum - va_kept
        ));
    }
    tab.layout = format!("Eora26 {price}");
    tab.unit = Some("million USD".into());
    tab.year = Some(year);
    tab.source = Some("Eora26 (https://worldmrio.com), files as downloaded".into());
    notes.insert(
        0,
        format!(
            "{}, {}, {} read with labels_T.txt, labels_FD.txt, labels_VA.txt",
            files::base(&t_m),
            files::base(&fd_m),
            files::base(&va_m)
        ),
    );
    notes.push(
        "Eora does not state the unit of its values: million USD is set by hand, as pymrio does (\"Mill USD\")".into(),
    );
    let skipped: Vec<&str> = ["Q", "QY"]
        .into_iter()
        .filter(|k| member(k).is_some())
        .collect();
    if !skipped.is_empty() {
        tab.dropped.push(format!(
            "{} (satellite stressors): not read",
            skipped
                .iter()
                .map(|k| format!("Eora26_{year}_{price}_{k}.txt"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if missing_cells > 0 {
        notes.push(format!("{missing_cells} empty or NA cells read as 0"));
    }
    tab.notes = notes;
    Ok(tab)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            parse_name("x/Eora26_2010_bp_T.txt"),
            Some((2010, "bp", "T"))
        );
        assert_eq!(
            parse_name("Eora26_2010_pp_FD.txt"),
            Some((2010, "pp", "FD"))
        );
        assert_eq!(parse_name("Eora26_2010_xx_T.txt"), None);
        assert_eq!(parse_name("labels_T.txt"), None);
    }
}
