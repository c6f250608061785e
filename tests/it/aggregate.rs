//! `--regions` and `--sector-groups`: countries merged into regions and sectors into groups,
//! on trade and input-output graphs, as views every command takes. Reference values are worked
//! out by hand from the small files in `tests/good/` (the comments say how).

use crate::common::{num, tradenet};
use serde_json::{json, Value};

fn native(args: &[&str]) -> Value {
    let mut a = vec!["convert", "--to", "json"];
    a.extend_from_slice(args);
    tradenet(a).json()
}

fn flow(g: &Value, from: &str, to: &str, sector: Option<&str>) -> f64 {
    g["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["from"] == from && f["to"] == to)
        .filter(|f| sector.is_none_or(|s| f["sector"] == s))
        .map(|f| f["value"].as_f64().unwrap())
        .sum()
}

fn total(g: &Value) -> f64 {
    g["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_f64().unwrap())
        .sum()
}

fn node<'a>(g: &'a Value, id: &str) -> &'a Value {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

#[test]
fn trade_regions_drop_flows_inside_and_keep_the_rest_exactly() {
    // tests/good/agg_trade.csv: 11 flows, total 371. NAFTA = CAN, USA, MEX; EASIA = JPN, KOR.
    // Inside NAFTA: 100 + 25 + 80 + 50 + 30 + 5 = 290; inside EASIA: KOR->JPN 11. Between:
    // EASIA->NAFTA c1 40 (JPN->USA), c2 7 (JPN->CAN); NAFTA->EASIA c2 20 (USA->JPN), c1 3 (CAN->JPN).
    let before = native(&["tests/good/agg_trade.csv"]);
    assert_eq!(total(&before), 371.0);
    let g = native(&[
        "--regions",
        "tests/good/regions_nafta.csv",
        "tests/good/agg_trade.csv",
    ]);
    assert_eq!(flow(&g, "EASIA", "NAFTA", Some("c1")), 40.0);
    assert_eq!(flow(&g, "EASIA", "NAFTA", Some("c2")), 7.0);
    assert_eq!(flow(&g, "NAFTA", "EASIA", Some("c2")), 20.0);
    assert_eq!(flow(&g, "NAFTA", "EASIA", Some("c1")), 3.0);
    assert_eq!(g["flows"].as_array().unwrap().len(), 4);
    // Totals: what is kept plus what was inside is the whole, exactly.
    assert_eq!(total(&g) + 290.0 + 11.0, total(&before));
    let notes = g["meta"]["notes"].as_str().unwrap();
    assert!(
        notes.contains("7 flows inside a group dropped (value 301)"),
        "{notes}"
    );
    // Regions of more than one country are aggregates and list their members.
    let nafta = node(&g, "NAFTA");
    assert_eq!(nafta["aggregate"], true);
    assert_eq!(nafta["attrs"]["members"], json!(["CAN", "MEX", "USA"]));
    assert_eq!(nafta["name"], "North American Free Trade Agreement");
    assert_eq!(node(&g, "EASIA")["attrs"]["members"], json!(["JPN", "KOR"]));
}

#[test]
fn io_regions_keep_deliveries_inside_as_domestic() {
    // tests/good/agg_io.json: CAN:A, CAN:B, USA:A, JPN:A; NA = CAN + USA, JP = JPN.
    // NA:A -> NA:A = CAN:A->USA:A 10 + USA:A->CAN:A 6 = 16 (a self-flow: domestic to the
    // region); NA:A -> NA:B 4; NA:B -> NA:A 2; JP:A -> NA:A 3; NA:A -> JP:A 1. Total 26 as before.
    // Output NA:A = 100 + 200. Final demand NA:A: CAN:A {CAN 60, USA 20} + USA:A {USA 150,
    // CAN 10, JPN -2} = {NA 240, JP -2}.
    let before = native(&["tests/good/agg_io.json"]);
    let g = native(&[
        "--regions",
        "tests/good/regions_na_jp.csv",
        "tests/good/agg_io.json",
    ]);
    assert_eq!(total(&g), total(&before));
    assert_eq!(total(&g), 26.0);
    assert_eq!(flow(&g, "NA:A", "NA:A", None), 16.0);
    assert_eq!(flow(&g, "NA:A", "NA:B", None), 4.0);
    assert_eq!(flow(&g, "NA:B", "NA:A", None), 2.0);
    assert_eq!(flow(&g, "JP:A", "NA:A", None), 3.0);
    assert_eq!(flow(&g, "NA:A", "JP:A", None), 1.0);
    let na = node(&g, "NA:A");
    assert_eq!(na["output"], 300);
    assert_eq!(na["country"], "NA");
    assert_eq!(na["aggregate"], true);
    assert_eq!(na["final_demand"], json!({"NA": 240, "JP": -2}));
    assert_eq!(node(&g, "NA:B")["final_demand"], json!({"NA": 30, "JP": 5}));
    assert_eq!(node(&g, "JP:A")["final_demand"], json!({"JP": 70, "NA": 4}));
    assert!(node(&g, "JP:A").get("aggregate").is_none());
}

#[test]
fn sector_groups_on_trade_and_io() {
    // Trade: c1 and c2 -> G; CAN->USA c1 100 + c2 25 = 125; 10 pairs, total 371.
    let g = native(&[
        "--sector-groups",
        "tests/good/sector_groups.csv",
        "tests/good/agg_trade.csv",
    ]);
    assert_eq!(flow(&g, "CAN", "USA", Some("G")), 125.0);
    assert_eq!(g["flows"].as_array().unwrap().len(), 10);
    assert_eq!(total(&g), 371.0);
    assert_eq!(g["sectors"], json!([{"id": "G"}]));
    // IO: A and B -> GOODS; CAN:GOODS -> CAN:GOODS = CAN:A->CAN:B 4 (a self-flow now);
    // CAN:GOODS -> USA:GOODS = 10 + 2; output CAN:GOODS = 100 + 50; final demand
    // {CAN 60 + 30, USA 20, JPN 5}.
    let g = native(&[
        "--sector-groups",
        "tests/good/sector_groups.csv",
        "tests/good/agg_io.json",
    ]);
    assert_eq!(total(&g), 26.0);
    assert_eq!(flow(&g, "CAN:GOODS", "CAN:GOODS", None), 4.0);
    assert_eq!(flow(&g, "CAN:GOODS", "USA:GOODS", None), 12.0);
    let c = node(&g, "CAN:GOODS");
    assert_eq!(c["output"], 150);
    assert_eq!(c["final_demand"], json!({"CAN": 90, "USA": 20, "JPN": 5}));
    // Both views at once: NA:GOODS holds every delivery among CAN and USA.
    let g = native(&[
        "--regions",
        "tests/good/regions_na_jp.csv",
        "--sector-groups",
        "tests/good/sector_groups.csv",
        "tests/good/agg_io.json",
    ]);
    assert_eq!(
        flow(&g, "NA:GOODS", "NA:GOODS", None),
        10.0 + 6.0 + 4.0 + 2.0
    );
    assert_eq!(total(&g), 26.0);
}

#[test]
fn unlisted_countries_are_an_error_unless_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("partial.csv");
    std::fs::write(&p, "country,region\nCAN,NAFTA\nUSA,NAFTA\nMEX,NAFTA\n").unwrap();
    let ps = p.to_str().unwrap();
    let e = tradenet(["info", "--regions", ps, "tests/good/agg_trade.csv"]).fails();
    assert!(
        e.contains("partial.csv")
            && e.contains("2 countries of the graph are not in the file: JPN, KOR")
            && e.contains("--keep-unlisted"),
        "{e}"
    );
    let g = native(&[
        "--regions",
        ps,
        "--keep-unlisted",
        "tests/good/agg_trade.csv",
    ]);
    // JPN and KOR stay; NAFTA's inside flows (290) go: 371 - 290.
    assert_eq!(total(&g), 81.0);
    assert_eq!(flow(&g, "KOR", "JPN", None), 11.0);
    assert_eq!(flow(&g, "JPN", "NAFTA", None), 47.0);
}

#[test]
fn grouping_file_errors_name_the_line_and_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("conflict.csv");
    std::fs::write(&p, "country,region\nCAN,NAFTA\nCAN,EU\nUSA,\n").unwrap();
    let e = tradenet([
        "info",
        "--regions",
        p.to_str().unwrap(),
        "tests/good/agg_trade.csv",
    ])
    .fails();
    assert!(
        e.contains("conflict.csv")
            && e.contains("line 3")
            && e.contains("'CAN' is put in 'EU', but line 2 put it in 'NAFTA'")
            && e.contains("line 4 (region): empty field"),
        "{e}"
    );
    let e = tradenet(["info", "--keep-unlisted", "tests/good/agg_trade.csv"]).fails();
    assert!(
        e.contains("--keep-unlisted goes with --regions or --sector-groups"),
        "{e}"
    );
}

#[test]
fn every_command_takes_the_views() {
    let r = [
        "--regions",
        "tests/good/regions_nafta.csv",
        "tests/good/agg_trade.csv",
    ];
    let mut a = vec!["dependency", "--format", "json"];
    a.extend_from_slice(&r);
    let d = tradenet(a).json();
    let ids: Vec<&str> = d["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"NAFTA") && ids.contains(&"EASIA"), "{ids:?}");
    let mut a = vec![
        "centrality",
        "--format",
        "json",
        "--measure",
        "out_strength",
    ];
    a.extend_from_slice(&r);
    let c = tradenet(a).json();
    let nafta = c["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "NAFTA")
        .unwrap();
    assert_eq!(num(nafta, "out_strength"), 23.0);
    let mut a = vec!["info", "--format", "json"];
    a.extend_from_slice(&r);
    let i = tradenet(a).json();
    assert_eq!(num(&i, "total_value"), 70.0);
}
