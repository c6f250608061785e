//! The overview `tradenet info` prints: size, value, density, structure, the file's
//! description, and the top exporters and importers.

use super::structure::{structure, StructureParams};
use crate::error::{Error, Result};
use crate::model::{Csr, FlowFilter, GraphKind, TradeGraph};
use serde_json::{Map, Value};

/// An economy and a value, ranked.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ranked {
    /// Node (or country) id.
    pub id: String,
    /// Readable name, if the graph has one.
    pub name: Option<String>,
    /// The value (exports or imports).
    pub value: f64,
    /// Share of the total.
    pub share: f64,
}

/// Parameters of [`summary`]. The default is the command line's.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryParams {
    /// How many of the largest exporters and importers to keep (at least 1). Default 10.
    pub top: usize,
    /// Skip the average clustering (`None`) when its work passes this
    /// ([`StructureParams::clustering_max_work`]). Default 1e9 (the 3,420-node ICIO graph is
    /// skipped).
    pub clustering_max_work: Option<f64>,
}

impl Default for SummaryParams {
    fn default() -> Self {
        SummaryParams {
            top: 10,
            clustering_max_work: Some(1e9),
        }
    }
}

impl SummaryParams {
    /// Check `top` (at least 1) and the clustering limit (not NaN).
    ///
    /// # Errors
    /// [`Error::Param`] naming `top` or `clustering_max_work`.
    pub fn validate(&self) -> Result<()> {
        if self.top == 0 {
            return Err(Error::param("top", 0, "must be at least 1"));
        }
        if let Some(w) = self.clustering_max_work.filter(|w| w.is_nan()) {
            return Err(Error::param("clustering_max_work", w, "must be a number"));
        }
        Ok(())
    }
}

fn kind_name<S: serde::Serializer>(k: &GraphKind, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(k.as_str())
}

/// The overview of a graph (FORMAT.md's JSON of `info`, after its `graph` block).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Trade or input-output (`trade`, `io`).
    #[serde(serialize_with = "kind_name")]
    pub kind: GraphKind,
    /// Nodes.
    pub nodes: usize,
    /// Flows (parallel sector flows counted separately).
    pub flows: usize,
    /// Ordered pairs that trade (self-pairs included, as NetworkX counts self-loops).
    pub pairs: usize,
    /// Sectors in the sector table.
    pub sectors: usize,
    /// Distinct countries.
    pub countries: usize,
    /// Sum of flow values.
    pub total_value: f64,
    /// Exports between countries: for an input-output graph, its country view (intermediate
    /// plus final sales abroad); for a trade graph, every flow.
    pub exports_total: f64,
    /// What `exports_total` counts on an input-output graph
    /// ([`TradeGraph::country_view_basis`]); `None` for a trade graph.
    pub exports_basis: Option<&'static str>,
    /// pairs / (n (n - 1)), as `networkx.density` on the aggregated DiGraph.
    pub density: f64,
    /// Pairs i -> i.
    pub self_loops: usize,
    /// [`reciprocity`](super::reciprocity); `None` for a graph without pairs.
    pub reciprocity: Option<f64>,
    /// [`weighted_reciprocity`](super::weighted_reciprocity); `None` when no value flows
    /// between distinct nodes.
    pub weighted_reciprocity: Option<f64>,
    /// Average weighted clustering; `None` when skipped ([`SummaryParams`]).
    pub average_clustering: Option<f64>,
    /// Weakly connected components.
    pub weak_components: usize,
    /// Nodes in the largest of them.
    pub largest_weak_component: usize,
    /// Strongly connected components.
    pub strong_components: usize,
    /// Nodes in the largest of them.
    pub largest_strong_component: usize,
    /// The years of the graph's flows (a caller that cut a multi-year file to one year may
    /// put the file's years here).
    pub years: Vec<u16>,
    /// The year the file says its data is for.
    pub data_year: Option<i64>,
    /// The unit of values.
    pub unit: Option<String>,
    /// The published layout a table was read from (OECD ICIO, ...).
    pub layout: Option<Value>,
    /// What the reader of a published table merged.
    pub merged: Vec<String>,
    /// What it dropped.
    pub dropped: Vec<String>,
    /// What it checked.
    pub checks: Vec<String>,
    /// Rows skipped on load (empty or zero values).
    pub skipped_rows: u64,
    /// Where the data comes from.
    pub source: Option<String>,
    /// Notes of the file.
    pub notes: Option<String>,
    /// Every other field of the file's description.
    pub meta_extra: Map<String, Value>,
    /// The largest exporters by value.
    pub top_exporters: Vec<Ranked>,
    /// The largest importers by value.
    pub top_importers: Vec<Ranked>,
}

/// Summarise `g`: size, value, density, structure (MODELS.md §1), the file's description, and
/// the `p.top` largest exporters and importers (countries on an input-output graph, ties by
/// id).
///
/// # Errors
/// [`Error::Param`] for `p` ([`SummaryParams::validate`]).
///
/// Complexity: O(m log m), plus the clustering's O(Σ d²) unless skipped.
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::analysis::{summary, SummaryParams};
/// let csv = b"exporter,importer,value\nA,B,3\nB,A,1\nB,C,4\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = summary(&g, &SummaryParams { top: 1, ..Default::default() }).unwrap();
/// assert_eq!((s.pairs, s.strong_components), (3, 2));
/// assert_eq!(s.top_exporters[0].id, "B");
/// let json = serde_json::to_value(&s).unwrap();
/// assert_eq!(json["top_exporters"][0]["value"], 5.0);
/// ```
pub fn summary(g: &TradeGraph, p: &SummaryParams) -> Result<Summary> {
    p.validate()?;
    let csr = Csr::from_graph(g, &FlowFilter::default());
    let st = structure(
        &csr,
        &StructureParams {
            clustering_max_work: p.clustering_max_work,
        },
    );
    let (exports, imports, exports_total) = ranked(g, p.top);
    let n = g.node_count();
    let extra = |key: &str| -> Vec<String> {
        g.meta
            .extra
            .get(key)
            .and_then(Value::as_array)
            .map(|v| {
                v.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(Summary {
        kind: g.kind(),
        nodes: n,
        flows: g.flow_count(),
        pairs: csr.nnz(),
        sectors: g.sectors().len(),
        countries: g.country_ids().len(),
        total_value: g.total_value(),
        exports_total,
        exports_basis: (g.kind() == GraphKind::InputOutput).then(|| g.country_view_basis()),
        density: if n > 1 {
            csr.nnz() as f64 / (n as f64 * (n as f64 - 1.0))
        } else {
            0.0
        },
        self_loops: st.self_loops,
        reciprocity: st.reciprocity,
        weighted_reciprocity: st.weighted_reciprocity,
        average_clustering: st.average_clustering,
        weak_components: st.weak.count,
        largest_weak_component: st.weak.largest,
        strong_components: st.strong.count,
        largest_strong_component: st.strong.largest,
        years: g.years(),
        data_year: g.meta.year,
        unit: g.meta.unit.clone(),
        layout: g.meta.extra.get("layout").cloned(),
        merged: extra("merged"),
        dropped: extra("dropped"),
        checks: extra("checks"),
        skipped_rows: g.skipped_rows,
        source: g.meta.source.clone(),
        notes: g.meta.notes.clone(),
        meta_extra: g.meta.extra.clone(),
        top_exporters: exports,
        top_importers: imports,
    })
}

/// The `top` largest exporters and importers (countries on an input-output graph) and the
/// exports between countries. Ties are broken by id.
fn ranked(g: &TradeGraph, top: usize) -> (Vec<Ranked>, Vec<Ranked>, f64) {
    let trade = if g.kind() == GraphKind::InputOutput {
        std::borrow::Cow::Owned(g.countries())
    } else {
        std::borrow::Cow::Borrowed(g)
    };
    let mut exports = vec![0.0; trade.node_count()];
    let mut imports = vec![0.0; trade.node_count()];
    let mut total = 0.0;
    for (a, b, f) in trade.flows() {
        exports[a.index()] += f.value;
        imports[b.index()] += f.value;
        total += f.value;
    }
    let rank = |v: &[f64]| -> Vec<Ranked> {
        let mut ix: Vec<usize> = (0..v.len()).filter(|&i| v[i] > 0.0).collect();
        ix.sort_by(|&a, &b| {
            v[b].total_cmp(&v[a])
                .then_with(|| trade.node(nix(a)).id.cmp(&trade.node(nix(b)).id))
        });
        ix.truncate(top);
        // Names the view does not have come from g's nodes of the country, found in one pass
        // for all of them (not a pass per row: `--top` may be as large as the graph).
        let unnamed: Vec<&str> = ix
            .iter()
            .map(|&i| trade.node(nix(i)))
            .filter(|n| n.name().is_none())
            .map(|n| &*n.id)
            .collect();
        let mut first: crate::model::FastMap<&str, Option<crate::NodeIx>> =
            unnamed.iter().map(|&id| (id, None)).collect();
        if !first.is_empty() {
            for (i, n) in g.nodes().enumerate() {
                if let Some(slot @ None) = first.get_mut(n.country_id()) {
                    *slot = Some(nix(i));
                }
            }
        }
        ix.into_iter()
            .map(|i| {
                let node = trade.node(nix(i));
                Ranked {
                    id: node.id.to_string(),
                    name: node.name().map(str::to_string).or_else(|| {
                        first
                            .get(&*node.id)
                            .copied()
                            .flatten()
                            .and_then(|ix| g.country_name_of(ix))
                    }),
                    value: v[i],
                    share: if total > 0.0 { v[i] / total } else { 0.0 },
                }
            })
            .collect()
    };
    (rank(&exports), rank(&imports), total)
}

fn nix(i: usize) -> crate::NodeIx {
    crate::NodeIx::new(i)
}

/// One sector of a graph with what flows in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SectorTotal {
    /// Sector code, as in the file.
    pub id: String,
    /// Readable name, if the file gives one.
    pub name: Option<String>,
    /// `goods` or `services`, from the file's flag or the code's classification
    /// ([`crate::model::sector_kinds`]); `None` when it cannot be told.
    pub kind: Option<&'static str>,
    /// Flows of the sector (a flow's own sector, or its supplier's in an input-output graph).
    pub flows: usize,
    /// Their value.
    pub value: f64,
    /// Input-output graphs: final demand for the sector's nodes (all destinations); `None` in
    /// trade graphs.
    pub final_demand: Option<f64>,
}

/// The graph's sector table in file order, with each sector's flows and value (and final
/// demand in input-output graphs). Complexity O(m + n).
///
/// ```
/// use tradenet::io::{load_bytes, LoadOptions};
/// use tradenet::analysis::sector_totals;
/// let csv = b"exporter,importer,sector,value\nA,B,x,3\nB,A,x,1\nB,C,y,2\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let s = sector_totals(&g);
/// assert_eq!((s[0].id.as_str(), s[0].flows, s[0].value), ("x", 2, 4.0));
/// ```
pub fn sector_totals(g: &TradeGraph) -> Vec<SectorTotal> {
    let ns = g.sectors().len();
    let mut flows = vec![0usize; ns];
    let mut value = vec![0.0; ns];
    for (a, _, f) in g.flows() {
        if let Some(s) = g.flow_sector(a, f) {
            flows[s.index()] += 1;
            value[s.index()] += f.value;
        }
    }
    let io = g.kind() == GraphKind::InputOutput;
    let mut fd = vec![0.0; ns];
    for n in g.nodes() {
        if let (Some(s), Some(d)) = (n.sector, n.final_demand()) {
            fd[s.index()] += d.total();
        }
    }
    let kinds = crate::model::sector_kinds(g.sectors());
    g.sectors()
        .iter()
        .enumerate()
        .map(|(i, s)| SectorTotal {
            id: s.id.clone(),
            name: s.name.clone(),
            kind: kinds.kinds[i].map(|k| match k {
                crate::model::SectorKind::Goods => "goods",
                crate::model::SectorKind::Services => "services",
            }),
            flows: flows[i],
            value: value[i],
            final_demand: io.then_some(fd[i]),
        })
        .collect()
}
