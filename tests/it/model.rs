//! Library tests: every bundled graph round-trips through every writer, and the views
//! (countries, sectors, regions, ego, year) keep the numbers they should.

use std::path::{Path, PathBuf};
use tradenet::io::{load, load_bytes, write, LoadOptions, OutputFormat};
use tradenet::{Direction, FinalDemand, GraphKind, TradeGraph};

fn graphs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
    v.sort();
    assert!(v.len() >= 4, "bundled graphs missing: {v:?}");
    v
}

fn open(p: &Path) -> TradeGraph {
    load(p.to_str().unwrap(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A flow as text and numbers: (from, to, sector, value, year).
type FlowRow = (String, String, Option<String>, f64, Option<u16>);

/// Everything a graph holds, with sectors as codes, for comparing graphs made differently.
fn content(g: &TradeGraph) -> (Vec<String>, Vec<FlowRow>) {
    let sec = |s: Option<tradenet::SectorId>| s.map(|s| g.sector(s).id.clone());
    let nodes = g
        .nodes()
        .map(|n| {
            format!(
                "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                n.id,
                n.country,
                sec(n.sector),
                n.name(),
                n.region(),
                n.output(),
                n.final_demand()
            )
        })
        .collect();
    let flows = g
        .flows()
        .map(|(a, b, f)| {
            (
                g.node(a).id.to_string(),
                g.node(b).id.to_string(),
                sec(f.sector),
                f.value,
                f.year,
            )
        })
        .collect();
    (nodes, flows)
}

#[test]
fn native_json_round_trips_byte_for_byte() {
    for p in graphs() {
        let g = open(&p);
        let once = write(&g, OutputFormat::Native);
        let g2 = load_bytes("again.json", once.clone(), &LoadOptions::default()).unwrap();
        let twice = write(&g2, OutputFormat::Native);
        assert_eq!(once, twice, "{}", p.display());
        assert_eq!(content(&g), content(&g2), "{}", p.display());
        assert_eq!(g.meta, g2.meta);
        assert_eq!(g.sectors(), g2.sectors());
    }
}

#[test]
fn native_to_nodelink_to_native_keeps_every_node_flow_and_value() {
    for p in graphs() {
        let g = open(&p);
        let nl = write(&g, OutputFormat::NodeLink);
        let back = load_bytes("x.nodelink.json", nl, &LoadOptions::default()).unwrap();
        assert_eq!(back.kind(), g.kind());
        assert_eq!(content(&g), content(&back), "{}", p.display());
        assert_eq!(g.sectors(), back.sectors(), "{}", p.display());
        assert_eq!(g.meta, back.meta, "{}", p.display());
        // And from there back to native, byte-identical to the direct write.
        assert_eq!(
            write(&back, OutputFormat::Native),
            write(&g, OutputFormat::Native)
        );
    }
}

#[test]
fn nodelink_streamed_and_buffered_key_orders_read_the_same() {
    // NetworkX's key order (edges last) streams the edges; other orders hold the document
    // first. Both must give the same graph, problems included.
    for p in graphs() {
        let g = open(&p);
        let nl = write(&g, OutputFormat::NodeLink);
        let doc: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&nl).unwrap();
        let keys: Vec<&String> = doc.keys().collect();
        assert_eq!(keys.last().map(|k| k.as_str()), Some("edges"), "{keys:?}");
        let mut reordered = serde_json::Map::new();
        for k in ["edges", "graph", "nodes", "directed", "multigraph"] {
            reordered.insert(k.to_string(), doc[k].clone());
        }
        let first = serde_json::to_vec(&reordered).unwrap();
        let streamed = load_bytes("a.json", nl, &LoadOptions::default()).unwrap();
        let buffered = load_bytes("b.json", first, &LoadOptions::default()).unwrap();
        assert_eq!(
            write(&streamed, OutputFormat::Native),
            write(&buffered, OutputFormat::Native),
            "{}",
            p.display()
        );
    }
    let bad = |edges_last: bool| {
        let e = r#""edges": [{"source": "a", "target": "b", "value": -1}, {"source": "a", "target": "zz"}]"#;
        let rest = r#""directed": false, "graph": {}, "nodes": [{"id": "a"}, {"id": "b"}]"#;
        let doc = if edges_last {
            format!("{{{rest}, {e}}}")
        } else {
            format!("{{{e}, {rest}}}")
        };
        load_bytes("c.json", doc.into_bytes(), &LoadOptions::default())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(bad(true), bad(false));
    assert!(bad(true).contains("undirected") && bad(true).contains("edges[1]"));
    // Streamed "links" followed by "edges": which holds the edges is ambiguous.
    let both = br#"{"directed": true, "graph": {}, "nodes": [{"id": "a"}, {"id": "b"}],
        "links": [{"source": "a", "target": "b", "value": 1}],
        "edges": [{"source": "b", "target": "a", "value": 1}]}"#;
    let err = load_bytes("d.json", both.to_vec(), &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("both \"edges\" and \"links\""), "{err}");
}

#[test]
fn csv_round_trip_keeps_flows() {
    for p in graphs() {
        let g = open(&p);
        if g.kind() == GraphKind::InputOutput {
            continue; // a CSV edge list cannot hold output and final demand
        }
        let csv = write(&g, OutputFormat::Csv);
        let back = load_bytes("x.csv", csv, &LoadOptions::default()).unwrap();
        assert_eq!(content(&g).1, content(&back).1, "{}", p.display());
    }
}

#[test]
fn nodelink_reads_links_key_integer_ids_and_weight() {
    let doc = br#"{"directed": true, "multigraph": false, "graph": {"name": "t"},
        "nodes": [{"id": 1, "name": "one"}, {"id": 2}, {"id": "x"}],
        "links": [{"source": 1, "target": 2, "weight": 3.5}, {"source": 2, "target": "x", "weight": 1}]}"#;
    let g = load_bytes("nl.json", doc.to_vec(), &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 3);
    assert_eq!(g.node(g.node_index("1").unwrap()).name(), Some("one"));
    assert_eq!(g.total_value(), 4.5);
    assert_eq!(g.meta.name.as_deref(), Some("t"));
    // A chosen attribute wins over the defaults.
    let doc2 = br#"{"directed": true, "nodes": [{"id": "a"}, {"id": "b"}],
        "edges": [{"source": "a", "target": "b", "weight": 1, "usd": 7}]}"#;
    let opts = LoadOptions {
        weight_attr: Some("usd".into()),
        ..Default::default()
    };
    assert_eq!(
        load_bytes("nl.json", doc2.to_vec(), &opts)
            .unwrap()
            .total_value(),
        7.0
    );
}

#[test]
fn flows_before_nodes_keep_declared_node_order() {
    let doc = br#"{"flows": [{"from": "B", "to": "A", "value": 1}], "format": "tradenet/1",
        "nodes": [{"id": "A"}, {"id": "B"}]}"#;
    let g = load_bytes("o.json", doc.to_vec(), &LoadOptions::default()).unwrap();
    let ids: Vec<&str> = g.nodes().map(|n| &*n.id).collect();
    assert_eq!(ids, ["A", "B"]);
    let (a, b, _) = g.flows().next().unwrap();
    assert_eq!((&*g.node(a).id, &*g.node(b).id), ("B", "A"));
    assert_eq!(g.node_index("B").unwrap().index(), 1);
}

fn default_graph() -> TradeGraph {
    tradenet::bundled::default_graph().unwrap()
}

#[test]
fn country_view_of_wiod_matches_the_published_check() {
    // ../shared/data/wiod2011/SOURCE.md (WIOD 2011): Canada's exports 516.3 bn USD, CAN->USA
    // total 314.7 bn (intermediate + final). The whole WIOD 2011 input-output set, read at run
    // time (final demand by destination, which the bundled ICIO graphs lack), seen by country
    // must give the same numbers.
    let dir = crate::common::shared_data("wiod2011/full");
    let g = open(&dir);
    assert_eq!(g.kind(), GraphKind::InputOutput);
    let c = g.countries();
    assert_eq!(c.kind(), GraphKind::Trade);
    assert_eq!(c.node_count(), 41);
    let can = c.node_index("CAN").unwrap();
    let usa = c.node_index("USA").unwrap();
    let exports: f64 = c
        .flows()
        .filter(|(a, _, _)| *a == can)
        .map(|(_, _, f)| f.value)
        .sum();
    assert!(
        (exports / 1e9 - 516.3).abs() < 0.05,
        "CAN exports {exports}"
    );
    let to_us: f64 = c
        .flows()
        .filter(|(a, b, _)| *a == can && *b == usa)
        .map(|(_, _, f)| f.value)
        .sum();
    assert!((to_us / 1e9 - 314.7).abs() < 0.05, "CAN->USA {to_us}");
    // c15 intermediate + final, the figure SOURCE.md gives: 59.8 bn.
    let c15 = c.sector_id("c15").unwrap();
    let autos: f64 = c
        .flows()
        .filter(|(a, b, f)| *a == can && *b == usa && f.sector == Some(c15))
        .map(|(_, _, f)| f.value)
        .sum();
    assert!((autos / 1e9 - 59.8).abs() < 0.05, "CAN->USA c15 {autos}");
    // No domestic flow survives.
    assert!(c.flows().all(|(a, b, _)| a != b));
}

#[test]
fn country_view_conserves_cross_border_value() {
    let g = default_graph();
    let mut expected = 0.0;
    for (a, b, f) in g.flows() {
        if g.node(a).country != g.node(b).country {
            expected += f.value;
        }
    }
    let mut negative_abroad = 0.0;
    for n in g.nodes() {
        if let Some(FinalDemand::ByDestination(d)) = n.final_demand() {
            for (dest, v) in d {
                if Some(dest.as_str()) != n.country.as_deref() {
                    expected += v;
                }
            }
        }
    }
    // Net negative final demand abroad (inventory drawdowns) is dropped from the view.
    let c = g.countries();
    for (_, _, f) in c.flows() {
        assert!(f.value > 0.0);
    }
    let got = c.total_value();
    negative_abroad += expected - got;
    assert!(
        negative_abroad.abs() / expected < 1e-3,
        "expected {expected}, got {got}"
    );
}

#[test]
fn sector_layer_and_sum_of_sectors() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/icio2022_trade_by_sector.json");
    let g = open(&p);
    let c29 = g.require_sector("C29").unwrap();
    let layer = g.sector_layer(&[c29]);
    assert_eq!(layer.node_count(), g.node_count());
    assert!(layer.flows().all(|(_, _, f)| f.sector == Some(c29)));
    let (can, usa) = (g.node_index("CAN").unwrap(), g.node_index("USA").unwrap());
    let v: f64 = layer
        .flows()
        .filter(|(a, b, _)| (*a, *b) == (can, usa))
        .map(|(_, _, f)| f.value)
        .sum();
    // graphs/README.md: US industries' purchases of Canadian C29 (motor vehicles), 6.35 bn
    // (6.3525274 bn summed over the JSON's CAN->USA C29 flows with Python).
    assert!((v / 1e9 - 6.3525).abs() < 0.0005, "CAN->USA C29 {v}");
    let summed = g.aggregate_sectors();
    assert!((summed.total_value() - g.total_value()).abs() <= 1e-6 * g.total_value());
    let mut pairs: Vec<(usize, usize)> = summed
        .flows()
        .map(|(a, b, _)| (a.index(), b.index()))
        .collect();
    let n = pairs.len();
    pairs.sort_unstable();
    pairs.dedup();
    assert_eq!(pairs.len(), n, "one flow per pair");
    assert!(g
        .require_sector("C99")
        .unwrap_err()
        .to_string()
        .contains("unknown sector 'C99'"));
}

#[test]
fn ego_network_hops_and_directions() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/tiny.json");
    let g = open(&p);
    let ego = g.ego("CAN", 1, Direction::Both).unwrap();
    let can = g.node_index("CAN").unwrap();
    let mut expected: Vec<&str> = g
        .flows()
        .filter(|(a, b, _)| *a == can || *b == can)
        .flat_map(|(a, b, _)| [&*g.node(a).id, &*g.node(b).id])
        .collect();
    expected.sort_unstable();
    expected.dedup();
    let mut got: Vec<&str> = ego.nodes().map(|n| &*n.id).collect();
    got.sort_unstable();
    assert_eq!(got, expected);
    // The flows that touch CAN, all of them, and no flow between its partners.
    let touching = g.flows().filter(|(a, b, _)| *a == can || *b == can).count();
    assert_eq!(ego.flow_count(), touching);
    assert!(ego
        .flows()
        .all(|(a, b, _)| &*ego.node(a).id == "CAN" || &*ego.node(b).id == "CAN"));
    // Two hops: also the sales of CAN's buyers and the purchases of its suppliers; one way
    // only with a direction.
    let two = g.ego("CAN", 2, Direction::Both).unwrap();
    let buyers: Vec<_> = g
        .flows()
        .filter(|(a, _, _)| *a == can)
        .map(|(_, b, _)| b)
        .collect();
    let sellers: Vec<_> = g
        .flows()
        .filter(|(_, b, _)| *b == can)
        .map(|(a, _, _)| a)
        .collect();
    let want = g
        .flows()
        .filter(|(a, b, _)| *a == can || *b == can || buyers.contains(a) || sellers.contains(b))
        .count();
    assert_eq!(two.flow_count(), want);
    let out = g.ego("CAN", 1, Direction::Out).unwrap();
    assert!(out.flows().all(|(a, _, _)| &*out.node(a).id == "CAN"));
    let zero = g.ego("CAN", 0, Direction::Both).unwrap();
    assert_eq!(zero.node_count(), 1);
    assert_eq!(zero.flow_count(), 0);
    let err = g.ego("CNA", 1, Direction::Both).unwrap_err().to_string();
    assert!(err.contains("did you mean 'CAN'"), "{err}");
}

#[test]
fn year_view_and_region_view() {
    // No multi-year graph is bundled: the WIOD 1995-2011 panel from ../shared/data.
    let p = crate::common::shared_data("wiod2011/edges_total_1995_2011.csv");
    let g = open(&p);
    let years = g.years();
    assert_eq!(
        (years[0], *years.last().unwrap(), years.len()),
        (1995, 2011, 17)
    );
    let y = g.year(2011).unwrap();
    assert!(y.flows().all(|(_, _, f)| f.year == Some(2011)));
    // 1,628 rows of the CSV have year 2011 (awk -F, '$4 == 2011' on the file; none is 0).
    assert_eq!(y.flow_count(), 1628);
    assert_eq!(
        y.flow_count() + g.flows().filter(|(_, _, f)| f.year != Some(2011)).count(),
        g.flow_count()
    );
    let err = g.year(2012).unwrap_err().to_string();
    assert!(err.contains("2011"), "{err}");
    // A CSV edge list has no regions; the bundled 80-economy graph has them (graphs/README.md:
    // UN M49 continents Africa, Americas, Asia, Europe, Oceania).
    assert!(y
        .regions()
        .unwrap_err()
        .to_string()
        .contains("has no region"));
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/icio2022_trade_total.json");
    let y = open(&p);
    let r = y.regions().unwrap();
    assert!(r.flows().all(|(a, b, _)| a != b));
    let mut names: Vec<&str> = r.nodes().map(|n| &*n.id).collect();
    names.sort_unstable();
    assert_eq!(names, ["Africa", "Americas", "Asia", "Europe", "Oceania"]);
    let inside: f64 = y
        .flows()
        .filter(|(a, b, _)| y.node(*a).region() == y.node(*b).region())
        .map(|(_, _, f)| f.value)
        .sum();
    assert!((r.total_value() + inside - y.total_value()).abs() < 1e-6 * y.total_value());
}

#[test]
fn only_countries_keeps_their_nodes_and_flows() {
    let g = default_graph();
    let sub = g.only_countries(&["CAN", "KOR"]).unwrap();
    // 2 countries x 50 industries (graphs/README.md).
    assert_eq!(sub.node_count(), 100);
    assert!(sub
        .nodes()
        .all(|n| matches!(n.country.as_deref(), Some("CAN") | Some("KOR"))));
    assert!(g
        .only_countries(&["KOR", "KRO"])
        .unwrap_err()
        .to_string()
        .contains("did you mean 'KOR'"));
}

#[test]
fn io_csv_set_reads_the_full_wiod_system() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/wiod2011/full");
    assert!(
        dir.exists(),
        "{} not found: tests read the real data sets from ../shared/data",
        dir.display()
    );
    let g = load(dir.to_str().unwrap(), &LoadOptions::default()).unwrap();
    assert_eq!(g.kind(), GraphKind::InputOutput);
    assert_eq!((g.node_count(), g.flow_count()), (1435, 413_525));
    // SOURCE.md: USA:c1 -> USA:c1 = 68,166 million USD.
    let u = g.node_index("USA:c1").unwrap();
    let v: f64 = g
        .flows()
        .filter(|(a, b, _)| *a == u && *b == u)
        .map(|(_, _, f)| f.value)
        .sum();
    assert_eq!(v, 68_166e6);
    let negative = g
        .nodes()
        .filter_map(|n| match n.final_demand() {
            Some(FinalDemand::ByDestination(d)) => Some(d.iter().filter(|(_, v)| *v < 0.0).count()),
            _ => None,
        })
        .sum::<usize>();
    assert_eq!(negative, 43, "SOURCE.md: 43 negative final-demand entries");
    assert_eq!(g.nodes().filter(|n| n.output() == Some(0.0)).count(), 22);
}

/// The transposed aggregate built from the graph equals the aggregate transposed, sums of
/// parallel flows included (to the bit), with and without a sector filter.
#[test]
fn transposed_aggregate_equals_aggregate_transposed() {
    let g = tradenet::bundled::default_graph().unwrap();
    let c = tradenet::Csr::from_graph(&g, &tradenet::FlowFilter::default());
    assert_eq!(
        tradenet::Csr::from_graph_transposed(&g, &tradenet::FlowFilter::default()),
        c.transpose()
    );
    let t =
        tradenet::io::load("graphs/icio2022_trade_by_sector.json", &Default::default()).unwrap();
    let f = tradenet::FlowFilter {
        sectors: Some(vec![t.sector_id("C29").unwrap()]),
        ..Default::default()
    };
    let a = tradenet::Csr::from_graph(&t, &f);
    assert!(a.nnz() > 100);
    assert_eq!(tradenet::Csr::from_graph_transposed(&t, &f), a.transpose());
    let all = tradenet::Csr::from_graph(&t, &tradenet::FlowFilter::default());
    assert_eq!(
        tradenet::Csr::from_graph_transposed(&t, &tradenet::FlowFilter::default()),
        all.transpose()
    );
}

#[test]
fn sector_goods_flag_is_read_written_and_checked() {
    let text = br#"{"format": "tradenet/1",
        "sectors": [{"id": "c1", "name": "Agriculture", "goods": true}, {"id": "s", "goods": false}, {"id": "x"}],
        "nodes": [{"id": "A"}, {"id": "B"}],
        "flows": [{"from": "A", "to": "B", "sector": "c1", "value": 1}, {"from": "A", "to": "B", "sector": "s", "value": 2}]}"#;
    let g = load_bytes("g.json", text.to_vec(), &LoadOptions::default()).unwrap();
    let flags: Vec<Option<bool>> = g.sectors().iter().map(|s| s.goods).collect();
    assert_eq!(flags, [Some(true), Some(false), None]);
    let native = String::from_utf8(write(&g, OutputFormat::Native)).unwrap();
    assert!(
        native.contains(r#"{"id":"c1","name":"Agriculture","goods":true}"#),
        "{native}"
    );
    assert!(native.contains(r#"{"id":"s","goods":false}"#), "{native}");
    assert!(native.contains(r#"{"id":"x"}"#), "{native}");
    for fmt in [OutputFormat::Native, OutputFormat::NodeLink] {
        let back = load_bytes("b.json", write(&g, fmt), &LoadOptions::default()).unwrap();
        assert_eq!(back.sectors(), g.sectors());
    }
    // GraphML and GEXF carry it as a boolean attribute of the flows (and of sector nodes).
    let gml = String::from_utf8(write(&g, OutputFormat::GraphMl)).unwrap();
    assert!(
        gml.contains(r#"attr.name="goods" attr.type="boolean""#),
        "{gml}"
    );
    assert!(gml.contains(r#"<data key="e_goods">true</data>"#), "{gml}");
    assert!(gml.contains(r#"<data key="e_goods">false</data>"#), "{gml}");
    let gexf = String::from_utf8(write(&g, OutputFormat::Gexf)).unwrap();
    assert!(
        gexf.contains(r#"<attribute id="3" title="goods" type="boolean"/>"#),
        "{gexf}"
    );
    assert!(
        gexf.contains(r#"<attvalue for="3" value="true"/>"#),
        "{gexf}"
    );
    // Not a boolean: an error at its JSON path, with a hint.
    let bad = br#"{"format": "tradenet/1", "sectors": [{"id": "c1", "goods": "yes"}],
        "nodes": [{"id": "A"}, {"id": "B"}], "flows": [{"from": "A", "to": "B", "sector": "c1", "value": 1}]}"#;
    let e = load_bytes("bad.json", bad.to_vec(), &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("sectors[0].goods: must be true or false"), "{e}");
    assert!(e.contains("hint:"), "{e}");
    // The bundled ICIO graphs flag ISIC Rev.4 sections A (agriculture), B (mining) and C
    // (manufacturing) as goods, D to T as services: 27 of the default graph's 50 industries,
    // and all 27 industries of the by-sector trade graph.
    let g = default_graph();
    assert_eq!(g.sectors().len(), 50);
    for s in g.sectors() {
        let goods = matches!(s.id.as_bytes()[0], b'A' | b'B' | b'C');
        assert_eq!(s.goods, Some(goods), "{}", s.id);
    }
    assert_eq!(
        g.sectors().iter().filter(|s| s.goods == Some(true)).count(),
        27
    );
    let t =
        open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/icio2022_trade_by_sector.json"));
    assert_eq!(t.sectors().len(), 27);
    assert!(t.sectors().iter().all(|s| s.goods == Some(true)));
}
