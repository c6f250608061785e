//! decompr's Leontief decomposition and gvc's indicators on it (`data/gvc/leather/EXPECTED.md`):
//! FVAX = V B diag(E) ([`GvcSystem::va_origin`]), FVAX\[i, j\] the value added of node i in node
//! j's gross exports. Per node:
//! - i2e\[j\] (importing to export, vertical specialisation) = sum over i in other countries of
//!   FVAX\[i, j\]: foreign value added in j's exports;
//! - e2r\[i\] (exporting to re-export) = sum over j in other countries of FVAX\[i, j\]: i's value
//!   added in other countries' exports;
//! - nrca\[i\] = (f\[i\] / sum of f over i's country) / (sum of f over i's sector / sum of all f),
//!   f\[i\] = sum over j in i's country of FVAX\[i, j\] (i's value added in its country's exports).

use super::GvcSystem;
use serde::Serialize;

/// The Leontief indicators of one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeShare {
    /// Node id.
    pub id: String,
    /// Country.
    pub country: String,
    /// Sector.
    pub sector: String,
    /// Gross exports E.
    pub exports: f64,
    /// Foreign value added in the node's exports.
    pub i2e: f64,
    /// The node's value added in other countries' exports.
    pub e2r: f64,
    /// New revealed comparative advantage; `None` where a denominator is 0.
    pub nrca: Option<f64>,
}

/// i2e, e2r and nrca of every node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeontiefNodes {
    /// Nodes in the system's order (by country, then graph order).
    pub nodes: Vec<NodeShare>,
}

/// The Leontief indicators of every node of `sys`. Complexity O(n^2).
///
/// ```
/// use tradenet::analysis::gvc::{leontief_nodes, GvcSystem};
/// use tradenet::io::iocsv::read_files;
/// // Two countries, one industry each.
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let l = leontief_nodes(&GvcSystem::from_graph(&g).unwrap());
/// assert_eq!(l.nodes.len(), 2);
/// assert!(l.nodes.iter().all(|n| n.i2e >= 0.0 && n.i2e <= n.exports));
/// ```
pub fn leontief_nodes(sys: &GvcSystem) -> LeontiefNodes {
    let n = sys.len();
    let gn = sys.countries.len();
    // i2e[j] = (sum over t != c(j) of (V B)[t, j]) E_j.
    let vbc = sys.vb_by_country();
    // Row sums of B diag(E) over own-country columns and over all columns.
    let mut own = vec![0.0; n];
    let mut all = vec![0.0; n];
    for i in 0..n {
        let r = sys.blocks[sys.country_of[i]].clone();
        let row = sys.b.row(i);
        for j in 0..n {
            let v = row[j] * sys.e[j];
            all[i] += v;
            if r.contains(&j) {
                own[i] += v;
            }
        }
    }
    let f: Vec<f64> = (0..n).map(|i| sys.vc[i] * own[i]).collect();
    let mut by_country = vec![0.0; gn];
    let mut by_sector: std::collections::BTreeMap<&str, f64> = Default::default();
    for i in 0..n {
        by_country[sys.country_of[i]] += f[i];
        *by_sector.entry(sys.sectors[i].as_str()).or_insert(0.0) += f[i];
    }
    let total: f64 = f.iter().sum();
    let nodes = (0..n)
        .map(|i| {
            let c = sys.country_of[i];
            let col = vbc.column(i);
            let foreign = col.sum() - col[c];
            let sec = by_sector[sys.sectors[i].as_str()];
            let nrca = (by_country[c] != 0.0 && sec != 0.0 && total != 0.0)
                .then(|| (f[i] / by_country[c]) / (sec / total));
            NodeShare {
                id: sys.ids[i].clone(),
                country: sys.countries[c].clone(),
                sector: sys.sectors[i].clone(),
                exports: sys.e[i],
                i2e: foreign * sys.e[i],
                e2r: sys.vc[i] * (all[i] - own[i]),
                nrca,
            }
        })
        .collect();
    LeontiefNodes { nodes }
}
