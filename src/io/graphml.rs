//! GraphML and GEXF for Gephi (and yEd, Cytoscape, NetworkX's `read_graphml`/`read_gexf`,
//! igraph's `Graph.Read_GraphML`).
//!
//! What survives: node ids (as the GraphML node id, and as the `name` attribute igraph finds
//! vertices by), names, regions, countries, sectors with their names and goods flags, output,
//! final demand (the total, and by destination as a JSON object in `final_demand_by`), flow
//! values, sectors, years, `distance` when asked for, and the metadata (GraphML: one graph
//! attribute per field, the sector table as JSON text in `sectors`; GEXF has no graph
//! attributes, so it keeps the name and source in its `<meta>` and the rest is not written).
//! An attribute is declared only when some node or edge has it, so that igraph does not fill
//! the others with NaN. Flow attributes other than these (quantities, tariffs, free attributes)
//! are kept by native JSON and node-link only.

use crate::model::TradeGraph;
use std::fmt::Write;

/// Escape text for XML content and attribute values.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // As character references, so that attribute values keep them (XML parsers turn a
            // literal line break in an attribute into a space).
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Control characters other than tab and line breaks, and the noncharacters U+FFFE
            // and U+FFFF, are not allowed in XML 1.0 (ids never hold them; names lose them).
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn num(v: f64) -> String {
    crate::io::fmt_value(v)
}

/// A node attribute: (name, GraphML type, GEXF type, getter).
type NodeAttr = (
    &'static str,
    &'static str,
    &'static str,
    fn(&TradeGraph, &crate::model::Node) -> Option<String>,
);

/// A sector's `goods` flag as XML text, when the file gives one.
fn goods(g: &TradeGraph, s: Option<crate::model::SectorId>) -> Option<String> {
    s.and_then(|s| g.sector(s).goods).map(|b| b.to_string())
}

/// A sector's name, when the file gives one.
fn sector_name(g: &TradeGraph, s: Option<crate::model::SectorId>) -> Option<String> {
    s.and_then(|s| g.sector(s).name.clone())
}

const NODE_ATTRS: [NodeAttr; 10] = [
    ("name", "string", "string", |_, n| Some(n.id.to_string())),
    ("full_name", "string", "string", |_, n| {
        n.name().map(str::to_string)
    }),
    ("region", "string", "string", |_, n| {
        n.region().map(str::to_string)
    }),
    ("country", "string", "string", |_, n| {
        n.country.as_deref().map(str::to_string)
    }),
    ("sector", "string", "string", |g, n| {
        n.sector.map(|s| g.sector(s).id.clone())
    }),
    ("sector_name", "string", "string", |g, n| {
        sector_name(g, n.sector)
    }),
    ("goods", "boolean", "boolean", |g, n| goods(g, n.sector)),
    ("output", "double", "double", |_, n| n.output().map(num)),
    ("final_demand", "double", "double", |_, n| {
        n.final_demand().map(|d| num(d.total()))
    }),
    ("final_demand_by", "string", "string", |_, n| {
        match n.final_demand() {
            Some(crate::model::FinalDemand::ByDestination(v)) => {
                let mut m = serde_json::Map::new();
                for (dest, x) in v {
                    m.insert(dest.clone(), serde_json::json!(x));
                }
                Some(serde_json::Value::Object(m).to_string())
            }
            _ => None,
        }
    }),
];

/// An edge attribute besides the weight: (name, GraphML type, GEXF type).
const EDGE_ATTRS: [(&str, &str, &str); 5] = [
    ("sector", "string", "string"),
    ("sector_name", "string", "string"),
    ("year", "int", "integer"),
    ("goods", "boolean", "boolean"),
    ("distance", "double", "double"),
];

/// The edge attributes of flow `i`, in [`EDGE_ATTRS`] order.
fn edge_values(
    g: &TradeGraph,
    a: crate::model::NodeIx,
    f: &crate::model::Flow,
    distance: Option<f64>,
) -> [Option<String>; 5] {
    let s = g.flow_sector(a, f);
    [
        s.map(|s| g.sector(s).id.clone()),
        sector_name(g, s),
        f.year.map(|y| y.to_string()),
        goods(g, s),
        distance.map(num),
    ]
}

/// Which node and edge attributes some node or edge has: only those are declared.
fn used(g: &TradeGraph, distances: Option<&[Option<f64>]>) -> ([bool; 10], [bool; 5]) {
    let mut nodes = [false; 10];
    for n in g.nodes() {
        for (k, (_, _, _, get)) in NODE_ATTRS.iter().enumerate() {
            nodes[k] = nodes[k] || get(g, n).is_some();
        }
    }
    // Which edge attributes are present, without formatting them (the writer does that once).
    let mut edges = [false; 5];
    edges[4] = distances.is_some_and(|d| d.iter().any(Option::is_some));
    edges[2] = g.flows().any(|(_, _, f)| f.year.is_some());
    let mut used_sectors = vec![false; g.sectors().len()];
    for (a, _, f) in g.flows() {
        if let Some(s) = g.flow_sector(a, f) {
            used_sectors[s.index()] = true;
        }
    }
    for (sec, _) in g.sectors().iter().zip(&used_sectors).filter(|(_, &u)| u) {
        edges[0] = true;
        edges[1] |= sec.name.is_some();
        edges[3] |= sec.goods.is_some();
    }
    (nodes, edges)
}

/// A metadata value as GraphML data: (type, text).
fn meta_value(v: &serde_json::Value) -> (&'static str, String) {
    use serde_json::Value;
    match v {
        Value::String(s) => ("string", s.clone()),
        Value::Bool(b) => ("boolean", b.to_string()),
        Value::Number(n) if n.is_i64() => ("long", n.to_string()),
        Value::Number(n) => ("double", n.to_string()),
        other => ("string", other.to_string()),
    }
}

/// GraphML: a directed graph whose nodes carry `label` (the id, for Gephi) and the attributes
/// of [`NODE_ATTRS`] that some node has, whose edges carry the value under `opts.weight` and
/// the attributes of [`EDGE_ATTRS`] that some edge has, and whose graph carries the metadata
/// and the sector table. `distances` are one per flow (see [`super::export`]).
pub(crate) fn write_graphml(
    g: &TradeGraph,
    opts: &super::ExportOptions,
    distances: Option<&[Option<f64>]>,
) -> Vec<u8> {
    let (node_used, edge_used) = used(g, distances);
    let mut s = String::with_capacity(256 + g.node_count() * 120 + g.flow_count() * 90);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    let meta = super::json::meta_to_map(&g.meta);
    for (k, v) in &meta {
        let _ = writeln!(
            s,
            "  <key id=\"g_{0}\" for=\"graph\" attr.name=\"{0}\" attr.type=\"{1}\"/>",
            xml(k),
            meta_value(v).0
        );
    }
    if !g.sectors().is_empty() {
        s.push_str(
            "  <key id=\"g_sectors\" for=\"graph\" attr.name=\"sectors\" attr.type=\"string\"/>\n",
        );
    }
    s.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    for (k, (name, t, _, _)) in NODE_ATTRS.iter().enumerate() {
        if node_used[k] {
            let _ = writeln!(
                s,
                "  <key id=\"{name}\" for=\"node\" attr.name=\"{name}\" attr.type=\"{t}\"/>"
            );
        }
    }
    let _ = writeln!(
        s,
        "  <key id=\"weight\" for=\"edge\" attr.name=\"{}\" attr.type=\"double\"/>",
        xml(&opts.weight)
    );
    for (k, (name, t, _)) in EDGE_ATTRS.iter().enumerate() {
        if edge_used[k] {
            let _ = writeln!(
                s,
                "  <key id=\"e_{name}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{t}\"/>"
            );
        }
    }
    let _ = writeln!(
        s,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        xml(g.meta.name.as_deref().unwrap_or("tradenet"))
    );
    for (k, v) in &meta {
        let _ = writeln!(
            s,
            "    <data key=\"g_{}\">{}</data>",
            xml(k),
            xml(&meta_value(v).1)
        );
    }
    if !g.sectors().is_empty() {
        let mut text = Vec::new();
        text.push(b'[');
        for (i, sec) in g.sectors().iter().enumerate() {
            if i > 0 {
                text.push(b',');
            }
            super::json::push_sector(&mut text, sec);
        }
        text.push(b']');
        let _ = writeln!(
            s,
            "    <data key=\"g_sectors\">{}</data>",
            xml(&String::from_utf8_lossy(&text))
        );
    }
    for n in g.nodes() {
        let _ = write!(
            s,
            "    <node id=\"{}\"><data key=\"label\">{}</data>",
            xml(&n.id),
            xml(&n.id)
        );
        for (name, _, _, get) in NODE_ATTRS {
            if let Some(v) = get(g, n) {
                let _ = write!(s, "<data key=\"{name}\">{}</data>", xml(&v));
            }
        }
        s.push_str("</node>\n");
    }
    for (i, (a, b, f)) in g.flows().enumerate() {
        let _ = write!(
            s,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data>",
            xml(&g.node(a).id),
            xml(&g.node(b).id),
            num(f.value)
        );
        let d = distances.and_then(|d| d[i]);
        for ((name, _, _), v) in EDGE_ATTRS.iter().zip(edge_values(g, a, f, d)) {
            if let Some(v) = v {
                let _ = write!(s, "<data key=\"e_{name}\">{}</data>", xml(&v));
            }
        }
        s.push_str("</edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    s.into_bytes()
}

/// GEXF 1.3 (Gephi's own format): a directed static graph; node `label` is the id, node
/// attributes those of [`NODE_ATTRS`] that some node has; edge `weight` (the format's own) is
/// the value, edge attributes those of [`EDGE_ATTRS`] that some edge has. The graph's name and
/// source go into `<meta>`.
pub(crate) fn write_gexf(g: &TradeGraph, distances: Option<&[Option<f64>]>) -> Vec<u8> {
    let (node_used, edge_used) = used(g, distances);
    let mut s = String::with_capacity(256 + g.node_count() * 150 + g.flow_count() * 110);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n");
    let _ = writeln!(
        s,
        "  <meta><creator>tradenet {}</creator><description>{}</description>{}</meta>",
        env!("CARGO_PKG_VERSION"),
        xml(g.meta.name.as_deref().unwrap_or("")),
        g.meta
            .source
            .as_deref()
            .map(|src| format!("<keywords>{}</keywords>", xml(src)))
            .unwrap_or_default()
    );
    s.push_str("  <graph defaultedgetype=\"directed\" mode=\"static\">\n");
    s.push_str("    <attributes class=\"node\">\n");
    for (k, (name, _, t, _)) in NODE_ATTRS.iter().enumerate() {
        if node_used[k] {
            let _ = writeln!(
                s,
                "      <attribute id=\"{k}\" title=\"{name}\" type=\"{t}\"/>"
            );
        }
    }
    s.push_str("    </attributes>\n    <attributes class=\"edge\">\n");
    for (k, (name, _, t)) in EDGE_ATTRS.iter().enumerate() {
        if edge_used[k] {
            let _ = writeln!(
                s,
                "      <attribute id=\"{k}\" title=\"{name}\" type=\"{t}\"/>"
            );
        }
    }
    s.push_str("    </attributes>\n    <nodes>\n");
    for n in g.nodes() {
        let _ = write!(
            s,
            "      <node id=\"{}\" label=\"{}\"><attvalues>",
            xml(&n.id),
            xml(&n.id)
        );
        for (k, (_, _, _, get)) in NODE_ATTRS.iter().enumerate() {
            if let Some(v) = get(g, n) {
                let _ = write!(s, "<attvalue for=\"{k}\" value=\"{}\"/>", xml(&v));
            }
        }
        s.push_str("</attvalues></node>\n");
    }
    s.push_str("    </nodes>\n    <edges>\n");
    for (i, (a, b, f)) in g.flows().enumerate() {
        let _ = write!(
            s,
            "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{}\"><attvalues>",
            xml(&g.node(a).id),
            xml(&g.node(b).id),
            num(f.value)
        );
        let d = distances.and_then(|d| d[i]);
        for (k, v) in edge_values(g, a, f, d).into_iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(s, "<attvalue for=\"{k}\" value=\"{}\"/>", xml(&v));
            }
        }
        s.push_str("</attvalues></edge>\n");
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    s.into_bytes()
}
