//! What [`centrality`](super::centrality) returns: every node's scores keyed by its id, ranked,
//! with what was asked and what the run found (FORMAT.md's `measures`, `params` and `nodes`).

use super::Measure;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Values by measure, in the order of the output's measures; serialised as a JSON object
/// (`{"pagerank": 0.1, "betweenness": 0.02}`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ByMeasure<T>(pub Vec<(Measure, T)>);

impl<T: Copy> ByMeasure<T> {
    /// The value of `m`, if it was computed.
    pub fn get(&self, m: Measure) -> Option<T> {
        self.0.iter().find(|(x, _)| *x == m).map(|(_, v)| *v)
    }
}

impl<T: Serialize> Serialize for ByMeasure<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.name(), v)?;
        }
        m.end()
    }
}

/// One node and its scores.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NodeScores {
    /// Node id (a country id in the country view).
    pub id: String,
    /// Readable name, if the graph has one.
    pub name: Option<String>,
    /// The scores, one per measure asked, in that order (keys of the node's JSON object).
    #[serde(flatten)]
    pub scores: ByMeasure<f64>,
}

/// What was asked and what the run found (FORMAT.md's `params` block of `centrality`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CentralitySettings {
    /// PageRank / CheiRank damping factor.
    pub alpha: f64,
    /// Katz alpha as a fraction of 1/lambda_max (the default fraction, 0.5, when alpha was
    /// given as an absolute number).
    pub katz_alpha_fraction: f64,
    /// The Katz alpha used (`None` when Katz was not run).
    pub katz_alpha: Option<f64>,
    /// lambda_max found for Katz (`None` when Katz was not run or alpha was absolute).
    pub spectral_radius: Option<f64>,
    /// Tolerance of the iterative measures (PageRank's; the command line gives all one).
    pub tol: f64,
    /// Most iterations of the iterative measures (PageRank's).
    pub max_iter: usize,
    /// Iterations (or Krylov steps) used by each iterative measure run.
    pub iterations: ByMeasure<usize>,
    /// Path length from value, when a path measure was run.
    pub distance: Option<&'static str>,
    /// Eigenvector centrality from out-flows.
    pub reverse: bool,
    /// The sector codes the flows were restricted to.
    pub sectors: Option<Vec<String>>,
    /// Whether an input-output graph was aggregated to countries.
    pub countries: bool,
    /// The teleport nodes of PageRank and CheiRank, comma-separated.
    pub personalize: Option<String>,
    /// How many betweenness sources were summed, when not every node.
    pub betweenness_sources: Option<usize>,
    /// Betweenness divided by (n-1)(n-2).
    pub betweenness_normalized: bool,
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

/// Scores of several measures on one graph, every node keyed by its id.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CentralityOutput {
    /// The measures, in the order asked (the first ranks the nodes).
    pub measures: Vec<Measure>,
    /// What was asked and what the run found.
    pub params: CentralitySettings,
    /// Every node with its scores, ranked by the first measure (highest first, ties by id).
    pub nodes: Vec<NodeScores>,
    /// How each measure was computed (same order as `measures`).
    #[serde(skip)]
    pub runs: Vec<MeasureRun>,
    /// Seconds spent building the view and the aggregated adjacency.
    #[serde(skip)]
    pub prepare_seconds: f64,
}

impl CentralityOutput {
    /// The scores of `m` by node id, in ranked order, if it was computed.
    pub fn scores_of(&self, m: Measure) -> Option<Vec<(&str, f64)>> {
        let k = self.measures.iter().position(|&x| x == m)?;
        Some(
            self.nodes
                .iter()
                .map(|n| (n.id.as_str(), n.scores.0[k].1))
                .collect(),
        )
    }

    /// The node `id`, if the graph has it.
    pub fn node(&self, id: &str) -> Option<&NodeScores> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// The indices of `n` nodes ranked by `first` (highest first), ties by id (`id(i)`).
pub(super) fn ranking<'a>(
    n: usize,
    id: impl Fn(usize) -> &'a str + Sync,
    first: Option<&[f64]>,
) -> Vec<usize> {
    use rayon::prelude::*;
    let Some(s) = first else {
        // Ids are unique, so the order is total and an unstable (parallel) sort is exact.
        let mut ix: Vec<usize> = (0..n).collect();
        ix.par_sort_unstable_by(|&a, &b| id(a).cmp(id(b)));
        return ix;
    };
    // Sorted by a key of each score whose order as an integer is the scores' `total_cmp`
    // order reversed, beside its index (no lookups of the scores while sorting), then each run
    // of equal scores by id.
    let mut keyed: Vec<(u64, u32)> = s
        .par_iter()
        .enumerate()
        .map(|(i, &x)| (!total_key(x), i as u32))
        .collect();
    keyed.par_sort_unstable();
    let mut ix: Vec<usize> = keyed.iter().map(|&(_, i)| i as usize).collect();
    let mut at = 0;
    while at < keyed.len() {
        let mut end = at + 1;
        while end < keyed.len() && keyed[end].0 == keyed[at].0 {
            end += 1;
        }
        if end - at > 1 {
            ix[at..end].sort_unstable_by(|&a, &b| id(a).cmp(id(b)));
        }
        at = end;
    }
    ix
}

/// `x` as an integer whose order is `f64::total_cmp`'s: negative values' bits inverted, the
/// sign bit set on the others.
fn total_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranking is the order of the comparison it stands for (score down, then id up), with
    /// ties, signed zeros, negatives, infinities and NaN among the scores.
    #[test]
    fn ranking_is_score_down_then_id_up() {
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        let n = 5000;
        let names: Vec<String> = (0..n).map(|i| format!("n{:05}", (i * 7919) % n)).collect();
        let ids: Vec<&str> = names.iter().map(String::as_str).collect();
        let scores: Vec<f64> = (0..n)
            .map(|i| match i % 5 {
                0 => specials[(i / 5) % specials.len()],
                1 => ((i * 31) % 17) as f64 / 4.0,
                _ => (i as f64).sin() * 1e-3,
            })
            .collect();
        let mut want: Vec<usize> = (0..n).collect();
        want.sort_by(|&a, &b| {
            scores[b]
                .total_cmp(&scores[a])
                .then_with(|| ids[a].cmp(ids[b]))
        });
        assert_eq!(ranking(n, |i| ids[i], Some(&scores)), want);
        want.sort_by(|&a, &b| ids[a].cmp(ids[b]));
        assert_eq!(ranking(n, |i| ids[i], None), want);
    }
}
