//! The input-output CSV set (FORMAT.md §2), a folder of three files as in
//! `shared/data/wiod2011/full/`: intermediate flows `from,to,value`, final demand
//! `from,to_country,value` and gross output `node,country,sector,gross_output`
//! (each `.csv` or `.csv.gz`, recognised by their header).

use super::csv::sniff_delimiter;
use crate::error::{Problem, Result};
use crate::model::FastMap;
use crate::model::{FinalDemand, GraphBuilder, Meta, NodeExtra, Place, TradeGraph};
use crate::text::clip;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Part {
    Flows,
    FinalDemand,
    Output,
}

impl Part {
    fn columns(self) -> &'static [&'static str] {
        match self {
            Part::Flows => &["from", "to", "value"],
            Part::FinalDemand => &["from", "to_country", "value"],
            Part::Output => &["node", "country", "sector", "gross_output"],
        }
    }
}

fn classify(header: &[String]) -> Option<Part> {
    let has = |c: &str| header.iter().any(|h| h == c);
    [Part::Output, Part::FinalDemand, Part::Flows]
        .into_iter()
        .find(|p| p.columns().iter().all(|c| has(c)))
}

/// True when `dir` holds the three files of an input-output set.
pub fn looks_like_set(dir: &Path) -> bool {
    find_parts(dir).map(|p| p.len() == 3).unwrap_or(false)
}

/// The `.csv` / `.csv.gz` files of `dir` that are parts of a set (the first of each kind, by
/// name), with their bytes.
fn find_parts(dir: &Path) -> Result<Vec<(Part, String, Vec<u8>)>> {
    let io_err = |e: std::io::Error| crate::Error::Io {
        file: dir.display().to_string(),
        action: "cannot read",
        error: e,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".csv") || n.ends_with(".csv.gz")
        })
        .collect();
    files.sort();
    // The files are held together: their sum must fit, on disk first, then unpacked.
    let on_disk: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let what = |n: u64| {
        format!(
            "reading {} ({} in its .csv and .csv.gz files)",
            dir.display(),
            crate::budget::fmt_bytes(n)
        )
    };
    crate::budget::check(on_disk, || what(on_disk))?;
    let mut held = 0u64;
    let mut named = Vec::new();
    for f in files {
        // A part that cannot be read (a truncated gzip, trailing garbage) is an error naming
        // it, never a part silently missing.
        let bytes = super::read_file_bytes(&f)?;
        held += bytes.len() as u64;
        crate::budget::check(held, || what(held))?;
        // A part in UTF-16 (Excel's "Unicode text") would not be recognised by its header:
        // name the encoding, not a missing part.
        if let Some(p) = super::text::encoding_problem(&bytes) {
            return Err(crate::Error::invalid(f.display().to_string(), p));
        }
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        named.push((name.to_string(), bytes));
    }
    Ok(classify_files(named))
}

fn classify_files(files: Vec<(String, Vec<u8>)>) -> Vec<(Part, String, Vec<u8>)> {
    let mut parts: Vec<(Part, String, Vec<u8>)> = Vec::new();
    for (name, bytes) in files {
        let (header, _) = header_of(&bytes);
        if let Some(p) = classify(&header) {
            // Every recognised file is kept: two of one part are refused by `read_parts`.
            parts.push((p, name, bytes));
        }
    }
    parts
}

fn header_of(bytes: &[u8]) -> (Vec<String>, u8) {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let d = sniff_delimiter(line);
    let h = String::from_utf8_lossy(line)
        .trim_end_matches('\r')
        .split(d as char)
        .map(|s| s.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    (h, d)
}

/// Read the set in `dir`.
pub fn read(dir: &Path) -> Result<TradeGraph> {
    let dname = dir.display().to_string();
    let parts = find_parts(dir)?;
    let set = dir.file_name().and_then(|n| n.to_str());
    read_parts(&dname, set, parts)
}

/// Read a set from files in memory, `(file name, bytes)` (gzip is unpacked): the parts are
/// recognised by their headers as in a folder; `label` names the set in errors.
pub fn read_files(label: &str, files: Vec<(String, Vec<u8>)>) -> Result<TradeGraph> {
    let mut named = Vec::with_capacity(files.len());
    for (name, raw) in files {
        let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
            super::input::gunzip(&name, &raw)?
        } else {
            raw
        };
        named.push((name, bytes));
    }
    read_parts(label, None, classify_files(named))
}

fn read_parts(
    dname: &str,
    set: Option<&str>,
    parts: Vec<(Part, String, Vec<u8>)>,
) -> Result<TradeGraph> {
    for p in [Part::Flows, Part::FinalDemand, Part::Output] {
        let files: Vec<&str> = parts
            .iter()
            .filter(|(q, _, _)| *q == p)
            .map(|(_, f, _)| f.as_str())
            .collect();
        if files.len() > 1 {
            return Err(crate::Error::invalid(
                dname,
                Problem::new(
                    "",
                    format!(
                        "{} files have the columns {}: {} (which one holds the table is ambiguous)",
                        files.len(),
                        p.columns().join(","),
                        files.join(", ")
                    ),
                )
                .hint("keep one file of each part in the folder"),
            ));
        }
    }
    let get = |p: Part| {
        parts
            .iter()
            .find(|(q, _, _)| *q == p)
            .map(|(_, f, b)| (f.as_str(), &b[..]))
    };
    let (Some((flows_name, flows)), Some((fd_name, fd)), Some((out_name, out))) =
        (get(Part::Flows), get(Part::FinalDemand), get(Part::Output))
    else {
        let missing: Vec<String> = [Part::Flows, Part::FinalDemand, Part::Output]
            .into_iter()
            .filter(|p| get(*p).is_none())
            .map(|p| p.columns().join(","))
            .collect();
        return Err(crate::Error::invalid(
            dname,
            Problem::new("", format!("not a complete input-output CSV set: no file with the columns {}", missing.join(" / ")))
                .hint("an input-output set is a folder with intermediate flows (from,to,value), final demand (from,to_country,value) and gross output (node,country,sector,gross_output)"),
        ));
    };
    let mut b = GraphBuilder::new();
    b.set_input_bytes(parts.iter().map(|(_, _, b)| b.len() as u64).sum());

    // Gross output declares the nodes; final demand is attached to them.
    let mut demand: FastMap<String, Vec<(String, f64)>> = FastMap::default();
    let full = |n: &str| Path::new(dname).join(n).display().to_string();
    let fd_rows = rows(&full(fd_name), fd, Part::FinalDemand)?;
    for (line, r) in &fd_rows {
        let place = format!("{fd_name} line {line}");
        match parse_num(&r[2]) {
            Some(v) => {
                // Several rows for one node and destination (final demand by category:
                // households, government, investment...) add up.
                let d = demand.entry(r[0].clone()).or_default();
                match d.iter_mut().find(|(c, _)| *c == r[1]) {
                    Some((_, sum)) => *sum += v,
                    None => d.push((r[1].clone(), v)),
                }
            }
            None => b.problem(Problem::new(
                place,
                format!("not a number: '{}'", clip(&r[2])),
            )),
        }
    }
    let mut declared: FastMap<String, ()> = FastMap::default();
    for (line, r) in rows(&full(out_name), out, Part::Output)? {
        let place = format!("{out_name} line {line}");
        let Some(x) = parse_num(&r[3]) else {
            b.problem(Problem::new(
                place,
                format!("not a number: '{}'", clip(&r[3])),
            ));
            continue;
        };
        let final_demand = demand.remove(&r[0]).map(FinalDemand::ByDestination);
        let extra = NodeExtra {
            output: Some(x),
            final_demand,
            ..Default::default()
        };
        b.add_node(
            &r[0],
            Some(&r[1]),
            Some(&r[2]),
            Some(extra),
            Place::Named(&place),
        );
        declared.insert(r[0].clone(), ());
    }
    let mut unknown_fd: Vec<&String> = demand.keys().collect();
    unknown_fd.sort();
    for id in unknown_fd.into_iter().take(10) {
        b.problem(Problem::new(
            fd_name,
            format!(
                "final demand for unknown node '{}' (not in {out_name})",
                clip(id)
            ),
        ));
    }
    let bytes = flows;
    let (header, d) = header_of(bytes);
    let col = |c: &str| {
        header
            .iter()
            .position(|h| h == c)
            .expect("classified by these columns")
    };
    let (ci, cj, cv) = (col("from"), col("to"), col("value"));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(d)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::StringRecord::new();
    let mut skipped = 0;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                b.problem(Problem::new(flows_name, format!("unreadable CSV: {e}")));
                break;
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let place = format!("{flows_name} line {line}");
        if rec.len() <= ci.max(cj).max(cv) {
            b.problem(Problem::new(
                place,
                format!("expected {} fields, found {}", header.len(), rec.len()),
            ));
            continue;
        }
        let (from, to) = (rec[ci].trim(), rec[cj].trim());
        for id in [from, to] {
            if !declared.contains_key(id) {
                b.problem(Problem::new(
                    place.clone(),
                    format!("unknown node '{}' (not in {out_name})", clip(id)),
                ));
            }
        }
        match parse_num(&rec[cv]) {
            Some(0.0) => skipped += 1,
            Some(v) => b.add_flow(from, to, None, v, None, None, Place::Named(&place)),
            None if rec[cv].trim().is_empty() => skipped += 1,
            None => b.problem(Problem::new(
                place,
                format!("not a number: '{}'", clip(&rec[cv])),
            )),
        }
        if b.is_full() {
            break;
        }
    }
    b.add_skipped(skipped);
    b.set_meta(Meta {
        name: set.map(|n| format!("input-output set {n}")),
        unit: Some("USD".into()),
        notes: Some(format!("read from {flows_name}, {fd_name}, {out_name}")),
        ..Default::default()
    });
    b.build(dname)
}

fn parse_num(s: &str) -> Option<f64> {
    let t = s.trim();
    // `+ 0.0`: `-0` reads as 0, so that the value writes and reads back to the same bits.
    fast_float2::parse::<f64, _>(t)
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| v + 0.0)
}

/// The records of one part, with their line numbers, columns in the part's order.
fn rows(file: &str, bytes: &[u8], part: Part) -> Result<Vec<(u64, Vec<String>)>> {
    let (header, d) = header_of(bytes);
    let idx: Vec<usize> = part
        .columns()
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c)
                .expect("classified by these columns")
        })
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(d)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            crate::Error::invalid(file, Problem::new("", format!("unreadable CSV: {e}")))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if idx.iter().any(|&i| i >= rec.len()) {
            return Err(crate::Error::invalid(
                file,
                Problem::new(
                    format!("line {line}"),
                    format!("expected {} fields, found {}", header.len(), rec.len()),
                ),
            ));
        }
        out.push((
            line,
            idx.iter().map(|&i| rec[i].trim().to_string()).collect(),
        ));
    }
    Ok(out)
}
