//! NetworkX node-link JSON (`networkx.node_link_data` / `node_link_graph`), both ways.
//! Reads the `"edges"` key (NetworkX >= 3.4) and the older `"links"`; writes `"edges"`.

use super::fields::{duplicate_key, syntax_problem, Field, Strict};
use super::json::{meta_from_value, node_from_value, push_flow_fields, push_str, push_value};
use crate::error::{Problem, Result};
use crate::model::FastMap;
use crate::model::{FlowExtra, GraphBuilder, Meta, Place, TradeGraph};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Read a node-link document. `weight_attr` names the edge attribute holding the flow value;
/// `None` tries `value`, then `weight`.
///
/// The edges are read one at a time, never held as a whole, when the keys come in NetworkX's
/// order (`directed`, `graph` and `nodes` before `edges` or `links`); otherwise the other
/// keys are read first and the edges after them, with the same result.
pub fn read(bytes: &[u8], weight_attr: Option<&str>) -> Result<TradeGraph> {
    if let Some(p) = super::text::encoding_problem(bytes) {
        return Err(crate::Error::invalid("<input>", p));
    }
    let mut b = GraphBuilder::new();
    b.set_input_bytes(bytes.len() as u64);
    let mut st = DocState {
        weight_attr,
        ..DocState::default()
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = DocSeed {
        b: &mut b,
        st: &mut st,
    }
    .deserialize(&mut de)
    .and_then(|_| de.end());
    if let Err(e) = parsed {
        if b.over_budget() {
            return Err(b.fail("<input>"));
        }
        return Err(crate::Error::invalid("<input>", syntax_problem(&e, bytes)));
    }
    if st.not_object {
        return Err(crate::Error::invalid(
            "<input>",
            Problem::new("", "a node-link document must be a JSON object"),
        ));
    }
    let mut doc = st.doc;
    // Both keys, in any order, streamed or not: which one holds the edges is ambiguous.
    let has = |k: &str| st.streamed == Some(k) || doc.contains_key(k);
    if has("edges") && has("links") {
        b.problem(
            Problem::new(
                "edges",
                "both \"edges\" and \"links\": which holds the edges is ambiguous",
            )
            .hint("keep one of the two keys"),
        );
        return b.build("<input>");
    }
    if st.streamed.is_some() {
        return b.build("<input>");
    }
    let written = prefix(&mut doc, &mut b);
    let weight_attr = weight_attr.or(written.as_deref());
    let (key, edges) = match (doc.remove("edges"), doc.remove("links")) {
        (Some(e), _) => ("edges", e),
        (None, Some(l)) => ("links", l),
        (None, None) => {
            b.problem(
                Problem::new("edges", "missing \"edges\" (or \"links\")")
                    .hint("a node-link file lists its edges under \"edges\" (NetworkX >= 3.4) or \"links\""),
            );
            return b.build("<input>");
        }
    };
    let Value::Array(edges) = edges else {
        b.problem(Problem::new(key, "must be an array"));
        return b.build("<input>");
    };
    for (i, e) in edges.into_iter().enumerate() {
        add_edge(e, Place::Item(key, i), weight_attr, &mut b);
        if b.over_budget() {
            break;
        }
    }
    b.build("<input>")
}

/// The keys NetworkX writes before the edges. When all of them come before `"edges"` (or
/// `"links"`), the edges are read one at a time.
const BEFORE_EDGES: [&str; 3] = ["directed", "graph", "nodes"];

/// Whether [`read`] will stream the edges of `bytes` (a quick scan of the top-level keys).
pub(super) fn streams_edges(bytes: &[u8]) -> bool {
    let mut wanted = BEFORE_EDGES.to_vec();
    wanted.extend(["edges", "links"]);
    let keys = super::top_level_keys(bytes, &wanted, &["edges", "links"]);
    keys.len() == BEFORE_EDGES.len() + 1 && matches!(keys[BEFORE_EDGES.len()], "edges" | "links")
}

#[derive(Default)]
struct DocState<'w> {
    weight_attr: Option<&'w str>,
    /// The top-level keys read so far, but for streamed edges (and those [`prefix`] took).
    doc: Map<String, Value>,
    /// The key whose edges were read one at a time.
    streamed: Option<&'static str>,
    not_object: bool,
}

struct DocSeed<'a, 'w> {
    b: &'a mut GraphBuilder,
    st: &'a mut DocState<'w>,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a node-link JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let st = self.st;
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(duplicate_key(&key)));
            }
            // Edges are streamed once what comes before them in NetworkX's files is in
            // (and "links" only while no "edges" has been seen).
            let edge_key = match key.as_str() {
                "edges" => Some("edges"),
                "links" if !st.doc.contains_key("edges") => Some("links"),
                _ => None,
            };
            let ready = BEFORE_EDGES.iter().all(|k| st.doc.contains_key(*k));
            match edge_key {
                Some(k) if ready && st.streamed.is_none() => {
                    let written = prefix(&mut st.doc, self.b);
                    st.streamed = Some(k);
                    map.next_value_seed(EdgesSeed {
                        b: self.b,
                        key: k,
                        weight_attr: st.weight_attr.or(written.as_deref()),
                    })?;
                }
                _ => {
                    let Strict(v) = map.next_value()?;
                    st.doc.insert(key, v);
                }
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.st.not_object = true;
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        self.st.not_object = true;
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        self.st.not_object = true;
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        self.st.not_object = true;
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        self.st.not_object = true;
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        self.st.not_object = true;
        Ok(())
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        self.st.not_object = true;
        Ok(())
    }
}

/// The edges array, each edge added as it is read.
struct EdgesSeed<'a, 'w> {
    b: &'a mut GraphBuilder,
    key: &'static str,
    weight_attr: Option<&'w str>,
}

impl<'de> DeserializeSeed<'de> for EdgesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EdgesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of edges")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut i = 0usize;
        while let Some(Strict(e)) = seq.next_element()? {
            add_edge(e, Place::Item(self.key, i), self.weight_attr, self.b);
            i += 1;
            if self.b.over_budget() {
                return Err(de::Error::custom(super::json::OVER_BUDGET));
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_array()
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        self.not_array()
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        self.not_array()
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        self.not_array()
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        self.not_array()
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        self.not_array()
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        self.not_array()
    }
}

impl EdgesSeed<'_, '_> {
    fn not_array<E>(self) -> std::result::Result<(), E> {
        self.b.problem(Problem::new(self.key, "must be an array"));
        Ok(())
    }
}

/// How a JSON value is named in a message.
fn value_kind(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{}\"", crate::text::clip(s)),
        Value::Number(n) => format!("the number {n}"),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// What comes before the edges: the direction, the graph attributes, the nodes (each key
/// taken out of `doc`).
fn prefix(doc: &mut Map<String, Value>, b: &mut GraphBuilder) -> Option<String> {
    let mut weight_attr = None;
    match doc.get("directed") {
        None | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => b.problem(Problem::new("directed", "the graph is undirected, but trade flows have a direction").hint(
            "export a directed graph (nx.DiGraph or nx.MultiDiGraph), or G.to_directed() to keep both directions",
        )),
        Some(other) => b.problem(
            Problem::new("directed", format!("must be true or false, found {}", value_kind(other)))
                .hint("write it as NetworkX does: \"directed\": true"),
        ),
    }
    match doc.get("multigraph") {
        None | Some(Value::Bool(_)) => {}
        Some(other) => b.problem(
            Problem::new(
                "multigraph",
                format!("must be true or false, found {}", value_kind(other)),
            )
            .hint("write it as NetworkX does: \"multigraph\": false"),
        ),
    }
    match doc.remove("graph") {
        Some(Value::Object(mut g)) => {
            let meta = match g.remove("meta") {
                Some(m) => meta_from_value(m, b),
                None => {
                    // Plain NetworkX graph attributes: the ones with a meaning in tradenet
                    // become metadata (text fields as text, whatever their JSON type); a year
                    // that is not a whole number keeps its value under another key, so that
                    // the graph still writes and reads back as native JSON.
                    let mut meta = Meta::default();
                    for (k, field) in [
                        ("name", &mut meta.name),
                        ("unit", &mut meta.unit),
                        ("source", &mut meta.source),
                        ("notes", &mut meta.notes),
                    ] {
                        match g.remove(k) {
                            Some(Value::String(v)) => *field = Some(v),
                            Some(Value::Null) | None => {}
                            Some(v) => *field = Some(v.to_string()),
                        }
                    }
                    match g.remove("year") {
                        Some(Value::Number(y)) if y.as_i64().is_some() => meta.year = y.as_i64(),
                        Some(v) => {
                            g.insert("year (graph attribute)".into(), v);
                        }
                        None => {}
                    }
                    meta
                }
            };
            let mut meta = meta;
            if let Some(Value::Array(sectors)) = g.remove("sectors") {
                b.declare_sectors();
                for (i, s) in sectors.into_iter().enumerate() {
                    let place = Place::Item("graph.sectors", i);
                    match s {
                        Value::Object(mut m) => match m.remove("id") {
                            Some(Value::String(id)) => {
                                let name = match m.remove("name") {
                                    Some(Value::String(n)) => Some(n),
                                    _ => None,
                                };
                                let goods = super::json::sector_goods(m.remove("goods"), &place, b);
                                b.add_sector_with(&id, name, goods, place)
                            }
                            _ => b.problem(Problem::new(place.at("id"), "missing or not a string")),
                        },
                        _ => b.problem(Problem::new(
                            place.at(""),
                            "must be an object {\"id\", \"name\"}",
                        )),
                    }
                }
            }
            // tradenet's own files name the value attribute they wrote.
            if g.remove("format").is_some() {
                if let Some(Value::String(w)) = g.remove("weight_attr") {
                    weight_attr = Some(w);
                }
            }
            for (k, v) in g {
                meta.extra.insert(k, v);
            }
            b.set_meta(meta);
        }
        None | Some(Value::Null) => {}
        Some(_) => b.problem(Problem::new(
            "graph",
            "must be an object of graph attributes",
        )),
    }
    match doc.remove("nodes") {
        Some(Value::Array(nodes)) => {
            for (i, n) in nodes.into_iter().enumerate() {
                node_from_value(n, Place::Item("nodes", i), b, true);
            }
        }
        Some(_) => b.problem(Problem::new("nodes", "must be an array")),
        None => b.problem(Problem::new("nodes", "missing \"nodes\"")),
    }
    weight_attr
}

fn add_edge(e: Value, place: Place, weight_attr: Option<&str>, b: &mut GraphBuilder) {
    let Value::Object(mut m) = e else {
        b.problem(Problem::new(
            place.at(""),
            "must be an object {\"source\", \"target\", ...}",
        ));
        return;
    };
    let mut end = |k: &str, b: &mut GraphBuilder| -> Option<String> {
        match m.remove(k) {
            None => {
                b.problem(Problem::new(place.at(k), format!("missing {k}")));
                None
            }
            Some(v) => Field::of(&v)
                .string(|| place.at(k), true)
                .map(|s| s.into_owned())
                .map_err(|p| b.problem(p))
                .ok(),
        }
    };
    let from = end("source", b);
    let to = end("target", b);
    m.remove("key");
    let value = {
        let candidates: Vec<&str> = match weight_attr {
            Some(w) => vec![w],
            None => vec!["value", "weight"],
        };
        let found = candidates
            .iter()
            .find_map(|k| m.remove(*k).map(|v| (*k, v)));
        match found {
            Some((k, v)) => {
                b.set_field_names("source", "target", k);
                Field::of(&v)
                    .number(|| place.at(k))
                    .map_err(|p| b.problem(p))
                    .ok()
            }
            None => {
                b.problem(
                    Problem::new(
                        place.at(candidates[0]),
                        format!("no flow value: the edge has no {}", candidates.join(" or ")),
                    )
                    .hint("name the edge attribute that holds the value with --weight-attr"),
                );
                None
            }
        }
    };
    let sector = match m.remove("sector") {
        None | Some(Value::Null) => None,
        Some(v) => match Field::of(&v).string(|| place.at("sector"), true) {
            Ok(s) => Some(s.into_owned()),
            Err(p) => {
                b.problem(p);
                return;
            }
        },
    };
    let year = match m.remove("year") {
        None | Some(Value::Null) => None,
        Some(v) => match Field::of(&v).year(|| place.at("year")) {
            Ok(y) => Some(y),
            Err(p) => {
                b.problem(p);
                return;
            }
        },
    };
    let mut num = |k: &str, b: &mut GraphBuilder| match m.remove(k) {
        None | Some(Value::Null) => None,
        Some(v) => Field::of(&v)
            .number(|| place.at(k))
            .map_err(|p| b.problem(p))
            .ok(),
    };
    let quantity = num("quantity", b);
    let tariff = num("tariff", b);
    let attrs: Option<Map<String, Value>> = (!m.is_empty()).then_some(m);
    let (Some(from), Some(to), Some(value)) = (from, to, value) else {
        return;
    };
    let extra = (quantity.is_some() || tariff.is_some() || attrs.is_some()).then_some(FlowExtra {
        quantity,
        tariff,
        attrs,
    });
    b.add_flow(&from, &to, sector.as_deref(), value, year, extra, place);
}

/// The node-link JSON of `g`, readable by `networkx.node_link_graph(data, edges="edges")`.
/// A graph with parallel flows (several sectors between one pair) is written as a
/// multigraph with integer keys per pair, as NetworkX does; the sector table and metadata go
/// into the graph attributes, so the file reads back to the same graph. The value is written
/// under `opts.weight` (named again in the graph attribute `weight_attr`, which [`read`]
/// follows), and `distances` (one per flow, from [`super::export`]) as `distance`.
pub(crate) fn write(
    g: &TradeGraph,
    opts: &super::ExportOptions,
    distances: Option<&[Option<f64>]>,
) -> Vec<u8> {
    let mut pair_count: FastMap<(u32, u32), u32> = FastMap::default();
    let mut keys = Vec::with_capacity(g.flow_count());
    for (a, b, _) in g.flows() {
        let k = pair_count
            .entry((a.index() as u32, b.index() as u32))
            .or_insert(0);
        keys.push(*k);
        *k += 1;
    }
    let multi = pair_count.values().any(|&c| c > 1);
    drop(pair_count);

    let mut out = Vec::with_capacity(64 + g.node_count() * 80 + g.flow_count() * 70);
    out.extend_from_slice(b"{\"directed\":true,\"multigraph\":");
    out.extend_from_slice(if multi { b"true" } else { b"false" });
    out.extend_from_slice(b",\n\"graph\":{\"format\":");
    push_str(&mut out, super::json::CURRENT);
    out.extend_from_slice(b",\"weight_attr\":");
    push_str(&mut out, &opts.weight);
    out.extend_from_slice(b",\"meta\":");
    push_value(&mut out, &Value::Object(super::json::meta_to_map(&g.meta)));
    out.extend_from_slice(b",\"sectors\":[");
    for (i, s) in g.sectors().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        super::json::push_sector(&mut out, s);
    }
    out.extend_from_slice(b"]},\n\"nodes\":[");
    for (i, n) in g.nodes().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        super::json::push_node(&mut out, g, n, true);
    }
    out.extend_from_slice(b"],\n\"edges\":[");
    for (i, (a, b, f)) in g.flows().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(b"{\"source\":");
        push_str(&mut out, &g.node(a).id);
        out.extend_from_slice(b",\"target\":");
        push_str(&mut out, &g.node(b).id);
        if multi {
            out.extend_from_slice(b",\"key\":");
            out.extend_from_slice(keys[i].to_string().as_bytes());
        }
        push_flow_fields(&mut out, g, f, &opts.weight, true);
        if let Some(d) = distances.and_then(|d| d[i]) {
            out.extend_from_slice(b",\"distance\":");
            super::json::push_num(&mut out, d);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
    out
}
