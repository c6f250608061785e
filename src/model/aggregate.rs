//! Aggregation views: countries merged into regions ([`TradeGraph::group_countries`]) and
//! sectors merged into groups ([`TradeGraph::group_sectors`]), each from a [`Grouping`]
//! (member -> group). Totals are preserved: every flow value lands in exactly one aggregated
//! flow, except flows that become self-flows of a trade graph (dropped, and counted in the
//! note), which is what "trade between regions" means.

use super::{FinalDemand, Flow, GraphKind, Meta, Node, NodeIx, Sector, SectorId, TradeGraph};
use crate::error::{Error, Problem, Result};
use crate::model::FastMap;
use crate::text::clip_list;
use petgraph::graph::DiGraph;
use serde_json::{json, Value};

/// A many-to-one map of members (countries, or sectors) to groups (regions, sector groups),
/// with optional group names. Made in code or read from a `member,group` CSV file
/// ([`crate::io::read_grouping`]).
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    map: FastMap<String, String>,
    names: FastMap<String, String>,
    /// Where the grouping came from (a file name), for messages.
    pub source: String,
}

impl Grouping {
    /// An empty grouping; `source` names it in messages (a file, or `<code>`).
    pub fn new(source: impl Into<String>) -> Self {
        Grouping {
            source: source.into(),
            ..Default::default()
        }
    }
    /// Put `member` in `group`. A member given twice keeps its last group (readers check
    /// conflicts before).
    pub fn insert(&mut self, member: impl Into<String>, group: impl Into<String>) {
        self.map.insert(member.into(), group.into());
    }
    /// Give `group` a readable name.
    pub fn name_group(&mut self, group: impl Into<String>, name: impl Into<String>) {
        self.names.insert(group.into(), name.into());
    }
    /// The group of `member`, if listed.
    pub fn group_of(&self, member: &str) -> Option<&str> {
        self.map.get(member).map(String::as_str)
    }
    /// The name given to `group`, if any.
    pub fn group_name(&self, group: &str) -> Option<&str> {
        self.names.get(group).map(String::as_str)
    }
    /// Number of members listed.
    pub fn len(&self) -> usize {
        self.map.len()
    }
    /// Whether no member is listed.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// How an aggregation treats what the grouping does not list, and what it marks.
#[derive(Debug, Clone, Copy)]
pub struct GroupParams {
    /// Members of the graph not in the grouping stay as they are (default `false`: they are an
    /// error listing them).
    pub keep_unlisted: bool,
    /// Mark a group of two or more countries of the graph `aggregate` (default `true`): a
    /// region is not one economy (see [`Node::is_aggregate`]). Off for code tables whose
    /// groups are one economy under two codes (BACI's 58 and 56 for Belgium).
    pub mark_aggregate: bool,
}

impl Default for GroupParams {
    fn default() -> Self {
        GroupParams {
            keep_unlisted: false,
            mark_aggregate: true,
        }
    }
}

/// What an aggregation did, beyond the graph: written into the note of the view and kept here
/// for callers (the readers of BACI and Comtrade use it in their own notes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupReport {
    /// Members of the graph that were merged into a group with another name or with others.
    pub merged: usize,
    /// Members of the graph kept as they are because they are not listed (`keep_unlisted`).
    pub unlisted: Vec<String>,
    /// Flows that became self-flows of a trade graph and were dropped, and their value.
    pub dropped_inside: (usize, f64),
}

fn note(meta: &Meta, text: &str) -> Meta {
    let mut m = meta.clone();
    m.notes = Some(match &m.notes {
        Some(n) if !n.is_empty() => format!("{n} | view: {text}"),
        _ => format!("view: {text}"),
    });
    m
}

/// The members of `present` that the grouping does not list, as an error (unless kept).
fn check_unlisted(
    what: &str,
    flag_hint: &str,
    present: &[&str],
    grouping: &Grouping,
    params: &GroupParams,
) -> Result<Vec<String>> {
    let mut missing: Vec<String> = present
        .iter()
        .filter(|m| grouping.group_of(m).is_none())
        .map(|m| m.to_string())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() && !params.keep_unlisted {
        return Err(Error::invalid(
            &grouping.source,
            Problem::new(
                "",
                format!(
                    "{} {what} of the graph are not in the file: {}",
                    missing.len(),
                    clip_list(missing.iter().map(String::as_str), 30)
                ),
            )
            .hint(format!(
                "add a row for each ({flag_hint}), or give --keep-unlisted to keep them as they are"
            )),
        ));
    }
    Ok(missing)
}

/// Sums keyed values in first-seen order, remembering the one flow of a key seen once (so that
/// a flow that is not merged keeps its quantity, tariff and attributes).
struct FlowSum<K> {
    index: FastMap<K, usize>,
    items: Vec<(K, Flow, usize)>,
}

impl<K: std::hash::Hash + Eq + Copy> FlowSum<K> {
    fn new() -> Self {
        FlowSum {
            index: FastMap::default(),
            items: Vec::new(),
        }
    }
    fn add(&mut self, k: K, f: &Flow) {
        match self.index.get(&k) {
            Some(&i) => {
                let it = &mut self.items[i];
                it.1.value += f.value;
                it.2 += 1;
                // A merged flow has no single quantity, tariff or attributes.
                it.1.extra = None;
            }
            None => {
                self.index.insert(k, self.items.len());
                self.items.push((k, f.clone(), 1));
            }
        }
    }
}

/// Merge the extra fields of `from` into the node extra of `into` (sums of numbers; final
/// demand by destination, destinations renamed by `dest`).
fn merge_node_numbers(into: &mut Node, from: &Node, dest: &dyn Fn(&str) -> String) {
    let Some(x) = from.extra.as_deref() else {
        return;
    };
    let e = into.extra_mut();
    let add = |a: &mut Option<f64>, b: Option<f64>| {
        if let Some(b) = b {
            *a = Some(a.unwrap_or(0.0) + b);
        }
    };
    add(&mut e.output, x.output);
    add(&mut e.value_added, x.value_added);
    add(&mut e.gdp, x.gdp);
    if x.aggregate {
        e.aggregate = true;
    }
    match (&mut e.final_demand, &x.final_demand) {
        (_, None) => {}
        (slot @ None, Some(fd)) => {
            *slot = Some(match fd {
                FinalDemand::Total(v) => FinalDemand::Total(*v),
                FinalDemand::ByDestination(d) => {
                    let mut out: Vec<(String, f64)> = Vec::new();
                    for (k, v) in d {
                        push_dest(&mut out, dest(k), *v);
                    }
                    FinalDemand::ByDestination(out)
                }
            })
        }
        (Some(FinalDemand::ByDestination(a)), Some(FinalDemand::ByDestination(b))) => {
            for (k, v) in b {
                push_dest(a, dest(k), *v);
            }
        }
        (Some(a), Some(b)) => {
            // One total and one by destination: only the total can be kept.
            *a = FinalDemand::Total(a.total() + b.total());
        }
    }
}

fn push_dest(out: &mut Vec<(String, f64)>, k: String, v: f64) {
    match out.iter_mut().find(|(d, _)| *d == k) {
        Some(slot) => slot.1 += v,
        None => out.push((k, v)),
    }
}

impl TradeGraph {
    /// Countries merged into groups (regions): a country node `CAN` becomes `NAFTA`, a
    /// country-sector node `CAN:C29` becomes `NAFTA:C29` (final-demand destinations are
    /// renamed too). Flows between the same groups (and sector, and year) are summed. In a
    /// trade graph the flows inside a group are dropped (trade within a region is not trade
    /// between regions) and counted in the note; in an input-output graph they stay, as
    /// domestic deliveries of the region (self-flows). Output, value added, GDP and final demand
    /// of merged nodes are summed. A group of two or more of the graph's countries is marked
    /// `aggregate` (unless `params.mark_aggregate` is false) and lists its `members` in `attrs`.
    ///
    /// Errors: countries of the graph (or final-demand destinations) that the grouping does
    /// not list, unless `params.keep_unlisted`.
    ///
    /// ```
    /// use tradenet::{GraphBuilder, Place, Grouping, GroupParams};
    /// let mut b = GraphBuilder::new();
    /// b.set_auto_nodes(true);
    /// b.add_flow("CAN", "USA", None, 5.0, None, None, Place::Code);
    /// b.add_flow("CAN", "JPN", None, 2.0, None, None, Place::Code);
    /// let g = b.build("<example>").unwrap();
    /// let mut r = Grouping::new("<code>");
    /// for (c, g) in [("CAN", "NAFTA"), ("USA", "NAFTA"), ("JPN", "JPN")] {
    ///     r.insert(c, g);
    /// }
    /// let (v, _) = g.group_countries(&r, &GroupParams::default()).unwrap();
    /// assert_eq!(v.total_value(), 2.0); // CAN -> USA is inside NAFTA
    /// ```
    pub fn group_countries(
        &self,
        grouping: &Grouping,
        params: &GroupParams,
    ) -> Result<(TradeGraph, GroupReport)> {
        let io = self.kind == GraphKind::InputOutput;
        let mut present: Vec<&str> = self.nodes().map(|n| n.country_id()).collect();
        for n in self.nodes() {
            if let Some(FinalDemand::ByDestination(d)) = n.final_demand() {
                present.extend(d.iter().map(|(k, _)| k.as_str()));
            }
        }
        let unlisted = check_unlisted("countries", "country,region", &present, grouping, params)?;
        let group = |c: &str| grouping.group_of(c).unwrap_or(c).to_string();
        // Members of each group among the graph's countries, in order.
        let mut members: FastMap<String, Vec<String>> = FastMap::default();
        for c in self.country_ids() {
            let m = members.entry(group(c)).or_default();
            if !m.iter().any(|x| x == c) {
                m.push(c.to_string());
            }
        }
        let mut report = GroupReport {
            unlisted,
            ..Default::default()
        };
        report.merged = self
            .country_ids()
            .iter()
            .filter(|c| group(c) != **c)
            .count();

        let mut g: DiGraph<Node, Flow, u32> = DiGraph::default();
        let mut ix: FastMap<String, NodeIx> = FastMap::default();
        let mut of_node = Vec::with_capacity(self.node_count());
        for n in self.nodes() {
            let c = n.country_id();
            let r = group(c);
            let id = match n.sector {
                Some(s) if io => format!("{r}:{}", self.sector(s).id),
                _ => r.clone(),
            };
            let m = &members[&r];
            let at = match ix.get(&id) {
                Some(&i) => {
                    merge_node_numbers(&mut g[i], n, &group);
                    i
                }
                None => {
                    let mut node = if m.len() == 1 && m[0] == r {
                        // Not renamed, not merged: the node as it was, its final-demand
                        // destinations following the grouping.
                        let mut node = n.clone();
                        if let Some(FinalDemand::ByDestination(d)) = node
                            .extra
                            .as_deref_mut()
                            .and_then(|x| x.final_demand.as_mut())
                        {
                            let old = std::mem::take(d);
                            for (k, v) in old {
                                push_dest(d, group(&k), v);
                            }
                        }
                        node
                    } else {
                        let mut node = Node::new(id.as_str());
                        node.sector = n.sector;
                        if n.sector.is_some() || n.country.is_some() {
                            node.country = Some(r.as_str().into());
                        }
                        if m.len() == 1 {
                            // Renamed only: keep the name and the rest.
                            if let Some(x) = n.extra.as_deref() {
                                let mut x = x.clone();
                                x.output = None;
                                x.value_added = None;
                                x.gdp = None;
                                x.final_demand = None;
                                node.extra = Some(Box::new(x));
                            }
                            if node.name().is_none() && n.sector.is_none() {
                                if let Some(name) = grouping.group_name(&r) {
                                    node.extra_mut().name = Some(name.to_string());
                                }
                            }
                        } else if let Some(name) = grouping.group_name(&r) {
                            node.extra_mut().name = Some(name.to_string());
                        }
                        merge_node_numbers(&mut node, n, &group);
                        node
                    };
                    if m.len() > 1 {
                        let e = node.extra_mut();
                        if params.mark_aggregate {
                            e.aggregate = true;
                        }
                        e.attrs
                            .get_or_insert_with(Default::default)
                            .insert("members".into(), json!(m));
                    }
                    let i = g.add_node(node);
                    ix.insert(id, i);
                    i
                }
            };
            of_node.push(at);
        }
        let mut sum: FlowSum<(NodeIx, NodeIx, Option<SectorId>, Option<u16>)> = FlowSum::new();
        for (a, b, f) in self.flows() {
            let (ga, gb) = (of_node[a.index()], of_node[b.index()]);
            if ga == gb && !io {
                report.dropped_inside.0 += 1;
                report.dropped_inside.1 += f.value;
                continue;
            }
            sum.add((ga, gb, f.sector, f.year), f);
        }
        for ((a, b, _, _), f, _) in sum.items {
            g.add_edge(a, b, f);
        }
        let groups = members.values().filter(|m| m.len() > 1).count();
        let mut text = format!(
            "{} countries grouped into {} by {} ({groups} of more than one country{})",
            self.country_ids().len(),
            members.len(),
            grouping.source,
            if params.mark_aggregate {
                ", marked aggregate"
            } else {
                ""
            }
        );
        if io {
            text.push_str("; deliveries inside a group kept as its domestic deliveries");
        } else if report.dropped_inside.0 > 0 {
            text.push_str(&format!(
                "; {} flows inside a group dropped (value {}): trade within a region is not trade between regions",
                report.dropped_inside.0,
                crate::io::fmt_value(report.dropped_inside.1)
            ));
        }
        if !report.unlisted.is_empty() {
            text.push_str(&format!(
                "; {} countries not in the file kept as they are",
                report.unlisted.len()
            ));
        }
        let meta = note(&self.meta, &text);
        Ok((
            TradeGraph::from_petgraph(meta, self.sectors.clone(), g, self.kind),
            report,
        ))
    }

    /// Sectors merged into groups: a trade flow's sector becomes its group, a country-sector
    /// node `CAN:C29` becomes `CAN:GROUP` (flows between merged nodes summed, deliveries within
    /// a group kept as self-flows; output and final demand summed). The sector table becomes
    /// the groups, in order of first appearance, named as the grouping names them; a group is
    /// goods when all its sectors are. Flows without a sector are kept as they are.
    ///
    /// Errors: sectors of the graph that the grouping does not list, unless
    /// `params.keep_unlisted` (they are then their own group).
    pub fn group_sectors(
        &self,
        grouping: &Grouping,
        params: &GroupParams,
    ) -> Result<(TradeGraph, GroupReport)> {
        let present: Vec<&str> = self.sectors.iter().map(|s| s.id.as_str()).collect();
        let unlisted = check_unlisted("sectors", "sector,group", &present, grouping, params)?;
        let mut sectors: Vec<Sector> = Vec::new();
        let mut sindex: FastMap<String, SectorId> = FastMap::default();
        let mut map: Vec<SectorId> = Vec::with_capacity(self.sectors.len());
        let mut report = GroupReport {
            unlisted,
            ..Default::default()
        };
        for s in &self.sectors {
            let gid = grouping.group_of(&s.id).unwrap_or(&s.id);
            if gid != s.id {
                report.merged += 1;
            }
            let id = *sindex.entry(gid.to_string()).or_insert_with(|| {
                sectors.push(Sector {
                    id: gid.to_string(),
                    name: if gid == s.id {
                        s.name.clone()
                    } else {
                        grouping.group_name(gid).map(str::to_string)
                    },
                    goods: s.goods,
                });
                SectorId::new(sectors.len() - 1)
            });
            let t = &mut sectors[id.index()];
            if t.goods != s.goods {
                t.goods = match (t.goods, s.goods) {
                    (Some(true), Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                };
            }
            map.push(id);
        }
        let io = self.kind == GraphKind::InputOutput;
        let mut g: DiGraph<Node, Flow, u32> = DiGraph::default();
        let mut ix: FastMap<String, NodeIx> = FastMap::default();
        let mut of_node = Vec::with_capacity(self.node_count());
        let same = |c: &str| c.to_string();
        for n in self.nodes() {
            let (id, sector) = match n.sector {
                Some(s) => {
                    let t = map[s.index()];
                    (
                        format!("{}:{}", n.country_id(), sectors[t.index()].id),
                        Some(t),
                    )
                }
                None => (n.id.to_string(), None),
            };
            let at = match ix.get(&id) {
                Some(&i) => {
                    merge_node_numbers(&mut g[i], n, &same);
                    i
                }
                None => {
                    let node = if n.sector.is_none() || id == *n.id {
                        let mut node = n.clone();
                        node.sector = sector;
                        node
                    } else {
                        let mut node = Node::new(id.as_str());
                        node.country = Some(n.country_id().into());
                        node.sector = sector;
                        if let Some(r) = n.region() {
                            node.extra_mut().region = Some(r.to_string());
                        }
                        merge_node_numbers(&mut node, n, &same);
                        node
                    };
                    let i = g.add_node(node);
                    ix.insert(id, i);
                    i
                }
            };
            of_node.push(at);
        }
        let mut sum: FlowSum<(NodeIx, NodeIx, Option<SectorId>, Option<u16>)> = FlowSum::new();
        for (a, b, f) in self.flows() {
            let mut f2 = f.clone();
            f2.sector = f.sector.map(|s| map[s.index()]);
            sum.add(
                (of_node[a.index()], of_node[b.index()], f2.sector, f.year),
                &f2,
            );
        }
        for ((a, b, _, _), f, _) in sum.items {
            g.add_edge(a, b, f);
        }
        let mut text = format!(
            "{} sectors grouped into {} by {}",
            self.sectors.len(),
            sectors.len(),
            grouping.source
        );
        if io {
            text.push_str("; deliveries inside a group kept as self-flows");
        }
        if !report.unlisted.is_empty() {
            text.push_str(&format!(
                "; {} sectors not in the file kept as they are",
                report.unlisted.len()
            ));
        }
        let meta = note(&self.meta, &text);
        Ok((
            TradeGraph::from_petgraph(meta, sectors, g, self.kind),
            report,
        ))
    }
}

impl TradeGraph {
    /// Mark the nodes whose country is one of `codes` as aggregates (a reader that knows its
    /// pseudo-areas).
    pub(crate) fn mark_aggregate(&mut self, codes: &[&str]) {
        for n in self.nodes.iter_mut() {
            if codes.contains(&n.country_id()) {
                n.extra_mut().aggregate = true;
            }
        }
        self.petgraph = Default::default();
    }

    /// Set the goods flag of every sector (a reader whose sectors are all goods, like HS).
    pub(crate) fn set_goods(&mut self, goods: bool) {
        for s in &mut self.sectors {
            s.goods = Some(goods);
        }
    }
}

/// The `members` attribute of an aggregated node, if any (for callers and tests).
pub fn members_of(n: &Node) -> Vec<String> {
    n.extra
        .as_deref()
        .and_then(|x| x.attrs.as_ref())
        .and_then(|a| a.get("members"))
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
