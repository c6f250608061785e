//! Dropping edges that lie on no shortest path, before the all-sources searches.
//!
//! On a dense trade graph most edges are never shortest: a small flow (a long `inverse`
//! length) from `u` to `v` is beaten by a path through a large partner. Such an edge is read
//! and rejected by every one of the n searches. This pass finds, for every node `u`, short
//! paths to its out-neighbours, and drops an edge `(u, v)` whose length `w` is larger than
//! such a path -- but only by a margin that makes the result the same bits as the search on
//! the whole graph. The paths come from three stages, each on the graph the one before left:
//! two edges through one of the 16 shortest out-edges of `u`; two edges through any of them;
//! a Dijkstra search from `u` stopped after 128 settled nodes. On the 3,420-node `icio`
//! benchmark graph these keep 17%, then 5%, then 1% of the 2.9 M edges, in 0.5 s in all. A
//! stage that drops less than a quarter of the edges ends the pass (firm networks: 0.03%).
//!
//! The margin. The searches add lengths in floating point: a node settled at distance `a`
//! offers `v` the value fl(a + w). A path `P` from `u` to `v` of real length `R`, with at most
//! `k` edges, gives `v` at most fl-chain(a, P) <= (a + R)(1 + γ), γ = (k + 2)ε, and the search
//! keeps the smallest offer (adding in floating point is monotone). So the edge is never the
//! best offer, nor an equal one, when (a + w)(1 - ε) > (a + R)(1 + γ), i.e. when `a` is below
//! `lim = (w(1 - ε) - R(1 + γ)) / (ε + γ)` (halved here for safety, and only where the
//! difference is well above its own rounding error). Every distance a search reaches is a
//! sum of at most n - 1 kept edges, so it is at most (n - 1) W (1 + 2nε) with `W` the longest
//! kept edge; edges are dropped only when their `lim` is above that bound. An edge
//! that is never the best or an equal offer changes nothing in the search: no path count, no
//! predecessor, no distance, and the settling order is kept (NetworkX's push counter only
//! shifts, keeping its order). The tests compare pruned and unpruned searches bit for bit.

use super::paths::Heap;
use crate::model::Csr;
use rayon::prelude::*;

/// The bounding searches, in turn, each on the graph the previous one left.
const STAGES: [Search; 3] = [
    Search::TwoHop(16),
    Search::TwoHop(usize::MAX),
    Search::Settle(128),
];

/// How paths from a node `u` to its out-neighbours are looked for.
#[derive(Clone, Copy, Debug)]
enum Search {
    /// Through each of the `k` shortest out-edges of `u` and then one more edge.
    TwoHop(usize),
    /// Dijkstra from `u`, stopped after settling this many nodes.
    Settle(usize),
}

impl Search {
    /// The most edges a path found can have.
    fn hops(self) -> usize {
        match self {
            Search::TwoHop(_) => 2,
            Search::Settle(s) => s,
        }
    }
}

/// Scratch space of one bounding search (reset only where touched).
struct Scratch {
    dist: Vec<f64>,
    done: Vec<bool>,
    touched: Vec<u32>,
    heap: Heap,
    firsts: Vec<(f64, u32)>,
    rows: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            dist: vec![f64::INFINITY; n],
            done: vec![false; n],
            touched: Vec::new(),
            heap: Heap::new(n),
            firsts: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Lower `dist[t]` to `d`; true when `t` was not reached before.
    #[inline]
    fn offer(&mut self, t: usize, d: f64) -> bool {
        let old = self.dist[t];
        if d < old {
            if old == f64::INFINITY {
                self.touched.push(t as u32);
            }
            self.dist[t] = d;
            return true;
        }
        false
    }

    /// Fill `dist` with the lengths of paths from `u` found by `search`.
    fn bound(&mut self, g: &Csr, u: usize, search: Search) {
        match search {
            Search::TwoHop(k) => self.two_hop(g, u, k),
            Search::Settle(s) => self.settle(g, u, s),
        }
    }

    /// Paths of one or two edges, the first one of the `k` shortest out-edges of `u`. The
    /// updates are branch-free minima; the rows read are listed in `rows` for the reset.
    fn two_hop(&mut self, g: &Csr, u: usize, k: usize) {
        self.dist[u] = 0.0;
        self.rows.push(u as u32);
        let r = g.offsets[u]..g.offsets[u + 1];
        self.firsts.clear();
        for (&t, &w) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
            let d = &mut self.dist[t as usize];
            *d = if w < *d { w } else { *d };
            if t as usize != u {
                self.firsts.push((w, t));
            }
        }
        if self.firsts.len() > k {
            self.firsts
                .select_nth_unstable_by(k, |a, b| a.0.total_cmp(&b.0));
            self.firsts.truncate(k);
        }
        for &(a, x) in &self.firsts {
            self.rows.push(x);
            let r = g.offsets[x as usize]..g.offsets[x as usize + 1];
            for (&t, &w) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
                let d = &mut self.dist[t as usize];
                let via = a + w;
                *d = if via < *d { via } else { *d };
            }
        }
    }

    fn settle(&mut self, g: &Csr, u: usize, settle: usize) {
        self.offer(u, 0.0);
        self.heap.push(u as u32, 0.0, 0);
        let mut settled = 0;
        while settled < settle {
            let Some((v, d)) = self.heap.pop() else {
                break;
            };
            let v = v as usize;
            settled += 1;
            self.done[v] = true;
            let r = g.offsets[v]..g.offsets[v + 1];
            for (&t, &len) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
                let t = t as usize;
                if !self.done[t] && self.offer(t, d + len) {
                    self.heap.push(t as u32, d + len, 0);
                }
            }
        }
        self.heap.clear();
    }

    fn reset(&mut self, g: &Csr) {
        for &v in &self.touched {
            self.dist[v as usize] = f64::INFINITY;
            self.done[v as usize] = false;
        }
        self.touched.clear();
        for &x in &self.rows {
            self.dist[x as usize] = f64::INFINITY;
            for &t in &g.targets[g.offsets[x as usize]..g.offsets[x as usize + 1]] {
                self.dist[t as usize] = f64::INFINITY;
            }
        }
        self.rows.clear();
    }
}

/// For every edge of `g`, the largest distance of its source node at which the edge is
/// provably never a shortest-path edge (`-inf` when no shorter path was found).
fn limits(g: &Csr, search: Search) -> Vec<f64> {
    let eps = f64::EPSILON;
    let gamma = (search.hops() as f64 + 2.0) * eps;
    let block = 64;
    let rows: Vec<Vec<f64>> = (0..g.n.div_ceil(block))
        .into_par_iter()
        .map_init(
            || Scratch::new(g.n),
            |s, b| {
                let (lo, hi) = (b * block, ((b + 1) * block).min(g.n));
                let mut out = Vec::with_capacity(g.offsets[hi] - g.offsets[lo]);
                for u in lo..hi {
                    s.bound(g, u, search);
                    let r = g.offsets[u]..g.offsets[u + 1];
                    for (&t, &w) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
                        let ub = s.dist[t as usize];
                        // The margin `x` is computed with an error of at most 3εw; it is
                        // trusted only when it is well above that (then halving `x` keeps
                        // the limit below the true one).
                        let x = w * (1.0 - eps) - ub * (1.0 + gamma) * (1.0 + gamma);
                        out.push(if ub < w && x > 32.0 * eps * w {
                            0.5 * x / (eps + gamma)
                        } else {
                            f64::NEG_INFINITY
                        });
                    }
                    s.reset(g);
                }
                out
            },
        )
        .collect();
    rows.concat()
}

/// `g` without the edges that lie on no shortest path (see the module notes), or `None` when
/// there are none to drop. `g` holds non-negative lengths.
pub(crate) fn prune(g: &Csr) -> Option<Csr> {
    // An infinite length (1/f of a subnormal flow) would make infinite distances, where the
    // margin argument does not hold.
    if g.weights.iter().any(|w| !w.is_finite()) {
        return None;
    }
    let mut out: Option<Csr> = None;
    for search in STAGES {
        let cur = out.as_ref().unwrap_or(g);
        let Some(p) = prune_once(cur, search) else {
            break;
        };
        // A stage that drops little says the graph is sparse in detours (a firm network, a
        // tree): the costlier later stages would not pay for themselves.
        let enough = p.nnz() * 4 <= cur.nnz() * 3;
        out = Some(p);
        if !enough {
            break;
        }
    }
    out
}

/// One stage: bound, choose the cut, drop.
fn prune_once(g: &Csr, search: Search) -> Option<Csr> {
    let n = g.n;
    if n < 3 {
        return None;
    }
    let lim = limits(g, search);
    let cut = cut(&lim, &g.weights, n)?;
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0usize);
    let mut targets = Vec::new();
    let mut weights = Vec::new();
    for w in g.offsets.windows(2) {
        for ((&l, &t), &len) in lim[w[0]..w[1]]
            .iter()
            .zip(&g.targets[w[0]..w[1]])
            .zip(&g.weights[w[0]..w[1]])
        {
            if l < cut {
                targets.push(t);
                weights.push(len);
            }
        }
        offsets.push(targets.len());
    }
    Some(Csr {
        n,
        offsets,
        targets,
        weights,
    })
}

/// The smallest limit `c` such that dropping every edge whose limit is at least `c` is safe:
/// `c` is at least the distance bound (n - 1) W (1 + 2nε) of the longest edge `W` kept.
/// `None` when no edge can be dropped. Edges that are no candidates have limit `-inf`.
fn cut(lim: &[f64], weights: &[f64], n: usize) -> Option<f64> {
    let bound = |w: f64| (n as f64 - 1.0) * w * (1.0 + 2.0 * n as f64 * f64::EPSILON);
    // The longest edge kept when everything below `c` is kept.
    let longest = |c: f64| {
        lim.par_iter()
            .zip(weights)
            .filter(|(&l, _)| l < c)
            .map(|(_, &w)| w)
            .reduce(|| 0.0, f64::max)
    };
    // Raising the cut keeps more edges, which can raise the bound: iterate to a fixed point
    // (each step is at least the previous one, and every step keeps the drop safe once
    // `c >= bound(longest(c))`).
    let mut c = bound(longest(0.0));
    for _ in 0..64 {
        let need = bound(longest(c));
        if c >= need {
            return lim.iter().any(|&l| l >= c).then_some(c);
        }
        c = need;
    }
    None
}
