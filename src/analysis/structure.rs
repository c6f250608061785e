//! Network structure (MODELS.md §1): density, reciprocity (plain and weighted), weighted
//! directed clustering, weak and strong components. All on the aggregated weighted adjacency
//! [`Csr`] (one entry per ordered pair, self-loops kept), as NetworkX sees the DiGraph.
//!
//! The analysis of a [`TradeGraph`](crate::TradeGraph) is [`summary`](fn@super::summary), which
//! reports these with the graph's size and value; the functions here work on a [`Csr`] by node
//! position and are public for tests and comparisons with NetworkX.

use crate::model::Csr;
use rayon::prelude::*;

/// Parameters of [`structure`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructureParams {
    /// Skip the average clustering (report `None`) when its estimated work, Σ over nodes of
    /// the squared number of distinct neighbours, exceeds this. Default `None`: always
    /// compute it.
    pub clustering_max_work: Option<f64>,
}

/// Components of a directed graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Number of components.
    pub count: usize,
    /// Nodes in the largest component (0 for an empty graph).
    pub largest: usize,
    /// Component of each node (numbered 0.. in order of each component's first node).
    pub label: Vec<u32>,
}

/// The structure of a graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Nodes.
    pub nodes: usize,
    /// Ordered pairs that trade, self-pairs included (NetworkX's `number_of_edges`).
    pub pairs: usize,
    /// Pairs i -> i (domestic own-sector deliveries in input-output graphs).
    pub self_loops: usize,
    /// pairs / (n (n - 1)), as `nx.density` (0 for fewer than 2 nodes).
    pub density: f64,
    /// [`reciprocity`]; `None` for a graph without pairs.
    pub reciprocity: Option<f64>,
    /// [`weighted_reciprocity`]; `None` when no value flows between distinct nodes.
    pub weighted_reciprocity: Option<f64>,
    /// Mean of [`clustering`] over all nodes (`nx.average_clustering(G, weight="weight")`);
    /// `None` when skipped (see [`StructureParams`]) or for an empty graph.
    pub average_clustering: Option<f64>,
    /// Weakly connected components.
    pub weak: Components,
    /// Strongly connected components.
    pub strong: Components,
}

/// Density, reciprocity, clustering and components of `csr` in one call.
///
/// Arguments: `csr`; `p` ([`StructureParams`]: clustering always computed).
///
/// Complexity: O(m) for all but clustering, which is O(Σ d²) (see [`clustering`]).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{structure, StructureParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = structure(&Csr::from_graph(&g, &FlowFilter::default()), &StructureParams::default());
/// assert_eq!(s.pairs, 3);
/// assert_eq!(s.reciprocity, Some(2.0 / 3.0));
/// assert_eq!(s.weighted_reciprocity, Some(2.0 / 6.0));
/// assert_eq!((s.weak.count, s.strong.count, s.strong.largest), (1, 2, 2));
/// ```
pub fn structure(csr: &Csr, p: &StructureParams) -> Structure {
    let n = csr.n;
    let self_loops = (0..n).filter(|&i| csr.row(i).any(|(j, _)| j == i)).count();
    let density = if n > 1 {
        csr.nnz() as f64 / (n as f64 * (n as f64 - 1.0))
    } else {
        0.0
    };
    let t = csr.transpose();
    let average_clustering = if n == 0 {
        None
    } else {
        let sym = symmetric(csr, &t);
        let work: f64 = (0..n)
            .map(|i| {
                let d = (sym.offsets[i + 1] - sym.offsets[i]) as f64;
                d * d
            })
            .sum();
        if p.clustering_max_work.is_some_and(|w| work > w) {
            None
        } else {
            let c = clustering_sym(csr, &t, &sym);
            Some(c.iter().sum::<f64>() / n as f64)
        }
    };
    Structure {
        nodes: n,
        pairs: csr.nnz(),
        self_loops,
        density,
        reciprocity: reciprocity_t(csr, &t),
        weighted_reciprocity: weighted_reciprocity_t(csr, &t),
        average_clustering,
        weak: weak_components(csr),
        strong: strong_components(csr),
    }
}

/// Entries of `a` row i and `b` row i with the same target, merged: calls `f(j, wa, wb)`.
fn merge_rows(a: &Csr, b: &Csr, i: usize, mut f: impl FnMut(usize, f64, f64)) {
    let (mut p, pe) = (a.offsets[i], a.offsets[i + 1]);
    let (mut q, qe) = (b.offsets[i], b.offsets[i + 1]);
    while p < pe && q < qe {
        let (x, y) = (a.targets[p], b.targets[q]);
        if x < y {
            p += 1;
        } else if y < x {
            q += 1;
        } else {
            f(x as usize, a.weights[p], b.weights[q]);
            p += 1;
            q += 1;
        }
    }
}

fn reciprocity_t(csr: &Csr, t: &Csr) -> Option<f64> {
    if csr.nnz() == 0 {
        return None;
    }
    let mut both = 0usize;
    for i in 0..csr.n {
        merge_rows(csr, t, i, |j, _, _| {
            if j != i {
                both += 1;
            }
        });
    }
    Some(both as f64 / csr.nnz() as f64)
}

fn weighted_reciprocity_t(csr: &Csr, t: &Csr) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    for i in 0..csr.n {
        for (j, w) in csr.row(i) {
            if j != i {
                den += w;
            }
        }
        merge_rows(csr, t, i, |j, wo, wi| {
            if j != i {
                num += wo.min(wi);
            }
        });
    }
    (den > 0.0).then(|| num / den)
}

/// Reciprocity, as `nx.overall_reciprocity(G)`: the share of pairs i -> j (i != j) whose
/// reverse j -> i also trades, over all pairs (self-pairs count in the denominator, as in
/// NetworkX). `None` for a graph without pairs (NetworkX raises).
///
/// Complexity: O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::reciprocity, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// assert_eq!(reciprocity(&Csr::from_graph(&g, &FlowFilter::default())), Some(2.0 / 3.0));
/// ```
pub fn reciprocity(csr: &Csr) -> Option<f64> {
    reciprocity_t(csr, &csr.transpose())
}

/// Weighted reciprocity (Squartini, Picciolo, Ruzzenenti, Garlaschelli 2013):
/// Σ_{i != j} min(f\[i,j\], f\[j,i\]) / Σ_{i != j} f\[i,j\], the share of value that is matched by
/// flows the other way. Self-loops (domestic deliveries) are left out of both sums: they are
/// not trade between two economies, and would otherwise make a perfectly symmetric trade
/// graph score below 1. `None` when no value flows between distinct nodes.
///
/// Complexity: O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::weighted_reciprocity, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// assert_eq!(weighted_reciprocity(&Csr::from_graph(&g, &FlowFilter::default())), Some(0.5));
/// ```
pub fn weighted_reciprocity(csr: &Csr) -> Option<f64> {
    weighted_reciprocity_t(csr, &csr.transpose())
}

/// The symmetric neighbour structure without self-loops: row i lists every j != i with
/// f\[i,j\] > 0 or f\[j,i\] > 0 (or an entry at all), weight unused.
fn symmetric(csr: &Csr, t: &Csr) -> Csr {
    let n = csr.n;
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0);
    let mut targets = Vec::with_capacity(csr.nnz() * 2);
    for i in 0..n {
        let (a, b) = (
            &csr.targets[csr.offsets[i]..csr.offsets[i + 1]],
            &t.targets[t.offsets[i]..t.offsets[i + 1]],
        );
        let (mut p, mut q) = (0, 0);
        while p < a.len() || q < b.len() {
            let x = a.get(p).copied().unwrap_or(u32::MAX);
            let y = b.get(q).copied().unwrap_or(u32::MAX);
            let j = x.min(y);
            if x == j {
                p += 1;
            }
            if y == j {
                q += 1;
            }
            if j as usize != i {
                targets.push(j);
            }
        }
        offsets.push(targets.len());
    }
    let weights = vec![0.0; targets.len()];
    Csr {
        n,
        offsets,
        targets,
        weights,
    }
}

/// Weighted directed clustering (Fagiolo 2007), as `nx.clustering(G, weight="weight")` on a
/// DiGraph: with ŵ = w / max(w) (the maximum over all pairs, self-loops included) and
/// S = ŵ^{1/3} + (ŵ^T)^{1/3} without the diagonal,
/// c(i) = Σ_{j,k} S_ij S_jk S_ki / (2 (d_tot (d_tot - 1) - 2 d_bi)), where d_tot counts
/// in- plus out-partners and d_bi partners both ways (self-loops ignored); 0 without
/// triangles. Equal to NetworkX up to rounding (it takes one cube root per triangle, this
/// one per link).
///
/// Returns values by node index.
///
/// Complexity: O(Σ_i d_i²) with d_i the number of distinct partners, parallel over nodes.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::clustering, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\nC,A,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let c = clustering(&Csr::from_graph(&g, &FlowFilter::default()));
/// // A directed 3-cycle: 2 of the 2 (2·1 - 0) = 4 possible directed triangles at each node.
/// assert!(c.iter().all(|&v| (v - 0.5).abs() < 1e-12));
/// ```
pub fn clustering(csr: &Csr) -> Vec<f64> {
    let t = csr.transpose();
    let sym = symmetric(csr, &t);
    clustering_sym(csr, &t, &sym)
}

fn clustering_sym(csr: &Csr, t: &Csr, sym: &Csr) -> Vec<f64> {
    let n = csr.n;
    let maxw = csr.weights.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    if csr.nnz() == 0 || maxw <= 0.0 {
        return vec![0.0; n];
    }
    // s[i][j] = cbrt(ŵ_ij) + cbrt(ŵ_ji) along the symmetric rows; d_tot and d_bi per node.
    let mut s = vec![0.0; sym.nnz()];
    let mut dtot = vec![0usize; n];
    let mut dbi = vec![0usize; n];
    for i in 0..n {
        let row = sym.offsets[i]..sym.offsets[i + 1];
        let tg = &sym.targets[row.clone()];
        let sv = &mut s[row];
        let mut k = 0;
        for (j, w) in csr.row(i) {
            if j == i {
                continue;
            }
            dtot[i] += 1;
            while tg[k] as usize != j {
                k += 1;
            }
            sv[k] += (w / maxw).cbrt();
        }
        k = 0;
        for (j, w) in t.row(i) {
            if j == i {
                continue;
            }
            dtot[i] += 1;
            while tg[k] as usize != j {
                k += 1;
            }
            sv[k] += (w / maxw).cbrt();
        }
        merge_rows(csr, t, i, |j, _, _| {
            if j != i {
                dbi[i] += 1;
            }
        });
    }
    let bl = 64;
    let per_block: Vec<Vec<f64>> = (0..n.div_ceil(bl))
        .into_par_iter()
        .map_init(
            || vec![0.0f64; n],
            |mark, b| {
                let mut out = Vec::with_capacity(bl);
                for i in b * bl..((b + 1) * bl).min(n) {
                    let row = sym.offsets[i]..sym.offsets[i + 1];
                    for (&j, &v) in sym.targets[row.clone()].iter().zip(&s[row.clone()]) {
                        mark[j as usize] = v;
                    }
                    let mut tri = 0.0;
                    for (&j, &sij) in sym.targets[row.clone()].iter().zip(&s[row.clone()]) {
                        let j = j as usize;
                        let rj = sym.offsets[j]..sym.offsets[j + 1];
                        let mut acc = 0.0;
                        for (&k, &sjk) in sym.targets[rj.clone()].iter().zip(&s[rj]) {
                            acc += sjk * mark[k as usize];
                        }
                        tri += sij * acc;
                    }
                    for &j in &sym.targets[row] {
                        mark[j as usize] = 0.0;
                    }
                    let (dt, db) = (dtot[i] as f64, dbi[i] as f64);
                    out.push(if tri == 0.0 {
                        0.0
                    } else {
                        tri / ((dt * (dt - 1.0) - 2.0 * db) * 2.0)
                    });
                }
                out
            },
        )
        .collect();
    per_block.into_iter().flatten().collect()
}

/// Weakly connected components (flows followed either way), by union-find.
///
/// Complexity: O(m α(n)).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::weak_components, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nC,D,x,1\nD,E,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let c = weak_components(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!((c.count, c.largest), (2, 3));
/// ```
pub fn weak_components(csr: &Csr) -> Components {
    let n = csr.n;
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            let g = p[p[x as usize] as usize];
            p[x as usize] = g;
            x = g;
        }
        x
    }
    for i in 0..n {
        for &j in &csr.targets[csr.offsets[i]..csr.offsets[i + 1]] {
            let (a, b) = (find(&mut parent, i as u32), find(&mut parent, j));
            if a != b {
                let (lo, hi) = (a.min(b), a.max(b));
                parent[hi as usize] = lo;
            }
        }
    }
    let roots: Vec<u32> = (0..n as u32).map(|i| find(&mut parent, i)).collect();
    relabel(&roots)
}

/// Number components by first appearance and measure them.
fn relabel(raw: &[u32]) -> Components {
    let n = raw.len();
    let mut map = vec![u32::MAX; n];
    let mut sizes: Vec<usize> = Vec::new();
    let mut label = Vec::with_capacity(n);
    for &r in raw {
        let r = r as usize;
        if map[r] == u32::MAX {
            map[r] = sizes.len() as u32;
            sizes.push(0);
        }
        sizes[map[r] as usize] += 1;
        label.push(map[r]);
    }
    Components {
        count: sizes.len(),
        largest: sizes.iter().copied().max().unwrap_or(0),
        label,
    }
}

/// Strongly connected components (each node reaches every other of its component along
/// flows), by an iterative Tarjan search (no recursion: safe on a million nodes).
///
/// Complexity: O(n + m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::strong_components, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,A,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let c = strong_components(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!((c.count, c.largest), (2, 2));
/// ```
pub fn strong_components(csr: &Csr) -> Components {
    relabel(&tarjan(csr, |_| true).0)
}

/// Tarjan's strongly connected components over the entries whose weight passes `keep`:
/// each node's component number and the number of components. Components are numbered in
/// the order Tarjan completes them, a reverse topological order: an entry from component X
/// to another component Y has Y < X.
pub(crate) fn tarjan(csr: &Csr, keep: impl Fn(f64) -> bool) -> (Vec<u32>, usize) {
    let n = csr.n;
    const UNVISITED: u32 = u32::MAX;
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut comp = vec![u32::MAX; n];
    let mut next_index = 0u32;
    let mut ncomp = 0u32;
    // Call stack: (node, position in its row).
    let mut call: Vec<(u32, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        call.push((root as u32, csr.offsets[root]));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            let v = v as usize;
            let end = csr.offsets[v + 1];
            if *pos < end {
                let w = csr.targets[*pos] as usize;
                let kept = keep(csr.weights[*pos]);
                *pos += 1;
                if !kept {
                    continue;
                }
                if index[w] == UNVISITED {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    call.push((w as u32, csr.offsets[w]));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    let u = u as usize;
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    loop {
                        let w = stack.pop().expect("v is on the stack") as usize;
                        on_stack[w] = false;
                        comp[w] = ncomp;
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    (comp, ncomp as usize)
}
