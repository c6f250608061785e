//! PageRank and CheiRank: the power iteration of a random walk along (or against) the flows.

use super::kernels::{scattered, EntryAhead, Product};
use super::spectral::{not_converged, Iterated};
use super::{in_strength, PagerankParams};
use crate::error::{Error, Result};
use crate::model::mem::huge_vec;
use crate::model::Csr;

/// PageRank, as `nx.pagerank(G, alpha, personalization=p, weight="weight")` at its fixed
/// point: mass moves from exporter to importer in proportion to value, teleports with
/// probability 1 - alpha to the personalization vector (uniform by default), and the mass of
/// dangling nodes (no exports) is spread like the teleport. High scores go to importers that
/// big exporters sell to. Scores sum to 1.
///
/// Arguments: `csr` (rows are exporters), `p` ([`PagerankParams`]: alpha 0.85, tol 1e-10,
/// max_iter 1000, uniform personalization).
///
/// # Errors
/// [`Error::Param`] for alpha outside [0, 1], a non-positive tol, or a personalization of the
/// wrong length, with a negative entry or zero sum; [`Error::NotConverged`] after
/// `max_iter` iterations.
///
/// Complexity: O(m) per iteration, parallel over importers.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{pagerank, PagerankParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,x,2\nC,A,x,4\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let pr = pagerank(&Csr::from_graph(&g, &FlowFilter::default()), &PagerankParams::default()).unwrap();
/// assert!((pr.values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!(pr.iterations > 1);
/// ```
pub fn pagerank(csr: &Csr, p: &PagerankParams) -> Result<Iterated> {
    pagerank_impl(csr, false, p, "pagerank")
}

/// CheiRank: PageRank of the reversed graph, so mass moves from importer to exporter in
/// proportion to value; high scores go to exporters that sell to big importers
/// (`nx.pagerank(G.reverse(), ...)`; Chepelianskii, and Coquidé, Lages, Shepelyansky on
/// world trade). Same parameters, errors and complexity as [`pagerank`].
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{cheirank, PagerankParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,C,x,3\nB,A,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let cr = cheirank(&Csr::from_graph(&g, &FlowFilter::default()), &PagerankParams::default()).unwrap();
/// let a = g.node_index("A").unwrap().index();
/// assert!(cr.values.iter().all(|&v| v <= cr.values[a]));
/// ```
pub fn cheirank(csr: &Csr, p: &PagerankParams) -> Result<Iterated> {
    pagerank_impl(csr, true, p, "cheirank")
}

/// PageRank on the graph of `a` (rows = exporters), or on its reverse.
fn pagerank_impl(a: &Csr, reversed: bool, p: &PagerankParams, name: &str) -> Result<Iterated> {
    let tele = check_pagerank(a.n, p)?;
    // Mass leaves node i in proportion to its flows: out-strength (in-strength when reversed).
    let strength = if reversed {
        in_strength(a)
    } else {
        a.row_sums()
    };
    // Forward: mass moves along rows, x' = A^T (x / s); reversed: x' = A (x / s).
    let prod = Product::new(a, !reversed);
    pagerank_run(a, prod, strength, tele, p, name)
}

/// Check the parameters and return the teleport vector (uniform, or the personalization
/// normalised to sum 1).
fn check_pagerank(n: usize, p: &PagerankParams) -> Result<Vec<f64>> {
    p.validate()?;
    match &p.personalization {
        _ if n == 0 => Ok(Vec::new()),
        None => Ok(vec![1.0 / n as f64; n]),
        Some(v) => normalised_weights(v, n),
    }
}

/// PageRank from A^T alone (`at`: rows are importers), for runs that need no other form of
/// the matrix: the same numbers to the bit as [`pagerank`] on A when A is big enough to be
/// transposed there ([`Product::transposes`]). Out-strength is summed over `at`'s rows in
/// order, which adds each exporter's flows in the order of A's row.
pub(super) fn pagerank_from_transpose(at: &Csr, p: &PagerankParams) -> Result<Iterated> {
    let tele = check_pagerank(at.n, p)?;
    let mut strength = huge_vec(at.n, 0.0);
    let mut ahead = scattered(at.n).then(|| EntryAhead::new(at, &at.targets, 0));
    for j in 0..at.n {
        if let Some(a) = ahead.as_mut() {
            a.before(at.offsets[j + 1]);
        }
        for (i, w) in at.row(j) {
            strength[i] += w;
        }
    }
    pagerank_run(at, Product::new(at, false), strength, tele, p, "pagerank")
}

/// The power iteration of PageRank: `prod` applied to `a` moves mass along the flows;
/// `strength` is what leaves each node, `tele` where teleports land.
fn pagerank_run(
    a: &Csr,
    mut prod: Product,
    strength: Vec<f64>,
    tele: Vec<f64>,
    p: &PagerankParams,
    name: &str,
) -> Result<Iterated> {
    let n = a.n;
    if n == 0 {
        return Ok(Iterated {
            values: vec![],
            iterations: 0,
        });
    }
    let dangling: Vec<usize> = (0..n).filter(|&i| strength[i] == 0.0).collect();
    let inv: Vec<f64> = strength
        .iter()
        .map(|&s| if s == 0.0 { 0.0 } else { 1.0 / s })
        .collect();
    // A uniform teleport (the default) is one number: no vector to read each iteration.
    let uniform = tele
        .iter()
        .all(|t| t.to_bits() == tele[0].to_bits())
        .then_some(tele[0]);
    let mut x = huge_vec(n, 1.0 / n as f64);
    let mut y = huge_vec(n, 0.0);
    let mut next = huge_vec(n, 0.0);
    let al = p.alpha;
    let mut err = f64::INFINITY;
    for it in 1..=p.max_iter {
        let dsum_x: f64 = dangling.iter().map(|&i| x[i]).sum();
        for ((yi, &xi), &si) in y.iter_mut().zip(&x).zip(&inv) {
            *yi = xi * si;
        }
        let (xr, tr) = (&x, &tele);
        let g = |j: usize, v: f64| (v - xr[j]).abs();
        err = match uniform {
            Some(t) => prod.apply(
                a,
                &y,
                &mut next,
                |_, s| al * (s + dsum_x * t) + (1.0 - al) * t,
                g,
            ),
            None => prod.apply(
                a,
                &y,
                &mut next,
                |j, s| al * (s + dsum_x * tr[j]) + (1.0 - al) * tr[j],
                g,
            ),
        };
        std::mem::swap(&mut x, &mut next);
        if err < p.tol {
            return Ok(Iterated {
                values: x,
                iterations: it,
            });
        }
    }
    Err(not_converged(name, p.max_iter, p.tol, err))
}

fn normalised_weights(v: &[f64], n: usize) -> Result<Vec<f64>> {
    if v.len() != n {
        return Err(Error::param(
            "pagerank.personalization",
            format!("{} entries", v.len()),
            format!("must have one entry per node ({n})"),
        ));
    }
    // Entries and sum were checked by `PagerankParams::validate`.
    let s: f64 = v.iter().sum();
    Ok(v.iter().map(|x| x / s).collect())
}
