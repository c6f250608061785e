//! Views: new graphs made from a graph (a sector layer, sectors summed, countries, regions,
//! an ego network, one year, a subset of nodes). Each returns a valid [`TradeGraph`].

use super::{Flow, GraphKind, Link, Meta, Node, NodeIx, SectorId, TradeGraph};
use crate::error::{Error, Result};
use crate::model::FastMap;
use petgraph::graph::DiGraph;
use std::collections::VecDeque;

/// Which flows an ego network follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Flows out of the centre (its markets).
    Out,
    /// Flows into the centre (its suppliers).
    In,
    /// Both (the default).
    #[default]
    Both,
}

fn with_note(meta: &Meta, note: &str) -> Meta {
    let mut m = meta.clone();
    m.notes = Some(match &m.notes {
        Some(n) if !n.is_empty() => format!("{n} | view: {note}"),
        _ => format!("view: {note}"),
    });
    m
}

/// Sum flows by key, keeping the first-seen order of keys (deterministic).
struct Summer<K: std::hash::Hash + Eq + Copy> {
    index: FastMap<K, usize>,
    items: Vec<(K, f64)>,
}

impl<K: std::hash::Hash + Eq + Copy> Summer<K> {
    fn new() -> Self {
        Summer {
            index: FastMap::default(),
            items: Vec::new(),
        }
    }
    fn add(&mut self, k: K, v: f64) {
        match self.index.get(&k) {
            Some(&i) => self.items[i].1 += v,
            None => {
                self.index.insert(k, self.items.len());
                self.items.push((k, v));
            }
        }
    }
}

impl TradeGraph {
    /// The nodes `node` maps to `Some` (renumbered in order) and the flows `flow` maps to
    /// `Some` among them, in order, as petgraph's `filter_map` makes them: `flow` is asked only
    /// of flows whose two ends are kept.
    fn filter_map(
        &self,
        mut node: impl FnMut(NodeIx, &Node) -> Option<Node>,
        mut flow: impl FnMut(usize, &Link) -> Option<Flow>,
    ) -> (Vec<Node>, Vec<Link>) {
        const GONE: u32 = u32::MAX;
        let mut new_of = vec![GONE; self.node_count()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(n) = node(NodeIx::new(i), n) {
                new_of[i] = nodes.len() as u32;
                nodes.push(n);
            }
        }
        let mut links = Vec::new();
        for (e, l) in self.links.iter().enumerate() {
            let (from, to) = (new_of[l.from as usize], new_of[l.to as usize]);
            if from != GONE && to != GONE {
                if let Some(f) = flow(e, l) {
                    links.push(Link { from, to, flow: f });
                }
            }
        }
        (nodes, links)
    }

    /// The sector view: the flows of the given sectors only (a flow's own sector, or its
    /// supplier's in an input-output graph). All nodes are kept. In an input-output graph the
    /// final demand of a node outside the chosen sectors is dropped too, so that the view sold
    /// to final users is the chosen sectors' output only: every command that takes `--sector`
    /// goes through this one rule, and `countries()` of the layer equals the layer of
    /// `countries()`.
    pub fn sector_layer(&self, sectors: &[SectorId]) -> TradeGraph {
        let io = self.kind == GraphKind::InputOutput;
        let g = self.filter_map(
            |_, n| {
                let outside = io && !n.sector.is_some_and(|s| sectors.contains(&s));
                let mut n = n.clone();
                if outside && n.final_demand().is_some() {
                    n.extra_mut().final_demand = None;
                }
                Some(n)
            },
            |_, l| {
                let s = self.flow_sector(NodeIx::new(l.from as usize), &l.flow)?;
                sectors.contains(&s).then(|| l.flow.clone())
            },
        );
        let names: Vec<&str> = sectors
            .iter()
            .map(|&s| self.sector(s).id.as_str())
            .collect();
        let meta = with_note(&self.meta, &format!("sectors {}", names.join(",")));
        TradeGraph::from_parts(meta, self.sectors.clone(), g, self.kind)
    }

    /// One flow per ordered pair and year, parallel sector flows summed; flows lose their
    /// sector. The years of a multi-year file are kept apart, never summed. Pairs in order of
    /// first appearance.
    pub fn aggregate_sectors(&self) -> TradeGraph {
        let mut sum = Summer::new();
        for (a, b, f) in self.flows() {
            sum.add((a, b, f.year), f.value);
        }
        let mut g = DiGraph::with_capacity(self.node_count(), sum.items.len());
        for n in self.nodes() {
            g.add_node(n.clone());
        }
        for ((a, b, year), v) in sum.items {
            let mut f = Flow::new(v);
            f.year = year;
            g.add_edge(a, b, f);
        }
        let meta = with_note(&self.meta, "sectors summed");
        TradeGraph::from_petgraph(meta, self.sectors.clone(), g, self.kind)
    }

    /// True when some node's final demand is given by destination country (what value-chain
    /// exposure, value added in trade and the country view's final sales abroad need).
    pub fn final_demand_has_destinations(&self) -> bool {
        self.nodes()
            .any(|n| matches!(n.final_demand(), Some(super::FinalDemand::ByDestination(_))))
    }

    /// What the country view of an input-output graph counts as exports: "intermediate + final
    /// sales abroad" when some node's final demand has destinations, else "intermediate
    /// deliveries only (final demand has no destination)": a total without a destination
    /// cannot be sold abroad.
    pub fn country_view_basis(&self) -> &'static str {
        if self.final_demand_has_destinations() {
            "intermediate + final sales abroad"
        } else {
            "intermediate deliveries only: final demand has no destination"
        }
    }

    /// The graph seen as countries. A trade graph is returned as it is. An input-output graph
    /// is aggregated to its countries: domestic deliveries are dropped, deliveries between
    /// countries summed by supplying sector, and final demand sold abroad added as flows (so
    /// exports = intermediate + final sales abroad). Country nodes carry summed output.
    pub fn countries(&self) -> TradeGraph {
        if self.kind == GraphKind::Trade {
            return self.clone();
        }
        let mut country_ix: FastMap<&str, NodeIx> = FastMap::default();
        let mut g: DiGraph<Node, Flow, u32> = DiGraph::default();
        fn add_country<'a>(
            country_ix: &mut FastMap<&'a str, NodeIx>,
            g: &mut DiGraph<Node, Flow, u32>,
            c: &'a str,
            region: Option<&str>,
        ) -> NodeIx {
            *country_ix.entry(c).or_insert_with(|| {
                let mut n = Node::new(c);
                if let Some(r) = region {
                    n.extra_mut().region = Some(r.to_string());
                }
                g.add_node(n)
            })
        }
        let mut of_node = Vec::with_capacity(self.node_count());
        for n in self.nodes() {
            let c = add_country(&mut country_ix, &mut g, n.country_id(), n.region());
            if n.extra.as_ref().is_some_and(|x| x.aggregate) {
                g[c].extra_mut().aggregate = true;
            }
            if let Some(x) = n.output() {
                let e = g[c].extra_mut();
                e.output = Some(e.output.unwrap_or(0.0) + x);
            }
            of_node.push(c);
        }
        let mut sum: Summer<(NodeIx, NodeIx, Option<SectorId>)> = Summer::new();
        for (a, b, f) in self.flows() {
            let (ca, cb) = (of_node[a.index()], of_node[b.index()]);
            if ca != cb {
                sum.add((ca, cb, self.flow_sector(a, f)), f.value);
            }
        }
        for (i, n) in self.nodes().enumerate() {
            if let Some(super::FinalDemand::ByDestination(d)) = n.final_demand() {
                for (dest, v) in d {
                    let cb = add_country(&mut country_ix, &mut g, dest, None);
                    if of_node[i] != cb && *v != 0.0 {
                        sum.add((of_node[i], cb, n.sector), *v);
                    }
                }
            }
        }
        let mut items = sum.items;
        items.sort_by_key(|&((a, b, s), _)| (a, b, s));
        for ((a, b, s), v) in items {
            // Negative net final demand abroad (inventory drawdowns) cannot be a flow.
            if v > 0.0 {
                g.add_edge(
                    a,
                    b,
                    Flow {
                        value: v,
                        sector: s,
                        year: None,
                        extra: None,
                    },
                );
            }
        }
        let meta = with_note(
            &self.meta,
            &format!(
                "input-output graph aggregated to countries ({})",
                self.country_view_basis()
            ),
        );
        TradeGraph::from_petgraph(meta, self.sectors.clone(), g, GraphKind::Trade)
    }

    /// The graph aggregated to regions (a node's `region`; input-output graphs are first seen
    /// as countries). Flows within a region are dropped. Fails naming the first node without a
    /// region.
    pub fn regions(&self) -> Result<TradeGraph> {
        let c = self.countries();
        let mut region_ix: FastMap<&str, NodeIx> = FastMap::default();
        let mut g: DiGraph<Node, Flow, u32> = DiGraph::default();
        let mut of_node = Vec::with_capacity(c.node_count());
        for n in c.nodes() {
            let r = n.region().ok_or_else(|| {
                Error::Unsuited(format!(
                    "node '{}' has no region, so the graph cannot be seen by region",
                    crate::text::clip(&n.id)
                ))
            })?;
            of_node.push(
                *region_ix
                    .entry(r)
                    .or_insert_with(|| g.add_node(Node::new(r))),
            );
        }
        // Years stay apart: a multi-year file gives one flow per region pair, sector and year.
        let mut sum: Summer<(NodeIx, NodeIx, Option<SectorId>, Option<u16>)> = Summer::new();
        for (a, b, f) in c.flows() {
            let (ra, rb) = (of_node[a.index()], of_node[b.index()]);
            if ra != rb {
                sum.add((ra, rb, f.sector, f.year), f.value);
            }
        }
        let mut items = sum.items;
        items.sort_by_key(|&((a, b, s, y), _)| (a, b, s, y));
        for ((a, b, s, year), v) in items {
            g.add_edge(
                a,
                b,
                Flow {
                    value: v,
                    sector: s,
                    year,
                    extra: None,
                },
            );
        }
        let meta = with_note(
            &self.meta,
            "aggregated to regions, flows within a region dropped",
        );
        Ok(TradeGraph::from_petgraph(
            meta,
            self.sectors.clone(),
            g,
            GraphKind::Trade,
        ))
    }

    /// The nodes for which `keep` is true and the flows among them.
    pub fn subgraph(&self, keep: &[bool], note: &str) -> TradeGraph {
        let g = self.filter_map(
            |i, n| keep[i.index()].then(|| n.clone()),
            |_, l| Some(l.flow.clone()),
        );
        TradeGraph::from_parts(
            with_note(&self.meta, note),
            self.sectors.clone(),
            g,
            self.kind,
        )
    }

    /// The ego network of `center`: the flows that touch it, and with `hops` > 1 the flows
    /// of the nodes they reach, `hops` steps out along sales and in along purchases
    /// (`direction` chooses one or both): a flow u -> v is kept when u is within `hops - 1`
    /// sales of the centre, or v within `hops - 1` purchases. Flows among the centre's
    /// partners that do not pass through it are not (an induced subgraph of the partners would
    /// be the whole world again for a large trader). Nodes: the centre and those of the kept
    /// flows.
    pub fn ego(&self, center: &str, hops: usize, direction: Direction) -> Result<TradeGraph> {
        let c = self.require_node(center)?;
        // Steps from the centre along sales (`out`) or purchases (usize::MAX: not within
        // `hops`), over the neighbours of each node listed once.
        let reach = |out: bool| {
            let ends = |l: &Link| if out { (l.from, l.to) } else { (l.to, l.from) };
            let mut start = vec![0usize; self.node_count() + 1];
            for l in &self.links {
                start[ends(l).0 as usize + 1] += 1;
            }
            for i in 0..self.node_count() {
                start[i + 1] += start[i];
            }
            let mut next = start.clone();
            let mut adj = vec![0u32; self.links.len()];
            for l in &self.links {
                let (u, v) = ends(l);
                adj[next[u as usize]] = v;
                next[u as usize] += 1;
            }
            let mut dist = vec![usize::MAX; self.node_count()];
            dist[c.index()] = 0;
            let mut queue = VecDeque::from([c]);
            while let Some(u) = queue.pop_front() {
                let d = dist[u.index()];
                if d + 1 >= hops {
                    continue;
                }
                for &v in &adj[start[u.index()]..start[u.index() + 1]] {
                    let v = NodeIx::new(v as usize);
                    if dist[v.index()] == usize::MAX {
                        dist[v.index()] = d + 1;
                        queue.push_back(v);
                    }
                }
            }
            dist
        };
        let none = vec![usize::MAX; self.node_count()];
        let out = if direction != Direction::In {
            reach(true)
        } else {
            none.clone()
        };
        let inn = if direction != Direction::Out {
            reach(false)
        } else {
            none
        };
        let within = |d: usize| hops > 0 && d < hops;
        let mut keep_node = vec![false; self.node_count()];
        keep_node[c.index()] = true;
        let mut keep_flow = vec![false; self.flow_count()];
        for (e, l) in self.links.iter().enumerate() {
            let (u, v) = (l.from as usize, l.to as usize);
            if within(out[u]) || within(inn[v]) {
                keep_flow[e] = true;
                keep_node[u] = true;
                keep_node[v] = true;
            }
        }
        let g = self.filter_map(
            |i, n| keep_node[i.index()].then(|| n.clone()),
            |e, l| keep_flow[e].then(|| l.flow.clone()),
        );
        Ok(TradeGraph::from_parts(
            with_note(
                &self.meta,
                &format!("ego network of {center}, {hops} hop(s)"),
            ),
            self.sectors.clone(),
            g,
            self.kind,
        ))
    }

    /// The nodes of the listed countries (a country node, or every country-sector node of the
    /// country) and the flows among them. Unknown countries fail with a suggestion.
    pub fn only_countries(&self, countries: &[&str]) -> Result<TradeGraph> {
        for c in countries {
            self.require_country(c)?;
        }
        let keep: Vec<bool> = self
            .nodes()
            .map(|n| countries.contains(&n.country_id()))
            .collect();
        Ok(self.subgraph(&keep, &format!("countries {}", countries.join(","))))
    }

    /// The rule for analyses that must never sum the years of a multi-year file: a graph with
    /// flows of two or more years is cut to its latest year, returned with that year and the
    /// number of years, so that the caller can say so; any other graph gives `None` (use it as
    /// it is).
    pub fn latest_year(&self) -> Result<Option<(TradeGraph, u16, usize)>> {
        let years = self.years();
        match years.last() {
            Some(&last) if years.len() > 1 => Ok(Some((self.year(last)?, last, years.len()))),
            _ => Ok(None),
        }
    }

    /// One year of a multi-year file: the flows of `year` (flows without a year are kept), and
    /// the nodes that trade in that year or in none (nodes that trade only in other years are
    /// dropped).
    /// Fails when no flow has that year, naming the years there are.
    pub fn year(&self, year: u16) -> Result<TradeGraph> {
        let years = self.years();
        if years.is_empty() {
            // A single-year graph: its year is meta.year.
            return match self.meta.year {
                Some(y) if y == year as i64 => Ok(self.clone()),
                Some(y) => Err(Error::Unsuited(format!(
                    "no flows of year {year}: the graph is of year {y}"
                ))),
                None => Err(Error::Unsuited(format!(
                    "no flows of year {year}: neither the flows nor \"meta\" give a year"
                ))),
            };
        }
        if !years.contains(&year) {
            let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
            let nearest = years
                .iter()
                .min_by_key(|&&y| (y as i32 - year as i32).abs())
                .expect("non-empty");
            return Err(Error::Unsuited(format!(
                "no flows of year {year} (the file has {}; nearest: {nearest})",
                list.join(", ")
            )));
        }
        // A node that trades in other years but not in this one is not part of this year's
        // network (as when a CSV edge list is read for one year); a node without any flow, as
        // declared in a JSON file, is kept.
        let mut in_year = vec![false; self.node_count()];
        let mut trades = vec![false; self.node_count()];
        for (a, b, f) in self.flows() {
            let here = f.year.is_none_or(|y| y == year);
            for n in [a.index(), b.index()] {
                trades[n] = true;
                in_year[n] |= here;
            }
        }
        let g = self.filter_map(
            |i, n| (in_year[i.index()] || !trades[i.index()]).then(|| n.clone()),
            |_, l| (l.flow.year.is_none_or(|y| y == year)).then(|| l.flow.clone()),
        );
        let mut meta = with_note(&self.meta, &format!("year {year}"));
        meta.year = Some(year as i64);
        let mut view = TradeGraph::from_parts(meta, self.sectors.clone(), g, self.kind);
        view.skipped_rows = self.skipped_rows;
        Ok(view)
    }
}
