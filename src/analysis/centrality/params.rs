//! The parameters of the measures and of [`centrality`](super::centrality), with their checks
//! (callable before any graph is loaded).

use super::{Distance, Measure};
use crate::error::{Error, Result};

/// Parameters of [`pagerank`](super::pagerank) and [`cheirank`](super::cheirank).
#[derive(Debug, Clone, PartialEq)]
pub struct PagerankParams {
    /// Damping factor, in [0, 1]. Default 0.85.
    pub alpha: f64,
    /// Stop when the L1 change of the vector is below this (> 0). Default 1e-10.
    pub tol: f64,
    /// Most iterations before [`Error::NotConverged`](crate::Error::NotConverged). Default 1000.
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

/// Parameters of [`eigenvector`](super::eigenvector).
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

/// The attenuation factor of [`katz`](super::katz).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KatzAlpha {
    /// alpha = this fraction of 1 / lambda_max, lambda_max the spectral radius of the weighted
    /// adjacency; in (0, 1). Raw trade values make any fixed alpha diverge, so this is the
    /// default, with 0.5.
    OfRadius(f64),
    /// alpha as given (> 0); the series diverges unless alpha < 1 / lambda_max.
    Absolute(f64),
}

/// Parameters of [`katz`](super::katz).
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

/// Parameters of [`hits`](super::hits).
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

/// Parameters of [`betweenness`](super::betweenness).
#[derive(Debug, Clone, PartialEq)]
pub struct BetweennessParams {
    /// Path length from value. Default [`Distance::Inverse`].
    pub distance: Distance,
    /// Divide by (n-1)(n-2), as NetworkX's `normalized=True`. Default true.
    pub normalized: bool,
    /// Sum over these source nodes only (distinct node indices), with no n/k rescaling: for
    /// graphs too large for every source. Default `None`: all nodes (exact), or `sample`.
    pub sources: Option<Vec<usize>>,
    /// Sum over this many source nodes drawn at random (seeded by `seed`; all nodes when the
    /// graph has fewer), with no n/k rescaling. Not with `sources`. Default `None`.
    pub sample: Option<usize>,
    /// Seed of `sample`: the same seed draws the same sources. Default 0.
    pub seed: u64,
}

impl Default for BetweennessParams {
    fn default() -> Self {
        BetweennessParams {
            distance: Distance::Inverse,
            normalized: true,
            sources: None,
            sample: None,
            seed: 0,
        }
    }
}

/// What [`centrality`](super::centrality) computes, and how. The default is the command
/// line's: PageRank alone on every node and flow, each measure with its own defaults.
#[derive(Debug, Clone)]
pub struct CentralityParams {
    /// The measures, in output order (the first one ranks the nodes). Default: PageRank.
    pub measures: Vec<Measure>,
    /// Aggregate an input-output graph to countries first (intermediate plus final sales
    /// abroad, [`TradeGraph::countries`](crate::TradeGraph::countries)); a trade graph is
    /// unchanged. Default false: an input-output graph's country-sector nodes as they are.
    pub countries: bool,
    /// Only the flows of these sectors (codes; a flow's own sector, or its supplier's in an
    /// input-output graph). Default `None`: all.
    pub sectors: Option<Vec<String>>,
    /// PageRank and CheiRank teleport only to these nodes (ids), uniformly. Not with
    /// `pagerank.personalization`. Default `None`: to every node.
    pub personalize: Option<Vec<String>>,
    /// Betweenness from these source nodes only (ids), summed without n/k rescaling. Not with
    /// `betweenness.sources` or `betweenness.sample`. Default `None`: every node.
    pub sources: Option<Vec<String>>,
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

impl Default for CentralityParams {
    fn default() -> Self {
        CentralityParams {
            measures: vec![Measure::Pagerank],
            countries: false,
            sectors: None,
            personalize: None,
            sources: None,
            pagerank: PagerankParams::default(),
            eigenvector: EigenvectorParams::default(),
            katz: KatzParams::default(),
            hits: HitsParams::default(),
            betweenness: BetweennessParams::default(),
        }
    }
}

impl CentralityParams {
    /// Check every parameter that needs no graph: at least one measure, each measure's
    /// numbers in range, id lists without empty items, no two ways of giving the same thing.
    ///
    /// # Errors
    /// [`Error::Param`] naming the parameter (`pagerank.alpha`, `measures`, `sources`), its
    /// value and the rule.
    ///
    /// ```
    /// use tradenet::analysis::CentralityParams;
    /// let mut p = CentralityParams::default();
    /// assert!(p.validate().is_ok());
    /// p.pagerank.alpha = 1.5;
    /// let e = p.validate().unwrap_err().to_string();
    /// assert_eq!(e, "pagerank.alpha = 1.5: must be between 0 and 1");
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.measures.is_empty() {
            return Err(Error::param(
                "measures",
                "",
                "must name at least one measure",
            ));
        }
        if let Some((i, m)) = (1..self.measures.len())
            .map(|i| (i, self.measures[i]))
            .find(|(i, m)| self.measures[..*i].contains(m))
        {
            let _ = i;
            return Err(Error::param("measures", m, "must name each measure once"));
        }
        self.pagerank.validate()?;
        self.eigenvector.validate()?;
        self.katz.validate()?;
        self.hits.validate()?;
        self.betweenness.validate()?;
        for (name, list) in [
            ("sectors", &self.sectors),
            ("personalize", &self.personalize),
            ("sources", &self.sources),
        ] {
            if let Some(list) = list {
                id_list(name, list)?;
            }
        }
        if self.personalize.is_some() && self.pagerank.personalization.is_some() {
            return Err(Error::param(
                "personalize",
                "",
                "give the teleport nodes by id or pagerank.personalization by index, not both",
            ));
        }
        if self.sources.is_some()
            && (self.betweenness.sources.is_some() || self.betweenness.sample.is_some())
        {
            return Err(Error::param(
                "sources",
                "",
                "give the sources by id, or betweenness.sources or betweenness.sample, not two",
            ));
        }
        Ok(())
    }
}

/// A list of ids: at least one, none empty.
fn id_list(name: &str, list: &[String]) -> Result<()> {
    if list.is_empty() {
        return Err(Error::param(name, "", "must list at least one id"));
    }
    if list.iter().any(|s| s.trim().is_empty()) {
        return Err(Error::param(
            name,
            list.join(","),
            "must not have an empty item",
        ));
    }
    Ok(())
}

/// `tol` above 0 and finite, `max_iter` at least 1; `prefix` names the params (`pagerank`).
pub(super) fn check_iter(prefix: &str, tol: f64, max_iter: usize) -> Result<()> {
    let name = |field: &str| {
        if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        }
    };
    if !(tol > 0.0 && tol.is_finite()) {
        return Err(Error::param(
            name("tol"),
            tol,
            "must be a finite number above 0",
        ));
    }
    if max_iter == 0 {
        return Err(Error::param(
            name("max_iter"),
            max_iter,
            "must be at least 1",
        ));
    }
    Ok(())
}

impl PagerankParams {
    /// Check alpha, tol, max_iter and the personalization's entries (its length needs the
    /// graph).
    ///
    /// # Errors
    /// [`Error::Param`] (`pagerank.alpha`, `pagerank.tol`, ...).
    pub fn validate(&self) -> Result<()> {
        check_iter("pagerank", self.tol, self.max_iter)?;
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(Error::param(
                "pagerank.alpha",
                self.alpha,
                "must be between 0 and 1",
            ));
        }
        if let Some(v) = &self.personalization {
            if let Some(i) = v.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
                return Err(Error::param(
                    format!("pagerank.personalization[{i}]"),
                    v[i],
                    "must be a finite number >= 0",
                ));
            }
            if !v.is_empty() && v.iter().sum::<f64>() <= 0.0 {
                return Err(Error::param(
                    "pagerank.personalization",
                    "",
                    "sums to 0: give at least one node a positive weight",
                ));
            }
        }
        Ok(())
    }
}

impl EigenvectorParams {
    /// Check tol and max_iter.
    ///
    /// # Errors
    /// [`Error::Param`] (`eigenvector.tol`, `eigenvector.max_iter`).
    pub fn validate(&self) -> Result<()> {
        check_iter("eigenvector", self.tol, self.max_iter)
    }
}

impl KatzParams {
    /// Check alpha, beta, tol and max_iter.
    ///
    /// # Errors
    /// [`Error::Param`] (`katz.alpha`, `katz.beta`, ...).
    pub fn validate(&self) -> Result<()> {
        check_iter("katz", self.tol, self.max_iter)?;
        if !self.beta.is_finite() {
            return Err(Error::param(
                "katz.beta",
                self.beta,
                "must be a finite number",
            ));
        }
        match self.alpha {
            KatzAlpha::Absolute(a) if !(a > 0.0 && a.is_finite()) => Err(Error::param(
                "katz.alpha",
                a,
                "must be a finite number above 0 (KatzAlpha::Absolute)",
            )),
            KatzAlpha::OfRadius(f) if !(f > 0.0 && f < 1.0) => Err(Error::param(
                "katz.alpha",
                f,
                "must be a fraction of 1/lambda_max between 0 and 1, both excluded (KatzAlpha::OfRadius)",
            )),
            _ => Ok(()),
        }
    }
}

impl HitsParams {
    /// Check tol and max_iter.
    ///
    /// # Errors
    /// [`Error::Param`] (`hits.tol`, `hits.max_iter`).
    pub fn validate(&self) -> Result<()> {
        check_iter("hits", self.tol, self.max_iter)
    }
}

impl BetweennessParams {
    /// Check the sample size and that sources are given one way, each index once (whether
    /// they are in range needs the graph).
    ///
    /// # Errors
    /// [`Error::Param`] (`betweenness.sample`, `betweenness.sources`).
    pub fn validate(&self) -> Result<()> {
        if self.sample == Some(0) {
            return Err(Error::param("betweenness.sample", 0, "must be at least 1"));
        }
        if let Some(s) = &self.sources {
            if self.sample.is_some() {
                return Err(Error::param(
                    "betweenness.sample",
                    self.sample.unwrap_or(0),
                    "goes without betweenness.sources (give one or the other)",
                ));
            }
            let mut sorted = s.clone();
            sorted.sort_unstable();
            if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
                return Err(Error::param(
                    "betweenness.sources",
                    w[0],
                    "is listed twice (each source once)",
                ));
            }
        }
        Ok(())
    }
}
