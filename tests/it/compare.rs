//! `shock --compare A B`: two saved results side by side, every country and node paired by id,
//! B - A computed from the two files, and runs on different graphs refused.

use crate::common::tradenet;
use serde_json::Value;

fn saved(dir: &std::path::Path, name: &str, args: &[&str]) -> (String, Value) {
    let path = dir.join(name).to_str().unwrap().to_string();
    let mut a = vec!["shock"];
    a.extend_from_slice(args);
    a.extend(["--format", "json", "-o", &path]);
    tradenet(&a).ok();
    let v = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, v)
}

#[test]
fn compare_pairs_countries_and_nodes_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let (a, va) = saved(dir.path(), "a.json", &["--tariff", "USA:CAN:C29=25%"]);
    let (b, vb) = saved(dir.path(), "b.json", &["--tariff", "USA:CAN=25%"]);
    let c = tradenet(["shock", "--compare", &a, &b, "--format", "json"]).json();
    for level in ["countries", "nodes"] {
        let rows = c[level].as_array().unwrap();
        assert_eq!(rows.len(), va[level].as_array().unwrap().len(), "{level}");
        let delta = |v: &Value, id: &str| {
            v[level]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap()["delta"]
                .as_f64()
                .unwrap()
        };
        let mut last = f64::INFINITY;
        for r in rows {
            let id = r["id"].as_str().unwrap();
            let (da, db) = (delta(&va, id), delta(&vb, id));
            assert_eq!(r["delta_a"].as_f64().unwrap(), da, "{level} {id}");
            assert_eq!(r["delta_b"].as_f64().unwrap(), db, "{level} {id}");
            let d = r["difference"].as_f64().unwrap();
            assert_eq!(d, db - da, "{level} {id}");
            assert!(d.abs() <= last, "{level}: sorted by |B - A|");
            last = d.abs();
        }
    }
    assert_eq!(c["models"], serde_json::json!(["leontief", "leontief"]));
    assert!(
        c["scenarios"][1][0]
            .as_str()
            .unwrap()
            .contains("goods sectors"),
        "{c}"
    );
    let t = tradenet(["shock", "--compare", &a, &b, "--top", "3"]).ok();
    assert!(
        t.contains("Countries, largest difference first (3 of 8)"),
        "{t}"
    );
}

#[test]
fn compare_refuses_results_of_different_graphs_and_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = saved(dir.path(), "a.json", &["--tariff", "USA:CAN:C29=25%"]);
    let (b, _) = saved(
        dir.path(),
        "b.json",
        &[
            "graphs/icio2022_trade_by_sector.json",
            "--tariff",
            "USA:CAN=25%",
        ],
    );
    let e = tradenet(["shock", "--compare", &a, &b]).fails_with(2);
    assert!(e.contains("different graphs"), "{e}");
    let e = tradenet(["shock", "--compare", &a, "graphs/tiny.json"]).fails_with(2);
    assert!(
        e.contains("graphs/tiny.json") && e.contains("not a saved shock result"),
        "{e}"
    );
    let e = tradenet(["shock", "--compare", &a, "missing.json"]).fails_with(2);
    assert!(e.contains("missing.json"), "{e}");
}

#[test]
fn compare_runs_scenario_files_as_shock_runs_them() {
    // "The 25% tariff on all goods against the 25% tariff on transport equipment alone", given
    // as two scenario files: the same comparison as of the two saved results.
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, sector: Option<&str>| {
        let path = dir.path().join(name);
        let sector = sector.map_or(String::new(), |s| format!(r#""sector": "{s}", "#));
        std::fs::write(
            &path,
            format!(
                r#"{{"shocks": [{{"type": "tariff", "importer": "USA", "exporter": "CAN", {sector}"rate": 0.25}}]}}"#
            ),
        )
        .unwrap();
        path.to_str().unwrap().to_string()
    };
    let (sa, sb) = (file("c29.json", Some("C29")), file("all.json", None));
    let (a, _) = saved(dir.path(), "a.json", &["--scenario", &sa]);
    let (b, _) = saved(dir.path(), "b.json", &["--scenario", &sb]);
    let from_saved = tradenet(["shock", "--compare", &a, &b, "--format", "json"]).json();
    let from_files = tradenet(["shock", "--compare", &sa, &sb, "--format", "json"]).json();
    assert_eq!(from_files, from_saved);
    // Mixed: a saved result against a scenario file run on the same (default) graph.
    let mixed = tradenet(["shock", "--compare", &a, &sb, "--format", "json"]).json();
    assert_eq!(mixed, from_saved);
    assert!(from_files["countries"].as_array().unwrap().len() == 8);
    // A scenario file on another graph than the saved result's is refused as two graphs.
    let e = tradenet([
        "shock",
        "graphs/icio2022_trade_by_sector.json",
        "--compare",
        &a,
        &sb,
    ])
    .fails_with(2);
    assert!(e.contains("different graphs"), "{e}");
    // Two saved results and a graph: the graph would be ignored, so it is refused.
    let e = tradenet(["shock", "graphs/tiny.json", "--compare", &a, &b]).fails_with(2);
    assert!(e.contains("the graph is not used"), "{e}");
    // A broken scenario file names its problem.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"shocks": [{"type": "tariff", "rate": "25%"}]}"#).unwrap();
    let e = tradenet(["shock", "--compare", &a, bad.to_str().unwrap()]).fails_with(2);
    assert!(e.contains("bad.json") && e.contains("shocks[0]"), "{e}");
}

#[test]
fn compare_puts_the_partial_effect_beside_general_equilibrium() {
    // The same tariff, partial (Leontief ripple) against Caliendo-Parro general equilibrium:
    // both report every node's gross output on the same baseline; a GE country is the sum of
    // its nodes.
    let dir = tempfile::tempdir().unwrap();
    let (a, va) = saved(dir.path(), "pe.json", &["--tariff", "USA:CAN:C29=25%"]);
    let (b, vb) = saved(
        dir.path(),
        "ge.json",
        &["--model", "ge", "--tariff", "USA:CAN:C29=25%"],
    );
    let c = tradenet(["shock", "--compare", &a, &b, "--format", "json"]).json();
    assert_eq!(
        c["models"],
        serde_json::json!(["leontief", "ge (caliendo-parro)"])
    );
    let nodes = c["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), vb["nodes"].as_array().unwrap().len());
    for n in vb["nodes"].as_array().unwrap() {
        let row = nodes.iter().find(|r| r["id"] == n["id"]).unwrap();
        assert_eq!(row["delta_b"], n["delta"], "{}", n["id"]);
        let pe = va["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == n["id"])
            .unwrap();
        assert_eq!(row["delta_a"], pe["delta"], "{}", n["id"]);
    }
    for country in c["countries"].as_array().unwrap() {
        let id = country["id"].as_str().unwrap();
        let (mut base, mut delta) = (0.0, 0.0);
        for n in vb["nodes"].as_array().unwrap() {
            if n["country"] == id {
                base += n["baseline"].as_f64().unwrap();
                delta += n["delta"].as_f64().unwrap();
            }
        }
        let got = country["delta_b"].as_f64().unwrap();
        assert!(
            (got - delta).abs() <= 1e-9 * delta.abs().max(1.0),
            "{id}: {got} vs {delta}"
        );
        let b = country["baseline"].as_f64().unwrap();
        assert!((b - base).abs() <= 1e-9 * base, "{id}: {b} vs {base}");
    }
    assert_eq!(c["countries"].as_array().unwrap().len(), 8);
    // Scenario files run with the ripple models only: --model ge with --compare is refused.
    let e = tradenet(["shock", "--model", "ge", "--compare", &a, &b]).fails_with(2);
    assert!(e.contains("save the result first"), "{e}");
}
