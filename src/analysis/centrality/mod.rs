//! Centrality: who matters in the trade network, each measure equal to its NetworkX 3.x
//! counterpart on the same weighted DiGraph (MODELS.md §2).
//!
//! Every measure works on the aggregated weighted adjacency [`Csr`](crate::Csr) (one entry per ordered
//! pair, parallel sector flows summed, self-loops kept; rows are exporters). On an
//! input-output graph the nodes are the country-sector nodes as they are (own-sector
//! deliveries are self-loops); [`CentralityParams::countries`] takes the view by country.
//!
//! | measure | NetworkX call it equals |
//! |---|---|
//! | [`in_strength`], [`out_strength`] | `G.in_degree(weight="weight")`, `G.out_degree(weight="weight")` |
//! | [`in_degree`], [`out_degree`] | `nx.in_degree_centrality(G)`, `nx.out_degree_centrality(G)` |
//! | [`pagerank`], [`cheirank`] | `nx.pagerank(G, alpha, personalization, weight="weight")`, same on `G.reverse()` |
//! | [`eigenvector`] | `nx.eigenvector_centrality(G, weight="weight")` |
//! | [`katz`] | `nx.katz_centrality(G, alpha, beta=1, weight="weight", normalized=True)` |
//! | [`hits`] | `nx.hits(G)` (hubs, authorities) |
//! | [`betweenness`] | `nx.betweenness_centrality(G, weight="distance", normalized=True)` |
//! | [`closeness`] | `nx.closeness_centrality(G, distance="distance")` |
//! | [`harmonic`] | `nx.harmonic_centrality(G, distance="distance")` |
//!
//! Iterative measures stop when the L1 change of the normalised vector is below `tol`
//! (default 1e-10), not at NetworkX's `n * tol`, and report the iterations used; a measure that
//! does not get there is [`Error::NotConverged`](crate::Error::NotConverged). Eigenvector centrality, lambda_max (for Katz)
//! and HITS are found by Krylov methods instead (restarted Arnoldi, restarted Lanczos), which
//! reach the limit of NetworkX's power iteration where that iteration crawls, and stop on the
//! eigen-residual (`tol` relative to the eigenvalue).
//!
//! The analysis is [`centrality`]: several measures on a [`TradeGraph`](crate::TradeGraph),
//! every node's scores keyed by its id and ranked ([`CentralityOutput`], FORMAT.md's JSON).
//! The kernels in the table work on a [`Csr`](crate::Csr) and return vectors by node
//! position: they are public for tests, benchmarks and comparisons with NetworkX (a node's
//! position is `g.node_index(id)`).
//!
//! Parallel kernels (rayon) compute each output entry in a fixed order -- by one task, or from
//! per-chunk partial sums over a fixed set of row chunks (a function of the graph alone) added
//! in chunk order -- and sum reductions in a fixed block order: the numbers are bit-identical
//! whatever the thread count (`RAYON_NUM_THREADS`). No kernel builds a transposed copy: products
//! with A^T scatter row by row. Betweenness runs one Dijkstra per source in parallel, sources in
//! fixed blocks whose sums are added in block order.

mod arnoldi;
mod degree;
mod kernels;
pub(crate) mod lanczos;
mod measure;
mod output;
mod pagerank;
mod params;
mod paths;
mod perron;
mod prune;
mod run;
mod shortest;
mod spectral;

pub use degree::{in_degree, in_strength, out_degree, out_strength};
pub use measure::{Distance, Measure};
pub use output::{ByMeasure, CentralityOutput, CentralitySettings, MeasureRun, NodeScores};
pub use pagerank::{cheirank, pagerank};
pub use params::{
    BetweennessParams, CentralityParams, EigenvectorParams, HitsParams, KatzAlpha, KatzParams,
    PagerankParams,
};
pub use run::{centrality, centrality_with_progress};
pub use shortest::{betweenness, closeness, harmonic};
pub use spectral::{eigenvector, hits, katz, spectral_radius, Hits, Iterated, Katz};

#[cfg(test)]
mod tests {
    use super::kernels::Product;
    use super::pagerank::pagerank_from_transpose;
    use super::spectral::eigenvector_from_transpose;
    use super::*;
    use crate::error::Error;
    use crate::model::Csr;

    /// The A^T-only route (pagerank and eigenvector alone on a big graph) gives the same bits
    /// as the measures on A, which transpose A themselves at this size.
    #[test]
    fn transpose_route_equals_the_matrix_route_to_the_bit() {
        // 300,000 nodes and 1.2 M entries: A^T is gathered over a transposed copy (4 scatter
        // chunks of 2.4 MB would not stay in cache).
        let n = 300_000usize;
        let mut s = 20261124u64;
        let mut edges = Vec::new();
        for i in 0..n as u32 {
            for _ in 0..4 {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let j = ((s >> 33) % n as u64) as u32;
                if j != i {
                    edges.push((i, j, 1.0 + (s >> 40) as f64 / 7.0));
                }
            }
        }
        let a = csr(n, &edges);
        assert!(Product::transposes(a.n, a.nnz()));
        let at = a.transpose();
        let p = PagerankParams {
            tol: 1e-6,
            ..Default::default()
        };
        let same_bits = |x: &Iterated, y: &Iterated| {
            assert_eq!(x.iterations, y.iterations);
            assert!(x
                .values
                .iter()
                .zip(&y.values)
                .all(|(u, v)| u.to_bits() == v.to_bits()));
        };
        same_bits(
            &pagerank(&a, &p).unwrap(),
            &pagerank_from_transpose(&at, &p).unwrap(),
        );
        let ep = EigenvectorParams {
            tol: 1e-6,
            ..Default::default()
        };
        same_bits(
            &eigenvector(&a, &ep).unwrap(),
            &eigenvector_from_transpose(&at, &ep, &|i| i.to_string()).unwrap(),
        );
    }

    fn csr(n: usize, edges: &[(u32, u32, f64)]) -> Csr {
        let mut rows = vec![Vec::new(); n];
        for &(a, b, w) in edges {
            rows[a as usize].push((b, w));
        }
        let mut offsets = vec![0];
        let mut targets = vec![];
        let mut weights = vec![];
        for r in rows {
            for (b, w) in r {
                targets.push(b);
                weights.push(w);
            }
            offsets.push(targets.len());
        }
        Csr::from_unsorted_rows(n, offsets, targets, weights)
    }

    #[test]
    fn pagerank_dangling_and_sum() {
        let g = csr(3, &[(0, 1, 1.0), (1, 2, 1.0)]);
        let r = pagerank(&g, &PagerankParams::default()).unwrap();
        assert!((r.values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(r.values[2] > r.values[1] && r.values[1] > r.values[0]);
    }

    #[test]
    fn not_converged_is_an_error() {
        let g = csr(3, &[(0, 1, 1.0), (0, 2, 3.0), (1, 2, 1.0), (2, 0, 5.0)]);
        let p = PagerankParams {
            max_iter: 2,
            ..Default::default()
        };
        let e = pagerank(&g, &p).unwrap_err();
        assert!(e
            .to_string()
            .contains("pagerank did not converge in 2 iterations"));
    }

    #[test]
    fn zero_length_links_like_networkx() {
        // A sells only to B (share 1, length 0), B to C and D.
        let g = csr(4, &[(0, 1, 5.0), (1, 2, 1.0), (1, 3, 1.0)]);
        let p = BetweennessParams {
            distance: Distance::NegLog,
            normalized: false,
            ..Default::default()
        };
        let b = betweenness(&g, &p, None).unwrap();
        assert_eq!(b, vec![0.0, 2.0, 0.0, 0.0]);
        let h = harmonic(&g, Distance::NegLog);
        // B is reached from A at distance 0: adds nothing.
        assert_eq!(h[1], 0.0);
    }

    #[test]
    fn katz_on_acyclic_needs_absolute_alpha() {
        let g = csr(2, &[(0, 1, 1.0)]);
        assert!(matches!(
            katz(&g, &KatzParams::default()),
            Err(Error::Param { .. })
        ));
        let p = KatzParams {
            alpha: KatzAlpha::Absolute(0.5),
            ..Default::default()
        };
        let k = katz(&g, &p).unwrap();
        assert!((k.values[1] / k.values[0] - 1.5).abs() < 1e-12);
    }

    #[test]
    fn sample_is_distinct_sorted_and_seeded() {
        use super::shortest::sample;
        let s = sample(100, 10, 7);
        assert_eq!(s.len(), 10);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s, sample(100, 10, 7));
        assert_ne!(s, sample(100, 10, 8));
        assert_eq!(sample(5, 10, 0), vec![0, 1, 2, 3, 4]);
    }
}
