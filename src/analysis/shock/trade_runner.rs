//! The trade-graph runner of [`shock`](super::shock): DebtRank on the flows.

use super::debtrank::{channel_base, debtrank, Channel, DebtRankParams};
use super::direct::{check_names, resolve_target, trade_direct};
use super::results::{group_by, percent, Model, NodeEffect, RoundEffect, ShockResult};
use super::scenario::{Scenario, Shock};
use super::ShockParams;
use crate::error::Result;
use crate::model::{Csr, FlowFilter, NodeIx, TradeGraph};

/// Run a scenario by DebtRank on the flows of `g` (any graph; parties are nodes). Each node's
/// direct change of its base (exports for the export channel, imports for the import
/// channel) comes from tariffs (SMART), embargoes, and percentage changes (pct/100 * base);
/// a loss gives the initial distress h(0) = min(1, loss / base). See [`shock`](super::shock)
/// and [`debtrank`](super::debtrank()). Complexity O(m) to build the CSR plus
/// O(rounds * (n + m)).
///
/// ```
/// use tradenet::analysis::{parse_tariff, shock_trade, Scenario, Shock, ShockParams};
/// let g = tradenet::bundled::default_graph().unwrap().countries();
/// let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN=25%").unwrap())]);
/// let r = shock_trade(&g, &s, &ShockParams::default()).unwrap();
/// assert_eq!(r.model.as_str(), "debtrank");
/// assert!(r.node("CAN").unwrap().delta < 0.0);
/// ```
pub fn shock_trade(g: &TradeGraph, s: &Scenario, p: &ShockParams) -> Result<ShockResult> {
    Ok(shock_trade_kept(g, s, p, false)?.0)
}

/// [`shock_trade`], with every node's cumulative change after each DebtRank round when
/// `keep`: direct gain - h(k) * base (round 0: the direct effect; the last: the total).
pub(super) fn shock_trade_kept(
    g: &TradeGraph,
    s: &Scenario,
    p: &ShockParams,
    keep: bool,
) -> Result<(ShockResult, Option<Vec<Vec<f64>>>)> {
    s.validate()?;
    check_names(g, s)?;
    let n = g.node_count();
    let csr = Csr::from_graph(
        g,
        &FlowFilter {
            drop_self_loops: true,
            ..Default::default()
        },
    );
    let base = channel_base(&csr, p.channel);
    let d = trade_direct(g, s)?;
    let mut notes = d.notes.clone();
    let mut change = match p.channel {
        Channel::Export => d.sales.clone(),
        Channel::Import => d.purchases.clone(),
    };
    for shock in &s.shocks {
        let (nodes, pct) = match shock {
            Shock::Demand(x) => (resolve_target(g, &x.target)?, x.pct),
            Shock::Supply(x) => (vec![g.require_node(&x.node)?], x.pct),
            Shock::DemandValue(x) => {
                change[g.require_node(&x.node)?.index()] += x.value;
                continue;
            }
            _ => continue,
        };
        for i in nodes {
            change[i.index()] += pct / 100.0 * base[i.index()];
        }
    }
    if change.iter().any(|&c| c > 0.0) {
        notes.push(
            "DebtRank spreads losses only: gains (trade diversion, demand increases) are kept as direct effects and do not propagate".into(),
        );
    }
    let mut h0 = vec![0.0; n];
    for i in 0..n {
        if change[i] < 0.0 {
            if base[i] > 0.0 {
                h0[i] = (-change[i] / base[i]).min(1.0);
            } else {
                notes.push(format!(
                    "{}: a loss but no {} to lose from; ignored",
                    g.node(NodeIx::new(i)).id,
                    if p.channel == Channel::Export {
                        "exports"
                    } else {
                        "imports"
                    }
                ));
            }
        }
    }
    let mut dr = debtrank(
        &csr,
        &h0,
        &DebtRankParams {
            channel: p.channel,
            history: p.history || keep,
        },
    )?;
    let by_round = keep.then(|| {
        let gain: Vec<f64> = change.iter().map(|c| c.max(0.0)).collect();
        let hist = dr.history.as_deref().unwrap_or_default();
        hist.iter()
            .map(|h| (0..n).map(|i| gain[i] - h[i] * base[i]).collect())
            .collect::<Vec<Vec<f64>>>()
    });
    if !p.history {
        dr.history = None;
    }
    let nodes: Vec<NodeEffect> = (0..n)
        .map(|i| {
            let ix = NodeIx::new(i);
            let node = g.node(ix);
            let gain = change[i].max(0.0);
            let direct = gain - dr.h0[i] * base[i];
            let indirect = -(dr.h[i] - dr.h0[i]) * base[i];
            let delta = direct + indirect;
            NodeEffect {
                node: ix,
                id: node.id.to_string(),
                country: node.country_id().to_string(),
                sector: node.sector.map(|s| g.sector(s).id.clone()),
                baseline: base[i],
                delta,
                delta_pct: percent(delta, base[i]),
                direct,
                indirect,
                via_losses: indirect,
                via_gains: 0.0,
                h0: Some(dr.h0[i]),
                h: Some(dr.h[i]),
            }
        })
        .collect();
    let mut rounds = Vec::with_capacity(dr.rounds.len());
    let mut cumulative = 0.0;
    for r in &dr.rounds {
        let delta = if r.round == 0 {
            nodes.iter().map(|x| x.direct).sum()
        } else {
            -r.value_lost
        };
        cumulative += delta;
        rounds.push(RoundEffect {
            round: r.round,
            delta,
            cumulative,
            l1: if r.round == 0 {
                nodes.iter().map(|x| x.direct.abs()).sum()
            } else {
                r.value_lost.abs()
            },
            share: None,
            newly_distressed: Some(r.newly_distressed),
            loss: Some(r.loss),
            top: None,
        });
    }
    let result = ShockResult {
        model: Model::DebtRank(p.channel),
        params: p.clone(),
        countries: group_by(g, &nodes, |n| Some(n.country.as_str())),
        sectors: group_by(g, &nodes, |n| n.sector.as_deref()),
        nodes,
        rounds,
        flows: d.flows,
        tariffs: d.tariffs,
        checks: Vec::new(),
        debtrank: Some(dr),
        notes,
    }
    .finish()?;
    Ok((result, by_round))
}
