//! Deterministic parallel building blocks for the iterative measures.
//!
//! Every output entry is computed in a fixed order (by one task, or from fixed row chunks added
//! in chunk order), and every reduction sums fixed-size blocks in block order, so results are
//! bit-identical whatever the number of rayon threads.

use crate::model::mem::prefetch;
use crate::model::Csr;
use rayon::prelude::*;

/// Below this much work (entries touched) a pass runs on the calling thread: the same blocks,
/// the same order, only without rayon's overhead.
const PAR_WORK: usize = 60_000;

/// Rows per block for a vector of `n` entries: a function of `n` only (never of the thread
/// count), between 64 and 4096, aiming at about 64 blocks.
pub(crate) fn block_len(n: usize) -> usize {
    n.div_ceil(64).clamp(64, 4096)
}

/// Fill `out[j] = f(j)` and return the sum of `g(j, out[j])`, summed within fixed blocks and
/// then across blocks in order. `work` is the number of matrix entries the pass touches.
pub(crate) fn fill_sum<F, G>(out: &mut [f64], work: usize, f: F, g: G) -> f64
where
    F: Fn(usize) -> f64 + Sync,
    G: Fn(usize, f64) -> f64 + Sync,
{
    let bl = block_len(out.len());
    let block = |(b, chunk): (usize, &mut [f64])| -> f64 {
        let base = b * bl;
        let mut s = 0.0;
        for (k, o) in chunk.iter_mut().enumerate() {
            *o = f(base + k);
            s += g(base + k, *o);
        }
        s
    };
    let parts: Vec<f64> = if work + out.len() < PAR_WORK {
        out.chunks_mut(bl).enumerate().map(block).collect()
    } else {
        out.par_chunks_mut(bl).enumerate().map(block).collect()
    };
    parts.iter().sum()
}

/// Sum of `f(j)` for `j < n`, by fixed blocks in order.
pub(crate) fn dsum<F>(n: usize, f: F) -> f64
where
    F: Fn(usize) -> f64 + Sync,
{
    let bl = block_len(n);
    let nb = n.div_ceil(bl);
    let block = |b: usize| -> f64 { (b * bl..((b + 1) * bl).min(n)).map(&f).sum() };
    let parts: Vec<f64> = if n < PAR_WORK {
        (0..nb).map(block).collect()
    } else {
        (0..nb).into_par_iter().map(block).collect()
    };
    parts.iter().sum()
}

/// Dot product, by fixed blocks.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    dsum(a.len(), |i| a[i] * b[i])
}

/// `y -= c * x`.
pub(crate) fn axpy(y: &mut [f64], c: f64, x: &[f64]) {
    if y.len() < PAR_WORK {
        y.iter_mut().zip(x).for_each(|(yi, xi)| *yi -= c * xi);
    } else {
        y.par_iter_mut()
            .with_min_len(4096)
            .zip(x.par_iter())
            .for_each(|(yi, xi)| *yi -= c * xi);
    }
}

/// The dot products of `w` with every vector of `basis`, in one pass over `w`: each block of
/// entries (fixed, see [`block_len`]) gives its partial sums, added block by block in order.
pub(crate) fn dots(basis: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
    let n = w.len();
    let k = basis.len();
    let bl = block_len(n);
    let nb = n.div_ceil(bl);
    let block = |b: usize| -> Vec<f64> {
        let r = b * bl..((b + 1) * bl).min(n);
        let wb = &w[r.clone()];
        basis
            .iter()
            .map(|v| v[r.clone()].iter().zip(wb).map(|(x, y)| x * y).sum())
            .collect()
    };
    let parts: Vec<Vec<f64>> = if n * k < PAR_WORK {
        (0..nb).map(block).collect()
    } else {
        (0..nb).into_par_iter().map(block).collect()
    };
    let mut out = vec![0.0; k];
    for p in parts {
        for (o, v) in out.iter_mut().zip(p) {
            *o += v;
        }
    }
    out
}

/// `w -= Σ_i c[i] basis[i]`, in one pass over `w` (each entry subtracts the terms in basis
/// order).
pub(crate) fn sub_combination(w: &mut [f64], basis: &[Vec<f64>], c: &[f64]) {
    let bl = block_len(w.len());
    let run = |(b, chunk): (usize, &mut [f64])| {
        let base = b * bl;
        for (v, &ci) in basis.iter().zip(c) {
            let vb = &v[base..base + chunk.len()];
            chunk.iter_mut().zip(vb).for_each(|(x, y)| *x -= ci * y);
        }
    };
    if w.len() * basis.len() < PAR_WORK {
        w.chunks_mut(bl).enumerate().for_each(run);
    } else {
        w.par_chunks_mut(bl).enumerate().for_each(run);
    }
}

/// `x[i] *= s` for every entry.
pub(crate) fn scale(x: &mut [f64], s: f64) {
    if x.len() < PAR_WORK {
        x.iter_mut().for_each(|v| *v *= s);
    } else {
        x.par_iter_mut().with_min_len(4096).for_each(|v| *v *= s);
    }
}

/// Row `j` of `m` times `x`, the row's targets taken from `targets` (the matrix's own, or a
/// 16-bit copy of them: the same entries in the same order, so the same sum to the bit): the
/// sum over the row's entries of weight * x[target], in four interleaved partial sums (entries
/// 0,4,8.. / 1,5,9.. / ...; the last len % 4 entries go to the first) added at the end, so
/// that the additions pipeline; a fixed order, whatever the thread count.
#[inline]
fn row_dot_with<I: Copy + Into<u32>>(m: &Csr, targets: &[I], j: usize, x: &[f64]) -> f64 {
    let r = m.offsets[j]..m.offsets[j + 1];
    let (t, w) = (&targets[r.clone()], &m.weights[r]);
    let mut s = [0.0f64; 4];
    let (tc, wc) = (t.chunks_exact(4), w.chunks_exact(4));
    let (tr, wr) = (tc.remainder(), wc.remainder());
    for (tt, ww) in tc.zip(wc) {
        s[0] += ww[0] * x[tt[0].into() as usize];
        s[1] += ww[1] * x[tt[1].into() as usize];
        s[2] += ww[2] * x[tt[2].into() as usize];
        s[3] += ww[3] * x[tt[3].into() as usize];
    }
    for (&ti, &wi) in tr.iter().zip(wr) {
        s[0] += wi * x[ti.into() as usize];
    }
    (s[0] + s[1]) + (s[2] + s[3])
}

/// True when reads at random places of a vector of `n` f64 mostly miss the core's own caches
/// (more than 1 MiB, half an L2), so that a sweep over a matrix's rows gathering from it is
/// bound by memory and gains from software prefetch (see [`EntryAhead`]).
pub(crate) fn scattered(n: usize) -> bool {
    n * 8 > 1 << 20
}

/// Software prefetch of a matrix's entry streams (weights and targets) a fixed number of
/// entries ahead of a sweep over its rows in order. The hardware prefetcher follows such
/// streams by itself when they are all there is, but not among the random reads of a gather
/// into a big vector on short rows: on 1 M firms (10 M flows, 10 entries a row) the PageRank
/// sweep took 28 ms a thread instead of 39 with it. A hint only: no value changes.
pub(crate) struct EntryAhead {
    weights: usize,
    targets: usize,
    target_size: usize,
    /// The first entry not yet prefetched.
    front: usize,
}

impl EntryAhead {
    /// Entries ahead of the row being read (128: 1 KiB of weights; 64 to 512 gave the same).
    const DISTANCE: usize = 128;

    /// Prefetch for a sweep over `m` (targets `t`) from entry `from`.
    pub(crate) fn new<I>(m: &Csr, t: &[I], from: usize) -> EntryAhead {
        EntryAhead {
            weights: m.weights.as_ptr() as usize,
            targets: t.as_ptr() as usize,
            target_size: std::mem::size_of::<I>(),
            front: from,
        }
    }

    /// Before reading a row that ends at entry `end`: prefetch up to `end` + the distance, a
    /// cache line of weights (8 entries) at a time. Addresses past the end are harmless (a
    /// prefetch never faults).
    #[inline]
    pub(crate) fn before(&mut self, end: usize) {
        let e = end + Self::DISTANCE;
        while self.front < e {
            prefetch(self.weights.wrapping_add(8 * self.front));
            prefetch(self.targets.wrapping_add(self.target_size * self.front));
            self.front += 8;
        }
    }
}

/// Rows ahead of the row being computed whose offsets and output [`gather_fill`] prefetches,
/// 8 rows (a cache line) at a time.
const ROWS_AHEAD: usize = 64;

/// Gather rows of `m` (targets `t`) times `y` by the blocks of [`fill_sum`]:
/// `out[j] = f(j, row j · y)`; returns the sum of `g(j, out[j])` by blocks in order, as
/// [`fill_sum`] sums it. When `y` is [`scattered`], the matrix's streams and the offsets and
/// output are prefetched ahead (a hint only: the same values either way).
fn gather_fill<I, F, G>(m: &Csr, t: &[I], y: &[f64], out: &mut [f64], f: F, g: G) -> f64
where
    I: Copy + Into<u32> + Sync,
    F: Fn(usize, f64) -> f64 + Sync,
    G: Fn(usize, f64) -> f64 + Sync,
{
    let bl = block_len(out.len());
    let ahead = scattered(y.len());
    let block = |(b, chunk): (usize, &mut [f64])| -> f64 {
        let base = b * bl;
        let mut entries = EntryAhead::new(m, t, m.offsets[base]);
        let (offsets, outp) = (m.offsets.as_ptr() as usize, chunk.as_ptr() as usize);
        let mut s = 0.0;
        for (k, o) in chunk.iter_mut().enumerate() {
            let j = base + k;
            if ahead {
                entries.before(m.offsets[j + 1]);
                if k % 8 == 0 {
                    prefetch(offsets.wrapping_add(8 * (j + ROWS_AHEAD)));
                    prefetch(outp.wrapping_add(8 * (k + ROWS_AHEAD)));
                }
            }
            *o = f(j, row_dot_with(m, t, j, y));
            s += g(j, *o);
        }
        s
    };
    let parts: Vec<f64> = if m.nnz() + out.len() < PAR_WORK {
        out.chunks_mut(bl).enumerate().map(block).collect()
    } else {
        out.par_chunks_mut(bl).enumerate().map(block).collect()
    };
    parts.iter().sum()
}

/// The matrix's targets as 16-bit indices when every index fits (n <= 65,536): 10 bytes per
/// entry streamed instead of 12, for kernels that are bound by memory bandwidth.
fn narrow(a: &Csr) -> Option<Vec<u16>> {
    (a.n <= 1 << 16 && a.nnz() >= 1 << 16).then(|| a.targets.iter().map(|&t| t as u16).collect())
}

/// Euclidean norm, scaled by the largest entry so that no square overflows (as `math.hypot`).
pub(crate) fn norm2(x: &[f64]) -> f64 {
    let m = x.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    if m == 0.0 || !m.is_finite() {
        return m;
    }
    let s = dsum(x.len(), |i| {
        let v = x[i] / m;
        v * v
    });
    m * s.sqrt()
}

/// Products with a matrix `a` (rows = exporters) or its transpose, without building the
/// transpose: `Gather` computes (A y)[j] = row j of `a` times y, one task per entry;
/// `Scatter` computes (A^T y)[j] = Σ_i y[i] a[i][j] by a fixed set of row chunks (a function
/// of the matrix alone), each adding into its own vector, then summed chunk by chunk in order.
/// Both give the same bits whatever the thread count.
pub(crate) enum Product {
    /// `t16`: the targets in 16 bits, when they fit.
    Gather { t16: Option<Vec<u16>> },
    /// A^T by gathering over a transposed copy: for big graphs, where per-chunk vectors would
    /// not stay in cache.
    GatherTransposed(Csr),
    Scatter {
        chunks: Vec<(usize, usize)>,
        bufs: Vec<Vec<f64>>,
        t16: Option<Vec<u16>>,
    },
}

impl Product {
    fn scatter_chunks(nnz: usize) -> usize {
        (nnz / 262_144).clamp(1, 8)
    }

    /// True when A^T·y gathers over a transposed copy of a matrix of `n` rows and `nnz`
    /// entries: when per-chunk scatter vectors would not stay in cache, and on dense graphs of
    /// a million entries or more (16+ per row), where a gather streams each row once without
    /// the scatter's read-modify-write (on icio, 3,420 nodes and 2.9 M entries: 50 ms instead
    /// of 75 for 41 eigenvector iterations).
    pub(crate) fn transposes(n: usize, nnz: usize) -> bool {
        Self::scatter_chunks(nnz) * n * 8 > 8 << 20 || (nnz >= 1 << 20 && nnz >= 16 * n)
    }

    /// A·y when `transposed` is false, A^T·y when true.
    pub(crate) fn new(a: &Csr, transposed: bool) -> Product {
        if !transposed {
            return Product::Gather { t16: narrow(a) };
        }
        if Product::transposes(a.n, a.nnz()) {
            return Product::GatherTransposed(a.transpose());
        }
        let m = a.nnz();
        let k = Self::scatter_chunks(m);
        let mut bounds = vec![0usize];
        for c in 1..k {
            let target = m * c / k;
            let r = a.offsets.partition_point(|&o| o < target).min(a.n);
            bounds.push(r.max(*bounds.last().expect("non-empty")));
        }
        bounds.push(a.n);
        let chunks: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        let bufs = vec![vec![0.0; a.n]; chunks.len()];
        Product::Scatter {
            chunks,
            bufs,
            t16: narrow(a),
        }
    }

    /// out[j] = f(j, (product · y)[j]); returns the block-ordered sum of g(j, out[j]).
    pub(crate) fn apply<F, G>(&mut self, a: &Csr, y: &[f64], out: &mut [f64], f: F, g: G) -> f64
    where
        F: Fn(usize, f64) -> f64 + Sync,
        G: Fn(usize, f64) -> f64 + Sync,
    {
        match self {
            Product::Gather { t16: Some(t) } => gather_fill(a, t, y, out, f, g),
            Product::Gather { t16: None } => gather_fill(a, &a.targets, y, out, f, g),
            Product::GatherTransposed(t) => gather_fill(t, &t.targets, y, out, f, g),
            Product::Scatter { chunks, bufs, t16 } => {
                fn add<I: Copy + Into<u32>>(buf: &mut [f64], t: &[I], w: &[f64], yi: f64) {
                    for (&t, &w) in t.iter().zip(w) {
                        buf[t.into() as usize] += yi * w;
                    }
                }
                let t16 = &*t16;
                let run = |(&(lo, hi), buf): (&(usize, usize), &mut Vec<f64>)| {
                    buf.iter_mut().for_each(|v| *v = 0.0);
                    for (i, &yi) in y.iter().enumerate().take(hi).skip(lo) {
                        if yi == 0.0 {
                            continue;
                        }
                        let r = a.offsets[i]..a.offsets[i + 1];
                        match t16 {
                            Some(t) => add(buf, &t[r.clone()], &a.weights[r], yi),
                            None => add(buf, &a.targets[r.clone()], &a.weights[r], yi),
                        }
                    }
                };
                if chunks.len() == 1 {
                    chunks.iter().zip(bufs.iter_mut()).for_each(run);
                } else {
                    chunks.par_iter().zip(bufs.par_iter_mut()).for_each(run);
                }
                let bufs = &*bufs;
                fill_sum(
                    out,
                    a.n * bufs.len(),
                    |j| {
                        let mut s = 0.0;
                        for b in bufs {
                            s += b[j];
                        }
                        f(j, s)
                    },
                    g,
                )
            }
        }
    }
}
