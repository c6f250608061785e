//! The equilibrium in changes ("exact hat algebra") of the Caliendo-Parro model, as
//! `../shared/data/cp2015/MODEL.md` states it, solved by an accelerated fixed point.
//!
//! Unknowns: unit costs c^ (N x J), expenditure X' (N x J) and wages w^ (N). One evaluation
//! of the map G computes, from the current unknowns, the price indices P^ (eq. 2), the new
//! shares pi' (3), income I' (4), gross output Y' (5) and the right-hand sides of the unit
//! cost (1), goods-market (6) and labour-market (7) equations; the last country's labour
//! equation is replaced by the numeraire (8: world value added fixed). The peer iterates
//! x <- x - 0.5 (x - G(x)) about 1,400 times; here Anderson acceleration (type II, memory
//! [`SolverOptions::memory`]) mixes the last steps and needs a few dozen evaluations. Every
//! condition's largest residual is reported with the solution, and a solve that does not
//! reach the tolerance is an [`Error::NotConverged`], never a silent result.

use super::data::GeData;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverOptions {
    /// Stop when the largest change of the fixed-point map (unit costs, expenditure relative
    /// to its initial value, wages) is below this. Default 1e-12.
    pub tol: f64,
    /// At most this many evaluations. Default 5,000.
    pub max_iter: usize,
    /// Anderson memory (0: the plain fixed point). Default 8.
    pub memory: usize,
    /// Mixing of the plain step (1: the full map). Default 1.
    pub mixing: f64,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            tol: 1e-12,
            max_iter: 5000,
            memory: 8,
            mixing: 1.0,
        }
    }
}

/// A solve's inputs besides the data: the new tariffs, iceberg shifters and deficits.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// tau'_nij, indexed as [`GeData::pair`].
    pub tariff: Vec<f64>,
    /// d^_nij (iceberg change, 1 = none), indexed as [`GeData::pair`].
    pub iceberg: Vec<f64>,
    /// D'_n, in the numeraire (world value added of the data).
    pub deficit: Vec<f64>,
}

/// The largest residual of each equilibrium condition at a solution.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Residuals {
    /// Unit costs, eq. 1: max |c^ - RHS| / c^.
    pub unit_cost: f64,
    /// Goods markets, eq. 6: max |X' - RHS| / X' (X' of at least 1e-9 of the mean).
    pub goods_market: f64,
    /// Labour markets, eq. 7, every country (the last one's holds by Walras' law):
    /// max |w^ wL - sum_j gamma Y'| / wL.
    pub labour_market: f64,
    /// Numeraire, eq. 8: |sum w^ wL / sum wL - 1|.
    pub numeraire: f64,
    /// Trade balance: max over n of |imports - D' - output| / income.
    pub trade_balance: f64,
}

impl Residuals {
    /// The largest of them.
    pub fn max(&self) -> f64 {
        [
            self.unit_cost,
            self.goods_market,
            self.labour_market,
            self.numeraire,
            self.trade_balance,
        ]
        .into_iter()
        .fold(0.0, f64::max)
    }
}

/// An equilibrium of one solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    /// c^_nj (n J + j).
    pub unit_cost: Vec<f64>,
    /// P^_nj (n J + j).
    pub price: Vec<f64>,
    /// w^_n.
    pub wage: Vec<f64>,
    /// X'_nj, expenditure (n J + j).
    pub expenditure: Vec<f64>,
    /// pi'_nij, indexed as [`GeData::pair`].
    pub share: Vec<f64>,
    /// I'_n.
    pub income: Vec<f64>,
    /// Y'_nj, gross output (n J + j).
    pub output: Vec<f64>,
    /// Map evaluations used.
    pub iterations: usize,
    /// Residuals at the solution.
    pub residuals: Residuals,
}

/// The initial objects derived from the data (MODEL.md, "Derived initial objects").
struct Base<'a> {
    d: &'a GeData,
    /// pi_nij, with pi_nnj = 1 where n spends nothing on j.
    pi: Vec<f64>,
    /// X_nj.
    x0: Vec<f64>,
    /// The scale of X in the unknowns: X0, at least 1e-3 of the country's mean.
    xscale: Vec<f64>,
    /// Mean of X0 (the floor of the goods-market residual's scale).
    mean_x: f64,
    /// World value added, sum of wL (the numeraire).
    total_wl: f64,
}

impl<'a> Base<'a> {
    fn new(d: &'a GeData) -> Base<'a> {
        let (n, j) = (d.n(), d.j());
        let mut pi = vec![0.0; j * n * n];
        let mut x0 = vec![0.0; n * j];
        for s in 0..j {
            for a in 0..n {
                let row = d.pair(s, a, 0);
                let x: f64 = (0..n)
                    .map(|b| d.trade[row + b] * (1.0 + d.tariff[row + b]))
                    .sum();
                x0[a * j + s] = x;
                if x > 0.0 {
                    for b in 0..n {
                        pi[row + b] = d.trade[row + b] * (1.0 + d.tariff[row + b]) / x;
                    }
                } else {
                    pi[row + a] = 1.0;
                }
            }
        }
        // Each expenditure is solved relative to its initial value, or to a thousandth of its
        // country's mean where that is smaller (a cell with no initial spending can grow).
        let mut xscale = x0.clone();
        for a in 0..n {
            let row = &mut xscale[a * j..(a + 1) * j];
            let floor = (row.iter().sum::<f64>() / j as f64 * 1e-3).max(f64::MIN_POSITIVE);
            for x in row {
                *x = x.max(floor);
            }
        }
        let mean_x = x0.iter().sum::<f64>() / x0.len() as f64;
        let total_wl = d.value_added.iter().sum();
        Base {
            d,
            pi,
            x0,
            xscale,
            mean_x,
            total_wl,
        }
    }
}

/// Everything one evaluation of the map computes.
struct Eval {
    /// G(z) in the unknowns' scaling.
    g: Vec<f64>,
    price: Vec<f64>,
    income: Vec<f64>,
    output: Vec<f64>,
    residuals: Residuals,
}

/// Workspace of the fixed-point map for one policy.
struct Map<'a> {
    b: &'a Base<'a>,
    p: &'a Policy,
    /// pi_nij kappa^_nij^(-theta_j).
    pik: Vec<f64>,
    /// 1 / (1 + tau'_nij).
    inv_t: Vec<f64>,
    /// tau' / (1 + tau').
    rev_t: Vec<f64>,
    /// The exporters i with pi_nij > 0 of each row (j, n), as CSR: `nz[start[r]..start[r + 1]]`
    /// (services that are not traded have one: the home country).
    nz: Vec<u32>,
    start: Vec<usize>,
    /// pi' of the last evaluation (reused: only the entries in `nz` are ever written, the
    /// rest stay 0).
    share: Vec<f64>,
}

impl<'a> Map<'a> {
    fn new(b: &'a Base<'a>, p: &'a Policy) -> Map<'a> {
        let d = b.d;
        let (n, j) = (d.n(), d.j());
        let mut pik = vec![0.0; j * n * n];
        let mut inv_t = vec![0.0; j * n * n];
        let mut rev_t = vec![0.0; j * n * n];
        for s in 0..j {
            for k in d.pair(s, 0, 0)..d.pair(s, n - 1, n - 1) + 1 {
                let kappa = (1.0 + p.tariff[k]) / (1.0 + d.tariff[k]) * p.iceberg[k];
                pik[k] = if b.pi[k] > 0.0 {
                    b.pi[k] * kappa.powf(-d.theta[s])
                } else {
                    0.0
                };
                inv_t[k] = 1.0 / (1.0 + p.tariff[k]);
                rev_t[k] = p.tariff[k] / (1.0 + p.tariff[k]);
            }
        }
        let mut nz = Vec::new();
        let mut start = Vec::with_capacity(j * n + 1);
        start.push(0);
        for r in 0..j * n {
            nz.extend((0..n as u32).filter(|&i| pik[r * n + i as usize] > 0.0));
            start.push(nz.len());
        }
        Map {
            b,
            p,
            pik,
            inv_t,
            rev_t,
            nz,
            start,
            share: vec![0.0; j * n * n],
        }
    }

    /// The unknowns' layout: c (N J), X / xscale (N J), w (N).
    /// `balance`: also check the trade balance (not needed while iterating).
    fn eval(&mut self, z: &[f64], balance: bool) -> Eval {
        let d = self.b.d;
        let (n, j) = (d.n(), d.j());
        let nj = n * j;
        let (c, xr, w) = (&z[..nj], &z[nj..2 * nj], &z[2 * nj..]);
        let x: Vec<f64> = xr.iter().zip(&self.b.xscale).map(|(r, s)| r * s).collect();
        // c^-theta, by sector then exporter (s N + i: the inner loops below run over i).
        let mut cth = vec![0.0; nj];
        for i in 0..n {
            for s in 0..j {
                cth[s * n + i] = (-d.theta[s] * c[i * j + s].ln()).exp();
            }
        }
        // Price indices and shares (eqs. 2, 3).
        let mut price = vec![0.0; nj];
        let mut ln_p = vec![0.0; nj];
        let mut share = std::mem::take(&mut self.share);
        for s in 0..j {
            for a in 0..n {
                let row = d.pair(s, a, 0);
                let cols = &self.nz[self.start[s * n + a]..self.start[s * n + a + 1]];
                let mut sum = 0.0;
                for &i in cols {
                    let i = i as usize;
                    let v = self.pik[row + i] * cth[s * n + i];
                    share[row + i] = v;
                    sum += v;
                }
                let inv = 1.0 / sum;
                for &i in cols {
                    share[row + i as usize] *= inv;
                }
                let lp = sum.ln() * (-1.0 / d.theta[s]);
                ln_p[a * j + s] = lp;
                price[a * j + s] = lp.exp();
            }
        }
        // Income (4) and gross output (5).
        let mut income = vec![0.0; n];
        let mut out_t = vec![0.0; nj]; // s N + i
        for s in 0..j {
            for a in 0..n {
                let row = d.pair(s, a, 0);
                let xa = x[a * j + s];
                let mut rev = 0.0;
                for &i in &self.nz[self.start[s * n + a]..self.start[s * n + a + 1]] {
                    let i = i as usize;
                    let spend = share[row + i] * xa;
                    rev += self.rev_t[row + i] * spend;
                    out_t[s * n + i] += spend * self.inv_t[row + i];
                }
                income[a] += rev;
            }
        }
        let mut output = vec![0.0; nj];
        for s in 0..j {
            for i in 0..n {
                output[i * j + s] = out_t[s * n + i];
            }
        }
        for a in 0..n {
            income[a] += w[a] * d.value_added[a] + self.p.deficit[a];
        }
        // Right-hand sides of 1, 6, 7.
        let mut g = vec![0.0; z.len()];
        let mut res = Residuals::default();
        let (mean_x, total_wl) = (self.b.mean_x, self.b.total_wl);
        let mut acc = vec![0.0; j];
        for a in 0..n {
            let lw = w[a].ln();
            for (s, v) in acc.iter_mut().enumerate() {
                *v = d.va_share[a * j + s] * lw;
            }
            for k in 0..j {
                let lp = ln_p[a * j + k];
                let row = &d.io_share[(a * j + k) * j..(a * j + k + 1) * j];
                for s in 0..j {
                    acc[s] += row[s] * lp;
                }
            }
            for s in 0..j {
                let rhs = acc[s].exp();
                g[a * j + s] = rhs;
                res.unit_cost = res.unit_cost.max((c[a * j + s] - rhs).abs() / c[a * j + s]);
                let row = &d.io_share[(a * j + s) * j..(a * j + s + 1) * j];
                let inter: f64 = row
                    .iter()
                    .zip(&output[a * j..(a + 1) * j])
                    .map(|(g, y)| g * y)
                    .sum();
                let rhs_x = inter + d.alpha[a * j + s] * income[a];
                g[nj + a * j + s] = rhs_x / self.b.xscale[a * j + s];
                let scale = x[a * j + s].abs().max(mean_x * 1e-9);
                res.goods_market = res.goods_market.max((x[a * j + s] - rhs_x).abs() / scale);
            }
        }
        let paid: f64 = (0..n).map(|a| w[a] * d.value_added[a]).sum();
        for a in 0..n {
            let va: f64 = (0..j)
                .map(|s| d.va_share[a * j + s] * output[a * j + s])
                .sum();
            res.labour_market = res
                .labour_market
                .max((w[a] * d.value_added[a] - va).abs() / d.value_added[a]);
            g[2 * nj + a] = va / d.value_added[a];
        }
        let last = n - 1;
        g[2 * nj + last] = w[last] - (paid / total_wl - 1.0) * total_wl / d.value_added[last];
        res.numeraire = (paid / total_wl - 1.0).abs();
        // Trade balance (follows from the others by Walras' law; reported as a check).
        if balance {
            let mut imports = vec![0.0; n];
            for s in 0..j {
                for a in 0..n {
                    let row = d.pair(s, a, 0);
                    for &i in &self.nz[self.start[s * n + a]..self.start[s * n + a + 1]] {
                        let i = i as usize;
                        imports[a] += share[row + i] * x[a * j + s] * self.inv_t[row + i];
                    }
                }
            }
            for a in 0..n {
                let out: f64 = output[a * j..(a + 1) * j].iter().sum();
                let gap = (imports[a] - self.p.deficit[a] - out).abs()
                    / income[a].abs().max(f64::MIN_POSITIVE);
                res.trade_balance = res.trade_balance.max(gap);
            }
        }
        self.share = share;
        Eval {
            g,
            price,
            income,
            output,
            residuals: res,
        }
    }
}

/// Solve the model for a policy, starting from the data (c^ = 1, X' = X, w^ = 1).
///
/// Errors: [`Error::NotConverged`] when the tolerance is not reached in `max_iter`
/// evaluations; [`Error::Numeric`] when the iteration leaves the positive orthant (a
/// non-finite or non-positive cost, wage or expenditure).
pub fn solve(d: &GeData, p: &Policy, o: &SolverOptions) -> Result<Equilibrium> {
    solve_from(d, p, o, None)
}

/// [`solve`] started from another equilibrium of the same data (the baseline solve, for the
/// counterfactual: it is near, so fewer iterations are needed; the solution is the same).
pub fn solve_from(
    d: &GeData,
    p: &Policy,
    o: &SolverOptions,
    start: Option<&Equilibrium>,
) -> Result<Equilibrium> {
    let b = Base::new(d);
    let mut map = Map::new(&b, p);
    let (n, j) = (d.n(), d.j());
    let nj = n * j;
    let dim = 2 * nj + n;
    let mut z = vec![1.0; dim];
    match start {
        Some(e) => {
            z[..nj].copy_from_slice(&e.unit_cost);
            for k in 0..nj {
                z[nj + k] = e.expenditure[k] / b.xscale[k];
            }
            z[2 * nj..].copy_from_slice(&e.wage);
        }
        None => {
            for k in 0..nj {
                z[nj + k] = b.x0[k] / b.xscale[k];
            }
        }
    }
    let mut hist_dz: Vec<Vec<f64>> = Vec::new();
    let mut hist_df: Vec<Vec<f64>> = Vec::new();
    // The Gram matrix of the stored differences, DF' DF, kept up to date column by column.
    let mut gram: Vec<Vec<f64>> = Vec::new();
    let mut prev: Option<(Vec<f64>, Vec<f64>)> = None;
    let mut iterations = 0usize;
    // The best point so far; when the steps grow tenfold beyond its step the iteration is
    // diverging (a map that overshoots, as wages do with large theta and no input-output
    // damping): restart there with half the mixing and a fresh history.
    let mut best = (f64::INFINITY, z.clone());
    let mut beta = o.mixing;
    loop {
        iterations += 1;
        let e = map.eval(&z, false);
        let f: Vec<f64> = e.g.iter().zip(&z).map(|(g, z)| g - z).collect();
        let step = f.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if step < best.0 {
            best = (step, z.clone());
        } else if (step.is_nan() || step > 10.0 * best.0)
            && beta > 1.0 / 1024.0
            && iterations < o.max_iter
        {
            beta *= 0.5;
            hist_dz.clear();
            hist_df.clear();
            gram.clear();
            prev = None;
            z = best.1.clone();
            continue;
        }
        if !step.is_finite() {
            return Err(Error::Numeric(format!(
                "the GE solve left the domain after {iterations} evaluations (a non-finite price, wage or expenditure): the scenario may be too large for the data, or the data inconsistent"
            )));
        }
        if step < o.tol {
            let (unit_cost, expenditure, wage) = (
                z[..nj].to_vec(),
                z[nj..2 * nj]
                    .iter()
                    .zip(&b.xscale)
                    .map(|(r, s)| r * s)
                    .collect(),
                z[2 * nj..].to_vec(),
            );
            let e = map.eval(&z, true);
            return Ok(Equilibrium {
                unit_cost,
                price: e.price,
                wage,
                expenditure,
                share: map.share.clone(),
                income: e.income,
                output: e.output,
                iterations,
                residuals: e.residuals,
            });
        }
        if iterations >= o.max_iter {
            return Err(Error::NotConverged {
                measure: "the general-equilibrium solve".into(),
                iterations,
                tol: o.tol,
                hint: Some(format!(
                    "the largest change per step is still {step:.3e}; a smaller shock, or --max-iter"
                )),
            });
        }
        if let Some((pz, pf)) = prev.take() {
            hist_dz.push(z.iter().zip(&pz).map(|(a, b)| a - b).collect());
            let col: Vec<f64> = f.iter().zip(&pf).map(|(a, b)| a - b).collect();
            let dots: Vec<f64> = hist_df
                .iter()
                .map(|c| c.iter().zip(&col).map(|(a, b)| a * b).sum())
                .collect();
            let own: f64 = col.iter().map(|a| a * a).sum();
            for (row, d) in gram.iter_mut().zip(&dots) {
                row.push(*d);
            }
            let mut last = dots;
            last.push(own);
            gram.push(last);
            hist_df.push(col);
            // At most dim - 1 differences: more cannot be independent.
            if hist_dz.len() > o.memory.min(dim.saturating_sub(1)) {
                hist_dz.remove(0);
                hist_df.remove(0);
                gram.remove(0);
                for row in &mut gram {
                    row.remove(0);
                }
            }
        }
        let mut next: Vec<f64> = z.iter().zip(&f).map(|(z, f)| z + beta * f).collect();
        if !hist_df.is_empty() {
            if let Some(gamma) = normal_equations(&gram, &hist_df, &f) {
                let mut cand = next.clone();
                for (k, gk) in gamma.iter().enumerate() {
                    for (q, c) in cand.iter_mut().enumerate() {
                        *c -= gk * (hist_dz[k][q] + beta * hist_df[k][q]);
                    }
                }
                if cand.iter().all(|v| v.is_finite() && *v > 0.0) {
                    next = cand;
                } else {
                    hist_dz.clear();
                    hist_df.clear();
                    gram.clear();
                }
            }
        }
        if next.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            // The plain step left the domain (the numeraire's wage): damp it.
            for (q, v) in next.iter_mut().enumerate() {
                if !(v.is_finite() && *v > 0.0) {
                    *v = 0.5 * z[q];
                }
            }
        }
        prev = Some((z, f));
        z = next;
    }
}

/// gamma = argmin |f - DF gamma|_2 by the normal equations DF' DF gamma = DF' f, with the Gram
/// matrix kept up to date as columns come and go (O(m n) per step instead of a QR's O(m^2 n)),
/// scaled to a unit diagonal and solved by LU. `None` when the system is singular.
fn normal_equations(gram: &[Vec<f64>], df: &[Vec<f64>], f: &[f64]) -> Option<Vec<f64>> {
    let m = df.len();
    if m == 0 || m > f.len() || gram.len() != m {
        return None;
    }
    let d: Vec<f64> = (0..m).map(|p| gram[p][p].sqrt()).collect();
    if d.iter().any(|&v| !(v > 0.0 && v.is_finite())) {
        return None;
    }
    let a = DMatrix::<f64>::from_fn(m, m, |p, q| {
        gram[p][q] / (d[p] * d[q]) + if p == q { 1e-14 } else { 0.0 }
    });
    let r = DVector::<f64>::from_fn(m, |p, _| {
        df[p].iter().zip(f).map(|(x, y)| x * y).sum::<f64>() / d[p]
    });
    let sol = a.lu().solve(&r)?;
    let out: Vec<f64> = (0..m).map(|p| sol[p] / d[p]).collect();
    out.iter().all(|v| v.is_finite()).then_some(out)
}
