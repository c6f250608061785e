//! Two saved shock results side by side: the 25% tariff on all goods against the tariff on
//! transport equipment alone, Leontief against Ghosh, one elasticity against another. Each
//! country and node: its change in A, in B, and B minus A.
//!
//! The results are read back from `tradenet shock --format json` (FORMAT.md §3): the baselines
//! must agree (both runs on the same graph), so that the changes are comparable.

use super::results::{GroupEffect, NodeEffect};
use super::Scenario;
use crate::error::{Error, Problem, Result};
use crate::text::clip;
use serde::{Deserialize, Serialize};

/// A shock result as `tradenet shock --format json` writes it (the parts compared).
#[derive(Debug, Clone, Deserialize)]
pub struct SavedShock {
    /// The propagation model (`leontief`, `ghosh`, `debtrank`).
    pub model: String,
    /// The scenario, one line per shock.
    #[serde(deserialize_with = "scenario_lines")]
    pub scenario: Vec<String>,
    /// Every node.
    pub nodes: Vec<NodeEffect>,
    /// Every country.
    pub countries: Vec<GroupEffect>,
}

fn scenario_lines<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let mut v = serde_json::Value::deserialize(d)?;
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
    /// Errors ([`Error::Invalid`]): not JSON, or not a ripple-model shock result (a GE
    /// result has no node baselines to compare).
    pub fn from_json(bytes: &[u8], file: &str) -> Result<SavedShock> {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::invalid(
                file,
                Problem::new(format!("line {}", e.line()), format!("not a saved shock result: {e}"))
                    .hint("save one with `tradenet shock ... --format json -o FILE` (ripple models; GE results have no node baselines), or give a scenario file (`{\"shocks\": [...]}`) to run"),
            )
        })
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
                "A has {} {what}s and B {}: the two results are of different graphs",
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
