//! A shock's ripple node by node: every node's cumulative change after each round of the
//! propagation (Leontief and Ghosh tiers, or DebtRank rounds), for pictures of the ripple
//! round by round (`tradenet draw --rounds`).

use super::results::{percent, ShockResult};
use super::{Scenario, ShockParams};
use crate::error::{Error, Result};
use crate::model::TradeGraph;

/// The result of [`ripple`]: the shock's result and each node's change round by round.
#[derive(Debug, Clone)]
pub struct Ripple {
    /// The whole result, as [`shock`](super::shock) returns it.
    pub result: ShockResult,
    /// `cumulative[k][i]`: the change of node `i` (graph order, in the unit of
    /// [`NodeEffect::delta`](super::NodeEffect)) through round `k`, cumulative: round 0 is the
    /// direct effect (each node's `direct`), round k adds the k-th tier of suppliers
    /// (Leontief), of buyers (Ghosh) or DebtRank's k-th round, and the last round is the total
    /// (each node's `delta`).
    pub cumulative: Vec<Vec<f64>>,
}

impl Ripple {
    /// The number of rounds, round 0 included.
    pub fn rounds(&self) -> usize {
        self.cumulative.len()
    }

    /// Each node's change through round `k` in percent of its baseline ([`percent`]; `None`
    /// for a zero baseline). Panics when `k >= self.rounds()`.
    pub fn percent(&self, k: usize) -> Vec<Option<f64>> {
        self.cumulative[k]
            .iter()
            .zip(&self.result.nodes)
            .map(|(d, n)| percent(*d, n.baseline))
            .collect()
    }

    /// The share of the total change reached through round `k`: 1 - |total - cumulative(k)|_1
    /// / |total|_1 over the nodes (1 when nothing changes).
    pub fn reached(&self, k: usize) -> f64 {
        let last = self.cumulative.last().map_or(&[][..], Vec::as_slice);
        let all: f64 = last.iter().map(|v| v.abs()).sum();
        if all == 0.0 {
            return 1.0;
        }
        let left: f64 = self.cumulative[k]
            .iter()
            .zip(last)
            .map(|(a, b)| (b - a).abs())
            .sum();
        1.0 - left / all
    }

    /// The first round through which at least `share` (0-1) of the total change is reached
    /// ([`Ripple::reached`]): the rounds worth showing.
    ///
    /// Errors: a `share` outside [0, 1] ([`Error::Param`]).
    pub fn rounds_to(&self, share: f64) -> Result<usize> {
        if !(0.0..=1.0).contains(&share) {
            return Err(Error::param("share", share, "must be a number from 0 to 1"));
        }
        let last = self.rounds().saturating_sub(1);
        Ok((0..self.rounds())
            .find(|&k| self.reached(k) >= share)
            .unwrap_or(last))
    }
}

/// Run a scenario as [`shock`](super::shock) does, keeping every node's cumulative change
/// after each round of the ripple ([`Ripple::cumulative`]): round 0 is the direct effect, the
/// last round the total. The model is the one `shock` chooses (Leontief and Ghosh on an
/// input-output graph, DebtRank otherwise).
///
/// Errors: as [`shock`](super::shock). Complexity: as `shock`, plus O(rounds * n) memory for
/// the rounds kept.
///
/// ```
/// use tradenet::analysis::{parse_tariff, ripple, Scenario, Shock, ShockParams};
/// let g = tradenet::bundled::default_graph().unwrap();
/// let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN:C29=25%").unwrap())]);
/// let r = ripple(&g, &s, &ShockParams::default()).unwrap();
/// let can = g.node_index("CAN:C29").unwrap().index();
/// // Round 0 is the direct effect, the last round the total change.
/// assert_eq!(r.cumulative[0][can], r.result.nodes[can].direct);
/// assert_eq!(r.cumulative.last().unwrap()[can], r.result.nodes[can].delta);
/// assert!(r.rounds_to(0.99).unwrap() < r.rounds());
/// ```
pub fn ripple(g: &TradeGraph, s: &Scenario, p: &ShockParams) -> Result<Ripple> {
    let (result, cumulative) = super::run(g, s, p, true)?;
    let cumulative = cumulative.unwrap_or_default();
    if let Some((k, i)) = cumulative
        .iter()
        .enumerate()
        .find_map(|(k, v)| v.iter().position(|x| !x.is_finite()).map(|i| (k, i)))
    {
        return Err(Error::Numeric(format!(
            "the shock overflows: node {}'s change through round {k} is not a finite number; give the values in a larger unit or a smaller shock",
            crate::text::clip(&result.nodes[i].id)
        )));
    }
    Ok(Ripple { result, cumulative })
}
