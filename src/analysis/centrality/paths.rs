//! Shortest-path kernels: Brandes betweenness with Dijkstra (or BFS for hops), and incoming
//! distances for closeness and harmonic centrality.
//!
//! The Dijkstra search mirrors NetworkX's `_single_source_dijkstra_path_basic` step for step:
//! nodes settled in the order of (distance, push counter) -- NetworkX's binary heap with lazy
//! deletion; here an indexed 4-ary heap with decrease-key, which pops the same sequence since a
//! stale entry is never the one settled -- a node's path count completed when it is popped, predecessors of equal (bit-identical) distance counted, and edges into already
//! settled nodes of equal distance still counted. So ties, zero-length edges and lengths too
//! small to change a sum all come out as they do in NetworkX.

use super::prune::prune;
use super::Distance;
use crate::model::Csr;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const NIL: u32 = u32::MAX;

/// A node index as stored in the edge arrays: `u16` for graphs of at most 65,536 nodes (less
/// memory to stream per search), else `u32`.
pub(crate) trait Ix: Copy + Send + Sync {
    fn ix(self) -> usize;
    fn from_usize(v: usize) -> Self;
}

impl Ix for u16 {
    #[inline]
    fn ix(self) -> usize {
        self as usize
    }
    #[inline]
    fn from_usize(v: usize) -> Self {
        v as u16
    }
}

impl Ix for u32 {
    #[inline]
    fn ix(self) -> usize {
        self as usize
    }
    #[inline]
    fn from_usize(v: usize) -> Self {
        v as u32
    }
}

/// Ask the CPU to start loading `s[i]` (no-op past the end or off x86-64).
#[inline(always)]
fn prefetch<T>(s: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if i < s.len() {
        // SAFETY: a prefetch is a hint that cannot fault, and the pointer is in bounds.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch(s.as_ptr().add(i) as *const i8, _MM_HINT_T0);
        }
    }
}

/// Edge lengths in row-compressed form, with compact node indices.
pub(crate) struct Lens<I> {
    n: usize,
    offsets: Vec<usize>,
    targets: Vec<I>,
    weights: Vec<f64>,
}

impl<I: Ix> Lens<I> {
    fn from_csr(c: &Csr) -> Self {
        Lens {
            n: c.n,
            offsets: c.offsets.clone(),
            targets: c
                .targets
                .iter()
                .map(|&t| I::from_usize(t as usize))
                .collect(),
            weights: c.weights.clone(),
        }
    }
}
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
    heap: Heap,
    /// The node whose relaxation last lowered a node's distance (NetworkX's `pred` in the
    /// heap entry that settles it).
    via: Vec<u32>,
}

/// An indexed 4-ary min-heap of (distance, push counter, node), packed into one `u128` so
/// that a comparison is one integer compare and the four children of an entry share a cache
/// line. Distances are non-negative, so their bit patterns order like the numbers. A node
/// pushed again gets its key lowered in place (NetworkX leaves a stale entry behind instead,
/// which is never the one that settles a node: the pop sequence is the same).
///
/// The counter is kept in 32 bits: a search pushes at most once per edge, and a graph has
/// fewer than 2^32 edges (see the builder's limits).
pub(super) struct Heap {
    v: Vec<u128>,
    pos: Vec<u32>,
}

#[inline(always)]
fn node_of(e: u128) -> usize {
    e as u32 as usize
}

impl Heap {
    pub(super) fn new(n: usize) -> Self {
        Heap {
            v: Vec::new(),
            pos: vec![NIL; n],
        }
    }

    /// Insert `node`, or lower its key (keys only ever decrease).
    #[inline]
    pub(super) fn push(&mut self, node: u32, dist: f64, count: u64) {
        debug_assert!(count <= u64::from(u32::MAX));
        let e = (u128::from(dist.to_bits()) << 64)
            | (u128::from(count as u32) << 32)
            | u128::from(node);
        let mut i = match self.pos[node as usize] {
            NIL => {
                self.v.push(e);
                self.v.len() - 1
            }
            p => p as usize,
        };
        while i > 0 {
            let parent = (i - 1) / 4;
            let p = self.v[parent];
            if p <= e {
                break;
            }
            self.v[i] = p;
            self.pos[node_of(p)] = i as u32;
            i = parent;
        }
        self.v[i] = e;
        self.pos[node as usize] = i as u32;
    }

    /// Remove the node with the smallest key: the node and its distance.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<(u32, f64)> {
        let top = *self.v.first()?;
        self.pos[node_of(top)] = NIL;
        let last = self.v.pop().expect("not empty");
        let len = self.v.len();
        if len > 0 {
            let mut i = 0;
            loop {
                let c = 4 * i + 1;
                if c >= len {
                    break;
                }
                let mut best = c;
                let mut bk = self.v[c];
                for j in c + 1..(c + 4).min(len) {
                    let kj = self.v[j];
                    if kj < bk {
                        best = j;
                        bk = kj;
                    }
                }
                if bk >= last {
                    break;
                }
                self.v[i] = bk;
                self.pos[node_of(bk)] = i as u32;
                i = best;
            }
            self.v[i] = last;
            self.pos[node_of(last)] = i as u32;
        }
        Some((top as u32, f64::from_bits((top >> 64) as u64)))
    }

    /// Empty the heap (for a search stopped before it ran dry).
    pub(super) fn clear(&mut self) {
        for &e in &self.v {
            self.pos[node_of(e)] = NIL;
        }
        self.v.clear();
    }
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
            heap: Heap::new(n),
            via: vec![0; n],
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
    fn dijkstra_brandes<I: Ix>(&mut self, g: &Lens<I>, s: usize) {
        self.sigma[s] = 1.0;
        self.seen[s] = 0.0;
        self.state[s] = SEEN;
        self.touched.push(s as u32);
        let mut count = 0u64;
        self.via[s] = s as u32;
        self.heap.push(s as u32, 0.0, count);
        while let Some((v, dist)) = self.heap.pop() {
            let v = v as usize;
            self.sigma[v] += self.sigma[self.via[v] as usize];
            self.order.push(v as u32);
            self.state[v] = DONE;
            let r = g.offsets[v]..g.offsets[v + 1];
            let (tg, ln) = (&g.targets[r.clone()], &g.weights[r]);
            for (k, (&w, &len)) in tg.iter().zip(ln).enumerate() {
                if k % 8 == 0 {
                    // Rows are visited in distance order, not memory order: fetch ahead.
                    prefetch(ln, k + 64);
                    prefetch(tg, k + 128);
                }
                let wu = w.ix();
                let w = wu as u32;
                let vw = dist + len;
                let sw = self.seen[wu];
                // Unseen nodes hold +inf, so this one test filters out the common case (a
                // longer path to a node already seen or settled) before anything else is read.
                if vw > sw {
                    continue;
                }
                let st = self.state[wu];
                if st != DONE && (st == UNSEEN || vw < sw) {
                    if st == UNSEEN {
                        self.touched.push(w);
                        self.state[wu] = SEEN;
                    }
                    self.seen[wu] = vw;
                    count += 1;
                    self.heap.push(w, vw, count);
                    self.via[wu] = v as u32;
                    self.sigma[wu] = 0.0;
                    self.set_pred(wu, v as u32);
                } else if vw == sw {
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
    fn bfs_brandes<I: Ix>(&mut self, g: &Lens<I>, s: usize) {
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
                let wu = w.ix();
                let w = wu as u32;
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
    fn distances<I: Ix>(&mut self, g: &Lens<I>, s: usize, hops: bool) {
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
                    let w = w.ix() as u32;
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
        self.heap.push(s as u32, 0.0, count);
        while let Some((v, dist)) = self.heap.pop() {
            let v = v as usize;
            self.state[v] = DONE;
            self.order.push(v as u32);
            let r = g.offsets[v]..g.offsets[v + 1];
            for (&w, &len) in g.targets[r.clone()].iter().zip(&g.weights[r]) {
                let wu = w.ix();
                let w = wu as u32;
                let vw = dist + len;
                let sw = self.seen[wu];
                if vw >= sw && sw != f64::INFINITY {
                    continue;
                }
                let st = self.state[wu];
                if st == DONE {
                    continue;
                }
                if st == UNSEEN || vw < sw {
                    if st == UNSEEN {
                        self.touched.push(w);
                        self.state[wu] = SEEN;
                    }
                    self.seen[wu] = vw;
                    count += 1;
                    self.heap.push(w, vw, count);
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

/// Whether dropping the edges that are never shortest ([`prune`]) pays for `searches`
/// weighted searches. On a dense graph it costs about as much as 150 of them (icio: 0.5 s,
/// against 3.5 ms a search); it is never needed for hops, where every edge has length 1.
fn worth_pruning(hops: bool, searches: usize) -> bool {
    !hops && searches >= 200
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
    betweenness_with(
        g,
        hops,
        sources,
        progress,
        worth_pruning(hops, sources.len()),
    )
}

/// [`betweenness_raw`], searching the pruned graph when `pruning`.
fn betweenness_with(
    g: &Csr,
    hops: bool,
    sources: &[usize],
    progress: Option<&(dyn Fn(usize) + Sync)>,
    pruning: bool,
) -> Vec<f64> {
    let pruned = pruning.then(|| prune(g)).flatten();
    let g = pruned.as_ref().unwrap_or(g);
    if g.n <= 1 << 16 {
        betweenness_lens(&Lens::<u16>::from_csr(g), hops, sources, progress)
    } else {
        betweenness_lens(&Lens::<u32>::from_csr(g), hops, sources, progress)
    }
}

fn betweenness_lens<I: Ix>(
    g: &Lens<I>,
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
    let pruning = worth_pruning(hops, gt.n);
    closeness_with(gt, hops, want_closeness, want_harmonic, pruning)
}

/// [`closeness_harmonic`], searching the pruned graph when `pruning`.
fn closeness_with(
    gt: &Csr,
    hops: bool,
    want_closeness: bool,
    want_harmonic: bool,
    pruning: bool,
) -> (Vec<f64>, Vec<f64>) {
    let pruned = pruning.then(|| prune(gt)).flatten();
    let gt = pruned.as_ref().unwrap_or(gt);
    if gt.n <= 1 << 16 {
        closeness_lens(
            &Lens::<u16>::from_csr(gt),
            hops,
            want_closeness,
            want_harmonic,
        )
    } else {
        closeness_lens(
            &Lens::<u32>::from_csr(gt),
            hops,
            want_closeness,
            want_harmonic,
        )
    }
}

fn closeness_lens<I: Ix>(
    gt: &Lens<I>,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// splitmix64: a fixed stream of pseudo-random numbers.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// A random directed graph of flows: `n` nodes, each pair linked with probability `p`;
    /// flows heavy-tailed (`ties` false) or from {1, 2, 4} (many equal path lengths).
    fn flows(n: usize, p: f64, ties: bool, seed: u64) -> Csr {
        let mut r = Rng(seed);
        let mut offsets = vec![0];
        let (mut targets, mut weights) = (Vec::new(), Vec::new());
        for i in 0..n {
            for j in 0..n {
                if i != j && r.unit() < p {
                    targets.push(j as u32);
                    let f = if ties {
                        [1.0, 2.0, 4.0][(r.next() % 3) as usize]
                    } else {
                        (8.0 * r.unit() - 4.0).exp() * (1.0 + r.unit())
                    };
                    weights.push(f);
                }
            }
            offsets.push(targets.len());
        }
        Csr {
            n,
            offsets,
            targets,
            weights,
        }
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn pruned_searches_give_the_same_bits() {
        let mut dropped = 0;
        for (seed, n, p, ties) in [
            (1, 120, 0.5, false),
            (2, 200, 0.1, false),
            (3, 90, 0.6, true),
            (4, 150, 0.03, false),
        ] {
            let c = flows(n, p, ties, seed);
            for d in [Distance::Inverse, Distance::NegLog] {
                let g = lengths(&c, d);
                let Some(pg) = prune(&g) else {
                    continue;
                };
                assert!(pg.nnz() < g.nnz());
                dropped += g.nnz() - pg.nnz();
                let all: Vec<usize> = (0..n).collect();
                let sub: Vec<usize> = (0..n).step_by(7).collect();
                for s in [&all, &sub] {
                    let full = betweenness_with(&g, false, s, None, false);
                    let cut = betweenness_with(&g, false, s, None, true);
                    assert_eq!(bits(&full), bits(&cut), "betweenness {seed} {d:?}");
                }
                let gt = g.transpose();
                let (c0, h0) = closeness_with(&gt, false, true, true, false);
                let (c1, h1) = closeness_with(&gt, false, true, true, true);
                assert_eq!(bits(&c0), bits(&c1), "closeness {seed} {d:?}");
                assert_eq!(bits(&h0), bits(&h1), "harmonic {seed} {d:?}");
            }
        }
        // The comparison means something only if edges were dropped.
        assert!(dropped > 10_000, "only {dropped} edges dropped");
    }

    #[test]
    fn infinite_lengths_are_not_pruned() {
        let mut g = lengths(&flows(40, 0.5, false, 9), Distance::Inverse);
        assert!(prune(&g).is_some());
        g.weights[3] = f64::INFINITY;
        assert!(prune(&g).is_none());
    }
}
