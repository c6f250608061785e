//! [`centrality`]: several measures on a [`TradeGraph`], nodes by id, ranked.

use super::kernels::Product;
use super::output::{
    ranking, ByMeasure, CentralityOutput, CentralitySettings, MeasureRun, NodeScores,
};
use super::pagerank::pagerank_from_transpose;
use super::shortest::closeness_harmonic;
use super::spectral::{eigenvector_from_transpose, eigenvector_named};
use super::{
    betweenness, cheirank, hits, in_degree, in_strength, katz, out_degree, out_strength, pagerank,
    CentralityParams, KatzAlpha, KatzParams, Measure,
};
use crate::error::{Error, Result};
use crate::model::mem::prefetch;
use crate::model::{Csr, FlowFilter, GraphKind, Node, NodeIx, TradeGraph};
use rayon::prelude::*;
use std::borrow::Cow;
use std::time::Instant;

/// Run several centrality measures on `g` (the aggregated DiGraph of its flows, restricted to
/// `p.sectors`; an input-output graph's country-sector nodes as they are, or its countries
/// with `p.countries`) and return every node's scores keyed by id, ranked by the first
/// measure, with the iterations, alpha and time of each measure. Measures that share a
/// computation (hub and authority; closeness and harmonic) run it once.
///
/// Arguments: `g`; `p` ([`CentralityParams`]: PageRank alone by default).
///
/// # Errors
/// [`Error::Param`] for parameters out of range ([`CentralityParams::validate`]) or naming
/// a sector or node the graph does not have; those of the measures asked for
/// ([`Error::NotConverged`], [`Error::Numeric`], [`Error::Unsuited`]).
///
/// Complexity: the sum of the measures' (see each).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::analysis::{centrality, CentralityParams, Measure};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,x,2\nC,A,x,4\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let p = CentralityParams { measures: vec![Measure::Pagerank, Measure::Betweenness], ..Default::default() };
/// let c = centrality(&g, &p).unwrap();
/// assert_eq!(c.nodes[0].id, "A");
/// assert!(c.params.iterations.get(Measure::Pagerank).unwrap() > 1);
/// let json = serde_json::to_value(&c).unwrap();
/// assert!(json["nodes"][0]["betweenness"].is_number());
/// ```
pub fn centrality(g: &TradeGraph, p: &CentralityParams) -> Result<CentralityOutput> {
    centrality_with_progress(g, p, &|_, _| {})
}

/// [`centrality`], calling `progress(done, total)` as betweenness sources are done (from any
/// thread).
///
/// # Errors
/// Those of [`centrality`].
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::analysis::{centrality_with_progress, CentralityParams, Measure};
/// let csv = b"exporter,importer,value\nA,B,1\nB,C,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let p = CentralityParams { measures: vec![Measure::Betweenness], ..Default::default() };
/// let done = std::sync::atomic::AtomicUsize::new(0);
/// let c = centrality_with_progress(&g, &p, &|d, _| {
///     done.fetch_max(d, std::sync::atomic::Ordering::Relaxed);
/// }).unwrap();
/// assert_eq!(done.into_inner(), 3);
/// assert_eq!(c.node("B").unwrap().scores.get(Measure::Betweenness), Some(0.5));
/// ```
pub fn centrality_with_progress(
    g: &TradeGraph,
    p: &CentralityParams,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<CentralityOutput> {
    p.validate()?;
    let t0 = Instant::now();
    let g: Cow<TradeGraph> = if p.countries && g.kind() == GraphKind::InputOutput {
        Cow::Owned(g.countries())
    } else {
        Cow::Borrowed(g)
    };
    let p = resolve(&g, p)?;
    let (csr, transposed) = adjacency(&g, &p)?;
    let prepare_seconds = t0.elapsed().as_secs_f64();
    let n = g.node_count();
    let total = match (&p.betweenness.sources, p.betweenness.sample) {
        (Some(s), _) => s.len(),
        (None, Some(k)) => k.min(n),
        (None, None) => n,
    };
    let tick = |d: usize| progress(d, total);
    let (scores, runs) = measure_scores(&g, &csr, transposed, &p, &tick)?;
    // The adjacency is not needed for the ranking: freed before the rows are made, so that it
    // and they are not held at once (a tenth of the peak memory at ten million flows).
    drop(csr);
    let t = Instant::now();
    let node = |i: usize| g.node(NodeIx::new(i));
    let order = ranking(n, |i| &node(i).id, scores.first().map(Vec::as_slice));
    crate::timings::record("rank", t);
    // A row per node, made in parallel (a million rows are a million allocations each), in
    // ranked order: each node, its scores and its id are fetched ahead, from scattered places.
    let t = Instant::now();
    let nodes = (0..n)
        .into_par_iter()
        .map(|k| {
            if let Some(&j) = order.get(k + 32) {
                prefetch(node(j) as *const Node as usize);
                for s in &scores {
                    prefetch(&s[j] as *const f64 as usize);
                }
            }
            if let Some(&j) = order.get(k + 16) {
                prefetch(node(j).id.as_ptr() as usize);
            }
            let i = order[k];
            NodeScores {
                id: node(i).id.to_string(),
                name: node(i).name().map(str::to_string),
                scores: ByMeasure(
                    p.measures
                        .iter()
                        .zip(&scores)
                        .map(|(&m, s)| (m, s[i]))
                        .collect(),
                ),
            }
        })
        .collect();
    crate::timings::record("rows", t);
    Ok(CentralityOutput {
        measures: p.measures.clone(),
        params: settings(
            &p,
            &runs,
            (p.betweenness.sources.is_some() || p.betweenness.sample.is_some()).then_some(total),
        ),
        nodes,
        runs,
        prepare_seconds,
    })
}

/// `p` with its ids turned into node positions of `g`: the teleport vector and the
/// betweenness sources.
fn resolve<'a>(g: &TradeGraph, p: &'a CentralityParams) -> Result<Cow<'a, CentralityParams>> {
    if p.personalize.is_none() && p.sources.is_none() {
        return Ok(Cow::Borrowed(p));
    }
    let mut q = p.clone();
    if let Some(ids) = &p.personalize {
        let mut v = vec![0.0; g.node_count()];
        for i in nodes(g, "personalize", ids)? {
            v[i] = 1.0;
        }
        q.pagerank.personalization = Some(v);
    }
    if let Some(ids) = &p.sources {
        q.betweenness.sources = Some(nodes(g, "sources", ids)?);
    }
    Ok(Cow::Owned(q))
}

/// The positions of `ids` in `g`, each once, in the order given.
fn nodes(g: &TradeGraph, name: &str, ids: &[String]) -> Result<Vec<usize>> {
    let mut seen = vec![false; g.node_count()];
    let mut out = Vec::new();
    for id in ids {
        let i = g
            .require_node(id.trim())
            .map_err(|e| Error::param(name, "", e.to_string()))?
            .index();
        if !std::mem::replace(&mut seen[i], true) {
            out.push(i);
        }
    }
    Ok(out)
}

/// The aggregated adjacency of the flows of `p.sectors`, and whether it is held transposed.
fn adjacency(g: &TradeGraph, p: &CentralityParams) -> Result<(Csr, bool)> {
    let mut filter = FlowFilter::default();
    if let Some(codes) = &p.sectors {
        let mut v = Vec::with_capacity(codes.len());
        for c in codes {
            v.push(
                g.require_sector(c.trim())
                    .map_err(|e| Error::param("sectors", "", e.to_string()))?,
            );
        }
        filter.sectors = Some(v);
    }
    // PageRank and eigenvector centrality alone need only A^T: on a graph big enough that
    // their products gather over a transposed copy, build that copy straight from the graph
    // and skip A (less time, a third less memory, the same numbers to the bit).
    let only_transpose = p
        .measures
        .iter()
        .all(|m| *m == Measure::Pagerank || (*m == Measure::Eigenvector && !p.eigenvector.reverse));
    // `transposed`: `csr` holds A^T, and every measure of this run reads it as such. A graph
    // too small for the gather keeps A (the transpose of what was built: the same bits as
    // building A from the graph).
    Ok(if only_transpose {
        let t = Csr::from_graph_transposed(g, &filter);
        if Product::transposes(t.n, t.nnz()) {
            (t, true)
        } else {
            (t.transpose(), false)
        }
    } else {
        (Csr::from_graph(g, &filter), false)
    })
}

/// The `params` block: what was asked, and the alpha, radius and iterations the run found.
fn settings(
    p: &CentralityParams,
    runs: &[MeasureRun],
    sources: Option<usize>,
) -> CentralitySettings {
    let katz = runs.iter().find(|r| r.measure == Measure::Katz);
    let uses_paths = p.measures.iter().any(|m| {
        matches!(
            m,
            Measure::Betweenness | Measure::Closeness | Measure::Harmonic
        )
    });
    CentralitySettings {
        alpha: p.pagerank.alpha,
        katz_alpha_fraction: match p.katz.alpha {
            KatzAlpha::OfRadius(f) => f,
            KatzAlpha::Absolute(_) => match KatzParams::default().alpha {
                KatzAlpha::OfRadius(f) | KatzAlpha::Absolute(f) => f,
            },
        },
        katz_alpha: katz.and_then(|r| r.alpha),
        spectral_radius: katz.and_then(|r| r.spectral_radius),
        tol: p.pagerank.tol,
        max_iter: p.pagerank.max_iter,
        iterations: ByMeasure(
            runs.iter()
                .filter_map(|r| Some((r.measure, r.iterations?)))
                .collect(),
        ),
        distance: uses_paths.then(|| p.betweenness.distance.name()),
        reverse: p.eigenvector.reverse,
        sectors: p.sectors.clone(),
        countries: p.countries,
        personalize: p.personalize.as_ref().map(|v| v.join(",")),
        betweenness_sources: sources,
        betweenness_normalized: p.betweenness.normalized,
    }
}

/// The scores of every measure by node position, and how each was computed.
fn measure_scores(
    g: &TradeGraph,
    csr: &Csr,
    transposed: bool,
    p: &CentralityParams,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(Vec<Vec<f64>>, Vec<MeasureRun>)> {
    let mut results: Vec<Option<(Vec<f64>, MeasureRun)>> = vec![None; p.measures.len()];
    let run = |m: Measure, iterations: Option<usize>, alpha: Option<f64>, secs: f64| MeasureRun {
        measure: m,
        iterations,
        alpha,
        spectral_radius: None,
        seconds: secs,
    };
    let pos = |m: Measure| p.measures.iter().position(|&x| x == m);
    for (k, &m) in p.measures.iter().enumerate() {
        if results[k].is_some() {
            continue;
        }
        let t = Instant::now();
        let secs = || t.elapsed().as_secs_f64();
        match m {
            Measure::InStrength => results[k] = Some((in_strength(csr), run(m, None, None, 0.0))),
            Measure::OutStrength => results[k] = Some((out_strength(csr), run(m, None, None, 0.0))),
            Measure::InDegree => results[k] = Some((in_degree(csr), run(m, None, None, 0.0))),
            Measure::OutDegree => results[k] = Some((out_degree(csr), run(m, None, None, 0.0))),
            Measure::Pagerank | Measure::Cheirank => {
                let r = if m == Measure::Cheirank {
                    cheirank(csr, &p.pagerank)?
                } else if transposed {
                    pagerank_from_transpose(csr, &p.pagerank)?
                } else {
                    pagerank(csr, &p.pagerank)?
                };
                let mr = run(m, Some(r.iterations), Some(p.pagerank.alpha), 0.0);
                results[k] = Some((r.values, mr));
            }
            Measure::Eigenvector => {
                let node =
                    |i: usize| format!("'{}'", crate::text::clip(&g.node(NodeIx::new(i)).id));
                let r = if transposed {
                    eigenvector_from_transpose(csr, &p.eigenvector, &node)?
                } else {
                    eigenvector_named(csr, &p.eigenvector, &node)?
                };
                results[k] = Some((r.values, run(m, Some(r.iterations), None, 0.0)));
            }
            Measure::Katz => {
                let r = katz(csr, &p.katz)?;
                let mut mr = run(m, Some(r.iterations), Some(r.alpha), 0.0);
                mr.spectral_radius = r.spectral_radius;
                results[k] = Some((r.values, mr));
            }
            Measure::Hub | Measure::Authority => {
                let r = hits(csr, &p.hits)?;
                let s = secs();
                if let Some(i) = pos(Measure::Hub) {
                    results[i] = Some((r.hubs, run(Measure::Hub, Some(r.iterations), None, s)));
                }
                if let Some(i) = pos(Measure::Authority) {
                    let mr = run(Measure::Authority, Some(r.iterations), None, s);
                    results[i] = Some((r.authorities, mr));
                }
                continue;
            }
            Measure::Betweenness => {
                let b = betweenness(csr, &p.betweenness, Some(progress))?;
                results[k] = Some((b, run(m, None, None, 0.0)));
            }
            Measure::Closeness | Measure::Harmonic => {
                let (ci, hi) = (pos(Measure::Closeness), pos(Measure::Harmonic));
                let (c, h) =
                    closeness_harmonic(csr, p.betweenness.distance, ci.is_some(), hi.is_some());
                let s = secs();
                if let Some(i) = ci {
                    results[i] = Some((c, run(Measure::Closeness, None, None, s)));
                }
                if let Some(i) = hi {
                    results[i] = Some((h, run(Measure::Harmonic, None, None, s)));
                }
                continue;
            }
        }
        if let Some((_, r)) = results[k].as_mut() {
            r.seconds = secs();
        }
    }
    Ok(results.into_iter().flatten().unzip())
}
