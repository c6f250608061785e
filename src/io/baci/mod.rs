//! CEPII BACI trade files as published (`t,i,j,k,v,q`, also gzip): recognised by that header,
//! read by the CSV edge-list reader, then made into what the numbers mean:
//!
//! - exporter `i` and importer `j` codes become ISO3 codes with BACI's own country table (the
//!   `country_codes_V*.csv` beside the file, or one given), else with tradenet's shipped table
//!   ([`codes::CountryTable::shipped`]); unknown codes stay as the numeric text, with a warning;
//! - values `v`, in thousand USD, are scaled to USD (by moving the decimal point of the text,
//!   so `0.161` reads as exactly `161`);
//! - products `k` are HS6 codes kept as text with their leading zero (a five-digit code lost
//!   it and gets it back), or aggregated to HS4, HS2 or sections ([`HsLevel`]);
//! - quantities `q` (metric tons) are not read.
//!
//! What was done is written in `meta.notes` and `meta.extra["baci"]`.

pub mod codes;

use super::hs::{self, HsLevel};
use super::{Columns, CsvOptions};
use crate::error::{Error, Problem, Result};
use crate::model::{GroupParams, Grouping, TradeGraph};
use crate::text::clip_list;
use codes::{CountryTable, BACI_AGGREGATES, TAIWAN_NOTE};
use serde_json::json;
use std::path::{Path, PathBuf};

/// How to read a BACI file.
#[derive(Debug, Clone, Default)]
pub struct BaciOptions {
    /// BACI's country table to use (`--country-codes`); without it, a `country_codes_V*.csv`
    /// in `beside`, else the shipped table.
    pub country_codes: Option<PathBuf>,
    /// The folder of the data file, where BACI downloads put the country table.
    pub beside: Option<PathBuf>,
    /// The data file's name (its `_V202501` picks the table of the same release).
    pub data_name: String,
    /// The product level.
    pub hs_level: HsLevel,
    /// Keep only this year.
    pub year: Option<u16>,
}

/// Whether a header line is BACI's: exactly the columns `t,i,j,k,v,q` (in any order, quoted or
/// not).
pub fn is_baci_header(line: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(line) else {
        return false;
    };
    let mut cols: Vec<&str> = s
        .trim_end_matches(['\n', '\r'])
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    cols.sort_unstable();
    cols == ["i", "j", "k", "q", "t", "v"]
}

/// The country table for a BACI file: the one given, else the only `country_codes_V*.csv`
/// beside the data (or the one of the data's release), else the shipped table.
pub fn country_table(opts: &BaciOptions) -> Result<CountryTable> {
    if let Some(p) = &opts.country_codes {
        let name = p.display().to_string();
        let bytes = super::read_file_bytes(p)?;
        return CountryTable::read_baci(&name, &bytes);
    }
    let Some(dir) = &opts.beside else {
        return Ok(CountryTable::shipped());
    };
    let mut found: Vec<PathBuf> = match std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("country_codes_V") && n.ends_with(".csv"))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    found.sort();
    let pick = match found.len() {
        0 => return Ok(CountryTable::shipped()),
        1 => found.pop(),
        _ => {
            // The release of the data file: BACI_HS22_Y2023_V202501.csv -> V202501.
            let release = opts
                .data_name
                .rsplit_once("_V")
                .map(|(_, r)| r.split('.').next().unwrap_or(""));
            release
                .and_then(|r| {
                    found.iter().find(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n == format!("country_codes_V{r}.csv"))
                    })
                })
                .cloned()
        }
    };
    let Some(p) = pick else {
        let names: Vec<String> = found
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        return Err(Error::invalid(
            &opts.data_name,
            Problem::new(
                "",
                format!(
                    "{} BACI country tables beside the file ({}) and none of the data's release",
                    names.len(),
                    clip_list(names.iter().map(String::as_str), 10)
                ),
            )
            .hint("choose one with --country-codes FILE"),
        ));
    };
    let name = p.display().to_string();
    let bytes = super::read_file_bytes(&p)?;
    CountryTable::read_baci(&name, &bytes)
}

/// Read a BACI file's bytes (decompressed, BOM removed).
/// `table` is the country table to map codes with ([`country_table`]).
pub fn read(
    body: &[u8],
    opts: &BaciOptions,
    table: CountryTable,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<TradeGraph> {
    let copts = CsvOptions {
        columns: Columns {
            from: Some("i".into()),
            to: Some("j".into()),
            sector: Some("k".into()),
            value: Some("v".into()),
            year: Some("t".into()),
        },
        year: opts.year,
        value_exp10: 3,
    };
    let raw = super::csv::read(body, &copts, progress)?;
    let mut notes: Vec<String> = raw.meta.notes.iter().cloned().collect();
    let skipped = raw.skipped_rows;

    // Products.
    let codes: Vec<&str> = raw.sectors().iter().map(|s| s.id.as_str()).collect();
    let (hs_group, bad) = hs::grouping(&codes, opts.hs_level);
    if !bad.is_empty() {
        let rule = if opts.hs_level == HsLevel::Section {
            "product codes (column k) that are not HS6 codes of a chapter in an HS section (chapters 77, 98 and 99 are in none)"
        } else {
            "product codes (column k) that are not HS6 codes (six digits, or five when a leading zero was lost)"
        };
        return Err(Error::invalid(
            "<input>",
            Problem::new(
                "column k",
                format!("{} {rule}: {}", bad.len(), clip_list(bad.iter().map(String::as_str), 20)),
            )
            .hint("BACI's k column holds HS6 codes; read another file as a plain edge list with --input-format csv"),
        ));
    }
    let padded = codes.iter().filter(|c| c.len() == 5).count();
    let g = if opts.hs_level == HsLevel::Hs6 && padded == 0 {
        raw
    } else {
        raw.group_sectors(
            &hs_group,
            &GroupParams {
                keep_unlisted: false,
                mark_aggregate: false,
            },
        )?
        .0
    };
    if padded > 0 {
        notes.push(format!(
            "{padded} five-digit product codes given back their leading zero (10121 -> 010121)"
        ));
    }

    // Countries.
    let mut grouping = Grouping::new(table.source.clone());
    let mut unknown: Vec<String> = Vec::new();
    let mut mapped = 0usize;
    for c in g.country_ids() {
        match table.get(c) {
            Some((iso3, name)) => {
                mapped += 1;
                grouping.insert(c, iso3.as_str());
                // Two codes of one iso3 (58 and 56 for BEL): the current code's name, not
                // the historic one's (`Belgium-Luxembourg (...1998)`).
                let historic = name.contains("(...");
                if !name.is_empty() && (!historic || grouping.group_name(iso3).is_none()) {
                    grouping.name_group(iso3.as_str(), name.as_str());
                }
            }
            None => unknown.push(c.to_string()),
        }
    }
    unknown.sort_by(|a, b| (a.len(), a.as_str()).cmp(&(b.len(), b.as_str())));
    let (mut g, report) = g.group_countries(
        &grouping,
        &GroupParams {
            keep_unlisted: true,
            mark_aggregate: false,
        },
    )?;
    g.mark_aggregate(&BACI_AGGREGATES);
    g.set_goods(true);

    notes.push("BACI values in thousand USD scaled by 1000".into());
    notes.push(format!(
        "exporter and importer codes mapped to ISO3 with {}: {mapped} codes mapped",
        table.source
    ));
    if report.dropped_inside.0 > 0 {
        notes.push(format!(
            "{} flows between two codes of one iso3 dropped (value {} USD)",
            report.dropped_inside.0,
            super::fmt_value(report.dropped_inside.1)
        ));
    }
    let mut warnings = Vec::new();
    if !unknown.is_empty() {
        let list = clip_list(unknown.iter().map(String::as_str), 30);
        notes.push(format!(
            "{} codes not in the country table kept as numbers: {list}",
            unknown.len()
        ));
        warnings.push(format!(
            "{} BACI country codes are not in {} and are kept as numbers: {list} (give BACI's country_codes_V*.csv with --country-codes)",
            unknown.len(),
            table.source
        ));
    }
    if g.node_index("S19").is_some() {
        notes.push(TAIWAN_NOTE.into());
    }
    notes.push(match opts.hs_level {
        HsLevel::Hs6 => "products: HS6 codes".to_string(),
        HsLevel::Hs4 => "products aggregated to HS4 headings".to_string(),
        HsLevel::Hs2 => "products aggregated to HS2 chapters".to_string(),
        HsLevel::Section => "products aggregated to the 21 HS sections".to_string(),
    });
    notes.push("quantities (q, metric tons) not read".into());

    let years = g.years();
    g.meta.name = Some(if opts.data_name.is_empty() {
        "BACI".to_string()
    } else {
        opts.data_name.clone()
    });
    g.meta.unit = Some("USD".into());
    g.meta.source = Some("CEPII BACI (Gaulier & Zignago 2010)".into());
    if years.len() == 1 {
        g.meta.year = Some(years[0] as i64);
    }
    g.meta.notes = Some(notes.join("; "));
    g.meta.extra.insert(
        "baci".into(),
        json!({
            "country_codes": table.source,
            "codes_mapped": mapped,
            "codes_unknown": unknown,
            "value_scale": 1000,
            "value_unit_in_file": "thousand USD",
            "hs_level": opts.hs_level.as_str(),
            "quantity": "not read",
            "taiwan": "490 kept as S19",
        }),
    );
    g.skipped_rows = skipped;
    g.warnings = warnings;
    Ok(g)
}
