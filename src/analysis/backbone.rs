//! The disparity-filter backbone (Serrano, Boguñá and Vespignani 2009, "Extracting the
//! multiscale backbone of complex weighted networks", PNAS 106:6483).

use crate::error::{Error, Result};
use crate::model::{Csr, FlowFilter, NodeIx, TradeGraph};

/// Parameters of [`backbone`].
#[derive(Debug, Clone, PartialEq)]
pub struct BackboneParams {
    /// Significance level: a link is kept when a link that strong arises from a uniform
    /// random split of its node's strength with probability below this; in (0, 1]. Default
    /// 0.05.
    pub alpha: f64,
}

impl Default for BackboneParams {
    fn default() -> Self {
        BackboneParams { alpha: 0.05 }
    }
}

impl BackboneParams {
    /// Check alpha.
    ///
    /// # Errors
    /// [`Error::Param`] (`alpha`) outside (0, 1].
    pub fn validate(&self) -> Result<()> {
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            return Err(Error::param(
                "alpha",
                self.alpha,
                "must be above 0 and at most 1",
            ));
        }
        Ok(())
    }
}

/// One link of the backbone.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackboneLink {
    /// Exporter id.
    pub exporter: String,
    /// Importer id.
    pub importer: String,
    /// The pair's value (sector flows summed).
    pub value: f64,
}

/// The disparity-filter backbone of a graph.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Backbone {
    /// The significance level used.
    pub alpha: f64,
    /// Ordered pairs that trade (self flows left out).
    pub pairs: usize,
    /// The links kept, by exporter then importer position in the graph.
    pub links: Vec<BackboneLink>,
}

/// The disparity-filter backbone of `g` at `p.alpha` ([`disparity_backbone`]), its links
/// keyed by node id.
///
/// # Errors
/// [`Error::Param`] for alpha outside (0, 1].
///
/// Complexity O(m).
///
/// ```
/// use tradenet::analysis::{backbone, BackboneParams};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,value\nA,B,97\nA,C,1\nA,D,1\nA,E,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let b = backbone(&g, &BackboneParams::default()).unwrap();
/// assert_eq!((b.pairs, b.links.len()), (4, 1));
/// assert_eq!((b.links[0].exporter.as_str(), b.links[0].importer.as_str()), ("A", "B"));
/// assert_eq!(b.links[0].value, 97.0);
/// ```
pub fn backbone(g: &TradeGraph, p: &BackboneParams) -> Result<Backbone> {
    p.validate()?;
    let filter = FlowFilter {
        drop_self_loops: true,
        ..Default::default()
    };
    let csr = Csr::from_graph(g, &filter);
    let id = |i: u32| g.node(NodeIx::new(i as usize)).id.to_string();
    let links = disparity_backbone(g, p.alpha)
        .into_iter()
        .map(|(i, j)| BackboneLink {
            exporter: id(i),
            importer: id(j),
            value: csr
                .row(i as usize)
                .find(|&(t, _)| t == j as usize)
                .map_or(0.0, |(_, w)| w),
        })
        .collect();
    Ok(Backbone {
        alpha: p.alpha,
        pairs: csr.nnz(),
        links,
    })
}

/// Which ordered pairs of `g` are significant at level `alpha` under the disparity filter.
///
/// For a node with k links and strength s, a link of weight w has normalised weight p = w / s and
/// is significant when alpha_ij = (1 - p)^(k - 1) < `alpha`, the probability that a link that
/// strong arises from a uniform random split of the node's strength. Directed graphs test the
/// link on both sides, as in the paper: from its exporter's out-links and from its importer's
/// in-links; it is kept when it is significant for either. A node with a single link cannot make
/// it significant (alpha_ij = 1) from its own side. Parallel sector flows are summed first; self
/// flows are ignored.
///
/// Returns the kept pairs (exporter index, importer index), sorted: node positions, for
/// drawing; [`backbone`] gives them by id. Complexity O(m).
///
/// ```
/// use tradenet::analysis::disparity_backbone;
/// use tradenet::io::{load_bytes, LoadOptions};
/// // A sends almost everything to B: A->B is significant from A's side.
/// let csv = b"exporter,importer,value\nA,B,97\nA,C,1\nA,D,1\nA,E,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let kept = disparity_backbone(&g, 0.05);
/// let b = g.node_index("B").unwrap().index() as u32;
/// assert_eq!(kept, vec![(0, b)]);
/// ```
pub fn disparity_backbone(g: &TradeGraph, alpha: f64) -> Vec<(u32, u32)> {
    let filter = FlowFilter {
        drop_self_loops: true,
        ..Default::default()
    };
    let out = Csr::from_graph(g, &filter);
    let inn = out.transpose();
    let out_s = out.row_sums();
    let in_s = inn.row_sums();
    let significant = |w: f64, s: f64, k: usize| -> bool {
        if k < 2 || s <= 0.0 {
            return false;
        }
        (1.0 - w / s).powi(k as i32 - 1) < alpha
    };
    let mut kept = Vec::new();
    for (i, &s_i) in out_s.iter().enumerate() {
        let k_out = out.offsets[i + 1] - out.offsets[i];
        for (j, w) in out.row(i) {
            let k_in = inn.offsets[j + 1] - inn.offsets[j];
            if significant(w, s_i, k_out) || significant(w, in_s[j], k_in) {
                kept.push((i as u32, j as u32));
            }
        }
    }
    kept
}
