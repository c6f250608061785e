//! A table inside a ZIP archive, as the OECD publishes ICIO (`ICIO2018_2010.zip`,
//! `1995-2000.zip` with one `YYYY.csv` per year): the one `.csv` member, or the one of the
//! year asked for. Unpacked whole, within the memory budget, checked against its CRC.

use crate::error::{Error, Problem, Result};
use std::io::Read;

/// True when `raw` starts as a ZIP archive does.
pub(crate) fn is_zip(raw: &[u8]) -> bool {
    raw.starts_with(b"PK\x03\x04") || raw.starts_with(b"PK\x05\x06")
}

/// True when the first member names of `raw` are those of an Office document.
fn looks_like_workbook(raw: &[u8]) -> bool {
    let head = &raw[..raw.len().min(1 << 16)];
    memchr::memmem::find(head, b"[Content_Types].xml").is_some()
        || memchr::memmem::find(head, b"xl/").is_some()
}

/// The member of the archive `raw` (called `name` in messages) that holds the table, as
/// (member name, bytes): the only `.csv` member, or with `year` the `.csv` member whose name
/// gives that year.
pub(crate) fn unzip_single(name: &str, raw: &[u8], year: Option<u16>) -> Result<(String, Vec<u8>)> {
    let bad = |rule: String, hint: &str| Error::invalid(name, Problem::new("", rule).hint(hint));
    let spreadsheet = || {
        bad(
            "this is a ZIP archive (an .xlsx workbook?), not a graph file".into(),
            "export the sheet as CSV, or unzip the archive",
        )
    };
    let mut archive = match ::zip::ZipArchive::new(std::io::Cursor::new(raw)) {
        Ok(a) => a,
        Err(_) if looks_like_workbook(raw) => return Err(spreadsheet()),
        Err(e) => return Err(bad(
            format!("not a readable ZIP archive: {e}"),
            "the download or copy may have stopped early: fetch the file again (unzip -t tests it)",
        )),
    };
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    if names
        .iter()
        .any(|n| n == "[Content_Types].xml" || n.starts_with("xl/"))
    {
        return Err(spreadsheet());
    }
    let mut csvs: Vec<&String> = names
        .iter()
        .filter(|n| !n.ends_with('/') && n.to_ascii_lowercase().ends_with(".csv"))
        .collect();
    csvs.sort();
    let listed = |v: &[&String]| crate::text::clip_list(v.iter().map(|s| s.as_str()), 12);
    if csvs.is_empty() {
        return Err(bad(
            format!(
                "the ZIP archive holds no .csv file (it holds: {})",
                crate::text::clip_list(names.iter().map(String::as_str), 12)
            ),
            "tradenet reads an OECD ICIO table (.csv) from a ZIP archive; unzip it and give the table file",
        ));
    }
    if let Some(y) = year {
        let of_year: Vec<&String> = csvs
            .iter()
            .copied()
            .filter(|n| super::year_from_name(n) == Some(i64::from(y)))
            .collect();
        if of_year.is_empty() && csvs.len() > 1 {
            return Err(bad(
                format!(
                    "no .csv member of year {y} in the ZIP archive (it holds: {})",
                    listed(&csvs)
                ),
                "choose one of the years of its members with --year",
            ));
        }
        if !of_year.is_empty() {
            csvs = of_year;
        }
    }
    if csvs.len() > 1 {
        return Err(bad(
            format!(
                "the ZIP archive holds {} .csv files ({}): which table to read is ambiguous",
                csvs.len(),
                listed(&csvs)
            ),
            "choose one by its year with --year, or unzip the archive and give the file",
        ));
    }
    let member = csvs[0].clone();
    let mut f = archive.by_name(&member).map_err(|e| {
        bad(
            format!("member {member} cannot be read: {e}"),
            "the archive is damaged: fetch it again (unzip -t tests it)",
        )
    })?;
    let size = f.size();
    crate::budget::check((raw.len() as u64).saturating_add(size), || {
        format!(
            "unpacking {member} from {name} ({})",
            crate::budget::fmt_bytes(size)
        )
    })?;
    let mut out = Vec::with_capacity(size as usize);
    (&mut f)
        .take(size.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| {
            bad(
                format!("member {member} cannot be unpacked: {e}"),
                "the archive is damaged or cut short: fetch it again (unzip -t tests it)",
            )
        })?;
    if out.len() as u64 != size {
        return Err(bad(
            format!(
                "member {member} unpacks to {} bytes, not the {size} its header says",
                out.len()
            ),
            "the archive is damaged: fetch it again (unzip -t tests it)",
        ));
    }
    Ok((member, out))
}
