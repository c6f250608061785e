//! Value-chain exposure (MODELS.md §3): the share of each country's gross output that exists
//! because of each country's final demand, on an input-output graph.

use crate::error::{Error, Result};
use crate::model::{FinalDemand, GraphKind, NodeIx, TradeGraph};
use crate::text::clip;
use nalgebra::DMatrix;
use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

/// Value-chain exposure of every country to every country's final demand (MODELS.md §3).
///
/// Serialised as `{"destinations": [...], "rows": [{"id": producer, "output": ..., "<destination>":
/// exposure, ...}]}` (the command line's `value_chain_matrix`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureMatrix {
    /// Producing countries (rows), sorted.
    pub producers: Vec<String>,
    /// Countries whose final demand is followed (columns), sorted.
    pub destinations: Vec<String>,
    /// `exposure[a][b]`: share of country a's gross output that exists because of country b's
    /// final demand, directly and through every supply chain.
    pub exposure: Vec<Vec<f64>>,
    /// Each producer's gross output (the denominator).
    pub output: Vec<f64>,
}

impl ExposureMatrix {
    /// The exposure of `producer` to `destination`'s final demand.
    pub fn get(&self, producer: &str, destination: &str) -> Option<f64> {
        let a = self.producers.iter().position(|p| p == producer)?;
        let b = self.destinations.iter().position(|d| d == destination)?;
        Some(self.exposure[a][b])
    }
}

/// Value-chain exposure on an input-output graph: for every destination country b, solve
/// (I - A) x_b = y_b, where A = Z diag(x)^-1 (a column with x_j = 0 is all zero) and y_b\[i\] is
/// b's final demand for node i's output; the exposure of country a to b is the sum of x_b over
/// a's nodes divided by the sum of x over them. (I - A) is factorised once (LU with partial
/// pivoting) and the factors reused for every destination.
///
/// Errors: not an input-output graph; a node without output or final demand by destination;
/// a column of A summing to 1 or more (named), which makes (I - A) singular or its inverse
/// negative. Complexity O(n^3) for the factorisation (n country-sector nodes) plus O(n^2) per
/// destination.
///
/// ```
/// use tradenet::analysis::value_chain_exposure;
/// use tradenet::io::{load_bytes, LoadOptions};
/// // A's industry sells 10 to B's, whose output is 100: A = [[0, 0.1], [0, 0]]. B's final
/// // demand takes 60 of B's output, which needs 6 of A's 50: A's exposure to B is 12%.
/// let doc = br#"{"format": "tradenet/1",
///   "nodes": [
///     {"id": "A:s", "country": "A", "sector": "s", "output": 50, "final_demand": {"A": 40}},
///     {"id": "B:s", "country": "B", "sector": "s", "output": 100, "final_demand": {"A": 40, "B": 60}}],
///   "flows": [{"from": "A:s", "to": "B:s", "value": 10}]}"#;
/// let g = load_bytes("io.json", doc.to_vec(), &LoadOptions::default()).unwrap();
/// let m = value_chain_exposure(&g).unwrap();
/// assert!((m.get("A", "B").unwrap() - 0.12).abs() < 1e-12);
/// assert!((m.get("B", "A").unwrap() - 0.4).abs() < 1e-12);
/// ```
pub fn value_chain_exposure(g: &TradeGraph) -> Result<ExposureMatrix> {
    if g.kind() != GraphKind::InputOutput {
        return Err(Error::Unsuited(
            "value-chain exposure needs an input-output graph (country-sector nodes with output and final demand)".into(),
        ));
    }
    let n = g.node_count();
    let mut x = vec![0.0; n];
    for (i, node) in g.nodes().enumerate() {
        x[i] = node
            .output()
            .ok_or_else(|| Error::Unsuited(format!("node '{}' has no output", clip(&node.id))))?;
    }
    // A = Z diag(x)^-1, dense (input-output systems are a few thousand nodes): refused
    // before it is made when it would not fit (A and its LU factors share the storage; the
    // final demand and the answer are n x countries).
    let countries = g.country_ids().len() as u64;
    let nn = n as u64;
    crate::budget::check(
        (nn.saturating_mul(nn) + 2 * nn.saturating_mul(countries)).saturating_mul(8),
        || format!("value-chain exposure (a dense {n} x {n} Leontief system)"),
    )?;
    let mut a = DMatrix::<f64>::zeros(n, n);
    for (i, j, f) in g.flows() {
        let (i, j) = (i.index(), j.index());
        if x[j] > 0.0 {
            a[(i, j)] += f.value / x[j];
        }
    }
    for j in 0..n {
        let col: f64 = a.column(j).iter().sum();
        if col >= 1.0 {
            return Err(Error::Numeric(format!(
                "column of A for node '{}' sums to {col:.4} (>= 1): its inputs exceed its output, so (I - A) cannot be inverted",
                clip(&g.node(NodeIx::new(j)).id)
            )));
        }
    }
    let producers: Vec<String> = g.country_ids().into_iter().map(str::to_string).collect();
    // Producers and every final-demand destination, once each (a set: a list search per
    // entry was quadratic in the number of destinations).
    let mut seen: std::collections::BTreeSet<&str> = producers.iter().map(String::as_str).collect();
    for node in g.nodes() {
        match node.final_demand() {
            Some(FinalDemand::ByDestination(d)) => {
                for (k, _) in d {
                    seen.insert(k.as_str());
                }
            }
            Some(FinalDemand::Total(_)) => {
                return Err(Error::Unsuited(format!(
                    "node '{}' gives final demand as one number; value-chain exposure needs it by destination country",
                    clip(&node.id)
                )))
            }
            None => {}
        }
    }
    let destinations: Vec<String> = seen.into_iter().map(str::to_string).collect();
    let m = destinations.len();
    let dest_ix: crate::model::FastMap<&str, usize> = destinations
        .iter()
        .enumerate()
        .map(|(k, d)| (d.as_str(), k))
        .collect();
    let mut y = DMatrix::<f64>::zeros(n, m);
    for (i, node) in g.nodes().enumerate() {
        if let Some(FinalDemand::ByDestination(d)) = node.final_demand() {
            for (k, v) in d {
                y[(i, dest_ix[k.as_str()])] += v;
            }
        }
    }
    let mut i_minus_a = -a;
    for i in 0..n {
        i_minus_a[(i, i)] += 1.0;
    }
    let lu = i_minus_a.lu();
    let xs = lu
        .solve(&y)
        .ok_or_else(|| Error::Numeric("(I - A) is singular".into()))?;
    let prod_ix: crate::model::FastMap<&str, usize> = producers
        .iter()
        .enumerate()
        .map(|(k, p)| (p.as_str(), k))
        .collect();
    let mut num = vec![vec![0.0; m]; producers.len()];
    let mut den = vec![0.0; producers.len()];
    for (i, node) in g.nodes().enumerate() {
        let a = prod_ix[node.country_id()];
        den[a] += x[i];
        for b in 0..m {
            num[a][b] += xs[(i, b)];
        }
    }
    let exposure = num
        .iter()
        .zip(&den)
        .map(|(row, &d)| {
            row.iter()
                .map(|v| if d > 0.0 { v / d } else { 0.0 })
                .collect()
        })
        .collect();
    Ok(ExposureMatrix {
        producers,
        destinations,
        exposure,
        output: den,
    })
}

impl Serialize for ExposureMatrix {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        /// One producer's row: id, output, then the exposure to each destination by its id.
        struct Row<'a>(&'a ExposureMatrix, usize);
        impl Serialize for Row<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let (m, a) = (self.0, self.1);
                let mut o = s.serialize_map(Some(2 + m.destinations.len()))?;
                o.serialize_entry("id", &m.producers[a])?;
                o.serialize_entry("output", &m.output[a])?;
                for (d, v) in m.destinations.iter().zip(&m.exposure[a]) {
                    o.serialize_entry(d, v)?;
                }
                o.end()
            }
        }
        let rows: Vec<Row<'_>> = (0..self.producers.len()).map(|a| Row(self, a)).collect();
        let mut o = s.serialize_struct("ExposureMatrix", 2)?;
        o.serialize_field("destinations", &self.destinations)?;
        o.serialize_field("rows", &rows)?;
        o.end()
    }
}
