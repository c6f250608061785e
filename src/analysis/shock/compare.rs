//! Two saved shock results side by side: the 25% tariff on all goods against the tariff on
//! transport equipment alone, Leontief against Ghosh, one elasticity against another, the
//! partial effect against general equilibrium. Each country and node: its change in A, in B,
//! and B minus A.
//!
//! The results are read back from `tradenet shock --format json` (FORMAT.md §3) or `tradenet
//! shock --model ge --format json` (Caliendo-Parro: the gross output of every node in the
//! baseline and counterfactual solves; a country is the sum of its nodes): the baselines must
//! agree (both runs on the same graph), so that the changes are comparable.

use super::Scenario;
use crate::error::{Error, Problem, Result};
use crate::text::clip;
use serde::{Deserialize, Serialize};

/// A shock result as `tradenet shock --format json` (or `--model ge`) writes it: the parts
/// compared.
#[derive(Debug, Clone)]
pub struct SavedShock {
    /// The model (`leontief`, `ghosh`, `debtrank`, `ge (caliendo-parro)`).
    pub model: String,
    /// The scenario, one line per shock.
    pub scenario: Vec<String>,
    /// Every node.
    pub nodes: Vec<SavedChange>,
    /// Every country.
    pub countries: Vec<SavedChange>,
}

/// A node's or country's baseline and change in a saved result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedChange {
    /// Node or country id.
    pub id: String,
    /// Its baseline (gross output).
    pub baseline: f64,
    /// Its change.
    pub delta: f64,
}

/// The JSON as written, before a GE result's countries are made from its nodes.
#[derive(Deserialize)]
struct Written {
    model: String,
    method: Option<String>,
    #[serde(deserialize_with = "scenario_lines")]
    scenario: Vec<String>,
    nodes: Vec<WrittenNode>,
    countries: serde_json::Value,
}

#[derive(Deserialize)]
struct WrittenNode {
    id: String,
    baseline: f64,
    delta: f64,
    country: Option<String>,
}

fn scenario_lines<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let mut v = serde_json::Value::deserialize(d)?;
    // A GE result lists the scenario's lines as they are.
    if let Some(lines) = v.as_array() {
        return lines
            .iter()
            .map(|l| {
                l.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| serde::de::Error::custom("a scenario line is not text"))
            })
            .collect();
    }
    // What the shock output adds to the scenario file's keys.
    if let Some(o) = v.as_object_mut() {
        o.remove("default");
        o.remove("assumptions");
    }
    let bytes = serde_json::to_vec(&v).map_err(serde::de::Error::custom)?;
    Scenario::from_json(&bytes, "scenario")
        .map(|s| s.describe())
        .map_err(serde::de::Error::custom)
}

impl SavedShock {
    /// Read the JSON of a shock run; `file` names it in errors.
    ///
    /// Errors ([`Error::Invalid`]): not JSON, or not a shock result with node baselines (a
    /// structural-gravity result has none).
    pub fn from_json(bytes: &[u8], file: &str) -> Result<SavedShock> {
        let bad = |line: usize, e: String| {
            Error::invalid(
                file,
                Problem::new(format!("line {line}"), format!("not a saved shock result: {e}"))
                    .hint("save one with `tradenet shock ... --format json -o FILE` (ripple models or --model ge on an input-output graph), or give a scenario file (`{\"shocks\": [...]}`) to run"),
            )
        };
        let w: Written = serde_json::from_slice(bytes).map_err(|e| bad(e.line(), e.to_string()))?;
        if w.model == "ge" {
            // Countries: the sums of their nodes, in the order they first appear.
            let mut countries: Vec<SavedChange> = Vec::new();
            for n in &w.nodes {
                let Some(c) = &n.country else {
                    return Err(bad(1, format!("GE node '{}' has no country", clip(&n.id))));
                };
                match countries.iter_mut().find(|x| &x.id == c) {
                    Some(x) => {
                        x.baseline += n.baseline;
                        x.delta += n.delta;
                    }
                    None => countries.push(SavedChange {
                        id: c.clone(),
                        baseline: n.baseline,
                        delta: n.delta,
                    }),
                }
            }
            let model = match &w.method {
                Some(m) => format!("ge ({m})"),
                None => "ge".into(),
            };
            return Ok(SavedShock {
                model,
                scenario: w.scenario,
                nodes: w.nodes.into_iter().map(change).collect(),
                countries,
            });
        }
        let countries: Vec<SavedChange> =
            serde_json::from_value(w.countries).map_err(|e| bad(1, format!("countries: {e}")))?;
        Ok(SavedShock {
            model: w.model,
            scenario: w.scenario,
            nodes: w.nodes.into_iter().map(change).collect(),
            countries,
        })
    }
}

fn change(n: WrittenNode) -> SavedChange {
    SavedChange {
        id: n.id,
        baseline: n.baseline,
        delta: n.delta,
    }
}

/// What [`compare`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompareParams {
    /// The most relative difference of a baseline between A and B: more means two graphs.
    pub baseline_tol: f64,
}

impl Default for CompareParams {
    fn default() -> Self {
        CompareParams { baseline_tol: 1e-9 }
    }
}

impl CompareParams {
    /// Errors ([`Error::Param`]): a tolerance that is not a finite number >= 0.
    pub fn validate(&self) -> Result<()> {
        match self.baseline_tol {
            t if t.is_finite() && t >= 0.0 => Ok(()),
            t => Err(Error::param(
                "baseline_tol",
                t,
                "must be a finite number >= 0",
            )),
        }
    }
}

/// One country or node in both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// Country or node id.
    pub id: String,
    /// The baseline (the same in both).
    pub baseline: f64,
    /// The change in A.
    pub delta_a: f64,
    /// The change in B.
    pub delta_b: f64,
    /// `delta_b - delta_a`.
    pub difference: f64,
    /// The changes in percent of the baseline (`None` for a zero baseline).
    pub delta_pct_a: Option<f64>,
    /// The same for B.
    pub delta_pct_b: Option<f64>,
}

/// A and B side by side, largest |B - A| first (ties by id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The models of A and B.
    pub models: [String; 2],
    /// The scenarios of A and B.
    pub scenarios: [Vec<String>; 2],
    /// By country.
    pub countries: Vec<Difference>,
    /// By node.
    pub nodes: Vec<Difference>,
}

/// Compare two saved shock results country by country and node by node.
///
/// Errors ([`Error::Unsuited`]): the two do not list the same nodes and countries, or a
/// baseline differs by more than `p.baseline_tol` (runs on different graphs).
///
/// ```
/// use tradenet::analysis::{compare, CompareParams, SavedShock};
/// let run = |delta: f64| format!(r#"{{"model": "leontief",
///   "scenario": {{"format": "tradenet-scenario/1", "shocks": [{{"type": "demand", "target": "CAN:C29", "pct": {delta}}}]}},
///   "nodes": [{{"id": "CAN:C29", "baseline": 100.0, "delta": {delta}, "delta_pct": {delta}, "country": "CAN",
///     "sector": "C29", "direct": {delta}, "indirect": 0.0, "via_losses": 0.0, "via_gains": 0.0}}],
///   "countries": [{{"id": "CAN", "baseline": 100.0, "delta": {delta}, "delta_pct": {delta}, "direct": {delta},
///     "indirect": 0.0, "via_losses": 0.0, "via_gains": 0.0, "nodes": 1}}]}}"#);
/// let a = SavedShock::from_json(run(-10.0).as_bytes(), "a.json").unwrap();
/// let b = SavedShock::from_json(run(-4.0).as_bytes(), "b.json").unwrap();
/// let c = compare(&a, &b, &CompareParams::default()).unwrap();
/// assert_eq!(c.countries[0].difference, 6.0);
/// ```
pub fn compare(a: &SavedShock, b: &SavedShock, p: &CompareParams) -> Result<Comparison> {
    fn nodes(s: &SavedShock) -> Vec<(&str, f64, f64)> {
        s.nodes
            .iter()
            .map(|n| (n.id.as_str(), n.baseline, n.delta))
            .collect()
    }
    fn countries(s: &SavedShock) -> Vec<(&str, f64, f64)> {
        s.countries
            .iter()
            .map(|c| (c.id.as_str(), c.baseline, c.delta))
            .collect()
    }
    p.validate()?;
    let rows = |what: &str, xa: Vec<(&str, f64, f64)>, xb: Vec<(&str, f64, f64)>| {
        let index: std::collections::HashMap<&str, (f64, f64)> =
            xb.iter().map(|&(id, base, d)| (id, (base, d))).collect();
        if xa.len() != xb.len() {
            return Err(Error::Unsuited(format!(
                "A has {} {what} rows and B {}: the two results are of different graphs",
                xa.len(),
                xb.len()
            )));
        }
        let mut out = Vec::with_capacity(xa.len());
        for (id, base, da) in xa {
            let Some(&(base_b, db)) = index.get(id) else {
                return Err(Error::Unsuited(format!(
                    "{what} '{}' is in A but not in B: the two results are of different graphs",
                    clip(id)
                )));
            };
            if (base - base_b).abs() > p.baseline_tol * base.abs().max(base_b.abs()) {
                return Err(Error::Unsuited(format!(
                    "{what} '{}' has baseline {base} in A and {base_b} in B: the two results are of different graphs (or views)",
                    clip(id)
                )));
            }
            out.push(Difference {
                id: id.to_string(),
                baseline: base,
                delta_a: da,
                delta_b: db,
                difference: db - da,
                delta_pct_a: super::percent(da, base),
                delta_pct_b: super::percent(db, base),
            });
        }
        out.sort_by(|x, y| {
            y.difference
                .abs()
                .total_cmp(&x.difference.abs())
                .then_with(|| x.id.cmp(&y.id))
        });
        Ok(out)
    };
    Ok(Comparison {
        models: [a.model.clone(), b.model.clone()],
        scenarios: [a.scenario.clone(), b.scenario.clone()],
        countries: rows("country", countries(a), countries(b))?,
        nodes: rows("node", nodes(a), nodes(b))?,
    })
}
