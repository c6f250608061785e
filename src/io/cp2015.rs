//! The Caliendo-Parro (2015) NAFTA data set as the R package `cp2015` ships it (the `rpkg/`
//! tables of `../shared/data/cp2015/`, described in its SOURCE.md and MODEL.md), read into
//! [`GeData`], and tariff schedules (`importer,exporter,sector,rate`) for GE scenarios.
//!
//! A folder is recognised as CP2015 data when it holds `rpkg/trade.csv` (or is that `rpkg`
//! folder) with `countries.csv` and `sectors.csv` beside `rpkg`.
//!
//! Shares are derived as MODEL.md states: gamma_nj = VA / (sum of IC + VA), gamma_nkj =
//! IC(k -> j) / (sum of IC + VA), alpha_nj = final consumption / its sum over j, wL_n = sum of
//! VA, D_n from `deficit.csv`; a sector with no output gets gamma = 1 (it buys no inputs).

use crate::analysis::ge::{GeData, TariffCell};
use crate::error::{Error, Problem, Problems, Result};
use crate::io::table::Table;
use std::path::{Path, PathBuf};

/// The folder holding `countries.csv`, `sectors.csv` and `rpkg/`, when `path` is CP2015 data.
pub fn locate(path: &Path) -> Option<PathBuf> {
    if path.join("rpkg").join("trade.csv").is_file() && path.join("countries.csv").is_file() {
        return Some(path.to_path_buf());
    }
    let parent = path.parent()?;
    (path.file_name()? == "rpkg"
        && path.join("trade.csv").is_file()
        && parent.join("countries.csv").is_file())
    .then(|| parent.to_path_buf())
}

fn file(root: &Path, name: &str) -> String {
    root.join(name).to_string_lossy().into_owned()
}

/// Read the CP2015 data under `root` (see [`locate`]).
///
/// Errors: [`Error::Io`] for a missing file; [`Error::Invalid`] naming file, line and column
/// for a missing column, a non-number, an unknown country or sector, or a cell given twice.
pub fn read(root: &Path) -> Result<GeData> {
    // Countries: ISO3 and the R package's names.
    let t = Table::read(&file(root, "countries.csv"))?;
    let c = t.require(&[&["iso3"], &["name_in_r_package", "name"]])?;
    let countries: Vec<String> = t.rows.iter().map(|(_, f)| f[c[0]].clone()).collect();
    let aliases: Vec<Vec<String>> = t.rows.iter().map(|(_, f)| vec![f[c[1]].clone()]).collect();
    // Sectors: order, tradable flag, theta.
    let t = Table::read(&file(root, "sectors.csv"))?;
    let c = t.require(&[&["sector"], &["tradable"], &["theta"]])?;
    let mut problems = Problems::default();
    let sectors: Vec<String> = t.rows.iter().map(|(_, f)| f[c[0]].clone()).collect();
    let mut tradable = Vec::new();
    let mut theta = Vec::new();
    for r in 0..t.rows.len() {
        tradable.push(t.rows[r].1[c[1]] == "1");
        match t.number(r, c[2]) {
            Ok(v) => theta.push(v),
            Err(p) => problems.push(p),
        }
    }
    problems.into_result(&t.file)?;
    let (n, j) = (countries.len(), sectors.len());
    let mut d = GeData {
        countries,
        aliases,
        tradable: tradable.clone(),
        goods: tradable,
        theta,
        trade: vec![0.0; j * n * n],
        tariff: vec![0.0; j * n * n],
        va_share: vec![0.0; n * j],
        io_share: vec![0.0; n * j * j],
        alpha: vec![0.0; n * j],
        value_added: vec![0.0; n],
        deficit: vec![0.0; n],
        node_ids: Vec::new(),
        unit: "USD".into(),
        source: format!(
            "Caliendo-Parro (2015) NAFTA data, 1993, as the R package cp2015 ships it: {}",
            root.display()
        ),
        notes: Vec::new(),
        sectors,
    };
    let rpkg = root.join("rpkg");
    // Trade and tariffs.
    let t = Table::read(&file(&rpkg, "trade.csv"))?;
    let c = t.require(&[
        &["sector"],
        &["exporter"],
        &["importer"],
        &["value"],
        &["tariff"],
    ])?;
    let mut seen = vec![false; j * n * n];
    let mut problems = Problems::default();
    for r in 0..t.rows.len() {
        let got = (|| -> std::result::Result<(), Problem> {
            let s = sector_at(&d, &t, r, c[0])?;
            let i = country_at(&d, &t, r, c[1])?;
            let a = country_at(&d, &t, r, c[2])?;
            let k = d.pair(s, a, i);
            if std::mem::replace(&mut seen[k], true) {
                return Err(Problem::new(
                    t.place(r, c[0]),
                    "this sector, exporter and importer were given before",
                ));
            }
            d.trade[k] = t.number(r, c[3])?;
            d.tariff[k] = t.number(r, c[4])?;
            Ok(())
        })();
        if let Err(p) = got {
            problems.push(p);
        }
    }
    problems.into_result(&t.file)?;
    // Intermediate consumption, value added, final consumption.
    let mut ic = vec![0.0; n * j * j];
    let t = Table::read(&file(&rpkg, "intermediate_consumption.csv"))?;
    let c = t.require(&[&["input"], &["sector"], &["region"], &["value"]])?;
    let mut problems = Problems::default();
    for r in 0..t.rows.len() {
        let got = (|| -> std::result::Result<(), Problem> {
            let k = sector_at(&d, &t, r, c[0])?;
            let s = sector_at(&d, &t, r, c[1])?;
            let a = country_at(&d, &t, r, c[2])?;
            ic[(a * j + k) * j + s] += t.number(r, c[3])?;
            Ok(())
        })();
        if let Err(p) = got {
            problems.push(p);
        }
    }
    problems.into_result(&t.file)?;
    let va = by_country_sector(&d, &file(&rpkg, "value_added.csv"))?;
    let fc = by_country_sector(&d, &file(&rpkg, "final_consumption.csv"))?;
    for a in 0..n {
        let fd: f64 = fc[a * j..(a + 1) * j].iter().sum();
        if fd <= 0.0 {
            return Err(Error::Unsuited(format!(
                "{}: {} has no final consumption, so its final-demand shares are undefined",
                file(&rpkg, "final_consumption.csv"),
                d.countries[a]
            )));
        }
        for s in 0..j {
            let inputs: f64 = (0..j).map(|k| ic[(a * j + k) * j + s]).sum();
            let out = inputs + va[a * j + s];
            if out > 0.0 {
                d.va_share[a * j + s] = va[a * j + s] / out;
                for k in 0..j {
                    d.io_share[(a * j + k) * j + s] = ic[(a * j + k) * j + s] / out;
                }
            } else {
                d.va_share[a * j + s] = 1.0;
            }
            d.alpha[a * j + s] = fc[a * j + s] / fd;
        }
        d.value_added[a] = va[a * j..(a + 1) * j].iter().sum();
    }
    // Deficits.
    let t = Table::read(&file(&rpkg, "deficit.csv"))?;
    let c = t.require(&[&["region"], &["D", "deficit"]])?;
    let mut problems = Problems::default();
    for r in 0..t.rows.len() {
        match country_at(&d, &t, r, c[0]).and_then(|a| Ok((a, t.number(r, c[1])?))) {
            Ok((a, v)) => d.deficit[a] = v,
            Err(p) => problems.push(p),
        }
    }
    problems.into_result(&t.file)?;
    Ok(d)
}

fn country_at(d: &GeData, t: &Table, r: usize, col: usize) -> std::result::Result<usize, Problem> {
    let name = &t.rows[r].1[col];
    d.country_index(name).ok_or_else(|| {
        let near = crate::error::closest(
            name,
            d.countries
                .iter()
                .chain(d.aliases.iter().flatten())
                .map(String::as_str),
        );
        let p = Problem::new(
            t.place(r, col),
            format!("unknown country '{}'", crate::text::clip(name)),
        );
        match near {
            Some(s) => p.hint(format!("did you mean '{s}'?")),
            None => p.hint("countries are listed in countries.csv"),
        }
    })
}

fn sector_at(d: &GeData, t: &Table, r: usize, col: usize) -> std::result::Result<usize, Problem> {
    let name = &t.rows[r].1[col];
    d.require_sector(name).map_err(|e| {
        let p = Problem::new(
            t.place(r, col),
            format!("unknown sector '{}'", crate::text::clip(name)),
        );
        match e {
            Error::Unknown {
                suggestion: Some(s),
                ..
            } => p.hint(format!("did you mean '{s}'?")),
            _ => p.hint("sectors are listed in sectors.csv"),
        }
    })
}

/// A `sector,region,value` table as an n J + j vector (summing repeated cells).
fn by_country_sector(d: &GeData, path: &str) -> Result<Vec<f64>> {
    let t = Table::read(path)?;
    let c = t.require(&[&["sector"], &["region"], &["value"]])?;
    let j = d.j();
    let mut v = vec![0.0; d.n() * j];
    let mut problems = Problems::default();
    for r in 0..t.rows.len() {
        let got = (|| -> std::result::Result<(), Problem> {
            let s = sector_at(d, &t, r, c[0])?;
            let a = country_at(d, &t, r, c[1])?;
            v[a * j + s] += t.number(r, c[2])?;
            Ok(())
        })();
        if let Err(p) = got {
            problems.push(p);
        }
    }
    problems.into_result(&t.file)?;
    Ok(v)
}

/// Read a tariff schedule: columns `importer`, `exporter`, `sector` and the new rate as a
/// share (`rate`, `new_rate` or `tariff_cfl`, as in CP2015's `nafta_tariff_changes.csv`) or
/// in percent (`rate_pct`). Countries and sectors are checked against `d`.
pub fn read_schedule(path: &str, d: &GeData) -> Result<Vec<TariffCell>> {
    let t = Table::read(path)?;
    let c = t.require(&[&["importer"], &["exporter"], &["sector"]])?;
    let (rate, scale) = match (
        t.find(&["rate", "new_rate", "tariff_cfl"]),
        t.find(&["rate_pct"]),
    ) {
        (Some(i), _) => (i, 1.0),
        (None, Some(i)) => (i, 0.01),
        (None, None) => {
            return Err(Error::Invalid {
                file: path.to_string(),
                problems: vec![Problem::new("line 1", "no rate column").hint(
                    "name the new rate `rate` (a share, 0.25 = 25%) or `rate_pct` (percent)",
                )],
                more: 0,
            })
        }
    };
    let mut out = Vec::with_capacity(t.rows.len());
    let mut problems = Problems::default();
    for r in 0..t.rows.len() {
        let got = (|| -> std::result::Result<TariffCell, Problem> {
            let a = country_at(d, &t, r, c[0])?;
            let i = country_at(d, &t, r, c[1])?;
            let s = sector_at(d, &t, r, c[2])?;
            let v = t.number(r, rate)? * scale;
            if v <= -1.0 {
                return Err(Problem::new(
                    t.place(r, rate),
                    format!("a rate of {v} is not above -100%"),
                ));
            }
            Ok(TariffCell {
                importer: d.countries[a].clone(),
                exporter: d.countries[i].clone(),
                sector: d.sectors[s].clone(),
                rate: v,
            })
        })();
        match got {
            Ok(cell) => out.push(cell),
            Err(p) => problems.push(p),
        }
    }
    problems.into_result(path)?;
    Ok(out)
}
