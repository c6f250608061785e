//! Country code tables for BACI (and UN Comtrade rows without ISO codes): BACI's own
//! `country_codes_V*.csv`, or the table tradenet ships (ISO 3166 numeric -> alpha-3 from
//! pycountry, `graphs/concordances/iso3166.csv`) with BACI's documented exceptions on top.

use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::clip;

/// ISO 3166-1 numeric -> alpha-3, from the PyPI package pycountry 26.2.16 (LGPL-2.1-only),
/// written by `graphs/concordances/build_iso3166.py`.
const ISO3166: &str = include_str!("../../../graphs/concordances/iso3166.csv");

/// The codes of BACI (CEPII, documented in its country table and README) that are not the ISO
/// 3166 numeric code of the ISO alpha-3 they stand for, or that have no ISO code. They win over
/// the ISO table. (code, iso3, name)
pub const BACI_EXCEPTIONS: [(u32, &str, &str); 12] = [
    // ISO 840; BACI's 842 is the USA with Puerto Rico and the US Virgin Islands.
    (842, "USA", "USA"),
    // ISO 356.
    (699, "IND", "India"),
    // ISO 756; BACI's 757 includes Liechtenstein.
    (757, "CHE", "Switzerland"),
    // ISO 578; BACI's 579 includes Svalbard and Jan Mayen.
    (579, "NOR", "Norway"),
    // ISO 250; BACI's 251 includes Monaco.
    (251, "FRA", "France"),
    // "Other Asia, nes": Taiwan in practice. BACI's iso3 is S19 (not an ISO code); tradenet
    // keeps S19 (see TAIWAN_NOTE).
    (490, "S19", "Other Asia, nes"),
    // Historic codes that share an iso3 with the current code.
    (58, "BEL", "Belgium-Luxembourg (...1998)"),
    (280, "DEU", "Fed. Rep. of Germany (...1990)"),
    (736, "SDN", "Sudan (...2011)"),
    // Pseudo-areas with BACI's own iso3.
    (697, "R20", "Europe EFTA, nes"),
    (711, "ZA1", "Southern African Customs Union (...1999)"),
    // ISO 849 was withdrawn; BACI keeps it with iso3 PUS.
    (849, "PUS", "US Misc. Pacific Isds"),
];

/// BACI's iso3 codes that stand for several economies: marked aggregate.
pub const BACI_AGGREGATES: [&str; 2] = ["R20", "ZA1"];

/// What tradenet does with 490, said in every BACI note.
pub const TAIWAN_NOTE: &str = "490 'Other Asia, nes' (Taiwan in practice) is kept as BACI's S19, not renamed TWN: a --regions file with the row S19,TWN renames it";

/// A numeric code -> (iso3, name) table.
#[derive(Debug, Clone, Default)]
pub struct CountryTable {
    /// Code (leading zeros removed) -> (iso3, name).
    pub by_code: FastMap<String, (String, String)>,
    /// Where the table came from: a file, or the shipped table.
    pub source: String,
}

/// A numeric code without leading zeros (`004` -> `4`); other text as it is.
pub fn norm_code(code: &str) -> &str {
    if code.len() > 1 && code.bytes().all(|b| b.is_ascii_digit()) {
        let t = code.trim_start_matches('0');
        if t.is_empty() {
            "0"
        } else {
            t
        }
    } else {
        code
    }
}

impl CountryTable {
    /// The shipped table: ISO 3166 numeric codes (pycountry) with BACI's exceptions on top.
    pub fn shipped() -> CountryTable {
        let mut by_code = FastMap::default();
        for line in ISO3166.lines().skip(1) {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            let rec = r
                .records()
                .next()
                .and_then(|r| r.ok())
                .expect("the shipped table is valid CSV");
            by_code.insert(rec[0].to_string(), (rec[1].to_string(), rec[2].to_string()));
        }
        for (code, iso3, name) in BACI_EXCEPTIONS {
            by_code.insert(code.to_string(), (iso3.to_string(), name.to_string()));
        }
        CountryTable {
            by_code,
            source: "the shipped table (ISO 3166 from pycountry + BACI's exceptions)".into(),
        }
    }

    /// Read a BACI country table: header `country_code,country_name,country_iso2,country_iso3`
    /// (V202401 and later) or `country_code,country_name_abbreviation,country_name_full,
    /// iso_2digit_alpha,iso_3digit_alpha` (earlier releases). Rows with an empty iso3 are left
    /// out (their code stays unknown).
    pub fn read_baci(file: &str, bytes: &[u8]) -> Result<CountryTable> {
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(bytes);
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let bad = |p: Problem| Error::invalid(file, p);
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| bad(Problem::new("line 1", format!("unreadable CSV: {e}"))))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let (Some(code), Some(iso3)) = (
            col(&["country_code"]),
            col(&["country_iso3", "iso_3digit_alpha"]),
        ) else {
            return Err(bad(Problem::new(
                "line 1",
                format!(
                    "not a BACI country table: no country_code and country_iso3 (or iso_3digit_alpha) columns (columns: {})",
                    crate::text::clip_list(header.iter().map(String::as_str), 10)
                ),
            )
            .hint("give the country_codes_V*.csv file of the BACI release")));
        };
        let name = col(&["country_name", "country_name_abbreviation"]);
        let mut by_code: FastMap<String, (String, String)> = FastMap::default();
        let mut problems = crate::error::Problems::default();
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    problems.push(crate::io::csv::unreadable_record(&e));
                    break;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let c = rec.get(code).unwrap_or("").trim();
            let i = rec.get(iso3).unwrap_or("").trim();
            if c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(
                    Problem::new(
                        format!("line {line} (country_code)"),
                        format!("a country code is a whole number, found '{}'", clip(c)),
                    )
                    .hint("give the country_codes_V*.csv file of the BACI release"),
                );
                continue;
            }
            if i.is_empty() {
                continue;
            }
            let n = name.and_then(|k| rec.get(k)).unwrap_or("").trim();
            by_code.insert(norm_code(c).to_string(), (i.to_string(), n.to_string()));
        }
        problems.into_result(file)?;
        Ok(CountryTable {
            by_code,
            source: file.to_string(),
        })
    }

    /// The iso3 and name of a code, if known.
    pub fn get(&self, code: &str) -> Option<&(String, String)> {
        self.by_code.get(norm_code(code))
    }
}
