//! The input-output runner of [`shock`](super::shock): Leontief and Ghosh by rounds,
//! checked against a direct solve.

use super::direct::{check_names, resolve_target, trade_direct};
use super::io_model::{IoSystem, Propagation};
use super::results::{
    group_by, percent, CrossCheck, Model, Mover, NodeEffect, RoundEffect, ShockResult,
};
use super::scenario::{Scenario, Shock};
use super::ShockParams;
use crate::error::{Error, Result};
use crate::model::{NodeIx, TradeGraph};

/// Run a scenario on an input-output system `sys` built from graph `g` (same node order):
/// tariffs and embargoes and demand changes form dy (Leontief), supply changes dv (Ghosh).
/// See [`shock`](super::shock); complexity O(rounds * nnz), plus O(n^3) for the dense
/// cross-check when n <= `p.dense_check_max`.
///
/// ```
/// use tradenet::analysis::{parse_demand, shock_io, IoSystem, Scenario, Shock, ShockParams};
/// let g = tradenet::bundled::default_graph().unwrap();
/// let sys = IoSystem::from_graph(&g).unwrap();
/// let s = Scenario::new(vec![Shock::Demand(parse_demand("CHN=-10%").unwrap())]);
/// let r = shock_io(&g, &sys, &s, &ShockParams::default()).unwrap();
/// assert_eq!(r.model.as_str(), "leontief");
/// assert!(r.country("CHN").unwrap().delta < 0.0);
/// ```
pub fn shock_io(
    g: &TradeGraph,
    sys: &IoSystem,
    s: &Scenario,
    p: &ShockParams,
) -> Result<ShockResult> {
    Ok(shock_io_kept(g, sys, s, p, false)?.0)
}

/// [`shock_io`], with every node's cumulative change after each round when `keep` (the
/// rounds of Leontief and Ghosh added by index, a model that stopped earlier carrying its
/// total): the first is the direct effect, the last the total.
pub(super) fn shock_io_kept(
    g: &TradeGraph,
    sys: &IoSystem,
    s: &Scenario,
    p: &ShockParams,
    keep: bool,
) -> Result<(ShockResult, Option<Vec<Vec<f64>>>)> {
    s.validate()?;
    check_names(g, s)?;
    p.rounds.validate()?;
    let n = g.node_count();
    if sys.len() != n {
        return Err(Error::Unsuited(format!(
            "the input-output system has {} nodes, the graph {n}",
            sys.len()
        )));
    }
    let direct = trade_direct(g, s)?;
    let mut notes = direct.notes.clone();
    let (dy, dv) = shocks_of(g, sys, s, direct.sales.clone(), &mut notes)?;
    let x = sys.output();
    let run_ghosh = dv.iter().any(|&v| v != 0.0);
    let run_leontief = !run_ghosh || dy.iter().any(|&v| v != 0.0);
    let mut props: Vec<Run<'_>> = Vec::new();
    let mut kept: Vec<Vec<Vec<f64>>> = Vec::new();
    for (model, on, shock) in [("leontief", run_leontief, &dy), ("ghosh", run_ghosh, &dv)] {
        if on {
            let mut k = Vec::new();
            let prop =
                sys.propagate_kept(model == "ghosh", shock, &p.rounds, keep.then_some(&mut k))?;
            props.push((model, prop, &shock[..]));
            kept.push(k);
        }
    }
    let checks = props
        .iter()
        .map(|(model, prop, shock)| cross_check(sys, model, prop, shock, p))
        .collect::<Result<Vec<_>>>()?;
    let mut total = vec![0.0; n];
    for (_, prop, _) in &props {
        for (t, v) in total.iter_mut().zip(&prop.total) {
            *t += v;
        }
    }
    // The indirect effect of the negative entries alone (Leontief and Ghosh are linear, so
    // the rest is the positive entries'). One more run per model when both signs occur.
    let mut via_losses = vec![0.0; n];
    for (model, prop, shock) in &props {
        let neg: Vec<f64> = shock.iter().map(|&v| v.min(0.0)).collect();
        let part = if neg.iter().all(|&v| v == 0.0) {
            continue;
        } else if shock.iter().all(|&v| v <= 0.0) {
            prop.total.clone()
        } else if *model == "leontief" {
            sys.leontief(&neg, &p.rounds)?.total
        } else {
            sys.ghosh(&neg, &p.rounds)?.total
        };
        for i in 0..n {
            via_losses[i] += part[i] - neg[i];
        }
    }
    let nodes: Vec<NodeEffect> = (0..n)
        .map(|i| {
            let ix = NodeIx::new(i);
            let node = g.node(ix);
            let direct = dy[i] + dv[i];
            NodeEffect {
                node: ix,
                id: node.id.to_string(),
                country: node.country_id().to_string(),
                sector: node.sector.map(|s| g.sector(s).id.clone()),
                baseline: x[i],
                delta: total[i],
                delta_pct: percent(total[i], x[i]),
                direct,
                indirect: total[i] - direct,
                via_losses: via_losses[i],
                via_gains: total[i] - direct - via_losses[i],
                h0: None,
                h: None,
            }
        })
        .collect();
    let rounds = rounds_of(sys, &props, p.rounds.top);
    let by_round = keep.then(|| add_by_round(&kept, n));
    let result = ShockResult {
        model: Model::InputOutput {
            leontief: run_leontief,
            ghosh: run_ghosh,
        },
        params: p.clone(),
        countries: group_by(g, &nodes, |n| Some(n.country.as_str())),
        sectors: group_by(g, &nodes, |n| n.sector.as_deref()),
        nodes,
        rounds,
        flows: direct.flows,
        tariffs: direct.tariffs,
        checks,
        debtrank: None,
        notes,
    }
    .finish()?;
    Ok((result, by_round))
}

/// The models' cumulative changes added round by round (a model with fewer rounds carries
/// its last, its total): the last is the sum of the totals, in the same order of additions.
fn add_by_round(kept: &[Vec<Vec<f64>>], n: usize) -> Vec<Vec<f64>> {
    let len = kept.iter().map(Vec::len).max().unwrap_or(0);
    (0..len)
        .map(|k| {
            let mut v = vec![0.0; n];
            for m in kept {
                if let Some(r) = m.get(k).or_else(|| m.last()) {
                    for (t, x) in v.iter_mut().zip(r) {
                        *t += x;
                    }
                }
            }
            v
        })
        .collect()
}

/// A model's name, its propagation and its shock.
type Run<'a> = (&'static str, Propagation, &'a [f64]);

/// dy (the tariffs' and embargoes' change of sales `sales`, plus the demand changes) and dv
/// (the supply changes), with a note for a change that finds nothing to change.
fn shocks_of(
    g: &TradeGraph,
    sys: &IoSystem,
    s: &Scenario,
    mut dy: Vec<f64>,
    notes: &mut Vec<String>,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let n = dy.len();
    let mut dv = vec![0.0; n];
    let x = sys.output();
    let y = sys.final_demand();
    for shock in &s.shocks {
        match shock {
            Shock::Demand(d) => {
                let nodes = resolve_target(g, &d.target)?;
                let mut any = false;
                for i in nodes {
                    let v = d.pct / 100.0 * y[i.index()];
                    any |= v != 0.0;
                    dy[i.index()] += v;
                }
                if !any && d.pct != 0.0 {
                    notes.push(format!(
                        "demand {}: no final demand there, so the change is 0",
                        d.target
                    ));
                }
            }
            Shock::DemandValue(d) => dy[g.require_node(&d.node)?.index()] += d.value,
            Shock::Supply(d) => {
                let i = g.require_node(&d.node)?.index();
                dv[i] += d.pct / 100.0 * x[i];
                if x[i] == 0.0 && d.pct != 0.0 {
                    notes.push(format!(
                        "supply {}: no gross output, so the change is 0",
                        d.node
                    ));
                }
            }
            _ => {}
        }
    }
    Ok((dy, dv))
}

/// The rounds of `model` checked against a direct solve (dense LU up to
/// `p.dense_check_max` nodes) and by the residual.
fn cross_check(
    sys: &IoSystem,
    model: &'static str,
    prop: &Propagation,
    shock: &[f64],
    p: &ShockParams,
) -> Result<CrossCheck> {
    let n = sys.len();
    let (residual, direct_solve) = if model == "leontief" {
        (
            sys.leontief_residual(&prop.total, shock),
            (n <= p.dense_check_max)
                .then(|| sys.leontief_dense(shock))
                .transpose()?,
        )
    } else {
        (
            sys.ghosh_residual(&prop.total, shock),
            (n <= p.dense_check_max)
                .then(|| sys.ghosh_dense(shock))
                .transpose()?,
        )
    };
    let (max_abs, max_rel) = match direct_solve {
        Some(ds) => {
            let diff = ds
                .iter()
                .zip(&prop.total)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            let scale = ds.iter().map(|v| v.abs()).fold(0.0, f64::max);
            (
                Some(diff),
                Some(if scale > 0.0 { diff / scale } else { diff }),
            )
        }
        None => (None, None),
    };
    Ok(CrossCheck {
        model,
        rounds: prop.rounds.len(),
        shock_l1: shock.iter().map(|v| v.abs()).sum(),
        residual_l1: residual,
        max_abs_diff: max_abs,
        max_rel_diff: max_rel,
    })
}

/// The rounds of both models, added by index; each round's largest movers (at most `top`).
fn rounds_of(sys: &IoSystem, props: &[Run<'_>], top_n: usize) -> Vec<RoundEffect> {
    let len = props
        .iter()
        .map(|(_, pr, _)| pr.rounds.len())
        .max()
        .unwrap_or(0);
    let mut rounds = Vec::with_capacity(len);
    let mut cumulative = 0.0;
    for k in 0..len {
        let mut delta = 0.0;
        let mut l1 = 0.0;
        let mut top: Vec<(usize, f64)> = Vec::new();
        for (_, pr, _) in props {
            if let Some(r) = pr.rounds.get(k) {
                delta += r.sum;
                l1 += r.l1;
                for &(i, v) in &r.top {
                    match top.iter_mut().find(|(j, _)| *j == i) {
                        Some(e) => e.1 += v,
                        None => top.push((i, v)),
                    }
                }
            }
        }
        top.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        top.truncate(top_n);
        cumulative += delta;
        rounds.push(RoundEffect {
            round: k,
            delta,
            cumulative,
            l1,
            share: None,
            newly_distressed: None,
            loss: None,
            top: Some(
                top.into_iter()
                    .map(|(i, delta)| Mover {
                        id: sys.ids()[i].clone(),
                        delta,
                    })
                    .collect(),
            ),
        });
    }
    rounds
}
