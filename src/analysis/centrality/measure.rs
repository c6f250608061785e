//! The measures and path lengths, named as in outputs.

use crate::error::{closest, Error, Result};
use std::fmt;
use std::str::FromStr;

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
            return Err(Error::param(
                "measures",
                s,
                "must name at least one measure (pagerank, ..., or all)",
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

/// A measure serialises as its name (`"pagerank"`), as in FORMAT.md's `measures` list.
impl serde::Serialize for Measure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
