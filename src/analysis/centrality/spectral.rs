//! Spectral measures: eigenvector centrality, the spectral radius, Katz and HITS.

use super::kernels::{dsum, norm2, scale, Product};
use super::params::check_iter;
use super::{lanczos, perron, EigenvectorParams, HitsParams, KatzAlpha, KatzParams};
use crate::error::{Error, Result};
use crate::model::mem::huge_vec;
use crate::model::Csr;

/// The result of an iterative measure: scores by node index and the iterations used.
#[derive(Debug, Clone, PartialEq)]
pub struct Iterated {
    /// Scores by node index.
    pub values: Vec<f64>,
    /// Iterations done.
    pub iterations: usize,
}

/// The result of [`katz`].
#[derive(Debug, Clone, PartialEq)]
pub struct Katz {
    /// Scores by node index, Euclidean norm 1.
    pub values: Vec<f64>,
    /// Iterations of the series.
    pub iterations: usize,
    /// The alpha used.
    pub alpha: f64,
    /// lambda_max, when alpha was given as a fraction of 1/lambda_max.
    pub spectral_radius: Option<f64>,
    /// Iterations spent finding lambda_max (0 when not needed).
    pub radius_iterations: usize,
}

/// The result of [`hits`].
#[derive(Debug, Clone, PartialEq)]
pub struct Hits {
    /// Hub scores by node index, summing to 1.
    pub hubs: Vec<f64>,
    /// Authority scores by node index, summing to 1.
    pub authorities: Vec<f64>,
    /// Iterations done.
    pub iterations: usize,
}

/// The iteration of `measure` stopped at `iterations` with the last change `last`.
pub(super) fn not_converged(measure: &str, iterations: usize, tol: f64, last: f64) -> Error {
    Error::NotConverged {
        measure: measure.to_string(),
        iterations,
        tol,
        hint: Some(format!(
            "last change {last:e}; raise max_iter or loosen tol"
        )),
    }
}

/// Eigenvector centrality, as `nx.eigenvector_centrality(G, weight="weight")` at its fixed
/// point: a node scores from the scores of those who sell to it, weighted by value
/// (x_j ∝ Σ_i f\[i,j\] x_i). NetworkX iterates on A + I from the uniform vector; the limit of that
/// iteration is computed here by restarted Arnoldi (a Krylov method, as ARPACK) after finding
/// the strong components and their spectral radii, so that it is reached also where the power
/// iteration crawls: values in USD make the shift by I negligible, and a second eigenvalue
/// near -lambda_max (a nearly bipartite graph) or a reducible graph makes the iteration's
/// ratio 0.99 or closer to 1. On a graph that is not strongly connected the limit is the
/// Perron vector of the components with the largest spectral radius, spread to the nodes they
/// reach and exactly 0 elsewhere (several such components are mixed in the proportions the
/// uniform start gives them, as in NetworkX). The result has Euclidean norm 1. With
/// `reverse`, a node scores from its buyers. The method is in `centrality/perron.rs`.
///
/// Arguments: `csr`, `p` ([`EigenvectorParams`]: tol 1e-10, max_iter 1000, reverse false).
///
/// # Errors
/// [`Error::Param`] for a bad tol or max_iter; [`Error::Numeric`] for a graph where the power
/// iteration has no limit that it reaches (NetworkX raises `PowerIterationFailedConvergence`
/// however many iterations it is given): flows without a cycle, or a component with the
/// largest spectral radius feeding another with the same; [`Error::NotConverged`] when the
/// Krylov iteration has not settled after `max_iter` products.
///
/// Complexity: O(m + 32 n) per product (a sparse product and the reorthogonalisation), a few
/// tens of products on trade graphs; memory 32 n extra.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{eigenvector, EigenvectorParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,x,2\nC,A,x,4\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let e = eigenvector(&Csr::from_graph(&g, &FlowFilter::default()), &EigenvectorParams::default()).unwrap();
/// let norm: f64 = e.values.iter().map(|v| v * v).sum::<f64>().sqrt();
/// assert!((norm - 1.0).abs() < 1e-12);
/// ```
pub fn eigenvector(csr: &Csr, p: &EigenvectorParams) -> Result<Iterated> {
    eigenvector_named(csr, p, &|i| format!("node {i}"))
}

/// [`eigenvector`] with `node` naming a node index in messages.
pub(super) fn eigenvector_named(
    csr: &Csr,
    p: &EigenvectorParams,
    node: &dyn Fn(usize) -> String,
) -> Result<Iterated> {
    p.validate()?;
    let (values, iterations) =
        perron::power_limit(csr, !p.reverse, p.tol, p.max_iter, "eigenvector", node)?;
    Ok(Iterated { values, iterations })
}

/// [`eigenvector`] (in-flows, not reversed) from A^T alone (`at`: rows are importers), for
/// runs that need no other form of the matrix.
pub(super) fn eigenvector_from_transpose(
    at: &Csr,
    p: &EigenvectorParams,
    node: &dyn Fn(usize) -> String,
) -> Result<Iterated> {
    p.validate()?;
    let (values, iterations) =
        perron::power_limit(at, false, p.tol, p.max_iter, "eigenvector", node)?;
    Ok(Iterated { values, iterations })
}

/// The spectral radius lambda_max of the weighted adjacency (its Perron root), with the
/// operator products used: the largest Perron root of the strong components, each found by
/// restarted Arnoldi on its block (where the root is simple and the rightmost eigenvalue),
/// so that graphs that are not strongly connected, periodic, or weighted in USD get it as
/// readily as any other. A graph without cycles (and without self-loops) has radius 0,
/// returned without iterating.
///
/// # Errors
/// [`Error::NotConverged`] (measure `spectral radius (...)`) when a component's root has not
/// settled after `max_iter` products.
///
/// Complexity: O(m + 32 n) per product.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::spectral_radius, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,2\nB,A,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let (r, _) = spectral_radius(&Csr::from_graph(&g, &FlowFilter::default()), 1e-12, 1000).unwrap();
/// assert!((r - 2.0).abs() < 1e-9);
/// ```
pub fn spectral_radius(csr: &Csr, tol: f64, max_iter: usize) -> Result<(f64, usize)> {
    check_iter("", tol, max_iter)?;
    if csr.n == 0 || is_acyclic(csr) {
        return Ok((0.0, 0));
    }
    perron::spectral_radius(csr, tol, max_iter, "spectral radius")
}

/// True when the graph has no directed cycle (self-loops of positive value count as cycles).
fn is_acyclic(csr: &Csr) -> bool {
    let n = csr.n;
    let mut indeg = vec![0usize; n];
    for (i, (&t, &w)) in csr.targets.iter().zip(&csr.weights).enumerate() {
        let _ = i;
        if w > 0.0 {
            indeg[t as usize] += 1;
        }
    }
    let mut stack: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        for (t, w) in csr.row(v) {
            if w > 0.0 {
                indeg[t] -= 1;
                if indeg[t] == 0 {
                    stack.push(t);
                }
            }
        }
    }
    seen == n
}

/// Katz centrality, as `nx.katz_centrality(G, alpha, beta, weight="weight",
/// normalized=True)` at its fixed point: x = alpha A^T x + beta, a node scoring from all the
/// chains of suppliers that reach it, attenuated by alpha per link. Because raw trade values
/// make any fixed alpha diverge, alpha is by default given as a fraction of 1/lambda_max
/// ([`spectral_radius`]); the alpha used is returned. With `reverse`, scores come from
/// chains of buyers. The result has Euclidean norm 1.
///
/// Arguments: `csr`, `p` ([`KatzParams`]: alpha 0.5/lambda_max, beta 1, tol 1e-10,
/// max_iter 1000, reverse false).
///
/// # Errors
/// [`Error::Param`] for a fraction outside (0, 1), a non-positive absolute alpha, or a graph
/// without cycles given a fraction (lambda_max = 0: give an absolute alpha);
/// [`Error::NotConverged`] for the radius or the series; [`Error::Param`] when the series
/// overflows (an absolute alpha >= 1/lambda_max diverges).
///
/// Complexity: O(m) per iteration (radius, then the series: about log(tol)/log(fraction)
/// iterations).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{katz, KatzParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,2\nB,A,x,2\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let k = katz(&Csr::from_graph(&g, &FlowFilter::default()), &KatzParams::default()).unwrap();
/// assert!((k.alpha - 0.25).abs() < 1e-9); // 0.5 / lambda_max, lambda_max = 2
/// ```
pub fn katz(csr: &Csr, p: &KatzParams) -> Result<Katz> {
    p.validate()?;
    let (alpha, radius, radius_iterations) = match p.alpha {
        KatzAlpha::Absolute(a) => (a, None, 0),
        KatzAlpha::OfRadius(f) => {
            let (r, it) = spectral_radius(csr, p.tol, p.max_iter).map_err(|e| match e {
                Error::NotConverged {
                    iterations,
                    tol,
                    hint,
                    ..
                } => Error::NotConverged {
                    measure: "katz (spectral radius)".into(),
                    iterations,
                    tol,
                    hint,
                },
                e => e,
            })?;
            if r == 0.0 {
                return Err(Error::param(
                    "katz.alpha",
                    f,
                    "katz: the graph has no cycles (spectral radius 0), so alpha cannot be a \
                     fraction of 1/lambda_max; give an absolute alpha (any value converges: \
                     KatzAlpha::Absolute)",
                ));
            }
            (f / r, Some(r), it)
        }
    };
    let n = csr.n;
    if n == 0 {
        return Ok(Katz {
            values: vec![],
            iterations: 0,
            alpha,
            spectral_radius: radius,
            radius_iterations,
        });
    }
    // Extreme weights: run the series on a copy scaled by 2^-e, alpha by 2^e (exact).
    let scaled = perron::rescaled(csr);
    let (csr, alpha_run) = match &scaled {
        Some((t, e)) => (t, alpha * 2f64.powi(*e)),
        None => (csr, alpha),
    };
    let mut prod = Product::new(csr, !p.reverse);
    let mut x = huge_vec(n, 0.0);
    let mut y = huge_vec(n, 0.0); // normalised previous
    let mut next = huge_vec(n, 0.0);
    let mut err = f64::INFINITY;
    for it in 1..=p.max_iter {
        prod.apply(
            csr,
            &x,
            &mut next,
            |_, s| alpha_run * s + p.beta,
            |_, _| 0.0,
        );
        let norm = norm2(&next);
        if !norm.is_finite() {
            // The series sum alpha^k A^k beta grows without bound: alpha >= 1/lambda_max.
            return Err(Error::param(
                "katz.alpha",
                crate::analysis::number_text(alpha),
                format!(
                    "katz: the series diverges: with alpha {} the scores pass the largest \
                     number after {it} iterations; alpha must be below 1/lambda_max \
                     (lambda_max = the spectral radius): give a smaller KatzAlpha::Absolute, \
                     or KatzAlpha::OfRadius for a fraction of 1/lambda_max",
                    crate::analysis::number_text(alpha)
                ),
            ));
        }
        let s = if norm > 0.0 { 1.0 / norm } else { 1.0 };
        let yr = &y;
        let nr = &next;
        err = dsum(n, |j| (nr[j] * s - yr[j]).abs());
        std::mem::swap(&mut x, &mut next);
        y.copy_from_slice(&x);
        scale(&mut y, s);
        if err < p.tol {
            return Ok(Katz {
                values: y,
                iterations: it,
                alpha,
                spectral_radius: radius,
                radius_iterations,
            });
        }
    }
    Err(not_converged("katz", p.max_iter, p.tol, err))
}

/// HITS hubs and authorities, as `nx.hits(G)`: authorities are the principal right singular
/// vector of the weighted adjacency A (importers supplied by strong hubs), hubs = A ·
/// authorities (exporters selling to strong authorities); each normalised to sum 1.
/// Authorities by restarted Lanczos on A^T A from the uniform vector, as ARPACK in NetworkX's
/// `svds(A, k=1)` (when the top singular value is repeated, the limit is the uniform vector's
/// projection on its space, as for the power iteration); `iterations` counts the products
/// with A^T A.
///
/// Arguments: `csr`, `p` ([`HitsParams`]: tol 1e-10, max_iter 1000).
///
/// # Errors
/// [`Error::Param`] for a graph with no positive flow (no singular vector to speak of) or a
/// bad tol; [`Error::NotConverged`] after `max_iter` products.
///
/// Complexity: O(m + 24 n) per Lanczos step (two sparse products, reorthogonalisation
/// against at most 24 basis vectors), parallel over nodes; memory 24 n extra.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{hits, HitsParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,C,x,1\nD,B,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let h = hits(&Csr::from_graph(&g, &FlowFilter::default()), &HitsParams::default()).unwrap();
/// let b = g.node_index("B").unwrap().index();
/// assert!(h.authorities.iter().all(|&v| v <= h.authorities[b]));
/// ```
pub fn hits(csr: &Csr, p: &HitsParams) -> Result<Hits> {
    p.validate()?;
    let n = csr.n;
    if n == 0 {
        return Ok(Hits {
            hubs: vec![],
            authorities: vec![],
            iterations: 0,
        });
    }
    if !csr.weights.iter().any(|&w| w > 0.0) {
        return Err(Error::Unsuited(
            "hits: the graph has no flow of positive value".into(),
        ));
    }
    // Weights far from 1 would overflow or underflow in A^T A (1e300 squared): scale them by
    // a power of two first (exact; HITS does not depend on the scale).
    let scaled = perron::rescaled(csr);
    let csr = scaled.as_ref().map_or(csr, |(t, _)| t);
    // Authorities: the leading eigenvector of A^T A by restarted Lanczos from the uniform
    // vector (what svds does for nx.hits); hubs: A a. Both normalised to sum 1.
    let mut at = Product::new(csr, true);
    let mut fw = Product::new(csr, false);
    let mut ax = huge_vec(n, 0.0);
    let start = huge_vec(n, 1.0 / n as f64);
    let r = lanczos::leading_eigenpair(&start, p.tol, p.max_iter, |x, out| {
        fw.apply(csr, x, &mut ax, |_, s| s, |_, _| 0.0);
        at.apply(csr, &ax, out, |_, s| s, |_, _| 0.0);
    });
    if !r.converged {
        return Err(not_converged("hits", r.products, p.tol, r.residual));
    }
    let mut a = r.vector;
    let sa = dsum(n, |i| a[i]);
    if sa == 0.0 || !sa.is_finite() {
        return Err(Error::Numeric(
            "hits: the authority vector sums to 0 (no leading direction with positive scores)"
                .into(),
        ));
    }
    scale(&mut a, 1.0 / sa);
    // The limit is non-negative (A^T A is): rounding-level negatives go to 0, then one power
    // step a <- A^T A a gives small entries full relative accuracy (sums of non-negative
    // terms) and keeps the direction.
    a.iter_mut().for_each(|v| *v = v.max(0.0));
    let mut h = huge_vec(n, 0.0);
    fw.apply(csr, &a, &mut h, |_, s| s, |_, _| 0.0);
    let sa = at.apply(csr, &h, &mut a, |_, s| s, |_, v| v);
    if sa == 0.0 || !sa.is_finite() {
        return Err(Error::Numeric(
            "hits: the authority vector sums to 0 (no leading direction with positive scores)"
                .into(),
        ));
    }
    scale(&mut a, 1.0 / sa);
    let sh = fw.apply(csr, &a, &mut h, |_, s| s, |_, v| v);
    scale(&mut h, 1.0 / sh);
    Ok(Hits {
        hubs: h,
        authorities: a,
        iterations: r.products,
    })
}
