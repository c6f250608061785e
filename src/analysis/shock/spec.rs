//! Shocks written as on the command line: `USA:CAN:c15=25%`, `CHN=-10%`, `KOR:JPN:c12`.

use super::scenario::{Demand, Embargo, Supply, Tariff};
use crate::error::{Error, Result};

/// A spec that breaks `rule`: [`Error::Param`] named by the kind of shock (`tariff`), which
/// the command line renames to its flag.
fn spec_err(kind: &str, spec: &str, rule: &str) -> Error {
    Error::param(kind, crate::text::clip(spec), rule)
}

/// A percentage written `25%` or `-2.5%`.
fn parse_percent(flag: &str, spec: &str, text: &str, example: &str) -> Result<f64> {
    let t = text.trim();
    let Some(num) = t.strip_suffix('%') else {
        return Err(spec_err(
            flag,
            spec,
            &format!("write the number as a percentage, e.g. {example}"),
        ));
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(v) if v.is_infinite() => Err(spec_err(
            flag,
            spec,
            &format!("'{t}' is not a finite percentage (numbers go up to about 1.8e308)"),
        )),
        _ => Err(spec_err(
            flag,
            spec,
            &format!("'{t}' is not a percentage, e.g. {example}"),
        )),
    }
}

fn split_eq<'a>(flag: &str, spec: &'a str, example: &str) -> Result<(&'a str, &'a str)> {
    match spec.rsplit_once('=') {
        Some((l, r)) if !l.trim().is_empty() && !r.trim().is_empty() => Ok((l.trim(), r.trim())),
        _ => Err(spec_err(flag, spec, &format!("expected {example}"))),
    }
}

fn parts<'a>(flag: &str, spec: &str, left: &'a str, form: &str) -> Result<Vec<&'a str>> {
    let p: Vec<&str> = left.split(':').map(str::trim).collect();
    if !(2..=3).contains(&p.len()) || p.iter().any(|s| s.is_empty()) {
        return Err(spec_err(flag, spec, &format!("expected {form}")));
    }
    Ok(p)
}

/// Parse `--tariff IMPORTER:EXPORTER[:SECTORS]=RATE%` or `...=OLD%->NEW%`.
///
/// SECTORS is a code (`c15`), a list (`c1,c2`), a range (`c1-c16`), `goods` (the default: the
/// tradable goods sectors) or `all` (services included); see
/// [`crate::analysis::tariff_scope`]. `OLD%->NEW%` gives the rate in force (`6.1%->0%` is a
/// cut); without it the old rate is the flows' `tariff` field, else 0.
///
/// Errors: [`Error::Param`] naming the flag and the value.
///
/// ```
/// let t = tradenet::analysis::parse_tariff("USA:CAN:c15=25%").unwrap();
/// assert_eq!((t.importer.as_str(), t.exporter.as_str(), t.sector.as_deref(), t.rate), ("USA", "CAN", Some("c15"), 0.25));
/// let cut = tradenet::analysis::parse_tariff("USA:CAN:c1-c16=6.1%->0%").unwrap();
/// assert_eq!((cut.sector.as_deref(), cut.old, cut.rate), (Some("c1-c16"), Some(0.061), 0.0));
/// assert!(tradenet::analysis::parse_tariff("USA:CAN=25").is_err());
/// ```
pub fn parse_tariff(spec: &str) -> Result<Tariff> {
    const FORM: &str =
        "IMPORTER:EXPORTER[:SECTORS]=RATE% or =OLD%->NEW%, e.g. USA:CAN:c15=25% or USA:CAN:c1-c16=6.1%->0%";
    let flag = "tariff";
    let (left, right) = split_eq(flag, spec, FORM)?;
    let p = parts(flag, spec, left, FORM)?;
    let (old, new) = match right.split_once("->") {
        Some((o, n)) => (Some(o.trim()), n.trim()),
        None => (None, right),
    };
    let rate = parse_percent(flag, spec, new, "25%")?;
    let old = old
        .map(|o| parse_percent(flag, spec, o, "6.1%->0%"))
        .transpose()?;
    if rate < 0.0 || old.is_some_and(|o| o < 0.0) {
        return Err(spec_err(flag, spec, "a tariff rate cannot be negative"));
    }
    if p[0] == p[1] {
        return Err(spec_err(
            flag,
            spec,
            "importer and exporter are the same country",
        ));
    }
    if let Some(sectors) = p.get(2) {
        if sectors.split(',').any(|x| {
            let x = x.trim();
            x.is_empty() || x.starts_with('-') || x.ends_with('-')
        }) {
            return Err(spec_err(
                flag,
                spec,
                "a sector list needs codes or ranges between the commas, e.g. c1-c16 or c1,c2",
            ));
        }
    }
    Ok(Tariff {
        importer: p[0].to_string(),
        exporter: p[1].to_string(),
        sector: p.get(2).map(|s| s.to_string()),
        rate: rate / 100.0,
        old: old.map(|o| o / 100.0),
    })
}

fn parse_node_pct(flag: &str, spec: &str) -> Result<(String, f64)> {
    let (left, right) = split_eq(flag, spec, "NODE=PCT%, e.g. CHN:c14=-20%")?;
    let pct = parse_percent(flag, spec, right, "-10%")?;
    if pct < -100.0 {
        return Err(spec_err(flag, spec, "a change cannot be below -100%"));
    }
    Ok((left.to_string(), pct))
}

/// Parse `--demand TARGET=PCT%` (a node, a country or a sector; e.g. `CHN=-10%`).
///
/// Errors: [`Error::Param`] naming the flag and the value.
pub fn parse_demand(spec: &str) -> Result<Demand> {
    let (target, pct) = parse_node_pct("demand", spec)?;
    Ok(Demand { target, pct })
}

/// Parse `--supply NODE=PCT%` (e.g. `JPN:c14=-20%`, a 20% cut).
///
/// Errors: [`Error::Param`] naming the flag and the value.
pub fn parse_supply(spec: &str) -> Result<Supply> {
    let (node, pct) = parse_node_pct("supply", spec)?;
    Ok(Supply { node, pct })
}

/// Parse `--embargo FROM:TO[:SECTOR]` (e.g. `KOR:JPN:c12`).
///
/// Errors: [`Error::Param`] naming the flag and the value.
pub fn parse_embargo(spec: &str) -> Result<Embargo> {
    const FORM: &str = "FROM:TO[:SECTOR], e.g. KOR:JPN:c12";
    let flag = "embargo";
    if spec.contains('=') {
        return Err(spec_err(flag, spec, &format!("expected {FORM}")));
    }
    let p = parts(flag, spec, spec.trim(), FORM)?;
    if p[0] == p[1] {
        return Err(spec_err(
            flag,
            spec,
            "an embargo needs two different countries",
        ));
    }
    Ok(Embargo {
        from: p[0].to_string(),
        to: p[1].to_string(),
        sector: p.get(2).map(|s| s.to_string()),
    })
}
