//! UN Comtrade+ CSV, as the bulk download and the API (`comtradeapicall.getFinalData(...)` then
//! `to_csv`) give it: recognised by the columns `reporterISO`, `partnerISO`, `flowCode`,
//! `cmdCode`, `refYear` and `primaryValue` (the other columns are read where they decide which
//! rows are totals, and otherwise ignored).
//!
//! - Exports as reported (`flowCode` X: reporter -> partner) by default, or imports mirrored
//!   (`flowCode` M: partner -> reporter, the importer reporting); other flows (re-exports RX,
//!   re-imports RM, ...) are left out and counted.
//! - The partner World (`W00`, code 0) is a total, never a partner: its rows are dropped, with a
//!   note. Pseudo-areas (areas not elsewhere specified, bunkers, free zones, special
//!   categories: ISO codes that are not three letters, such as `_X` or `X1`, and the codes in
//!   [`NES_CODES`]) are kept and marked aggregate. `S19` "Other Asia, nes" is Taiwan in
//!   practice and is kept as one economy.
//! - Only total rows are kept: `partner2Code` 0 (World), `motCode` 0 (all modes of transport),
//!   `customsCode` C00 (all procedures), `mosCode` 0, where these columns are present; rows of
//!   a finer breakdown would add up twice and are dropped and counted.
//! - `cmdCode` is the sector (`TOTAL` as `total`); a file mixing product levels (TOTAL and
//!   chapters, say) is refused, as its flows would add up twice. `refYear` is the year; monthly
//!   data (`freqCode` M) is refused. `primaryValue` (USD) is the value.
//! - A reporter or partner with an empty ISO column is named by its numeric code, mapped to
//!   ISO3 with tradenet's shipped table ([`super::baci::codes::CountryTable::shipped`]), else
//!   kept as the number with a warning.

use super::baci::codes::CountryTable;
use crate::error::{Problem, Result};
use crate::model::{FastMap, GraphBuilder, Meta, Place, TradeGraph};
use crate::text::{clip, clip_list};
use serde_json::json;

/// Which flow a Comtrade+ file is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ComtradeFlow {
    /// Exports as reported (`flowCode` X): reporter -> partner.
    #[default]
    Exports,
    /// Imports mirrored (`flowCode` M): partner -> reporter.
    Imports,
}

/// Comtrade's partner codes of areas that are not one economy ("nes" = not elsewhere
/// specified), from its partner-area reference (`partnerAreas.json`): kept, marked aggregate.
pub const NES_CODES: [(u32, &str); 15] = [
    (290, "Northern Africa, nes"),
    (471, "CACM, nes"),
    (472, "Africa CAMEU region, nes"),
    (473, "LAIA, nes"),
    (492, "Europe EU, nes"),
    (527, "Oceania, nes"),
    (568, "Other Europe, nes"),
    (577, "Other Africa, nes"),
    (636, "Rest of America, nes"),
    (637, "North America and Central America, nes"),
    (697, "Europe EFTA, nes"),
    (837, "Bunkers"),
    (838, "Free Zones"),
    (839, "Special Categories"),
    (899, "Areas, nes"),
];

const NEEDED: [&str; 6] = [
    "reporterISO",
    "partnerISO",
    "flowCode",
    "cmdCode",
    "refYear",
    "primaryValue",
];

fn split_header(line: &[u8]) -> Vec<String> {
    let delim = super::csv::sniff_delimiter(line);
    String::from_utf8_lossy(line)
        .trim_end_matches(['\n', '\r'])
        .split(delim as char)
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect()
}

/// Whether a header line is a Comtrade+ one: it names every one of `reporterISO`,
/// `partnerISO`, `flowCode`, `cmdCode`, `refYear`, `primaryValue` (any case).
pub fn is_comtrade_header(line: &[u8]) -> bool {
    let cols = split_header(line);
    NEEDED
        .iter()
        .all(|n| cols.iter().any(|c| c.eq_ignore_ascii_case(n)))
}

/// Whether a partner (ISO code, numeric code) is a pseudo-area.
pub fn is_pseudo_area(iso: &str, code: &str) -> bool {
    if crate::model::is_aggregate_code(iso) {
        return true;
    }
    let three_letters = iso.len() == 3 && iso.bytes().all(|b| b.is_ascii_uppercase());
    if !iso.is_empty() && !three_letters && iso != "S19" {
        return true;
    }
    let code = super::baci::codes::norm_code(code);
    NES_CODES.iter().any(|(c, _)| c.to_string() == code)
}

/// Counts of the rows left out.
#[derive(Default)]
struct Dropped {
    world: u64,
    other_flow: u64,
    breakdown: u64,
    other_year: u64,
    self_flow: u64,
    zero: u64,
}

/// Read a Comtrade+ file's bytes (decompressed, BOM removed) for `flow`, keeping `year` only
/// when given.
pub fn read(body: &[u8], flow: ComtradeFlow, year: Option<u16>) -> Result<TradeGraph> {
    let invalid = |p: Problem| crate::Error::invalid("<input>", p);
    if let Some(p) = super::text::encoding_problem(body) {
        return Err(invalid(p));
    }
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let delim = super::csv::sniff_delimiter(&body[..end]);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .from_reader(body);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            invalid(Problem::new(
                "line 1",
                format!("unreadable header row: {e}"),
            ))
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
    let need = |n: &str| {
        col(n).ok_or_else(|| {
            invalid(Problem::new("line 1", format!("no column '{n}'")).hint(
                "a Comtrade+ file has reporterISO, partnerISO, flowCode, cmdCode, refYear and primaryValue",
            ))
        })
    };
    let c_rep = need("reporterISO")?;
    let c_par = need("partnerISO")?;
    let c_flow = need("flowCode")?;
    let c_cmd = need("cmdCode")?;
    let c_year = need("refYear")?;
    let c_val = need("primaryValue")?;
    let c_rep_code = col("reporterCode");
    let c_par_code = col("partnerCode");
    let c_freq = col("freqCode");
    // Breakdown columns and the value that means "all".
    let totals: Vec<(usize, &str, &[&str])> = [
        ("partner2Code", &["0", ""][..]),
        ("motCode", &["0", ""][..]),
        ("customsCode", &["C00", ""][..]),
        ("mosCode", &["0", ""][..]),
    ]
    .into_iter()
    .filter_map(|(n, ok)| col(n).map(|c| (c, n, ok)))
    .collect();

    let want = match flow {
        ComtradeFlow::Exports => "X",
        ComtradeFlow::Imports => "M",
    };
    let table = CountryTable::shipped();
    let mut unknown: Vec<String> = Vec::new();
    let mut pseudo: Vec<String> = Vec::new();
    let mut levels: FastMap<usize, (String, u64)> = FastMap::default();
    let mut dropped = Dropped::default();
    let mut b = GraphBuilder::new();
    b.set_auto_nodes(true);
    b.set_input_bytes(body.len() as u64);
    b.set_field_names(&header[c_rep], &header[c_par], &header[c_val]);
    let mut rows = 0u64;
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                b.problem(super::csv::unreadable_record(&e));
                break;
            }
        }
        if b.is_full() {
            break;
        }
        rows += 1;
        let line = rec.position().map_or(0, |p| p.line());
        let place = Place::Line(line);
        let f = |c: usize| rec.get(c).unwrap_or("").trim();
        if let Some(c) = c_freq {
            if f(c) == "M" {
                b.problem(
                    Problem::new(place.at(&header[c]), "monthly data (freqCode M)")
                        .hint("tradenet reads annual Comtrade+ data: download it with freqCode A"),
                );
                continue;
            }
        }
        if f(c_flow) != want {
            dropped.other_flow += 1;
            continue;
        }
        let y = match f(c_year)
            .parse::<u16>()
            .ok()
            .filter(|y| (1..=9999).contains(y))
        {
            Some(y) => y,
            None => {
                b.problem(Problem::new(
                    place.at(&header[c_year]),
                    format!(
                        "year must be a whole number from 1 to 9999, found '{}'",
                        clip(f(c_year))
                    ),
                ));
                continue;
            }
        };
        if year.is_some_and(|w| w != y) {
            dropped.other_year += 1;
            continue;
        }
        if totals.iter().any(|(c, _, ok)| !ok.contains(&f(*c))) {
            dropped.breakdown += 1;
            continue;
        }
        let par_code = c_par_code.map_or("", |c| f(c));
        if f(c_par) == "W00" || (f(c_par).is_empty() && par_code == "0") {
            dropped.world += 1;
            continue;
        }
        let raw = f(c_val);
        let value = match raw.parse::<f64>() {
            _ if raw.is_empty() => {
                dropped.zero += 1;
                continue;
            }
            Ok(0.0) => {
                dropped.zero += 1;
                continue;
            }
            Ok(v) if v.is_finite() && v > 0.0 => v,
            Ok(v) if v.is_finite() => {
                b.problem(
                    Problem::new(place.at(&header[c_val]), format!("flow value must be >= 0, found '{}'", clip(raw)))
                        .hint("flows are gross values; net or negative entries do not belong in a trade file"),
                );
                continue;
            }
            _ => {
                b.problem(
                    Problem::new(
                        place.at(&header[c_val]),
                        format!("not a number: '{}'", clip(raw)),
                    )
                    .hint("values must be plain numbers such as 1234.5 or 1.2e9"),
                );
                continue;
            }
        };
        let mut name = |iso: &str, code: Option<usize>| -> Option<String> {
            if !iso.is_empty() {
                return Some(iso.to_string());
            }
            let code = code.map_or("", |c| f(c));
            if code.is_empty() {
                return None;
            }
            match table.get(code) {
                Some((iso3, _)) => Some(iso3.clone()),
                None => {
                    if !unknown.iter().any(|u| u == code) {
                        unknown.push(code.to_string());
                    }
                    Some(super::baci::codes::norm_code(code).to_string())
                }
            }
        };
        let (Some(rep), Some(par)) = (name(f(c_rep), c_rep_code), name(f(c_par), c_par_code))
        else {
            b.problem(
                Problem::new(
                    place.at(&header[c_rep]),
                    "no reporter or partner: the ISO and code columns are empty",
                )
                .hint("download the data with its ISO columns (includeDesc=True)"),
            );
            continue;
        };
        if rep == par {
            dropped.self_flow += 1;
            continue;
        }
        if is_pseudo_area(&par, par_code) && !pseudo.contains(&par) {
            pseudo.push(par.clone());
        }
        let cmd = f(c_cmd);
        let sector = if cmd.eq_ignore_ascii_case("TOTAL") {
            "total".to_string()
        } else {
            cmd.to_string()
        };
        let level = if sector == "total" { 0 } else { sector.len() };
        levels
            .entry(level)
            .or_insert_with(|| (sector.clone(), line));
        let (from, to) = match flow {
            ComtradeFlow::Exports => (rep, par),
            ComtradeFlow::Imports => (par, rep),
        };
        b.add_flow(&from, &to, Some(&sector), value, Some(y), None, place);
    }
    if levels.len() > 1 {
        let mut l: Vec<(usize, (String, u64))> = levels.into_iter().collect();
        l.sort();
        let list: Vec<String> = l
            .iter()
            .map(|(_, (code, line))| format!("'{}' (line {line})", clip(code)))
            .collect();
        b.problem(
            Problem::new(
                "cmdCode",
                format!(
                    "the file mixes product levels: {}; their flows would add up twice",
                    list.join(", ")
                ),
            )
            .hint("download one level (cmdCode TOTAL, or AG2, AG4, AG6)"),
        );
    }
    let mut notes = vec![match flow {
        ComtradeFlow::Exports => "UN Comtrade+ exports as reported (flowCode X): reporter -> partner".to_string(),
        ComtradeFlow::Imports => "UN Comtrade+ imports mirrored (flowCode M): partner -> reporter, the importer reporting".to_string(),
    }];
    if dropped.world > 0 {
        notes.push(format!(
            "{} rows with partner World (W00) dropped: a total, not a partner",
            dropped.world
        ));
    }
    if dropped.other_flow > 0 {
        notes.push(format!(
            "{} rows of other flows left out",
            dropped.other_flow
        ));
    }
    if dropped.breakdown > 0 {
        notes.push(format!(
            "{} rows of a finer breakdown (second partner, mode of transport, customs procedure) left out: totals kept",
            dropped.breakdown
        ));
    }
    if dropped.self_flow > 0 {
        notes.push(format!(
            "{} rows with the reporter as partner left out",
            dropped.self_flow
        ));
    }
    if dropped.zero > 0 {
        notes.push(format!(
            "{} rows with an empty or zero value skipped",
            dropped.zero
        ));
    }
    if let Some(y) = year {
        notes.push(format!(
            "year {y} only ({} rows of other years left out)",
            dropped.other_year
        ));
    }
    pseudo.sort();
    if !pseudo.is_empty() {
        notes.push(format!(
            "pseudo-areas kept and marked aggregate: {}",
            clip_list(pseudo.iter().map(String::as_str), 30)
        ));
    }
    let mut warnings = Vec::new();
    if !unknown.is_empty() {
        let list = clip_list(unknown.iter().map(String::as_str), 30);
        notes.push(format!(
            "codes with no ISO column and not in the shipped table kept as numbers: {list}"
        ));
        warnings.push(format!(
            "{} Comtrade codes have no ISO code in the file and are not in tradenet's table; kept as numbers: {list}",
            unknown.len()
        ));
    }
    notes.push("cmdCode as sector (TOTAL as total), refYear as year".into());
    let meta = Meta {
        unit: Some("USD".into()),
        source: Some("UN Comtrade+ (United Nations Statistics Division)".into()),
        year: year.map(i64::from),
        notes: Some(notes.join("; ")),
        extra: {
            let mut m = serde_json::Map::new();
            m.insert(
                "comtrade".into(),
                json!({
                    "flow": match flow { ComtradeFlow::Exports => "exports", ComtradeFlow::Imports => "imports" },
                    "world_rows_dropped": dropped.world,
                    "other_flow_rows": dropped.other_flow,
                    "breakdown_rows": dropped.breakdown,
                    "pseudo_areas": pseudo,
                    "codes_unknown": unknown,
                }),
            );
            m
        },
        ..Default::default()
    };
    b.set_meta(meta);
    b.add_skipped(dropped.zero);
    if rows == 0 {
        b.problem(Problem::new("", "no data rows after the header"));
    }
    let mut g = b.build("<input>")?;
    let marks: Vec<&str> = pseudo.iter().map(String::as_str).collect();
    g.mark_aggregate(&marks);
    g.warnings = warnings;
    Ok(g)
}
