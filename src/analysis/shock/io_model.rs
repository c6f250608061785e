//! Input-output propagation (MODELS.md §4): Leontief (demand-driven, upstream) and Ghosh
//! (supply-driven, downstream), computed by rounds so that each tier of the supply chain can be
//! seen, and cross-checked against a direct solve.
//!
//! Notation: Z = intermediate flows (z[i,j] from supplier i to buyer j), x = gross output,
//! y = final demand, A = Z diag(x)^-1 (a[i,j] = z[i,j] / x[j]; a column with x[j] = 0 is all
//! zero), B = diag(x)^-1 Z (b[i,j] = z[i,j] / x[i]).
//!
//! Leontief: dx = (I - A)^-1 dy = dy + A dy + A^2 dy + ...; round k = A^k dy is the k-th tier
//! of suppliers. Ghosh: dx' = dv' (I - B)^-1 = dv' + dv' B + dv' B^2 + ...; round k reaches
//! the k-th tier of buyers. B = diag(x)^-1 A diag(x) has the same spectrum as A, so both series
//! converge when every column sum of A is below 1, which [`IoSystem::new`] checks.
//!
//! Rounds are sparse matrix-vector products over the CSR copy of Z (rows in parallel with
//! rayon, each row summed in a fixed order, so results do not depend on the thread count):
//! A r = Z (r / x) and (r' B)' = Z' (r / x).

use crate::error::{Error, Result};
use crate::model::{Csr, TradeGraph};
use crate::text::clip;
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;
use std::sync::OnceLock;

/// Parameters of the rounds ([`IoSystem::leontief`], [`IoSystem::ghosh`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RoundParams {
    /// Stop after the first round whose L1 norm is below `tol * |shock|_1`. Default 1e-10.
    pub tol: f64,
    /// The most rounds (round 0 is the shock itself); more is a
    /// [`Error::NotConverged`]. Default 1000.
    pub max_rounds: usize,
    /// How many of the largest movers (by absolute value) to keep per round. Default 5.
    pub top: usize,
}

impl Default for RoundParams {
    fn default() -> Self {
        RoundParams {
            tol: 1e-10,
            max_rounds: 1000,
            top: 5,
        }
    }
}

impl RoundParams {
    /// Check `tol` > 0 and finite, `max_rounds` >= 1.
    ///
    /// Errors: [`Error::Param`].
    pub fn validate(&self) -> Result<()> {
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::param(
                "rounds.tol",
                self.tol,
                "must be a finite number > 0",
            ));
        }
        if self.max_rounds == 0 {
            return Err(Error::param("rounds.max_rounds", 0, "must be at least 1"));
        }
        Ok(())
    }
}

/// One round of a propagation.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// 0 for the shock itself, k for A^k dy (or dv' B^k).
    pub round: usize,
    /// Sum of the round's changes (signed).
    pub sum: f64,
    /// L1 norm of the round's changes.
    pub l1: f64,
    /// The largest movers of the round: (node index, change), by absolute change, descending,
    /// ties by index.
    pub top: Vec<(usize, f64)>,
}

/// The result of [`IoSystem::leontief`] or [`IoSystem::ghosh`].
#[derive(Debug, Clone, PartialEq)]
pub struct Propagation {
    /// The change of gross output of every node: the sum of all rounds.
    pub total: Vec<f64>,
    /// The rounds, from 0 (the shock).
    pub rounds: Vec<Round>,
}

/// An input-output system ready for propagation: Z as CSR, x, y, and each node's id (for
/// messages).
///
/// ```
/// use tradenet::analysis::{IoSystem, RoundParams};
/// use tradenet::Csr;
/// // Two industries: z[0,1] = 20 (0 supplies 1), z[1,0] = 10; x = (100, 100).
/// let z = Csr { n: 2, offsets: vec![0, 1, 2], targets: vec![1, 0], weights: vec![20.0, 10.0] };
/// let sys = IoSystem::new(vec!["a".into(), "b".into()], z, vec![100.0, 100.0], vec![70.0, 80.0]).unwrap();
/// let p = sys.leontief(&[0.0, 1.0], &RoundParams::default()).unwrap();
/// // (I - A)^-1 e_1 with A = [[0, .2], [.1, 0]]: (0.2, 1) / 0.98
/// assert!((p.total[0] - 0.2 / 0.98).abs() < 1e-9 && (p.total[1] - 1.0 / 0.98).abs() < 1e-9);
/// ```
#[derive(Debug)]
pub struct IoSystem {
    ids: Vec<String>,
    z: Sparse,
    zt: OnceLock<Sparse>,
    x: Vec<f64>,
    inv_x: Vec<f64>,
    y: Vec<f64>,
}

/// Below this many entries a round runs on one thread.
const PAR_MIN_NNZ: usize = 200_000;

impl IoSystem {
    /// A system from its parts: `ids[i]` names node i, `z` holds the intermediate flows (row
    /// = supplier), `x` the gross output, `y` the total final demand of each node.
    ///
    /// Errors ([`Error::Param`]): lengths that differ, an output that is negative or not
    /// finite. [`Error::Numeric`]: a column of A summing to 1 or more (its node is named):
    /// then the rounds need not shrink and (I - A) may be singular.
    /// Complexity O(n + nnz).
    pub fn new(ids: Vec<String>, z: Csr, x: Vec<f64>, y: Vec<f64>) -> Result<IoSystem> {
        let z = Sparse::new(z.n, z.offsets, z.targets, z.weights);
        Self::from_sparse(ids, z, x, y)
    }

    fn from_sparse(ids: Vec<String>, z: Sparse, x: Vec<f64>, y: Vec<f64>) -> Result<IoSystem> {
        let n = z.n;
        if ids.len() != n || x.len() != n || y.len() != n {
            return Err(Error::Unsuited(format!(
                "input-output system: {} nodes in Z but {} ids, {} outputs, {} final demands",
                n,
                ids.len(),
                x.len(),
                y.len()
            )));
        }
        for (i, &xi) in x.iter().enumerate() {
            if !xi.is_finite() || xi < 0.0 {
                return Err(Error::Unsuited(format!(
                    "node '{}': gross output must be finite and >= 0, got {xi}",
                    clip(&ids[i])
                )));
            }
        }
        for (i, &yi) in y.iter().enumerate() {
            if !yi.is_finite() {
                return Err(Error::Unsuited(format!(
                    "node '{}': final demand must be finite, got {yi}",
                    clip(&ids[i])
                )));
            }
        }
        let inv_x: Vec<f64> = x
            .iter()
            .map(|&v| if v > 0.0 { 1.0 / v } else { 0.0 })
            .collect();
        let col = z.col_sums();
        for j in 0..n {
            let s = col[j] * inv_x[j];
            if s >= 1.0 {
                return Err(Error::Numeric(format!(
                    "column of A for node '{}' sums to {s:.4} (>= 1): its intermediate inputs ({:.6e}) are not below its gross output ({:.6e}), so the rounds of the supply chain do not shrink; fix the node's output or flows",
                    clip(&ids[j]), col[j], x[j]
                )));
            }
        }
        Ok(IoSystem {
            ids,
            z,
            zt: OnceLock::new(),
            x,
            inv_x,
            y,
        })
    }

    /// The system of an input-output graph: Z from its flows (parallel flows summed,
    /// self-flows kept), x from each node's `output`, y from each node's total final demand
    /// (0 when absent).
    ///
    /// Errors: a node without `output` ([`Error::Param`], named); see [`IoSystem::new`].
    /// Complexity O(n + m).
    pub fn from_graph(g: &TradeGraph) -> Result<IoSystem> {
        let mut x = Vec::with_capacity(g.node_count());
        for n in g.nodes() {
            x.push(n.output().ok_or_else(|| {
                Error::Unsuited(format!(
                    "node '{}' has no output (gross output): Leontief and Ghosh need it on every node (give it in the file, or as a node,value file)",
                    clip(&n.id)
                ))
            })?);
        }
        Self::from_graph_with(g, x, None)
    }

    /// The system of graph `g` with gross output `x` and final demand `y` given separately
    /// (in node order; `None`: each node's total final demand in the graph, else 0). This is
    /// how an edge list of country-sector flows becomes a system.
    ///
    /// Errors: see [`IoSystem::new`]. Complexity O(n + m).
    pub fn from_graph_with(g: &TradeGraph, x: Vec<f64>, y: Option<Vec<f64>>) -> Result<IoSystem> {
        let ids: Vec<String> = g.nodes().map(|n| n.id.to_string()).collect();
        let y = y.unwrap_or_else(|| {
            g.nodes()
                .map(|n| n.final_demand().map_or(0.0, |f| f.total()))
                .collect()
        });
        IoSystem::from_sparse(ids, z_of(g), x, y)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.z.n
    }
    /// True for a system without nodes.
    pub fn is_empty(&self) -> bool {
        self.z.n == 0
    }
    /// Node ids, in order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }
    /// Gross output x.
    pub fn output(&self) -> &[f64] {
        &self.x
    }
    /// Total final demand y.
    pub fn final_demand(&self) -> &[f64] {
        &self.y
    }
    /// Number of stored entries of Z.
    pub fn nnz(&self) -> usize {
        self.z.weights.len()
    }

    fn zt(&self) -> &Sparse {
        self.zt.get_or_init(|| self.z.transpose())
    }

    fn check_len(&self, v: &[f64], what: &str) -> Result<()> {
        if v.len() != self.len() {
            return Err(Error::param(
                what,
                v.len(),
                format!("needs one entry per node ({})", self.len()),
            ));
        }
        if let Some(i) = v.iter().position(|x| !x.is_finite()) {
            return Err(Error::param(
                format!("{what}[{}]", clip(&self.ids[i])),
                v[i],
                "must be finite",
            ));
        }
        Ok(())
    }

    /// out = M (r / x), M = Z (Leontief: A r) or Z' (Ghosh: (r' B)').
    fn step(&self, m: &Sparse, r: &[f64], out: &mut [f64]) {
        let s: Vec<f64> = r.iter().zip(&self.inv_x).map(|(a, b)| a * b).collect();
        m.mul(&s, out);
    }

    /// A v (`a[i,j] = z[i,j] / x[j]`). Complexity O(nnz).
    pub fn a_times(&self, v: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.len()];
        self.step(&self.z, v, &mut out);
        out
    }

    /// (v' B)' (`b[i,j] = z[i,j] / x[i]`). Complexity O(nnz) (plus a transpose, once).
    pub fn times_b(&self, v: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.len()];
        self.step(self.zt(), v, &mut out);
        out
    }

    /// The rounds of M (Z: Leontief, Z': Ghosh) from `shock`; with `keep`, every node's
    /// cumulative change after each round is pushed there (round 0: the shock itself).
    fn rounds(
        &self,
        m: &Sparse,
        shock: &[f64],
        p: &RoundParams,
        model: &str,
        mut keep: Option<&mut Vec<Vec<f64>>>,
    ) -> Result<Propagation> {
        p.validate()?;
        let n = self.len();
        let norm0: f64 = shock.iter().map(|v| v.abs()).sum();
        let mut total = shock.to_vec();
        let mut rounds = vec![round_stats(0, shock, p.top)];
        if let Some(k) = keep.as_deref_mut() {
            k.push(total.clone());
        }
        if norm0 == 0.0 {
            return Ok(Propagation { total, rounds });
        }
        let mut r = shock.to_vec();
        let mut next = vec![0.0; n];
        for k in 1.. {
            if k >= p.max_rounds {
                return Err(Error::NotConverged {
                    measure: format!("{model} rounds"),
                    iterations: k,
                    tol: p.tol,
                    hint: Some(
                        "raise the most rounds (--rounds-max) or the tolerance (--tol); column sums of A close to 1 make the supply chain's rounds shrink slowly".into(),
                    ),
                });
            }
            self.step(m, &r, &mut next);
            std::mem::swap(&mut r, &mut next);
            for (t, v) in total.iter_mut().zip(&r) {
                *t += v;
            }
            if let Some(k) = keep.as_deref_mut() {
                k.push(total.clone());
            }
            let st = round_stats(k, &r, p.top);
            let done = st.l1 < p.tol * norm0;
            rounds.push(st);
            if done {
                break;
            }
        }
        Ok(Propagation { total, rounds })
    }

    /// Leontief by rounds: dx = dy + A dy + A^2 dy + ... (MODELS.md §4), stopping after the
    /// first round whose L1 norm is below `p.tol * |dy|_1`.
    ///
    /// `dy`: the change of final demand of every node (node order). Errors: a `dy` of the wrong
    /// length or with a non-finite entry ([`Error::Param`]); no convergence within
    /// `p.max_rounds` ([`Error::NotConverged`]). Complexity O(rounds * nnz).
    pub fn leontief(&self, dy: &[f64], p: &RoundParams) -> Result<Propagation> {
        self.check_len(dy, "dy")?;
        self.rounds(&self.z, dy, p, "Leontief", None)
    }

    /// Ghosh by rounds: dx' = dv' + dv' B + dv' B^2 + ... (MODELS.md §4), stopping as
    /// [`IoSystem::leontief`]. A supply cut of p at node i is dv = -p x_i e_i.
    ///
    /// Errors and complexity as [`IoSystem::leontief`] (plus one transpose of Z).
    pub fn ghosh(&self, dv: &[f64], p: &RoundParams) -> Result<Propagation> {
        self.check_len(dv, "dv")?;
        self.rounds(self.zt(), dv, p, "Ghosh", None)
    }

    /// [`IoSystem::leontief`] (`ghosh` false) or [`IoSystem::ghosh`], keeping every node's
    /// cumulative change after each round in `keep` (round 0: the shock itself; the last:
    /// the total).
    pub(super) fn propagate_kept(
        &self,
        ghosh: bool,
        shock: &[f64],
        p: &RoundParams,
        keep: Option<&mut Vec<Vec<f64>>>,
    ) -> Result<Propagation> {
        if ghosh {
            self.check_len(shock, "dv")?;
            self.rounds(self.zt(), shock, p, "Ghosh", keep)
        } else {
            self.check_len(shock, "dy")?;
            self.rounds(&self.z, shock, p, "Leontief", keep)
        }
    }

    /// The dense matrix A = Z diag(x)^-1. Complexity O(n^2) memory.
    pub fn a_dense(&self) -> DMatrix<f64> {
        let n = self.len();
        let mut a = DMatrix::<f64>::zeros(n, n);
        self.z.for_each(|i, j, w| a[(i, j)] += w * self.inv_x[j]);
        a
    }

    /// Refuse a dense n x n matrix that would not fit in the memory budget (the LU works in
    /// place: one matrix is the peak).
    fn dense_fits(&self, what: &str) -> Result<()> {
        let n = self.len() as u64;
        let need = n.saturating_mul(n).saturating_mul(8);
        crate::budget::check_hint(
            need,
            || format!("the dense {what} check ({n} x {n} matrix)"),
            "lower --check-max (systems larger than it skip the dense check) or free memory",
        )
    }

    fn dense_solve(&self, mut m: DMatrix<f64>, rhs: &[f64]) -> Result<Vec<f64>> {
        let n = self.len();
        // m holds the coefficients; make it I - m.
        m.neg_mut();
        for i in 0..n {
            m[(i, i)] += 1.0;
        }
        let b = DVector::from_column_slice(rhs);
        let x = m
            .lu()
            .solve(&b)
            .ok_or_else(|| Error::Numeric("the input-output system is singular".into()))?;
        Ok(x.iter().copied().collect())
    }

    /// Leontief by a direct solve of (I - A) dx = dy (dense LU with partial pivoting), for
    /// cross-checking the rounds. Errors: wrong length; a singular system
    /// ([`Error::Numeric`]). Complexity O(n^3) time, O(n^2) memory: about 1 s at n = 1,500.
    pub fn leontief_dense(&self, dy: &[f64]) -> Result<Vec<f64>> {
        self.check_len(dy, "dy")?;
        self.dense_fits("Leontief")?;
        self.dense_solve(self.a_dense(), dy)
    }

    /// Ghosh by a direct solve of (I - B)' dx = dv (dense LU), for cross-checking the rounds.
    /// Errors and complexity as [`IoSystem::leontief_dense`].
    pub fn ghosh_dense(&self, dv: &[f64]) -> Result<Vec<f64>> {
        self.check_len(dv, "dv")?;
        self.dense_fits("Ghosh")?;
        // (I - B)' = I - B', and B' = diag(x) A' diag(x)^-1 is built directly.
        let n = self.len();
        let mut bt = DMatrix::<f64>::zeros(n, n);
        self.z.for_each(|i, j, w| bt[(j, i)] += w * self.inv_x[i]);
        self.dense_solve(bt, dv)
    }

    /// L1 norm of (I - A) dx - dy: how far a Leontief answer is from exact. O(nnz).
    pub fn leontief_residual(&self, dx: &[f64], dy: &[f64]) -> f64 {
        let adx = self.a_times(dx);
        (0..self.len())
            .map(|i| (dx[i] - adx[i] - dy[i]).abs())
            .sum()
    }

    /// L1 norm of dx - B' dx - dv: how far a Ghosh answer is from exact. O(nnz).
    pub fn ghosh_residual(&self, dx: &[f64], dv: &[f64]) -> f64 {
        let bdx = self.times_b(dx);
        (0..self.len())
            .map(|i| (dx[i] - bdx[i] - dv[i]).abs())
            .sum()
    }
}

/// Z of a graph: one pass when the flows are stored grouped by supplier (as edge lists sorted
/// by exporter load), else a counting sort by supplier. Rows keep the graph's flow order.
fn z_of(g: &TradeGraph) -> Sparse {
    let n = g.node_count();
    let edges = g.links();
    let m = edges.len();
    let mut offsets = vec![0usize; n + 1];
    let mut weights = Vec::with_capacity(m);
    let small = n <= 1 << 16;
    let mut c16: Vec<u16> = Vec::with_capacity(if small { m } else { 0 });
    let mut c32: Vec<u32> = Vec::with_capacity(if small { 0 } else { m });
    let mut grouped = true;
    let mut prev = 0usize;
    for e in edges {
        let (src, dst) = (e.from as usize, e.to as usize);
        if src < prev {
            grouped = false;
            break;
        }
        prev = src;
        offsets[src + 1] += 1;
        weights.push(e.flow.value);
        if small {
            c16.push(dst as u16);
        } else {
            c32.push(dst as u32);
        }
    }
    if grouped {
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let cols = if small {
            Cols::U16(c16)
        } else {
            Cols::U32(c32)
        };
        return Sparse {
            n,
            offsets,
            cols,
            weights,
        };
    }
    offsets.iter_mut().for_each(|o| *o = 0);
    for e in edges {
        offsets[e.from as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut next = offsets.clone();
    let mut t = vec![0u32; m];
    let mut w = vec![0f64; m];
    for e in edges {
        let k = &mut next[e.from as usize];
        t[*k] = e.to as usize as u32;
        w[*k] = e.flow.value;
        *k += 1;
    }
    Sparse::new(n, offsets, t, w)
}

/// Column indices: two bytes each when the system has at most 65,536 nodes (less memory to
/// stream in every round).
#[derive(Debug)]
enum Cols {
    U16(Vec<u16>),
    U32(Vec<u32>),
}

/// Row-compressed Z for the rounds: rows in any order, repeated columns allowed (they add up).
#[derive(Debug)]
struct Sparse {
    n: usize,
    offsets: Vec<usize>,
    cols: Cols,
    weights: Vec<f64>,
}

impl Sparse {
    fn new(n: usize, offsets: Vec<usize>, targets: Vec<u32>, weights: Vec<f64>) -> Sparse {
        let cols = if n <= 1 << 16 {
            Cols::U16(targets.iter().map(|&t| t as u16).collect())
        } else {
            Cols::U32(targets)
        };
        Sparse {
            n,
            offsets,
            cols,
            weights,
        }
    }

    fn col(&self, p: usize) -> usize {
        match &self.cols {
            Cols::U16(c) => c[p] as usize,
            Cols::U32(c) => c[p] as usize,
        }
    }

    /// f(row, column, weight) for every entry, row by row.
    fn for_each(&self, mut f: impl FnMut(usize, usize, f64)) {
        for i in 0..self.n {
            for p in self.offsets[i]..self.offsets[i + 1] {
                f(i, self.col(p), self.weights[p]);
            }
        }
    }

    fn col_sums(&self) -> Vec<f64> {
        let mut c = vec![0.0; self.n];
        self.for_each(|_, j, w| c[j] += w);
        c
    }

    fn transpose(&self) -> Sparse {
        let n = self.n;
        let mut offsets = vec![0usize; n + 1];
        self.for_each(|_, j, _| offsets[j + 1] += 1);
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut t = vec![0u32; self.weights.len()];
        let mut w = vec![0f64; self.weights.len()];
        self.for_each(|i, j, v| {
            let k = &mut next[j];
            t[*k] = i as u32;
            w[*k] = v;
            *k += 1;
        });
        Sparse::new(n, offsets, t, w)
    }

    /// out = M s, rows in parallel for large matrices (each row summed in a fixed order).
    fn mul(&self, s: &[f64], out: &mut [f64]) {
        let row = |i: usize| -> f64 {
            let r = self.offsets[i]..self.offsets[i + 1];
            match &self.cols {
                Cols::U16(c) => dot(&c[r.clone()], &self.weights[r], s),
                Cols::U32(c) => dot(&c[r.clone()], &self.weights[r], s),
            }
        };
        if self.weights.len() >= PAR_MIN_NNZ {
            out.par_iter_mut()
                .enumerate()
                .with_min_len(64)
                .for_each(|(i, o)| *o = row(i));
        } else {
            for (i, o) in out.iter_mut().enumerate() {
                *o = row(i);
            }
        }
    }
}

/// A column index type.
trait Idx: Copy {
    fn ix(self) -> usize;
}
impl Idx for u16 {
    #[inline]
    fn ix(self) -> usize {
        self as usize
    }
}
impl Idx for u32 {
    #[inline]
    fn ix(self) -> usize {
        self as usize
    }
}

/// sum_k w[k] * s[t[k]], with four accumulators (the additions of one row would otherwise wait
/// on each other); the order of the additions is fixed, so the result is deterministic.
#[inline]
fn dot<T: Idx>(t: &[T], w: &[f64], s: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut tc = t.chunks_exact(4);
    let mut wc = w.chunks_exact(4);
    for (tt, ww) in (&mut tc).zip(&mut wc) {
        acc[0] += ww[0] * s[tt[0].ix()];
        acc[1] += ww[1] * s[tt[1].ix()];
        acc[2] += ww[2] * s[tt[2].ix()];
        acc[3] += ww[3] * s[tt[3].ix()];
    }
    let mut rest = 0.0;
    for (&ti, &wi) in tc.remainder().iter().zip(wc.remainder()) {
        rest += wi * s[ti.ix()];
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
}

/// Sum, L1 and the `top` largest entries by absolute value (ties by index).
fn round_stats(round: usize, r: &[f64], top: usize) -> Round {
    let mut sum = 0.0;
    let mut l1 = 0.0;
    for &v in r {
        sum += v;
        l1 += v.abs();
    }
    let mut best: Vec<(usize, f64)> = Vec::with_capacity(top + 1);
    if top > 0 {
        for (i, &v) in r.iter().enumerate() {
            if v == 0.0 {
                continue;
            }
            if best.len() == top && v.abs() <= best[top - 1].1.abs() {
                continue;
            }
            let pos = best
                .iter()
                .position(|&(_, b)| v.abs() > b.abs())
                .unwrap_or(best.len());
            best.insert(pos, (i, v));
            best.truncate(top);
        }
    }
    Round {
        round,
        sum,
        l1,
        top: best,
    }
}
