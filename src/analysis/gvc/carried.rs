//! Whose value added a set of sales carries: for sales w by node (a tariffed flow's value,
//! by the selling node), the value added created in node i to make them is vc_i (B w)_i, with
//! B = (I - A)^-1 and vc = value added / output (MODELS.md §6: the columns of V B sum to 1, so
//! the origins add up to the sales). One Leontief series on the sparse system: no inverse.

use crate::analysis::shock::{IoSystem, RoundParams};
use crate::error::{Error, Result};
use crate::model::TradeGraph;
use serde::Serialize;

/// Value added of one origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// Country id, or node id in [`Carried::nodes`].
    pub id: String,
    /// Value added carried.
    pub value: f64,
    /// Share of the sales' total value added.
    pub share: f64,
}

/// The value added in a set of sales, by origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Carried {
    /// The sales traced (sum of w).
    pub sales: f64,
    /// Their value added (sum over origins; equals `sales` when every seller's output is
    /// value added plus inputs).
    pub value_added: f64,
    /// By origin country, largest first.
    pub countries: Vec<Origin>,
    /// By origin node, largest first.
    pub nodes: Vec<Origin>,
}

/// Trace sales `w` (by node, graph order) to the value added that makes them.
///
/// ```
/// use tradenet::analysis::gvc::value_added_carried;
/// let g = tradenet::bundled::default_graph().unwrap();
/// let can29 = g.require_node("CAN:C29").unwrap().index();
/// let mut w = vec![0.0; g.node_count()];
/// w[can29] = 1.0e9; // a billion of Canadian vehicles and parts
/// let c = value_added_carried(&g, &w).unwrap();
/// assert!((c.value_added - 1.0e9).abs() < 1.0); // every dollar traced to an origin
/// assert_eq!(c.countries[0].id, "CAN");
/// ```
///
/// Errors: [`Error::Param`] for a `w` of the wrong length; [`Error::Unsuited`] for a trade
/// graph or a node without output; the series' [`Error::NotConverged`].
pub fn value_added_carried(g: &TradeGraph, w: &[f64]) -> Result<Carried> {
    if w.len() != g.node_count() {
        return Err(Error::param(
            "w",
            format!("{} entries", w.len()),
            format!(
                "the sales vector needs one entry per node ({})",
                g.node_count()
            ),
        ));
    }
    let sys = IoSystem::from_graph(g)?;
    let b_w = sys.leontief(w, &RoundParams::default())?.total;
    let x = sys.output();
    let mut inputs = vec![0.0; g.node_count()];
    for (_, to, f) in g.flows() {
        inputs[to.index()] += f.value;
    }
    let mut by_node = Vec::new();
    let mut by_country: std::collections::BTreeMap<&str, f64> = Default::default();
    for (i, node) in g.nodes().enumerate() {
        if x[i] <= 0.0 || b_w[i] == 0.0 {
            continue;
        }
        let vc = ((x[i] - inputs[i]) / x[i]).max(0.0);
        let v = vc * b_w[i];
        if v != 0.0 {
            by_node.push((node.id.to_string(), v));
            *by_country.entry(node.country_id()).or_insert(0.0) += v;
        }
    }
    let total: f64 = by_node.iter().map(|p| p.1).sum();
    let rank = |list: Vec<(String, f64)>| {
        let mut out: Vec<Origin> = list
            .into_iter()
            .map(|(id, value)| Origin {
                id,
                value,
                share: if total > 0.0 { value / total } else { 0.0 },
            })
            .collect();
        out.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id)));
        out
    };
    Ok(Carried {
        sales: w.iter().sum(),
        value_added: total,
        countries: rank(
            by_country
                .into_iter()
                .map(|(c, v)| (c.to_string(), v))
                .collect(),
        ),
        nodes: rank(by_node),
    })
}
