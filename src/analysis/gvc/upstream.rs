//! Upstreamness and downstreamness (Antras, Chor, Fally and Hillberry 2012; Antras and Chor
//! 2013, 2018), per node:
//! - upstreamness U = (I - Delta)^-1 1 with Delta_ij = Z_ij / (x_i - N_i): 1 for a node that
//!   sells only to final use, larger the more stages its output passes before final use;
//! - downstreamness D = 1' (I - A~)^-1 with A~_ij = Z_ij (x_i / (x_i - N_i)) / x_j: the column
//!   sums of the (corrected) Leontief inverse, 1 for a node that buys no inputs.
//!
//! N_i is the node's net inventory change (the `inventories` final-demand category summed over
//! destinations): the correction scales node i's sales by x_i / (x_i - N_i), so that output
//! added to stocks is not counted as final use (Antras and Chor 2018, section 3). Without the
//! categories N = 0 and no correction is made; the result says which.
//!
//! Both are computed as series (U = 1 + Delta 1 + Delta^2 1 + ..., likewise for D) on the sparse
//! flows, to a relative change below 1e-13; a series that does not shrink is an error. Nodes
//! with zero output (or x_i - N_i <= 0) take no part and have no value.

use crate::error::{Error, Result};
use crate::model::{GraphKind, TradeGraph};
use crate::text::clip;
use serde::Serialize;
use std::collections::BTreeMap;

/// One node's position in the value chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Position {
    /// Node id.
    pub id: String,
    /// Upstreamness (distance from final use); `None` for a node without output.
    pub upstreamness: Option<f64>,
    /// Downstreamness (distance from primary inputs); `None` for a node without output.
    pub downstreamness: Option<f64>,
}

/// The result of [`upstreamness`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Upstreamness {
    /// Whether the net-inventory correction was made (inventories were given).
    pub inventory_correction: bool,
    /// Nodes in graph order.
    pub nodes: Vec<Position>,
    /// Terms of the two series.
    pub iterations: [usize; 2],
}

const TOL: f64 = 1e-13;
const MAX_ITER: usize = 100_000;

/// What [`upstreamness`] corrects for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpstreamParams {
    /// Each node's net inventory change N_i (node id -> value), or `None` (the default) for
    /// no correction.
    pub inventories: Option<BTreeMap<String, f64>>,
}

impl UpstreamParams {
    /// Errors ([`Error::Param`] `inventories[ID]`): an inventory that is not finite. Whether
    /// each id is a node is checked against the graph.
    pub fn validate(&self) -> Result<()> {
        for (id, v) in self.inventories.iter().flatten() {
            if !v.is_finite() {
                return Err(Error::param(
                    format!("inventories[{}]", clip(id)),
                    v,
                    "must be a finite number",
                ));
            }
        }
        Ok(())
    }
}

/// Upstreamness and downstreamness of every node of an input-output graph, corrected for net
/// inventory changes when `p.inventories` gives them.
///
/// ```
/// use tradenet::analysis::gvc::upstreamness;
/// use tradenet::io::iocsv::read_files;
/// // Two countries, one industry each.
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let u = upstreamness(&g, &Default::default()).unwrap();
/// // Every node is at least one stage from final use.
/// assert!(u.nodes.iter().all(|p| p.upstreamness.unwrap() >= 1.0));
/// assert!(!u.inventory_correction);
/// ```
///
/// Errors: not an input-output graph, a node without output ([`Error::Unsuited`]); an
/// inventory for an unknown node or one that is not finite ([`Error::Param`] `inventories`). [`Error::NotConverged`]: a series
/// that does not shrink (a node that sells more as inputs than its output less inventories).
/// Complexity O(k m) for k terms.
pub fn upstreamness(g: &TradeGraph, p: &UpstreamParams) -> Result<Upstreamness> {
    p.validate()?;
    let inventories = p.inventories.as_ref();
    if g.kind() != GraphKind::InputOutput {
        return Err(Error::Unsuited(
            "upstreamness needs an input-output graph (country-sector nodes with output)".into(),
        ));
    }
    let n = g.node_count();
    let mut x = Vec::with_capacity(n);
    for node in g.nodes() {
        x.push(node.output().ok_or_else(|| {
            Error::Unsuited(format!(
                "node '{}' has no output (gross output): upstreamness needs it on every node",
                clip(&node.id)
            ))
        })?);
    }
    let mut inv = vec![0.0; n];
    if let Some(m) = inventories {
        for (id, v) in m {
            let ix = g.node_index(id).ok_or_else(|| {
                Error::param(
                    "inventories",
                    "",
                    format!(
                        "gives inventories for '{}', which is not a node of the graph",
                        clip(id)
                    ),
                )
            })?;
            inv[ix.index()] = *v;
        }
    }
    let active: Vec<bool> = (0..n).map(|i| x[i] > 0.0 && x[i] - inv[i] > 0.0).collect();
    let flows: Vec<(usize, usize, f64)> = g
        .flows()
        .map(|(i, j, f)| (i.index(), j.index(), f.value))
        .filter(|&(i, j, _)| active[i] && active[j])
        .collect();
    let den: Vec<f64> = (0..n).map(|i| x[i] - inv[i]).collect();
    // The coefficients once: Delta_ij = z_ij / den_i and A~_ij = z_ij x_i / (den_i x_j).
    let delta: Vec<(u32, u32, f64, f64)> = flows
        .iter()
        .map(|&(i, j, z)| (i as u32, j as u32, z / den[i], z * x[i] / (den[i] * x[j])))
        .collect();
    // U = 1 + Delta U.
    let (u, ku) = series(n, &active, |cur, next| {
        for &(i, j, d, _) in &delta {
            next[i as usize] += d * cur[j as usize];
        }
    })
    .map_err(|k| not_converged("upstreamness", k))?;
    // D' = 1' + D' A~.
    let (d, kd) = series(n, &active, |cur, next| {
        for &(i, j, _, a) in &delta {
            next[j as usize] += cur[i as usize] * a;
        }
    })
    .map_err(|k| not_converged("downstreamness", k))?;
    let nodes = g
        .nodes()
        .enumerate()
        .map(|(i, node)| Position {
            id: node.id.to_string(),
            upstreamness: active[i].then_some(u[i]),
            downstreamness: active[i].then_some(d[i]),
        })
        .collect();
    Ok(Upstreamness {
        inventory_correction: inventories.is_some(),
        nodes,
        iterations: [ku, kd],
    })
}

fn not_converged(what: &str, k: usize) -> Error {
    Error::NotConverged {
        measure: what.into(),
        iterations: k,
        tol: TOL,
        hint: Some("a node sells more as intermediate inputs than its output less inventories, so the series does not shrink; check the node's output and inventories".into()),
    }
}

/// v = 1 + M v by the series 1 + M 1 + M^2 1 + ...; `step(cur, next)` adds M cur to next.
fn series(
    n: usize,
    active: &[bool],
    step: impl Fn(&[f64], &mut [f64]),
) -> std::result::Result<(Vec<f64>, usize), usize> {
    let ones: Vec<f64> = (0..n).map(|i| if active[i] { 1.0 } else { 0.0 }).collect();
    let mut total = ones.clone();
    let mut term = ones;
    for k in 1..MAX_ITER {
        let mut next = vec![0.0; n];
        step(&term, &mut next);
        let size: f64 = next.iter().map(|v| v.abs()).sum();
        for (t, v) in total.iter_mut().zip(&next) {
            *t += v;
        }
        let scale: f64 = total.iter().map(|v| v.abs()).sum();
        if !size.is_finite() {
            return Err(k);
        }
        term = next;
        if size <= TOL * scale {
            return Ok((total, k));
        }
    }
    Err(MAX_ITER)
}
