//! Scenarios: the shocks to apply and the elasticities to use (MODELS.md §4).
//!
//! A [`Scenario`] is a list of [`Shock`]s plus [`Elasticities`]. It is built in code, parsed
//! from command-line specs ([`parse_tariff`], [`parse_demand`], [`parse_supply`],
//! [`parse_embargo`]), or read from a JSON file with [`Scenario::from_json`].
//!
//! The file format is documented on [`Scenario`].

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Default import-demand elasticity eps_m (WITS-SMART's usual value).
pub const DEFAULT_IMPORT_DEMAND: f64 = -1.0;
/// Default substitution elasticity sigma between suppliers (WITS-SMART's usual value).
pub const DEFAULT_SUBSTITUTION: f64 = 1.5;
/// The version written in (and accepted from) scenario files.
pub const SCENARIO_FORMAT: &str = "tradenet-scenario/1";

/// A new tariff by `importer` on goods from `exporter` (MODELS.md §4, "Tariff, direct effect").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tariff {
    /// The country imposing the tariff.
    pub importer: String,
    /// The country whose goods are taxed.
    pub exporter: String,
    /// The sectors taxed: a code, a list (`c1,c2`), a range (`c1-c16`), `goods` or `all`;
    /// `None`: the goods sectors (see [`crate::analysis::tariff_scope`]). Each sector the pair
    /// trades is computed separately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// The new ad-valorem rate, as a fraction (0.25 = 25%).
    pub rate: f64,
    /// The rate in force before; `None`: the flows' `tariff` field (value-weighted), else 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<f64>,
}

/// A change of final demand in percent: dy_i = pct/100 * y_i for each node of the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// A node id, a country (all its nodes) or a sector code (that sector in every country).
    pub target: String,
    /// Change in percent (-10 = a 10% fall).
    pub pct: f64,
}

/// An absolute change of one node's final demand (dy_i = value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandValue {
    /// Node id.
    pub node: String,
    /// The change, in the graph's unit.
    pub value: f64,
}

/// A change of one node's primary inputs in percent of its gross output:
/// dv_i = pct/100 * x_i (a cut is negative), propagated downstream by Ghosh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supply {
    /// Node id.
    pub node: String,
    /// Change in percent (-20 = a 20% cut).
    pub pct: f64,
}

/// The exporter loses all its sales to the importer (of one sector, or of all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Embargo {
    /// Exporting country.
    pub from: String,
    /// Importing country.
    pub to: String,
    /// Only this sector; `None`: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
}

/// One shock of a [`Scenario`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Shock {
    /// A tariff change.
    Tariff(Tariff),
    /// A final-demand change in percent.
    Demand(Demand),
    /// A final-demand change in value.
    DemandValue(DemandValue),
    /// A primary-input (supply) change in percent.
    Supply(Supply),
    /// A bilateral embargo.
    Embargo(Embargo),
    /// An iceberg trade-cost change (general equilibrium only: `shock --model ge`).
    TradeCost(crate::analysis::ge::TradeCost),
}

/// Elasticities for one sector; `None` keeps the scenario-wide value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorElasticities {
    /// Import-demand elasticity eps_m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_demand: Option<f64>,
    /// Substitution elasticity sigma.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitution: Option<f64>,
}

/// Elasticities of the tariff model: scenario-wide values and per-sector overrides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Elasticities {
    /// Import-demand elasticity eps_m (<= 0). Default [`DEFAULT_IMPORT_DEMAND`] = -1.0.
    #[serde(default = "default_import_demand")]
    pub import_demand: f64,
    /// Substitution elasticity sigma between suppliers (>= 0). Default
    /// [`DEFAULT_SUBSTITUTION`] = 1.5.
    #[serde(default = "default_substitution")]
    pub substitution: f64,
    /// Overrides by sector code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sectors: BTreeMap<String, SectorElasticities>,
}

fn default_import_demand() -> f64 {
    DEFAULT_IMPORT_DEMAND
}
fn default_substitution() -> f64 {
    DEFAULT_SUBSTITUTION
}

impl Default for Elasticities {
    fn default() -> Self {
        Elasticities {
            import_demand: DEFAULT_IMPORT_DEMAND,
            substitution: DEFAULT_SUBSTITUTION,
            sectors: BTreeMap::new(),
        }
    }
}

impl Elasticities {
    /// (eps_m, sigma) for a sector code (`None`: flows without a sector).
    pub fn for_sector(&self, sector: Option<&str>) -> (f64, f64) {
        let o = sector.and_then(|s| self.sectors.get(s));
        (
            o.and_then(|o| o.import_demand)
                .unwrap_or(self.import_demand),
            o.and_then(|o| o.substitution).unwrap_or(self.substitution),
        )
    }

    /// Check the ranges: eps_m finite and <= 0, sigma finite and >= 0.
    ///
    /// Errors: [`Error::Param`] naming the value and the sector.
    pub fn validate(&self) -> Result<()> {
        let check = |eps: Option<f64>, sigma: Option<f64>, place: &str| -> Result<()> {
            if let Some(e) = eps {
                if !e.is_finite() || e > 0.0 {
                    return Err(Error::param(
                        format!("{place}import_demand"),
                        e,
                        "must be a finite number <= 0 (imports fall when prices rise)",
                    ));
                }
            }
            if let Some(s) = sigma {
                if !s.is_finite() || s < 0.0 {
                    return Err(Error::param(
                        format!("{place}substitution"),
                        s,
                        "must be a finite number >= 0",
                    ));
                }
            }
            Ok(())
        };
        check(
            Some(self.import_demand),
            Some(self.substitution),
            "elasticities.",
        )?;
        for (s, e) in &self.sectors {
            check(
                e.import_demand,
                e.substitution,
                &format!("elasticities.sectors.{}.", crate::text::clip(s)),
            )?;
        }
        Ok(())
    }
}

/// A list of shocks and the elasticities to use (MODELS.md §4).
///
/// # The scenario file (`tradenet shock --scenario FILE`)
///
/// ```json
/// {
///   "format": "tradenet-scenario/1",
///   "name": "US tariff on Canadian transport equipment",
///   "shocks": [
///     {"type": "tariff", "importer": "USA", "exporter": "CAN", "sector": "c15", "rate": 0.25},
///     {"type": "tariff", "importer": "CAN", "exporter": "USA", "rate": 0.10, "old": 0.02},
///     {"type": "demand", "target": "CHN", "pct": -10},
///     {"type": "demand_value", "node": "USA:c15", "value": -1.0e9},
///     {"type": "supply", "node": "JPN:c14", "pct": -20},
///     {"type": "embargo", "from": "KOR", "to": "JPN", "sector": "c12"}
///   ],
///   "elasticities": {
///     "import_demand": -1.0,
///     "substitution": 1.5,
///     "sectors": {"c15": {"import_demand": -1.5, "substitution": 3.0}}
///   }
/// }
/// ```
///
/// - `format` (optional) must be `tradenet-scenario/1`; `name` and `description` are optional
///   text; `shocks` is required and not empty; `elasticities` is optional.
/// - **tariff**: `importer` and `exporter` are countries (nodes of a trade graph, or the
///   `country` of input-output nodes); `sector` is optional and written as on the command
///   line: a code (`"c15"`), a list (`"c1,c2"`), a range (`"c1-c16"`), `"goods"` (the
///   default: the tradable goods sectors, agriculture, mining, manufacturing; services are
///   taxed only when named) or `"all"` (services included); each sector is computed
///   separately. Of two tariffs on the same importer, exporter and sector, the one naming
///   fewer sectors replaces the other there; naming as many is an error. `rate` is the new
///   ad-valorem rate as a fraction (`0.25` = 25%, as the graph's `tariff` field); `old` is the
///   rate in force (default: the flows' `tariff` field, value-weighted, flows without one
///   counting as 0).
/// - **demand**: `target` is a node, a country (all its nodes) or a sector (its node in every
///   country); `pct` is the change in percent of each node's final demand (`-10` = a 10% fall).
/// - **demand_value**: `node`, `value`: an absolute change of the node's final demand (what
///   `--dy FILE` reads).
/// - **supply**: `node`, `pct`: the change of the node's primary inputs (value added) in
///   percent of its gross output (`-20` = a 20% cut), propagated downstream by Ghosh.
/// - **embargo**: `from`, `to` (countries), optional `sector`: the exporter loses all its sales
///   to the importer (of that sector).
/// - **trade_cost** (general equilibrium only, `shock --model ge`): `importer`, `exporter`,
///   optional `sector` (as for tariffs), `factor` (> 0): the iceberg cost of the exporter's
///   goods in the importer is multiplied by it (1.1 = 10% dearer; no revenue).
/// - **elasticities**: `import_demand` (eps_m, <= 0, default -1.0) and `substitution` (sigma,
///   >= 0, default 1.5), with optional overrides per sector code.
///
/// Unknown keys anywhere are refused. Every problem is reported at once with its JSON path
/// (`shocks[2].pct: expected a number, got "10%"`). Names are checked against the graph when
/// the scenario is run, with the closest existing name suggested.
///
/// ```
/// use tradenet::analysis::{parse_tariff, Scenario, Shock};
/// let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN:c15=25%").unwrap())]);
/// assert_eq!(s.describe(), vec!["tariff: USA on CAN, sector c15, old rate from the data -> 25%"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Optional name, echoed in outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The shocks; computed against the same baseline and added (first order).
    pub shocks: Vec<Shock>,
    /// Elasticities of the tariff model.
    #[serde(default)]
    pub elasticities: Elasticities,
}

impl Scenario {
    /// A scenario of `shocks` with default elasticities.
    pub fn new(shocks: Vec<Shock>) -> Self {
        Scenario {
            name: None,
            shocks,
            elasticities: Elasticities::default(),
        }
    }

    /// One line per shock, for reports.
    pub fn describe(&self) -> Vec<String> {
        self.shocks.iter().map(describe_shock).collect()
    }

    /// Check the numbers that need no graph: rates finite and >= 0, percentages finite and
    /// >= -100, values finite, elasticities in range, at least one shock.
    ///
    /// Errors: [`Error::Param`] naming the shock (`shock 2 (demand CHN)`) and the rule.
    pub fn validate(&self) -> Result<()> {
        if self.shocks.is_empty() {
            return Err(Error::param(
                "shocks",
                "",
                "the scenario has no shocks (give a tariff, a demand or supply change, or an embargo)",
            ));
        }
        self.elasticities.validate()?;
        for (k, s) in self.shocks.iter().enumerate() {
            let place = |field: &str| format!("shocks[{k}]{field}");
            let which = || format!(" (shock {}: {})", k + 1, describe_shock(s));
            let rate_ok = |r: f64| r.is_finite() && r >= 0.0;
            let pct_ok = |p: f64| p.is_finite() && p >= -100.0;
            match s {
                Shock::Tariff(t) => {
                    if !rate_ok(t.rate) || t.old.is_some_and(|o| !rate_ok(o)) {
                        let (field, v) = if rate_ok(t.rate) {
                            (".old", t.old.unwrap_or(t.rate))
                        } else {
                            (".rate", t.rate)
                        };
                        return Err(Error::param(
                            place(field),
                            v,
                            format!(
                                "tariff rates must be finite and >= 0 (0.25 = 25%){}",
                                which()
                            ),
                        ));
                    }
                    if t.importer == t.exporter {
                        return Err(Error::param(
                            place(".exporter"),
                            crate::text::clip(&t.exporter),
                            format!("importer and exporter are the same country{}", which()),
                        ));
                    }
                }
                Shock::Demand(Demand { pct, .. }) | Shock::Supply(Supply { pct, .. }) => {
                    if !pct_ok(*pct) {
                        return Err(Error::param(
                            place(".pct"),
                            pct,
                            format!("the change must be a finite percentage >= -100{}", which()),
                        ));
                    }
                }
                Shock::DemandValue(d) => {
                    if !d.value.is_finite() {
                        return Err(Error::param(
                            place(".value"),
                            d.value,
                            format!("the value must be finite{}", which()),
                        ));
                    }
                }
                Shock::TradeCost(c) => {
                    if !(c.factor.is_finite() && c.factor > 0.0) {
                        return Err(Error::param(
                            place(".factor"),
                            c.factor,
                            format!("the factor must be a finite number above 0{}", which()),
                        ));
                    }
                    if c.importer == c.exporter {
                        return Err(Error::param(
                            place(".exporter"),
                            crate::text::clip(&c.exporter),
                            format!("importer and exporter are the same country{}", which()),
                        ));
                    }
                }
                Shock::Embargo(e) => {
                    if e.from == e.to {
                        return Err(Error::param(
                            place(".to"),
                            crate::text::clip(&e.to),
                            format!("an embargo needs two different countries{}", which()),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The scenario as JSON (the file format above, with `format`).
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(o) = &mut v {
            o.shift_insert(0, "format".into(), Value::from(SCENARIO_FORMAT));
        }
        v
    }

    /// Read a scenario file (the format is described on [`Scenario`]). `file` names the file
    /// in messages.
    ///
    /// Errors: [`Error::Invalid`] listing every problem with its JSON path; the numbers are
    /// then checked by [`Scenario::validate`].
    ///
    /// ```
    /// use tradenet::analysis::Scenario;
    /// let s = Scenario::from_json(br#"{"shocks": [{"type": "demand", "target": "CHN", "pct": -10}]}"#, "s.json").unwrap();
    /// assert_eq!(s.shocks.len(), 1);
    /// let e = Scenario::from_json(br#"{"shocks": [{"type": "demand", "target": "CHN", "pct": "-10%"}]}"#, "s.json").unwrap_err();
    /// assert!(e.to_string().contains("shocks[0].pct: expected a number"));
    /// ```
    pub fn from_json(bytes: &[u8], file: &str) -> Result<Scenario> {
        let s = super::scenario_file::read(bytes, file)?;
        s.validate()?;
        Ok(s)
    }
}

/// A number for messages and report lines: rounded to 12 significant digits (no float noise
/// such as `6.1000000000000005`), in plain digits from 1e-6 to below 1e15 and in exponent form
/// beyond (`1e300`, never hundreds of digits).
///
/// ```
/// use tradenet::analysis::number_text;
/// assert_eq!(number_text(0.061 * 100.0), "6.1");
/// assert_eq!(number_text(2.5e9), "2500000000");
/// assert_eq!(number_text(1e300), "1e300");
/// assert_eq!(number_text(-1.5e-7), "-1.5e-7");
/// ```
pub fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    // `+ 0.0` turns -0 into 0.
    let r = format!("{v:.11e}").parse::<f64>().unwrap_or(v) + 0.0;
    let a = r.abs();
    if a != 0.0 && !(1e-6..1e15).contains(&a) {
        format!("{r:e}")
    } else {
        format!("{r}")
    }
}

/// A rate as a percentage for messages and report lines ([`number_text`] of 100 times it):
/// 0.25 is `25%`, 0.061 `6.1%`, a tariff of 1e300% is `1e300%`.
///
/// ```
/// use tradenet::analysis::percent_text;
/// assert_eq!(percent_text(0.25), "25%");
/// assert_eq!(percent_text(1e298), "1e300%");
/// ```
pub fn percent_text(rate: f64) -> String {
    format!("{}%", number_text(rate * 100.0))
}

/// [`number_text`] with a sign: `+5`, `-10`, `+0`.
fn signed_text(v: f64) -> String {
    let s = number_text(v);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

fn describe_shock(s: &Shock) -> String {
    let sec = |s: &Option<String>| {
        s.as_ref()
            .map(|s| format!(", sector {s}"))
            .unwrap_or_else(|| ", every sector".into())
    };
    match s {
        Shock::Tariff(t) => format!(
            "tariff: {} on {}{}, {} -> {}",
            t.importer,
            t.exporter,
            match t.sector.as_deref().map(str::trim) {
                None | Some("goods") => ", goods sectors".to_string(),
                Some("all") => ", every sector (goods and services)".to_string(),
                Some(x) if x.contains(',') || x.contains('-') => format!(", sectors {x}"),
                Some(x) => format!(", sector {x}"),
            },
            t.old.map_or("old rate from the data".into(), percent_text),
            percent_text(t.rate)
        ),
        Shock::Demand(d) => format!("demand: {} {}%", d.target, signed_text(d.pct)),
        Shock::DemandValue(d) => format!("demand: {} {} (value)", d.node, signed_text(d.value)),
        Shock::Supply(d) => format!("supply: {} {}%", d.node, signed_text(d.pct)),
        Shock::Embargo(e) => format!("embargo: {} -> {}{}", e.from, e.to, sec(&e.sector)),
        Shock::TradeCost(c) => format!(
            "trade cost: {} on goods from {}{}, times {}",
            c.importer,
            c.exporter,
            sec(&c.sector),
            number_text(c.factor)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::*;
    use super::*;

    #[test]
    fn specs() {
        let t = parse_tariff("USA:CAN=7.5%").unwrap();
        assert_eq!(t.sector, None);
        assert!((t.rate - 0.075).abs() < 1e-15);
        let e = parse_tariff("USA-CAN=25%").unwrap_err().to_string();
        assert!(e.starts_with("tariff = USA-CAN=25%: expected"), "{e}");
        assert!(parse_tariff("USA:CAN:c15=abc%").is_err());
        assert!(parse_tariff("USA:CAN:c15=-5%").is_err());
        let d = parse_demand("CHN:c14=-10%").unwrap();
        assert_eq!((d.target.as_str(), d.pct), ("CHN:c14", -10.0));
        assert!(parse_demand("CHN=-110%").is_err());
        assert!(parse_supply("=5%").is_err());
        let em = parse_embargo("KOR:JPN:c12").unwrap();
        assert_eq!(em.sector.as_deref(), Some("c12"));
        assert!(parse_embargo("KOR").is_err());
    }

    #[test]
    fn file_round_trip_and_serde_agree() {
        let text = br#"{"name": "x", "shocks": [
            {"type": "tariff", "importer": "USA", "exporter": "CAN", "sector": "c15", "rate": 0.25, "old": 0.01},
            {"type": "demand", "target": "CHN", "pct": -10},
            {"type": "demand_value", "node": "USA:c1", "value": 5.0},
            {"type": "supply", "node": "JPN:c14", "pct": -20},
            {"type": "embargo", "from": "KOR", "to": "JPN"}],
            "elasticities": {"substitution": 2.0, "sectors": {"c15": {"import_demand": -1.5}}}}"#;
        let s = Scenario::from_json(text, "s.json").unwrap();
        let via_serde: Scenario = serde_json::from_slice(text).unwrap();
        assert_eq!(s, via_serde);
        let again = Scenario::from_json(s.to_json().to_string().as_bytes(), "t.json").unwrap();
        assert_eq!(s, again);
        assert_eq!(s.elasticities.for_sector(Some("c15")), (-1.5, 2.0));
        assert_eq!(s.elasticities.for_sector(Some("c1")), (-1.0, 2.0));
    }

    #[test]
    fn file_problems_have_paths() {
        let text = br#"{"shocks": [{"type": "tariff", "importer": "USA", "exportr": "CAN", "rate": "25%"},
                                   {"type": "tarif"}], "elasticities": {"sectors": {"c15": {"sigma": 2}}}, "extra": 1}"#;
        let e = Scenario::from_json(text, "s.json").unwrap_err().to_string();
        for want in [
            "shocks[0].exporter: missing",
            "shocks[0].rate: expected a number, got \"25%\"",
            "shocks[0].exportr: unknown key",
            "shocks[1].type: unknown shock type 'tarif'",
            "elasticities.sectors.c15.sigma: unknown key",
            "extra: unknown key",
        ] {
            assert!(e.contains(want), "missing {want:?} in:\n{e}");
        }
    }
}
