//! Deterministic parallel building blocks for the iterative measures.
//!
//! Every output entry is computed by one task in a fixed order, and every reduction sums
//! fixed-size blocks in block order, so results are bit-identical whatever the number of
//! rayon threads.

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

/// `x[i] *= s` for every entry.
pub(crate) fn scale(x: &mut [f64], s: f64) {
    if x.len() < PAR_WORK {
        x.iter_mut().for_each(|v| *v *= s);
    } else {
        x.par_iter_mut().with_min_len(4096).for_each(|v| *v *= s);
    }
}

/// Row `j` of `m` times `x`: sum over the row's entries of weight * x[target], in row order.
#[inline]
pub(crate) fn row_dot(m: &Csr, j: usize, x: &[f64]) -> f64 {
    let r = m.offsets[j]..m.offsets[j + 1];
    let mut s = 0.0;
    for (&t, &w) in m.targets[r.clone()].iter().zip(&m.weights[r]) {
        s += w * x[t as usize];
    }
    s
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

/// Sum of absolute values, by fixed blocks.
pub(crate) fn norm1(x: &[f64]) -> f64 {
    dsum(x.len(), |i| x[i].abs())
}

/// L1 distance between two vectors, by fixed blocks.
pub(crate) fn dist1(a: &[f64], b: &[f64]) -> f64 {
    dsum(a.len(), |i| (a[i] - b[i]).abs())
}
