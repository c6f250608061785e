//! GE scenarios: tariffs (with revenue), iceberg trade-cost changes and explicit tariff
//! schedules, resolved against a [`GeData`] into the per-cell [`Policy`] of a solve.

use super::data::GeData;
use super::solve::Policy;
use crate::analysis::shock::{percent_text, Tariff};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// An iceberg trade-cost change: the cost of `exporter`'s goods in `importer` is multiplied
/// by `factor` (d^ = factor; no revenue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeCost {
    /// The buying country.
    pub importer: String,
    /// The selling country.
    pub exporter: String,
    /// Sectors, as for tariffs (`None`: every tradable sector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// d^ > 0 (1.1 = 10% dearer).
    pub factor: f64,
}

/// One cell of a tariff schedule: the new rate of `importer` on `exporter` in `sector`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TariffCell {
    /// The country imposing the tariff.
    pub importer: String,
    /// The country whose goods are taxed.
    pub exporter: String,
    /// The sector code.
    pub sector: String,
    /// The new rate, a share (0.25 = 25%).
    pub rate: f64,
}

/// Deficits in the two solves (MODEL.md, "Two solves, and the deficit treatment").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deficits {
    /// Deficits of the data, held fixed in units of the numeraire (the baseline is the data).
    #[default]
    Data,
    /// No deficits in either solve (CP2015's main case; the baseline is then a solve of its
    /// own, not the data).
    Zero,
}

impl Deficits {
    /// `data` or `zero`.
    pub fn as_str(self) -> &'static str {
        match self {
            Deficits::Data => "data",
            Deficits::Zero => "zero",
        }
    }
}

/// Parse `IMPORTER:EXPORTER[:SECTORS]=FACTOR` (e.g. `USA:CAN:C29=1.1`).
///
/// Errors: [`Error::Param`] naming the spec and the rule.
pub fn parse_trade_cost(spec: &str) -> Result<TradeCost> {
    let bad = |rule: &str| {
        Error::param(
            "trade_costs",
            format!("'{}'", crate::text::clip(spec)),
            format!("{rule} (expected IMPORTER:EXPORTER[:SECTORS]=FACTOR, e.g. USA:CAN=1.1)"),
        )
    };
    let (left, right) = spec.split_once('=').ok_or_else(|| bad("no '='"))?;
    let factor: f64 = right
        .trim()
        .parse()
        .map_err(|_| bad("the factor is not a number"))?;
    if !(factor.is_finite() && factor > 0.0) {
        return Err(bad("the factor must be a finite number above 0"));
    }
    let parts: Vec<&str> = left.split(':').map(str::trim).collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad(
            "give the importer and the exporter, and at most one sector list",
        ));
    }
    Ok(TradeCost {
        importer: parts[0].to_string(),
        exporter: parts[1].to_string(),
        sector: parts.get(2).map(|s| s.to_string()),
        factor,
    })
}

/// The sectors a spec names: `None` or `goods` the tradable goods, `all` every tradable
/// sector, a code, a list `a,b` or a range `a-b` (by position). A named sector that is not
/// tradable is an [`Error::TariffScope`].
pub fn scope(d: &GeData, who: &str, spec: Option<&str>) -> Result<Vec<usize>> {
    let spec = spec.map(str::trim);
    let err = |rule: String, hint: String| Error::TariffScope {
        tariff: who.to_string(),
        rule,
        hint,
    };
    let picked: Vec<usize> = match spec {
        None | Some("goods") => (0..d.j())
            .filter(|&s| d.tradable[s] && d.goods[s])
            .collect(),
        Some("all") => (0..d.j()).filter(|&s| d.tradable[s]).collect(),
        Some(list) => {
            let mut out = Vec::new();
            for part in list.split(',').map(str::trim) {
                if let Ok(s) = d.require_sector(part) {
                    out.push(s);
                } else if let Some((a, b)) = part.split_once('-') {
                    let (a, b) = (d.require_sector(a)?, d.require_sector(b)?);
                    if a > b {
                        return Err(err(
                            format!("the range {part} runs backwards in the sector order"),
                            format!("write it as {}-{}", d.sectors[b], d.sectors[a]),
                        ));
                    }
                    out.extend(a..=b);
                } else {
                    d.require_sector(part)?;
                }
            }
            if let Some(&s) = out.iter().find(|&&s| !d.tradable[s]) {
                return Err(err(
                    format!(
                        "sector '{}' is not traded across borders in this model (the data has no imports of it), so a tariff or trade cost on it changes nothing",
                        d.sectors[s]
                    ),
                    "name tradable sectors, or leave the sector out for every tradable goods sector".into(),
                ));
            }
            out.sort_unstable();
            out.dedup();
            out
        }
    };
    if picked.is_empty() {
        return Err(err(
            "no tradable goods sector in this data".into(),
            "name the sectors, or `all` for every tradable sector".into(),
        ));
    }
    Ok(picked)
}

/// Resolve the scenario into the policy of the counterfactual solve and the tariffs in force
/// before (a tariff's `old` rate replaces the data's baseline rate on its cells). Returns the
/// baseline tariffs and the policy, and the number of cells changed.
pub fn resolve(
    d: &GeData,
    tariffs: &[Tariff],
    costs: &[TradeCost],
    schedule: &[TariffCell],
    deficits: Deficits,
) -> Result<(Vec<f64>, Policy, usize)> {
    let mut base = d.tariff.clone();
    let mut new = d.tariff.clone();
    let mut ice = vec![1.0; d.tariff.len()];
    let mut set = vec![false; d.tariff.len()];
    let pair = |imp: &str, exp: &str| -> Result<(usize, usize)> {
        let (a, b) = (d.require_country(imp)?, d.require_country(exp)?);
        if a == b {
            return Err(Error::param(
                "tariffs",
                format!("{imp}:{exp}"),
                "a tariff or trade cost of a country on itself: importer and exporter must differ",
            ));
        }
        Ok((a, b))
    };
    for c in schedule {
        let (a, b) = pair(&c.importer, &c.exporter)?;
        let who = format!("schedule {}:{}:{}", c.importer, c.exporter, c.sector);
        for s in scope(d, &who, Some(&c.sector))? {
            check_rate(&who, c.rate)?;
            let k = d.pair(s, a, b);
            new[k] = c.rate;
        }
    }
    // Tariffs naming fewer sectors win on the cells they share (as in the shock command).
    let mut order: Vec<(usize, &Tariff, Vec<usize>)> = Vec::new();
    for t in tariffs {
        let who = format!(
            "--tariff {}:{}{}={}",
            t.importer,
            t.exporter,
            t.sector
                .as_deref()
                .map(|s| format!(":{s}"))
                .unwrap_or_default(),
            percent_text(t.rate)
        );
        check_rate(&who, t.rate)?;
        let sectors = scope(d, &who, t.sector.as_deref())?;
        order.push((sectors.len(), t, sectors));
    }
    order.sort_by_key(|o| std::cmp::Reverse(o.0));
    for (_, t, sectors) in &order {
        let (a, b) = pair(&t.importer, &t.exporter)?;
        for &s in sectors {
            let k = d.pair(s, a, b);
            if let Some(old) = t.old {
                check_rate("the old rate", old)?;
                base[k] = old;
            }
            new[k] = t.rate;
            set[k] = true;
        }
    }
    for c in costs {
        let (a, b) = pair(&c.importer, &c.exporter)?;
        let who = format!("--trade-cost {}:{}={}", c.importer, c.exporter, c.factor);
        for s in scope(d, &who, c.sector.as_deref())? {
            ice[d.pair(s, a, b)] *= c.factor;
        }
    }
    let changed = (0..new.len())
        .filter(|&k| new[k] != base[k] || ice[k] != 1.0)
        .count();
    let deficit = match deficits {
        Deficits::Data => d.deficit.clone(),
        Deficits::Zero => vec![0.0; d.n()],
    };
    Ok((
        base,
        Policy {
            tariff: new,
            iceberg: ice,
            deficit,
        },
        changed,
    ))
}

fn check_rate(who: &str, rate: f64) -> Result<()> {
    if rate.is_finite() && rate > -1.0 {
        Ok(())
    } else {
        Err(Error::param(
            "tariffs",
            format!("{who} = {rate}"),
            "a rate must be a finite share above -100%",
        ))
    }
}
