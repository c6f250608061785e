//! Dependency analysis against hand calculations and the numpy references made by
//! tests/fixtures/dependency/make_fixtures.py (committed beside its output): shares on
//! graphs/icio2022_trade_total.json, critical dependencies on
//! graphs/icio2022_trade_by_sector.json, value-chain exposure on the WIOD 2011 input-output
//! system read at run time from ../shared/data (the bundled ICIO graphs have no final demand by
//! destination, which exposure needs).

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

/// The rows of a CSV file of ../shared/data without quoted fields, by column name.
fn shared_csv(rel: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(crate::common::shared_data(rel)).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), header.len(), "{rel}: {l}");
            header
                .iter()
                .cloned()
                .zip(f.iter().map(|x| x.to_string()))
                .collect()
        })
        .collect()
}

/// The WIOD 2011 input-output system of USA, CAN, MEX, KOR, JPN, CHN, DEU and ROW34 (280
/// nodes, final demand by destination region), from the three
/// `../shared/data/wiod2011/focus8_io_*_2011.csv` files rewritten at run time, in a temporary
/// folder, in the layout of an input-output CSV set (FORMAT.md section 2: `from,to,value`,
/// `from,to_country,value`, `node,country,sector,gross_output`; node ids `REGION:SECTOR`), and
/// read by tradenet as a folder. Every row is kept, the 4 negative final-demand entries too.
fn wiod_focus8_io() -> TradeGraph {
    let node = |r: &std::collections::HashMap<String, String>, c: &str, s: &str| {
        format!("{}:{}", r[c], r[s])
    };
    let dir = tempfile::tempdir().unwrap();
    let mut flows = String::from("from,to,value\n");
    for r in shared_csv("wiod2011/focus8_io_intermediate_flows_2011.csv") {
        let (a, b) = (
            node(&r, "from_region", "from_sector"),
            node(&r, "to_region", "to_sector"),
        );
        flows += &format!("{a},{b},{}\n", r["value"]);
    }
    let mut fd = String::from("from,to_country,value\n");
    for r in shared_csv("wiod2011/focus8_io_final_demand_2011.csv") {
        let a = node(&r, "from_region", "from_sector");
        fd += &format!("{a},{},{}\n", r["to_region"], r["value"]);
    }
    let mut out = String::from("node,country,sector,gross_output\n");
    for r in shared_csv("wiod2011/focus8_io_gross_output_2011.csv") {
        let a = node(&r, "region", "sector");
        out += &format!(
            "{a},{},{},{}\n",
            r["region"], r["sector"], r["gross_output"]
        );
    }
    for (name, text) in [
        ("intermediate_flows.csv", flows),
        ("final_demand.csv", fd),
        ("gross_output.csv", out),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let g = load(dir.path().to_str().unwrap(), &LoadOptions::default()).unwrap();
    assert_eq!((g.node_count(), g.flow_count()), (280, 45_242));
    g
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
fn shares_match_the_python_reference_on_icio2022_trade_total() {
    let r = reference();
    let g = graph("graphs/icio2022_trade_total.json");
    let rows = dependencies(&g, &DependencyParams::default()).unwrap();
    assert_eq!(rows.len(), 80);
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
    // Canada's intermediate exports in ICIO 2022: 69.1% go to the US (reference.json:
    // shares.CAN.exports.top_share = 0.69122; the same 304.0 bn of 439.9 bn in the country view
    // of graphs/icio2022_focus8.json, where CAN and USA are kept as they are). The published
    // 77.6% of Canada's 2016 merchandise exports is checked on Comtrade in
    // canada_export_share_to_the_us_by_year.
    let can = rows.iter().find(|r| r.id == "CAN").unwrap();
    assert_eq!(can.exports.top_partner.as_deref(), Some("USA"));
    assert!((can.exports.top_share.unwrap() - 0.6912).abs() < 0.0005);
    let can8 = dependencies(&graph("graphs/icio2022_focus8.json"), &Default::default())
        .unwrap()
        .into_iter()
        .find(|r| r.id == "CAN")
        .unwrap();
    assert!(close(can8.exports.total, can.exports.total, 1e-12));
    assert_eq!(can8.exports.top_share, can.exports.top_share);
}

#[test]
fn critical_dependencies_match_the_python_reference() {
    let r = reference();
    let g = graph("graphs/icio2022_trade_by_sector.json");
    let got = critical_dependencies(&g, &CriticalParams::default()).unwrap();
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
    // No industry's world exports among the 80 economies of ICIO have an HHI above 0.30
    // (reference.json: the largest world_hhi is B05, coal, 0.296), so criterion 2 at its
    // default 0.4 leaves no pair critical.
    assert_eq!(n_critical, 0);
    // With the world threshold at 0.15 the reference has 76 critical pairs (B05 coal, B09
    // mining support, C13T15 textiles, C27 electrical equipment): the same pairs, first.
    let p = CriticalParams {
        world_hhi: 0.15,
        ..Default::default()
    };
    let got = critical_dependencies(&g, &p).unwrap();
    let mut want: Vec<(&str, &str)> = r["critical_world_hhi_0.15"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x[0].as_str().unwrap(), x[1].as_str().unwrap()))
        .collect();
    assert_eq!(want.len(), 76);
    let n_critical = got.iter().filter(|d| d.critical).count();
    let mut critical: Vec<(&str, &str)> = got[..n_critical]
        .iter()
        .map(|d| (d.importer.as_str(), d.sector.as_str()))
        .collect();
    critical.sort_unstable();
    want.sort_unstable();
    assert_eq!(critical, want);
}

/// The value-chain exposure matrix of the WIOD 2011 focus8 system computed here, from the CSV
/// rows of ../shared/data at run time and independently of tradenet (no numbers derived from
/// the shared data are stored in the project): A = Z diag(x)^-1, and (I - A) x_b = y_b solved
/// by the Leontief series x_b = y_b + A x_b iterated to a change below 1e-15 of |y_b|.
fn wiod_exposure_by_series() -> (Vec<String>, Vec<String>, Vec<Vec<f64>>) {
    let node = |r: &std::collections::HashMap<String, String>, c: &str, s: &str| {
        format!("{}:{}", r[c], r[s])
    };
    let mut ids: Vec<String> = Vec::new();
    let mut x: Vec<f64> = Vec::new();
    for r in shared_csv("wiod2011/focus8_io_gross_output_2011.csv") {
        ids.push(node(&r, "region", "sector"));
        x.push(r["gross_output"].parse().unwrap());
    }
    let ix: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let n = ids.len();
    let mut a = vec![vec![0.0; n]; n];
    for r in shared_csv("wiod2011/focus8_io_intermediate_flows_2011.csv") {
        let (i, j) = (
            ix[node(&r, "from_region", "from_sector").as_str()],
            ix[node(&r, "to_region", "to_sector").as_str()],
        );
        let v: f64 = r["value"].parse().unwrap();
        if x[j] > 0.0 {
            a[i][j] += v / x[j];
        }
    }
    let country = |id: &str| id.split(':').next().unwrap().to_string();
    let mut producers: Vec<String> = Vec::new();
    for id in &ids {
        if !producers.contains(&country(id)) {
            producers.push(country(id));
        }
    }
    let mut y: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for r in shared_csv("wiod2011/focus8_io_final_demand_2011.csv") {
        let i = ix[node(&r, "from_region", "from_sector").as_str()];
        let v: f64 = r["value"].parse().unwrap();
        y.entry(r["to_region"].clone())
            .or_insert_with(|| vec![0.0; n])[i] += v;
    }
    producers.sort();
    let destinations: Vec<String> = producers.clone();
    let mut exposure = vec![vec![0.0; destinations.len()]; producers.len()];
    for (b, d) in destinations.iter().enumerate() {
        let yb = &y[d];
        let scale: f64 = yb.iter().map(|v| v.abs()).sum();
        let mut xb = yb.clone();
        for _ in 0..10_000 {
            let next: Vec<f64> = (0..n)
                .map(|i| yb[i] + (0..n).map(|j| a[i][j] * xb[j]).sum::<f64>())
                .collect();
            let change: f64 = next.iter().zip(&xb).map(|(p, q)| (p - q).abs()).sum();
            xb = next;
            if change < 1e-15 * scale {
                break;
            }
        }
        for (k, p) in producers.iter().enumerate() {
            let (mut num, mut den) = (0.0, 0.0);
            for i in 0..n {
                if country(&ids[i]) == *p {
                    num += xb[i];
                    den += x[i];
                }
            }
            exposure[k][b] = num / den;
        }
    }
    (producers, destinations, exposure)
}

#[test]
fn value_chain_exposure_matches_the_leontief_series_on_wiod() {
    let g = wiod_focus8_io();
    let m = value_chain_exposure(&g).unwrap();
    let (producers, destinations, want) = wiod_exposure_by_series();
    assert_eq!(m.producers, producers);
    for (a, p) in producers.iter().enumerate() {
        let mut row_sum = 0.0;
        for (b, d) in destinations.iter().enumerate() {
            let got = m.get(p, d).unwrap();
            let w = want[a][b];
            assert!(
                (got - w).abs() <= 1e-9 * w.abs().max(1e-6),
                "{p} <- {d}: {got} vs {w}"
            );
            row_sum += got;
        }
        // L y = x up to the rounding of the source table (whole million USD).
        assert!(
            (row_sum - 1.0).abs() < 0.01,
            "{p}: exposures sum to {row_sum}"
        );
    }
    assert_eq!(m.producers.len(), 8);
    // The README's figure: 15.5% of Canada's output exists because of US final demand.
    let can_usa = m.get("CAN", "USA").unwrap();
    assert!((can_usa - 0.155).abs() < 0.001, "{can_usa}");
}

#[test]
fn value_chain_exposure_on_the_default_graph_says_final_demand_lacks_destinations() {
    // graphs/README.md: the bundled ICIO graph keeps one final-demand total per node, so
    // exposure to a country's final demand cannot be computed: an error naming a node and what
    // is missing, in the library and on the command line, never a matrix.
    let g = tradenet::bundled::default_graph().unwrap();
    let e = value_chain_exposure(&g).unwrap_err().to_string();
    assert!(
        e.contains("final demand as one number") && e.contains("by destination country"),
        "{e}"
    );
    let err = crate::common::tradenet(["dependency", "--matrix"]).fails();
    assert!(err.contains("by destination country"), "{err}");
    // One country in detail: the trade indicators, with a note instead of the exposure table,
    // and a country view that says it counts intermediate deliveries only.
    let text = crate::common::tradenet(["dependency", "--country", "CAN"]).ok();
    assert!(
        text.contains(
            "value-chain exposure not computed: final demand in this graph has no destination"
        ),
        "{text}"
    );
    assert!(
        text.contains("country view: intermediate deliveries only"),
        "{text}"
    );
    assert!(text.contains("CAN: export destinations"), "{text}");
    assert!(!text.contains("(value-chain exposure)"), "{text}");
    let j = crate::common::tradenet(["dependency", "--country", "CAN", "--format", "json"]).json();
    assert!(j.get("value_chain").is_none(), "{j:#}");
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
    // .25 + .04 = .29. HHI* is over the N = 2 identified partners' shares of the 70 traded with
    // them (5/7 and 2/7: 29/49), so it stays in [0, 1]: (29/49 - 1/2) / (1/2) = 9/49 (as the
    // shares of all trade it would be (.29 - .5) / .5 < 0, less than any N partners can make).
    // Coverage counts identified partners up to 80% of the 70: B (50/70 = 71%) and C.
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
    assert!((e.hhi_norm.unwrap() - 9.0 / 49.0).abs() < 1e-15, "{e:?}");
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
fn rest_of_world_no_longer_decides_canada_or_critical_sectors() {
    // #12: with the rest of the world counted as one supplier (ROW34 on the WIOD graphs then),
    // Canada's export HHI depended on how many economies the graph kept (0.434 on 8 regions,
    // 0.387 on 41 economies) and real estate came out as critical. The same property on ICIO
    // 2022, with ROW73 = the 73 economies merged in graphs/icio2022_focus8.json. Expected
    // values by plain Python over the JSON with concentration() and critical() of
    // tests/fixtures/dependency/make_fixtures.py, on the country view of the 8-region graph
    // (cross-border intermediate flows summed by country pair and supplier sector) and on
    // graphs/icio2022_trade_total.json (80 economies):
    //   CAN's exports 439.9 bn in both, 16.4% of them to ROW73 on the 8-region graph;
    //   export HHI with ROW73 as one partner 0.5109, without it 0.4840; 80 economies 0.4854.
    let g8 = graph("graphs/icio2022_focus8.json");
    let g80 = graph("graphs/icio2022_trade_total.json");
    let can = |g: &TradeGraph| {
        dependencies(g, &DependencyParams::default())
            .unwrap()
            .into_iter()
            .find(|r| r.id == "CAN")
            .unwrap()
    };
    let (c8, c80) = (can(&g8), can(&g80));
    assert!(close(c8.exports.total, c80.exports.total, 1e-12));
    assert!((c8.exports.aggregate_share - 0.1641).abs() < 5e-4);
    assert!((c8.exports.hhi_upper.unwrap() - 0.5109).abs() < 5e-4);
    assert_eq!(
        c80.exports.hhi_upper, None,
        "no aggregate among the 80 economies"
    );
    // The two views agree to 0.002 (0.4840 and 0.4854), where ROW73 as one partner would put
    // them 0.026 apart.
    let (h8, h80) = (c8.exports.hhi.unwrap(), c80.exports.hhi.unwrap());
    assert!((h8 - 0.4840).abs() < 5e-4 && (h80 - 0.4854).abs() < 5e-4);
    assert!((h8 - h80).abs() < 0.002, "{h8} {h80}");
    // Critical dependencies on the 8-region graph: none. Counted as one supplier, ROW73 would
    // make 38 importer x sector pairs critical, among them Canada's imports of construction
    // services (F: 217 mn, 85.6% from ROW73; import HHI 0.747 and world HHI 0.516 with ROW73
    // as a supplier, 0.014 and 0.120 without) and ROW73 itself as an importer of textiles.
    let crit = critical_dependencies(&g8, &CriticalParams::default()).unwrap();
    assert!(!crit.iter().any(|d| d.critical), "no pair is critical");
    assert!(!crit.iter().any(|d| d.importer == "ROW73"));
    let f = crit
        .iter()
        .find(|d| d.importer == "CAN" && d.sector == "F")
        .unwrap();
    assert!((f.imports / 1e6 - 217.05).abs() < 0.01, "{f:?}");
    assert!((f.aggregate_share - 0.8560).abs() < 5e-4, "{f:?}");
    assert!((f.import_hhi - 0.0142).abs() < 5e-4, "{f:?}");
    assert!((f.world_hhi - 0.1203).abs() < 5e-4, "{f:?}");
    // Real estate (L), the sector of #12, is not critical for any importer either.
    assert!(!crit.iter().any(|d| d.critical && d.sector == "L"));
}

#[test]
fn every_parameter_is_checked_by_name() {
    use tradenet::Error;
    let bad = |p: DependencyParams| match p.validate().unwrap_err() {
        Error::Param { name, value, rule } => (name, value, rule),
        e => panic!("not a parameter error: {e:?}"),
    };
    for c in [1.5, 0.0, -0.1, f64::NAN] {
        let (name, value, rule) = bad(DependencyParams {
            coverage: c,
            ..Default::default()
        });
        assert_eq!((name.as_str(), value), ("coverage", c.to_string()));
        assert!(rule.contains("above 0 and at most 1"), "{rule}");
    }
    let critical = |c: CriticalParams| DependencyParams {
        critical: c,
        ..Default::default()
    };
    for (p, want) in [
        (
            CriticalParams {
                import_hhi: 1.5,
                ..Default::default()
            },
            "critical.import_hhi",
        ),
        (
            CriticalParams {
                world_hhi: f64::NAN,
                ..Default::default()
            },
            "critical.world_hhi",
        ),
        (
            CriticalParams {
                ratio: f64::INFINITY,
                ..Default::default()
            },
            "critical.ratio",
        ),
    ] {
        assert_eq!(bad(critical(p)).0, want);
        // The parts check their parameters too.
        assert!(critical_dependencies(&graph("graphs/tiny.json"), &p).is_err());
    }
    let (name, _, _) = bad(DependencyParams {
        all_pairs: true,
        ..Default::default()
    });
    assert_eq!(name, "all_pairs");
    // What the graph lacks: an input-output matrix of a trade graph, years of a one-year file.
    let g = graph("graphs/tiny.json");
    for (p, want) in [
        (
            DependencyParams {
                matrix: true,
                ..Default::default()
            },
            "matrix: needs an input-output graph",
        ),
        (
            DependencyParams {
                by_year: true,
                ..Default::default()
            },
            "by_year: needs a multi-year file",
        ),
    ] {
        let e = tradenet::analysis::dependency(&g, &p)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(want), "{e}");
    }
    // The command line names its flags.
    let e = crate::common::tradenet(["dependency", "graphs/tiny.json", "--by-year"]).fails();
    assert!(e.contains("--by-year: needs a multi-year file"), "{e}");
}

#[test]
fn the_output_serialises_as_the_command_line_json() {
    let g = graph("graphs/icio2022_trade_total.json");
    let p = DependencyParams {
        country: Some("CAN".into()),
        partner: Some("USA".into()),
        list_critical: true,
        ..Default::default()
    };
    let out = tradenet::analysis::dependency(&g, &p).unwrap();
    let lib = serde_json::to_value(&out).unwrap();
    let cli = crate::common::tradenet([
        "dependency",
        "graphs/icio2022_trade_total.json",
        "--country",
        "CAN",
        "--partner",
        "USA",
        "--critical",
        "--format",
        "json",
    ])
    .json();
    for k in ["countries", "partners", "dependencies"] {
        assert_eq!(lib[k], cli[k], "{k}");
    }
    assert_eq!(cli["params"]["critical"]["ratio"], 1.0);
    assert_eq!(
        lib["countries"][0]["exports_to_partner"],
        cli["countries"][0]["exports_to_partner"]
    );
    assert!(lib.get("by_year").is_none() && lib.get("value_chain").is_none());
}
