//! Strength and degree: the sums and counts of each node's flows.

use crate::model::Csr;

/// In-strength: the sum of each node's in-flows (imports), as
/// `dict(G.in_degree(weight="weight"))`. A self-loop counts once.
///
/// Returns values by node index. O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::in_strength, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,B,y,1\nC,B,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = in_strength(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(s[g.node_index("B").unwrap().index()], 6.0);
/// ```
pub fn in_strength(csr: &Csr) -> Vec<f64> {
    let mut s = vec![0.0; csr.n];
    for (&t, &w) in csr.targets.iter().zip(&csr.weights) {
        s[t as usize] += w;
    }
    s
}

/// Out-strength: the sum of each node's out-flows (exports), as
/// `dict(G.out_degree(weight="weight"))`.
///
/// Returns values by node index. O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::out_strength, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,C,y,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = out_strength(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(s[g.node_index("A").unwrap().index()], 4.0);
/// ```
pub fn out_strength(csr: &Csr) -> Vec<f64> {
    csr.row_sums()
}

fn degree_scale(n: usize) -> Option<f64> {
    (n > 1).then(|| 1.0 / (n as f64 - 1.0))
}

/// In-degree centrality: the number of partners a node imports from, divided by n - 1, as
/// `nx.in_degree_centrality(G)` (a self-loop counts as one; a graph of one node scores 1).
///
/// Returns values by node index. O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::in_degree, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nC,B,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let d = in_degree(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(d[g.node_index("B").unwrap().index()], 1.0);
/// ```
pub fn in_degree(csr: &Csr) -> Vec<f64> {
    let mut d = vec![0.0; csr.n];
    for &t in &csr.targets {
        d[t as usize] += 1.0;
    }
    match degree_scale(csr.n) {
        Some(s) => d.iter_mut().for_each(|v| *v *= s),
        None => d.iter_mut().for_each(|v| *v = 1.0),
    }
    d
}

/// Out-degree centrality: the number of partners a node exports to, divided by n - 1, as
/// `nx.out_degree_centrality(G)`.
///
/// Returns values by node index. O(n).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::out_degree, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,C,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let d = out_degree(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(d[g.node_index("A").unwrap().index()], 1.0);
/// ```
pub fn out_degree(csr: &Csr) -> Vec<f64> {
    let s = degree_scale(csr.n);
    (0..csr.n)
        .map(|i| match s {
            Some(s) => (csr.offsets[i + 1] - csr.offsets[i]) as f64 * s,
            None => 1.0,
        })
        .collect()
}
