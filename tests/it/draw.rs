//! Diagrams: DOT parsed back by graphviz-rust with every node present, rendered by Graphviz
//! when it is installed (CI installs it), hostile names, a snapshot of a tiny graph, filters,
//! the disparity backbone by hand, and GraphML/GEXF parsed as XML.

use crate::checks;

use crate::common::{files_in, root, shared_data, tradenet};
use graphviz_rust::dot_structures::{Graph, Stmt};
use std::collections::BTreeSet;
use tradenet::io::dot::{to_dot, DotStyle};
use tradenet::io::{load, LoadOptions};

fn has_dot() -> bool {
    std::process::Command::new("dot").arg("-V").output().is_ok()
}

/// The node ids declared in a parsed DOT graph (in clusters too), without the legend.
fn dot_nodes(g: &Graph) -> BTreeSet<String> {
    let mut out = checks::dot_nodes(g);
    out.remove("tradenet:legend");
    out
}

fn edge_count(g: &Graph) -> usize {
    edges(g).len()
}

/// The (from, to) node ids of a parsed DOT graph's edges (top level: the diagrams have no
/// edges in clusters).
fn edges(g: &Graph) -> Vec<(String, String)> {
    use graphviz_rust::dot_structures::{EdgeTy, Vertex};
    let stmts = match g {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    let id = |v: &Vertex| match v {
        Vertex::N(n) => checks::unquote(&n.0),
        Vertex::S(_) => panic!("a subgraph as an edge end"),
    };
    stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Edge(e) => Some(match &e.ty {
                EdgeTy::Pair(a, b) => (id(a), id(b)),
                EdgeTy::Chain(_) => panic!("an edge chain"),
            }),
            _ => None,
        })
        .collect()
}

fn draw_dot(args: &[&str]) -> Graph {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d.dot");
    let mut all = vec!["draw"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out.to_str().unwrap()]);
    tradenet(all).ok_with_notes();
    let text = std::fs::read_to_string(&out).unwrap();
    graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{text}"))
}

#[test]
fn hostile_names_survive_dot_and_render() {
    let g = load(
        root().join("tests/good/hostile.json").to_str().unwrap(),
        &LoadOptions::default(),
    )
    .unwrap();
    let style = DotStyle {
        legend: true,
        ..Default::default()
    };
    let text = to_dot(&g, &style);
    let parsed = graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let want: BTreeSet<String> = g.nodes().map(|n| n.id.to_string()).collect();
    assert_eq!(dot_nodes(&parsed), want);
    assert_eq!(edge_count(&parsed), g.flow_count());
    if has_dot() {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("h.svg");
        tradenet([
            "draw",
            "tests/good/hostile.json",
            "-o",
            svg.to_str().unwrap(),
        ])
        .ok();
        let svg = std::fs::read_to_string(svg).unwrap();
        // Every node is a <g class="node"> with its id as <title> (XML-escaped).
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&svg, opts).unwrap();
        let titles: BTreeSet<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("node"))
            .filter_map(|n| {
                n.children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .map(str::to_string)
            })
            .collect();
        for id in &want {
            // DOT keeps backslash pairs in ids (only \" is an escape there), so <title> shows
            // the id as written in the DOT text: backslashes doubled, line breaks as \n.
            let shown = id.replace('\\', "\\\\").replace('\n', "\\n");
            assert!(
                titles.contains(&shown) || titles.contains(id),
                "{id:?} not rendered; titles: {titles:?}"
            );
        }
    } else if std::env::var_os("CI").is_some() {
        panic!("Graphviz `dot` is not installed: this test renders the diagram; CI must install it (.ci/run does: apt-get install graphviz)");
    } else {
        eprintln!("rendering not checked: Graphviz `dot` is not installed (apt install graphviz; CI fails here)");
    }
}

#[test]
fn tiny_dot_snapshot() {
    let g = load(
        root().join("graphs/tiny.json").to_str().unwrap(),
        &LoadOptions::default(),
    )
    .unwrap();
    let text = to_dot(
        &g.aggregate_sectors(),
        &DotStyle {
            legend: true,
            ..Default::default()
        },
    );
    let path = root().join("tests/snapshots/tiny.dot");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .expect("tests/snapshots/tiny.dot (UPDATE_SNAPSHOTS=1 to write it)");
    assert_eq!(
        text, want,
        "DOT changed; review it and run with UPDATE_SNAPSHOTS=1 to accept"
    );
}

#[test]
fn every_bundled_graph_draws_with_defaults() {
    // Every graph in graphs/, and a multi-year file (none is bundled: the WIOD 1995-2011
    // panel from ../shared/data) drawn for one year.
    let bundled = files_in("graphs", &[".json"]);
    assert_eq!(bundled.len(), 5, "{bundled:?}");
    let panel = shared_data("wiod2011/edges_total_1995_2011.csv");
    let panel = panel.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = bundled.iter().map(|f| vec![f.as_str()]).collect();
    runs.push(vec![panel, "--year", "2011"]);
    runs.push(vec![]); // the embedded default
    for args in runs {
        let f = args.first().copied().unwrap_or("<default>");
        let g = draw_dot(&args);
        let nodes = dot_nodes(&g).len();
        let edges = edge_count(&g);
        // Readable at report size: a bounded number of flows by default.
        assert!(edges > 0 && edges <= 60, "{f}: {edges} edges");
        assert!((2..=60).contains(&nodes), "{f}: {nodes} nodes");
    }
}

#[test]
fn filters_choose_the_flows() {
    let total = "graphs/icio2022_trade_total.json";
    let g = draw_dot(&[total, "--top", "10"]);
    assert_eq!(edge_count(&g), 10);
    let g = draw_dot(&[total, "--ego", "CAN", "--top", "5"]);
    assert!(dot_nodes(&g).contains("CAN"));
    assert_eq!(edge_count(&g), 5);
    // The ego diagram is Canada's flows, not the world's largest among its partners.
    let g = draw_dot(&[total, "--ego", "CAN"]);
    let e = edges(&g);
    assert!(e.len() > 10, "{e:?}");
    assert!(e.iter().all(|(a, b)| a == "CAN" || b == "CAN"), "{e:?}");
    // Flows of at least 50% of the exporter's exports around CAN: CAN->USA (69.1% of CAN's
    // intermediate exports, tests/fixtures/dependency/reference.json) is one of them.
    let g = draw_dot(&[total, "--ego", "CAN", "--min-share", "0.5", "--top", "500"]);
    let nodes = dot_nodes(&g);
    assert!(nodes.contains("USA") && nodes.contains("CAN"), "{nodes:?}");
    assert!(
        edges(&g).contains(&("CAN".into(), "USA".into())),
        "{:?}",
        edges(&g)
    );
    // Country-sector nodes stay when asked; sector layers and country lists filter: every
    // flow drawn is a delivery of motor vehicles (C29) between the three countries' nodes.
    let g = draw_dot(&[
        "--as-is",
        "--sector",
        "C29",
        "--countries",
        "CAN,USA,KOR",
        "--top",
        "8",
    ]);
    let nodes = dot_nodes(&g);
    assert!(
        nodes
            .iter()
            .all(|n| ["CAN:", "USA:", "KOR:"].iter().any(|c| n.starts_with(c))),
        "{nodes:?}"
    );
    let drawn = edges(&g);
    assert_eq!(drawn.len(), 8);
    assert!(drawn.iter().all(|(a, _)| a.ends_with(":C29")), "{drawn:?}");
    let g = draw_dot(&[total, "--backbone", "0.01", "--top", "1000"]);
    // 6,319 flows in the file (graphs/README.md).
    assert!(edge_count(&g) > 0 && edge_count(&g) < 6319);
}

#[test]
fn disparity_backbone_by_hand() {
    // A splits 100 over 4 buyers: B 70, C 10, D 10, E 10. For A->B, p = .7, k = 4:
    // alpha = (1 - .7)^3 = .027 < .05, kept; for A->C, (1 - .1)^3 = .729, not kept from A's
    // side, and C, D, E have one supplier each (k = 1), so nothing keeps them.
    let csv = b"exporter,importer,value\nA,B,70\nA,C,10\nA,D,10\nA,E,10\n".to_vec();
    let g = tradenet::io::load_bytes("b.csv", csv, &LoadOptions::default()).unwrap();
    let kept = tradenet::analysis::disparity_backbone(&g, 0.05);
    let ix = |s: &str| g.node_index(s).unwrap().index() as u32;
    assert_eq!(kept, vec![(ix("A"), ix("B"))]);
    assert_eq!(tradenet::analysis::disparity_backbone(&g, 0.8).len(), 4);
}

#[test]
fn impact_colouring_reads_shock_json() {
    let dir = tempfile::tempdir().unwrap();
    let shock = dir.path().join("s.json");
    std::fs::write(
        &shock,
        r#"{"countries": [{"id": "CAN", "delta_pct": -1.5}, {"id": "USA", "delta_pct": 0.2}]}"#,
    )
    .unwrap();
    let g = draw_dot(&["--color-by", "impact", "--impact", shock.to_str().unwrap()]);
    assert!(dot_nodes(&g).contains("CAN"));
    let text = format!("{g:?}");
    assert!(text.contains("-1.50%"), "impact labels missing");
    let err = tradenet(["draw", "--color-by", "impact", "-o", "x.svg"]).fails();
    assert!(err.contains("--impact"), "{err}");
}

#[test]
fn missing_graphviz_gives_the_install_hint_and_dot_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("x.svg");
    let err = tradenet(["draw", "graphs/tiny.json", "-o", svg.to_str().unwrap()])
        .env("PATH", "/nonexistent")
        .fails();
    assert!(
        err.contains("Graphviz is not installed") && err.contains("apt-get install graphviz"),
        "{err}"
    );
    assert!(!svg.exists(), "nothing half-written");
    let dot = dir.path().join("x.dot");
    tradenet(["draw", "graphs/tiny.json", "-o", dot.to_str().unwrap()])
        .env("PATH", "/nonexistent")
        .ok();
    assert!(std::fs::read_to_string(dot).unwrap().starts_with("digraph"));
    let err = tradenet(["draw", "graphs/tiny.json", "-o", "x.jpeg"]).fails();
    assert!(err.contains(".dot, .svg, .png or .pdf"), "{err}");
}

#[test]
fn graphml_and_gexf_are_well_formed_with_gephi_keys() {
    for (to, root_tag) in [("graphml", "graphml"), ("gexf", "gexf")] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(format!("h.{to}"));
        tradenet([
            "convert",
            "tests/good/hostile.json",
            "--to",
            to,
            "-o",
            out.to_str().unwrap(),
        ])
        .ok();
        let text = std::fs::read_to_string(&out).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{to}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), root_tag);
        let ids: BTreeSet<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .filter_map(|n| n.attribute("id"))
            .collect();
        assert_eq!(ids.len(), 20, "{to}");
        assert!(
            ids.contains("say \"cheese\"")
                && ids.contains("<b>bold</b>")
                && ids.contains("two lines"),
            "{to}: {ids:?}"
        );
        let edges: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("edge"))
            .collect();
        assert_eq!(edges.len(), 40, "{to}");
        if to == "gexf" {
            assert!(edges.iter().all(|e| e.attribute("weight").is_some()));
            let g = doc.descendants().find(|n| n.has_tag_name("graph")).unwrap();
            assert_eq!(g.attribute("defaultedgetype"), Some("directed"));
        } else {
            assert!(doc
                .descendants()
                .any(|n| n.has_tag_name("key") && n.attribute("attr.name") == Some("weight")));
        }
    }
}

#[test]
fn shock_flags_colour_by_impact_directly() {
    // The same numbers as `tradenet shock --format json` then --impact FILE.
    let g = draw_dot(&["--tariff", "USA:CAN:C29=25%"]);
    let text = format!("{g:?}");
    assert!(dot_nodes(&g).contains("CAN"));
    // -0.11%: numpy, the headline model of tests/fixtures/shock/make_fixtures.py (WITS-SMART,
    // eps -1, sigma 1.5, then dx = solve(I - A, dy)) on graphs/icio2022_focus8.json with C29
    // for c15 and the US's imports of C29 = the intermediate deliveries of each foreign
    // k:C29 to US nodes (final demand has no destination): CAN's dx -4.163 bn over its gross
    // output 3,799.8 bn = -0.1096%.
    assert!(
        text.contains("-0.11%"),
        "CAN's change in output (-0.11%) is missing"
    );
    // Node by node (same computation): CAN:C29 -4.91%, MEX:C29 +0.29%, then CAN:C24A -0.22%;
    // every other node changes by less.
    let g = draw_dot(&[
        "--tariff",
        "USA:CAN:C29=25%",
        "--as-is",
        "--impact-threshold",
        "0.25",
        "--top",
        "30",
    ]);
    let nodes = dot_nodes(&g);
    let want: BTreeSet<String> = ["CAN:C29", "MEX:C29"].map(String::from).into();
    assert_eq!(nodes, want);
    let err = tradenet([
        "draw",
        "--tariff",
        "USA:CAN:C29=25%",
        "--impact",
        "x.json",
        "-o",
        "x.dot",
    ])
    .fails();
    assert!(err.contains("not both"), "{err}");
    let err = tradenet(["draw", "--tariff", "USA:CNA:C29=25%", "-o", "x.dot"]).fails();
    assert!(err.contains("CAN"), "a typo gets a suggestion: {err}");
}

#[test]
fn value_added_draws_countries_linked_by_value_added_absorbed_abroad() {
    // WIOD 2011 from ../shared/data: one node per country, edges a -> b = a's value added in
    // b's final demand (V B Y); Canada's largest is the US (220.55 bn in `tradenet gvc
    // --exporter CAN`, the same V B Y).
    crate::common::shared_data("wiod2011/full");
    let g = draw_dot(&[
        "../shared/data/wiod2011/full",
        "--value-added",
        "--top",
        "30",
    ]);
    let nodes = dot_nodes(&g);
    assert!(
        nodes.contains("CAN") && nodes.contains("USA") && !nodes.iter().any(|n| n.contains(':')),
        "{nodes:?}"
    );
    assert_eq!(edge_count(&g), 30);
    assert!(edges(&g).contains(&("CAN".to_string(), "USA".to_string())));
    // A graph without final demand by destination is refused, naming what is missing.
    let e = tradenet(["draw", "--value-added", "-o", "/tmp/never-written.dot"]).fails_with(2);
    assert!(e.contains("final demand"), "{e}");
    assert!(!std::path::Path::new("/tmp/never-written.dot").exists());
}

/// The size an SVG of Graphviz declares (points), and the smallest font size of its text as
/// printed at that size (the drawing's scale times the font size).
fn printed(svg: &str) -> ((f64, f64), f64) {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, opts).unwrap();
    let root = doc.root_element();
    let pt = |k: &str| -> f64 {
        root.attribute(k)
            .unwrap()
            .trim_end_matches("pt")
            .parse()
            .unwrap()
    };
    // The drawing's group: transform="scale(s s) rotate(0) translate(...)".
    let g = root
        .descendants()
        .find(|n| n.attribute("class") == Some("graph"))
        .unwrap();
    let t = g.attribute("transform").unwrap();
    let s: f64 = t["scale(".len()..]
        .split([' ', ')'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let smallest = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.attribute("font-size").and_then(|f| f.parse::<f64>().ok()))
        .fold(f64::INFINITY, f64::min);
    ((pt("width"), pt("height")), s * smallest)
}

#[test]
fn the_world_overview_fits_a_report_page_with_labels_of_7_pt_or_more() {
    if !has_dot() {
        assert!(std::env::var_os("CI").is_none(), "CI must install Graphviz");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("w.svg");
    tradenet([
        "draw",
        "graphs/icio2022_trade_total.json",
        "-o",
        svg.to_str().unwrap(),
    ])
    .ok_with_notes();
    let ((w, h), smallest) = printed(&std::fs::read_to_string(&svg).unwrap());
    // The default page: A4's text block, 160 x 247 mm = 453.5 x 700.2 pt. Before: a
    // 3,641 x 2,925 pt canvas with labels of 9-18 pt (2-4.7 pt once fitted to the page).
    assert!(w <= 453.6 && h <= 700.2, "{w} x {h} pt");
    assert!(
        smallest >= 7.0,
        "the smallest text prints at {smallest:.2} pt"
    );
    // Another page: at most 100 x 80 mm (283.5 x 226.8 pt); the labels shrink with it, and
    // a note says so.
    let run = tradenet([
        "draw",
        "graphs/icio2022_trade_total.json",
        "--page",
        "100x80mm",
        "-o",
        svg.to_str().unwrap(),
    ])
    .output();
    assert!(run.status.success());
    let notes = String::from_utf8_lossy(&run.stderr);
    let ((w, h), smallest) = printed(&std::fs::read_to_string(&svg).unwrap());
    assert!(w <= 283.5 && h <= 226.8, "{w} x {h} pt");
    assert!(
        smallest < 7.0 && notes.contains("labels print at"),
        "{notes}"
    );
    let err = tradenet(["draw", "--page", "170x240", "-o", "x.dot"]).fails();
    assert!(err.contains("--page") && err.contains("no unit"), "{err}");
    let err = tradenet(["draw", "--page", "0.5x9in", "-o", "x.dot"]).fails();
    assert!(
        err.contains("--page") && err.contains("out of range"),
        "{err}"
    );
}

#[test]
fn industry_nodes_say_which_industry_their_code_is() {
    let g = draw_dot(&[
        "--tariff",
        "USA:CAN:C29=25%",
        "--as-is",
        "--impact-threshold",
        "0.25",
        "--top",
        "30",
    ]);
    let text = format!("{g:?}");
    // C29 in the graph's sector table: "Manufacture of motor vehicles, trailers and
    // semi-trailers".
    assert!(text.contains("CAN:C29\\\\nMotor vehicles"), "{text}");
    // Every figure is named in the legend.
    assert!(
        text.contains("node figures: the change in percent of its baseline, then its strength"),
        "{text}"
    );
}
