//! A compact compressed-sparse-row copy of the aggregated graph, for the numeric kernels.

use super::{SectorId, TradeGraph};
use rayon::prelude::*;

/// Which flows go into a [`Csr`].
#[derive(Debug, Clone, Default)]
pub struct FlowFilter {
    /// Only these sectors (a flow's own sector, or its supplier's in input-output graphs).
    /// `None`: all.
    pub sectors: Option<Vec<SectorId>>,
    /// Only this year (flows without a year are kept). `None`: all.
    pub year: Option<u16>,
    /// Drop self-flows (domestic deliveries within one industry). Default false: kept, as
    /// NetworkX keeps self-loops.
    pub drop_self_loops: bool,
}

/// Row-compressed weighted adjacency: one entry per ordered pair that trades, parallel flows
/// summed. Row `i` holds the out-flows of node `i`, targets sorted ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    /// Number of nodes (rows and columns).
    pub n: usize,
    /// `offsets[i]..offsets[i+1]` is row `i`; length `n + 1`.
    pub offsets: Vec<usize>,
    /// Column (target node) of each entry.
    pub targets: Vec<u32>,
    /// Summed value of each entry.
    pub weights: Vec<f64>,
}

/// The two arrays a CSR is filled into, written by several threads at places each of them
/// owns.
struct Out(*mut u32, *mut f64);
// SAFETY: the threads that share an `Out` write disjoint places only (see its use).
unsafe impl Sync for Out {}

impl Csr {
    /// Aggregate the flows of `g` that pass `filter` into one weighted entry per ordered pair.
    /// Node `i` of the CSR is node index `i` of the graph. O(m log d) with d the largest degree.
    pub fn from_graph(g: &TradeGraph, filter: &FlowFilter) -> Csr {
        Self::build(g, filter, false)
    }

    /// The transpose of [`Csr::from_graph`] (rows are importers, their suppliers sorted),
    /// built straight from the graph: the same entries and sums to the bit as
    /// `Csr::from_graph(g, filter).transpose()`, without the intermediate copy.
    pub fn from_graph_transposed(g: &TradeGraph, filter: &FlowFilter) -> Csr {
        Self::build(g, filter, true)
    }

    fn build(g: &TradeGraph, filter: &FlowFilter, transposed: bool) -> Csr {
        let n = g.node_count();
        let keep = |a: u32, b: u32, f: &super::Flow| -> bool {
            if filter.drop_self_loops && a == b {
                return false;
            }
            if let (Some(y), Some(fy)) = (filter.year, f.year) {
                if y != fy {
                    return false;
                }
            }
            if let Some(secs) = &filter.sectors {
                match f.sector.or(g.node(super::NodeIx::new(a as usize)).sector) {
                    Some(s) => secs.contains(&s),
                    None => false,
                }
            } else {
                true
            }
        };
        let edges = g.links();
        // The row and column of an edge: (source, target), or swapped for the transpose.
        let place = |a: u32, b: u32| if transposed { (b, a) } else { (a, b) };
        let ends = |e: &super::Link| (e.from, e.to);
        // Count per row: the flows cut into a few pieces counted in parallel, then summed.
        let pieces = rayon::current_num_threads().clamp(1, 8);
        let piece = edges.len().div_ceil(pieces).max(1);
        let mut counts: Vec<Vec<u32>> = edges
            .par_chunks(piece)
            .map(|es| {
                let mut c = vec![0u32; n];
                for e in es {
                    let (a, b) = ends(e);
                    if keep(a, b, &e.flow) {
                        c[place(a, b).0 as usize] += 1;
                    }
                }
                c
            })
            .collect();
        // Huge pages: the rows are written at scattered places.
        let mut count = super::mem::huge_vec(n + 1, 0usize);
        for c in &counts {
            for (t, &k) in count[1..].iter_mut().zip(c) {
                *t += k as usize;
            }
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let m = count[n];
        // Each piece's counts become where it writes in each row: after the entries of the
        // pieces before it, so that within a row the flows keep the graph's order whatever the
        // number of pieces.
        for r in 0..n {
            let mut before = 0u32;
            for c in counts.iter_mut() {
                let k = c[r];
                c[r] = before;
                before += k;
            }
        }
        let mut targets = super::mem::huge_zeroed::<u32>(m);
        let mut weights = super::mem::huge_zeroed::<f64>(m);
        // Fill: each piece of the flows on its own thread, each writing its own places.
        let out = Out(targets.as_mut_ptr(), weights.as_mut_ptr());
        edges
            .par_chunks(piece)
            .zip(counts.par_iter_mut())
            .for_each(|(es, next)| {
                let out = &out;
                for e in es {
                    let (a, b) = ends(e);
                    if keep(a, b, &e.flow) {
                        let (r, c) = place(a, b);
                        let k = count[r as usize] + next[r as usize] as usize;
                        next[r as usize] += 1;
                        debug_assert!(k < count[r as usize + 1]);
                        // SAFETY: k lies in row r's range of the arrays (of m entries), in the
                        // part of it that is this piece's alone (the counts above), and each
                        // place is written once.
                        unsafe {
                            *out.0.add(k) = c;
                            *out.1.add(k) = e.flow.value;
                        }
                    }
                }
            });
        drop(counts);
        Csr::from_unsorted_rows(n, count, targets, weights)
    }

    /// Build from rows that may be unsorted and hold repeated targets: sorts each row and sums
    /// repeats (in a fixed order, so the result does not depend on thread count).
    pub fn from_unsorted_rows(
        n: usize,
        offsets: Vec<usize>,
        mut targets: Vec<u32>,
        mut weights: Vec<f64>,
    ) -> Csr {
        // Split the arrays into per-row slices, then sort and merge each row in parallel.
        let mut rows: Vec<(&mut [u32], &mut [f64])> = Vec::with_capacity(n);
        {
            let mut t_rest: &mut [u32] = &mut targets;
            let mut w_rest: &mut [f64] = &mut weights;
            for i in 0..n {
                let len = offsets[i + 1] - offsets[i];
                let (t, tr) = t_rest.split_at_mut(len);
                let (w, wr) = w_rest.split_at_mut(len);
                rows.push((t, w));
                t_rest = tr;
                w_rest = wr;
            }
        }
        let new_len: Vec<usize> = rows
            .into_par_iter()
            .with_min_len(256)
            .map_init(Vec::new, |pairs: &mut Vec<(u32, f64)>, (t, w)| {
                if t.windows(2).all(|p| p[0] < p[1]) {
                    return t.len();
                }
                // Stable sorts keep file order within a pair, so sums are reproducible.
                if t.len() <= 32 {
                    // Insertion sort of the two slices together: short rows, no allocation.
                    for i in 1..t.len() {
                        let (ti, wi) = (t[i], w[i]);
                        let mut j = i;
                        while j > 0 && t[j - 1] > ti {
                            t[j] = t[j - 1];
                            w[j] = w[j - 1];
                            j -= 1;
                        }
                        t[j] = ti;
                        w[j] = wi;
                    }
                } else {
                    pairs.clear();
                    pairs.extend(t.iter().copied().zip(w.iter().copied()));
                    pairs.sort_by_key(|p| p.0);
                    for (k, &(tk, wk)) in pairs.iter().enumerate() {
                        t[k] = tk;
                        w[k] = wk;
                    }
                }
                // Sum repeated targets (now adjacent), in order.
                let mut k = 0usize;
                for j in 0..t.len() {
                    if k > 0 && t[k - 1] == t[j] {
                        w[k - 1] += w[j];
                    } else {
                        t[k] = t[j];
                        w[k] = w[j];
                        k += 1;
                    }
                }
                k
            })
            .collect();
        // Compact rows in place.
        let mut out_off = Vec::with_capacity(n + 1);
        out_off.push(0usize);
        let mut write = 0usize;
        for i in 0..n {
            let start = offsets[i];
            let len = new_len[i];
            if write != start {
                targets.copy_within(start..start + len, write);
                weights.copy_within(start..start + len, write);
            }
            write += len;
            out_off.push(write);
        }
        targets.truncate(write);
        weights.truncate(write);
        targets.shrink_to_fit();
        weights.shrink_to_fit();
        Csr {
            n,
            offsets: out_off,
            targets,
            weights,
        }
    }

    /// Number of entries (ordered pairs that trade).
    pub fn nnz(&self) -> usize {
        self.targets.len()
    }

    /// The entries of row `i`: (target, weight).
    pub fn row(&self, i: usize) -> impl ExactSizeIterator<Item = (usize, f64)> + '_ {
        let r = self.offsets[i]..self.offsets[i + 1];
        self.targets[r.clone()]
            .iter()
            .map(|&t| t as usize)
            .zip(self.weights[r].iter().copied())
    }

    /// Row sums (out-strength when rows are exporters).
    pub fn row_sums(&self) -> Vec<f64> {
        (0..self.n)
            .map(|i| {
                self.weights[self.offsets[i]..self.offsets[i + 1]]
                    .iter()
                    .sum()
            })
            .collect()
    }

    /// The transpose (rows become in-flows), targets sorted.
    pub fn transpose(&self) -> Csr {
        let n = self.n;
        let mut count = vec![0usize; n + 1];
        for &t in &self.targets {
            count[t as usize + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        // Scattered writes: huge pages spare a TLB miss per entry on big graphs.
        let mut next = super::mem::huge_vec(n + 1, 0usize);
        next.copy_from_slice(&count);
        let mut targets = super::mem::huge_zeroed::<u32>(self.nnz());
        let mut weights = super::mem::huge_zeroed::<f64>(self.nnz());
        for i in 0..n {
            for p in self.offsets[i]..self.offsets[i + 1] {
                let t = self.targets[p] as usize;
                let q = next[t];
                targets[q] = i as u32;
                weights[q] = self.weights[p];
                next[t] += 1;
            }
        }
        Csr {
            n,
            offsets: count,
            targets,
            weights,
        }
    }
}
