//! FORMAT.md §3 is a contract: the keys it shows for each command's `--format json` are in the
//! output. The shapes are read from `../shared/FORMAT.md` itself (not copied here), turned into
//! templates, and every key of a template is looked for at the same place in the real output:
//! an object's keys in the object, an array's first element's keys in every element.

use crate::common::{root, tradenet};
use serde_json::Value;

/// FORMAT.md's `--format json` shapes: `(command, template)`.
fn shapes() -> Vec<(String, Value)> {
    let path = root().join("../shared/FORMAT.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the output contract is read from ../shared beside the checkout",
            path.display()
        )
    });
    let mut out = Vec::new();
    for line in text.lines() {
        // `  - `shock`: `{"graph": ...}`; a remark`
        let Some(rest) = line.trim_start().strip_prefix("- `") else {
            continue;
        };
        let Some((command, rest)) = rest.split_once("`: `{") else {
            continue;
        };
        let Some((shape, _)) = rest.split_once("}`") else {
            continue;
        };
        out.push((command.to_string(), template(&format!("{{{shape}}}"))));
    }
    assert!(
        out.len() >= 3,
        "FORMAT.md §3 should give the JSON shapes of centrality, dependency and shock; found {}",
        out.len()
    );
    out
}

/// FORMAT.md's shape as JSON: `...` stands for values and for more elements or keys.
fn template(shape: &str) -> Value {
    let s = shape
        .replace(", ...}", "}")
        .replace(", ...]", "]")
        .replace("{...}", "{}")
        .replace("[...]", "[]")
        .replace(": ...", ": null");
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("FORMAT.md shape {shape}: {e} ({s})"))
}

/// Every key of `want` in `got`, recursively; the path of the first missing one.
fn missing(want: &Value, got: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                match g.get(k) {
                    None => out.push(format!("{path}.{k}")),
                    Some(gv) => out.extend(missing(wv, gv, &format!("{path}.{k}"))),
                }
            }
        }
        (Value::Object(_), other) => out.push(format!("{path}: an object, got {other}")),
        (Value::Array(w), Value::Array(g)) => {
            if let Some(first @ Value::Object(_)) = w.first() {
                for (i, e) in g.iter().enumerate() {
                    out.extend(missing(first, e, &format!("{path}[{i}]")));
                }
            }
        }
        (Value::Array(_), other) => out.push(format!("{path}: an array, got {other}")),
        _ => {}
    }
    out
}

/// Runs whose JSON shows every part of a command's shape (a shock with a tariff fills `flows`;
/// `dependencies`, the critical dependencies, are listed when `--critical` asks for them).
fn runs(command: &str) -> Vec<Vec<&'static str>> {
    match command {
        "centrality" => vec![
            vec!["centrality", "--format", "json"],
            vec![
                "centrality",
                "graphs/icio2022_trade_total.json",
                "--format",
                "json",
            ],
        ],
        "dependency" => vec![
            // The contract's keys without --critical too: JSON always lists the critical
            // dependencies (the tables with --critical).
            vec!["dependency", "--format", "json"],
            vec!["dependency", "--country", "CAN", "--format", "json"],
            vec!["dependency", "--critical", "--format", "json"],
            vec![
                "dependency",
                "--critical",
                "--country",
                "CAN",
                "--partner",
                "USA",
                "--format",
                "json",
            ],
        ],
        "shock" => vec![
            vec!["shock", "--tariff", "USA:CAN:C29=25%", "--format", "json"],
            vec![
                "shock",
                "graphs/icio2022_trade_by_sector.json",
                "--tariff",
                "USA:CHN=25%",
                "--format",
                "json",
            ],
        ],
        other => panic!("FORMAT.md gives a shape for `{other}`: add runs of it here"),
    }
}

#[test]
fn every_json_output_has_format_md_keys() {
    for (command, shape) in shapes() {
        for args in runs(&command) {
            let got = tradenet(&args).json();
            let gaps = missing(&shape, &got, "");
            assert!(
                gaps.is_empty(),
                "tradenet {}: FORMAT.md's keys missing: {gaps:?}",
                args.join(" ")
            );
        }
    }
}

/// The template reader itself: a missing key, a key missing in one element, and a
/// non-object are found.
#[test]
fn the_contract_check_finds_what_is_missing() {
    let t = template(r#"{"graph": ..., "nodes": [{"id": "CAN", "x": 1, ...}, ...], "s": {...}}"#);
    let good: Value = serde_json::json!({"graph": 1, "nodes": [{"id": "a", "x": 2}], "s": {}});
    assert!(missing(&t, &good, "").is_empty());
    let bad: Value = serde_json::json!({"nodes": [{"id": "a", "x": 2}, {"id": "b"}], "s": 3});
    assert_eq!(
        missing(&t, &bad, ""),
        vec![".graph", ".nodes[1].x", ".s: an object, got 3"]
    );
}

/// Every command that prints results opens its JSON with the `graph` it read (FORMAT.md §3:
/// ids and numbers, never internal positions; the graph first so a reader knows what it has).
#[test]
fn every_command_json_names_its_graph_first() {
    let wiod = crate::common::shared_data("wiod2011/full");
    let wiod = wiod.to_str().unwrap();
    for args in [
        vec!["info"],
        vec!["validate", "graphs/tiny.json"],
        vec!["centrality"],
        vec!["dependency"],
        vec!["shock"],
        vec!["shock", "--model", "ge", "--tariff", "USA:CAN=25%"],
        vec!["shock", "--value-added", "--tariff", "USA:CAN:C29=25%"],
        vec!["complexity"],
        vec!["gvc", wiod],
    ] {
        let mut a = args.clone();
        a.extend(["--format", "json"]);
        let v = tradenet(&a).json();
        let first = v.as_object().and_then(|o| o.keys().next().cloned());
        assert_eq!(first.as_deref(), Some("graph"), "tradenet {}", a.join(" "));
    }
}
