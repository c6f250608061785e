//! [`GraphBuilder`]: makes a [`TradeGraph`] and checks every rule of FORMAT.md §1 on the way,
//! collecting all problems before failing.

use super::{
    FinalDemand, Flow, FlowExtra, GraphKind, IdIndex, Link, Meta, Node, NodeExtra, NodeIx, Sector,
    SectorId, TradeGraph,
};
use crate::error::{closest_within, did_you_mean, Problem, Problems, Result, SUGGEST_BUDGET};
use crate::model::FastMap;
use crate::text::{clip, code_points, is_invisible};
use petgraph::graph::DiGraph;

/// Where an item came from, for messages: `flows[12]`, `line 5`, or nowhere (built in code).
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// An element of a JSON array: `("flows", 12)` is `flows[12]`.
    Item(&'a str, usize),
    /// A line of a text file (1-based).
    Line(u64),
    /// A place described in words (`final_demand.csv line 7`).
    Named(&'a str),
    /// Built in code.
    Code,
}

impl Place<'_> {
    /// The place of one field: `flows[12].to`, `line 5 (importer)`, `to`. A field name from
    /// the file (a CSV column, a key) is [clipped](crate::text::clip).
    pub fn at(&self, field: &str) -> String {
        let field = &*clip(field);
        match self {
            Place::Item(list, i) if field.is_empty() => format!("{list}[{i}]"),
            Place::Item(list, i) => format!("{list}[{i}].{field}"),
            Place::Line(n) if field.is_empty() => format!("line {n}"),
            Place::Line(n) => format!("line {n} ({field})"),
            Place::Named(s) if field.is_empty() => s.to_string(),
            Place::Named(s) => format!("{s} ({field})"),
            Place::Code => field.to_string(),
        }
    }
}

const UNDECLARED: u32 = u32::MAX;

/// A flow as an edge-list row gives it, 24 bytes where a [`Link`] takes 32: the ends, the
/// value, the sector and the year.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub from: u32,
    pub to: u32,
    pub value: f64,
    pub sector: Option<SectorId>,
    pub year: Option<u16>,
}

impl Row {
    /// Capacity in rows of a buffer that can hold `n` links: a multiple of 4 rows (3 links).
    pub(crate) fn room(n: usize) -> usize {
        n.div_ceil(3) * 4
    }

    /// The rows made links in place: the buffer (of [`room`](Self::room) rows) becomes one of
    /// links. Filled from the end, each link lands at or after the row it is made from, so no
    /// row is overwritten before it is read.
    pub(crate) fn into_links(rows: Vec<Row>) -> Vec<Link> {
        const _: () = assert!(std::mem::size_of::<Row>() * 4 == std::mem::size_of::<Link>() * 3);
        const _: () = assert!(std::mem::align_of::<Row>() == std::mem::align_of::<Link>());
        let (n, cap) = (rows.len(), rows.capacity());
        if cap % 4 != 0 || n > cap / 4 * 3 {
            // Not a buffer from `room`: copied.
            return rows.into_iter().map(Row::link).collect();
        }
        let mut rows = std::mem::ManuallyDrop::new(rows);
        let src = rows.as_mut_ptr();
        let dst = src as *mut Link;
        for i in (0..n).rev() {
            // SAFETY: row i lies at bytes [24i, 24i + 24) and link i at [32i, 32i + 32), both
            // inside the buffer (32n <= 24 cap); rows j < i end at or before 24i <= 32i, so
            // writing link i leaves every row still to be read intact (`read` takes row i first).
            unsafe {
                let r = std::ptr::read(src.add(i));
                std::ptr::write(dst.add(i), r.link());
            }
        }
        // SAFETY: the allocation is the rows' (same address, size 24 cap = 32 (cap / 4 * 3),
        // same alignment), and its first n links were written above.
        unsafe { Vec::from_raw_parts(dst, n, cap / 4 * 3) }
    }

    pub(crate) fn link(self) -> Link {
        Link {
            from: self.from,
            to: self.to,
            flow: Flow {
                value: self.value,
                sector: self.sector,
                year: self.year,
                extra: None,
            },
        }
    }
}

/// The flows of an edge list interned elsewhere: rows to be made links when the graph is
/// built, or links.
pub(crate) enum Interned {
    Rows(Vec<Row>),
    Links(Vec<Link>),
}

/// Builds a [`TradeGraph`], validating as it goes.
///
/// ```
/// use tradenet::{GraphBuilder, Place};
/// let mut b = GraphBuilder::new();
/// b.set_auto_nodes(true); // nodes named by flows need not be declared
/// b.add_flow("KOR", "CAN", Some("c15"), 2.42e9, None, None, Place::Code);
/// b.add_flow("CAN", "USA", Some("c15"), 59.8e9, None, None, Place::Code);
/// let g = b.build("<example>").unwrap();
/// assert_eq!((g.node_count(), g.flow_count()), (3, 2));
/// ```
#[derive(Debug)]
pub struct GraphBuilder {
    meta: Meta,
    sectors: Vec<Sector>,
    sector_index: FastMap<Box<str>, SectorId>,
    sectors_declared: bool,
    auto_nodes: bool,
    nodes: Vec<Node>,
    /// Flows as (from, to, flow), in runs; the petgraph graph is made in one pass at the end.
    /// The last run is the one [`add_flow`](Self::add_flow) adds to.
    /// Runs of flows in input order (one per chunk of a file read in parallel).
    edges: Vec<Vec<Link>>,
    /// The flows of an edge list read in shards, made links when the graph is built (after
    /// the reader has freed the file).
    rows: Option<Vec<Row>>,
    index: IdIndex,
    /// Declaration ordinal of each node (`UNDECLARED` for ids only named by flows).
    decl: Vec<u32>,
    declared: u32,
    /// Where each undeclared id was first named (strict mode only).
    first_ref: FastMap<u32, String>,
    /// Place of the first sector node and first plain node, for the mixed-kinds message.
    first_sector_node: Option<(String, Box<str>)>,
    first_plain_node: Option<(String, Box<str>)>,
    self_loops: Vec<String>,
    self_loop_count: usize,
    problems: Problems,
    skipped_rows: u64,
    last_from: Option<(Box<str>, NodeIx)>,
    /// The names of a flow's endpoint and value fields in the file, for messages.
    names: [String; 3],
    /// The graph's size against the memory budget.
    watch: super::mem::Watch,
    /// What is left of the work allowed for "did you mean" suggestions, all of them together.
    suggest_budget: usize,
}

impl Default for GraphBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl GraphBuilder {
    /// An empty builder in strict mode: every node must be declared with [`add_node`](Self::add_node).
    pub fn new() -> Self {
        GraphBuilder {
            meta: Meta::default(),
            sectors: Vec::new(),
            sector_index: FastMap::default(),
            sectors_declared: false,
            auto_nodes: false,
            nodes: Vec::new(),
            edges: vec![Vec::new()],
            rows: None,
            index: IdIndex::default(),
            decl: Vec::new(),
            declared: 0,
            first_ref: FastMap::default(),
            first_sector_node: None,
            first_plain_node: None,
            self_loops: Vec::new(),
            self_loop_count: 0,
            problems: Problems::default(),
            skipped_rows: 0,
            last_from: None,
            names: ["from".into(), "to".into(), "value".into()],
            watch: super::mem::Watch::new(0, 1),
            suggest_budget: 8 * SUGGEST_BUDGET,
        }
    }

    /// The names the file gives a flow's exporter, importer and value (`source`, `target`,
    /// `weight` in node-link files; CSV column names), used in messages.
    pub fn set_field_names(&mut self, from: &str, to: &str, value: &str) {
        self.names = [from.to_string(), to.to_string(), value.to_string()];
    }

    /// The size of the input held while the graph is built, for the memory budget: from then
    /// on the flows and nodes added are checked against it, and once the graph would not fit,
    /// [`is_full`](Self::is_full) is true and [`build`](Self::build) returns the `Memory` error.
    pub fn set_input_bytes(&mut self, bytes: u64) {
        self.watch = super::mem::Watch::new(bytes, 1);
    }

    /// True once the graph would not fit in memory: the reader should stop.
    pub fn over_budget(&self) -> bool {
        self.watch.error.is_some()
    }

    /// Count problems that were found but not handed over (readers that stop keeping them).
    pub fn add_uncounted_problems(&mut self, n: usize) {
        self.problems.add_more(n);
    }

    /// Give up: the problems found so far, without the whole-graph checks of
    /// [`build`](Self::build) (for input that could not be read to its end).
    pub fn fail(mut self, file: &str) -> crate::Error {
        if let Some(e) = self.watch.error.take() {
            return e;
        }
        match self.problems.into_result(file) {
            Err(e) => e,
            Ok(()) => crate::Error::invalid(file, Problem::new("", "the input could not be read")),
        }
    }

    /// Reserve room for `nodes` nodes and `flows` flows.
    pub fn reserve(&mut self, nodes: usize, flows: usize) {
        self.nodes.reserve(nodes);
        self.flow_run().reserve(flows);
        self.index.reserve(nodes);
        self.decl.reserve(nodes);
    }

    /// When true, ids named by flows but never declared become plain nodes (edge lists).
    pub fn set_auto_nodes(&mut self, auto: bool) {
        self.auto_nodes = auto;
    }

    /// Set the metadata.
    pub fn set_meta(&mut self, meta: Meta) {
        self.meta = meta;
    }

    /// Mark the sector table as given: from now on a flow or node naming a sector not in it is
    /// a problem. Without this, sectors are declared by first use.
    pub fn declare_sectors(&mut self) {
        self.sectors_declared = true;
    }

    /// Count rows the reader skipped (empty or zero values).
    pub fn add_skipped(&mut self, n: u64) {
        self.skipped_rows += n;
    }

    /// Record a problem found by the reader.
    pub fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// True when so many problems were found that reading on would only count them, or when
    /// the graph would not fit in memory.
    pub fn is_full(&self) -> bool {
        self.problems.is_full() || self.watch.error.is_some()
    }

    /// Number of problems so far.
    pub fn problem_count(&self) -> usize {
        self.problems.len()
    }

    /// Add a sector to the table.
    pub fn add_sector(&mut self, id: &str, name: Option<String>, place: Place) {
        self.add_sector_with(id, name, None, place);
    }

    /// Add a sector to the table with its goods flag (`Some(true)`: a tradable goods sector,
    /// `Some(false)`: services, `None`: not said; see [`crate::model::sector_kinds`]).
    pub fn add_sector_with(
        &mut self,
        id: &str,
        name: Option<String>,
        goods: Option<bool>,
        place: Place,
    ) {
        if id.is_empty() {
            self.problems
                .push(Problem::new(place.at("id"), "empty sector id"));
            return;
        }
        if self.sector_index.contains_key(id) {
            self.problems.push(Problem::new(
                place.at("id"),
                format!("duplicate sector id '{}'", clip(id)),
            ));
            return;
        }
        if let Some(p) = id_problem(id, "sector id", place.at("id")) {
            self.problems.push(p);
        }
        let sid = SectorId::new(self.sectors.len());
        self.sectors.push(Sector {
            id: id.to_string(),
            name,
            goods,
        });
        self.sector_index.insert(id.into(), sid);
    }

    /// The id of sector `code`, declaring it if sectors are not declared up front.
    fn sector_ref(&mut self, code: &str, place: &Place, field: &str) -> Option<SectorId> {
        self.sector_ref_checked(code, place, field, true)
    }

    fn sector_ref_checked(
        &mut self,
        code: &str,
        place: &Place,
        field: &str,
        check: bool,
    ) -> Option<SectorId> {
        if let Some(&s) = self.sector_index.get(code) {
            return Some(s);
        }
        if code.is_empty() {
            self.problems
                .push(Problem::new(place.at(field), "empty sector id"));
            return None;
        }
        if self.sectors_declared {
            if self.problems.is_full() {
                // Counted only: no message is made, and no suggestion looked for.
                self.problems.add_more(1);
                return None;
            }
            let mut p = Problem::new(
                place.at(field),
                format!("unknown sector '{}' (not in \"sectors\")", clip(code)),
            );
            let names = self.sectors.iter().map(|s| s.id.as_str());
            if let Some(c) = closest_within(code, names, &mut self.suggest_budget) {
                p = p.hint(did_you_mean(code, &c));
            }
            self.problems.push(p);
            return None;
        }
        if let Some(p) = check
            .then(|| id_problem(code, "sector id", place.at(field)))
            .flatten()
        {
            self.problems.push(p);
        }
        let sid = SectorId::new(self.sectors.len());
        self.sectors.push(Sector {
            id: code.to_string(),
            name: None,
            goods: None,
        });
        self.sector_index.insert(code.into(), sid);
        Some(sid)
    }

    /// Hint that `id` is about to be looked up (see [`IdIndex::prefetch`]).
    #[inline]
    pub(crate) fn prefetch(&self, id: &str) {
        self.index.prefetch(id);
    }

    fn intern(&mut self, id: &str, place: &Place, field: &str) -> NodeIx {
        self.intern_checked(id, place, field, true)
    }

    /// [`Self::intern`]; `check` false for ids a reader has already checked (with a better
    /// place than this one).
    fn intern_checked(&mut self, id: &str, place: &Place, field: &str, check: bool) -> NodeIx {
        let next = self.nodes.len() as u32;
        let (i, inserted) = self.index.get_or_insert(id, next);
        if !inserted {
            return NodeIx::new(i as usize);
        }
        if let Some(p) = check
            .then(|| id_problem(id, "node id", place.at(field)))
            .flatten()
        {
            self.problems.push(p);
        }
        let ix = NodeIx::new(self.nodes.len());
        self.nodes.push(Node::new(id));
        self.decl.push(UNDECLARED);
        self.watch.add(0, 1);
        if !self.auto_nodes {
            self.first_ref.insert(ix.index() as u32, place.at(field));
        }
        ix
    }

    /// Declare a node. `sector` makes it a country-sector node; its `country` is then required
    /// (or taken from an id of the form `CTRY:SECTOR`).
    pub fn add_node(
        &mut self,
        id: &str,
        country: Option<&str>,
        sector: Option<&str>,
        extra: Option<NodeExtra>,
        place: Place,
    ) {
        if id.is_empty() {
            self.problems
                .push(Problem::new(place.at("id"), "empty node id"));
            return;
        }
        let ix = self.intern(id, &place, "id");
        let i = ix.index();
        if self.decl[i] != UNDECLARED {
            let first = match place {
                Place::Item(list, _) => format!("{list}[{}]", self.decl[i]),
                _ => "an earlier node".to_string(),
            };
            self.problems.push(
                Problem::new(
                    place.at("id"),
                    format!("duplicate node id '{}' (first at {first})", clip(id)),
                )
                .hint("each node id must be unique"),
            );
            return;
        }
        self.decl[i] = self.declared;
        self.declared += 1;
        self.first_ref.remove(&(i as u32));

        let sector_id = sector.and_then(|s| self.sector_ref(s, &place, "sector"));
        // A node's country is an id too (of the country view): the same rules.
        if let Some(p) = country.and_then(|c| id_problem(c, "country", place.at("country"))) {
            self.problems.push(p);
        }
        let mut country = country.map(Box::<str>::from);
        if sector.is_some() {
            if self.first_sector_node.is_none() {
                self.first_sector_node = Some((place.at(""), id.into()));
            }
            if country.is_none() {
                match id.split_once(':') {
                    Some((c, _)) if !c.is_empty() => country = Some(c.into()),
                    _ => self.problems.push(
                        Problem::new(
                            place.at("country"),
                            format!("country-sector node '{}' has no country", clip(id)),
                        )
                        .hint("add \"country\", or use an id of the form CTRY:SECTOR"),
                    ),
                }
            }
        } else if self.first_plain_node.is_none() {
            self.first_plain_node = Some((place.at(""), id.into()));
        }
        if let Some(x) = &extra {
            self.check_node_numbers(x, &place);
        }
        let node = &mut self.nodes[ix.index()];
        node.country = country;
        node.sector = sector_id;
        node.extra = extra.map(Box::new);
    }

    fn check_node_numbers(&mut self, x: &NodeExtra, place: &Place) {
        for (field, v) in [("output", x.output), ("gdp", x.gdp)] {
            if let Some(v) = v {
                if !v.is_finite() || v < 0.0 {
                    self.problems.push(Problem::new(
                        place.at(field),
                        format!("{field} must be a finite number >= 0, found {v}"),
                    ));
                }
            }
        }
    }

    /// Add a flow. Checks the value (finite, >= 0) and the sector; endpoints are resolved at
    /// [`build`](Self::build) (or declared on the spot in auto-node mode).
    #[allow(clippy::too_many_arguments)]
    pub fn add_flow(
        &mut self,
        from: &str,
        to: &str,
        sector: Option<&str>,
        value: f64,
        year: Option<u16>,
        extra: Option<FlowExtra>,
        place: Place,
    ) {
        let mut ok = true;
        let [from_key, to_key, value_key] = self.names.clone();
        if !value.is_finite() {
            self.problems.push(
                Problem::new(
                    place.at(&value_key),
                    format!("flow value must be finite, found {value}"),
                )
                .hint("remove the flow or give its real value"),
            );
            ok = false;
        } else if value < 0.0 {
            self.problems.push(
                Problem::new(place.at(&value_key), format!("flow value must be >= 0, found {value}"))
                    .hint("flows are gross values; net or negative entries (e.g. inventory changes) belong in final_demand"),
            );
            ok = false;
        }
        for (field, id) in [(&from_key, from), (&to_key, to)] {
            if id.is_empty() {
                self.problems
                    .push(Problem::new(place.at(field), "empty node id"));
                ok = false;
            }
        }
        let sector = match sector {
            Some(s) => match self.sector_ref(s, &place, "sector") {
                Some(sid) => Some(sid),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        if !ok {
            return;
        }
        let a = match &self.last_from {
            Some((id, ix)) if **id == *from => *ix,
            _ => {
                let ix = self.intern(from, &place, &from_key);
                self.last_from = Some((from.into(), ix));
                ix
            }
        };
        let b = self.intern(to, &place, &to_key);
        if a == b {
            self.self_loop_count += 1;
            if self.self_loops.len() < 5 {
                self.self_loops.push(place.at(""));
            }
        }
        self.flow_run().push(Link {
            from: a.index() as u32,
            to: b.index() as u32,
            flow: Flow {
                value,
                sector,
                year,
                extra: extra.map(Box::new),
            },
        });
        self.watch.add(1, 0);
    }

    /// The run [`add_flow`](Self::add_flow) adds to.
    fn flow_run(&mut self) -> &mut Vec<Link> {
        if self.edges.is_empty() {
            self.edges.push(Vec::new());
        }
        self.edges.last_mut().expect("a run")
    }

    /// Add a run of flows read elsewhere (a chunk of a file parsed on another thread), with
    /// endpoints and sectors given as local indices into `ids` and `sectors`. Ids are declared
    /// in the order given (auto-node mode), so merging chunks in file order gives the same
    /// graph as reading the file in one pass.
    /// `index` may be empty (then the ids are interned one by one); when it holds `ids` and
    /// the graph has no node yet, it becomes the graph's index as it is.
    pub(crate) fn add_run(
        &mut self,
        ids: &[&str],
        index: IdIndex,
        sectors: &[&str],
        mut run: Vec<Link>,
        self_loops: (usize, Vec<String>),
    ) {
        let sector_map: Vec<Option<SectorId>> = sectors
            .iter()
            .map(|s| self.sector_ref_checked(s, &Place::Code, "sector", false))
            .collect();
        let sectors_same = sector_map
            .iter()
            .enumerate()
            .all(|(i, s)| s.is_some_and(|s| s.index() == i));
        if self.nodes.is_empty() && self.auto_nodes && index.len() == ids.len() {
            // The first run's local ids are the global ones: adopt its index as it is.
            self.index = index;
            self.nodes.extend(ids.iter().map(|id| Node::new(*id)));
            self.watch.add(0, ids.len() as u64);
            self.decl.resize(ids.len(), UNDECLARED);
            if !sectors_same {
                for l in run.iter_mut() {
                    l.flow.sector = l.flow.sector.and_then(|s| sector_map[s.index()]);
                }
            }
        } else {
            drop(index);
            let mut node_map: Vec<u32> = Vec::with_capacity(ids.len());
            for batch in ids.chunks(64) {
                for id in batch {
                    self.index.prefetch(id);
                }
                for id in batch {
                    node_map.push(self.intern_checked(id, &Place::Code, "", false).index() as u32);
                }
            }
            for l in run.iter_mut() {
                l.from = node_map[l.from as usize];
                l.to = node_map[l.to as usize];
                l.flow.sector = l.flow.sector.and_then(|s| sector_map[s.index()]);
            }
        }
        self.self_loop_count += self_loops.0;
        for p in self_loops.1 {
            if self.self_loops.len() < 5 {
                self.self_loops.push(p);
            }
        }
        self.last_from = None;
        self.watch.add(run.len() as u64, 0);
        self.edges.push(run);
    }

    /// The graph's sectors for `codes` (declared in order on first use, each checked as
    /// [`add_run`](Self::add_run) checks a run's sectors).
    pub(crate) fn sector_refs(&mut self, codes: &[&str]) -> Vec<Option<SectorId>> {
        codes
            .iter()
            .map(|s| self.sector_ref_checked(s, &Place::Code, "sector", false))
            .collect()
    }

    /// Take the nodes and flows of an edge list interned elsewhere (read in shards on several
    /// threads): `nodes` in order of first use, flows in input order with the graph's node and
    /// sector indices. Only for a builder in auto-node mode that has no node or flow yet; the
    /// id index is then made on first use.
    pub(crate) fn set_interned(
        &mut self,
        nodes: Vec<Node>,
        flows: Interned,
        self_loops: (usize, Vec<String>),
    ) {
        debug_assert!(self.auto_nodes && self.nodes.is_empty());
        debug_assert!(self.edges.iter().all(Vec::is_empty));
        let m = match &flows {
            Interned::Rows(r) => r.len(),
            Interned::Links(l) => l.len(),
        };
        self.watch.add(m as u64, nodes.len() as u64);
        self.decl = vec![UNDECLARED; nodes.len()];
        self.nodes = nodes;
        match flows {
            Interned::Rows(r) => self.rows = Some(r),
            Interned::Links(l) => self.edges = vec![l],
        }
        self.self_loop_count += self_loops.0;
        self.self_loops.extend(self_loops.1.into_iter().take(5));
        self.last_from = None;
    }

    /// Sizes and totals every analysis relies on: 32-bit node and flow indices, and sums of
    /// values that stay finite (flows are >= 0, so every partial sum and aggregate is below
    /// the total; node figures are summed by absolute value).
    fn check_limits(&mut self) {
        let flows: usize = self.edges.iter().map(Vec::len).sum();
        let max = u32::MAX as usize - 1;
        if self.nodes.len() > max || flows > max {
            self.problems.push(
                Problem::new(
                    "",
                    format!(
                        "{} nodes and {flows} flows: more than tradenet's limit of {max} of either",
                        self.nodes.len()
                    ),
                )
                .hint("split the file (by year or sector) or aggregate it first"),
            );
            return;
        }
        let rescale = "the values are probably in the wrong unit or corrupt; rescale them, for example to millions";
        let total: f64 = self.edges.iter().flatten().map(|l| l.flow.value).sum();
        if !total.is_finite() {
            self.problems.push(
                Problem::new("", "the flow values add up to more than 1.8e308, the largest number a double holds: totals, shares and every analysis would overflow")
                    .hint(rescale),
            );
        }
        let node_total: f64 = self
            .nodes
            .iter()
            .filter_map(|n| n.extra.as_deref())
            .map(|x| {
                let fd = match &x.final_demand {
                    Some(FinalDemand::Total(v)) => v.abs(),
                    Some(FinalDemand::ByDestination(d)) => d.iter().map(|(_, v)| v.abs()).sum(),
                    None => 0.0,
                };
                [x.output, x.value_added, x.gdp]
                    .iter()
                    .flatten()
                    .map(|v| v.abs())
                    .sum::<f64>()
                    + fd
            })
            .sum();
        if !node_total.is_finite() {
            self.problems.push(
                Problem::new("", "the nodes' output, value added, GDP and final demand add up to more than 1.8e308: their totals would overflow")
                    .hint(rescale),
            );
        }
    }

    /// Finish: resolve references, check kinds and self-flows, and return the graph or every
    /// problem found. `file` names the input in messages.
    pub fn build(mut self, file: &str) -> Result<TradeGraph> {
        if let Some(e) = self.watch.error.take() {
            return Err(e);
        }
        if let Some(rows) = self.rows.take() {
            let t = std::time::Instant::now();
            self.edges = vec![Row::into_links(rows)];
            crate::timings::record("links", t);
        }
        let t_check = std::time::Instant::now();
        // References to ids that no node declares. The declared ids are listed once; only the
        // problems kept get a message and a suggestion, the rest are counted.
        if !self.auto_nodes && !self.first_ref.is_empty() {
            let mut refs: Vec<(u32, String)> = self.first_ref.drain().collect();
            refs.sort_unstable();
            let declared: Vec<&str> = self
                .decl
                .iter()
                .zip(&self.nodes)
                .filter(|(&d, _)| d != UNDECLARED)
                .map(|(_, n)| &*n.id)
                .collect();
            for (i, place) in refs {
                if self.problems.is_full() {
                    self.problems.add_more(1);
                    continue;
                }
                let id = &self.nodes[i as usize].id;
                let mut p = Problem::new(
                    place,
                    format!("unknown node '{}' (not in \"nodes\")", clip(id)),
                );
                let names = declared.iter().copied();
                if let Some(c) = closest_within(id, names, &mut self.suggest_budget) {
                    p = p.hint(did_you_mean(id, &c));
                }
                self.problems.push(p);
            }
        }
        if self.nodes.is_empty() && self.problems.is_empty() {
            self.problems.push(
                Problem::new("", "the graph is empty: no nodes and no flows").hint(
                    if self.skipped_rows > 0 {
                        format!(
                            "all {} rows were skipped (empty or zero values)",
                            self.skipped_rows
                        )
                    } else {
                        "a graph needs at least one node".to_string()
                    },
                ),
            );
        }
        // An edge list whose ids all read CTRY:SECTOR holds country-sector nodes: an
        // input-output graph's intermediate flows (self-flows allowed).
        if self.auto_nodes
            && self.declared == 0
            && !self.nodes.is_empty()
            && self.nodes.iter().all(|n| split_pair(&n.id).is_some())
        {
            for i in 0..self.nodes.len() {
                let (c, s) = split_pair(&self.nodes[i].id).expect("checked above");
                let (c, s) = (c.to_string(), s.to_string());
                let sid = self.sector_ref(&s, &Place::Code, "sector");
                let node = &mut self.nodes[i];
                node.country = Some(c.into());
                node.sector = sid;
            }
            let first = self.nodes[0].id.clone();
            self.first_sector_node = Some(("node ids".to_string(), first));
        }
        let kind = match (&self.first_sector_node, &self.first_plain_node) {
            (Some((sp, sid)), Some((pp, pid))) => {
                self.problems.push(
                    Problem::new(
                        pp.clone(),
                        format!("mixed node kinds: '{}' is a country node but '{}' ({sp}) is a country-sector node", clip(pid), clip(sid)),
                    )
                    .hint("one file holds one kind: give every node a sector (input-output graph) or none (trade graph)"),
                );
                GraphKind::Trade
            }
            (Some(_), None) => GraphKind::InputOutput,
            _ => GraphKind::Trade,
        };
        if kind == GraphKind::Trade && self.self_loop_count > 0 {
            let places = self.self_loops.join(", ");
            let more = self.self_loop_count.saturating_sub(self.self_loops.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            self.problems.push(
                Problem::new(places + &tail, "self-flow (from == to) in a trade graph").hint(
                    "self-flows are allowed only in input-output graphs (country-sector nodes, ids of the form CTRY:SECTOR); drop domestic rows",
                ),
            );
        }
        self.check_limits();
        self.problems.into_result(file)?;
        crate::timings::record("checks", t_check);

        let t = std::time::Instant::now();
        let (nodes, links) = assemble(self.nodes, self.edges, &self.decl, &mut self.index);
        // A reader that interned the ids itself leaves the index to be made on first use.
        let index = if self.index.len() == nodes.len() {
            self.index.into()
        } else {
            Default::default()
        };
        crate::timings::record("assemble", t);
        Ok(TradeGraph {
            meta: self.meta,
            sectors: self.sectors,
            sector_index: self.sector_index,
            nodes,
            links,
            petgraph: Default::default(),
            index,
            kind,
            skipped_rows: self.skipped_rows,
            warnings: Vec::new(),
        })
    }
}

/// `("CAN", "c15")` for an id `CAN:c15`; `None` unless the id has exactly one `:` with text on
/// both sides.
fn split_pair(id: &str) -> Option<(&str, &str)> {
    let (c, s) = id.split_once(':')?;
    (!c.is_empty() && !s.is_empty() && !s.contains(':')).then_some((c, s))
}

/// The nodes and flows of the graph: declared nodes in declaration order (then undeclared ones
/// in order of first use), flows in input order (the runs joined, their ends renumbered when
/// the nodes were reordered).
fn assemble(
    nodes: Vec<Node>,
    edges: Vec<Vec<Link>>,
    decl: &[u32],
    index: &mut IdIndex,
) -> (Vec<Node>, Vec<Link>) {
    let n = nodes.len();
    let in_order = decl
        .iter()
        .enumerate()
        .all(|(i, &d)| d == UNDECLARED || d as usize == i);
    let mut edges: Vec<Vec<Link>> = edges.into_iter().filter(|r| !r.is_empty()).collect();
    // One run (a file read in one pass, or in one chunk) is kept as it is: no copy.
    let mut links = if edges.len() == 1 {
        edges.pop().expect("one run")
    } else {
        let m = edges.iter().map(Vec::len).sum();
        let mut all = Vec::with_capacity(m);
        for run in edges {
            all.extend(run);
        }
        all
    };
    if in_order {
        return (nodes, links);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (decl[i] == UNDECLARED, decl[i], i));
    let mut new_of = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        new_of[old] = new as u32;
    }
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    let nodes: Vec<Node> = order
        .iter()
        .map(|&old| slots[old].take().expect("each node moved once"))
        .collect();
    for (i, node) in nodes.iter().enumerate() {
        index.set(&node.id, i as u32);
    }
    for l in &mut links {
        l.from = new_of[l.from as usize];
        l.to = new_of[l.to as usize];
    }
    (nodes, links)
}

impl TradeGraph {
    /// [`from_parts`](Self::from_parts) from a petgraph graph (its nodes and flows in order).
    pub(crate) fn from_petgraph(
        meta: Meta,
        sectors: Vec<Sector>,
        g: DiGraph<Node, Flow, u32>,
        kind: GraphKind,
    ) -> TradeGraph {
        let (nodes, edges) = g.into_nodes_edges();
        let links = edges
            .into_iter()
            .map(|e| Link {
                from: e.source().index() as u32,
                to: e.target().index() as u32,
                flow: e.weight,
            })
            .collect();
        let nodes = nodes.into_iter().map(|n| n.weight).collect();
        Self::from_parts(meta, sectors, (nodes, links), kind)
    }

    /// Make a graph directly from parts that are already valid (used by views).
    pub(crate) fn from_parts(
        meta: Meta,
        sectors: Vec<Sector>,
        (nodes, links): (Vec<Node>, Vec<Link>),
        kind: GraphKind,
    ) -> TradeGraph {
        let sector_index = sectors
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str().into(), SectorId::new(i)))
            .collect();
        TradeGraph {
            meta,
            sectors,
            sector_index,
            nodes,
            links,
            petgraph: Default::default(),
            index: Default::default(),
            kind,
            skipped_rows: 0,
            warnings: Vec::new(),
        }
    }
}

/// A problem when `id` cannot be told apart from another id, or would not survive an export:
/// a control character (tab and line breaks included; DOT, XML and CSV lose them or change
/// the id, and XML 1.0 cannot hold most of them at all, so two ids could become one), a
/// noncharacter, a line or paragraph separator, an [invisible](is_invisible) character (a bidi
/// override shows `ASU` as `USA`; a zero-width space makes `CAN` and `CA\u{200b}N` two ids that
/// look like one), or nothing but white space (as a CSV reader refuses a blank id).
pub(crate) fn id_problem(id: &str, what: &str, place: String) -> Option<Problem> {
    if !id.is_empty() && id.chars().all(char::is_whitespace) && !id.chars().any(char::is_control) {
        return Some(
            Problem::new(
                place,
                format!(
                    "{what} '{}' is only white space ({})",
                    clip(id),
                    code_points(id)
                ),
            )
            .hint("give it a visible id, or leave the row out"),
        );
    }
    let c = id.chars().find(|&c| {
        c.is_control()
            || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{2028}' | '\u{2029}')
            || is_invisible(c)
    })?;
    let (kind, hint) = if c.is_control() {
        ("control character", "remove or replace control characters (tabs and line breaks included) in ids; names may keep line breaks")
    } else if matches!(c, '\u{FFFE}' | '\u{FFFF}') {
        ("noncharacter", "remove or replace control characters (tabs and line breaks included) in ids; names may keep line breaks")
    } else if matches!(c, '\u{2028}' | '\u{2029}') {
        ("line break", "remove or replace control characters (tabs and line breaks included) in ids; names may keep line breaks")
    } else if matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    {
        ("invisible bidi control", "remove bidi overrides, isolates and marks from ids: they change how text around them is shown, so one id can look like another")
    } else if matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}') {
        ("zero-width character", "remove zero-width and other invisible characters from ids: they make two different ids look the same")
    } else {
        ("invisible character", "remove zero-width and other invisible characters from ids: they make two different ids look the same")
    };
    Some(
        Problem::new(
            place,
            format!(
                "{what} '{}' contains the {kind} U+{:04X}",
                clip(id),
                c as u32
            ),
        )
        .hint(hint),
    )
}
