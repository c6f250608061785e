//! What every fuzz target checks, shared by the cargo-fuzz targets (`fuzz_targets/*.rs`) and
//! by `tests/it/fuzz_regressions.rs`, which replays the committed seeds and every input a fuzz
//! run ever flagged. A check panics when tradenet breaks a promise:
//!
//! - a reader never panics; it returns a graph or an error that is "bad input" (exit 2) with
//!   a non-empty message, bounded in length, whose data is escaped (no control, bidi or
//!   zero-width character reaches the terminal);
//! - a graph that was read is written back (native JSON, node-link, CSV) and read again to the
//!   same graph: writers never produce a file tradenet cannot read;
//! - a scenario that parses either runs or gives an error, with finite numbers when it runs;
//! - any node id, name or title survives DOT (parsed back by graphviz-rust), GraphML and GEXF
//!   (parsed back as XML).

#![allow(dead_code)]

use std::collections::BTreeSet;
use tradenet::io::{self, InputFormat, LoadOptions, OutputFormat};
use tradenet::{Error, TradeGraph};

fn opts(f: InputFormat) -> LoadOptions {
    LoadOptions {
        format: Some(f),
        ..Default::default()
    }
}

fn bad_input(e: &Error, what: &str) {
    let msg = e.to_string();
    assert!(!msg.trim().is_empty(), "{what}: empty error message");
    assert!(
        e.is_bad_input(),
        "{what}: error not classed as bad input: {msg}"
    );
    // Data reaches the terminal escaped: no control character but the line breaks between
    // problems, no bidi control or zero-width character (README: Guarantees).
    if let Some(c) = msg.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    }) {
        panic!("{what}: raw {c:?} in the message: {msg:?}");
    }
    // And bounded: at most 100 problems, each quoting a bounded part of the data.
    assert!(
        msg.len() < 512 << 10,
        "{what}: a message of {} bytes",
        msg.len()
    );
}

/// Write `g` in `format`, read it back, and compare what the format keeps.
fn round_trip(g: &TradeGraph, format: OutputFormat, read_as: InputFormat) {
    let bytes = io::write(g, format);
    let back = io::load_bytes("<written>", bytes.clone(), &opts(read_as)).unwrap_or_else(|e| {
        panic!(
            "{format:?} output does not read back: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    });
    // CSV skips rows of value 0 (FORMAT.md §2); the JSON formats keep such flows.
    let trading = |g: &TradeGraph| {
        if format == OutputFormat::Csv {
            g.flows().filter(|(_, _, f)| f.value != 0.0).count()
        } else {
            g.flow_count()
        }
    };
    assert_eq!(trading(&back), trading(g), "{format:?}: flows");
    assert_eq!(
        back.total_value().to_bits(),
        g.total_value().to_bits(),
        "{format:?}: total value"
    );
    if format != OutputFormat::Csv {
        // CSV keeps only the nodes that trade.
        assert_eq!(back.node_count(), g.node_count(), "{format:?}: nodes");
    }
    if format == OutputFormat::Native {
        assert_eq!(
            io::write(&back, format),
            bytes,
            "native JSON is not byte-stable"
        );
    }
}

/// Round trips for a graph read as `f`: native JSON always (the canonical form), and the
/// format it came in.
fn after_read(g: &TradeGraph, f: Option<InputFormat>) {
    round_trip(g, OutputFormat::Native, InputFormat::Native);
    let nodelink = matches!(f, None | Some(InputFormat::NodeLink));
    let csv = matches!(f, None | Some(InputFormat::Csv));
    if nodelink {
        round_trip(g, OutputFormat::NodeLink, InputFormat::NodeLink);
    }
    if csv && g.flows().any(|(_, _, fl)| fl.value != 0.0) {
        round_trip(g, OutputFormat::Csv, InputFormat::Csv);
    }
}

fn read_as(data: &[u8], f: InputFormat) {
    match io::load_bytes("<fuzz>", data.to_vec(), &opts(f)) {
        Ok(g) => after_read(&g, Some(f)),
        Err(e) => bad_input(&e, &format!("{f:?} reader")),
    }
}

/// Native `tradenet/1` JSON.
pub fn native(data: &[u8]) {
    read_as(data, InputFormat::Native);
}

/// NetworkX node-link JSON.
pub fn nodelink(data: &[u8]) {
    read_as(data, InputFormat::NodeLink);
}

/// CSV edge lists (the parallel quote-free path and the quoted path, any delimiter).
pub fn csv(data: &[u8]) {
    read_as(data, InputFormat::Csv);
}

/// Any bytes through content detection, as `tradenet validate FILE` sees them.
pub fn detect(data: &[u8]) {
    match io::load_bytes("<fuzz>", data.to_vec(), &LoadOptions::default()) {
        Ok(g) => after_read(&g, None),
        Err(e) => bad_input(&e, "detected reader"),
    }
}

/// An input-output CSV set: the input is up to three files separated by lines `@@`.
pub fn io_set(data: &[u8]) {
    let files: Vec<(String, Vec<u8>)> = split(data, b"\n@@\n")
        .into_iter()
        .take(3)
        .enumerate()
        .map(|(i, b)| (format!("part{i}.csv"), b.to_vec()))
        .collect();
    match io::iocsv::read_files("<fuzz set>", files) {
        Ok(g) => {
            round_trip(&g, OutputFormat::Native, InputFormat::Native);
            // The country view (final demand destinations included) must build too.
            let c = g.countries();
            assert!(c.total_value().is_finite());
        }
        Err(e) => bad_input(&e, "input-output set reader"),
    }
}

fn split<'a>(data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(p) = rest.windows(sep.len()).position(|w| w == sep) {
        out.push(&rest[..p]);
        rest = &rest[p + sep.len()..];
    }
    out.push(rest);
    out
}

/// A small input-output graph and a small trade graph for scenarios to run on.
fn scenario_graphs() -> &'static [TradeGraph; 2] {
    use std::sync::OnceLock;
    static G: OnceLock<[TradeGraph; 2]> = OnceLock::new();
    G.get_or_init(|| {
        let io_csv = b"from,to,value\nCAN:c15,USA:c15,60\nKOR:c15,CAN:c15,3\nUSA:c15,CAN:c15,20\nCAN:c20,CAN:c15,5\nUSA:c20,KOR:c15,4\nKOR:c20,USA:c20,2\n";
        let trade: &[u8] = include_bytes!("../../graphs/tiny.json");
        [
            io::load_bytes("io.csv", io_csv.to_vec(), &LoadOptions::default()).expect("io graph"),
            io::load_bytes("tiny.json", trade.to_vec(), &LoadOptions::default()).expect("tiny"),
        ]
    })
}

/// Scenario files and `--tariff/--demand/--supply/--embargo` specs: a first byte `{` is a
/// scenario file; otherwise the first byte picks the flag and the rest is its text.
pub fn scenario(data: &[u8]) {
    use tradenet::analysis::{
        parse_demand, parse_embargo, parse_supply, parse_tariff, shock, Scenario, Shock,
        ShockParams,
    };
    let parsed = if data.first() == Some(&b'{') {
        Scenario::from_json(data, "<fuzz scenario>")
    } else {
        let (&k, rest) = match data.split_first() {
            Some(x) => x,
            None => return,
        };
        let Ok(spec) = std::str::from_utf8(rest) else {
            return;
        };
        match k % 4 {
            0 => parse_tariff(spec).map(Shock::Tariff),
            1 => parse_demand(spec).map(Shock::Demand),
            2 => parse_supply(spec).map(Shock::Supply),
            _ => parse_embargo(spec).map(Shock::Embargo),
        }
        .map(|s| Scenario::new(vec![s]))
    };
    let s = match parsed {
        Ok(s) => s,
        Err(e) => return bad_input(&e, "scenario parser"),
    };
    let _ = s.describe();
    let p = ShockParams::default();
    for g in scenario_graphs() {
        if let Ok(r) = shock(g, &s, &p) {
            for n in &r.nodes {
                assert!(
                    n.baseline.is_finite() && n.delta.is_finite(),
                    "non-finite result for {}: {} {}",
                    n.id,
                    n.baseline,
                    n.delta
                );
            }
        }
    }
}

/// Names made of the input (split at NUL bytes) as node ids, names, regions, sectors and the
/// title: DOT, GraphML and GEXF must keep every one of them intact.
pub fn escaping(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut words: Vec<&str> = text.split('\0').collect();
    words.truncate(12);
    let title = words[0];
    let mut ids: Vec<&str> = Vec::new();
    for w in &words {
        if !w.trim().is_empty() && w.trim() == *w && !ids.contains(w) {
            ids.push(w);
        }
    }
    if ids.len() < 2 {
        return;
    }
    let nodes: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| serde_json::json!({"id": id, "name": words[(i + 1) % words.len()], "region": words[(i + 2) % words.len()]}))
        .collect();
    let flows: Vec<serde_json::Value> = (0..ids.len())
        .map(|i| serde_json::json!({"from": ids[i], "to": ids[(i + 1) % ids.len()], "value": (i + 1) as f64 * 1.5e9}))
        .collect();
    let doc = serde_json::json!({"format": "tradenet/1", "meta": {"name": title, "unit": title}, "nodes": nodes, "flows": flows});
    let g = match io::load_bytes(
        "<names>",
        doc.to_string().into_bytes(),
        &LoadOptions::default(),
    ) {
        Ok(g) => g,
        Err(e) => return bad_input(&e, "names graph"),
    };
    let want: BTreeSet<String> = g.nodes().map(|n| n.id.to_string()).collect();

    let style = io::dot::DotStyle {
        title: Some(title.to_string()),
        subtitle: words.get(1).map(|s| s.to_string()),
        unit: Some(title.to_string()),
        edge_labels: true,
        legend: true,
        clusters: true,
        ..Default::default()
    };
    let text = io::dot::to_dot(&g, &style);
    let parsed =
        graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{text}"));
    // Every node once, plus the legend under an id no node has.
    let mut got = dot_nodes(&parsed);
    let legend: Vec<String> = got
        .iter()
        .filter(|id| id.starts_with("tradenet:legend") && !want.contains(*id))
        .cloned()
        .collect();
    assert_eq!(legend.len(), 1, "one legend node\n{text}");
    got.remove(&legend[0]);
    assert_eq!(got, want, "DOT node ids\n{text}");

    for (f, node_tag) in [
        (OutputFormat::GraphMl, "node"),
        (OutputFormat::Gexf, "node"),
    ] {
        let bytes = io::write(&g, f);
        let xml = String::from_utf8(bytes).expect("XML writers write UTF-8");
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{f:?}: {e}\n{xml}"));
        let got: BTreeSet<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name(node_tag) && n.attribute("id").is_some())
            .map(|n| {
                // GraphML ids are the node ids; GEXF keeps them as ids too.
                n.attribute("id").expect("filtered").to_string()
            })
            .collect();
        assert_eq!(got, want, "{f:?} node ids");
    }
}

/// A DOT id as text: quotes removed and escapes undone.
pub fn unquote(id: &graphviz_rust::dot_structures::Id) -> String {
    use graphviz_rust::dot_structures::Id;
    match id {
        Id::Escaped(s) => {
            let inner = &s[1..s.len() - 1];
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => out.push('\n'),
                        Some('r') => out.push('\r'),
                        Some(o) => out.push(o),
                        None => out.push('\\'),
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        Id::Plain(s) | Id::Html(s) | Id::Anonymous(s) => s.clone(),
    }
}

/// The ids of every node a parsed DOT graph declares (in clusters too), the legend included.
pub fn dot_nodes(g: &graphviz_rust::dot_structures::Graph) -> BTreeSet<String> {
    use graphviz_rust::dot_structures::{Graph, Stmt};
    fn walk(stmts: &[Stmt], out: &mut BTreeSet<String>) {
        for s in stmts {
            match s {
                Stmt::Node(n) => {
                    out.insert(unquote(&n.id.0));
                }
                Stmt::Subgraph(sg) => walk(&sg.stmts, out),
                _ => {}
            }
        }
    }
    let stmts = match g {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    let mut out = BTreeSet::new();
    walk(stmts, &mut out);
    out
}
