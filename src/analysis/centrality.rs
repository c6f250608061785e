//! Centrality: who matters in the trade network, each measure equal to its NetworkX 3.x
//! counterpart on the same weighted DiGraph (MODELS.md §2).
//!
//! Every measure works on the aggregated weighted adjacency [`Csr`] (one entry per ordered
//! pair, parallel sector flows summed, self-loops kept; rows are exporters). On an
//! input-output graph the nodes are the country-sector nodes as they are (own-sector
//! deliveries are self-loops); take [`TradeGraph::countries`] first for a view by country.
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
//! does not get there is [`Error::NotConverged`]. Eigenvector centrality, lambda_max (for Katz)
//! and HITS are found by Krylov methods instead (restarted Arnoldi, restarted Lanczos), which
//! reach the limit of NetworkX's power iteration where that iteration crawls, and stop on the
//! eigen-residual (`tol` relative to the eigenvalue). Results are vectors in node-index order;
//! [`centrality`] runs several measures on a [`TradeGraph`] and ranks nodes by id.
//!
//! Parallel kernels (rayon) compute each output entry in a fixed order -- by one task, or from
//! per-chunk partial sums over a fixed set of row chunks (a function of the graph alone) added
//! in chunk order -- and sum reductions in a fixed block order: the numbers are bit-identical
//! whatever the thread count (`RAYON_NUM_THREADS`). No kernel builds a transposed copy: products
//! with A^T scatter row by row. Betweenness runs one Dijkstra per source in parallel, sources in
//! fixed blocks whose sums are added in block order.

mod arnoldi;
mod kernels;
pub(crate) mod lanczos;
mod paths;
mod perron;
mod prune;

use crate::error::{closest, Error, Result};
use crate::model::mem::huge_vec;
use crate::model::{Csr, FlowFilter, NodeIx, TradeGraph};
use kernels::{dsum, norm2, scale, Product};
use std::fmt;
use std::str::FromStr;
use std::time::Instant;

/// A centrality measure, named as in outputs (`--measure`, JSON keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// Sum of in-flows (imports).
    InStrength,
    /// Sum of out-flows (exports).
    OutStrength,
    /// Number of suppliers / (n - 1).
    InDegree,
    /// Number of buyers / (n - 1).
    OutDegree,
    /// PageRank: ranks importers (destinations).
    Pagerank,
    /// PageRank of the reversed graph: ranks exporters (suppliers).
    Cheirank,
    /// Eigenvector centrality from in-flows (out-flows with `reverse`).
    Eigenvector,
    /// Katz centrality.
    Katz,
    /// HITS hub score (exporters to the big importers).
    Hub,
    /// HITS authority score (importers from the big exporters).
    Authority,
    /// Shortest-path betweenness.
    Betweenness,
    /// Closeness from incoming distances.
    Closeness,
    /// Harmonic centrality from incoming distances.
    Harmonic,
}

impl Measure {
    /// Every measure, in the order `--measure all` uses.
    pub const ALL: [Measure; 13] = [
        Measure::InStrength,
        Measure::OutStrength,
        Measure::InDegree,
        Measure::OutDegree,
        Measure::Pagerank,
        Measure::Cheirank,
        Measure::Eigenvector,
        Measure::Katz,
        Measure::Hub,
        Measure::Authority,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Harmonic,
    ];

    /// The name used in outputs: `in_strength`, `pagerank`, `hub`, ...
    pub fn name(self) -> &'static str {
        match self {
            Measure::InStrength => "in_strength",
            Measure::OutStrength => "out_strength",
            Measure::InDegree => "in_degree",
            Measure::OutDegree => "out_degree",
            Measure::Pagerank => "pagerank",
            Measure::Cheirank => "cheirank",
            Measure::Eigenvector => "eigenvector",
            Measure::Katz => "katz",
            Measure::Hub => "hub",
            Measure::Authority => "authority",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Harmonic => "harmonic",
        }
    }

    /// True for measures computed by iteration (they report iterations).
    pub fn is_iterative(self) -> bool {
        matches!(
            self,
            Measure::Pagerank
                | Measure::Cheirank
                | Measure::Eigenvector
                | Measure::Katz
                | Measure::Hub
                | Measure::Authority
        )
    }

    /// Parse a comma-separated list (`pagerank,betweenness`, or `all`), keeping the given
    /// order and dropping repeats.
    ///
    /// # Errors
    /// [`Error::Unknown`] naming the first unknown measure and the closest known name;
    /// [`Error::Param`] for an empty list.
    ///
    /// ```
    /// use tradenet::analysis::Measure;
    /// let m = Measure::parse_list("pagerank, hub,pagerank").unwrap();
    /// assert_eq!(m, vec![Measure::Pagerank, Measure::Hub]);
    /// assert_eq!(Measure::parse_list("all").unwrap().len(), 13);
    /// assert!(Measure::parse_list("pagernk").unwrap_err().to_string().contains("pagerank"));
    /// ```
    pub fn parse_list(s: &str) -> Result<Vec<Measure>> {
        let mut out: Vec<Measure> = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let list: Vec<Measure> = if part.eq_ignore_ascii_case("all") {
                Measure::ALL.to_vec()
            } else {
                vec![part.parse()?]
            };
            for m in list {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        if out.is_empty() {
            return Err(Error::ParamText(
                "no measure given (try --measure pagerank, or all)".into(),
            ));
        }
        Ok(out)
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Measure {
    type Err = Error;
    fn from_str(s: &str) -> Result<Measure> {
        let k = s.trim().to_ascii_lowercase().replace('-', "_");
        let alias = match k.as_str() {
            "hubs" => Some(Measure::Hub),
            "authorities" => Some(Measure::Authority),
            _ => None,
        };
        alias
            .or_else(|| Measure::ALL.into_iter().find(|m| m.name() == k))
            .ok_or_else(|| Error::Unknown {
                what: "measure",
                id: s.to_string(),
                suggestion: closest(s, Measure::ALL.iter().map(|m| m.name()).chain(["all"])),
            })
    }
}

/// How a flow's value becomes a path length for betweenness, closeness and harmonic.
/// Pairs with zero value carry no path in any mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Distance {
    /// 1 / f\[i,j\]: big flows are short links (the default).
    #[default]
    Inverse,
    /// -ln(f\[i,j\] / s_out(i)): the log of the exporter's share; a pair holding all of the
    /// exporter's sales (share 1) has length 0. Zero-length links are handled exactly as
    /// NetworkX's Dijkstra handles them (paths through them tie with the path they extend;
    /// counts follow NetworkX's settling order), and nodes at distance 0 add nothing to
    /// harmonic centrality.
    NegLog,
    /// Every link has length 1 (unweighted shortest paths, by breadth-first search).
    Hops,
}

impl Distance {
    /// `inverse`, `neglog` or `hops`.
    pub fn name(self) -> &'static str {
        match self {
            Distance::Inverse => "inverse",
            Distance::NegLog => "neglog",
            Distance::Hops => "hops",
        }
    }
}

impl FromStr for Distance {
    type Err = Error;
    fn from_str(s: &str) -> Result<Distance> {
        match s.trim().to_ascii_lowercase().as_str() {
            "inverse" => Ok(Distance::Inverse),
            "neglog" => Ok(Distance::NegLog),
            "hops" => Ok(Distance::Hops),
            _ => Err(Error::Unknown {
                what: "distance",
                id: s.to_string(),
                suggestion: closest(s, ["inverse", "neglog", "hops"]),
            }),
        }
    }
}

/// Parameters of [`pagerank`] and [`cheirank`].
#[derive(Debug, Clone, PartialEq)]
pub struct PagerankParams {
    /// Damping factor, in [0, 1]. Default 0.85.
    pub alpha: f64,
    /// Stop when the L1 change of the vector is below this (> 0). Default 1e-10.
    pub tol: f64,
    /// Most iterations before [`Error::NotConverged`]. Default 1000.
    pub max_iter: usize,
    /// Teleport weights by node index (non-negative, positive sum; normalised to 1). Dangling
    /// mass follows the same vector, as NetworkX with `dangling=None`. Default `None`: uniform.
    pub personalization: Option<Vec<f64>>,
}

impl Default for PagerankParams {
    fn default() -> Self {
        PagerankParams {
            alpha: 0.85,
            tol: 1e-10,
            max_iter: 1000,
            personalization: None,
        }
    }
}

/// Parameters of [`eigenvector`].
#[derive(Debug, Clone, PartialEq)]
pub struct EigenvectorParams {
    /// Stop when the residual ||M x - lambda x|| of the unit-norm vector x (M = A^T, or A with
    /// `reverse`) is at most `tol * lambda`: ARPACK's test, as for HITS. Default 1e-10.
    pub tol: f64,
    /// Most products with the matrix (Krylov steps, for the components' radii and the
    /// vector together). Default 1000.
    pub max_iter: usize,
    /// Score nodes from their out-flows (eigenvector of the reversed graph). Default false.
    pub reverse: bool,
}

impl Default for EigenvectorParams {
    fn default() -> Self {
        EigenvectorParams {
            tol: 1e-10,
            max_iter: 1000,
            reverse: false,
        }
    }
}

/// The attenuation factor of [`katz`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KatzAlpha {
    /// alpha = this fraction of 1 / lambda_max, lambda_max the spectral radius of the weighted
    /// adjacency; in (0, 1). Raw trade values make any fixed alpha diverge, so this is the
    /// default, with 0.5.
    OfRadius(f64),
    /// alpha as given (> 0); the series diverges unless alpha < 1 / lambda_max.
    Absolute(f64),
}

/// Parameters of [`katz`].
#[derive(Debug, Clone, PartialEq)]
pub struct KatzParams {
    /// Default `KatzAlpha::OfRadius(0.5)`.
    pub alpha: KatzAlpha,
    /// Weight of every node's own term (NetworkX `beta`). Default 1.
    pub beta: f64,
    /// Stop when the L1 change of the unit-norm vector is below this. Default 1e-10.
    pub tol: f64,
    /// Most iterations (for the spectral radius and for the series each). Default 1000.
    pub max_iter: usize,
    /// Score nodes from their out-flows. Default false.
    pub reverse: bool,
}

impl Default for KatzParams {
    fn default() -> Self {
        KatzParams {
            alpha: KatzAlpha::OfRadius(0.5),
            beta: 1.0,
            tol: 1e-10,
            max_iter: 1000,
            reverse: false,
        }
    }
}

/// Parameters of [`hits`].
#[derive(Debug, Clone, PartialEq)]
pub struct HitsParams {
    /// Stop when the residual of the authority vector a, ||A^T A a - s a|| (a of norm 1, s
    /// its Rayleigh quotient), is at most `tol * s`: ARPACK's test in `svds`. Default 1e-10.
    pub tol: f64,
    /// Most products with A^T A (Lanczos steps). Default 1000.
    pub max_iter: usize,
}

impl Default for HitsParams {
    fn default() -> Self {
        HitsParams {
            tol: 1e-10,
            max_iter: 1000,
        }
    }
}

/// Parameters of [`betweenness`].
#[derive(Debug, Clone, PartialEq)]
pub struct BetweennessParams {
    /// Path length from value. Default [`Distance::Inverse`].
    pub distance: Distance,
    /// Divide by (n-1)(n-2), as NetworkX's `normalized=True`. Default true.
    pub normalized: bool,
    /// Sum over these source nodes only (distinct node indices), with no n/k rescaling: for
    /// graphs too large for every source. Default `None`: all nodes (exact).
    pub sources: Option<Vec<usize>>,
}

impl Default for BetweennessParams {
    fn default() -> Self {
        BetweennessParams {
            distance: Distance::Inverse,
            normalized: true,
            sources: None,
        }
    }
}

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

fn check_iter(measure: &str, tol: f64, max_iter: usize) -> Result<()> {
    if !(tol > 0.0 && tol.is_finite()) {
        return Err(Error::ParamText(format!(
            "{measure}: tolerance must be a positive number, got {tol}"
        )));
    }
    if max_iter == 0 {
        return Err(Error::ParamText(format!(
            "{measure}: max_iter must be at least 1"
        )));
    }
    Ok(())
}

fn not_converged(measure: &str, iterations: usize, tol: f64, last: f64) -> Error {
    Error::NotConverged {
        measure: measure.to_string(),
        iterations,
        tol,
        hint: Some(format!(
            "last change {last:e}; raise --max-iter or loosen --tol"
        )),
    }
}

/// In-strength: the sum of each node's in-flows (imports), as
/// `dict(G.in_degree(weight="weight"))`. A self-loop counts once.
///
/// Returns values by node index. O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::in_strength, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,B,y,1\nC,B,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = in_strength(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(s[g.node_index("B").unwrap().index()], 6.0);
/// ```
pub fn in_strength(csr: &Csr) -> Vec<f64> {
    let mut s = vec![0.0; csr.n];
    for (&t, &w) in csr.targets.iter().zip(&csr.weights) {
        s[t as usize] += w;
    }
    s
}

/// Out-strength: the sum of each node's out-flows (exports), as
/// `dict(G.out_degree(weight="weight"))`.
///
/// Returns values by node index. O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::out_strength, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,C,y,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = out_strength(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(s[g.node_index("A").unwrap().index()], 4.0);
/// ```
pub fn out_strength(csr: &Csr) -> Vec<f64> {
    csr.row_sums()
}

fn degree_scale(n: usize) -> Option<f64> {
    (n > 1).then(|| 1.0 / (n as f64 - 1.0))
}

/// In-degree centrality: the number of partners a node imports from, divided by n - 1, as
/// `nx.in_degree_centrality(G)` (a self-loop counts as one; a graph of one node scores 1).
///
/// Returns values by node index. O(m).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::in_degree, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nC,B,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let d = in_degree(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(d[g.node_index("B").unwrap().index()], 1.0);
/// ```
pub fn in_degree(csr: &Csr) -> Vec<f64> {
    let mut d = vec![0.0; csr.n];
    for &t in &csr.targets {
        d[t as usize] += 1.0;
    }
    match degree_scale(csr.n) {
        Some(s) => d.iter_mut().for_each(|v| *v *= s),
        None => d.iter_mut().for_each(|v| *v = 1.0),
    }
    d
}

/// Out-degree centrality: the number of partners a node exports to, divided by n - 1, as
/// `nx.out_degree_centrality(G)`.
///
/// Returns values by node index. O(n).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::out_degree, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nA,C,x,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let d = out_degree(&Csr::from_graph(&g, &FlowFilter::default()));
/// assert_eq!(d[g.node_index("A").unwrap().index()], 1.0);
/// ```
pub fn out_degree(csr: &Csr) -> Vec<f64> {
    let s = degree_scale(csr.n);
    (0..csr.n)
        .map(|i| match s {
            Some(s) => (csr.offsets[i + 1] - csr.offsets[i]) as f64 * s,
            None => 1.0,
        })
        .collect()
}

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
    let tele = check_pagerank(a.n, p, name)?;
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
fn check_pagerank(n: usize, p: &PagerankParams, name: &str) -> Result<Vec<f64>> {
    check_iter(name, p.tol, p.max_iter)?;
    if !(0.0..=1.0).contains(&p.alpha) {
        return Err(Error::ParamText(format!(
            "{name}: alpha must be between 0 and 1, got {}",
            p.alpha
        )));
    }
    match &p.personalization {
        _ if n == 0 => Ok(Vec::new()),
        None => Ok(vec![1.0 / n as f64; n]),
        Some(v) => normalised_weights(v, n, name),
    }
}

/// PageRank from A^T alone (`at`: rows are importers), for runs that need no other form of
/// the matrix: the same numbers to the bit as [`pagerank`] on A when A is big enough to be
/// transposed there ([`Product::transposes`]). Out-strength is summed over `at`'s rows in
/// order, which adds each exporter's flows in the order of A's row.
fn pagerank_from_transpose(at: &Csr, p: &PagerankParams) -> Result<Iterated> {
    let tele = check_pagerank(at.n, p, "pagerank")?;
    let mut strength = huge_vec(at.n, 0.0);
    for j in 0..at.n {
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
        let xr = &x;
        let tr = &tele;
        err = prod.apply(
            a,
            &y,
            &mut next,
            |j, s| al * (s + dsum_x * tr[j]) + (1.0 - al) * tr[j],
            |j, v| (v - xr[j]).abs(),
        );
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

fn normalised_weights(v: &[f64], n: usize, name: &str) -> Result<Vec<f64>> {
    if v.len() != n {
        return Err(Error::ParamText(format!(
            "{name}: personalization has {} entries for {n} nodes",
            v.len()
        )));
    }
    if let Some(i) = v.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
        return Err(Error::ParamText(format!(
            "{name}: personalization entry {i} is {} (must be a finite number >= 0)",
            v[i]
        )));
    }
    let s: f64 = v.iter().sum();
    if s <= 0.0 {
        return Err(Error::ParamText(format!(
            "{name}: personalization sums to 0 (give at least one node a positive weight)"
        )));
    }
    Ok(v.iter().map(|x| x / s).collect())
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
fn eigenvector_named(
    csr: &Csr,
    p: &EigenvectorParams,
    node: &dyn Fn(usize) -> String,
) -> Result<Iterated> {
    check_iter("eigenvector", p.tol, p.max_iter)?;
    let (values, iterations) =
        perron::power_limit(csr, !p.reverse, p.tol, p.max_iter, "eigenvector", node)?;
    Ok(Iterated { values, iterations })
}

/// [`eigenvector`] (in-flows, not reversed) from A^T alone (`at`: rows are importers), for
/// runs that need no other form of the matrix.
fn eigenvector_from_transpose(
    at: &Csr,
    p: &EigenvectorParams,
    node: &dyn Fn(usize) -> String,
) -> Result<Iterated> {
    check_iter("eigenvector", p.tol, p.max_iter)?;
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
    check_iter("spectral radius", tol, max_iter)?;
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
    check_iter("katz", p.tol, p.max_iter)?;
    if !p.beta.is_finite() {
        return Err(Error::ParamText(format!(
            "katz: beta must be finite, got {}",
            p.beta
        )));
    }
    let (alpha, radius, radius_iterations) = match p.alpha {
        KatzAlpha::Absolute(a) => {
            if !(a > 0.0 && a.is_finite()) {
                return Err(Error::ParamText(format!(
                    "katz: alpha must be a positive number, got {a}"
                )));
            }
            (a, None, 0)
        }
        KatzAlpha::OfRadius(f) => {
            if !(f > 0.0 && f < 1.0) {
                return Err(Error::ParamText(format!(
                    "katz: alpha fraction of 1/lambda_max must be in (0, 1), got {f}"
                )));
            }
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
                return Err(Error::ParamText(
                    "katz: the graph has no cycles (spectral radius 0), so alpha cannot be a \
                     fraction of 1/lambda_max; give an absolute alpha (any value converges: \
                     KatzAlpha::Absolute, --katz-alpha-abs on the command line)"
                        .into(),
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
            return Err(Error::ParamText(format!(
                "katz: the series diverges: with alpha {} the scores pass the largest number \
                 after {it} iterations; alpha must be below 1/lambda_max (lambda_max = the \
                 spectral radius): give a smaller --katz-alpha-abs, or --katz-alpha for a \
                 fraction of 1/lambda_max",
                crate::analysis::number_text(alpha)
            )));
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
    check_iter("hits", p.tol, p.max_iter)?;
    let n = csr.n;
    if n == 0 {
        return Ok(Hits {
            hubs: vec![],
            authorities: vec![],
            iterations: 0,
        });
    }
    if !csr.weights.iter().any(|&w| w > 0.0) {
        return Err(Error::ParamText(
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

/// Betweenness centrality, as `nx.betweenness_centrality(G, weight="distance",
/// normalized=True)` with distance from value ([`Distance`]): the share of shortest paths
/// between other pairs that pass through a node (Brandes 2001). Equal-length paths are
/// counted the way NetworkX counts them: lengths compared exactly (no epsilon), the same
/// Dijkstra settling order, ties and zero-length links included.
///
/// Arguments: `csr`; `p` ([`BetweennessParams`]: distance inverse, normalized true, all
/// sources); `progress`: called with the number of sources done so far (from any thread).
/// With `sources`, the sum runs over those sources only, without NetworkX's n/k rescaling
/// (normalisation, if asked, still divides by (n-1)(n-2)).
///
/// # Errors
/// [`Error::Param`] for a source index out of range or listed twice.
///
/// Complexity: O(k (m' + n log n)) for k sources (Dijkstra; O(k m) for hops), in parallel
/// over sources; memory O(n) per thread. With 200 sources or more, m' counts only the edges
/// that can lie on a shortest path: the others are found and dropped first (a few searches'
/// worth of work; on a dense trade graph m' is a few percent of m), with results identical
/// to the bit.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{betweenness, BetweennessParams}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let b = betweenness(&Csr::from_graph(&g, &FlowFilter::default()), &BetweennessParams::default(), None).unwrap();
/// // B lies on the one path A -> C, out of (n-1)(n-2) = 2 ordered pairs.
/// assert_eq!(b[g.node_index("B").unwrap().index()], 0.5);
/// ```
pub fn betweenness(
    csr: &Csr,
    p: &BetweennessParams,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<Vec<f64>> {
    let n = csr.n;
    let all: Vec<usize>;
    let sources: &[usize] = match &p.sources {
        Some(s) => {
            let mut seen = vec![false; n];
            for &v in s {
                if v >= n {
                    return Err(Error::ParamText(format!(
                        "betweenness: source index {v} is out of range ({n} nodes)"
                    )));
                }
                if seen[v] {
                    return Err(Error::ParamText(format!(
                        "betweenness: source index {v} is listed twice"
                    )));
                }
                seen[v] = true;
            }
            s
        }
        None => {
            all = (0..n).collect();
            &all
        }
    };
    let g = paths::lengths(csr, p.distance);
    let mut b = paths::betweenness_raw(&g, p.distance == Distance::Hops, sources, progress);
    if p.normalized && n > 2 {
        let s = 1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0));
        b.iter_mut().for_each(|v| *v *= s);
    }
    Ok(b)
}

/// Closeness and harmonic centrality together (one shortest-path search per node).
fn closeness_harmonic(csr: &Csr, d: Distance, c: bool, h: bool) -> (Vec<f64>, Vec<f64>) {
    let g = paths::lengths(csr, d).transpose();
    paths::closeness_harmonic(&g, d == Distance::Hops, c, h)
}

/// Closeness centrality, as `nx.closeness_centrality(G, distance="distance")`
/// (`wf_improved=True`): from the distances d(v, u) of the r - 1 nodes v that reach u,
/// C(u) = (r-1)/Σd · (r-1)/(n-1) (Wasserman-Faust scaling for graphs that are not strongly
/// connected); 0 when nothing reaches u (or every distance is 0).
///
/// Arguments: `csr`, `distance` ([`Distance`], default inverse). Returns values by node index.
///
/// Errors: none (every graph has a closeness).
///
/// Complexity: O(n (m' + n log n)), in parallel over nodes; m' as in [`betweenness`] once
/// the graph has 200 nodes.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{closeness, Distance}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let c = closeness(&Csr::from_graph(&g, &FlowFilter::default()), Distance::Hops);
/// // C is reached by B (1 hop) and A (2 hops): 2/3 * 2/2.
/// assert!((c[g.node_index("C").unwrap().index()] - 2.0 / 3.0).abs() < 1e-15);
/// ```
pub fn closeness(csr: &Csr, distance: Distance) -> Vec<f64> {
    closeness_harmonic(csr, distance, true, false).0
}

/// Harmonic centrality, as `nx.harmonic_centrality(G, distance="distance")`: the sum over
/// the nodes v that reach u of 1/d(v, u) (nodes at distance 0 add nothing).
///
/// Arguments: `csr`, `distance` ([`Distance`], default inverse). Returns values by node index.
///
/// Errors: none.
///
/// Complexity: O(n (m + n log n)), in parallel over nodes.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::{analysis::{harmonic, Distance}, Csr, FlowFilter};
/// let csv = b"exporter,importer,sector,value\nA,B,x,1\nB,C,x,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let h = harmonic(&Csr::from_graph(&g, &FlowFilter::default()), Distance::Hops);
/// assert_eq!(h[g.node_index("C").unwrap().index()], 1.5);
/// ```
pub fn harmonic(csr: &Csr, distance: Distance) -> Vec<f64> {
    closeness_harmonic(csr, distance, false, true).1
}

/// What [`centrality`] computes, and how.
#[derive(Debug, Clone, Default)]
pub struct CentralityParams {
    /// The measures, in output order (the first one ranks the nodes). Default: none.
    pub measures: Vec<Measure>,
    /// Which flows count (sectors, year). Default: all.
    pub filter: FlowFilter,
    /// PageRank and CheiRank.
    pub pagerank: PagerankParams,
    /// Eigenvector centrality.
    pub eigenvector: EigenvectorParams,
    /// Katz centrality.
    pub katz: KatzParams,
    /// HITS.
    pub hits: HitsParams,
    /// Betweenness; its `distance` is also used for closeness and harmonic.
    pub betweenness: BetweennessParams,
}

/// How one measure was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureRun {
    /// The measure.
    pub measure: Measure,
    /// Iterations used (iterative measures).
    pub iterations: Option<usize>,
    /// The alpha used (pagerank, cheirank, katz).
    pub alpha: Option<f64>,
    /// lambda_max (katz with alpha as a fraction of 1/lambda_max).
    pub spectral_radius: Option<f64>,
    /// Wall-clock seconds of the kernel (measures computed together share one time).
    pub seconds: f64,
}

/// Scores of several measures on one graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Centrality {
    /// The measures, in the order asked.
    pub measures: Vec<Measure>,
    /// Node ids by node index.
    pub ids: Vec<String>,
    /// Scores per measure (same order as `measures`), each by node index.
    pub scores: Vec<Vec<f64>>,
    /// How each measure was computed (same order as `measures`).
    pub runs: Vec<MeasureRun>,
    /// Seconds spent building the aggregated adjacency.
    pub prepare_seconds: f64,
}

impl Centrality {
    /// The scores of `m` by node index, if it was computed.
    pub fn scores_of(&self, m: Measure) -> Option<&[f64]> {
        let i = self.measures.iter().position(|&x| x == m)?;
        Some(&self.scores[i])
    }

    /// Node indices ranked by the first measure, highest first, ties by id.
    pub fn ranking(&self) -> Vec<usize> {
        use rayon::slice::ParallelSliceMut;
        // Ids are unique, so the order is total and an unstable (parallel) sort is exact.
        let mut ix: Vec<usize> = (0..self.ids.len()).collect();
        if let Some(s) = self.scores.first() {
            ix.par_sort_unstable_by(|&a, &b| {
                s[b].total_cmp(&s[a])
                    .then_with(|| self.ids[a].cmp(&self.ids[b]))
            });
        } else {
            ix.par_sort_unstable_by(|&a, &b| self.ids[a].cmp(&self.ids[b]));
        }
        ix
    }
}

/// Run several centrality measures on `g` (the aggregated DiGraph of the flows passing
/// `p.filter`; an input-output graph's country-sector nodes as they are) and keep the scores
/// by node, with iterations, alpha and time per measure. Measures that share a computation
/// (hub and authority; closeness and harmonic) run it once.
///
/// Arguments: `g`; `p` ([`CentralityParams`]); `progress` for betweenness (sources done).
///
/// # Errors
/// Those of the measures asked for ([`Error::Param`], [`Error::NotConverged`]).
///
/// Complexity: the sum of the measures' (see each).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::analysis::{centrality, CentralityParams, Measure};
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,x,2\nC,A,x,4\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let p = CentralityParams { measures: vec![Measure::Pagerank, Measure::Betweenness], ..Default::default() };
/// let c = centrality(&g, &p, None).unwrap();
/// let top = c.ranking()[0];
/// assert_eq!(c.ids[top], "A");
/// assert!(c.runs[0].iterations.unwrap() > 1);
/// ```
pub fn centrality(
    g: &TradeGraph,
    p: &CentralityParams,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<Centrality> {
    let t0 = Instant::now();
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
    let (csr, transposed) = if only_transpose {
        let t = Csr::from_graph_transposed(g, &p.filter);
        if Product::transposes(t.n, t.nnz()) {
            (t, true)
        } else {
            (t.transpose(), false)
        }
    } else {
        (Csr::from_graph(g, &p.filter), false)
    };
    let prepare_seconds = t0.elapsed().as_secs_f64();
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
            Measure::InStrength => results[k] = Some((in_strength(&csr), run(m, None, None, 0.0))),
            Measure::OutStrength => {
                results[k] = Some((out_strength(&csr), run(m, None, None, 0.0)))
            }
            Measure::InDegree => results[k] = Some((in_degree(&csr), run(m, None, None, 0.0))),
            Measure::OutDegree => results[k] = Some((out_degree(&csr), run(m, None, None, 0.0))),
            Measure::Pagerank | Measure::Cheirank => {
                let r = if m == Measure::Cheirank {
                    cheirank(&csr, &p.pagerank)?
                } else if transposed {
                    pagerank_from_transpose(&csr, &p.pagerank)?
                } else {
                    pagerank(&csr, &p.pagerank)?
                };
                let mr = run(m, Some(r.iterations), Some(p.pagerank.alpha), 0.0);
                results[k] = Some((r.values, mr));
            }
            Measure::Eigenvector => {
                let node =
                    |i: usize| format!("'{}'", crate::text::clip(&g.node(NodeIx::new(i)).id));
                let r = if transposed {
                    eigenvector_from_transpose(&csr, &p.eigenvector, &node)?
                } else {
                    eigenvector_named(&csr, &p.eigenvector, &node)?
                };
                results[k] = Some((r.values, run(m, Some(r.iterations), None, 0.0)));
            }
            Measure::Katz => {
                let r = katz(&csr, &p.katz)?;
                let mut mr = run(m, Some(r.iterations), Some(r.alpha), 0.0);
                mr.spectral_radius = r.spectral_radius;
                results[k] = Some((r.values, mr));
            }
            Measure::Hub | Measure::Authority => {
                let r = hits(&csr, &p.hits)?;
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
                let b = betweenness(&csr, &p.betweenness, progress)?;
                results[k] = Some((b, run(m, None, None, 0.0)));
            }
            Measure::Closeness | Measure::Harmonic => {
                let (ci, hi) = (pos(Measure::Closeness), pos(Measure::Harmonic));
                let (c, h) =
                    closeness_harmonic(&csr, p.betweenness.distance, ci.is_some(), hi.is_some());
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
    let mut scores = Vec::with_capacity(results.len());
    let mut runs = Vec::with_capacity(results.len());
    for (v, r) in results.into_iter().flatten() {
        scores.push(v);
        runs.push(r);
    }
    let ids = (0..g.node_count())
        .map(|i| g.node(NodeIx::new(i)).id.to_string())
        .collect();
    Ok(Centrality {
        measures: p.measures.clone(),
        ids,
        scores,
        runs,
        prepare_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            sources: None,
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
            Err(Error::ParamText(_))
        ));
        let p = KatzParams {
            alpha: KatzAlpha::Absolute(0.5),
            ..Default::default()
        };
        let k = katz(&g, &p).unwrap();
        assert!((k.values[1] / k.values[0] - 1.5).abs() < 1e-12);
    }
}
