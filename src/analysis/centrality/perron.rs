//! Where NetworkX's power iteration for eigenvector centrality goes, on any non-negative
//! matrix, and the spectral radius that Katz centrality's alpha is a fraction of.
//!
//! `nx.eigenvector_centrality` iterates x <- (I + M) x / |(I + M) x| from the uniform vector
//! u, with M = A^T (a node scores from its suppliers). By Perron-Frobenius theory for reducible
//! matrices (Berman and Plemmons, *Nonnegative Matrices in the Mathematical Sciences*, 1994,
//! ch. 2.3; Rothblum 1975, "Algebraic eigenspaces of nonnegative matrices"), with the strong
//! components C of the graph and their Perron roots rho_C (of the block A_CC):
//!
//! - rho = max rho_C is the spectral radius, and 1 + rho is strictly the largest eigenvalue of
//!   I + M in modulus (|1 + lambda| < 1 + rho for every other eigenvalue lambda, periodic
//!   graphs included): the shift makes the iteration converge in exact arithmetic...
//! - ...to P u / |P u|, P the spectral projector on rho's eigenspace, provided rho is
//!   semisimple, which holds exactly when no component with rho_C = rho (a *basic* component)
//!   reaches another one. P u is positive exactly on the nodes reached (along the flows) from
//!   a basic component and 0 elsewhere; with several basic components it mixes their
//!   eigenvectors in proportions set by u.
//! - When a basic component reaches another (rho defective; every graph with flows but no
//!   cycle, where rho = 0, is such a case), the direction still settles but only as 1/k after k
//!   steps: no run reaches a tolerance, and NetworkX raises `PowerIterationFailedConvergence`.
//!   This is reported as an error naming the two components.
//!
//! The convergence factor of the power iteration is max |1 + lambda| / (1 + rho): on trade
//! values in USD, rho ~ 1e10 makes the shift negligible, and a second eigenvalue near -rho
//! (a nearly bipartite graph: the crude-oil network of 2021 has rho = 2.44e10 and -2.42e10)
//! or of modulus near rho makes the factor 0.99 or closer to 1. So the limit is computed
//! instead by restarted Arnoldi (`arnoldi`) on M from u, which converges to P u too, at a rate
//! set by the distance from rho to the rest of the spectrum in the complex plane. Then the
//! components (Tarjan) and their Perron roots: a component whose largest row or column sum
//! is below the leading Ritz value cannot have the largest root and is skipped; the others get
//! the same Arnoldi on their block, started from the leading vector there (one or two
//! products when the component is basic). The Ritz value must equal rho; the vector is set
//! to exactly 0 off the reach of the basic components (where the limit is 0), rounding-level
//! negatives to 0, polished by three products with M (tiny entries to full relative
//! accuracy) and normalised. A strongly connected graph needs none of this: its root is
//! simple and is the Ritz value.
//!
//! Weights are first scaled by a power of two when their largest is far from 1 (exact: the
//! same vector, rho scaled back), so that values from 1e-300 to 1e300 neither overflow nor
//! underflow.

use super::arnoldi;
use super::kernels::{dsum, norm2, scale, Product};
use crate::analysis::structure::tarjan;
use crate::error::{Error, Result};
use crate::model::Csr;

/// Two Perron roots within this relative distance count as equal (the estimates carry errors
/// of the order of the tolerance; and at a ratio this close to 1 the power iteration needs
/// more than 1e9 steps anyway).
const TIE: f64 = 1e-9;

/// The matrix with every weight multiplied by 2^-e, e the binary exponent of the largest
/// weight, when that weight is outside [2^-64, 2^64]; with e. Exact (a power of two), so
/// eigenvectors are unchanged to the bit and eigenvalues scale by 2^-e.
pub(crate) fn rescaled(c: &Csr) -> Option<(Csr, i32)> {
    let m = c.weights.iter().fold(0.0f64, |a, &w| a.max(w.abs()));
    if m == 0.0 || !m.is_finite() || (2f64.powi(-64)..=2f64.powi(64)).contains(&m) {
        return None;
    }
    let e = m.log2().floor() as i32;
    let s = 2f64.powi(-e);
    let mut t = c.clone();
    t.weights.iter_mut().for_each(|w| *w *= s);
    Some((t, e))
}

/// The strong components of the graph of positive entries and their Perron roots.
struct Structure {
    /// Component of each node; an entry from component X to another Y has Y < X.
    comp: Vec<u32>,
    /// Nodes of each component, in increasing order.
    members: Vec<Vec<u32>>,
    /// Perron root of each component's block (of a component skipped by [`Structure::roots`],
    /// an upper bound below the cut).
    radius: Vec<f64>,
    /// An upper bound on each root: the smaller of the block's largest row and column sums.
    bound: Vec<f64>,
    /// Operator products spent on the roots.
    products: usize,
}

impl Structure {
    /// Components (Tarjan), the roots of single nodes (their self-loops) and the bounds.
    fn new(c: &Csr) -> Structure {
        let (comp, ncomp) = tarjan(c, |w| w > 0.0);
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); ncomp];
        for (i, &k) in comp.iter().enumerate() {
            members[k as usize].push(i as u32);
        }
        let mut radius = vec![0.0; ncomp];
        let mut rows = vec![0.0; c.n];
        let mut cols = vec![0.0; c.n];
        for i in 0..c.n {
            for (j, w) in c.row(i) {
                if w > 0.0 && comp[i] == comp[j] {
                    rows[i] += w;
                    cols[j] += w;
                    if i == j {
                        // A single node's root is its self-loop.
                        radius[comp[i] as usize] = w;
                    }
                }
            }
        }
        let mut rmax = vec![0.0f64; ncomp];
        let mut cmax = vec![0.0f64; ncomp];
        for i in 0..c.n {
            let k = comp[i] as usize;
            rmax[k] = rmax[k].max(rows[i]);
            cmax[k] = cmax[k].max(cols[i]);
        }
        let bound = rmax.iter().zip(&cmax).map(|(r, c)| r.min(*c)).collect();
        Structure {
            comp,
            members,
            radius,
            bound,
            products: 0,
        }
    }

    /// The Perron roots of the components of two nodes or more, by restarted Arnoldi on each
    /// block (its transpose when `transposed`: the orientation of the caller's M, so that A
    /// and A^T given for the same M give the same bits), largest bound first. A component
    /// whose bound is below (1 - TIE) times the largest root found so far, or than `hint`'s
    /// value, cannot have the largest root and is skipped. `hint`: the whole matrix's leading
    /// pair, if known; a block's iteration starts from the hint's vector on it when that is
    /// not zero (it is the block's Perron vector when the block has the largest root), else
    /// from the uniform vector.
    fn roots(
        &mut self,
        c: &Csr,
        transposed: bool,
        hint: Option<(&[f64], f64)>,
        tol: f64,
        max_products: usize,
        name: &str,
    ) -> Result<()> {
        let mut order: Vec<usize> = (0..self.members.len())
            .filter(|&k| self.members[k].len() >= 2)
            .collect();
        order.sort_by(|&a, &b| self.bound[b].total_cmp(&self.bound[a]).then(a.cmp(&b)));
        let mut best = hint.map_or(0.0, |h| h.1);
        let mut local = vec![u32::MAX; c.n];
        for k in order {
            if self.bound[k] * (1.0 + 1e-12) < best * (1.0 - TIE) {
                self.radius[k] = self.bound[k];
                continue;
            }
            let nodes = &self.members[k];
            // A component of more than half the nodes: products with the whole matrix on
            // vectors that are zero off the component (no copy of the block).
            let masked = nodes.len() * 2 > c.n;
            let block = if masked {
                None
            } else {
                for (l, &i) in nodes.iter().enumerate() {
                    local[i as usize] = l as u32;
                }
                let comp = &self.comp;
                let rows: Vec<Vec<(u32, f64)>> = nodes
                    .iter()
                    .map(|&i| {
                        c.row(i as usize)
                            .filter(|&(j, w)| w > 0.0 && comp[j] == k as u32)
                            .map(|(j, w)| (local[j], w))
                            .collect()
                    })
                    .collect();
                Some(csr_of_rows(rows))
            };
            let b = block.as_ref().unwrap_or(c);
            let mut start: Vec<f64> = match hint {
                Some((x, _)) => nodes.iter().map(|&i| x[i as usize].abs()).collect(),
                None => vec![],
            };
            if start.iter().all(|&v| v == 0.0) {
                start = vec![1.0; nodes.len()];
            }
            let mut prod = Product::new(b, transposed);
            let left = max_products.saturating_sub(self.products);
            let (mut wide, mut wide_out) = if masked {
                (vec![0.0; c.n], vec![0.0; c.n])
            } else {
                (vec![], vec![])
            };
            let r = arnoldi::rightmost_eigenpair(&start, tol, left, |x, out| {
                if masked {
                    for (&i, &v) in nodes.iter().zip(x) {
                        wide[i as usize] = v;
                    }
                    prod.apply(c, &wide, &mut wide_out, |_, s| s, |_, _| 0.0);
                    for (o, &i) in out.iter_mut().zip(nodes) {
                        *o = wide_out[i as usize];
                    }
                } else {
                    prod.apply(b, x, out, |_, s| s, |_, _| 0.0);
                }
            });
            self.products += r.products;
            if !r.converged {
                return Err(not_converged_radius(name, self.products, tol, r.residual));
            }
            self.radius[k] = r.value;
            best = best.max(r.value);
        }
        Ok(())
    }

    /// `f(X, Y)` for every entry from a node of component X to one of another component Y,
    /// X in decreasing order (every link into X comes before those out of X) or, with
    /// `ascending`, in increasing order (every link out of X leads to a component already
    /// passed).
    fn for_links(&self, c: &Csr, ascending: bool, mut f: impl FnMut(usize, usize)) {
        let mut visit = |k: usize| {
            for &i in &self.members[k] {
                for (j, w) in c.row(i as usize) {
                    let y = self.comp[j] as usize;
                    if w > 0.0 && y != k {
                        f(k, y);
                    }
                }
            }
        };
        if ascending {
            (0..self.members.len()).for_each(&mut visit);
        } else {
            (0..self.members.len()).rev().for_each(&mut visit);
        }
    }

    fn rho(&self) -> f64 {
        self.radius.iter().fold(0.0f64, |a, &r| a.max(r))
    }

    fn basic(&self) -> Vec<bool> {
        let rho = self.rho();
        self.radius
            .iter()
            .map(|&r| r >= rho * (1.0 - TIE))
            .collect()
    }
}

fn csr_of_rows(rows: Vec<Vec<(u32, f64)>>) -> Csr {
    let n = rows.len();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0);
    let mut targets = Vec::new();
    let mut weights = Vec::new();
    for r in rows {
        for (t, w) in r {
            targets.push(t);
            weights.push(w);
        }
        offsets.push(targets.len());
    }
    Csr::from_unsorted_rows(n, offsets, targets, weights)
}

fn not_converged_radius(name: &str, products: usize, tol: f64, last: f64) -> Error {
    Error::NotConverged {
        measure: format!("{name} (spectral radius of a strong component)"),
        iterations: products,
        tol,
        hint: Some(format!(
            "last relative residual {last:e}; raise max_iter or loosen tol"
        )),
    }
}

/// The spectral radius of `c` (of its positive entries; the same for the matrix and its
/// transpose): the largest Perron root of its strong components, with the products used.
pub(crate) fn spectral_radius(
    c: &Csr,
    tol: f64,
    max_products: usize,
    name: &str,
) -> Result<(f64, usize)> {
    if c.n == 0 {
        return Ok((0.0, 0));
    }
    if let Some((t, e)) = rescaled(c) {
        let (r, k) = spectral_radius(&t, tol, max_products, name)?;
        return Ok((r * 2f64.powi(e), k));
    }
    let mut s = Structure::new(c);
    s.roots(c, true, None, tol, max_products, name)?;
    Ok((s.rho(), s.products))
}

/// The limit of x <- (I + M) x / |(I + M) x| from the uniform vector: M = `c`^T when
/// `rows_are_sources` (values move along the rows of `c`, from row to target; the product is
/// a scatter or a gather over a transposed copy), M = `c` otherwise (values move from target
/// to row; the product is a gather). `node` names a node index in messages. Returns the
/// unit-norm limit and the operator products used.
///
/// # Errors
/// [`Error::Numeric`] when rho is defective (no limit that a finite iteration reaches), or
/// when the Krylov iteration settles on another eigenvalue; [`Error::NotConverged`] after
/// `max_products` products.
pub(crate) fn power_limit(
    c: &Csr,
    rows_are_sources: bool,
    tol: f64,
    max_products: usize,
    name: &str,
    node: &dyn Fn(usize) -> String,
) -> Result<(Vec<f64>, usize)> {
    let n = c.n;
    if n == 0 {
        return Ok((vec![], 0));
    }
    if let Some((t, _)) = rescaled(c) {
        return power_limit(&t, rows_are_sources, tol, max_products, name, node);
    }
    let mut s = Structure::new(c);
    let ncomp = s.radius.len();
    // A strongly connected graph: its root is simple (nothing to check), and the Krylov run
    // on the whole matrix finds it.
    let irreducible = ncomp == 1 && n > 1;
    let u = vec![1.0 / n as f64; n];
    let no_cycle = s.members.iter().all(|m| m.len() == 1) && s.rho() == 0.0;
    let mut prod = Product::new(c, rows_are_sources);
    let mut main = None;
    if !no_cycle {
        let r = arnoldi::rightmost_eigenpair(&u, tol, max_products, |x, out| {
            prod.apply(c, x, out, |_, v| v, |_, _| 0.0);
        });
        s.products += r.products;
        main = Some(r);
    }
    let converged = main.as_ref().filter(|r| r.converged);
    if irreducible {
        s.radius[0] = converged.map_or(f64::INFINITY, |r| r.value);
    } else if !no_cycle {
        // The roots, helped by the leading pair when the Krylov run converged (otherwise, to
        // tell a defective root from a slow run).
        let hint = converged.map(|r| (&r.vector[..], r.value));
        // After a failed run the roots get a budget of their own: a defective root (the
        // likely cause) is worth naming.
        let budget = if converged.is_some() {
            max_products
        } else {
            s.products + max_products
        };
        if let Err(e) = s.roots(c, rows_are_sources, hint, tol, budget, name) {
            return Err(if converged.is_some() {
                e
            } else {
                let used = main.as_ref().map_or(0, |r| r.products);
                main_not_converged(name, used, tol, main.as_ref())
            });
        }
    }
    let rho = s.rho();
    let basic = s.basic();
    // `from[Y]`: a basic component that reaches Y (Y itself excluded), if any. Links run from
    // higher to lower component numbers, so one pass in decreasing order of the source
    // settles every component before its links are followed.
    let mut from: Vec<Option<usize>> = vec![None; ncomp];
    s.for_links(c, false, |x, y| {
        let src = if basic[x] { Some(x) } else { from[x] };
        if from[y].is_none() {
            from[y] = src;
        }
    });
    if let Some(y) = (0..ncomp).find(|&y| basic[y] && from[y].is_some()) {
        let x = from[y].expect("checked");
        let first = |k: usize| node(s.members[k][0] as usize);
        let (a, b) = (first(x), first(y));
        let (a, b) = if rows_are_sources { (a, b) } else { (b, a) };
        return Err(Error::Numeric(if rho == 0.0 {
            format!(
                "{name}: the graph has flows but no cycle (spectral radius 0; {a} reaches {b}), \
                 so the power iteration on A + I creeps towards its limit as 1/k and never \
                 converges (NetworkX raises PowerIterationFailedConvergence); use pagerank, or \
                 katz with an absolute alpha"
            )
        } else {
            format!(
                "{name}: the strong components of {a} and of {b} both have the largest spectral \
                 radius {rho:e}, and the first feeds the second, so the leading eigenvalue is \
                 defective: the power iteration on A + I creeps towards its limit as 1/k and \
                 never converges (NetworkX raises PowerIterationFailedConvergence); use \
                 pagerank, or katz"
            )
        }));
    }
    // The support of the limit: the components reached from a basic one along the flows.
    let mut reached: Vec<bool> = basic.clone();
    if rows_are_sources {
        s.for_links(c, false, |x, y| reached[y] |= reached[x]);
    } else {
        // Values move against the rows: Y (lower number) reaches X. Settle in increasing order.
        s.for_links(c, true, |x, y| reached[x] |= reached[y]);
    }
    if rho == 0.0 {
        // No flows at all (M = 0): the iteration keeps the uniform vector.
        let mut x = u;
        let k = 1.0 / norm2(&x);
        scale(&mut x, k);
        return Ok((x, s.products));
    }
    let products = s.products;
    let r = match main {
        Some(r) if r.converged => r,
        _ => {
            let used = main.as_ref().map_or(products, |r| r.products);
            return Err(main_not_converged(name, used, tol, main.as_ref()));
        }
    };
    if (r.value - rho).abs() > 1e-6 * rho {
        return Err(Error::Numeric(format!(
            "{name}: the Krylov iteration settled on eigenvalue {:e}, not the spectral radius \
             {rho:e}",
            r.value
        )));
    }
    let mut x = r.vector;
    if dsum(n, |i| x[i]) < 0.0 {
        scale(&mut x, -1.0);
    }
    for (i, v) in x.iter_mut().enumerate() {
        if !reached[s.comp[i] as usize] || *v < 0.0 {
            *v = 0.0;
        }
    }
    // Polish: a few products with M itself. Each entry of M x is a sum of non-negative terms,
    // so entries far below the largest (1e-150 of it, say) come out to full relative accuracy
    // instead of at the rounding level of the Krylov basis (1e-17); the leading direction is
    // kept (the other components keep or shrink their size), zeros off the support stay zero.
    let mut y = vec![0.0; n];
    for _ in 0..POLISH {
        let norm = norm2(&x);
        if norm == 0.0 || !norm.is_finite() {
            return Err(Error::Numeric(format!(
                "{name}: the eigenvector vanished (no positive direction found)"
            )));
        }
        scale(&mut x, 1.0 / norm);
        prod.apply(c, &x, &mut y, |_, v| v, |_, _| 0.0);
        std::mem::swap(&mut x, &mut y);
    }
    let norm = norm2(&x);
    if norm == 0.0 || !norm.is_finite() {
        return Err(Error::Numeric(format!(
            "{name}: the eigenvector vanished (no positive direction found)"
        )));
    }
    scale(&mut x, 1.0 / norm);
    Ok((x, products + POLISH))
}

/// The Krylov run on the whole matrix did not settle.
fn main_not_converged(
    name: &str,
    products: usize,
    tol: f64,
    main: Option<&arnoldi::Rightmost>,
) -> Error {
    let last = main.map_or(f64::INFINITY, |r| r.residual);
    Error::NotConverged {
        measure: name.to_string(),
        iterations: products,
        tol,
        hint: Some(format!(
            "last relative residual {last:e}; raise max_iter or loosen tol"
        )),
    }
}

/// Products with M after the Krylov iteration (see [`power_limit`]).
const POLISH: usize = 3;
