//! What the interchange writers (node-link, GraphML, GEXF) add for the tools that read them:
//! the name of the value attribute, and a `distance` attribute for shortest-path measures.
//!
//! NetworkX and igraph read an edge's weight from the attribute `weight` by default
//! (`nx.pagerank(G)`, `g.pagerank(weights="weight")`), so the value is written under that name
//! unless another is asked for; their shortest-path measures take a length attribute, which
//! `distance` gives with tradenet's own definitions (see [`Distance`]).

use crate::analysis::Distance;
use crate::error::{Error, Result};
use crate::model::TradeGraph;

/// How to write a graph for another tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The edge attribute holding the flow value: `weight` (what NetworkX's and igraph's
    /// weighted measures read by default), or another name. GEXF's weight is the format's own
    /// `weight` whatever this says.
    pub weight: String,
    /// Add a `distance` attribute to every edge of positive value: 1/f, -ln(f / s_out(i)) or
    /// 1, exactly the lengths `tradenet centrality --distance` uses. Distances are per pair of
    /// nodes, so the graph must have at most one flow per pair (collapse the sectors first).
    pub distance: Option<Distance>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            weight: "weight".to_string(),
            distance: None,
        }
    }
}

impl ExportOptions {
    /// Errors ([`Error::Param`]): an empty weight name, or one the writers use for something
    /// else (`source`, `target`, `key`, `sector`, `year`, `distance`).
    ///
    /// ```
    /// use tradenet::io::ExportOptions;
    /// assert!(ExportOptions::default().validate().is_ok());
    /// let bad = ExportOptions { weight: "sector".into(), ..Default::default() };
    /// assert!(bad.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        const TAKEN: [&str; 7] = [
            "source", "target", "key", "sector", "year", "distance", "id",
        ];
        if self.weight.trim().is_empty() {
            return Err(Error::param("weight", "''", "must name an attribute"));
        }
        if TAKEN.contains(&self.weight.as_str()) {
            return Err(Error::param(
                "weight",
                &self.weight,
                format!(
                    "is an attribute the writers use for something else ({})",
                    TAKEN.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

/// The `distance` of every flow of `g`, in [`TradeGraph::flows`] order (`None` for a flow of
/// value 0 or less: no trade is no path, and NetworkX treats a missing length as 1, so such
/// edges should be dropped before path measures). Errors: a pair with more than one flow
/// (sectors or years), where a length per pair is not defined.
pub(crate) fn distances(g: &TradeGraph, d: Distance) -> Result<Vec<Option<f64>>> {
    let n = g.node_count();
    let mut out_strength = vec![0.0; n];
    let mut seen = crate::model::FastMap::default();
    let mut parallel = 0usize;
    for (a, b, f) in g.flows() {
        out_strength[a.index()] += f.value;
        if seen.insert((a.index(), b.index()), ()).is_some() {
            parallel += 1;
        }
    }
    if parallel > 0 {
        return Err(Error::param(
            "distance",
            d.name(),
            format!(
                "is a length per pair of nodes, and {parallel} pairs of this graph have more than one flow (sectors or years): collapse the sectors (or choose a year) first"
            ),
        ));
    }
    Ok(g.flows()
        .map(|(a, _, f)| {
            (f.value > 0.0).then(|| {
                let len = match d {
                    Distance::Inverse => 1.0 / f.value,
                    Distance::NegLog => -(f.value / out_strength[a.index()]).ln(),
                    Distance::Hops => 1.0,
                };
                // -ln(1) is -0: written as 0, as NetworkX's sums have it.
                len + 0.0
            })
        })
        .collect())
}
