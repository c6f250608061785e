//! Shortest-path measures: betweenness, closeness and harmonic centrality (the searches are in
//! `paths.rs`).

use super::{paths, BetweennessParams, Distance};
use crate::error::{Error, Result};
use crate::model::Csr;

/// Betweenness centrality, as `nx.betweenness_centrality(G, weight="distance",
/// normalized=True)` with distance from value ([`Distance`]): the share of shortest paths
/// between other pairs that pass through a node (Brandes 2001). Equal-length paths are
/// counted the way NetworkX counts them: lengths compared exactly (no epsilon), the same
/// Dijkstra settling order, ties and zero-length links included.
///
/// Arguments: `csr`; `p` ([`BetweennessParams`]: distance inverse, normalized true, all
/// sources); `progress`: called with the number of sources done so far (from any thread).
/// With `sources` (or `sample`: that many sources drawn at random, seeded), the sum runs over
/// those sources only, without NetworkX's n/k rescaling (normalisation, if asked, still
/// divides by (n-1)(n-2)).
///
/// # Errors
/// [`Error::Param`] for a source index out of range or listed twice, a sample of 0, or both
/// sources and a sample.
///
/// Complexity: O(k (m' + n log n)) for k sources (Dijkstra; O(k m) for hops), in parallel
/// over sources; memory O(n) per thread. With 200 sources or more, m' counts only the edges
/// that can lie on a shortest path: the others are found and dropped first (a few searches'
/// worth of work; on a dense trade graph m' is a few percent of m), with results identical
/// to the bit.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{betweenness, BetweennessParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let b = betweenness(&Csr::from_graph(&g, &FlowFilter::default()), &BetweennessParams::default(), None).unwrap();
/// // B lies on the one path A -> C, out of (n-1)(n-2) = 2 ordered pairs.
/// assert_eq!(b[g.node_index("B").unwrap().index()], 0.5);
/// ```
pub fn betweenness(
    csr: &Csr,
    p: &BetweennessParams,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<Vec<f64>> {
    p.validate()?;
    let n = csr.n;
    let chosen: Vec<usize>;
    let sources: &[usize] = match (&p.sources, p.sample) {
        (Some(s), _) => {
            if let Some(&v) = s.iter().find(|&&v| v >= n) {
                return Err(Error::param(
                    "betweenness.sources",
                    v,
                    format!("is out of range ({n} nodes)"),
                ));
            }
            s
        }
        (None, Some(k)) => {
            chosen = sample(n, k, p.seed);
            &chosen
        }
        (None, None) => {
            chosen = (0..n).collect();
            &chosen
        }
    };
    let g = paths::lengths(csr, p.distance);
    let mut b = paths::betweenness_raw(&g, p.distance == Distance::Hops, sources, progress);
    if p.normalized && n > 2 {
        let s = 1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0));
        b.iter_mut().for_each(|v| *v *= s);
    }
    Ok(b)
}

/// Closeness and harmonic centrality together (one shortest-path search per node).
pub(super) fn closeness_harmonic(csr: &Csr, d: Distance, c: bool, h: bool) -> (Vec<f64>, Vec<f64>) {
    let g = paths::lengths(csr, d).transpose();
    paths::closeness_harmonic(&g, d == Distance::Hops, c, h)
}

/// Closeness centrality, as `nx.closeness_centrality(G, distance="distance")`
/// (`wf_improved=True`): from the distances d(v, u) of the r - 1 nodes v that reach u,
/// C(u) = (r-1)/Σd · (r-1)/(n-1) (Wasserman-Faust scaling for graphs that are not strongly
/// connected); 0 when nothing reaches u (or every distance is 0).
///
/// Arguments: `csr`, `distance` ([`Distance`], default inverse). Returns values by node index.
///
/// Errors: none (every graph has a closeness).
///
/// Complexity: O(n (m' + n log n)), in parallel over nodes; m' as in [`betweenness`] once
/// the graph has 200 nodes.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{closeness, Distance}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let c = closeness(&Csr::from_graph(&g, &FlowFilter::default()), Distance::Hops);
/// // C is reached by B (1 hop) and A (2 hops): 2/3 * 2/2.
/// assert!((c[g.node_index("C").unwrap().index()] - 2.0 / 3.0).abs() < 1e-15);
/// ```
pub fn closeness(csr: &Csr, distance: Distance) -> Vec<f64> {
    closeness_harmonic(csr, distance, true, false).0
}

/// Harmonic centrality, as `nx.harmonic_centrality(G, distance="distance")`: the sum over
/// the nodes v that reach u of 1/d(v, u) (nodes at distance 0 add nothing).
///
/// Arguments: `csr`, `distance` ([`Distance`], default inverse). Returns values by node index.
///
/// Errors: none.
///
/// Complexity: O(n (m + n log n)), in parallel over nodes.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{harmonic, Distance}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let h = harmonic(&Csr::from_graph(&g, &FlowFilter::default()), Distance::Hops);
/// assert_eq!(h[g.node_index("C").unwrap().index()], 1.5);
/// ```
pub fn harmonic(csr: &Csr, distance: Distance) -> Vec<f64> {
    closeness_harmonic(csr, distance, false, true).1
}

/// K distinct node indices from 0..n (all of them when k >= n), drawn by a seeded partial
/// Fisher-Yates shuffle (splitmix64), sorted.
pub(super) fn sample(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let k = k.min(n);
    let mut pool: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + (next() % (n - i) as u64) as usize;
        pool.swap(i, j);
    }
    let mut s = pool[..k].to_vec();
    s.sort_unstable();
    s
}
