//! Black-box tests of the `tradenet` command: `info`, `validate` and `convert` on every bundled
//! graph, the JSON and CSV output contracts (FORMAT.md §3), atomic `-o`, deterministic output,
//! and the readers on the small valid inputs in `tests/good/`.
//!
//! Tests marked `#[ignore = "src: ..."]` pin down known problems in `src/` that are reported
//! for fixing; run them with `cargo test --test it cli:: -- --ignored`.

use crate::common;
use crate::common::{files_in, int, num, root, tradenet};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const DEFAULT_LABEL: &str = "<embedded default: icio2022_focus8.json>";

/// Every bundled graph: `graphs/*.json` and `graphs/*.csv.gz`.
fn graphs() -> Vec<String> {
    let v = files_in("graphs", &[".json", ".csv.gz"]);
    assert!(
        v.iter().any(|f| f == "graphs/tiny.json"),
        "graphs/ not found: {v:?}"
    );
    v
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Assert `a` and `b` agree to a relative 1e-12.
fn close(a: f64, b: f64, what: &str) {
    let tol = 1e-12 * a.abs().max(b.abs()).max(1.0);
    assert!((a - b).abs() <= tol, "{what}: {a} != {b}");
}

/// The keys `info --format json` promises, with the `graph` object's keys.
fn check_info_shape(j: &Value, file: &str) {
    for k in [
        "graph",
        "kind",
        "nodes",
        "flows",
        "pairs",
        "sectors",
        "countries",
        "total_value",
        "exports_total",
        "density",
        "years",
        "skipped_rows",
        "top_exporters",
        "top_importers",
    ] {
        assert!(j.get(k).is_some(), "{file}: info JSON has no `{k}`:\n{j:#}");
    }
    let g = &j["graph"];
    assert_eq!(g["file"], file, "{file}: graph.file");
    assert_eq!(g["nodes"], j["nodes"], "{file}: graph.nodes");
    assert_eq!(g["flows"], j["flows"], "{file}: graph.flows");
    assert_eq!(g["kind"], j["kind"], "{file}: graph.kind");
    assert!(
        matches!(j["kind"].as_str(), Some("trade" | "io")),
        "{file}: kind {}",
        j["kind"]
    );
    assert!(int(j, "nodes") > 0 && int(j, "flows") > 0, "{file}: empty");
    assert!(num(j, "total_value") > 0.0, "{file}: total_value");
    assert!(j["years"].is_array(), "{file}: years");
    for list in ["top_exporters", "top_importers"] {
        let rows = j[list]
            .as_array()
            .unwrap_or_else(|| panic!("{file}: {list} is not an array"));
        assert!(!rows.is_empty(), "{file}: {list} is empty");
        let mut last = f64::INFINITY;
        for r in rows {
            assert!(r["id"].is_string(), "{file}: {list} id: {r}");
            let v = num(r, "value");
            let s = num(r, "share");
            assert!(v <= last, "{file}: {list} not sorted by value");
            assert!((0.0..=1.0).contains(&s), "{file}: {list} share {s}");
            last = v;
        }
    }
}

/// `nodes`, `flows` and `sectors` of each file in the table of graphs/README.md.
fn readme_counts() -> Vec<(String, String, u64, u64, u64)> {
    let text = std::fs::read_to_string(root().join("graphs/README.md")).expect("graphs/README.md");
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let file = cells[0].strip_suffix('`')?;
            let n = |i: usize| cells.get(i)?.replace(',', "").parse::<u64>().ok();
            Some((
                format!("graphs/{file}"),
                cells[1].to_string(),
                n(2)?,
                n(3)?,
                n(4)?,
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Every bundled graph

#[test]
fn every_graph_loads_validates_and_converts() {
    let table = readme_counts();
    let dir = tempfile::tempdir().unwrap();
    // One thread per graph: the runs are independent and the big ones take a while.
    std::thread::scope(|s| {
        for file in graphs() {
            let (table, dir) = (&table, dir.path());
            s.spawn(move || check_graph(&file, table, dir));
        }
    });
}

/// `info`, `validate` and `convert` (with read-back) on one bundled graph.
fn check_graph(file: &str, table: &[(String, String, u64, u64, u64)], dir: &Path) {
    // `info` describes the latest year of a multi-year file (with a note); `validate` and
    // `convert` take the whole file.
    let info: Value =
        serde_json::from_str(&tradenet(["info", "--format", "json", file]).ok_with_notes())
            .unwrap();
    check_info_shape(&info, file);
    let multi_year = info["years"].as_array().unwrap().len() > 1;
    assert_eq!(multi_year, info["graph"]["year"].is_number(), "{file}");

    // graphs/README.md lists the file with these counts.
    let row = table
        .iter()
        .find(|r| r.0 == file)
        .unwrap_or_else(|| panic!("{file} is not in the table of graphs/README.md"));
    let v = tradenet(["validate", "--format", "json", file]).json();
    assert_eq!(v["valid"], true, "{file}");
    assert_eq!(int(&v["graph"], "nodes"), row.2, "{file}: nodes vs README");
    assert_eq!(int(&v["graph"], "flows"), row.3, "{file}: flows vs README");
    assert_eq!(int(&info, "sectors"), row.4, "{file}: sectors vs README");
    if row.1 == "io" || row.1 == "trade" {
        assert_eq!(info["kind"], row.1.as_str(), "{file}: kind vs README");
    }
    if !multi_year {
        assert_eq!(v["graph"], info["graph"], "{file}: validate and info");
    }
    let text = tradenet(["validate", file]).ok();
    assert!(text.starts_with(&format!("ok: {file}: ")), "{text}");

    // Native and node-link JSON read back to the same graph; a CSV edge list keeps every
    // flow and the kind (CTRY:SECTOR ids read back as an input-output graph), but not
    // isolated nodes.
    let stem = Path::new(file).file_name().unwrap().to_string_lossy();
    for to in ["json", "nodelink", "csv"] {
        let out = dir.join(format!("{stem}.{to}"));
        let printed = tradenet(["convert", "--to", to, file, "-o", path_str(&out)]).ok();
        assert!(printed.is_empty(), "convert -o printed: {printed}");
        let back = tradenet(["info", "--format", "json", path_str(&out)]).ok_with_notes();
        let back: Value = serde_json::from_str(&back).unwrap();
        assert_eq!(back["flows"], info["flows"], "{file} -> {to}: flows");
        close(
            num(&back, "total_value"),
            num(&info, "total_value"),
            &format!("{file} -> {to}: total value"),
        );
        assert_eq!(back["kind"], info["kind"], "{file} -> {to}: kind");
        if to == "csv" {
            assert!(int(&back, "nodes") <= int(&info, "nodes"), "{file} -> csv");
        } else {
            for k in [
                "nodes",
                "sectors",
                "years",
                "top_exporters",
                "top_importers",
            ] {
                assert_eq!(back[k], info[k], "{file} -> {to}: {k}");
            }
        }
    }
}

#[test]
fn native_json_round_trips_exactly() {
    // graph -> native -> native, and graph -> node-link -> native, give the same bytes.
    let dir = tempfile::tempdir().unwrap();
    for file in ["graphs/tiny.json", "graphs/icio2022_focus8.json"] {
        let a = tradenet(["convert", "--to", "json", file]).ok_bytes();
        let pa = dir.path().join("a.json");
        std::fs::write(&pa, &a).unwrap();
        let b = tradenet(["convert", "--to", "json", path_str(&pa)]).ok_bytes();
        assert!(a == b, "{file}: native JSON does not round-trip");
        let n = tradenet(["convert", "--to", "nodelink", file]).ok_bytes();
        let c = tradenet(["convert", "--to", "json", "-"])
            .stdin(n)
            .ok_bytes();
        assert!(a == c, "{file}: node-link does not round-trip");
    }
}

// ---------------------------------------------------------------------------------------------
// Output contracts

/// `graphs/tiny.json` as listed in graphs/README.md: (from, to, sector, tenths of a bn USD).
const TINY: [Row; 36] = [
    ("CAN", "MEX", "C27", 2),
    ("CAN", "MEX", "C29", 7),
    ("CAN", "USA", "C27", 16),
    ("CAN", "USA", "C29", 64),
    ("JPN", "CAN", "C27", 5),
    ("JPN", "CAN", "C29", 21),
    ("JPN", "KOR", "C27", 27),
    ("JPN", "KOR", "C29", 6),
    ("JPN", "MEX", "C27", 15),
    ("JPN", "MEX", "C29", 18),
    ("JPN", "USA", "C27", 40),
    ("JPN", "USA", "C29", 93),
    ("KOR", "CAN", "C27", 3),
    ("KOR", "CAN", "C29", 16),
    ("KOR", "JPN", "C27", 6),
    ("KOR", "JPN", "C29", 4),
    ("KOR", "MEX", "C27", 8),
    ("KOR", "MEX", "C29", 8),
    ("KOR", "USA", "C27", 31),
    ("KOR", "USA", "C29", 58),
    ("MEX", "CAN", "C27", 10),
    ("MEX", "CAN", "C29", 46),
    ("MEX", "JPN", "C27", 1),
    ("MEX", "JPN", "C29", 4),
    ("MEX", "KOR", "C27", 1),
    ("MEX", "KOR", "C29", 4),
    ("MEX", "USA", "C27", 100),
    ("MEX", "USA", "C29", 229),
    ("USA", "CAN", "C27", 23),
    ("USA", "CAN", "C29", 139),
    ("USA", "JPN", "C27", 4),
    ("USA", "JPN", "C29", 5),
    ("USA", "KOR", "C27", 9),
    ("USA", "KOR", "C29", 11),
    ("USA", "MEX", "C27", 43),
    ("USA", "MEX", "C29", 72),
];

/// (id, value) sorted by value descending, ties by id: the ranking FORMAT.md §3 asks for.
type Row = (&'static str, &'static str, &'static str, u32);

fn ranking(by: impl Fn(&Row) -> &'static str) -> Vec<(String, f64)> {
    let mut m = std::collections::BTreeMap::<&str, f64>::new();
    for f in &TINY {
        *m.entry(by(f)).or_default() += f.3 as f64 * 1e8;
    }
    let mut v: Vec<(String, f64)> = m.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

#[test]
fn info_json_matches_tiny_by_hand() {
    let j = tradenet(["info", "--format", "json", "graphs/tiny.json"]).json();
    check_info_shape(&j, "graphs/tiny.json");
    let total: f64 = TINY.iter().map(|f| f.3 as f64 * 1e8).sum();
    let pairs: BTreeSet<(&str, &str)> = TINY.iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(int(&j, "nodes"), 5);
    assert_eq!(int(&j, "flows"), TINY.len() as u64);
    assert_eq!(int(&j, "pairs"), pairs.len() as u64);
    assert_eq!(int(&j, "sectors"), 2);
    assert_eq!(j["kind"], "trade");
    close(num(&j, "total_value"), total, "total value");
    close(num(&j, "total_value"), 114.9e9, "total value (README)");
    // 18 of the 5 * 4 ordered pairs trade (CAN sells neither C27 nor C29 to JPN or KOR).
    assert_eq!(pairs.len(), 18);
    close(num(&j, "density"), pairs.len() as f64 / 20.0, "density");
    for (list, by) in [
        ("top_exporters", ranking(|f| f.0)),
        ("top_importers", ranking(|f| f.1)),
    ] {
        let rows = j[list].as_array().unwrap();
        assert_eq!(rows.len(), by.len(), "{list}");
        for (r, (id, v)) in rows.iter().zip(&by) {
            assert_eq!(r["id"], id.as_str(), "{list}");
            close(num(r, "value"), *v, &format!("{list} {id}"));
            close(num(r, "share"), v / total, &format!("{list} {id} share"));
        }
    }
    // MEX exports 39.5 bn, USA imports 63.1 bn (graphs/README.md table, summed by hand).
    assert_eq!(j["top_exporters"][0]["id"], "MEX");
    close(num(&j["top_exporters"][0], "value"), 39.5e9, "MEX exports");
    assert_eq!(j["top_importers"][0]["id"], "USA");
    close(num(&j["top_importers"][0], "value"), 63.1e9, "USA imports");
    let top2 = tradenet(["info", "--format", "json", "--top", "2", "graphs/tiny.json"]).json();
    assert_eq!(top2["top_exporters"].as_array().unwrap().len(), 2);
    assert_eq!(top2["top_exporters"][1]["id"], "USA");
}

#[test]
fn validate_json_shape() {
    let j = tradenet([
        "validate",
        "--format",
        "json",
        "tests/good/zero_and_empty.csv",
    ])
    .json();
    for k in ["graph", "valid", "sectors", "skipped_rows"] {
        assert!(j.get(k).is_some(), "validate JSON has no `{k}`:\n{j:#}");
    }
    assert_eq!(j["valid"], true);
    assert_eq!(j["graph"]["file"], "tests/good/zero_and_empty.csv");
    assert_eq!(int(&j, "skipped_rows"), 4);
}

#[test]
fn csv_output_starts_with_id() {
    for args in [
        ["info", "--format", "csv", "graphs/tiny.json"],
        ["validate", "--format", "csv", "graphs/tiny.json"],
    ] {
        let out = tradenet(args).ok();
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let header = r.headers().expect("a header row").clone();
        assert_eq!(header.get(0), Some("id"), "{args:?}: {out}");
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert!(!rows.is_empty(), "{args:?}: no rows");
        for row in &rows {
            assert_eq!(row.len(), header.len(), "{args:?}: ragged row {row:?}");
        }
        if args[0] == "info" {
            // One row per ranked country in each list; the first exporter is MEX.
            assert_eq!(rows.len(), 10, "{out}");
            assert_eq!(&rows[0][0], "MEX");
        } else {
            assert_eq!(&rows[0][0], "graphs/tiny.json");
            assert_eq!(&rows[0][1], "true");
        }
    }
}

#[test]
fn info_without_graph_uses_the_embedded_default() {
    let text = tradenet(["info"]).ok();
    assert!(
        text.lines().next() == Some(&format!("graph: {DEFAULT_LABEL}")),
        "{text}"
    );
    let embedded = tradenet(["info", "--format", "json"]).json();
    assert_eq!(embedded["graph"]["file"], DEFAULT_LABEL);
    // The embedded graph is graphs/icio2022_focus8.json: every figure agrees.
    let mut file = tradenet(["info", "--format", "json", "graphs/icio2022_focus8.json"]).json();
    file["graph"]["file"] = Value::from(DEFAULT_LABEL);
    assert_eq!(embedded, file);
    let v = tradenet(["validate"]).ok();
    assert!(
        v.starts_with(&format!("ok: {DEFAULT_LABEL}: io graph")),
        "{v}"
    );
}

// ---------------------------------------------------------------------------------------------
// -o FILE

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn output_file_gets_what_stdout_would() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 3] = [
        &["info", "--format", "json", "graphs/tiny.json"],
        &["info", "--format", "csv", "graphs/tiny.json"],
        &["convert", "--to", "nodelink", "graphs/tiny.json"],
    ];
    for (i, args) in cases.iter().enumerate() {
        let expected = tradenet(*args).ok_bytes();
        let out = dir.path().join(format!("out{i}"));
        let mut with_o: Vec<&str> = args.to_vec();
        with_o.extend(["-o", path_str(&out)]);
        let printed = tradenet(&with_o).ok_bytes();
        assert!(printed.is_empty(), "{args:?} -o printed to stdout");
        assert!(
            std::fs::read(&out).unwrap() == expected,
            "{args:?}: -o differs"
        );
        // `-o -` is standard output.
        let mut dash: Vec<&str> = args.to_vec();
        dash.extend(["-o", "-"]);
        assert!(
            tradenet(&dash).ok_bytes() == expected,
            "{args:?}: -o - differs"
        );
    }
    // Overwriting an existing file replaces it; nothing else is left in the folder.
    let out = dir.path().join("out0");
    tradenet([
        "info",
        "--format",
        "csv",
        "graphs/tiny.json",
        "-o",
        path_str(&out),
    ])
    .ok();
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("id,"));
    assert_eq!(listing(dir.path()), ["out0", "out1", "out2"]);
}

#[test]
fn failed_command_leaves_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let precious = b"precious: not to be overwritten\n";
    std::fs::write(&out, precious).unwrap();
    let bad = root().join("tests/bad/many_problems.json");
    let bad = path_str(&bad);
    let runs: [&[&str]; 4] = [
        &["convert", "--to", "json", bad],
        &["info", "--format", "json", bad],
        &["validate", bad],
        &[
            "convert",
            "--to",
            "json",
            "--format",
            "json",
            "graphs/tiny.json",
        ],
    ];
    for args in runs {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["-o", path_str(&out)]);
        tradenet(&a).fails();
        assert_eq!(std::fs::read(&out).unwrap(), precious, "{args:?}");
        assert_eq!(
            listing(dir.path()),
            ["out.json"],
            "{args:?}: temp files left"
        );
    }
    // A destination in a folder that does not exist is the user's path: exit code 2 with the
    // rule, and nothing is created.
    let missing = dir.path().join("no_such_dir/out.json");
    let err = tradenet(["info", "graphs/tiny.json", "-o", path_str(&missing)]).fails();
    assert!(err.contains("does not exist"), "{err}");
    assert_eq!(listing(dir.path()), ["out.json"]);
}

#[test]
#[cfg(unix)]
fn output_file_has_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    std::fs::write(&plain, b"x").unwrap();
    let out = dir.path().join("out.json");
    tradenet([
        "info",
        "--format",
        "json",
        "graphs/tiny.json",
        "-o",
        path_str(&out),
    ])
    .ok();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(&out),
        mode(&plain),
        "as std::fs::write would create it"
    );
}

// ---------------------------------------------------------------------------------------------
// Determinism

#[test]
fn same_command_twice_gives_the_same_bytes() {
    let runs: [&[&str]; 5] = [
        &["info", "--format", "json"],
        &["info", "graphs/icio2022_trade_by_sector.json"],
        &[
            "convert",
            "--to",
            "nodelink",
            "graphs/icio2022_trade_by_sector.json",
        ],
        // Over 1 MB: read in parallel chunks.
        &[
            "convert",
            "--to",
            "json",
            "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv",
        ],
        &[
            "convert",
            "--to",
            "csv",
            "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv",
        ],
    ];
    for args in runs {
        let a = tradenet(args).ok_bytes();
        let b = tradenet(args).ok_bytes();
        assert!(!a.is_empty(), "{args:?}: no output");
        assert!(a == b, "{args:?}: two runs differ");
    }
}

// ---------------------------------------------------------------------------------------------
// The readers, on tests/good/

/// `info --format json` of a good file (with extra arguments).
fn info(file: &str, extra: &[&str]) -> Value {
    let mut a = vec!["info", "--format", "json"];
    a.extend_from_slice(extra);
    a.push(file);
    // A multi-year file without --year gets a note on stderr (the latest year is used).
    serde_json::from_str(&tradenet(a).ok_with_notes()).unwrap()
}

/// The flows of a graph as `convert --to csv` prints them.
fn csv_rows(file: &str, extra: &[&str]) -> Vec<(String, String, String, f64)> {
    let mut a = vec!["convert", "--to", "csv"];
    a.extend_from_slice(extra);
    a.push(file);
    let text = tradenet(a).ok();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        &r.headers().unwrap().iter().take(4).collect::<Vec<_>>(),
        &["exporter", "importer", "sector", "value"],
        "{text}"
    );
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[0].to_string(),
                x[1].to_string(),
                x[2].to_string(),
                x[3].parse().unwrap(),
            )
        })
        .collect()
}

/// Assert nodes, flows, sectors, skipped rows and total value.
fn counts(j: &Value, nodes: u64, flows: u64, sectors: u64, skipped: u64, total: f64) {
    let f = &j["graph"]["file"];
    assert_eq!(int(j, "nodes"), nodes, "{f}: nodes");
    assert_eq!(int(j, "flows"), flows, "{f}: flows");
    assert_eq!(int(j, "sectors"), sectors, "{f}: sectors");
    assert_eq!(int(j, "skipped_rows"), skipped, "{f}: skipped rows");
    close(num(j, "total_value"), total, &format!("{f}: total value"));
}

#[test]
fn bom_and_crlf() {
    let raw = std::fs::read(root().join("tests/good/bom.csv")).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBFexporter,") && raw.ends_with(b"\r\n"));
    // 4 rows: CAN->USA 60, USA->CAN 49, MEX->USA 55, USA->MEX 19 (c12); 3 countries.
    let j = info("tests/good/bom.csv", &[]);
    counts(&j, 3, 4, 2, 0, 183.0);
    // The BOM is not part of the first column's name, and no `\r` is left on the last.
    let explicit = info(
        "tests/good/bom.csv",
        &["--from-col", "exporter", "--value-col", "value"],
    );
    counts(&explicit, 3, 4, 2, 0, 183.0);
    let rows = csv_rows("tests/good/bom.csv", &[]);
    assert_eq!(
        rows[0],
        ("CAN".into(), "USA".into(), "c15".into(), 60.0),
        "{rows:?}"
    );
    assert_eq!(rows[3].2, "c12");
}

#[test]
fn semicolon_separated() {
    // 4 rows, 4 countries (CAN, USA, MEX, KOR), one sector; 60.5 + 49 + 55.25 + 15.
    let j = info("tests/good/semicolon.csv", &[]);
    counts(&j, 4, 4, 1, 0, 179.75);
    assert_eq!(j["top_exporters"][0]["id"], "CAN");
    close(num(&j["top_exporters"][0], "value"), 60.5, "CAN exports");
}

#[test]
fn baci_columns_by_alias_and_by_name() {
    // t,i,j,k,v,q: 6 rows of 2022; countries 4, 8, 36, 124, 842; products 090111, 870323,
    // 720711; v sums to 12.345 + 3.1 + 150 + 59800 + 49000.5 + 1800.25 thousand USD.
    // Recognised as BACI by its header: codes become ISO3 (4 AFG, 8 ALB, 36 AUS, 124 CAN,
    // 842 USA) and values USD (12345 + 3100 + 150000 + 59800000 + 49000500 + 1800250).
    let usd = 12345.0 + 3100.0 + 150000.0 + 59800000.0 + 49000500.0 + 1800250.0;
    let baci = info("tests/good/baci.csv", &[]);
    counts(&baci, 5, 6, 3, 0, usd);
    assert_eq!(baci["years"], serde_json::json!([2022]));
    assert_eq!(baci["unit"], "USD");
    let with_year = info("tests/good/baci.csv", &["--year", "2022"]);
    counts(&with_year, 5, 6, 3, 0, usd);
    let rows = csv_rows("tests/good/baci.csv", &[]);
    assert_eq!(
        rows[0],
        ("AFG".into(), "AUS".into(), "090111".into(), 12345.0)
    );
    assert_eq!(
        rows[3],
        ("CAN".into(), "USA".into(), "870323".into(), 59800000.0)
    );
    // --input-format csv reads it as a plain edge list: the columns by alias or by name, codes
    // and values as written.
    let total = 12.345 + 3.1 + 150.0 + 59800.0 + 49000.5 + 1800.25;
    let plain = ["--input-format", "csv"];
    let by_alias = info("tests/good/baci.csv", &plain);
    counts(&by_alias, 5, 6, 3, 0, total);
    let flags = [
        "--input-format",
        "csv",
        "--from-col",
        "i",
        "--to-col",
        "j",
        "--sector-col",
        "k",
        "--value-col",
        "v",
        "--year-col",
        "t",
    ];
    let by_name = info("tests/good/baci.csv", &flags);
    assert_eq!(by_name, by_alias);
    // Product codes keep their leading zero; the quantity column q is ignored.
    let rows = csv_rows("tests/good/baci.csv", &flags);
    assert_eq!(rows[0], ("4".into(), "36".into(), "090111".into(), 12.345));
    assert_eq!(
        rows[3],
        ("124".into(), "842".into(), "870323".into(), 59800.0)
    );
}

#[test]
fn quoted_fields_with_commas() {
    // 5 rows; 4 economies, two of them with a comma in the name; "0.5" quoted.
    let j = info("tests/good/quoted.csv", &[]);
    counts(&j, 4, 5, 2, 0, 15.0 + 3.0 + 60.0 + 49.0 + 0.5);
    let rows = csv_rows("tests/good/quoted.csv", &[]);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].0, "Korea, Republic of");
    assert_eq!(rows[0].1, "United States");
    assert_eq!(
        rows[4],
        (
            "Congo, Dem. Rep. of the".into(),
            "Canada".into(),
            "c12".into(),
            0.5
        )
    );
}

#[test]
fn zero_and_empty_values_are_skipped_and_counted() {
    // 7 rows: 0 (line 3), empty (line 4), 0.0 (line 5) and blanks (line 7) are skipped; left
    // CAN->USA 60, KOR->USA 15, CAN->MEX 2. JPN appears only in a skipped row.
    let j = info("tests/good/zero_and_empty.csv", &[]);
    counts(&j, 4, 3, 1, 4, 77.0);
    let ids: BTreeSet<String> = csv_rows("tests/good/zero_and_empty.csv", &[])
        .into_iter()
        .flat_map(|r| [r.0, r.1])
        .collect();
    assert_eq!(ids, ["CAN", "KOR", "MEX", "USA"].map(String::from).into());
    let v = tradenet(["validate", "tests/good/zero_and_empty.csv"]).ok();
    assert!(
        v.contains("4 rows with an empty or zero value skipped"),
        "{v}"
    );
}

#[test]
fn nodelink_with_links_key_and_integer_ids() {
    // 3 nodes with integer ids, 4 links weighted 60, 49, 55, 23.
    let j = info("tests/good/nodelink_links.json", &[]);
    counts(&j, 3, 4, 0, 0, 187.0);
    assert_eq!(j["top_exporters"][0]["id"], "2", "ids are text: {j}");
    assert_eq!(j["top_exporters"][0]["name"], "United States");
    close(num(&j["top_exporters"][0], "value"), 72.0, "node 2 exports");
    // Naming the attribute gives the same graph.
    let named = info(
        "tests/good/nodelink_links.json",
        &["--weight-attr", "weight"],
    );
    assert_eq!(named, j);
}

#[test]
fn nodelink_with_edges_key() {
    // A multigraph: CAN->USA twice (c12 32, c15 60), then 2, 3, 15; 3 nodes, 2 sectors.
    let j = info("tests/good/nodelink_edges.json", &[]);
    counts(&j, 3, 5, 2, 0, 112.0);
    assert_eq!(int(&j, "pairs"), 4);
    let rows = csv_rows("tests/good/nodelink_edges.json", &[]);
    assert_eq!(rows[1], ("CAN".into(), "USA".into(), "c15".into(), 60.0));
}

#[test]
fn multi_year_and_year_filter() {
    // 8 rows: 2015 has 3 (300 + 280 + 290), 2016 has 4 non-zero (280 + 266 + 300 + 230)
    // and CAN->MEX 0, which is skipped.
    // Without --year: the latest year (2016), with a note, never the sum of the two.
    let out = tradenet(["info", "--format", "json", "tests/good/multi_year.csv"]).output();
    assert!(String::from_utf8_lossy(&out.stderr).contains("using 2016, the latest"));
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    counts(&all, 3, 4, 1, 1, 1076.0);
    assert_eq!(all["years"], serde_json::json!([2015, 2016]));
    assert_eq!(all["graph"]["year"], 2016);
    let y2016 = info("tests/good/multi_year.csv", &["--year", "2016"]);
    counts(&y2016, 3, 4, 1, 1, 1076.0);
    let y2015 = info("tests/good/multi_year.csv", &["--year", "2015"]);
    counts(&y2015, 3, 3, 1, 0, 870.0);
}

#[test]
fn gzip_csv_reads_like_the_csv() {
    let raw = std::fs::read(root().join("tests/good/multi_year.csv.gz")).unwrap();
    assert!(raw.starts_with(&[0x1f, 0x8b]), "not gzip");
    for extra in [&[][..], &["--year", "2016"][..]] {
        let mut gz = info("tests/good/multi_year.csv.gz", extra);
        let csv = info("tests/good/multi_year.csv", extra);
        assert_eq!(gz["graph"]["file"], "tests/good/multi_year.csv.gz");
        gz["graph"]["file"] = csv["graph"]["file"].clone();
        assert_eq!(gz, csv, "{extra:?}");
    }
    // Through standard input too.
    let v = tradenet(["validate", "--format", "json", "-"])
        .stdin(raw)
        .json();
    assert_eq!(int(&v["graph"], "flows"), 7);
}

#[test]

fn stdin_label_is_stdin() {
    let raw = std::fs::read(root().join("tests/good/multi_year.csv")).unwrap();
    let v = tradenet(["validate", "-"]).stdin(raw).ok();
    assert!(v.starts_with("ok: <stdin>: "), "{v}");
}

// ---------------------------------------------------------------------------------------------
// Real data: the Comtrade edge list in ../shared (a test fails when it is not there)

#[test]
fn comtrade_2016_with_explicit_columns() {
    let rel = "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv";
    common::shared_data("comtrade-1964-2016/edges_total_1964_2016.csv");
    let args = [
        "--year",
        "2016",
        "--from-col",
        "exporter",
        "--to-col",
        "importer",
        "--value-col",
        "value",
        "--year-col",
        "year",
    ];
    let mut v = vec!["validate", "--format", "json"];
    v.extend(args);
    v.push(rel);
    let j = tradenet(v).json();
    assert_eq!(int(&j["graph"], "flows"), 21_817);

    // Canada's exports to the US as a share of all its exports, from the CSV rows.
    let rows = csv_rows(rel, &args);
    assert_eq!(rows.len(), 21_817);
    let can: f64 = rows.iter().filter(|r| r.0 == "CAN").map(|r| r.3).sum();
    let can_usa: f64 = rows
        .iter()
        .filter(|r| r.0 == "CAN" && r.1 == "USA")
        .map(|r| r.3)
        .sum();
    let share = 100.0 * can_usa / can;
    assert!((share - 77.6).abs() <= 0.05, "CAN->USA share {share:.3}%");
}

#[test]
fn output_is_identical_for_one_and_two_threads() {
    // The CSV loader splits a file into one chunk per thread and the kernels run on rayon:
    // neither may change a byte of the output.
    let runs: [&[&str]; 4] = [
        &[
            "convert",
            "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv",
            "--to",
            "json",
        ],
        &[
            "centrality",
            "graphs/icio2022_trade_total.json",
            "-m",
            "pagerank,betweenness,closeness",
            "--format",
            "csv",
        ],
        &["shock", "--format", "json"],
        &[
            "dependency",
            "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv",
            "--by-year",
            "--country",
            "CAN",
            "--format",
            "csv",
        ],
    ];
    for args in runs {
        let one = tradenet(args.iter().copied())
            .env("RAYON_NUM_THREADS", "1")
            .ok_bytes();
        let two = tradenet(args.iter().copied())
            .env("RAYON_NUM_THREADS", "2")
            .ok_bytes();
        assert!(!one.is_empty(), "{args:?}");
        assert!(
            one == two,
            "{args:?}: output differs between 1 and 2 threads"
        );
    }
}

/// A write that fails half-way (the file-size limit `ulimit -f` is hit while the temporary file
/// is written, so write(2) returns EFBIG) leaves the existing output as it was, no temporary
/// file behind, and exits 1 (an I/O failure, not bad input) naming the file.
#[cfg(unix)]
#[test]
fn write_failing_midway_leaves_the_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let precious = b"precious: not to be overwritten\n";
    std::fs::write(&out, precious).unwrap();
    let graph = root().join("graphs/icio2022_focus8.json");
    assert!(std::fs::metadata(&graph).unwrap().len() > 1 << 20);
    // 256 KB: the graph (10 MB as JSON) cannot be written whole. SIGXFSZ is ignored so that the
    // write returns an error instead of killing the process.
    let script = format!(
        "trap '' XFSZ; ulimit -f 256; exec '{}' convert --to json '{}' -o '{}'",
        env!("CARGO_BIN_EXE_tradenet"),
        graph.display(),
        out.display()
    );
    let r = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {}: cannot write", out.display()))
            && stderr.contains("File too large"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read(&out).unwrap(), precious);
    assert_eq!(
        listing(dir.path()),
        ["out.json"],
        "temporary file left behind"
    );
}

// ---------------------------------------------------------------------------------------------
// The sector view of an input-output graph: one rule for every command (issue #12, item 1)

/// Canada's exports of WIOD c15 (transport equipment) by destination, summed by hand from the
/// WIOD 2011 input-output set in ../shared/data (read at run time; the bundled ICIO graph has no
/// final demand by destination): intermediate deliveries of CAN:c15 to other countries'
/// industries plus CAN:c15's final demand sold to other countries.
fn can_c15_exports_by_hand() -> std::collections::BTreeMap<String, f64> {
    use std::io::Read;
    let mut by_dest = std::collections::BTreeMap::new();
    for file in [
        "wiod2011/full/intermediate_flows_2011.csv.gz",
        "wiod2011/full/final_demand_2011.csv.gz",
    ] {
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(common::shared_data(file)).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            // from,to,value (to = COUNTRY:sector) or from,to_country,value.
            let to = f[1].split(':').next().unwrap();
            if f[0] == "CAN:c15" && to != "CAN" {
                let v: f64 = f[2].parse().unwrap();
                *by_dest.entry(to.to_string()).or_insert(0.0) += v;
            }
        }
    }
    by_dest
}

#[test]
fn sector_view_of_io_graph_agrees_across_commands_and_with_the_data() {
    let hand = can_c15_exports_by_hand();
    let total: f64 = hand.values().sum();
    // SOURCE.md: WIOD 2011 c15 CAN->USA 59.8 bn USD.
    assert!((hand["USA"] / 1e9 - 59.83).abs() < 0.01, "{hand:?}");
    let path = common::shared_data("wiod2011/full");
    let g = path.to_str().unwrap();

    // convert --as-countries --sector c15: the CAN rows are exactly the hand sums.
    let csv = tradenet([
        "convert",
        g,
        "--as-countries",
        "--sector",
        "c15",
        "--to",
        "csv",
    ])
    .ok();
    let mut rows = std::collections::BTreeMap::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "CAN" {
            assert_eq!(f[2], "c15", "{line}");
            rows.insert(f[1].to_string(), f[3].parse::<f64>().unwrap());
        }
    }
    assert_eq!(rows.len(), hand.len(), "{rows:?} vs {hand:?}");
    for (d, v) in &hand {
        close(rows[d], *v, &format!("convert CAN->{d}"));
    }

    // dependency --sector c15 --country CAN: exports and every partner value.
    let j = tradenet([
        "dependency",
        g,
        "--sector",
        "c15",
        "--country",
        "CAN",
        "--format",
        "json",
    ])
    .json();
    close(
        num(&j["countries"][0], "exports"),
        total,
        "dependency exports",
    );
    for p in j["partners"]["exports"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        close(num(p, "value"), hand[id], &format!("dependency CAN->{id}"));
    }

    // centrality --countries --sector c15: CAN's out-strength.
    let c = tradenet([
        "centrality",
        g,
        "--countries",
        "--sector",
        "c15",
        "-m",
        "out_strength",
        "--format",
        "json",
    ])
    .json();
    let can = c["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "CAN")
        .unwrap();
    close(num(can, "out_strength"), total, "centrality out_strength");

    // draw --sector c15: the CAN -> USA label.
    // (41 countries: the 40 largest flows are drawn, CAN -> USA among them, with a note.)
    let dot = tradenet(["draw", g, "--sector", "c15"]).ok_with_notes();
    let label = format!("CAN -> USA: {:.1} bn USD", hand["USA"] / 1e9);
    assert!(dot.contains(&label), "draw has no '{label}'");
}

// ---------------------------------------------------------------------------------------------
// Multi-year files: every analysis uses the latest year and says so, never a sum (#12, item 4)

/// `a` and `b` have the same shape, strings and counts, and numbers equal to a relative 1e-9
/// (the two graphs hold the same flows in another order, so sums may differ in the last bits).
fn same_json(a: &Value, b: &Value, what: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let tol = 1e-9 * x.abs().max(y.abs()) + 1e-12;
            assert!((x - y).abs() <= tol, "{what}: {x} != {y}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{what}: array lengths");
            for (k, (p, q)) in x.iter().zip(y).enumerate() {
                same_json(p, q, &format!("{what}[{k}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let kx: BTreeSet<&String> = x.keys().collect();
            let ky: BTreeSet<&String> = y.keys().collect();
            assert_eq!(kx, ky, "{what}: keys");
            for (k, p) in x {
                same_json(p, &y[k], &format!("{what}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{what}"),
    }
}

/// Canada's exports to the USA in `year`, summed by hand from the Comtrade edge list.
fn comtrade_can_usa(year: &str) -> f64 {
    let text = std::fs::read_to_string(common::shared_data(
        "comtrade-1964-2016/edges_total_1964_2016.csv",
    ))
    .unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (e, i, y, v) = (col("exporter"), col("importer"), col("year"), col("value"));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[e] == "CAN" && f[i] == "USA" && f[y] == year)
        .map(|f| f[v].parse::<f64>().unwrap())
        .sum()
}

#[test]
fn multi_year_files_use_the_latest_year_and_say_so() {
    let g = "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv";
    let runs: [&[&str]; 4] = [
        &["shock", g, "--tariff", "USA:CAN:total=25%"],
        &["centrality", g, "-m", "pagerank,in_strength"],
        &["dependency", g, "--country", "CAN"],
        &["info", g],
    ];
    for args in runs {
        let mut with_fmt: Vec<&str> = args.to_vec();
        with_fmt.extend(["--format", "json"]);
        let out = tradenet(&with_fmt).output();
        assert!(out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("using 2016, the latest of the file's 14 years"),
            "{args:?}: no note on stderr: {stderr}"
        );
        let mut latest: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(latest["graph"]["year"], 2016, "{args:?}");
        assert_eq!(latest["graph"]["years_in_file"], 14, "{args:?}");
        // The same as asking for 2016, apart from the note in the graph block.
        with_fmt.extend(["--year", "2016"]);
        let mut chosen = tradenet(&with_fmt).json();
        // (`info` lists the file's years: all 14 without --year, the one read with it; its
        // notes say how the year was chosen: on reading, or as a view.)
        for k in ["graph", "years", "notes"] {
            latest[k] = Value::Null;
            chosen[k] = Value::Null;
        }
        same_json(&latest, &chosen, &format!("{args:?}"));
    }
    // The tariff sees 2016's imports from Canada, not 53 years of them (1.71 trn).
    let j = tradenet([
        "shock",
        g,
        "--tariff",
        "USA:CAN:total=25%",
        "--format",
        "json",
    ])
    .output()
    .stdout;
    let j: Value = serde_json::from_slice(&j).unwrap();
    let m_e = num(&j["tariffs"][0], "imports_from_exporter");
    close(m_e, comtrade_can_usa("2016"), "imports from CAN in 2016");
    assert!(m_e < 0.3e12, "{m_e}");
}

// ---------------------------------------------------------------------------------------------
// Small ones (#12, item 7)

/// True when `text` prints a negative zero: `-0`, `-0.0`, `-0.0000`, `-0.0%` not followed by
/// another digit.
fn has_negative_zero(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        if b[i] != b'-' || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.')) {
            return false;
        }
        let rest = &b[i + 1..];
        let n = rest.iter().take_while(|&&c| c == b'0' || c == b'.').count();
        rest.first() == Some(&b'0') && !rest.get(n).is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn no_command_prints_a_negative_zero() {
    assert!(has_negative_zero("from others -0.0000 x"));
    assert!(has_negative_zero(r#""imports_from_others": -0.0,"#));
    assert!(!has_negative_zero("-0.01 -10 c-0"));
    let mut runs: Vec<Vec<String>> = Vec::new();
    for (imp, exp) in [
        ("USA", "CAN"),
        ("CAN", "KOR"),
        ("MEX", "JPN"),
        ("KOR", "USA"),
    ] {
        for g in ["graphs/tiny.json", "graphs/icio2022_focus8.json"] {
            runs.push(
                ["shock", g, "--tariff", &format!("{imp}:{exp}=25%")]
                    .map(String::from)
                    .to_vec(),
            );
        }
    }
    runs.push(
        ["dependency", "graphs/tiny.json", "--country", "KOR"]
            .map(String::from)
            .to_vec(),
    );
    for args in runs {
        for fmt in ["table", "json", "csv"] {
            let mut a = args.clone();
            a.extend(["--format".to_string(), fmt.to_string()]);
            let text = tradenet(&a).ok_with_notes();
            assert!(
                !has_negative_zero(&text),
                "{a:?} printed a negative zero:\n{text}"
            );
        }
    }
}

#[test]
fn flags_that_do_not_apply_are_refused_or_absent() {
    // --matrix has every partner as a column: --partner with it is refused, not dropped.
    let e = tradenet(["dependency", "--matrix", "--partner", "USA"]).output();
    assert_eq!(e.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&e.stderr).contains("--partner"));
    // convert and draw do not list --format (their output type is --to / the -o extension),
    // and the commands that print results do.
    let lists_format = |cmd: &str| {
        let help = tradenet([cmd, "--help"]).ok();
        help.lines()
            .any(|l| l.trim_start().starts_with("--format <"))
    };
    for cmd in ["convert", "draw"] {
        assert!(!lists_format(cmd), "{cmd} --help lists --format");
        let args: &[&str] = if cmd == "convert" {
            &["convert", "--to", "csv", "--format", "json"]
        } else {
            &["draw", "--format", "json"]
        };
        let e = tradenet(args).fails();
        assert!(
            e.contains(&format!("--format does not apply to {cmd}")),
            "{e}"
        );
    }
    for cmd in [
        "info",
        "validate",
        "centrality",
        "dependency",
        "gvc",
        "shock",
    ] {
        assert!(lists_format(cmd), "{cmd} --help lacks --format");
    }
}

#[test]
fn info_lists_the_sectors_with_names_and_values() {
    let j = tradenet([
        "info",
        "--sectors",
        "--format",
        "json",
        "graphs/icio2022_focus8.json",
    ])
    .json();
    let rows = j["sectors"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    let c29 = rows.iter().find(|r| r["id"] == "C29").unwrap();
    assert_eq!(
        c29["name"],
        "Manufacture of motor vehicles, trailers and semi-trailers"
    );
    assert_eq!(c29["kind"], "goods");
    let g_row = rows.iter().find(|r| r["id"] == "G").unwrap();
    assert_eq!(g_row["kind"], "services");
    // Hand sum from the file: flows whose supplier node is in C29, and C29 nodes' final demand
    // (one number per node in this graph).
    let g: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("graphs/icio2022_focus8.json")).unwrap(),
    )
    .unwrap();
    let c29_nodes: BTreeSet<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["sector"] == "C29")
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let (mut flows, mut value) = (0u64, 0.0);
    for f in g["flows"].as_array().unwrap() {
        if c29_nodes.contains(f["from"].as_str().unwrap()) {
            flows += 1;
            value += num(f, "value");
        }
    }
    let fd: f64 = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["sector"] == "C29")
        .map(|n| n["final_demand"].as_f64().unwrap())
        .sum();
    assert_eq!(int(c29, "flows"), flows);
    close(num(c29, "value"), value, "C29 value");
    close(num(c29, "final_demand"), fd, "C29 final demand");
    let text = tradenet(["info", "--sectors"]).ok();
    assert!(
        text.contains("C29") && text.contains("Manufacture of motor vehicles"),
        "{text}"
    );
}

#[test]
fn aggregating_views_keep_the_years_apart() {
    // --sum-sectors and --as-regions sum flows of a pair; on a multi-year file they sum within
    // a year, never across years (the file has 2015 and 2016 flows of the same pairs).
    for view in [
        &["--sum-sectors"][..],
        &["--sum-sectors", "--as-countries"][..],
    ] {
        let mut a = vec!["convert", "--to", "csv"];
        a.extend_from_slice(view);
        a.push("tests/good/multi_year.csv");
        let csv = tradenet(a).ok();
        let head: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let y = head
            .iter()
            .position(|h| *h == "year")
            .expect("a year column");
        let years: BTreeSet<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(y).unwrap())
            .collect();
        assert_eq!(years, BTreeSet::from(["2015", "2016"]), "{view:?}:\n{csv}");
    }
}
