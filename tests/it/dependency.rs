//! Dependency analysis against hand calculations and the numpy references made by
//! tests/fixtures/dependency/make_fixtures.py (committed beside its output).

use serde_json::Value;
use std::path::Path;
use tradenet::analysis::{
    critical_dependencies, dependencies, dependencies_by_year, value_chain_exposure,
    CriticalParams, DependencyParams,
};
use tradenet::io::{load, load_bytes, LoadOptions};
use tradenet::TradeGraph;

fn root(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .to_string_lossy()
        .into_owned()
}

fn graph(p: &str) -> TradeGraph {
    load(&root(p), &LoadOptions::default()).unwrap()
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root("tests/fixtures/dependency/reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn hand_computed_shares_hhi_and_coverage() {
    // A exports 60 to B, 30 to C, 10 to D: shares .6 .3 .1, HHI .36+.09+.01 = .46,
    // HHI* = (.46 - 1/3) / (1 - 1/3) = .19, 80% needs B and C (2 partners).
    let csv = b"exporter,importer,value\nA,B,60\nA,C,30\nA,D,10\nB,A,5\n".to_vec();
    let g = load_bytes("hand.csv", csv, &LoadOptions::default()).unwrap();
    let p = DependencyParams {
        partner: Some("B".into()),
        ..Default::default()
    };
    let rows = dependencies(&g, &p).unwrap();
    let a = rows.iter().find(|r| r.id == "A").unwrap();
    assert_eq!(a.exports.total, 100.0);
    assert_eq!(a.exports.top_partner.as_deref(), Some("B"));
    assert!(close(a.exports.top_share.unwrap(), 0.6, 1e-15));
    assert!(close(a.exports.hhi.unwrap(), 0.46, 1e-15));
    assert!(close(a.exports.hhi_norm.unwrap(), 0.19, 1e-12));
    assert_eq!(a.exports.partners_to_cover, Some(2));
    // One partner: HHI 1, normalised HHI undefined.
    assert_eq!(a.imports.hhi, Some(1.0));
    assert_eq!(a.imports.hhi_norm, None);
    let link = a.partner.as_ref().unwrap();
    assert_eq!((link.exports_to, link.imports_from), (60.0, 5.0));
    assert_eq!(link.export_share, Some(0.6));
    assert_eq!(link.exposure, None, "no output in an edge list");
    // D never exports: no concentration to speak of.
    let d = rows.iter().find(|r| r.id == "D").unwrap();
    assert_eq!((d.exports.hhi, d.exports.top_partner.clone()), (None, None));
    // Rows by exports, descending.
    assert_eq!(rows[0].id, "A");
    // Exactly 80% is reached by the partners that make it.
    let csv = b"exporter,importer,value\nA,B,8\nA,C,2\n".to_vec();
    let g = load_bytes("eighty.csv", csv, &LoadOptions::default()).unwrap();
    let rows = dependencies(&g, &DependencyParams::default()).unwrap();
    assert_eq!(rows[0].exports.partners_to_cover, Some(1));
}

#[test]
fn scaling_all_flows_changes_no_share() {
    let base = b"exporter,importer,value\nA,B,6\nA,C,3\nC,B,1\n".to_vec();
    let scaled = b"exporter,importer,value\nA,B,6e6\nA,C,3e6\nC,B,1e6\n".to_vec();
    let a = dependencies(
        &load_bytes("a.csv", base, &LoadOptions::default()).unwrap(),
        &DependencyParams::default(),
    )
    .unwrap();
    let b = dependencies(
        &load_bytes("b.csv", scaled, &LoadOptions::default()).unwrap(),
        &DependencyParams::default(),
    )
    .unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.id, y.id);
        assert_eq!(
            x.exports.hhi.map(|h| (h * 1e12).round()),
            y.exports.hhi.map(|h| (h * 1e12).round())
        );
        assert_eq!(x.imports.top_share, y.imports.top_share);
    }
}

#[test]
fn shares_match_the_python_reference_on_world_trade_2016() {
    let r = reference();
    let g = graph("graphs/world_trade_2016.json");
    let rows = dependencies(&g, &DependencyParams::default()).unwrap();
    assert_eq!(rows.len(), 238);
    for row in &rows {
        let want = &r["shares"][&row.id];
        for (got, key) in [(&row.exports, "exports"), (&row.imports, "imports")] {
            let w = &want[key];
            if w.is_null() {
                assert_eq!(got.partners, 0, "{} {key}", row.id);
                continue;
            }
            assert!(
                close(got.total, w["total"].as_f64().unwrap(), 1e-12),
                "{} {key} total",
                row.id
            );
            assert!(
                close(got.hhi.unwrap(), w["hhi"].as_f64().unwrap(), 1e-12),
                "{} {key} hhi",
                row.id
            );
            assert!(
                close(
                    got.top_share.unwrap(),
                    w["top_share"].as_f64().unwrap(),
                    1e-12
                ),
                "{} {key} top",
                row.id
            );
            assert_eq!(
                got.partners as u64,
                w["partners"].as_u64().unwrap(),
                "{} {key}",
                row.id
            );
            assert_eq!(
                got.partners_to_cover.unwrap() as u64,
                w["cover"].as_u64().unwrap(),
                "{} {key} cover",
                row.id
            );
            for (g, w, what) in [
                (got.hhi_norm, w["hhi_norm"].as_f64(), "hhi*"),
                (got.hhi_upper, w["hhi_upper"].as_f64(), "hhi_upper"),
                (
                    Some(got.aggregate_share),
                    w["aggregate_share"].as_f64(),
                    "aggregate share",
                ),
            ] {
                match (g, w) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{} {key} {what}", row.id),
                    (a, b) => assert_eq!(a, b, "{} {key} {what}", row.id),
                }
            }
        }
    }
    // The headline figure of SOURCE.md: 77.6% of Canada's 2016 exports go to the US.
    let can = rows.iter().find(|r| r.id == "CAN").unwrap();
    assert_eq!(can.exports.top_partner.as_deref(), Some("USA"));
    assert!((can.exports.top_share.unwrap() - 0.776).abs() < 0.0005);
}

#[test]
fn critical_dependencies_match_the_python_reference() {
    let r = reference();
    let g = graph("graphs/wiod2011_trade_by_sector.json");
    let got = critical_dependencies(&g, &CriticalParams::default());
    let want = r["critical"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    let mut n_critical = 0;
    for w in want {
        let (imp, sec) = (
            w["importer"].as_str().unwrap(),
            w["sector"].as_str().unwrap(),
        );
        let d = got
            .iter()
            .find(|d| d.importer == imp && d.sector == sec)
            .unwrap();
        assert!(close(d.imports, w["imports"].as_f64().unwrap(), 1e-12));
        assert!(
            close(d.import_hhi, w["import_hhi"].as_f64().unwrap(), 1e-12),
            "{imp} {sec}"
        );
        assert!(
            close(d.world_hhi, w["world_hhi"].as_f64().unwrap(), 1e-12),
            "{imp} {sec}"
        );
        match w["ratio"].as_f64() {
            Some(x) => assert!(close(d.ratio, x, 1e-12)),
            None => assert!(d.ratio.is_infinite()),
        }
        assert_eq!(d.critical, w["critical"].as_bool().unwrap(), "{imp} {sec}");
        assert!(
            (d.aggregate_share - w["aggregate_share"].as_f64().unwrap()).abs() < 1e-12,
            "{imp} {sec}"
        );
        n_critical += d.critical as usize;
    }
    assert!(n_critical > 0, "the reference has critical pairs");
    // Critical rows come first.
    assert!(got[..n_critical].iter().all(|d| d.critical));
}

#[test]
fn value_chain_exposure_matches_numpy_solve_on_wiod() {
    let r = reference();
    let g = tradenet::bundled::default_graph().unwrap();
    let m = value_chain_exposure(&g).unwrap();
    let want = &r["value_chain"];
    let producers: Vec<&str> = want["producers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(m.producers, producers);
    for (a, p) in m.producers.iter().enumerate() {
        let mut row_sum = 0.0;
        for (b, d) in m.destinations.iter().enumerate() {
            let w = want["exposure"][p][d].as_f64().unwrap();
            assert!(
                (m.exposure[a][b] - w).abs() <= 1e-9 * w.abs().max(1e-6),
                "{p} <- {d}: {} vs {w}",
                m.exposure[a][b]
            );
            row_sum += m.exposure[a][b];
        }
        // L y = x up to the rounding of the source table (whole million USD).
        assert!(
            (row_sum - 1.0).abs() < 0.01,
            "{p}: exposures sum to {row_sum}"
        );
    }
    let can_usa = m.get("CAN", "USA").unwrap();
    assert!((can_usa - 0.155).abs() < 0.001, "{can_usa}");
}

#[test]
fn value_chain_exposure_by_hand_on_two_nodes() {
    // Two countries, one industry each. A = [[0, .5], [.25, 0]] (A[i][j] = Z[i][j] / x[j]):
    // Z = [[0, 50], [25, 0]], x = [100, 100]. Final demand: node a sells 50 to A and 25 to B,
    // node b sells 75 to B (row sums: 50 + 50 + 25 = 125 != 100 on purpose: the exposure
    // uses the given output). (I - A)^-1 = 1/(1 - .125) [[1, .5], [.25, 1]].
    // x_B = L [25, 75] = [25 + 37.5, 6.25 + 75] / .875 = [71.43, 93.57]
    let doc = br#"{"format": "tradenet/1",
      "nodes": [
        {"id": "A:s", "country": "A", "sector": "s", "output": 100, "final_demand": {"A": 50, "B": 25}},
        {"id": "B:s", "country": "B", "sector": "s", "output": 100, "final_demand": {"B": 75}}],
      "flows": [{"from": "A:s", "to": "B:s", "value": 50}, {"from": "B:s", "to": "A:s", "value": 25}]}"#;
    let g = load_bytes("two.json", doc.to_vec(), &LoadOptions::default()).unwrap();
    let m = value_chain_exposure(&g).unwrap();
    let det = 1.0 - 0.5 * 0.25;
    let x_b = [(25.0 + 0.5 * 75.0) / det, (0.25 * 25.0 + 75.0) / det];
    let x_a = [50.0 / det, 0.25 * 50.0 / det];
    assert!((m.get("A", "B").unwrap() - x_b[0] / 100.0).abs() < 1e-14);
    assert!((m.get("B", "B").unwrap() - x_b[1] / 100.0).abs() < 1e-14);
    assert!((m.get("A", "A").unwrap() - x_a[0] / 100.0).abs() < 1e-14);
    assert!((m.get("B", "A").unwrap() - x_a[1] / 100.0).abs() < 1e-14);
}

#[test]
fn value_chain_refuses_trade_graphs_and_explosive_columns() {
    let g = graph("graphs/tiny.json");
    assert!(value_chain_exposure(&g)
        .unwrap_err()
        .to_string()
        .contains("input-output graph"));
    let doc = br#"{"format": "tradenet/1",
      "nodes": [{"id": "A:s", "sector": "s", "output": 10, "final_demand": {"A": 1}},
                {"id": "B:s", "sector": "s", "output": 10}],
      "flows": [{"from": "B:s", "to": "A:s", "value": 12}]}"#;
    let g = load_bytes("bad.json", doc.to_vec(), &LoadOptions::default()).unwrap();
    let e = value_chain_exposure(&g).unwrap_err().to_string();
    assert!(e.contains("'A:s'") && e.contains(">= 1"), "{e}");
}

#[test]
fn canada_export_share_to_the_us_by_year() {
    let g = graph("../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv");
    let p = DependencyParams {
        partner: Some("USA".into()),
        ..Default::default()
    };
    let years = dependencies_by_year(&g, &p).unwrap();
    assert_eq!(years.len(), 14);
    let share = |y: u16| {
        let rows = &years.iter().find(|(yy, _)| *yy == y).unwrap().1;
        rows.iter()
            .find(|r| r.id == "CAN")
            .unwrap()
            .partner
            .as_ref()
            .unwrap()
            .export_share
            .unwrap()
    };
    assert!((share(2016) - 0.776).abs() < 0.0005);
    // Computed by hand from the CSV rows: CAN->USA 1964 / CAN's 1964 exports.
    let csv = tradenet::io::write(&g.year(1964).unwrap(), tradenet::io::OutputFormat::Csv);
    let text = String::from_utf8(csv).unwrap();
    let (mut to_us, mut all) = (0.0, 0.0);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "CAN" {
            let v: f64 = f[3].parse().unwrap();
            all += v;
            if f[1] == "USA" {
                to_us += v;
            }
        }
    }
    assert!((share(1964) - to_us / all).abs() < 1e-12);
    assert!(dependencies_by_year(&graph("graphs/tiny.json"), &p).is_err());
}

#[test]
fn aggregate_regions_are_left_out_of_concentration() {
    use tradenet::model::is_aggregate_code;
    for c in [
        "ROW", "RoW", "ROW34", "ROW_EU", "WLD", "W00", "UNS", "SPE", "BUN", "FRE",
    ] {
        assert!(is_aggregate_code(c), "{c}");
    }
    for c in ["ROU", "ROWENA", "CAN", "USA", "DEU", "S19"] {
        assert!(!is_aggregate_code(c), "{c}");
    }
    // A exports 50 to B, 30 to ROW (rest of the world), 20 to C. With ROW as one partner the
    // HHI would be .25 + .09 + .04 = .38; as unknown many small partners it adds nothing:
    // .25 + .04 = .29, over N = 2 identified partners: HHI* = (.29 - .5) / .5 < 0. Coverage
    // counts identified partners up to 80% of the 70 traded with them: B (50/70 = 71%) and C.
    let csv = b"exporter,importer,value\nA,B,50\nA,ROW,30\nA,C,20\nB,A,1\n".to_vec();
    let g = load_bytes("agg.csv", csv, &LoadOptions::default()).unwrap();
    let rows = dependencies(&g, &DependencyParams::default()).unwrap();
    let a = rows.iter().find(|r| r.id == "A").unwrap();
    let e = &a.exports;
    assert_eq!(e.total, 100.0);
    assert!((e.hhi.unwrap() - 0.29).abs() < 1e-15, "{e:?}");
    assert!((e.hhi_upper.unwrap() - 0.38).abs() < 1e-15, "{e:?}");
    assert!((e.aggregate_share - 0.3).abs() < 1e-15);
    assert_eq!((e.partners, e.partners_to_cover), (2, Some(2)));
    assert!((e.hhi_norm.unwrap() - (0.29 - 0.5) / 0.5).abs() < 1e-15);
    assert_eq!(e.top_partner.as_deref(), Some("B"));

    // Marked in the file: a region "EU27" with "aggregate": true is treated the same, and the
    // flag survives a native JSON round trip.
    let json =
        br#"{"format":"tradenet/1","nodes":[{"id":"A"},{"id":"B"},{"id":"EU27","aggregate":true}],
        "flows":[{"from":"A","to":"B","value":1},{"from":"A","to":"EU27","value":3}]}"#;
    let g = load_bytes("agg.json", json.to_vec(), &LoadOptions::default()).unwrap();
    assert!(g.node(g.node_index("EU27").unwrap()).is_aggregate());
    let back = tradenet::io::json::write(&g);
    assert!(String::from_utf8_lossy(&back).contains(r#""aggregate":true"#));
    let rows = dependencies(&g, &DependencyParams::default()).unwrap();
    let a = rows.iter().find(|r| r.id == "A").unwrap();
    assert_eq!(a.exports.top_partner.as_deref(), Some("B"));
    assert!((a.exports.hhi.unwrap() - 0.0625).abs() < 1e-15);
    let bad = br#"{"format":"tradenet/1","nodes":[{"id":"A","aggregate":"yes"},{"id":"B"}],
        "flows":[{"from":"A","to":"B","value":1}]}"#;
    let err = load_bytes("bad.json", bad.to_vec(), &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("nodes[0].aggregate"), "{err}");
}

#[test]
fn rest_of_world_no_longer_decides_canada_or_real_estate() {
    // #12: with ROW34 counted as one supplier, Canada's export HHI was 0.434 on the 8-region
    // graph and 0.387 on the 41-economy one, and real estate (c29) came out as critical.
    // Hand check on the 8-region graph: CAN's exports by partner from the country view.
    let g8 = graph("graphs/wiod2011_focus8.json");
    let g41 = graph("graphs/wiod2011_trade_by_sector.json");
    let can = |g: &TradeGraph| {
        dependencies(g, &DependencyParams::default())
            .unwrap()
            .into_iter()
            .find(|r| r.id == "CAN")
            .unwrap()
    };
    let (c8, c41) = (can(&g8), can(&g41));
    assert!((c8.exports.hhi_upper.unwrap() - 0.434).abs() < 5e-4);
    assert!((c41.exports.hhi_upper.unwrap() - 0.387).abs() < 5e-4);
    // The two views now agree to 0.003 (0.378 and 0.380), where they differed by 0.047.
    let (h8, h41) = (c8.exports.hhi.unwrap(), c41.exports.hhi.unwrap());
    assert!((h8 - h41).abs() < 0.003, "{h8} {h41}");
    let crit = critical_dependencies(&g8, &CriticalParams::default());
    assert!(!crit.iter().any(|d| d.critical && d.sector == "c29"));
    assert!(!crit.iter().any(|d| d.importer == "ROW34"));
}
