//! The trade graph: economies (countries, or country-sector pairs) and the flows between them.
//!
//! [`TradeGraph`] holds its nodes and flows as two arrays, with an id -> index map, a sector
//! table and the file's metadata; its petgraph `DiGraph<Node, Flow, u32>` is made on demand.
//! Nodes and flows are kept compact (interned sectors, `u32` indices, rare fields boxed) so
//! that ten million flows fit in well under a gigabyte.
//! Graphs are made by [`GraphBuilder`], which validates as it goes and reports every problem
//! at once; views ([`TradeGraph::sector_layer`], [`TradeGraph::countries`], ...) make new graphs.

pub mod aggregate;
pub(crate) mod builder;
mod csr;
mod intern;
pub(crate) mod mem;
mod sector_kind;
mod views;

pub use aggregate::{GroupParams, GroupReport, Grouping};
pub use builder::{GraphBuilder, Place};
pub use csr::{Csr, FlowFilter};
pub(crate) use intern::{IdIndex, Key};
pub use sector_kind::{sector_kinds, SectorKind, SectorKinds};
pub use views::Direction;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

/// Hash map used for id lookups: foldhash with a fixed seed (fast on short ids, same layout
/// every run).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
use serde_json::{Map, Value};
use std::num::NonZeroU32;

use crate::error::{closest, Error, Result};

/// Index of a node in a [`TradeGraph`].
pub type NodeIx = NodeIndex<u32>;
/// Index of a flow in a [`TradeGraph`].
pub type FlowIx = EdgeIndex<u32>;

/// Index of a sector in the graph's sector table (stored as index + 1 so that
/// `Option<SectorId>` is four bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectorId(NonZeroU32);

impl SectorId {
    /// The sector at position `i` of the sector table.
    pub fn new(i: usize) -> Self {
        let v = u32::try_from(i + 1).expect("fewer than 4 billion sectors");
        SectorId(NonZeroU32::new(v).expect("i + 1 > 0"))
    }

    /// Position in the sector table.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// A sector (industry or product group).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sector {
    /// Sector code, e.g. `c15`.
    pub id: String,
    /// Readable name, e.g. `Transport equipment`.
    pub name: Option<String>,
    /// The file's `"goods"` flag: `true` for a tradable goods sector (agriculture, mining,
    /// manufacturing), `false` for services; `None` when the file does not say
    /// ([`sector_kinds`] then goes by the code).
    pub goods: Option<bool>,
}

/// What a file holds: one kind of node throughout (FORMAT.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphKind {
    /// Country (or region, or firm) nodes; flows labelled by sector.
    Trade,
    /// Country-sector nodes with output and final demand; flows are intermediate deliveries.
    InputOutput,
}

impl GraphKind {
    /// `trade` or `io`, as written in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            GraphKind::Trade => "trade",
            GraphKind::InputOutput => "io",
        }
    }
}

/// Final demand for a node's output: one number, or by destination country.
#[derive(Debug, Clone, PartialEq)]
pub enum FinalDemand {
    /// Destination unknown.
    Total(f64),
    /// Keyed by destination country, in file order. Entries may be negative (inventories).
    ByDestination(Vec<(String, f64)>),
}

impl FinalDemand {
    /// Sum over destinations.
    pub fn total(&self) -> f64 {
        match self {
            FinalDemand::Total(v) => *v,
            FinalDemand::ByDestination(v) => v.iter().map(|(_, x)| x).sum(),
        }
    }
}

/// The less common node fields, boxed so that a plain node stays small.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeExtra {
    /// Readable name.
    pub name: Option<String>,
    /// Region (continent, trade bloc, ...), used by the region view and diagrams.
    pub region: Option<String>,
    /// Free grouping.
    pub group: Option<String>,
    /// An aggregate of economies (rest of the world, a region of unknown make-up) rather than
    /// one economy: `"aggregate": true` in native JSON. See [`Node::is_aggregate`].
    pub aggregate: bool,
    /// Gross output (input-output graphs).
    pub output: Option<f64>,
    /// Value added.
    pub value_added: Option<f64>,
    /// GDP.
    pub gdp: Option<f64>,
    /// Final demand for this node's output.
    pub final_demand: Option<FinalDemand>,
    /// Free-form attributes, kept as given.
    pub attrs: Option<Map<String, Value>>,
}

/// An economy: a country (or region, or firm), or a country-sector pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id (`CAN`, `CAN:c15`).
    pub id: Box<str>,
    /// Country of a country-sector node (also allowed on firm nodes).
    pub country: Option<Box<str>>,
    /// Sector of a country-sector node.
    pub sector: Option<SectorId>,
    /// Everything else; `None` when all of it is absent.
    pub extra: Option<Box<NodeExtra>>,
}

impl Node {
    /// A node with only an id.
    pub fn new(id: impl Into<Box<str>>) -> Self {
        Node {
            id: id.into(),
            country: None,
            sector: None,
            extra: None,
        }
    }

    fn extra_ref(&self) -> Option<&NodeExtra> {
        self.extra.as_deref()
    }

    /// Mutable access to the extra fields, creating them if absent.
    pub fn extra_mut(&mut self) -> &mut NodeExtra {
        self.extra.get_or_insert_with(Default::default)
    }

    /// Readable name, if given.
    pub fn name(&self) -> Option<&str> {
        self.extra_ref()?.name.as_deref()
    }
    /// Region, if given.
    pub fn region(&self) -> Option<&str> {
        self.extra_ref()?.region.as_deref()
    }
    /// Gross output, if given.
    pub fn output(&self) -> Option<f64> {
        self.extra_ref()?.output
    }
    /// GDP, if given.
    pub fn gdp(&self) -> Option<f64> {
        self.extra_ref()?.gdp
    }
    /// Final demand, if given.
    pub fn final_demand(&self) -> Option<&FinalDemand> {
        self.extra_ref()?.final_demand.as_ref()
    }
    /// Whether the node stands for several economies of unknown make-up: marked
    /// `"aggregate": true` in the file, or its country code is one that always means an
    /// aggregate ([`is_aggregate_code`]). Concentration and criticality leave such partners out
    /// of the sum of squared shares (MODELS.md §3, README "Aggregate regions").
    pub fn is_aggregate(&self) -> bool {
        self.extra_ref().is_some_and(|x| x.aggregate) || is_aggregate_code(self.country_id())
    }
    /// The country this node belongs to: `country` if set, else its own id.
    pub fn country_id(&self) -> &str {
        self.country.as_deref().unwrap_or(&self.id)
    }
}

/// Country codes that always stand for an aggregate of economies, whatever the file says:
/// rest of the world (`ROW`, `RoW`, WIOD's `ROW34`-style regions, `ROW_...`), the world (`WLD`,
/// `W00`, `World`), and UN Comtrade's pseudo-areas (`UNS` areas not elsewhere specified, `SPE`
/// special categories, `BUN` bunkers, `FRE` free zones, `NES`, `_X` areas nes). Case-sensitive
/// except for the `row` prefix.
pub fn is_aggregate_code(code: &str) -> bool {
    let lower = code.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("row") {
        // ROW, RoW, ROW34, ROW_EU, row-asia, but not ROU (Romania) or ROWENA.
        return rest.is_empty()
            || rest.bytes().all(|c| c.is_ascii_digit())
            || rest.starts_with(['_', '-', ' ']);
    }
    matches!(
        code,
        "WLD" | "W00" | "World" | "WORLD" | "UNS" | "SPE" | "BUN" | "FRE" | "NES" | "_X"
    )
}

/// The less common flow fields, boxed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowExtra {
    /// Quantity (tonnes, units...).
    pub quantity: Option<f64>,
    /// Ad-valorem tariff in force, 0.25 = 25%.
    pub tariff: Option<f64>,
    /// Free-form attributes, kept as given.
    pub attrs: Option<Map<String, Value>>,
}

/// A flow of goods from an exporter (supplier) to an importer (buyer). 24 bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Value, finite and non-negative (USD unless `meta.unit` says otherwise).
    pub value: f64,
    /// Sector of the goods; `None` when the file gives none.
    pub sector: Option<SectorId>,
    /// Year, for multi-year files.
    pub year: Option<u16>,
    /// Rare fields.
    pub extra: Option<Box<FlowExtra>>,
}

impl Flow {
    /// A flow of `value` with no sector, year or extras.
    pub fn new(value: f64) -> Self {
        Flow {
            value,
            sector: None,
            year: None,
            extra: None,
        }
    }
    /// Tariff in force, if given.
    pub fn tariff(&self) -> Option<f64> {
        self.extra.as_ref()?.tariff
    }
}

/// The file's metadata. Unknown keys are kept in `extra`, in order, so native JSON round-trips.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Graph name.
    pub name: Option<String>,
    /// Year of the data.
    pub year: Option<i64>,
    /// Unit of values (`USD`).
    pub unit: Option<String>,
    /// Source citation.
    pub source: Option<String>,
    /// Caveats.
    pub notes: Option<String>,
    /// Every other key, as given.
    pub extra: Map<String, Value>,
}

/// A flow and its two ends, as a graph stores it: 32 bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    /// Exporter (supplier) index.
    pub from: u32,
    /// Importer (buyer) index.
    pub to: u32,
    /// The flow.
    pub flow: Flow,
}

/// A directed, weighted graph of economies and the flows of goods between them.
///
/// Nodes and flows are kept as two arrays in input order (a flow names its ends by index);
/// the petgraph form is made only when [`graph`](Self::graph) is asked for it.
#[derive(Debug, Clone)]
pub struct TradeGraph {
    /// Metadata.
    pub meta: Meta,
    sectors: Vec<Sector>,
    sector_index: FastMap<Box<str>, SectorId>,
    nodes: Vec<Node>,
    links: Vec<Link>,
    /// The petgraph form, made on first use.
    petgraph: std::sync::OnceLock<DiGraph<Node, Flow, u32>>,
    /// Id -> node index, made on first use when the reader did not keep one.
    index: std::sync::OnceLock<IdIndex>,
    kind: GraphKind,
    /// Rows skipped on load (empty or zero values in CSV), for reporting.
    pub skipped_rows: u64,
    /// What a reader wants the user told on loading (codes it could not map, ...); not kept by
    /// views or written by writers.
    pub warnings: Vec<String>,
}

impl TradeGraph {
    /// The graph as a petgraph `DiGraph` (read-only: use the builder or views to change it),
    /// for petgraph's algorithms: made on the first call (a copy of the nodes and flows, in
    /// the same order, so node and flow indices are the graph's), then kept.
    ///
    /// ```
    /// use tradenet::{GraphBuilder, Place};
    /// let mut b = GraphBuilder::new();
    /// b.set_auto_nodes(true);
    /// b.add_flow("KOR", "CAN", Some("c15"), 2.42e9, None, None, Place::Code);
    /// b.add_flow("CAN", "USA", Some("c15"), 59.8e9, None, None, Place::Code);
    /// b.add_flow("KOR", "USA", Some("c15"), 1.0e9, None, None, Place::Code);
    /// let g = b.build("<example>").unwrap();
    /// let pg = g.graph();
    /// assert_eq!((pg.node_count(), pg.edge_count()), (3, 3));
    /// // Node and flow indices are the graph's: flow i joins the same nodes with the same value.
    /// for (e, (a, b, f)) in pg.raw_edges().iter().zip(g.flows()) {
    ///     assert_eq!((e.source(), e.target(), &e.weight), (a, b, f));
    /// }
    /// let usa = g.node_index("USA").unwrap();
    /// assert_eq!(&*pg[usa].id, "USA");
    /// // A petgraph algorithm on it: KOR reaches USA.
    /// let kor = g.node_index("KOR").unwrap();
    /// assert!(petgraph::algo::has_path_connecting(pg, kor, usa, None));
    /// ```
    pub fn graph(&self) -> &DiGraph<Node, Flow, u32> {
        self.petgraph.get_or_init(|| {
            let mut g = DiGraph::with_capacity(self.nodes.len(), self.links.len());
            for n in &self.nodes {
                g.add_node(n.clone());
            }
            for l in &self.links {
                g.add_edge(
                    NodeIx::new(l.from as usize),
                    NodeIx::new(l.to as usize),
                    l.flow.clone(),
                );
            }
            g
        })
    }
    /// The flows with their ends, in order.
    pub(crate) fn links(&self) -> &[Link] {
        &self.links
    }
    /// Node indices in order.
    pub fn node_indices(&self) -> impl ExactSizeIterator<Item = NodeIx> + '_ {
        (0..self.nodes.len()).map(NodeIx::new)
    }
    /// Trade or input-output.
    pub fn kind(&self) -> GraphKind {
        self.kind
    }
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// Number of flows (parallel sector flows counted separately).
    pub fn flow_count(&self) -> usize {
        self.links.len()
    }
    /// The sector table, in declaration order.
    pub fn sectors(&self) -> &[Sector] {
        &self.sectors
    }
    /// The sector with this id.
    pub fn sector(&self, id: SectorId) -> &Sector {
        &self.sectors[id.index()]
    }
    /// Look a sector up by code.
    pub fn sector_id(&self, code: &str) -> Option<SectorId> {
        self.sector_index.get(code).copied()
    }
    /// Look a sector up by code, or fail with the closest existing code.
    pub fn require_sector(&self, code: &str) -> Result<SectorId> {
        self.sector_id(code).ok_or_else(|| Error::Unknown {
            what: "sector",
            id: code.to_string(),
            suggestion: closest(code, self.sectors.iter().map(|s| s.id.as_str())),
        })
    }
    /// Look a node up by id.
    pub fn node_index(&self, id: &str) -> Option<NodeIx> {
        self.index
            .get_or_init(|| IdIndex::of_ids(self.nodes.iter().map(|n| &*n.id)))
            .get(id)
            .map(|i| NodeIx::new(i as usize))
    }
    /// Look a node up by id, or fail with the closest existing id.
    pub fn require_node(&self, id: &str) -> Result<NodeIx> {
        self.node_index(id).ok_or_else(|| Error::Unknown {
            what: "node",
            id: id.to_string(),
            suggestion: closest(id, self.nodes.iter().map(|n| &*n.id)),
        })
    }
    /// The node at `ix`.
    pub fn node(&self, ix: NodeIx) -> &Node {
        &self.nodes[ix.index()]
    }
    /// All nodes in order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = &Node> + '_ {
        self.nodes.iter()
    }
    /// All flows in order as (from, to, flow).
    pub fn flows(&self) -> impl ExactSizeIterator<Item = (NodeIx, NodeIx, &Flow)> + '_ {
        self.links.iter().map(|l| {
            (
                NodeIx::new(l.from as usize),
                NodeIx::new(l.to as usize),
                &l.flow,
            )
        })
    }
    /// Sector code of a flow: its own, or (input-output graphs) its supplier's.
    pub fn flow_sector(&self, from: NodeIx, flow: &Flow) -> Option<SectorId> {
        flow.sector.or(self.nodes[from.index()].sector)
    }
    /// Sum of all flow values.
    pub fn total_value(&self) -> f64 {
        self.flows().map(|(_, _, f)| f.value).sum()
    }
    /// Distinct years of the flows, sorted.
    pub fn years(&self) -> Vec<u16> {
        use rayon::prelude::*;
        // A bit per possible year: one pass over the flows (in parallel pieces, their bits
        // or-ed), no allocation per flow.
        let seen = self
            .links
            .par_iter()
            .with_min_len(1 << 16)
            .fold(
                || vec![0u64; 1 << 10],
                |mut seen, l| {
                    if let Some(y) = l.flow.year {
                        seen[usize::from(y >> 6)] |= 1 << (y & 63);
                    }
                    seen
                },
            )
            .reduce(
                || vec![0u64; 1 << 10],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x |= y);
                    a
                },
            );
        (0..=u16::MAX)
            .filter(|&y| seen[usize::from(y >> 6)] & (1 << (y & 63)) != 0)
            .collect()
    }
    /// Distinct countries of the nodes (a node's `country`, or its id), sorted.
    pub fn country_ids(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.nodes().map(|n| n.country_id()).collect();
        c.sort_unstable();
        c.dedup();
        c
    }
    /// Nodes whose country is `country` (a country node is its own country).
    pub fn nodes_of_country(&self, country: &str) -> Vec<NodeIx> {
        self.node_indices()
            .filter(|&i| self.node(i).country_id() == country)
            .collect()
    }
    /// A readable name for `country`: a country node's own name, or the country part of a
    /// country-sector node's name (`Canada: Transport equipment` -> `Canada`).
    pub fn country_name(&self, country: &str) -> Option<String> {
        let ix = self
            .node_indices()
            .find(|&i| self.node(i).country_id() == country)?;
        self.country_name_of(ix)
    }

    /// Every country's nodes, in node order, made in one pass: for code that asks about each
    /// country in turn ([`nodes_of_country`](Self::nodes_of_country) reads every node per call).
    pub fn nodes_by_country(&self) -> FastMap<&str, Vec<NodeIx>> {
        let mut m: FastMap<&str, Vec<NodeIx>> = FastMap::default();
        for i in self.node_indices() {
            m.entry(self.node(i).country_id()).or_default().push(i);
        }
        m
    }

    /// [`country_name`](Self::country_name) of the country of node `ix`, its first node.
    pub fn country_name_of(&self, ix: NodeIx) -> Option<String> {
        let n = self.node(ix);
        let name = n.name()?;
        if n.sector.is_none() {
            return Some(name.to_string());
        }
        Some(
            name.split_once(':')
                .map_or(name, |(c, _)| c.trim())
                .to_string(),
        )
    }

    /// Fails with the closest existing country when no node belongs to `country`.
    pub fn require_country(&self, country: &str) -> Result<()> {
        if self.nodes().any(|n| n.country_id() == country) {
            Ok(())
        } else {
            Err(Error::Unknown {
                what: "country",
                id: country.to_string(),
                suggestion: closest(country, self.country_ids()),
            })
        }
    }
}
