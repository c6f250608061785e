//! The disparity-filter backbone (Serrano, Boguñá and Vespignani 2009, "Extracting the
//! multiscale backbone of complex weighted networks", PNAS 106:6483).

use crate::model::{Csr, FlowFilter, TradeGraph};

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
/// Returns the kept pairs (exporter index, importer index), sorted. Complexity O(m).
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
