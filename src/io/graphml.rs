//! GraphML and GEXF for Gephi (and yEd, Cytoscape, NetworkX's `read_graphml`/`read_gexf`).

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

/// Node attributes written: (key, GraphML type, getter).
type NodeAttr = (
    &'static str,
    &'static str,
    fn(&TradeGraph, &crate::model::Node) -> Option<String>,
);

/// A sector's `goods` flag as XML text, when the file gives one.
fn goods(g: &TradeGraph, s: Option<crate::model::SectorId>) -> Option<String> {
    s.and_then(|s| g.sector(s).goods).map(|b| b.to_string())
}

const NODE_ATTRS: [NodeAttr; 7] = [
    ("name", "string", |_, n| n.name().map(str::to_string)),
    ("region", "string", |_, n| n.region().map(str::to_string)),
    ("country", "string", |_, n| {
        n.country.as_deref().map(str::to_string)
    }),
    ("sector", "string", |g, n| {
        n.sector.map(|s| g.sector(s).id.clone())
    }),
    ("goods", "boolean", |g, n| goods(g, n.sector)),
    ("output", "double", |_, n| n.output().map(num)),
    ("final_demand", "double", |_, n| {
        n.final_demand().map(|d| num(d.total()))
    }),
];

/// GraphML: a directed graph with node keys `label`, `name`, `region`, `country`, `sector`,
/// `goods` (the sector's flag, when the file gives one), `output`, `final_demand` (total) and
/// edge keys `weight` (the value, which Gephi uses as edge weight), `sector`, `year`, `goods`.
pub fn write_graphml(g: &TradeGraph) -> Vec<u8> {
    let mut s = String::with_capacity(256 + g.node_count() * 120 + g.flow_count() * 90);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    s.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    for (k, t, _) in NODE_ATTRS {
        let _ = writeln!(
            s,
            "  <key id=\"{k}\" for=\"node\" attr.name=\"{k}\" attr.type=\"{t}\"/>"
        );
    }
    s.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    s.push_str("  <key id=\"esector\" for=\"edge\" attr.name=\"sector\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"year\" for=\"edge\" attr.name=\"year\" attr.type=\"int\"/>\n");
    s.push_str("  <key id=\"egoods\" for=\"edge\" attr.name=\"goods\" attr.type=\"boolean\"/>\n");
    let _ = writeln!(
        s,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        xml(g.meta.name.as_deref().unwrap_or("tradenet"))
    );
    for n in g.nodes() {
        let _ = write!(
            s,
            "    <node id=\"{}\"><data key=\"label\">{}</data>",
            xml(&n.id),
            xml(&n.id)
        );
        for (k, _, get) in NODE_ATTRS {
            if let Some(v) = get(g, n) {
                let _ = write!(s, "<data key=\"{k}\">{}</data>", xml(&v));
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
        if let Some(sec) = g.flow_sector(a, f) {
            let _ = write!(s, "<data key=\"esector\">{}</data>", xml(&g.sector(sec).id));
        }
        if let Some(y) = f.year {
            let _ = write!(s, "<data key=\"year\">{y}</data>");
        }
        if let Some(v) = goods(g, g.flow_sector(a, f)) {
            let _ = write!(s, "<data key=\"egoods\">{v}</data>");
        }
        s.push_str("</edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    s.into_bytes()
}

/// GEXF 1.3 (Gephi's own format): a directed static graph; node `label` is the id, node
/// attributes `name`, `region`, `country`, `sector`, `goods`, `output`, `final_demand`; edge
/// `weight` is the value and edge attributes `sector`, `year`, `goods` (the sector's flag, when
/// the file gives one).
pub fn write_gexf(g: &TradeGraph) -> Vec<u8> {
    let mut s = String::with_capacity(256 + g.node_count() * 150 + g.flow_count() * 110);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n");
    let _ = writeln!(
        s,
        "  <meta><creator>tradenet {}</creator><description>{}</description></meta>",
        env!("CARGO_PKG_VERSION"),
        xml(g.meta.name.as_deref().unwrap_or(""))
    );
    s.push_str("  <graph defaultedgetype=\"directed\" mode=\"static\">\n");
    s.push_str("    <attributes class=\"node\">\n");
    for (i, (k, t, _)) in NODE_ATTRS.iter().enumerate() {
        let _ = writeln!(
            s,
            "      <attribute id=\"{i}\" title=\"{k}\" type=\"{t}\"/>"
        );
    }
    s.push_str("    </attributes>\n    <attributes class=\"edge\">\n");
    s.push_str("      <attribute id=\"0\" title=\"sector\" type=\"string\"/>\n      <attribute id=\"1\" title=\"year\" type=\"integer\"/>\n      <attribute id=\"2\" title=\"goods\" type=\"boolean\"/>\n");
    s.push_str("    </attributes>\n    <nodes>\n");
    for n in g.nodes() {
        let _ = write!(
            s,
            "      <node id=\"{}\" label=\"{}\"><attvalues>",
            xml(&n.id),
            xml(&n.id)
        );
        for (i, (_, _, get)) in NODE_ATTRS.iter().enumerate() {
            if let Some(v) = get(g, n) {
                let _ = write!(s, "<attvalue for=\"{i}\" value=\"{}\"/>", xml(&v));
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
        if let Some(sec) = g.flow_sector(a, f) {
            let _ = write!(
                s,
                "<attvalue for=\"0\" value=\"{}\"/>",
                xml(&g.sector(sec).id)
            );
        }
        if let Some(y) = f.year {
            let _ = write!(s, "<attvalue for=\"1\" value=\"{y}\"/>");
        }
        if let Some(v) = goods(g, g.flow_sector(a, f)) {
            let _ = write!(s, "<attvalue for=\"2\" value=\"{v}\"/>");
        }
        s.push_str("</attvalues></edge>\n");
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    s.into_bytes()
}
