//! The overview `tradenet info` prints: size, value, density, top exporters and importers.

use crate::model::{Csr, GraphKind, TradeGraph};

/// An economy and a value, ranked.
#[derive(Debug, Clone, PartialEq)]
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

/// The overview of a graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Trade or input-output.
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
    /// pairs / (n (n - 1)), as `networkx.density` on the aggregated DiGraph.
    pub density: f64,
    /// Years of a multi-year file.
    pub years: Vec<u16>,
    /// Rows skipped on load (empty or zero values).
    pub skipped_rows: u64,
    /// Exports between countries: for an input-output graph, its country view (intermediate
    /// plus final sales abroad); for a trade graph, every flow.
    pub exports_total: f64,
    /// What `exports_total` counts on an input-output graph
    /// ([`TradeGraph::country_view_basis`]); `None` for a trade graph.
    pub exports_basis: Option<&'static str>,
    /// The largest exporters by value.
    pub top_exporters: Vec<Ranked>,
    /// The largest importers by value.
    pub top_importers: Vec<Ranked>,
}

/// Summarise `g` (with `csr`, its aggregated adjacency from [`Csr::from_graph`]), keeping the
/// `top` largest exporters and importers. Ties are broken by id.
/// O(m log m).
pub fn summarize(g: &TradeGraph, csr: &Csr, top: usize) -> Summary {
    let n = g.node_count();
    let pairs = csr.nnz();
    let density = if n > 1 {
        pairs as f64 / (n as f64 * (n as f64 - 1.0))
    } else {
        0.0
    };
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
    Summary {
        kind: g.kind(),
        nodes: n,
        flows: g.flow_count(),
        pairs,
        sectors: g.sectors().len(),
        countries: g.country_ids().len(),
        total_value: g.total_value(),
        density,
        years: g.years(),
        skipped_rows: g.skipped_rows,
        exports_total: total,
        exports_basis: (g.kind() == crate::model::GraphKind::InputOutput)
            .then(|| g.country_view_basis()),
        top_exporters: rank(&exports),
        top_importers: rank(&imports),
    }
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
