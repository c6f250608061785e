//! Trade files as published: CEPII BACI (`t,i,j,k,v,q`) and UN Comtrade+ CSV.
//!
//! Reference values: the hand-made files in `tests/good/` with sums worked out by hand in the
//! comments; the traps table of `../shared/data/concordances/SOURCE.md` (each trap a check);
//! the reference figures of `../shared/data/baci-2023-liberation-day/SOURCE.md`. BACI's own
//! country table is read at run time from `../shared/data`, never copied into the project.

use crate::common::{int, num, shared_data, tradenet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The flows of `convert --to csv`, keyed by (exporter, importer, sector).
fn flows(args: &[&str]) -> BTreeMap<(String, String, String), f64> {
    let mut a = vec!["convert", "--to", "csv"];
    a.extend_from_slice(args);
    let text = tradenet(a).ok_with_notes();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (rec[0].to_string(), rec[1].to_string(), rec[2].to_string()),
                rec[3].parse::<f64>().unwrap(),
            )
        })
        .collect()
}

/// `convert --to json` parsed: the native graph.
fn native(args: &[&str]) -> Value {
    let mut a = vec!["convert", "--to", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&tradenet(a).ok_with_notes()).unwrap()
}

fn node<'a>(g: &'a Value, id: &str) -> &'a Value {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id} in {:#}", g["nodes"]))
}

fn node_ids(g: &Value) -> Vec<String> {
    let mut v: Vec<String> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn key(a: &str, b: &str, s: &str) -> (String, String, String) {
    (a.into(), b.into(), s.into())
}

fn info_json(args: &[&str]) -> Value {
    let mut a = vec!["info", "--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&tradenet(a).ok_with_notes()).unwrap()
}

// ---- BACI: the small hand-made file ----

/// `tests/good/baci_small.csv` (thousand USD) in USD, by hand: 1500.5 -> 1,500,500;
/// 0.161 -> 161 (code 10121 lost its leading zero); 2000 -> 2,000,000; 250.25 -> 250,250;
/// 3000 -> 3,000,000; 58 and 56 are both BEL: 10 + 5 -> 15,000; 7.5 -> 7,500; 100 -> 100,000;
/// one zero row skipped.
const SMALL_TOTAL: f64 =
    1_500_500.0 + 161.0 + 2_000_000.0 + 250_250.0 + 3_000_000.0 + 15_000.0 + 7_500.0 + 100_000.0;

#[test]
fn baci_small_is_recognised_scaled_and_mapped() {
    let f = flows(&["tests/good/baci_small.csv"]);
    assert_eq!(f.len(), 8);
    // Scaling moves the decimal point of the text: exactly 161, not 0.161 * 1000.
    assert_eq!(f[&key("CAN", "USA", "010121")], 161.0);
    assert_eq!(f[&key("CAN", "USA", "870323")], 1_500_500.0);
    assert_eq!(f[&key("USA", "CAN", "847130")], 250_250.0);
    assert_eq!(f[&key("S19", "USA", "854231")], 3_000_000.0);
    assert_eq!(f[&key("BEL", "FRA", "870323")], 15_000.0);
    assert_eq!(f[&key("IND", "CHE", "710812")], 100_000.0);
    // 999 is in no table: kept as the number, with a warning naming it.
    assert_eq!(f[&key("999", "USA", "270900")], 7_500.0);
    assert_eq!(f.values().sum::<f64>(), SMALL_TOTAL);
    let out = tradenet(["info", "--format", "json", "tests/good/baci_small.csv"]).output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("kept as numbers: 999"),
        "{stderr}"
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(num(&j, "total_value"), SMALL_TOTAL);
    assert_eq!(int(&j, "skipped_rows"), 1);
    assert_eq!(j["unit"], "USD");
    let notes = j["notes"].as_str().unwrap();
    for part in [
        "BACI values in thousand USD scaled by 1000",
        "mapped to ISO3 with the shipped table",
        "kept as numbers: 999",
        "kept as BACI's S19, not renamed TWN",
        "leading zero",
        "quantities (q, metric tons) not read",
    ] {
        assert!(notes.contains(part), "{part}: {notes}");
    }
    let baci = &j["meta_extra"]["baci"];
    assert_eq!(baci["value_scale"], 1000);
    assert_eq!(baci["codes_unknown"], serde_json::json!(["999"]));
    assert_eq!(baci["hs_level"], "6");
}

#[test]
fn baci_hs_levels_sum_products() {
    // By hand from the file: chapter 87: 1,500,500 + 2,000,000 + 15,000; 01: 161;
    // 84: 250,250; 85: 3,000,000; 27: 7,500; 71: 100,000.
    let by = |level: &str| {
        let f = flows(&["--hs-level", level, "tests/good/baci_small.csv"]);
        let mut s: BTreeMap<String, f64> = BTreeMap::new();
        for ((_, _, k), v) in f {
            *s.entry(k).or_default() += v;
        }
        s
    };
    let hs4 = by("4");
    assert_eq!(hs4["8703"], 3_515_500.0);
    assert_eq!(hs4["0101"], 161.0);
    assert_eq!(hs4["8471"], 250_250.0);
    assert_eq!(hs4["8542"], 3_000_000.0);
    assert_eq!(hs4["2709"], 7_500.0);
    assert_eq!(hs4["7108"], 100_000.0);
    let hs2 = by("2");
    assert_eq!(hs2.len(), 6);
    assert_eq!(hs2["87"], 3_515_500.0);
    assert_eq!(hs2["01"], 161.0);
    // Sections (HS nomenclature): 87 -> XVII, 01 -> I, 84 and 85 -> XVI, 27 -> V, 71 -> XIV.
    let sec = by("section");
    let want: BTreeMap<String, f64> = [
        ("XVII", 3_515_500.0),
        ("I", 161.0),
        ("XVI", 250_250.0 + 3_000_000.0),
        ("V", 7_500.0),
        ("XIV", 100_000.0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(sec, want);
    for level in [hs4, hs2, sec] {
        assert_eq!(level.values().sum::<f64>(), SMALL_TOTAL);
    }
    // The section view names its sectors and marks them goods.
    let g = native(&["--hs-level", "section", "tests/good/baci_small.csv"]);
    let xvii = g["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "XVII")
        .unwrap();
    assert_eq!(
        xvii["name"],
        "Vehicles, aircraft, vessels and transport equipment"
    );
    assert_eq!(xvii["goods"], true);
}

/// `file` gzipped into `dir` (at run time; nothing kept in the project).
fn gzip_into(file: &Path, dir: &Path) -> std::path::PathBuf {
    use std::io::Write;
    let raw = std::fs::read(file).unwrap();
    let out = dir.join(format!(
        "{}.gz",
        file.file_name().unwrap().to_string_lossy()
    ));
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&raw).unwrap();
    std::fs::write(&out, e.finish().unwrap()).unwrap();
    out
}

#[test]
fn baci_gzip_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = gzip_into(
        &crate::common::root().join("tests/good/baci_small.csv"),
        dir.path(),
    );
    let p = path.to_str().unwrap();
    assert_eq!(flows(&[p]), flows(&["tests/good/baci_small.csv"]));
}

// ---- BACI: the country-code traps ----

/// The traps of `../shared/data/concordances/SOURCE.md`: BACI code -> the iso3 it must become.
const TRAPS: [(u32, &str); 21] = [
    (842, "USA"),
    (699, "IND"),
    (757, "CHE"),
    (579, "NOR"),
    (251, "FRA"),
    (490, "S19"),
    (58, "BEL"),
    (56, "BEL"),
    (280, "DEU"),
    (276, "DEU"),
    (736, "SDN"),
    (729, "SDN"),
    (516, "NAM"),
    (697, "R20"),
    (711, "ZA1"),
    (200, "CSK"),
    (278, "DDR"),
    (530, "ANT"),
    (810, "SUN"),
    (891, "SCG"),
    (849, "PUS"),
];

/// A BACI file in `dir`: one row per trap code, exporting 1 thousand USD of HS 010121 to
/// Afghanistan (4), all in 2023.
fn trap_file(dir: &Path) -> String {
    let mut s = String::from("t,i,j,k,v,q\n");
    for (code, _) in TRAPS {
        s.push_str(&format!("2023,{code},4,010121,1,\n"));
    }
    let p = dir.join("BACI_HS22_Y2023_V202501.csv");
    std::fs::write(&p, s).unwrap();
    p.to_str().unwrap().to_string()
}

fn check_traps(g: &Value, how: &str) {
    let mut want: Vec<String> = TRAPS.iter().map(|(_, i)| i.to_string()).collect();
    want.push("AFG".into());
    want.sort();
    want.dedup();
    assert_eq!(node_ids(g), want, "{how}");
    // Two codes of one iso3 are one economy: their flows add up (58 + 56, 280 + 276,
    // 736 + 729), and the node is not an aggregate.
    let f: Vec<&Value> = g["flows"].as_array().unwrap().iter().collect();
    let value = |from: &str| {
        f.iter()
            .filter(|x| x["from"] == from)
            .map(|x| x["value"].as_f64().unwrap())
            .sum::<f64>()
    };
    for dup in ["BEL", "DEU", "SDN"] {
        assert_eq!(value(dup), 2000.0, "{how}: {dup}");
        assert!(node(g, dup).get("aggregate").is_none(), "{how}: {dup}");
    }
    assert_eq!(value("USA"), 1000.0, "{how}");
    // BACI's pseudo-areas are aggregates; S19 (Taiwan in practice) is one economy.
    for agg in ["R20", "ZA1"] {
        assert_eq!(node(g, agg)["aggregate"], true, "{how}: {agg}");
    }
    assert!(node(g, "S19").get("aggregate").is_none(), "{how}");
}

#[test]
fn baci_traps_with_cepii_table_given_beside_and_shipped() {
    let table = shared_data("concordances/baci_country_codes_V202501.csv");
    let dir = tempfile::tempdir().unwrap();
    let data = trap_file(dir.path());
    // --country-codes FILE.
    let given = native(&["--country-codes", table.to_str().unwrap(), &data]);
    check_traps(&given, "--country-codes");
    assert!(given["meta"]["notes"]
        .as_str()
        .unwrap()
        .contains("baci_country_codes_V202501.csv"));
    assert_eq!(node(&given, "USA")["name"], "USA");
    assert_eq!(node(&given, "BEL")["name"], "Belgium");
    // The table beside the data file, as BACI downloads ship it (copied at run time into a
    // temporary folder).
    std::fs::copy(&table, dir.path().join("country_codes_V202501.csv")).unwrap();
    let beside = native(&[&data]);
    check_traps(&beside, "beside");
    assert!(beside["meta"]["notes"]
        .as_str()
        .unwrap()
        .contains("country_codes_V202501.csv"));
    // No table: the shipped ISO 3166 table with BACI's exceptions gives the same ISO3 codes.
    let dir2 = tempfile::tempdir().unwrap();
    let data2 = trap_file(dir2.path());
    let shipped = native(&[&data2]);
    check_traps(&shipped, "shipped");
    assert!(shipped["meta"]["notes"]
        .as_str()
        .unwrap()
        .contains("the shipped table"));
}

#[test]
fn baci_iso_codes_without_a_row_stay_numbers_with_a_warning() {
    // 23 ISO codes have no row in BACI's table (TWN 158, PRI 630, MCO 492, ...): BACI never
    // uses them, so a file that does keeps them as numbers and says so.
    let table = shared_data("concordances/baci_country_codes_V202501.csv");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("odd.csv");
    std::fs::write(
        &p,
        "t,i,j,k,v,q\n2023,158,842,854231,2,\n2023,630,842,300490,1,\n",
    )
    .unwrap();
    let out = tradenet([
        "convert",
        "--to",
        "csv",
        "--country-codes",
        table.to_str().unwrap(),
        p.to_str().unwrap(),
    ])
    .output();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 BACI country codes are not in") && stderr.contains("158, 630"),
        "{stderr}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("158,USA,854231,2000,2023"), "{text}");
    // The shipped ISO table knows them.
    let f = flows(&[p.to_str().unwrap()]);
    assert_eq!(f[&key("TWN", "USA", "854231")], 2000.0);
    assert_eq!(f[&key("PRI", "USA", "300490")], 1000.0);
}

// ---- BACI: real data ----

/// `edges_2023_kusd.csv` (BACI 2023 summed over products, ISO3 labels) written back in BACI's
/// published layout at run time: iso3 -> BACI code by BACI's own table (the current code of an
/// iso3 that has two), one placeholder product (the file is summed over products).
fn liberation_day_as_baci(dir: &Path) -> String {
    let table = std::fs::read_to_string(shared_data("concordances/baci_country_codes_V202501.csv"))
        .unwrap();
    let mut code: BTreeMap<String, String> = BTreeMap::new();
    let mut r = csv::Reader::from_reader(table.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[1].contains("(...") {
            continue;
        }
        code.insert(rec[3].to_string(), rec[0].to_string());
    }
    let edges =
        std::fs::read_to_string(shared_data("baci-2023-liberation-day/edges_2023_kusd.csv"))
            .unwrap();
    let mut out = String::from("t,i,j,k,v,q\n");
    let mut r = csv::Reader::from_reader(edges.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap();
        out.push_str(&format!(
            "2023,{},{},999999,{},\n",
            code[&rec[0]], code[&rec[1]], &rec[2]
        ));
    }
    let p = dir.join("BACI_liberation_day_Y2023.csv");
    std::fs::write(&p, out).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn baci_real_2023_matches_the_published_figures() {
    let dir = tempfile::tempdir().unwrap();
    let data = liberation_day_as_baci(dir.path());
    let table = shared_data("concordances/baci_country_codes_V202501.csv");
    let t = table.to_str().unwrap();
    // Every code maps back (no warning): the command writes nothing to stderr.
    let j: Value = tradenet(["info", "--format", "json", "--country-codes", t, &data]).json();
    assert_eq!(int(&j, "nodes"), 194);
    assert_eq!(int(&j, "flows"), 25_398);
    // SOURCE.md: total 21,749.67 bn USD (rounded to 0.01 bn).
    let bn = |v: f64| v / 1e9;
    assert!(
        (bn(num(&j, "total_value")) - 21_749.67).abs() < 0.005,
        "{j:#}"
    );
    let f = flows(&["--country-codes", t, &data]);
    for (a, b, want) in [
        ("USA", "CAN", 301.88),
        ("CAN", "USA", 417.03),
        ("USA", "CHN", 145.33),
        ("CHN", "USA", 440.48),
        ("MEX", "USA", 459.15),
        ("DEU", "USA", 166.17),
    ] {
        let got = bn(f[&key(a, b, "999999")]);
        assert!(
            (got - want).abs() < 0.005,
            "{a}->{b}: {got} bn, SOURCE.md {want}"
        );
    }
    // The same file gzipped.
    let gz = gzip_into(Path::new(&data), dir.path());
    let jz: Value = tradenet([
        "info",
        "--format",
        "json",
        "--country-codes",
        t,
        gz.to_str().unwrap(),
    ])
    .json();
    assert_eq!(num(&jz, "total_value"), num(&j, "total_value"));
}

// ---- BACI: errors ----

#[test]
fn baci_errors_name_the_file_the_place_and_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad_k.csv");
    std::fs::write(&p, "t,i,j,k,v,q\n2023,124,842,87A323,1,\n").unwrap();
    let ps = p.to_str().unwrap();
    let e = tradenet(["info", ps]).fails();
    assert!(
        e.contains("bad_k.csv") && e.contains("column k") && e.contains("not HS6 codes"),
        "{e}"
    );
    // Chapter 99 is in no HS section.
    let p2 = dir.path().join("ch99.csv");
    std::fs::write(&p2, "t,i,j,k,v,q\n2023,124,842,999999,1,\n").unwrap();
    let e = tradenet(["info", "--hs-level", "section", p2.to_str().unwrap()]).fails();
    assert!(e.contains("999999") && e.contains("section"), "{e}");
    // A country table that is not one: its own file named.
    let t = dir.path().join("country_codes_Vbad.csv");
    std::fs::write(&t, "code,iso\n124,CAN\n").unwrap();
    let e = tradenet([
        "info",
        "--country-codes",
        t.to_str().unwrap(),
        "tests/good/baci_small.csv",
    ])
    .fails();
    assert!(
        e.contains("country_codes_Vbad.csv") && e.contains("not a BACI country table"),
        "{e}"
    );
    // BACI options on a file of another format.
    let e = tradenet(["info", "--hs-level", "2", "tests/good/semicolon.csv"]).fails();
    assert!(
        e.contains("--hs-level") && e.contains("a CSV edge list"),
        "{e}"
    );
    let e = tradenet([
        "info",
        "--comtrade-flow",
        "imports",
        "tests/good/baci_small.csv",
    ])
    .fails();
    assert!(
        e.contains("--comtrade-flow") && e.contains("a BACI file"),
        "{e}"
    );
}

// ---- UN Comtrade+ ----

#[test]
fn comtrade_exports_by_default() {
    // tests/good/comtrade_small.csv, flowCode X rows with partner not World and all modes of
    // transport: CAN->USA 400e9, CAN->MEX 8e9, CAN->_X 0.5e9, CAN->CHN 30e9, USA->CAN 350e9,
    // USA->S19 40e9, MEX->USA 460e9. Dropped: 2 World rows, 4 rows of other flows (3 M, 1 RX),
    // 1 row by mode of transport (motCode 2100).
    let f = flows(&["tests/good/comtrade_small.csv"]);
    assert_eq!(f.len(), 7);
    assert_eq!(f[&key("CAN", "USA", "total")], 400e9);
    assert_eq!(f[&key("MEX", "USA", "total")], 460e9);
    assert_eq!(f[&key("USA", "S19", "total")], 40e9);
    assert_eq!(f.values().sum::<f64>(), 1288.5e9);
    let g = native(&["tests/good/comtrade_small.csv"]);
    assert_eq!(node(&g, "_X")["aggregate"], true);
    assert!(node(&g, "S19").get("aggregate").is_none());
    assert!(g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["id"] != "W00"));
    let j = info_json(&["tests/good/comtrade_small.csv"]);
    assert_eq!(j["years"], serde_json::json!([2023]));
    let notes = j["notes"].as_str().unwrap();
    for part in [
        "exports as reported (flowCode X)",
        "2 rows with partner World (W00) dropped",
        "4 rows of other flows left out",
        "1 rows of a finer breakdown",
        "pseudo-areas kept and marked aggregate: _X",
    ] {
        assert!(notes.contains(part), "{part}: {notes}");
    }
    assert_eq!(j["meta_extra"]["comtrade"]["world_rows_dropped"], 2);
}

#[test]
fn comtrade_imports_mirrored() {
    // flowCode M: USA reports 420e9 from CAN and 475e9 from MEX, CAN 290e9 from USA; the
    // importer reports, so the flow runs partner -> reporter.
    let f = flows(&[
        "--comtrade-flow",
        "imports",
        "tests/good/comtrade_small.csv",
    ]);
    let want: BTreeMap<_, _> = [
        (key("CAN", "USA", "total"), 420e9),
        (key("MEX", "USA", "total"), 475e9),
        (key("USA", "CAN", "total"), 290e9),
    ]
    .into_iter()
    .collect();
    assert_eq!(f, want);
}

#[test]
fn comtrade_mixed_levels_and_monthly_data_are_refused() {
    let text = std::fs::read_to_string(crate::common::root().join("tests/good/comtrade_small.csv"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // One row's cmdCode TOTAL -> chapter 87: levels mixed.
    let mixed = text.replacen(",TOTAL,All Commodities,0,", ",87,Vehicles,2,", 1);
    let p = dir.path().join("mixed.csv");
    std::fs::write(&p, mixed).unwrap();
    let e = tradenet(["info", p.to_str().unwrap()]).fails();
    assert!(
        e.contains("mixed.csv") && e.contains("mixes product levels"),
        "{e}"
    );
    let monthly = text.replacen("\nC,A,", "\nC,M,", 1);
    let p = dir.path().join("monthly.csv");
    std::fs::write(&p, monthly).unwrap();
    let e = tradenet(["info", p.to_str().unwrap()]).fails();
    assert!(
        e.contains("monthly.csv") && e.contains("line 2 (freqCode)") && e.contains("freqCode A"),
        "{e}"
    );
}
