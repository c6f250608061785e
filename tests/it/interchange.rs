//! The interchange formats load right in the tools researchers use: NetworkX reads the value
//! of node-link, GraphML and GEXF exports as the weight its measures use by default, the
//! `distance` attribute gives its path measures tradenet's lengths, and igraph finds vertices by
//! id with no NaN-filled attributes. Reference values: `tests/fixtures/interchange/expected.json`,
//! made by NetworkX 3.6.1 and igraph 1.0 (`make.py` beside it) on the exports this test
//! regenerates and checks by hash.

use crate::common::{root, tradenet};
use serde_json::Value;

fn expected() -> Value {
    let path = root().join("tests/fixtures/interchange/expected.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// FNV-1a, 64 bits, as `make.py` computes it.
fn fnv1a64(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// `tradenet centrality` on the graph: id -> value, for each measure.
fn tradenet_measures(graph: &str) -> Value {
    tradenet([
        "centrality",
        graph,
        "--measure",
        "pagerank,betweenness,closeness",
        "--tol",
        "1e-15",
        "--format",
        "json",
    ])
    .json()
}

fn value_of(v: &Value, id: &str, measure: &str) -> f64 {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))[measure]
        .as_f64()
        .unwrap()
}

#[test]
fn networkx_and_igraph_read_the_exports_as_tradenet_measures_them() {
    let want = expected();
    for case in want["cases"].as_array().unwrap() {
        let graph = case["graph"].as_str().unwrap();
        let flags: Vec<&str> = case["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let ours = tradenet_measures(graph);
        for (fmt, rec) in case["exports"].as_object().unwrap() {
            let mut args = vec!["convert", graph, "--to", fmt, "--distance", "inverse"];
            args.extend(&flags);
            let bytes = tradenet(&args).ok_bytes();
            assert_eq!(
                fnv1a64(&bytes),
                rec["fnv1a64"].as_str().unwrap(),
                "{graph} as {fmt}: the export changed since the fixture was made; rerun tests/fixtures/interchange/make.py"
            );
            let nx = &rec["networkx"];
            assert_eq!(nx["class"], "DiGraph", "{graph} {fmt}");
            for (measure, tol) in [
                ("pagerank", 1e-9),
                ("betweenness", 1e-9),
                ("closeness", 1e-9),
            ] {
                for (id, v) in nx[measure].as_object().unwrap() {
                    let got = value_of(&ours, id, measure);
                    let v = v.as_f64().unwrap();
                    assert!(
                        (got - v).abs() <= tol * v.abs().max(1e-3),
                        "{graph} {fmt} {measure} {id}: tradenet {got}, NetworkX {v}"
                    );
                }
            }
            if let Some(ig) = rec.get("igraph") {
                let ids: Vec<String> = ours["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["id"].as_str().unwrap().to_string())
                    .collect();
                let mut names: Vec<String> = ig["names"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap().to_string())
                    .collect();
                names.sort();
                let mut ids = ids;
                ids.sort();
                assert_eq!(
                    names, ids,
                    "{graph}: igraph's vertex names are the node ids"
                );
                assert_eq!(ig["nan_attributes"], serde_json::json!([]), "{graph}");
                for (id, v) in ig["pagerank"].as_object().unwrap() {
                    let got = value_of(&ours, id, "pagerank");
                    let v = v.as_f64().unwrap();
                    assert!(
                        (got - v).abs() <= 1e-6 * v.max(1e-3),
                        "{graph} igraph pagerank {id}: tradenet {got}, igraph {v}"
                    );
                }
            }
        }
    }
}

#[test]
fn exports_name_the_weight_and_refuse_a_distance_per_sector() {
    // The value under `weight` by default, under another name when asked, and read back.
    let t = tradenet(["convert", "graphs/tiny.json", "--to", "nodelink"]).ok();
    assert!(
        t.contains(r#""weight":"#) && !t.contains(r#""value":"#),
        "{t}"
    );
    let t = tradenet([
        "convert",
        "graphs/tiny.json",
        "--to",
        "nodelink",
        "--weight-name",
        "usd",
    ])
    .ok();
    assert!(
        t.contains(r#""usd":"#) && t.contains(r#""weight_attr":"usd""#),
        "{t}"
    );
    let back = tradenet(["info", "-", "--format", "json"])
        .stdin(t.into_bytes())
        .json();
    let orig = tradenet(["info", "graphs/tiny.json", "--format", "json"]).json();
    assert_eq!(back["total_value"], orig["total_value"]);
    assert_eq!(back["flows"], orig["flows"]);
    // A length per pair needs one flow per pair.
    let e = tradenet([
        "convert",
        "graphs/tiny.json",
        "--to",
        "graphml",
        "--distance",
        "neglog",
    ])
    .fails_with(2);
    assert!(
        e.contains("--distance neglog: ") && e.contains("collapse the sectors"),
        "{e}"
    );
    // A weight name the writers use for something else, and options of no use to the format.
    let e = tradenet([
        "convert",
        "graphs/tiny.json",
        "--to",
        "graphml",
        "--weight-name",
        "sector",
    ])
    .fails_with(2);
    assert!(e.contains("--weight-name sector: "), "{e}");
    let e = tradenet([
        "convert",
        "graphs/tiny.json",
        "--to",
        "csv",
        "--distance",
        "hops",
    ])
    .fails_with(2);
    assert!(e.contains("interchange formats"), "{e}");
}

/// GraphML keeps the metadata, the sector table and final demand by destination; attributes no
/// node has are not declared (igraph would fill them with NaN).
#[test]
fn graphml_keeps_metadata_sectors_and_final_demand() {
    let t = tradenet(["convert", "--to", "graphml"]).ok();
    for want in [
        r#"attr.name="unit""#,
        r#"attr.name="sectors""#,
        r#"attr.name="sector_name""#,
        r#"<data key="name">USA:C29</data>"#,
    ] {
        assert!(t.contains(want), "no {want}");
    }
    // WIOD's final demand is by destination country.
    let wiod = crate::common::shared_data("wiod2011/full");
    let t = tradenet(["convert", wiod.to_str().unwrap(), "--to", "graphml"]).ok();
    assert!(t.contains(r#"attr.name="final_demand_by""#));
    assert!(t.contains(r#"<data key="final_demand_by">{&quot;"#));
    let t = tradenet(["convert", "graphs/tiny.json", "--to", "graphml"]).ok();
    for absent in [
        r#"for="edge" attr.name="year""#,
        r#"for="node" attr.name="output""#,
    ] {
        assert!(
            !t.contains(absent),
            "{absent} declared, no flow or node has it"
        );
    }
}
