//! Shortest-path kernels: Brandes betweenness with Dijkstra (or BFS for hops), and incoming
//! distances for closeness and harmonic centrality.
//!
//! The Dijkstra search mirrors NetworkX's `_single_source_dijkstra_path_basic` step for step:
//! a binary heap ordered by (distance, push counter), a node's path count completed when it is
//! popped, predecessors of equal (bit-identical) distance counted, and edges into already
//! settled nodes of equal distance still counted. So ties, zero-length edges and lengths too
//! small to change a sum all come out as they do in NetworkX.

use super::Distance;
use crate::model::Csr;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const NIL: u32 = u32::MAX;
const UNSEEN: u8 = 0;
const SEEN: u8 = 1;
const DONE: u8 = 2;

/// The edge lengths for `distance`: same structure as `csr`, without pairs of zero value
/// (no trade, no path). `inverse`: 1/f; `neglog`: -ln(f / s_out(i)) (a whole-row share of 1
/// gives length 0); `hops`: 1.
pub(crate) fn lengths(csr: &Csr, distance: Distance) -> Csr {
    let out = csr.row_sums();
    let mut offsets = Vec::with_capacity(csr.n + 1);
    offsets.push(0usize);
    let mut targets = Vec::with_capacity(csr.nnz());
    let mut weights = Vec::with_capacity(csr.nnz());
    for (i, &s) in out.iter().enumerate() {
        for (j, f) in csr.row(i) {
            if f > 0.0 {
                let d = match distance {
                    Distance::Inverse => 1.0 / f,
                    Distance::NegLog => -(f / s).ln(),
                    Distance::Hops => 1.0,
                };
                targets.push(j as u32);
                // `+ 0.0` turns -0.0 (from -ln 1) into +0.0, which sorts like NetworkX's 0.
                weights.push(d + 0.0);
            }
        }
        offsets.push(targets.len());
    }
    Csr {
        n: csr.n,
        offsets,
        targets,
        weights,
    }
}

/// Per-search scratch space, reused across sources (reset only where touched).
struct Work {
    seen: Vec<f64>,
    state: Vec<u8>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    head: Vec<u32>,
    links: Vec<(u32, u32)>,
    order: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u64, u32, u32)>>,
}

impl Work {
    fn new(n: usize) -> Self {
        Work {
            seen: vec![f64::INFINITY; n],
            state: vec![UNSEEN; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            head: vec![NIL; n],
            links: Vec::new(),
            order: Vec::new(),
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            let v = v as usize;
            self.seen[v] = f64::INFINITY;
            self.state[v] = UNSEEN;
            self.sigma[v] = 0.0;
            self.delta[v] = 0.0;
            self.head[v] = NIL;
        }
        self.touched.clear();
        self.links.clear();
        self.order.clear();
        self.heap.clear();
    }

    #[inline]
    fn set_pred(&mut self, w: usize, v: u32) {
        self.head[w] = self.links.len() as u32;
        self.links.push((v, NIL));
    }

    #[inline]
    fn add_pred(&mut self, w: usize, v: u32) {
        let next = self.head[w];
        self.head[w] = self.links.len() as u32;
        self.links.push((v, next));
    }

    /// NetworkX `_single_source_dijkstra_path_basic`: fills `order` (settling order),
    /// `sigma` and the predecessor lists.
    fn dijkstra_brandes(&mut self, g: &Csr, s: usize) {
        self.sigma[s] = 1.0;
        self.seen[s] = 0.0;
        self.state[s] = SEEN;
        self.touched.push(s as u32);
        let mut count = 0u64;
        self.heap.push(Reverse((0f64.to_bits(), count, s as u32, s as u32)));
        while let Some(Reverse((db, _, pred, v))) = self.heap.pop() {
            let v = v as usize;
            if self.state[v] == DONE {
                continue;
            }
            self.sigma[v] += self.sigma[pred as usize];
            self.order.push(v as u32);
            self.state[v] = DONE;
            let dist = f64::from_bits(db);
            let r = g.offsets[v]..g.offsets[v + 1];
            for (&w, &len) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
                let wu = w as usize;
                let vw = dist + len;
                let st = self.state[wu];
                if st != DONE && (st == UNSEEN || vw < self.seen[wu]) {
                    if st == UNSEEN {
                        self.touched.push(w);
                        self.state[wu] = SEEN;
                    }
                    self.seen[wu] = vw;
                    count += 1;
                    self.heap.push(Reverse((vw.to_bits(), count, v as u32, w)));
                    self.sigma[wu] = 0.0;
                    self.set_pred(wu, v as u32);
                } else if vw == self.seen[wu] {
                    // Equal length (also into a settled node, as NetworkX does; a zero-length
                    // self-loop doubles the node's own count, as there).
                    let sv = self.sigma[v];
                    self.sigma[wu] += sv;
                    self.add_pred(wu, v as u32);
                }
            }
        }
    }

    /// NetworkX `_single_source_shortest_path_basic` (breadth first, every edge one hop).
    fn bfs_brandes(&mut self, g: &Csr, s: usize) {
        self.sigma[s] = 1.0;
        self.seen[s] = 0.0;
        self.state[s] = SEEN;
        self.touched.push(s as u32);
        self.order.push(s as u32);
        let mut head = 0;
        while head < self.order.len() {
            let v = self.order[head] as usize;
            head += 1;
            let dv = self.seen[v];
            let sv = self.sigma[v];
            for &w in &g.targets[g.offsets[v]..g.offsets[v + 1]] {
                let wu = w as usize;
                if self.state[wu] == UNSEEN {
                    self.state[wu] = SEEN;
                    self.touched.push(w);
                    self.order.push(w);
                    self.seen[wu] = dv + 1.0;
                }
                if self.seen[wu] == dv + 1.0 {
                    self.sigma[wu] += sv;
                    self.add_pred(wu, v as u32);
                }
            }
        }
    }

    /// Brandes accumulation (NetworkX `_accumulate_basic`) into `acc`.
    fn accumulate(&mut self, s: usize, acc: &mut [f64]) {
        while let Some(w) = self.order.pop() {
            let w = w as usize;
            let coeff = (1.0 + self.delta[w]) / self.sigma[w];
            let mut l = self.head[w];
            while l != NIL {
                let (v, next) = self.links[l as usize];
                let v = v as usize;
                self.delta[v] += self.sigma[v] * coeff;
                l = next;
            }
            if w != s {
                acc[w] += self.delta[w];
            }
        }
    }

    /// Plain Dijkstra (NetworkX `_dijkstra_multisource`) or BFS from `s`: fills `order` with
    /// the settled nodes and `seen` with their distances.
    fn distances(&mut self, g: &Csr, s: usize, hops: bool) {
        self.seen[s] = 0.0;
        self.state[s] = SEEN;
        self.touched.push(s as u32);
        if hops {
            self.order.push(s as u32);
            let mut head = 0;
            while head < self.order.len() {
                let v = self.order[head] as usize;
                head += 1;
                let d = self.seen[v] + 1.0;
                for &w in &g.targets[g.offsets[v]..g.offsets[v + 1]] {
                    if self.state[w as usize] == UNSEEN {
                        self.state[w as usize] = SEEN;
                        self.touched.push(w);
                        self.order.push(w);
                        self.seen[w as usize] = d;
                    }
                }
            }
            return;
        }
        let mut count = 0u64;
        self.heap.push(Reverse((0f64.to_bits(), count, 0, s as u32)));
        while let Some(Reverse((db, _, _, v))) = self.heap.pop() {
            let v = v as usize;
            if self.state[v] == DONE {
                continue;
            }
            self.state[v] = DONE;
            self.order.push(v as u32);
            let dist = f64::from_bits(db);
            let r = g.offsets[v]..g.offsets[v + 1];
            for (&w, &len) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
                let wu = w as usize;
                let st = self.state[wu];
                if st == DONE {
                    continue;
                }
                let vw = dist + len;
                if st == UNSEEN || vw < self.seen[wu] {
                    if st == UNSEEN {
                        self.touched.push(w);
                        self.state[wu] = SEEN;
                    }
                    self.seen[wu] = vw;
                    count += 1;
                    self.heap.push(Reverse((vw.to_bits(), count, 0, w)));
                }
            }
        }
    }
}

/// A pool of workspaces shared by the rayon tasks (which workspace a task gets has no effect
/// on its result: every search starts from a reset workspace).
struct Pool {
    n: usize,
    free: Mutex<Vec<Work>>,
}

impl Pool {
    fn new(n: usize) -> Self {
        Pool {
            n,
            free: Mutex::new(Vec::new()),
        }
    }
    fn take(&self) -> Work {
        self.free
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_else(|| Work::new(self.n))
    }
    fn give(&self, w: Work) {
        if let Ok(mut v) = self.free.lock() {
            v.push(w);
        }
    }
}

/// Unnormalised betweenness summed over `sources` (Brandes). `g` holds the edge lengths.
/// Sources are cut into fixed blocks (a function of the source count only); each block is
/// summed in source order by one task, and blocks are added in block order.
pub(crate) fn betweenness_raw(
    g: &Csr,
    hops: bool,
    sources: &[usize],
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Vec<f64> {
    let n = g.n;
    let k = sources.len();
    let mut total = vec![0.0; n];
    if k == 0 {
        return total;
    }
    let bs = k.div_ceil(64).max(1);
    let blocks: Vec<&[usize]> = sources.chunks(bs).collect();
    // At most this many block accumulators alive at once (memory: wave * n * 8 bytes).
    let wave = (64usize).min((256usize << 20) / (8 * n.max(1))).max(2);
    let pool = Pool::new(n);
    let done = AtomicUsize::new(0);
    for group in blocks.chunks(wave) {
        let accs: Vec<Vec<f64>> = group
            .par_iter()
            .with_max_len(1)
            .map(|block| {
                let mut acc = vec![0.0; n];
                let mut w = pool.take();
                for &s in block.iter() {
                    if hops {
                        w.bfs_brandes(g, s);
                    } else {
                        w.dijkstra_brandes(g, s);
                    }
                    w.accumulate(s, &mut acc);
                    w.reset();
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if let Some(p) = progress {
                        p(d);
                    }
                }
                pool.give(w);
                acc
            })
            .collect();
        for acc in accs {
            for (t, a) in total.iter_mut().zip(acc) {
                *t += a;
            }
        }
    }
    total
}

/// For every node t, from the distances d(v, t) of the nodes v that reach it (searched on
/// `gt`, the transpose of the lengths): closeness as NetworkX (Wasserman-Faust scaled) and the
/// harmonic sum over d != 0 of 1/d. Each node's values are computed by one task.
pub(crate) fn closeness_harmonic(
    gt: &Csr,
    hops: bool,
    want_closeness: bool,
    want_harmonic: bool,
) -> (Vec<f64>, Vec<f64>) {
    let n = gt.n;
    let pool = Pool::new(n);
    let res: Vec<(f64, f64)> = (0..n)
        .into_par_iter()
        .with_max_len(16)
        .map(|t| {
            let mut w = pool.take();
            w.distances(gt, t, hops);
            let mut tot = 0.0;
            let mut harm = 0.0;
            for &v in &w.order {
                let d = w.seen[v as usize];
                tot += d;
                if want_harmonic && d != 0.0 {
                    harm += 1.0 / d;
                }
            }
            let r = w.order.len() as f64;
            let clo = if want_closeness && tot > 0.0 && n > 1 {
                ((r - 1.0) / tot) * ((r - 1.0) / (n as f64 - 1.0))
            } else {
                0.0
            };
            w.reset();
            pool.give(w);
            (clo, harm)
        })
        .collect();
    res.into_iter().unzip()
}
